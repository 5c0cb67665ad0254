package cobuild_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"cobuild"
)

// The facts of an organisation count only the ties that say so: an assignment counts by
// its role, and a role on another kind of tie counts for nothing.
func TestFactsCountTiesByTypeAndRole(t *testing.T) {
	day := time.Date(2023, 10, 21, 0, 0, 0, 0, time.UTC)
	since := day.AddDate(-1, 0, 0)
	org := func(id string) cobuild.DataNode {
		return cobuild.DataNode{Labels: []string{"Organization"}, Props: map[string]any{"id": id, "sector": "ENTERPRISE", "partyMembers": int64(4)}}
	}
	rel := func(typ cobuild.TieType, from, to string, props map[string]any) cobuild.DataRel {
		if props == nil {
			props = map[string]any{}
		}
		props["since"] = since
		return cobuild.DataRel{Type: typ, From: from, To: to, Props: props}
	}
	ds := &cobuild.Dataset{
		Nodes: []cobuild.DataNode{org("og-1"), org("og-2")},
		Rels: []cobuild.DataRel{
			rel(cobuild.AssignedTo, "pe-1", "og-1", map[string]any{"role": "LIAISON"}),
			rel(cobuild.AssignedTo, "pe-2", "og-2", map[string]any{"role": "INSTRUCTOR"}),
			rel(cobuild.AssignedTo, "pe-3", "og-2", map[string]any{"role": "INSTRUCTOR", "until": day.AddDate(0, 0, -1)}),
			// Roles on other ties count for nothing.
			rel(cobuild.MemberOf, "og-1", "al-1", map[string]any{"role": "INSTRUCTOR"}),
			rel(cobuild.WorksAt, "pe-4", "og-1", map[string]any{"role": "LIAISON"}),
			rel(cobuild.CoveredBy, "og-2", "po-1", map[string]any{"mode": "REGIONAL"}),
			rel(cobuild.HasPartyOrg, "po-2", "og-2", nil), // the wrong way round: not og-2's own
			rel(cobuild.FormedIn, "mb-1", "og-1", nil),
		},
	}
	one := ds.FactsOn("og-1", day)
	if one.Instructors != 0 || one.Liaisons != 1 || one.MassBranches != 1 || one.OwnPartyOrgs != 0 || len(one.CoveredModes) != 0 {
		t.Errorf("og-1: %+v, want one liaison and one mass branch only", one)
	}
	if one.PartyMembers != 4 || one.Sector != cobuild.SectorEnterprise {
		t.Errorf("og-1: %d members of sector %s", one.PartyMembers, one.Sector)
	}
	two := ds.FactsOn("og-2", day)
	if two.Instructors != 1 || two.Liaisons != 0 || two.OwnPartyOrgs != 0 || !slices.Equal(two.CoveredModes, []string{"REGIONAL"}) {
		t.Errorf("og-2: %+v, want one instructor in force and regional cover", two)
	}
}

// The reason of work coverage names the strongest work tie: an instructor before a
// liaison before a mass-organisation branch; and the cover's mode is named.
func TestCoverageReasonsNameWhatCovers(t *testing.T) {
	r := cobuild.DefaultRules()
	firm := cobuild.SectorEnterprise
	for _, tc := range []struct {
		facts  cobuild.CoverageFacts
		en, zh string
		notEn  string
	}{
		{cobuild.CoverageFacts{Sector: firm, Instructors: 1, Liaisons: 1, MassBranches: 1, JointTies: 1}, "instructor", "指导员", "liaison"},
		{cobuild.CoverageFacts{Sector: firm, Liaisons: 1, MassBranches: 1, JointTies: 1}, "liaison", "联络员", "instructor"},
		{cobuild.CoverageFacts{Sector: firm, MassBranches: 1, JointTies: 1}, "mass-organisation branch", "群团组织", "liaison"},
		{cobuild.CoverageFacts{Sector: firm, CoveredModes: []string{"JOINT"}, JointTies: 1}, "joint", "联合", "regional"},
		{cobuild.CoverageFacts{Sector: firm, CoveredModes: []string{"REGIONAL"}, JointTies: 1}, "regional", "区域", "industry"},
		{cobuild.CoverageFacts{Sector: firm, CoveredModes: []string{"INDUSTRY"}, JointTies: 1}, "industry", "行业", "regional"},
		{cobuild.CoverageFacts{Sector: firm, PartyMembers: 5, JointTies: 1}, "5 full party members", "有正式党员5名", "isolated"},
		{cobuild.CoverageFacts{Sector: firm}, "no joint-building tie", "无任何共建关系", "should have"},
	} {
		c := r.CoverageOf(tc.facts)
		if !strings.Contains(c.Reason, tc.en) || !strings.Contains(c.ReasonZh, tc.zh) || strings.Contains(c.Reason, tc.notEn) {
			t.Errorf("%+v: reason %q / %q, want %q and %q, not %q", tc.facts, c.Reason, c.ReasonZh, tc.en, tc.zh, tc.notEn)
		}
	}
}
