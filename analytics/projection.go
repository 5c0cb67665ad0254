package analytics

import (
	"sync"
	"time"

	"cobuild"
)

// NodeInfo describes a node of the projection.
type NodeInfo struct {
	ID    string
	Label cobuild.NodeLabel // Organization, Alliance, RedZone, Event, Person, Area, Agreement, PartyOrg
	Kind  string
	Name  string
}

// TieInfo describes a tie of the projection, with its stored direction.
type TieInfo struct {
	Type         cobuild.TieType
	From, To     string
	Role, Mode   string
	Since, Until *time.Time
}

// Projection is the network of one day as a graph, with what each node and tie is; the
// islands, cuts and betweenness are computed once, when first asked.
type Projection struct {
	Graph *Graph
	Nodes []NodeInfo // by node number
	Ties  []TieInfo  // by tie number

	betweenness func() Centrality
	islands     func() Islands
	cuts        func() CutInfo

	mu      sync.Mutex
	degrees map[*Places][]int32
}

// DegreesOf returns, for each row of the places, the organisation's number of ties in the
// projection (0 for one it does not hold), computed once per places: the counts of
// joint-building ties that lists sort by.
func (p *Projection) DegreesOf(places *Places) []int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d, ok := p.degrees[places]; ok {
		return d
	}
	d := make([]int32, len(places.Rows))
	for i, r := range places.Rows {
		if v, ok := p.Graph.Lookup(r.ID); ok {
			d[i] = int32(p.Graph.Degree(v))
		}
	}
	if p.degrees == nil {
		p.degrees = map[*Places][]int32{}
	}
	p.degrees[places] = d
	return d
}

// Islands numbers each node's island and sizes them.
type Islands struct {
	Of    []int // island of each node
	Count int
	Sizes []int // size of each island
}

// Islands returns the projection's islands, computed once per projection.
func (p *Projection) Islands() Islands { return p.islands() }

// Cuts returns the projection's brokers and bridges, computed once per projection.
func (p *Projection) Cuts() CutInfo { return p.cuts() }

// Centrality is a betweenness score per node with how it was obtained.
type Centrality struct {
	Scores []float64
	// Exact is true when every node was a source; otherwise Sources nodes were, and the
	// scores are scaled estimates.
	Exact   bool
	Sources int
	Took    time.Duration
}

// ExactBetweennessUpTo is the number of nodes in islands of two or more up to which
// betweenness is computed exactly; above it, from an evenly spread sample of SampleSources.
var (
	ExactBetweennessUpTo = 5000
	SampleSources        = 1000
)

// Betweenness returns the nodes' betweenness, computed once per projection.
func (p *Projection) Betweenness() Centrality {
	return p.betweenness()
}

func (p *Projection) computeBetweenness() Centrality {
	start := time.Now()
	comp, count := p.Graph.Components(nil)
	sizes := make([]int, count)
	for _, c := range comp {
		sizes[c]++
	}
	var sources []int
	for i, c := range comp {
		if sizes[c] > 1 {
			sources = append(sources, i)
		}
	}
	c := Centrality{Exact: len(sources) <= ExactBetweennessUpTo}
	all := len(sources)
	if !c.Exact {
		step := float64(len(sources)) / float64(SampleSources)
		sample := make([]int, 0, SampleSources)
		for i := 0; i < SampleSources; i++ {
			sample = append(sample, sources[int(float64(i)*step)])
		}
		sources = sample
	}
	c.Sources = len(sources)
	c.Scores = p.Graph.Betweenness(sources)
	if !c.Exact {
		scale := float64(all) / float64(len(sources))
		for i := range c.Scores {
			c.Scores[i] *= scale
		}
	}
	c.Took = time.Since(start)
	return c
}

// NewProjection wraps a built graph.
func NewProjection(g *Graph, nodes []NodeInfo, ties []TieInfo) *Projection {
	p := &Projection{Graph: g, Nodes: nodes, Ties: ties}
	p.betweenness = sync.OnceValue(p.computeBetweenness)
	p.islands = sync.OnceValue(func() Islands {
		of, count := g.Components(nil)
		sizes := make([]int, count)
		for _, c := range of {
			sizes[c]++
		}
		return Islands{Of: of, Count: count, Sizes: sizes}
	})
	p.cuts = sync.OnceValue(func() CutInfo { return g.Cuts(nil) })
	return p
}

// Build makes a projection from nodes and ties.
func Build(nodes []NodeInfo, ties []TieInfo) (*Graph, []NodeInfo, []TieInfo) {
	g := NewGraph()
	byID := map[string]NodeInfo{}
	for _, n := range nodes {
		byID[n.ID] = n
		g.Node(n.ID)
	}
	out := make([]NodeInfo, 0, len(nodes))
	kept := make([]TieInfo, 0, len(ties))
	for _, t := range ties {
		if _, ok := byID[t.From]; !ok {
			byID[t.From] = NodeInfo{ID: t.From}
		}
		if _, ok := byID[t.To]; !ok {
			byID[t.To] = NodeInfo{ID: t.To}
		}
		g.Tie(g.Node(t.From), g.Node(t.To))
		kept = append(kept, t)
	}
	for i := 0; i < g.Nodes(); i++ {
		out = append(out, byID[g.ID(i)])
	}
	return g, out, kept
}
