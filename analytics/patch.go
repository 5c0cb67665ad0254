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
	if len(changed) == 0 {
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
// none). Rows added to the places start without facts unless given.
func PatchCensus(rules cobuild.Rules, old *Census, places *Places, ids []string, facts map[string]*cobuild.DayFacts) *Census {
	rows := slices.Clone(old.Rows)
	coverage := slices.Clone(old.Coverage)
	redo := func(i int) {
		r := places.Rows[i]
		if f, ok := facts[r.ID]; ok {
			r.Facts, r.Coverers = f.Facts, f.Coverers
		} else {
			r.Facts, r.Coverers = cobuild.CoverageFacts{}, nil
		}
		r.Facts.PartyMembers, r.Facts.Sector = r.PartyMembers, r.Sector
		rows[i] = r
		coverage[i] = rules.CoverageOf(r.Facts)
	}
	for i := len(rows); i < len(places.Rows); i++ {
		rows = append(rows, cobuild.CensusRow{})
		coverage = append(coverage, cobuild.Coverage{})
		redo(i)
	}
	for _, id := range ids {
		if i, ok := places.Row(id); ok {
			redo(i)
		}
	}
	return newCensus(places, rows, coverage)
}

// PatchProjection returns the projection with the ties at the touched nodes replaced by
// ties, read again for them (those of the projection's types in force on its day with an
// end among the touched), and the organisations among infos (read again) updated or
// added; infos also names the other ends of ties. A node other than an organisation that
// no tie reaches any more leaves the projection, as it would from a fresh build.
func PatchProjection(old *Projection, touched []string, infos []NodeInfo, ties []TieInfo) *Projection {
	hit := make(map[string]bool, len(touched))
	for _, id := range touched {
		hit[id] = true
	}
	info := make(map[string]NodeInfo, len(infos))
	for _, n := range infos {
		info[n.ID] = n
	}
	kept := make([]TieInfo, 0, len(old.Ties)+len(ties))
	for _, t := range old.Ties {
		if !hit[t.From] && !hit[t.To] {
			kept = append(kept, t)
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
