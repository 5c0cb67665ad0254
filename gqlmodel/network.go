package gqlmodel

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/loaders"
)

// Provenance says when and on what a computed answer was computed.
type Provenance struct {
	ComputedAt   string
	GraphVersion string
	AsOf         time.Time
	Parameters   string
	Nodes, Ties  int
	BuildMs      int
}

// NewProvenance describes a projection.
func NewProvenance(p *analytics.Projection) *Provenance {
	return &Provenance{ComputedAt: p.BuiltAt.Format(time.RFC3339), GraphVersion: p.Version, AsOf: p.AsOf,
		Parameters: p.Parameters(), Nodes: p.Graph.Nodes(), Ties: p.Graph.Ties(), BuildMs: int(p.BuildTime.Milliseconds())}
}

// NetworkNode is a node of the projection.
type NetworkNode struct {
	ID    string
	Label string
	Kind  *string
	Name  string
}

// Node loads the node itself.
func (n *NetworkNode) Node(ctx context.Context) (Node, error) {
	v, err := loaders.Node[any](ctx, n.ID)
	if err != nil || v == nil {
		return nil, err
	}
	if e, ok := v.(*cobuild.Evaluation); ok {
		return GradeWithOwner(ctx, e)
	}
	return Wrap(v), nil
}

// NewNetworkNode describes node i of a projection.
func NewNetworkNode(p *analytics.Projection, i int) *NetworkNode {
	info := p.Nodes[i]
	n := &NetworkNode{ID: info.ID, Label: info.Label, Name: info.Name}
	if info.Kind != "" {
		k := info.Kind
		n.Kind = &k
	}
	if n.Name == "" {
		n.Name = info.ID
	}
	return n
}

// NetworkTie is a tie of the projection.
type NetworkTie struct {
	Type, TypeLabel string
	From, To        string
	Role, Mode      *string
	Since, Until    *time.Time
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NewNetworkTie describes tie t of a projection.
func NewNetworkTie(p *analytics.Projection, t int) *NetworkTie {
	info := p.Ties[t]
	return &NetworkTie{Type: info.Type, TypeLabel: cobuild.Label("NetworkTieType", info.Type), From: info.From, To: info.To,
		Role: optional(info.Role), Mode: optional(info.Mode), Since: info.Since, Until: info.Until}
}

// Network is the projection on a day; its structure is computed once per projection and
// shared by every request that asks.
type Network struct {
	P *analytics.Projection

	comp  []int
	count int
	sizes []int
}

// NewNetwork wraps a projection with its islands.
func NewNetwork(p *analytics.Projection) *Network {
	is := p.Islands()
	return &Network{P: p, comp: is.Of, count: is.Count, sizes: is.Sizes}
}

// Provenance of the projection.
func (n *Network) Provenance() *Provenance { return NewProvenance(n.P) }

// IslandCount is the number of islands.
func (n *Network) IslandCount() int { return n.count }

// IsolatedOrganizations counts organisations alone on their island.
func (n *Network) IsolatedOrganizations() int {
	c := 0
	for i, comp := range n.comp {
		if n.sizes[comp] == 1 && n.P.Nodes[i].Label == "Organization" {
			c++
		}
	}
	return c
}

// Island is one connected part of the network.
type Island struct {
	Rank, Size, Organizations int
	members                   []int
	p                         *analytics.Projection
}

// Members lists the island's nodes by id.
func (i *Island) Members(first int) ([]*NetworkNode, error) {
	if first < 0 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "first must not be negative")
	}
	out := []*NetworkNode{}
	for _, m := range i.members[:min(first, len(i.members))] {
		out = append(out, NewNetworkNode(i.p, m))
	}
	return out, nil
}

