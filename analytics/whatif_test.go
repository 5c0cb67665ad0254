package analytics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"cobuild"
)

// randomNetwork is a small network of organisations, alliances and people: memberships,
// mentorships between people, and the workplaces of people who are in a mentorship (a
// projection holds work ties only through a mentorship in force).
func randomNetwork(r *rand.Rand) ([]NodeInfo, []TieInfo) {
	var nodes []NodeInfo
	var orgs, hubs, people []string
	for i := 0; i < 1+r.IntN(7); i++ {
		id := fmt.Sprint("og-", i)
		orgs = append(orgs, id)
		nodes = append(nodes, NodeInfo{ID: id, Label: cobuild.LabelOrganization})
	}
	for i := 0; i < r.IntN(3); i++ {
		id := fmt.Sprint("al-", i)
		hubs = append(hubs, id)
		nodes = append(nodes, NodeInfo{ID: id, Label: cobuild.LabelAlliance})
	}
	for i := 0; i < r.IntN(6); i++ {
		id := fmt.Sprint("pe-", i)
		people = append(people, id)
		nodes = append(nodes, NodeInfo{ID: id, Label: cobuild.LabelPerson})
	}
	pick := func(ids []string) string { return ids[r.IntN(len(ids))] }
	var ties []TieInfo
	if len(hubs) > 0 {
		for i := 0; i < r.IntN(2*len(orgs)+1); i++ {
			ties = append(ties, TieInfo{Type: cobuild.MemberOf, From: pick(orgs), To: pick(hubs)})
		}
	}
	mentored := map[string]bool{}
	if len(people) > 1 {
		for i := 0; i < r.IntN(2*len(people)); i++ {
			a, b := pick(people), pick(people)
			if a == b {
				continue
			}
			ties = append(ties, TieInfo{Type: cobuild.Mentors, From: a, To: b})
			mentored[a], mentored[b] = true, true
		}
	}
	for _, p := range people {
		if mentored[p] {
			for i := 0; i < 1+r.IntN(2); i++ {
				ties = append(ties, TieInfo{Type: cobuild.WorksAt, From: p, To: pick(orgs)})
			}
		}
	}
	return nodes, ties
}

// unionFind components of ids under ties, by id.
func componentsOf(ids []string, ties []TieInfo) map[string]string {
	parent := map[string]string{}
	for _, id := range ids {
		parent[id] = id
	}
	var find func(string) string
	find = func(x string) string {
		for parent[x] != x {
			x = parent[x]
		}
		return x
	}
	for _, t := range ties {
		parent[find(t.From)] = find(t.To)
	}
	out := map[string]string{}
	for _, id := range ids {
		out[id] = find(id)
	}
	return out
}

