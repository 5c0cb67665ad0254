package analytics

import (
	"slices"
	"testing"

	"cobuild"
)

// keepOnly keeps the ids given.
func keepOnly(ids ...string) func(string) bool {
	return func(id string) bool { return slices.Contains(ids, id) }
}

func rowIDs(p *Places, rows []int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = p.Rows[r].ID
	}
	return out
}

func TestPlacesWithinKeepTheOrderAndForgetCommunitiesOutside(t *testing.T) {
	rows := []cobuild.CensusRow{
		{ID: "og-1", Name: "丙", AreaID: "ar-2", AreaParentID: "ar-1", CommunityID: "og-9"},
		{ID: "og-2", Name: "甲", AreaID: "ar-3", AreaParentID: "ar-1", CommunityID: "og-8"},
		{ID: "og-3", Name: "乙", AreaID: "ar-2", AreaParentID: "ar-1", CommunityID: "og-8"},
		{ID: "og-4", Name: "甲", AreaID: "ar-2", AreaParentID: "ar-1", ParkID: "ar-5"},
		{ID: "og-9", Name: "丁", Kind: cobuild.OrgCommunity, AreaID: "ar-2", AreaParentID: "ar-1"},
	}
	whole := NewPlaces(rows)
	in := whole.Within(keepOnly("og-1", "og-3", "og-4", "og-9"))
	if got := rowIDs(in, []int{0, 1, 2, 3}); !slices.Equal(got, []string{"og-1", "og-3", "og-4", "og-9"}) || len(in.Rows) != 4 {
		t.Fatalf("rows within: %v (%d), want og-1, og-3, og-4, og-9 in the whole's order", got, len(in.Rows))
	}
	// The order by name is the one a sort of the kept rows gives: 甲 og-4, 乙 og-3, 丙 og-1, 丁 og-9.
	sorted := NewPlaces(slices.Clone(in.Rows))
	if got, want := rowIDs(in, in.ByName), rowIDs(sorted, sorted.ByName); !slices.Equal(got, want) {
		t.Errorf("by name within: %v, a sort of the kept rows gives %v", got, want)
	}
	for _, c := range []struct {
		name      string
		community string
	}{{"og-1", "og-9"}, {"og-3", ""}, {"og-4", ""}} {
		i, ok := in.Row(c.name)
		if !ok || in.Rows[i].CommunityID != c.community {
			t.Errorf("%s within: community %q, want %q (og-8 is outside)", c.name, in.Rows[i].CommunityID, c.community)
		}
	}
	if _, ok := in.Row("og-2"); ok {
		t.Error("og-2 is outside, yet within has its row")
	}
	for _, c := range []struct {
		name string
		f    cobuild.OrgFilter
		want []string
	}{
		{"a town", cobuild.OrgFilter{AreaID: "ar-2"}, []string{"og-1", "og-3", "og-4", "og-9"}},
		{"another town", cobuild.OrgFilter{AreaID: "ar-3"}, nil},
		{"the district", cobuild.OrgFilter{AreaID: "ar-1"}, []string{"og-1", "og-3", "og-4", "og-9"}},
		{"a community in scope", cobuild.OrgFilter{CommunityID: "og-9"}, []string{"og-1"}},
		{"a community outside", cobuild.OrgFilter{CommunityID: "og-8"}, nil},
		{"a park", cobuild.OrgFilter{ParkID: "ar-5"}, []string{"og-4"}},
	} {
		if got := rowIDs(in, Select(in, nil, c.f)); !slices.Equal(got, c.want) {
			t.Errorf("select %s within: %v, want %v", c.name, got, c.want)
		}
	}
	if len(whole.Rows) != 5 || whole.Rows[1].CommunityID != "og-8" {
		t.Error("Within changed the whole's places")
	}
}