// Islands lists the islands of at least minSize nodes, largest first (ties by their
// smallest member id).
func (n *Network) Islands(first, minSize int) ([]*Island, error) {
	if first < 0 || first > 1000 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "first must be between 0 and 1000")
	}
	members := make([][]int, n.count)
	for i, c := range n.comp {
		if n.sizes[c] >= minSize {
			members[c] = append(members[c], i)
		}
	}
	var islands []*Island
	for c, ms := range members {
		if len(ms) == 0 {
			continue
		}
		slices.SortFunc(ms, func(a, b int) int { return compareStrings(n.P.Nodes[a].ID, n.P.Nodes[b].ID) })
		is := &Island{Size: n.sizes[c], members: ms, p: n.P}
		for _, m := range ms {
			if n.P.Nodes[m].Label == "Organization" {
				is.Organizations++
			}
		}
		islands = append(islands, is)
	}
	slices.SortStableFunc(islands, func(a, b *Island) int {
		if a.Size != b.Size {
			return b.Size - a.Size
		}
		return compareStrings(n.P.Nodes[a.members[0]].ID, n.P.Nodes[b.members[0]].ID)
	})
	islands = islands[:min(first, len(islands))]
	for i, is := range islands {
		is.Rank = i + 1
	}
	return islands, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Broker is a node whose removal splits its island.
type Broker struct {
	Node       *NetworkNode
	Degree     int
	SplitsInto int
}

// Brokers lists the articulation points by degree (then id), each with the number of
// islands its own island becomes without it.
func (n *Network) Brokers(first int) ([]*Broker, error) {
	if first < 0 || first > 1000 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "first must be between 0 and 1000")
	}
	g := n.P.Graph
	cuts := n.cuts()
	order := make([]int, len(cuts.Points))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		pa, pb := cuts.Points[a], cuts.Points[b]
		if g.Degree(pa) != g.Degree(pb) {
			return g.Degree(pb) - g.Degree(pa)
		}
		return compareStrings(n.P.Nodes[pa].ID, n.P.Nodes[pb].ID)
	})
	out := []*Broker{}
	for _, i := range order[:min(first, len(order))] {
		v := cuts.Points[i]
		out = append(out, &Broker{Node: NewNetworkNode(n.P, v), Degree: g.Degree(v), SplitsInto: cuts.Parts[i]})
	}
	return out, nil
}

func (n *Network) cuts() analytics.CutInfo { return n.P.Cuts() }

// Bridge is a tie whose removal splits its island.
type Bridge struct {
	Tie      *NetworkTie
	From, To *NetworkNode
	Sides    []int
}

// Bridges lists the bridges, those whose smaller side is largest first, with the sizes of
// the two parts their island becomes.
func (n *Network) Bridges(first int) ([]*Bridge, error) {
	if first < 0 || first > 1000 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "first must be between 0 and 1000")
	}
	g := n.P.Graph
	cuts := n.cuts()
	type cut struct {
		tie, small, large int
	}
	cs := make([]cut, len(cuts.Bridges))
	for i, t := range cuts.Bridges {
		a, _ := g.Ends(t)
		total, side := n.sizes[n.comp[a]], cuts.Side[i]
		cs[i] = cut{t, min(side, total-side), max(side, total-side)}
	}
	slices.SortStableFunc(cs, func(x, y cut) int {
		if x.small != y.small {
			return y.small - x.small
		}
		return x.tie - y.tie
	})
	out := []*Bridge{}
	for _, c := range cs[:min(first, len(cs))] {
		a, b := g.Ends(c.tie)
		out = append(out, &Bridge{Tie: NewNetworkTie(n.P, c.tie), From: NewNetworkNode(n.P, a), To: NewNetworkNode(n.P, b),
			Sides: []int{c.large, c.small}})
	}
	return out, nil
}

// PathResult answers a shortest-path question.
type PathResult struct {
	Found       bool
	Hops        *int
	Count       float64
	Paths       []*NetworkPath
	Explanation string
	Provenance  *Provenance
}

// NetworkPath is one chain.
type NetworkPath struct {
	Nodes    []*NetworkNode
	Steps    []*PathStep
	Sentence string
}

// PathStep is one tie of a chain.
type PathStep struct {
	From, To *NetworkNode
	Tie      *NetworkTie
	Sentence string
}