// What removing a node does, against the network rebuilt by the rule itself: the node
// and its ties go, and a person left in no mentorship no longer ties in a workplace.
// Islands after, the newly isolated organisations and the split of the node's island
// (sizes, largest first) must agree.
func TestRemovalWithMentorsAgreesWithRebuilding(t *testing.T) {
	r := rand.New(rand.NewPCG(86, 2025))
	mentorCases, splitCases := 0, 0
	for trial := 0; trial < 3000; trial++ {
		nodes, ties := randomNetwork(r)
		g, ns, ts := Build(nodes, ties)
		p := NewProjection(g, ns, ts)
		x := r.IntN(g.Nodes())
		gone := ns[x].ID
		got := p.Remove(x)

		// The rebuilt network.
		var ids []string
		for _, n := range ns {
			if n.ID != gone {
				ids = append(ids, n.ID)
			}
		}
		inMentorship := map[string]bool{}
		var kept []TieInfo
		for _, tie := range ts {
			if tie.From == gone || tie.To == gone {
				continue
			}
			if tie.Type == cobuild.Mentors {
				inMentorship[tie.From], inMentorship[tie.To] = true, true
			}
			kept = append(kept, tie)
		}
		var rebuilt []TieInfo
		for _, tie := range kept {
			if tie.Type == cobuild.WorksAt && !inMentorship[tie.From] {
				mentorCases++
				continue
			}
			rebuilt = append(rebuilt, tie)
		}
		after := componentsOf(ids, rebuilt)
		roots := map[string]bool{}
		for _, root := range after {
			roots[root] = true
		}
		if got.IslandsAfter != len(roots) {
			t.Fatalf("trial %d, without %s: %d islands, rebuilt %d", trial, gone, got.IslandsAfter, len(roots))
		}

		allIDs := append(slices.Clone(ids), gone)
		before := componentsOf(allIDs, ts)
		hasTie := func(id string, ties []TieInfo) bool {
			for _, tie := range ties {
				if (tie.From == id) != (tie.To == id) {
					return true
				}
			}
			return false
		}
		var wantIsolated []string
		parts := map[string]int{}
		for _, id := range ids {
			if before[id] != before[gone] {
				continue
			}
			parts[after[id]]++
			if id[:3] == "og-" && hasTie(id, ts) && !hasTie(id, rebuilt) {
				wantIsolated = append(wantIsolated, id)
			}
		}
		var gotIsolated []string
		for _, n := range got.NewlyIsolated {
			gotIsolated = append(gotIsolated, ns[n].ID)
		}
		slices.Sort(gotIsolated)
		slices.Sort(wantIsolated)
		if !slices.Equal(gotIsolated, wantIsolated) {
			t.Fatalf("trial %d, without %s: newly isolated %v, rebuilt %v", trial, gone, gotIsolated, wantIsolated)
		}
		wantSplit := []int{}
		for _, size := range parts {
			wantSplit = append(wantSplit, size)
		}
		slices.SortFunc(wantSplit, func(a, b int) int { return b - a })
		if !slices.Equal(got.Split, wantSplit) {
			t.Fatalf("trial %d, without %s: split %v, rebuilt %v", trial, gone, got.Split, wantSplit)
		}
		if len(wantSplit) > 1 {
			splitCases++
		}
	}
	// The trials must have exercised what they check.
	if mentorCases < 100 || splitCases < 100 {
		t.Fatalf("only %d work ties dropped with a mentorship and %d islands split", mentorCases, splitCases)
	}
}

// A hand-drawn case: mentor pe-1 mentors pe-2, who works at og-b; og-b is tied to the
// network only through that. Removing the mentor isolates og-b and splits the island
// {pe-1, pe-2, og-a, og-b, al-1} into {og-a, al-1} (pe-1's workplace's alliance),
// {pe-2} and {og-b}.
func TestRemovingAMentorDropsTheMenteesWorkplace(t *testing.T) {
	nodes := []NodeInfo{
		{ID: "og-a", Label: cobuild.LabelOrganization}, {ID: "og-b", Label: cobuild.LabelOrganization},
		{ID: "al-1", Label: cobuild.LabelAlliance},
		{ID: "pe-1", Label: cobuild.LabelPerson}, {ID: "pe-2", Label: cobuild.LabelPerson},
	}
	ties := []TieInfo{
		{Type: cobuild.MemberOf, From: "og-a", To: "al-1"},
		{Type: cobuild.Mentors, From: "pe-1", To: "pe-2"},
		{Type: cobuild.WorksAt, From: "pe-1", To: "og-a"},
		{Type: cobuild.WorksAt, From: "pe-2", To: "og-b"},
	}
	g, ns, ts := Build(nodes, ties)
	p := NewProjection(g, ns, ts)
	mentor, _ := g.Lookup("pe-1")
	got := p.Remove(mentor)
	if got.IslandsBefore != 1 || got.IslandsAfter != 3 {
		t.Errorf("islands %d -> %d, want 1 -> 3", got.IslandsBefore, got.IslandsAfter)
	}
	if !slices.Equal(got.Split, []int{2, 1, 1}) {
		t.Errorf("split %v, want [2 1 1]", got.Split)
	}
	if len(got.NewlyIsolated) != 1 || ns[got.NewlyIsolated[0]].ID != "og-b" {
		t.Errorf("newly isolated %v, want [og-b]", got.NewlyIsolated)
	}
}