func TestCensusWithinKeepsEachRowsCoverageAndCountsCoverersWithin(t *testing.T) {
	c := cdCensus()
	// og-2 and og-7 outside: po-1 then serves og-1 alone, pe-2 og-3 alone.
	in := c.Within(c.Places.Within(keepOnly("og-1", "og-3", "og-4", "og-5", "og-9")))
	if len(in.Rows) != 5 || in.Coverage.Len() != 5 {
		t.Fatalf("%d rows and %d coverages within, want 5", len(in.Rows), in.Coverage.Len())
	}
	for i, r := range in.Rows {
		j, _ := c.Row(r.ID)
		if in.Coverage.At(i) != c.Coverage.At(j) || !slices.Equal(in.CoverersOf(i), c.CoverersOf(j)) {
			t.Errorf("%s within: coverage %+v coverers %v, the whole's %+v %v", r.ID, in.Coverage.At(i), r.Coverers, c.Coverage.At(j), c.Rows[j].Coverers)
		}
	}
	// og-1 (og-9, ar-1, in-1), served by po-1 and pe-5:
	//   pe-2: og-9 -; ar-1 og-3 → 1; in-1 og-3 → 1; load 1 (og-3).
	//   po-3: og-9 og-4 → 1; ar-1 og-3 → 1; in-1 og-3, og-4 → 2; load 2.
	//   po-1: serves og-1 alone within: no candidate.
	// Its community og-9 is within; og-2's co-building with it is not.
	p := cdProjection().Within(keepOnly("og-1", "og-9", "po-1", "pe-2"))
	cdCompare(t, "og-1 within", in.Candidates(p, "og-1"), []cobuild.Candidate{
		{ID: "pe-2", Label: cobuild.LabelPerson, Name: "张三", Load: 1, SharedPark: 1, SharedIndustry: 1},
		{ID: "po-3", Label: cobuild.LabelPartyOrg, Load: 2, SharedCommunity: 1, SharedPark: 1, SharedIndustry: 2},
		{ID: "og-9", Label: cobuild.LabelOrganization, Kind: "COMMUNITY", Name: "城东社区", Load: 1, SharedCommunity: 1},
	})
	// og-3's community og-8 is outside: no community, and nobody shares one with it.
	for _, cand := range in.Candidates(p, "og-3") {
		if cand.ID == "og-8" || cand.SharedCommunity != 0 {
			t.Errorf("og-3 within: candidate %+v names or shares a community outside", cand)
		}
	}
}

func TestProjectionWithinIsTheProjectionOfTheNodesKept(t *testing.T) {
	whole := drawn(t)
	// Every other organisation, with every other node: islands, cuts and chains of the
	// projection within are those of a projection built from the kept nodes and ties alone.
	var keep []string
	for i, n := range whole.Nodes {
		if n.Label != cobuild.LabelOrganization || i%2 == 0 {
			keep = append(keep, n.ID)
		}
	}
	in := whole.Within(keepOnly(keep...))
	var nodes []NodeInfo
	for _, n := range whole.Nodes {
		if slices.Contains(keep, n.ID) {
			nodes = append(nodes, n)
		}
	}
	var ties []TieInfo
	for _, ti := range whole.Ties {
		if slices.Contains(keep, ti.From) && slices.Contains(keep, ti.To) {
			ties = append(ties, ti)
		}
	}
	want := NewProjection(Build(nodes, ties))
	if in.Graph.Nodes() != want.Graph.Nodes() || in.Graph.Ties() != want.Graph.Ties() || in.Graph.Ties() >= whole.Graph.Ties() {
		t.Fatalf("within: %d nodes %d ties; built from the kept: %d, %d; whole %d ties",
			in.Graph.Nodes(), in.Graph.Ties(), want.Graph.Nodes(), want.Graph.Ties(), whole.Graph.Ties())
	}
	for i := range in.Nodes {
		if in.Nodes[i] != want.Nodes[i] {
			t.Errorf("node %d within %+v, built %+v", i, in.Nodes[i], want.Nodes[i])
		}
	}
	if a, b := in.IslandList(100, 1), want.IslandList(100, 1); len(a) != len(b) {
		t.Errorf("%d islands within, %d built from the kept", len(a), len(b))
	}
	if a, b := in.IsolatedOrganizations(), want.IsolatedOrganizations(); a != b {
		t.Errorf("%d isolated within, %d built from the kept", a, b)
	}
	if a, b := len(in.BridgeList(100)), len(want.BridgeList(100)); a != b {
		t.Errorf("%d bridges within, %d built from the kept", a, b)
	}
	for _, n := range in.Nodes {
		if !slices.Contains(keep, n.ID) {
			t.Errorf("%s is not kept, yet within holds it", n.ID)
		}
	}
	if whole.Graph.Nodes() != len(whole.Nodes) {
		t.Error("Within changed the whole projection")
	}
}
