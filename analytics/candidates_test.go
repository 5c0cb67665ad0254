package analytics

import (
	"fmt"
	"testing"

	"cobuild"
)

// Tests of the candidate coverers (candidates.go) on a census drawn here by hand:
//
//	row   community park  industry  coverers
//	og-1  og-9      ar-1  in-1      po-1, pe-5     the organisation asked about
//	og-2  og-9      ar-1  in-2      po-1, pe-2
//	og-3  og-8      ar-1  in-1      pe-2, pe-2, po-3   (pe-2 twice counts once)
//	og-4  og-9      -     in-1      po-3
//	og-5  -         -     -         po-6
//	og-7  og-8      -     -         po-1
//	og-9  the community 城东社区 (a row of its own, no places)
//
// Whom each serves (its load): po-1 og-1, og-2, og-7 (3); pe-2 og-2, og-3 (2); po-3 og-3,
// og-4 (2); pe-5 og-1 (1); po-6 og-5 (1).
func cdCensus() *Census {
	rows := []cobuild.CensusRow{
		{ID: "og-1", CommunityID: "og-9", ParkID: "ar-1", IndustryID: "in-1", Coverers: []string{"po-1", "pe-5"}},
		{ID: "og-2", CommunityID: "og-9", ParkID: "ar-1", IndustryID: "in-2", Coverers: []string{"po-1", "pe-2"}},
		{ID: "og-3", CommunityID: "og-8", ParkID: "ar-1", IndustryID: "in-1", Coverers: []string{"pe-2", "pe-2", "po-3"}},
		{ID: "og-4", CommunityID: "og-9", IndustryID: "in-1", Coverers: []string{"po-3"}},
		{ID: "og-5", Coverers: []string{"po-6"}},
		{ID: "og-7", CommunityID: "og-8", Coverers: []string{"po-1"}},
		{ID: "og-9", Name: "城东社区", Kind: cobuild.OrgCommunity},
	}
	return NewCensus(cobuild.DefaultRules(), NewPlaces(rows), rows)
}

// cdProjection holds og-1 (node 0), the community og-9, po-1 and pe-2 (po-3, pe-5 and the
// community og-8 are not in it). og-9 co-builds with og-1 and og-2 (a load of 2); its
// membership of al-1 is not co-building. Hops from og-1: og-9 1, po-1 1 (COVERED_BY),
// pe-2 3 (og-1 – og-9 – og-2 – pe-2).
func cdProjection() *Projection {
	return NewProjection(Build([]NodeInfo{
		{ID: "og-1", Label: cobuild.LabelOrganization},
		{ID: "og-9", Label: cobuild.LabelOrganization, Kind: "COMMUNITY", Name: "城东社区"},
		{ID: "po-1", Label: cobuild.LabelPartyOrg, Kind: "JOINT_BRANCH", Name: "联合党支部"},
		{ID: "pe-2", Label: cobuild.LabelPerson, Name: "张三"},
	}, []TieInfo{
		{Type: cobuild.CoBuildsWith, From: "og-1", To: "og-9"},
		{Type: cobuild.CoBuildsWith, From: "og-2", To: "og-9"},
		{Type: cobuild.MemberOf, From: "og-9", To: "al-1"},
		{Type: cobuild.CoveredBy, From: "og-1", To: "po-1"},
		{Type: cobuild.AssignedTo, From: "pe-2", To: "og-2", Role: "INSTRUCTOR"},
	}))
}

func cdCompare(t *testing.T, what string, got, want []cobuild.Candidate) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d candidates, want %d\n got %+v\nwant %+v", what, len(got), len(want), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s, candidate %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}

