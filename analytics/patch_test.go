package analytics

import (
	"fmt"
	"slices"
	"testing"

	"cobuild"
)

// synthetic returns n organisations in 20 towns, each tied to one of n/50 alliances.
func synthetic(n int) ([]cobuild.CensusRow, []NodeInfo, []TieInfo) {
	rows := make([]cobuild.CensusRow, n)
	var nodes []NodeInfo
	var ties []TieInfo
	for i := range rows {
		id := fmt.Sprintf("og-%07d", i)
		rows[i] = cobuild.CensusRow{ID: id, Name: fmt.Sprintf("企业%07d", n-i), Kind: cobuild.OrgEnterprise, Sector: cobuild.SectorEnterprise,
			AreaID: fmt.Sprintf("ar-%06d", i%20), AreaParentID: "ar-000100"}
		rows[i].Facts.Sector = rows[i].Sector
		nodes = append(nodes, NodeInfo{ID: id, Label: cobuild.LabelOrganization, Kind: "ENTERPRISE", Name: rows[i].Name})
		if i%3 != 0 {
			ties = append(ties, TieInfo{Type: cobuild.MemberOf, From: id, To: fmt.Sprintf("al-%06d", i%(n/50+1))})
		}
	}
	return rows, nodes, ties
}

// TestPatchesEqualFreshBuilds holds the patches to snapshots built afresh from the
// changed material: a row's facts and place changed, a new organisation, a tie gone and
// one added.
func TestPatchesEqualFreshBuilds(t *testing.T) {
	rules := cobuild.DefaultRules()
	rows, nodes, ties := synthetic(500)
	places := NewPlaces(rows)
	census := NewCensus(rules, places, rows)
	proj := NewProjection(Build(nodes, ties))

	moved := rows[7]
	moved.Name, moved.AreaID = "改名", "ar-000003"
	added := cobuild.CensusRow{ID: "og-9999999", Name: "新企业", Kind: cobuild.OrgEnterprise, Sector: cobuild.SectorEnterprise, AreaID: "ar-000001"}
	facts := map[string]*cobuild.DayFacts{rows[7].ID: {Facts: cobuild.CoverageFacts{Instructors: 1, JointTies: 1}, Coverers: []string{"pe-000001"}}}
	newPlaces := PatchPlaces(places, []cobuild.CensusRow{moved, added})
	got := PatchCensus(rules, census, newPlaces, []string{rows[7].ID, added.ID}, facts)

	want := append(append([]cobuild.CensusRow{}, rows...), added)
	want[7] = moved
	want[7].Facts, want[7].Coverers = facts[rows[7].ID].Facts, facts[rows[7].ID].Coverers
	for i := range want {
		want[i].Facts.PartyMembers, want[i].Facts.Sector = want[i].PartyMembers, want[i].Sector
	}
	fresh := NewCensus(rules, NewPlaces(want), want)
	if len(got.Rows) != len(fresh.Rows) {
		t.Fatalf("%d rows, want %d", len(got.Rows), len(fresh.Rows))
	}
	place := func(r cobuild.CensusRow) string {
		r.Facts, r.Coverers = cobuild.CoverageFacts{}, nil
		return fmt.Sprint(r)
	}
	for i := range fresh.Rows {
		if place(got.Rows[i]) != place(fresh.Rows[i]) || got.Coverage.At(i) != fresh.Coverage.At(i) || got.ByName[i] != fresh.ByName[i] ||
			!slices.Equal(got.CoverersOf(i), fresh.CoverersOf(i)) {
			t.Fatalf("row %d: %+v %+v %v, want %+v %+v %v", i, got.Rows[i], got.Coverage.At(i), got.CoverersOf(i), fresh.Rows[i], fresh.Coverage.At(i), fresh.CoverersOf(i))
		}
	}
	if i, _ := got.Row(added.ID); i != len(rows) {
		t.Errorf("the new organisation is row %d", i)
	}

	// 甲 leaves its alliance and joins another; a new organisation joins one.
	a := rows[1].ID
	newTies := []TieInfo{{Type: cobuild.MemberOf, From: a, To: "al-000999"}, {Type: cobuild.MemberOf, From: added.ID, To: "al-000001"}}
	proj.DegreesOf(places)
	p := PatchProjection(proj, []string{a, added.ID}, []NodeInfo{{ID: a, Label: cobuild.LabelOrganization, Name: "甲"},
		{ID: added.ID, Label: cobuild.LabelOrganization, Name: added.Name}, {ID: "al-000999", Label: cobuild.LabelAlliance}, {ID: "al-000001", Label: cobuild.LabelAlliance}}, newTies)
	var freshTies []TieInfo
	for _, t := range ties {
		if t.From != a {
			freshTies = append(freshTies, t)
		}
	}
	freshTies = append(freshTies, newTies...)
	fp := NewProjection(Build(append(nodes, NodeInfo{ID: added.ID, Label: cobuild.LabelOrganization}), freshTies))
	if p.Graph.Nodes() != fp.Graph.Nodes() || p.Graph.LiveTies() != fp.Graph.LiveTies() || p.Islands().Count != fp.Islands().Count {
		t.Errorf("patched: %d nodes, %d ties, %d islands; fresh %d, %d, %d", p.Graph.Nodes(), p.Graph.LiveTies(), p.Islands().Count,
			fp.Graph.Nodes(), fp.Graph.LiveTies(), fp.Islands().Count)
	}
	// The ties per row, counted on the old network before the patch, are carried over.
	if p.degrees[places] == nil {
		t.Error("the ties per row were not carried over to the patched network")
	}
	if got, want := p.DegreesOf(places), fp.DegreesOf(places); !slices.Equal(got, want) {
		t.Errorf("degrees carried over differ from a fresh count")
	}
	if v, ok := p.Graph.Lookup(a); !ok || p.Nodes[v].Name != "甲" || p.Graph.Degree(v) != 1 {
		t.Errorf("甲 in the patched network: %v %+v", ok, p.Nodes[v])
	}

	// 甲 leaves al-000999 again, its only member: the alliance leaves the network, which a
	// patch of the tie lists cannot say, so the network is built again from its live ties.
	q := PatchProjection(p, []string{a}, []NodeInfo{{ID: a, Label: cobuild.LabelOrganization, Name: "甲"}}, nil)
	var qTies []TieInfo
	for _, t := range freshTies {
		if t.From != a {
			qTies = append(qTies, t)
		}
	}
	fq := NewProjection(Build(append(nodes, NodeInfo{ID: added.ID, Label: cobuild.LabelOrganization}), qTies))
	if _, ok := q.Graph.Lookup("al-000999"); ok {
		t.Error("an alliance without ties stays in the network")
	}
	if q.Graph.Nodes() != fq.Graph.Nodes() || q.Graph.LiveTies() != fq.Graph.LiveTies() || q.Islands().Count != fq.Islands().Count ||
		q.Graph.Ties() != q.Graph.LiveTies() {
		t.Errorf("rebuilt: %d nodes, %d ties (%d numbers), %d islands; fresh %d, %d, %d", q.Graph.Nodes(), q.Graph.LiveTies(), q.Graph.Ties(),
			q.Islands().Count, fq.Graph.Nodes(), fq.Graph.LiveTies(), fq.Islands().Count)
	}
	if v, ok := q.Graph.Lookup(a); !ok || q.Graph.Degree(v) != 0 || q.Nodes[v].Name != "甲" {
		t.Errorf("甲 after leaving: %v", ok)
	}
	if v, ok := q.Graph.Lookup(added.ID); !ok || q.Nodes[v].Name != added.Name {
		t.Errorf("the new organisation after the rebuild: %v %+v", ok, q.Nodes)
	}
}

