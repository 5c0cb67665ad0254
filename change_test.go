package cobuild

import (
	"slices"
	"testing"
)

func TestCoverageEventsSayWhatMoved(t *testing.T) {
	cov := func(s CoverageStatus, isolated bool) Coverage { return Coverage{Status: s, Isolated: isolated} }
	for _, c := range []struct {
		name          string
		before, after Coverage
		want          []CoverageEventKind
	}{
		{"nothing moved", cov(CoverageWork, false), cov(CoverageWork, false), nil},
		{"an instructor for an uncovered one", cov(CoverageUncovered, false), cov(CoverageWork, false), []CoverageEventKind{RegainedCoverage}},
		{"covered by work to a joint branch", cov(CoverageWork, false), cov(CoverageJoint, false), nil},
		{"its own branch, from uncovered", cov(CoverageUncovered, true), cov(CoverageOwn, true), []CoverageEventKind{GainedOwnPartyOrg, RegainedCoverage}},
		{"its own branch dissolved", cov(CoverageOwn, false), cov(CoverageUncovered, false), []CoverageEventKind{LostOwnPartyOrg, BecameUncovered}},
		{"its own branch dissolved, still covered", cov(CoverageOwn, false), cov(CoverageJoint, false), []CoverageEventKind{LostOwnPartyOrg}},
		{"its last alliance left", cov(CoverageJoint, false), cov(CoverageJoint, true), []CoverageEventKind{BecameIsolated}},
		{"joined an alliance and lost its instructor", cov(CoverageWork, true), cov(CoverageUncovered, false), []CoverageEventKind{JoinedNetwork, BecameUncovered}},
		{"a public body", cov(CoverageNotManaged, true), cov(CoverageNotManaged, false), []CoverageEventKind{JoinedNetwork}},
	} {
		if got := CoverageEvents(c.before, c.after); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
