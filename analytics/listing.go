package analytics

import (
	"cmp"
	"slices"
	"strings"

	"cobuild"
)

// The lists below order the projection's islands, brokers, bridges and rankings the way
// the API gives them; they return node and tie numbers, which callers describe.

// IslandRow is one island of a list.
type IslandRow struct {
	Rank, Size, Organizations int
	// Members are the island's nodes, by id.
	Members []int
}

// IslandList lists the islands of at least minSize nodes, largest first (ties by their
// smallest member id), the first few of them.
func (p *Projection) IslandList(first, minSize int) []IslandRow {
	is := p.Islands()
	members := make([][]int, is.Count)
	for i, c := range is.Of {
		if is.Sizes[c] >= minSize {
			members[c] = append(members[c], i)
		}
	}
	var out []IslandRow
	for c, ms := range members {
		if len(ms) == 0 {
			continue
		}
		slices.SortFunc(ms, func(a, b int) int { return strings.Compare(p.Nodes[a].ID, p.Nodes[b].ID) })
		row := IslandRow{Size: is.Sizes[c], Members: ms}
		for _, m := range ms {
			if p.Nodes[m].Label == cobuild.LabelOrganization {
				row.Organizations++
			}
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b IslandRow) int {
		return cmp.Or(b.Size-a.Size, strings.Compare(p.Nodes[a.Members[0]].ID, p.Nodes[b.Members[0]].ID))
	})
	out = out[:min(first, len(out))]
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// IsolatedOrganizations counts the organisations alone on their island.
func (p *Projection) IsolatedOrganizations() int {
	is := p.Islands()
	n := 0
	for i, c := range is.Of {
		if is.Sizes[c] == 1 && p.Nodes[i].Label == cobuild.LabelOrganization {
			n++
		}
	}
	return n
}

// BrokerRow is a node whose removal splits its island.
type BrokerRow struct {
	Node, Degree, SplitsInto int
}

// BrokerList lists the articulation points by degree (then id), each with the number of
// islands its own island becomes without it.
func (p *Projection) BrokerList(first int) []BrokerRow {
	g, cuts := p.Graph, p.Cuts()
	out := make([]BrokerRow, len(cuts.Points))
	for i, v := range cuts.Points {
		out[i] = BrokerRow{Node: v, Degree: g.Degree(v), SplitsInto: cuts.Parts[i]}
	}
	slices.SortFunc(out, func(a, b BrokerRow) int {
		return cmp.Or(b.Degree-a.Degree, strings.Compare(p.Nodes[a.Node].ID, p.Nodes[b.Node].ID))
	})
	return out[:min(first, len(out))]
}

// BridgeRow is a tie whose removal splits its island, with the sizes of the two parts,
// larger first.
type BridgeRow struct {
	Tie, From, To int
	Sides         [2]int
}

// BridgeList lists the bridges, those whose smaller side is largest first (then by tie).
func (p *Projection) BridgeList(first int) []BridgeRow {
	g, cuts, is := p.Graph, p.Cuts(), p.Islands()
	out := make([]BridgeRow, len(cuts.Bridges))
	for i, t := range cuts.Bridges {
		a, b := g.Ends(t)
		total, side := is.Sizes[is.Of[a]], cuts.Side[i]
		out[i] = BridgeRow{Tie: t, From: a, To: b, Sides: [2]int{max(side, total-side), min(side, total-side)}}
	}
	slices.SortStableFunc(out, func(x, y BridgeRow) int { return cmp.Or(y.Sides[1]-x.Sides[1], x.Tie-y.Tie) })
	return out[:min(first, len(out))]
}

// RankRow is a node with its score in a ranking.
type RankRow struct {
	Rank, Node int
	Score      float64
}

// Rank ranks the nodes (of one label, when given) by a score, highest first (ties by id).
func (p *Projection) Rank(score func(node int) float64, first int, label *cobuild.NodeLabel) []RankRow {
	var idx []int
	for i, info := range p.Nodes {
		if label == nil || info.Label == *label {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(score(b), score(a)), strings.Compare(p.Nodes[a].ID, p.Nodes[b].ID))
	})
	out := make([]RankRow, 0, min(first, len(idx)))
	for r, i := range idx[:min(first, len(idx))] {
		out = append(out, RankRow{Rank: r + 1, Node: i, Score: score(i)})
	}
	return out
}

// SectorOfKind is the sector of an organisation kind: enterprises, social organisations
// and private hospitals are managed, the other kinds public.
func SectorOfKind(kind string) cobuild.Sector {
	switch cobuild.OrgKind(kind) {
	case cobuild.OrgEnterprise:
		return cobuild.SectorEnterprise
	case cobuild.OrgSocial, cobuild.OrgHospital:
		return cobuild.SectorSocial
	}
	return cobuild.SectorPublic
}

// FarFromCoverage returns the managed organisations (of the sectors, when given) that no
// organisationally covered organisation of the census reaches within hops ties of the
// projection, by id: their count and the first few. Public bodies are left out: coverage
// concerns the managed sectors only.
func FarFromCoverage(p *Projection, c *Census, hops int, sectors []cobuild.Sector, first int) (int, []int) {
	var set []int
	for i := range c.Coverage.Len() {
		if cov := c.Coverage.At(i); cov.Status != cobuild.CoverageOwn && cov.Status != cobuild.CoverageJoint {
			continue
		}
		if v, ok := p.Graph.Lookup(c.Rows[i].ID); ok {
			set = append(set, v)
		}
	}
	if len(sectors) == 0 {
		sectors = cobuild.ManagedSectors
	}
	total := 0
	var out []int
	for _, v := range p.Graph.FarFrom(set, hops) {
		info := p.Nodes[v]
		if info.Label != cobuild.LabelOrganization || !slices.Contains(sectors, SectorOfKind(info.Kind)) {
			continue
		}
		total++
		out = append(out, v)
	}
	// The first by id, whatever the order of the projection's nodes.
	slices.SortFunc(out, func(a, b int) int { return strings.Compare(p.Nodes[a].ID, p.Nodes[b].ID) })
	return total, out[:max(0, min(first, len(out)))]
}

// CoverageChange is an organisation whose coverage would get worse.
type CoverageChange struct {
	OrgID         string
	Before, After cobuild.CoverageStatus
	// ReasonAfter says why it would have the status After, in English and in Chinese.
	ReasonAfter, ReasonAfterLabel string
}

// LostCoverage compares each organisation's coverage with and without some ties (the facts
// before and after), and lists, by id, those whose status would get worse.
func LostCoverage(rules cobuild.Rules, facts map[string][2]cobuild.CoverageFacts) []*CoverageChange {
	rank := map[cobuild.CoverageStatus]int{}
	for i, s := range cobuild.CoverageStatuses {
		rank[s] = i
	}
	var orgs []string
	for org := range facts {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	out := []*CoverageChange{}
	for _, org := range orgs {
		before, after := rules.CoverageOf(facts[org][0]), rules.CoverageOf(facts[org][1])
		if rank[after.Status] > rank[before.Status] {
			out = append(out, &CoverageChange{OrgID: org, Before: before.Status, After: after.Status,
				ReasonAfter: after.Reason, ReasonAfterLabel: after.ReasonZh})
		}
	}
	return out
}