func TestCandidatesShareThePlacesOfTheOrganisation(t *testing.T) {
	c, p := cdCensus(), cdProjection()
	// og-1 (og-9, ar-1, in-1) is served by po-1 and pe-5 already: their counts leave it out.
	//   po-1: og-9 has og-1, og-2 → 1 besides og-1; ar-1 og-1, og-2 → 1; in-1 og-1 → 0; load 3 − 1 = 2.
	//   pe-2: og-9 og-2 → 1; ar-1 og-2, og-3 → 2; in-1 og-3 → 1; load 2.
	//   po-3: og-9 og-4 → 1; ar-1 og-3 → 1; in-1 og-3, og-4 → 2; load 2.
	//   pe-5: serves og-1 alone → 0 everywhere: no candidate.
	//   po-6: shares nothing with og-1: no candidate.
	// By id, then its own community og-9 (co-builds with og-1 and og-2: load 2).
	cdCompare(t, "og-1", c.Candidates(p, "og-1"), []cobuild.Candidate{
		{ID: "pe-2", Label: cobuild.LabelPerson, Name: "张三", Load: 2, SharedCommunity: 1, SharedPark: 2, SharedIndustry: 1},
		{ID: "po-1", Label: cobuild.LabelPartyOrg, Kind: "JOINT_BRANCH", Name: "联合党支部", Load: 2, SharedCommunity: 1, SharedPark: 1},
		{ID: "po-3", Label: cobuild.LabelPartyOrg, Load: 2, SharedCommunity: 1, SharedPark: 1, SharedIndustry: 2},
		{ID: "og-9", Label: cobuild.LabelOrganization, Kind: "COMMUNITY", Name: "城东社区", Load: 2, SharedCommunity: 1},
	})
	// og-3 (og-8, ar-1, in-1) is served by pe-2 (twice, counted once) and po-3.
	//   pe-2: og-8 og-3 → 0; ar-1 og-2, og-3 → 1; in-1 og-3 → 0; load 2 − 1 = 1.
	//   pe-5: ar-1 og-1 → 1; in-1 og-1 → 1; load 1.
	//   po-1: og-8 og-7 → 1; ar-1 og-1, og-2 → 2; in-1 og-1 → 1; load 3.
	//   po-3: og-8 og-3 → 0; ar-1 og-3 → 0; in-1 og-3, og-4 → 1; load 2 − 1 = 1.
	// Its community og-8 is neither in the census nor in the projection: no name, load 0.
	cdCompare(t, "og-3", c.Candidates(p, "og-3"), []cobuild.Candidate{
		{ID: "pe-2", Label: cobuild.LabelPerson, Name: "张三", Load: 1, SharedPark: 1},
		{ID: "pe-5", Label: cobuild.LabelPerson, Load: 1, SharedPark: 1, SharedIndustry: 1},
		{ID: "po-1", Label: cobuild.LabelPartyOrg, Kind: "JOINT_BRANCH", Name: "联合党支部", Load: 3, SharedCommunity: 1, SharedPark: 2, SharedIndustry: 1},
		{ID: "po-3", Label: cobuild.LabelPartyOrg, Load: 1, SharedIndustry: 1},
		{ID: "og-8", Label: cobuild.LabelOrganization, Kind: "COMMUNITY", SharedCommunity: 1},
	})
	// og-4 (og-9, in-1, no park) is served by po-3.
	//   po-1: og-9 og-1, og-2 → 2; in-1 og-1 → 1; load 3.
	//   pe-2: og-9 og-2 → 1; in-1 og-3 → 1; load 2.
	//   po-3: og-9 og-4 → 0; in-1 og-3, og-4 → 1; load 2 − 1 = 1.
	//   pe-5: og-9 og-1 → 1; in-1 og-1 → 1; load 1. (The park ar-1 is not og-4's: no park share.)
	cdCompare(t, "og-4", c.Candidates(p, "og-4"), []cobuild.Candidate{
		{ID: "pe-2", Label: cobuild.LabelPerson, Name: "张三", Load: 2, SharedCommunity: 1, SharedIndustry: 1},
		{ID: "pe-5", Label: cobuild.LabelPerson, Load: 1, SharedCommunity: 1, SharedIndustry: 1},
		{ID: "po-1", Label: cobuild.LabelPartyOrg, Kind: "JOINT_BRANCH", Name: "联合党支部", Load: 3, SharedCommunity: 2, SharedIndustry: 1},
		{ID: "po-3", Label: cobuild.LabelPartyOrg, Load: 1, SharedIndustry: 1},
		{ID: "og-9", Label: cobuild.LabelOrganization, Kind: "COMMUNITY", Name: "城东社区", Load: 2, SharedCommunity: 1},
	})
	// og-7 (og-8 only) is served by po-1: pe-2 and po-3 serve og-3 on og-8's patch.
	cdCompare(t, "og-7", c.Candidates(p, "og-7"), []cobuild.Candidate{
		{ID: "pe-2", Label: cobuild.LabelPerson, Name: "张三", Load: 2, SharedCommunity: 1},
		{ID: "po-3", Label: cobuild.LabelPartyOrg, Load: 2, SharedCommunity: 1},
		{ID: "og-8", Label: cobuild.LabelOrganization, Kind: "COMMUNITY", SharedCommunity: 1},
	})
}