// The in-memory part of applying one change at 50× (750,000 organisations, 500,000
// ties): the census and the network.
func BenchmarkPatchCensus50x(b *testing.B) {
	rules := cobuild.DefaultRules()
	rows, _, _ := synthetic(750_000)
	places := NewPlaces(rows)
	census := NewCensus(rules, places, rows)
	changed := []cobuild.CensusRow{rows[10]}
	facts := map[string]*cobuild.DayFacts{rows[10].ID: {Facts: cobuild.CoverageFacts{Instructors: 1}}}
	b.ResetTimer()
	for b.Loop() {
		p := PatchPlaces(places, changed)
		census = PatchCensus(rules, census, p, []string{rows[10].ID}, facts)
	}
}

func BenchmarkPatchProjection50x(b *testing.B) {
	_, nodes, ties := synthetic(750_000)
	proj := NewProjection(Build(nodes, ties))
	id := nodes[10].ID
	newTies := []TieInfo{{Type: cobuild.MemberOf, From: id, To: "al-000001"}}
	b.ResetTimer()
	for b.Loop() {
		proj = PatchProjection(proj, []string{id}, []NodeInfo{nodes[10], {ID: "al-000001", Label: cobuild.LabelAlliance}}, newTies)
	}
}

// What the first read after a change computes again on the new snapshot at 50×: the
// islands of the network and the coverer index of the census.
func BenchmarkFirstReadAfterPatch50x(b *testing.B) {
	rules := cobuild.DefaultRules()
	rows, nodes, ties := synthetic(750_000)
	places := NewPlaces(rows)
	census := NewCensus(rules, places, rows)
	proj := NewProjection(Build(nodes, ties))
	b.Run("islands", func(b *testing.B) {
		for b.Loop() {
			NewProjection(proj.Graph, proj.Nodes, proj.Ties).Islands()
		}
	})
	b.Run("degrees", func(b *testing.B) {
		for b.Loop() {
			NewProjection(proj.Graph, proj.Nodes, proj.Ties).DegreesOf(places)
		}
	})
	b.Run("coverers", func(b *testing.B) {
		for b.Loop() {
			newCensus(census.Places, census.Coverage, census.coverers, census.facts).covers()
		}
	})
}
