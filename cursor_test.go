package cobuild_test

import (
	"encoding/base64"
	"testing"
	"time"

	"cobuild"
)

func TestCursorsRoundTripAndRefuseForgeries(t *testing.T) {
	c := cobuild.Cursor{Field: "HEADCOUNT", Desc: true, Value: int64(42), ID: "og-000007"}.Encode()
	got, err := cobuild.DecodeCursor(c, "HEADCOUNT", true, cobuild.SortInt)
	if err != nil || got.Value != int64(42) || got.ID != "og-000007" {
		t.Fatalf("round trip: got %+v %v", got, err)
	}
	day, err := cobuild.DecodeCursor(cobuild.Cursor{Field: "REGISTERED_ON", Value: "2023-05-15", ID: "og-1"}.Encode(), "REGISTERED_ON", false, cobuild.SortDate)
	if err != nil || day.Value != time.Date(2023, 5, 15, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("a date cursor: got %+v %v", day, err)
	}
	bad := []struct {
		name, cursor, field string
		desc                bool
		kind                cobuild.SortKind
	}{
		{"another field", c, "NAME", true, cobuild.SortString},
		{"another direction", c, "HEADCOUNT", false, cobuild.SortInt},
		{"not base64", "%%%", "HEADCOUNT", true, cobuild.SortInt},
		{"not json", "bm90IGpzb24", "HEADCOUNT", true, cobuild.SortInt},
		{"a string where a number belongs", cobuild.Cursor{Field: "HEADCOUNT", Value: "x", ID: "og-1"}.Encode(), "HEADCOUNT", false, cobuild.SortInt},
		{"a bad date", cobuild.Cursor{Field: "REGISTERED_ON", Value: "2023-13-40", ID: "og-1"}.Encode(), "REGISTERED_ON", false, cobuild.SortDate},
		{"no id", cobuild.Cursor{Field: "NAME", Value: "a"}.Encode(), "NAME", false, cobuild.SortString},
	}
	for _, b := range bad {
		if _, err := cobuild.DecodeCursor(b.cursor, b.field, b.desc, b.kind); cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Errorf("%s: got %v, want %s", b.name, err, cobuild.EINVALID)
		}
	}
}

func TestFloatAndStringCursors(t *testing.T) {
	c := cobuild.Cursor{Field: "SCORE", Value: 87.25, ID: "es-1"}.Encode()
	got, err := cobuild.DecodeCursor(c, "SCORE", false, cobuild.SortFloat)
	if err != nil || got.Value != 87.25 {
		t.Fatalf("a float cursor: %+v %v", got, err)
	}
	name, err := cobuild.DecodeCursor(cobuild.Cursor{Field: "NAME", Value: "城东社区", ID: "og-19"}.Encode(), "NAME", false, cobuild.SortString)
	if err != nil || name.Value != "城东社区" {
		t.Fatalf("a string cursor: %+v %v", name, err)
	}
	for _, bad := range []string{
		cobuild.Cursor{Field: "SCORE", Value: "high", ID: "es-1"}.Encode(),
		base64.RawURLEncoding.EncodeToString([]byte(`{"f":"SCORE","v":1e400,"id":"es-1"}`)), // out of range
		cobuild.Cursor{Field: "SCORE", Value: true, ID: "es-1"}.Encode(),
	} {
		if _, err := cobuild.DecodeCursor(bad, "SCORE", false, cobuild.SortFloat); cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Errorf("%s: %v, want %s", bad, err, cobuild.EINVALID)
		}
	}
	if _, err := cobuild.DecodeCursor(cobuild.Cursor{Field: "NAME", Value: 7, ID: "og-1"}.Encode(), "NAME", false, cobuild.SortString); cobuild.ErrorCode(err) != cobuild.EINVALID {
		t.Errorf("a number where a name belongs: %v", err)
	}
}
