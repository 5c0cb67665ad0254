package neo4jstore

import (
	"testing"

	"cobuild"
)

func TestCursorsRoundTripAndRefuseForgeries(t *testing.T) {
	c := encodeCursor(cursor{Field: "HEADCOUNT", Desc: true, Value: int64(42), ID: "og-000007"})
	v, id, err := decodeCursor(c, "HEADCOUNT", true, kindInt)
	if err != nil || v != int64(42) || id != "og-000007" {
		t.Fatalf("round trip: got %v %q %v", v, id, err)
	}
	bad := []struct {
		name, cursor, field string
		desc                bool
		kind                valueKind
	}{
		{"another field", c, "NAME", true, kindString},
		{"another direction", c, "HEADCOUNT", false, kindInt},
		{"not base64", "%%%", "HEADCOUNT", true, kindInt},
		{"not json", "bm90IGpzb24", "HEADCOUNT", true, kindInt},
		{"a string where a number belongs", encodeCursor(cursor{Field: "HEADCOUNT", Value: "x", ID: "og-1"}), "HEADCOUNT", false, kindInt},
		{"a bad date", encodeCursor(cursor{Field: "REGISTERED_ON", Value: "2023-13-40", ID: "og-1"}), "REGISTERED_ON", false, kindDate},
		{"no id", encodeCursor(cursor{Field: "NAME", Value: "a"}), "NAME", false, kindString},
	}
	for _, b := range bad {
		if _, _, err := decodeCursor(b.cursor, b.field, b.desc, b.kind); cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Errorf("%s: got %v, want %s", b.name, err, cobuild.EINVALID)
		}
	}
}
