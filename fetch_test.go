package cobuild_test

import (
	"testing"
	"time"

	"cobuild"
)

func TestAFetchIsEmptyOnlyWhenItAsksNothing(t *testing.T) {
	day := time.Date(2023, 10, 21, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		f     *cobuild.Fetch
		empty bool
	}{
		{"nil", nil, true},
		{"zero", &cobuild.Fetch{}, true},
		{"ties", &cobuild.Fetch{Ties: []cobuild.FetchTie{{Query: cobuild.TieQuery{Type: cobuild.MemberOf}}}}, false},
		{"the latest evaluation", &cobuild.Fetch{Latest: &cobuild.Fetch{}}, false},
		{"facts of a day", &cobuild.Fetch{Facts: []time.Time{day}}, false},
		{"attendance", &cobuild.Fetch{Attendance: true}, false},
	} {
		if got := tc.f.Empty(); got != tc.empty {
			t.Errorf("%s: empty %v, want %v", tc.name, got, tc.empty)
		}
	}
}

func TestTieKeysNameTypeDirectionAndDay(t *testing.T) {
	day := time.Date(2023, 10, 21, 15, 4, 5, 0, time.UTC)
	any := cobuild.TieQuery{Type: cobuild.MemberOf, Dir: cobuild.Out}.Key()
	if any != (cobuild.TieKey{Type: cobuild.MemberOf, Dir: cobuild.Out}) {
		t.Errorf("no day: %+v", any)
	}
	on := cobuild.TieQuery{Type: cobuild.MemberOf, Dir: cobuild.In, AsOf: &day}.Key()
	if on != (cobuild.TieKey{Type: cobuild.MemberOf, Dir: cobuild.In, Day: "2023-10-21"}) {
		t.Errorf("on a day: %+v", on)
	}
}
