package analytics

import (
	"cobuild"
)

// The in-memory snapshots narrowed to a scope (an area officer's part of the graph): the
// lists, aggregates and network answers computed over them are computed over the scope,
// with the same functions as over the whole graph.

// Within returns the places of the organisations keep keeps, in the same order, indexed
// anew. A kept organisation's community is left out (as if it had none) when keep does not
// keep the community, so that nothing outside is named or grouped by.
func (p *Places) Within(keep func(id string) bool) *Places {
	renumber := make([]int, len(p.Rows))
	var rows []cobuild.CensusRow
	for i, r := range p.Rows {
		renumber[i] = -1
		if !keep(r.ID) {
			continue
		}
		if r.CommunityID != "" && !keep(r.CommunityID) {
			r.CommunityID = ""
		}
		renumber[i] = len(rows)
		rows = append(rows, r)
	}
	// The order by name is the whole's, less the rows left out: no sort again.
	byName := make([]int, 0, len(rows))
	for _, row := range p.ByName {
		if n := renumber[row]; n >= 0 {
			byName = append(byName, n)
		}
	}
	return indexPlaces(rows, byName)
}

// Within returns the census of the rows of places, which Within made from the census's
// own places: the same coverage of each, over fewer rows (their communities as places
// has them).
func (c *Census) Within(places *Places) *Census {
	rows := make([]cobuild.CensusRow, len(places.Rows))
	coverage := make([]cobuild.Coverage, len(places.Rows))
	coverers := make([][]string, len(places.Rows))
	facts := make([]cobuild.CoverageFacts, len(places.Rows))
	for i, r := range places.Rows {
		j, _ := c.Row(r.ID)
		rows[i], coverage[i], coverers[i], facts[i] = c.Rows[j], c.Coverage.At(j), c.CoverersOf(j), c.FactsOf(j)
		rows[i].CommunityID = r.CommunityID
	}
	p := *places // the same indexes: rows keeps the places' order
	p.Rows = rows
	return newCensus(&p, CoveragesOf(coverage), vecOf(coverers), vecOf(facts))
}

// Within returns the projection of the nodes keep keeps and of the ties between two of
// them, its islands, cuts and betweenness computed anew over them when asked.
func (p *Projection) Within(keep func(id string) bool) *Projection {
	kept := make([]bool, len(p.Nodes))
	var nodes []NodeInfo
	for i, n := range p.Nodes {
		if kept[i] = keep(n.ID); kept[i] {
			nodes = append(nodes, n)
		}
	}
	var ties []TieInfo
	for t, info := range p.Ties {
		if a, b := p.Graph.Ends(t); kept[a] && kept[b] && !p.Graph.Dead(t) {
			ties = append(ties, info)
		}
	}
	return NewProjection(Build(nodes, ties))
}
