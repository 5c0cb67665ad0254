package analytics

import (
	"slices"
	"strings"

	"cobuild"
)

// The patches below derive the snapshot of a graph that changed in a few places from the
// snapshot before the change, without reading the whole graph again: the rows and ties of
// the organisations and nodes a change touched are read again, and everything else is
// kept. A snapshot is never changed: each patch returns a new one, sharing what did not
// change, so that readers of the old one are not disturbed. Tests hold every patch to a
// snapshot built afresh.

// PatchPlaces returns the places with some rows replaced (by id) or added. The indexes
// are shared when no row moved in them (its name, kind, area, park, community and
// industry are as they were) and none was added; otherwise they are built again.
func PatchPlaces(p *Places, changed []cobuild.CensusRow) *Places {
	changed = slices.DeleteFunc(slices.Clone(changed), func(r cobuild.CensusRow) bool {
		i, ok := p.index[r.ID]
		return ok && samePlace(p.Rows[i], r)
	})
	if len(changed) == 0 {
		// Most changes are of ties, not of what an organisation is: the places are shared.
		return p
	}
	rows := slices.Clone(p.Rows)
	reindex := false
	for _, r := range changed {
		i, ok := p.index[r.ID]
		if !ok {
			rows = append(rows, r)
			reindex = true
			continue
		}
		old := rows[i]
		if old.Name != r.Name || old.Kind != r.Kind || old.AreaID != r.AreaID || old.AreaParentID != r.AreaParentID ||
			old.ParkID != r.ParkID || old.CommunityID != r.CommunityID || old.IndustryID != r.IndustryID {
			reindex = true
		}
		rows[i] = r
	}
	if reindex {
		// Rows keep their numbers, new ones come last: the order of a fresh read, by id,
		// since new ids are the largest.
		return NewPlaces(rows)
	}
	q := *p
	q.Rows = rows
	return &q
}

// PatchCensus returns the census of a day over patched places, with the facts of some
// organisations read again (facts holds those that have any; an id absent from it has
// none). Rows added to the places are computed too. Every other row's coverage is shared
// with the old census.
func PatchCensus(rules cobuild.Rules, old *Census, places *Places, ids []string, facts map[string]*cobuild.DayFacts) *Census {
	setCov, setCoverers, setFacts := map[int]cobuild.Coverage{}, map[int][]string{}, map[int]cobuild.CoverageFacts{}
	for _, id := range ids {
		if i, ok := places.Row(id); ok && i < old.Coverage.Len() {
			setCov[i], setCoverers[i], setFacts[i] = coverageOf(rules, places.Rows[i], facts[id])
		}
	}
	var addCov []cobuild.Coverage
	var addCoverers [][]string
	var addFacts []cobuild.CoverageFacts
	for i := old.Coverage.Len(); i < len(places.Rows); i++ {
		cov, coverers, f := coverageOf(rules, places.Rows[i], facts[places.Rows[i].ID])
		addCov, addCoverers, addFacts = append(addCov, cov), append(addCoverers, coverers), append(addFacts, f)
	}
	return newCensus(places, Coverages{old.Coverage.v.with(setCov, addCov)}, old.coverers.with(setCoverers, addCoverers),
		old.facts.with(setFacts, addFacts))
}