func TestCandidatesOfAnOrganisationWithoutPlaces(t *testing.T) {
	c, p := cdCensus(), cdProjection()
	// og-5 has no community, park or industry: nobody shares anything, and no community.
	got := c.Candidates(p, "og-5")
	if got == nil || len(got) != 0 {
		t.Errorf("og-5: %+v, want an empty, non-nil list", got)
	}
	if got := c.Candidates(p, "og-404"); got != nil {
		t.Errorf("an organisation the census does not hold: %+v, want nil", got)
	}
}

func cdRanked(rs []RankedCandidate) string {
	var s string
	for _, r := range rs {
		s += fmt.Sprintf("%d %s %.4f %d; ", r.Rank, r.ID, r.Score, r.Hops)
	}
	return s
}

func TestRankCandidatesScoresWithTheHopsBestFirst(t *testing.T) {
	c, p := cdCensus(), cdProjection()
	cs := c.Candidates(p, "og-1")
	org, _ := p.Graph.Lookup("og-1")
	if org != 0 {
		t.Fatalf("the premise: og-1 should be node 0, is %d", org)
	}
	// With the default weights (community 3, park 2, industry 2, proximity 2, load 0.02),
	// rounded to hundredths:
	//   pe-2: 3×1/2 + 2×2/2 + 2×1/2 + 2/3 − 0.02×2 = 1.5 + 2 + 1 + 0.6667 − 0.04 = 5.1300, 3 hops
	//   og-9: its own community 3 + 2/1 − 0.04 = 4.96, 1 hop
	//   po-1: 3×1/2 + 2×1/2 + 2/1 − 0.04 = 4.46, 1 hop
	//   po-3: 3×1/2 + 2×1/2 + 2×2/2 − 0.04 = 4.46, not in the projection: no hops
	// po-1 and po-3 tie: by id.
	want := "1 pe-2 5.1300 3; 2 og-9 4.9600 1; 3 po-1 4.4600 1; 4 po-3 4.4600 -1; "
	got := RankCandidates(cobuild.DefaultRules(), p, org, cs, 10)
	if s := cdRanked(got); s != want {
		t.Errorf("ranked:\n got %s\nwant %s", s, want)
	}
	if len(got) != 4 {
		t.Fatalf("%d ranked, want 4", len(got))
	}
	if got[0].Score != 5.13 {
		t.Errorf("pe-2 scores %v, want 5.13 (5.1267 rounded to hundredths)", got[0].Score)
	}
	// pe-2's score has five terms (three shares, the hops, the load), said in both languages.
	if len(got[0].Reasons) != 5 || len(got[0].ReasonLabels) != 5 {
		t.Errorf("pe-2: %d reasons and %d labels, want 5 and 5: %q", len(got[0].Reasons), len(got[0].ReasonLabels), got[0].Reasons)
	}
	if got[0].Candidate != cs[0] {
		t.Errorf("pe-2's candidate: %+v, want %+v", got[0].Candidate, cs[0])
	}
	// The first two only, ranked 1 and 2.
	if s := cdRanked(RankCandidates(cobuild.DefaultRules(), p, org, cs, 2)); s != "1 pe-2 5.1300 3; 2 og-9 4.9600 1; " {
		t.Errorf("first 2: %s", s)
	}
	if s := cdRanked(RankCandidates(cobuild.DefaultRules(), p, org, cs, 4)); s != want {
		t.Errorf("first 4 of 4: %s", s)
	}
	if r := RankCandidates(cobuild.DefaultRules(), p, org, cs, 0); len(r) != 0 {
		t.Errorf("first 0: %s", cdRanked(r))
	}
	// The organisation not in the projection (-1): no hops, no proximity term.
	//   pe-2 1.5 + 2 + 1 − 0.04 = 4.46; po-3 4.46 (a tie, by id); og-9 3 − 0.04 = 2.96;
	//   po-1 1.5 + 1 − 0.04 = 2.46.
	if s := cdRanked(RankCandidates(cobuild.DefaultRules(), p, -1, cs, 10)); s != "1 pe-2 4.4600 -1; 2 po-3 4.4600 -1; 3 og-9 2.9600 -1; 4 po-1 2.4600 -1; " {
		t.Errorf("from outside the projection: %s", s)
	}
	if r := RankCandidates(cobuild.DefaultRules(), p, org, nil, 10); len(r) != 0 {
		t.Errorf("no candidates: %s", cdRanked(r))
	}
}