// NewPathResult describes the shortest chains found.
func NewPathResult(p *analytics.Projection, s analytics.Shortest, fromName, toName string, maxHops int) *PathResult {
	r := &PathResult{Provenance: NewProvenance(p), Found: s.Hops >= 0, Count: float64(s.Count), Paths: []*NetworkPath{}}
	if !r.Found {
		r.Count = 0
		r.Explanation = fmt.Sprintf("no chain of the followed ties joins %s and %s within %d hops", fromName, toName, maxHops)
		return r
	}
	hops := s.Hops
	r.Hops = &hops
	for _, path := range s.Paths {
		np := &NetworkPath{Sentence: p.Explain(path)}
		for _, v := range path.Nodes {
			np.Nodes = append(np.Nodes, NewNetworkNode(p, v))
		}
		for i, st := range p.Steps(path) {
			np.Steps = append(np.Steps, &PathStep{From: np.Nodes[i], To: np.Nodes[i+1], Tie: NewNetworkTie(p, path.Ties[i]), Sentence: st.Sentence()})
		}
		r.Paths = append(r.Paths, np)
	}
	if len(r.Paths) > 0 {
		r.Explanation = r.Paths[0].Sentence
	}
	return r
}

// EgoNetwork is a neighbourhood for a graph view.
type EgoNetwork struct {
	Centre     *NetworkNode
	Nodes      []*EgoNode
	Ties       []*NetworkTie
	Truncated  bool
	Provenance *Provenance
}

// EgoNode is a node of a neighbourhood with its distance from the centre.
type EgoNode struct {
	Node     *NetworkNode
	Distance int
}

// NewEgoNetwork describes a neighbourhood.
func NewEgoNetwork(p *analytics.Projection, e analytics.Ego) *EgoNetwork {
	out := &EgoNetwork{Centre: NewNetworkNode(p, e.Nodes[0]), Truncated: e.Truncated, Provenance: NewProvenance(p),
		Nodes: []*EgoNode{}, Ties: []*NetworkTie{}}
	for i, v := range e.Nodes {
		out.Nodes = append(out.Nodes, &EgoNode{Node: NewNetworkNode(p, v), Distance: e.Dist[i]})
	}
	for _, t := range e.Ties {
		out.Ties = append(out.Ties, NewNetworkTie(p, t))
	}
	return out
}

// WhatIf is the answer to "what if this node went away".
type WhatIf struct {
	Removed                     string
	Name                        *string
	IslandsBefore, IslandsAfter int
	Split                       []int
	NewlyIsolated               []*NetworkNode
	LostCoverage                []*CoverageChange
	Provenance                  *Provenance
}

// CoverageChange is an organisation whose coverage would get worse.
type CoverageChange struct {
	OrgID         string
	Before, After cobuild.CoverageStatus
	ReasonAfter   string
	// ReasonAfterLabel is ReasonAfter in Chinese.
	ReasonAfterLabel string
}

// Organization loads the organisation.
func (c *CoverageChange) Organization(ctx context.Context) (Organization, error) {
	o, err := loaders.Node[*cobuild.Organization](ctx, c.OrgID)
	if err == nil && o == nil {
		return nil, fmt.Errorf("organisation %s vanished", c.OrgID)
	}
	return WrapOrg(o), err
}