// PatchProjection returns the projection with the ties at the touched nodes replaced by
// ties, read again for them (those of the projection's types in force on its day with an
// end among the touched), and the organisations among infos (read again) updated or
// added; infos also names the other ends of ties. Only the lists of ties of the nodes
// concerned are copied; the islands, cuts and betweenness are computed anew when asked.
// A node other than an organisation that no tie reaches any more would be absent from a
// fresh build: then, and when patches have added many nodes, the projection is built
// again in memory from its ties instead.
func PatchProjection(old *Projection, touched []string, infos []NodeInfo, ties []TieInfo) *Projection {
	g := old.Graph
	info := make(map[string]NodeInfo, len(infos))
	for _, n := range infos {
		info[n.ID] = n
	}
	remove := map[int]bool{}
	for _, id := range touched {
		if v, ok := g.Lookup(id); ok {
			for _, h := range g.adjAt(v) {
				remove[h.tie] = true
			}
		}
	}
	// The nodes to add: organisations read again that the graph lacks, and the ends of
	// the new ties.
	var ids []string
	var added []NodeInfo
	number := map[string]int{}
	node := func(id string) int {
		if v, ok := g.Lookup(id); ok {
			return v
		}
		if v, ok := number[id]; ok {
			return v
		}
		v := g.Nodes() + len(ids)
		number[id] = v
		ids = append(ids, id)
		n, ok := info[id]
		if !ok {
			n = NodeInfo{ID: id}
		}
		added = append(added, n)
		return v
	}
	var orgs []string
	for _, n := range infos {
		if _, ok := g.Lookup(n.ID); !ok && n.Label == cobuild.LabelOrganization {
			orgs = append(orgs, n.ID)
		}
	}
	slices.Sort(orgs)
	for _, id := range orgs {
		node(id)
	}
	add := make([][2]int, 0, len(ties))
	for _, t := range ties {
		add = append(add, [2]int{node(t.From), node(t.To)})
	}
	if len(g.extra)+len(ids) > maxPatchedNodes || len(g.dead)+len(remove) > maxPatchedNodes {
		return rebuilt(old, touched, infos, ties)
	}
	ng := g.patched(remove, ids, add)
	// A node other than an organisation left without ties leaves a fresh build.
	for t := range remove {
		a, b := g.Ends(t)
		for _, v := range []int{a, b} {
			if ng.Degree(v) == 0 && old.Nodes[v].Label != cobuild.LabelOrganization {
				return rebuilt(old, touched, infos, ties)
			}
		}
	}
	nodes := old.Nodes
	for _, id := range touched {
		if v, ok := g.Lookup(id); ok {
			if n, ok := info[id]; ok && n.Label == cobuild.LabelOrganization && n != nodes[v] {
				if len(nodes) == len(old.Nodes) && &nodes[0] == &old.Nodes[0] {
					nodes = slices.Clone(old.Nodes)
				}
				nodes[v] = n
			}
		}
	}
	out := NewProjection(ng, append(nodes, added...), append(old.Ties, ties...))
	// The ties counted per row change only at the ends of the ties removed and added.
	var ends []int
	for t := range remove {
		a, b := g.Ends(t)
		ends = append(ends, a, b)
	}
	for _, e := range add {
		ends = append(ends, e[0], e[1])
	}
	old.mu.Lock()
	defer old.mu.Unlock()
	for places, d := range old.degrees {
		nd := slices.Clone(d)
		for _, v := range ends {
			if row, ok := places.Row(ng.ID(v)); ok {
				nd[row] = int32(ng.Degree(v))
			}
		}
		if out.degrees == nil {
			out.degrees = map[*Places][]int32{}
		}
		out.degrees[places] = nd
	}
	return out
}

// maxPatchedNodes is how many nodes and ties patches may add and remove before the
// projection is built again, so that the overlay of new ids and the removed ties stay
// small.
const maxPatchedNodes = 4096

// rebuilt is the patched projection built again in memory from its live ties.
func rebuilt(old *Projection, touched []string, infos []NodeInfo, ties []TieInfo) *Projection {
	hit := make(map[string]bool, len(touched))
	for _, id := range touched {
		hit[id] = true
	}
	info := make(map[string]NodeInfo, len(infos))
	for _, n := range infos {
		info[n.ID] = n
	}
	kept := make([]TieInfo, 0, len(old.Ties)+len(ties))
	for t, ti := range old.Ties {
		if !old.Graph.Dead(t) && !hit[ti.From] && !hit[ti.To] {
			kept = append(kept, ti)
		}
	}
	kept = append(kept, ties...)
	nodes := make([]NodeInfo, 0, len(old.Nodes)+len(infos))
	seen := make(map[string]bool, len(old.Nodes))
	for _, n := range old.Nodes {
		if n.Label != cobuild.LabelOrganization {
			continue
		}
		if m, ok := info[n.ID]; ok {
			n = m
		}
		nodes = append(nodes, n)
		seen[n.ID] = true
	}
	var added []NodeInfo
	for _, n := range infos {
		if n.Label == cobuild.LabelOrganization && !seen[n.ID] {
			added = append(added, n)
			seen[n.ID] = true
		}
	}
	slices.SortFunc(added, func(a, b NodeInfo) int { return strings.Compare(a.ID, b.ID) })
	nodes = append(nodes, added...)
	oldInfo := func(id string) NodeInfo {
		if n, ok := info[id]; ok {
			return n
		}
		if v, ok := old.Graph.Lookup(id); ok {
			return old.Nodes[v]
		}
		return NodeInfo{ID: id}
	}
	for _, t := range kept {
		for _, id := range []string{t.From, t.To} {
			if !seen[id] {
				seen[id] = true
				nodes = append(nodes, oldInfo(id))
			}
		}
	}
	return NewProjection(Build(nodes, kept))
}

// samePlace says whether two rows agree on everything the places hold.
func samePlace(a, b cobuild.CensusRow) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Sector == b.Sector && a.Headcount == b.Headcount &&
		a.PartyMembers == b.PartyMembers && a.AboveScale == b.AboveScale && a.Operating == b.Operating &&
		a.AreaID == b.AreaID && a.AreaParentID == b.AreaParentID && a.ParkID == b.ParkID && a.CommunityID == b.CommunityID &&
		a.IndustryID == b.IndustryID
}