func TestRankCandidatesCountHopsUpToSix(t *testing.T) {
	// A chain og-0 (node 0, a candidate) – og-1 – ... – og-8 (the organisation asked about):
	// og-0 is 8 hops away, og-2 6 hops (counted), og-1 7 hops (out of reach).
	var nodes []NodeInfo
	var ties []TieInfo
	for i := 0; i <= 8; i++ {
		nodes = append(nodes, NodeInfo{ID: fmt.Sprintf("og-%d", i), Label: cobuild.LabelOrganization})
		if i > 0 {
			ties = append(ties, TieInfo{Type: cobuild.MemberOf, From: fmt.Sprintf("og-%d", i-1), To: fmt.Sprintf("og-%d", i)})
		}
	}
	p := NewProjection(Build(nodes, ties))
	org, _ := p.Graph.Lookup("og-8")
	// Candidates given as communities (label Organization, a flat 3), no load:
	//   og-2 3 + 2/6 = 3.3333 → 3.33, og-7 3 + 2/1 = 5, og-8 itself 0 hops: 3 and no proximity term,
	//   og-1 and og-0 out of reach: 3. Ties at 3 by id.
	cs := []cobuild.Candidate{{ID: "og-0", Label: cobuild.LabelOrganization}, {ID: "og-1", Label: cobuild.LabelOrganization},
		{ID: "og-2", Label: cobuild.LabelOrganization}, {ID: "og-7", Label: cobuild.LabelOrganization}, {ID: "og-8", Label: cobuild.LabelOrganization}}
	want := "1 og-7 5.0000 1; 2 og-2 3.3300 6; 3 og-0 3.0000 -1; 4 og-1 3.0000 -1; 5 og-8 3.0000 0; "
	if s := cdRanked(RankCandidates(cobuild.DefaultRules(), p, org, cs, 10)); s != want {
		t.Errorf("along a chain:\n got %s\nwant %s", s, want)
	}
	// From og-6 (node 6), og-0 (node 0) is 6 hops away: counted even at node 0.
	org, _ = p.Graph.Lookup("og-6")
	if s := cdRanked(RankCandidates(cobuild.DefaultRules(), p, org, cs[:1], 10)); s != "1 og-0 3.3300 6; " {
		t.Errorf("og-0 from og-6: %s, want 6 hops", s)
	}
}