// NewWhatIf combines the structural answer of the projection with the coverage changes.
func NewWhatIf(p *analytics.Projection, id string, node int, inNetwork bool, rules cobuild.Rules, coverage map[string][2]cobuild.CoverageFacts) *WhatIf {
	w := &WhatIf{Removed: id, Provenance: NewProvenance(p), NewlyIsolated: []*NetworkNode{}, LostCoverage: []*CoverageChange{}, Split: []int{}}
	islands := p.Islands().Count
	w.IslandsBefore, w.IslandsAfter = islands, islands
	if inNetwork {
		r := p.Remove(node)
		name := NewNetworkNode(p, node).Name
		w.Name = &name
		w.IslandsBefore, w.IslandsAfter, w.Split = r.IslandsBefore, r.IslandsAfter, r.Split
		for _, n := range r.NewlyIsolated {
			w.NewlyIsolated = append(w.NewlyIsolated, NewNetworkNode(p, n))
		}
	}
	rank := map[cobuild.CoverageStatus]int{}
	for i, s := range cobuild.CoverageStatuses {
		rank[s] = i
	}
	var orgs []string
	for org := range coverage {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	for _, org := range orgs {
		before, after := rules.CoverageOf(coverage[org][0]), rules.CoverageOf(coverage[org][1])
		if rank[after.Status] > rank[before.Status] {
			w.LostCoverage = append(w.LostCoverage, &CoverageChange{OrgID: org, Before: before.Status, After: after.Status, ReasonAfter: after.Reason, ReasonAfterLabel: after.ReasonZh})
		}
	}
	return w
}

// RankedNode is a node with its score in a ranking.
type RankedNode struct {
	Rank  int
	Node  *NetworkNode
	Score float64
}

func (n *Network) rank(scores func(i int) float64, first int, label *string) ([]*RankedNode, error) {
	if first < 0 || first > 1000 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "first must be between 0 and 1000")
	}
	var idx []int
	for i, info := range n.P.Nodes {
		if label == nil || info.Label == *label {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		sa, sb := scores(a), scores(b)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return compareStrings(n.P.Nodes[a].ID, n.P.Nodes[b].ID)
	})
	out := []*RankedNode{}
	for r, i := range idx[:min(first, len(idx))] {
		out = append(out, &RankedNode{Rank: r + 1, Node: NewNetworkNode(n.P, i), Score: scores(i)})
	}
	return out, nil
}

// DegreeRanking ranks nodes by their number of ties.
func (n *Network) DegreeRanking(first int, label *string) ([]*RankedNode, error) {
	return n.rank(func(i int) float64 { return float64(n.P.Graph.Degree(i)) }, first, label)
}

// BetweennessRanking is a ranking by betweenness with how it was computed.
type BetweennessRanking struct {
	Nodes      []*RankedNode
	Exact      bool
	Sources    int
	ComputedMs int
}

// BetweennessRanking ranks nodes by betweenness.
func (n *Network) BetweennessRanking(first int, label *string) (*BetweennessRanking, error) {
	c := n.P.Betweenness()
	nodes, err := n.rank(func(i int) float64 { return c.Scores[i] }, first, label)
	if err != nil {
		return nil, err
	}
	return &BetweennessRanking{Nodes: nodes, Exact: c.Exact, Sources: c.Sources, ComputedMs: int(c.Took.Milliseconds())}, nil
}

// FarFromCoverage lists organisations no covered organisation reaches within some hops.
type FarFromCoverage struct {
	Hops          int
	TotalCount    int
	Organizations []*NetworkNode
}

func sectorOf(kind string) cobuild.Sector {
	switch cobuild.OrgKind(kind) {
	case cobuild.OrgEnterprise:
		return cobuild.SectorEnterprise
	case cobuild.OrgSocial, cobuild.OrgHospital:
		return cobuild.SectorSocial
	}
	return cobuild.SectorPublic
}

// FarFromCoverage finds the organisations that no covered organisation reaches within
// hops ties.
func (n *Network) FarFromCoverage(ctx context.Context, hops int, sector []cobuild.Sector, first int) (*FarFromCoverage, error) {
	if hops < 0 || hops > 6 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "hops must be between 0 and 6, got %d", hops)
	}
	if first < 0 || first > 1000 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "first must be between 0 and 1000")
	}
	c, err := loaders.Census(ctx, n.P.AsOf)
	if err != nil {
		return nil, err
	}
	var set []int
	for i, cov := range c.Coverage {
		if cov.Status != cobuild.CoverageOwn && cov.Status != cobuild.CoverageJoint {
			continue
		}
		if v, ok := n.P.Graph.Lookup(c.Rows[i].ID); ok {
			set = append(set, v)
		}
	}
	out := &FarFromCoverage{Hops: hops, Organizations: []*NetworkNode{}}
	for _, v := range n.P.Graph.FarFrom(set, hops) {
		info := n.P.Nodes[v]
		if info.Label != "Organization" || (len(sector) > 0 && !slices.Contains(sector, sectorOf(info.Kind))) {
			continue
		}
		out.TotalCount++
		if len(out.Organizations) < first {
			out.Organizations = append(out.Organizations, NewNetworkNode(n.P, v))
		}
	}
	slices.SortFunc(out.Organizations, func(a, b *NetworkNode) int { return compareStrings(a.ID, b.ID) })
	return out, nil
}

// CoverageCandidates are the ranked candidate coverers of an organisation.
type CoverageCandidates struct {
	Organization Organization
	Coverage     *Coverage
	Candidates   []*CoverageCandidate
	Provenance   *Provenance
}

// CoverageCandidate is one candidate with its score and the reasons for it.
type CoverageCandidate struct {
	Rank                                        int
	Node                                        *NetworkNode
	Score                                       float64
	Load                                        int
	SharedCommunity, SharedPark, SharedIndustry int
	Hops                                        *int
	Reasons, ReasonLabels                       []string
}

// How far the ranking looks for a path between an organisation and a candidate coverer:
// at most CandidateMaxHops ties, among the CandidateSearchNodes nearest nodes.
const (
	CandidateMaxHops     = 6
	CandidateSearchNodes = 20000
)

// RankCandidates scores candidates with the rules and the hops from the organisation in
// the projection, best first (ties by id), and keeps the first few.
func RankCandidates(rules cobuild.Rules, p *analytics.Projection, org int, cs []cobuild.Candidate, first int) []*CoverageCandidate {
	targets := make([]int, len(cs))
	for i, c := range cs {
		targets[i] = -1
		if v, ok := p.Graph.Lookup(c.ID); ok {
			targets[i] = v
		}
	}
	dist := slices.Repeat([]int{-1}, len(cs))
	if org >= 0 {
		dist = p.Graph.DistancesWithin(org, targets, CandidateMaxHops, CandidateSearchNodes)
	}
	out := []*CoverageCandidate{}
	for i, c := range cs {
		hops := -1
		if targets[i] >= 0 && dist[i] >= 0 {
			hops = dist[i]
		}
		score, why, whyZh := rules.ScoreCandidate(c, hops)
		cc := &CoverageCandidate{Node: &NetworkNode{ID: c.ID, Label: c.Label, Kind: optional(c.Kind), Name: c.Name}, Score: score,
			Load: c.Load, SharedCommunity: c.SharedCommunity, SharedPark: c.SharedPark, SharedIndustry: c.SharedIndustry, Reasons: why, ReasonLabels: whyZh}
		if hops >= 0 {
			cc.Hops = &hops
		}
		out = append(out, cc)
	}
	slices.SortStableFunc(out, func(a, b *CoverageCandidate) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return compareStrings(a.Node.ID, b.Node.ID)
	})
	out = out[:min(first, len(out))]
	for i, c := range out {
		c.Rank = i + 1
	}
	return out
}

// CandidateTypes are the ties over which a candidate's hops are counted.
var CandidateTypes = append(slices.Clone(analytics.JointTieTypes), analytics.CoverageTieTypes...)

// CandidatesOf ranks the candidate coverers of an organisation on a day, from the census
// and the projection of the day (both cached): no statement per organisation.
func CandidatesOf(ctx context.Context, id string, first int, day time.Time) ([]*CoverageCandidate, *analytics.Projection, error) {
	p, err := loaders.Projection(ctx, day, CandidateTypes)
	if err != nil {
		return nil, nil, err
	}
	c, err := loaders.Census(ctx, p.AsOf)
	if err != nil {
		return nil, nil, err
	}
	v, ok := p.Graph.Lookup(id)
	if !ok {
		v = -1
	}
	return RankCandidates(loaders.For(ctx).Settings().Rules, p, v, c.Candidates(p, id), first), p, nil
}

// CoverageCandidates ranks who could cover the organisation (see Query.coverageCandidates).
func (o OrgFields) CoverageCandidates(ctx context.Context, first *int, asOf *time.Time) ([]*CoverageCandidate, error) {
	n, err := Bounded("first", first, 3, 0, MaxCandidates)
	if err != nil {
		return nil, err
	}
	cs, _, err := CandidatesOf(ctx, o.ID, n, DayOr(asOf))
	return cs, err
}

// MaxCandidates caps the candidates listed for one organisation.
const MaxCandidates = 50
