package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"cobuild"
)

// NodeInfo describes a node of the projection.
type NodeInfo struct {
	ID    string
	Label string // Organization, Alliance, RedZone, Event, Person, Area, Agreement, PartyOrg
	Kind  string
	Name  string
}

// TieInfo describes a tie of the projection, with its stored direction.
type TieInfo struct {
	Type         string
	From, To     string
	Role, Mode   string
	Since, Until *time.Time
}

// JointTieTypes are the joint-building ties the network follows by default: memberships,
// community co-building, events held and attended, mentoring (with the mentors' and
// mentees' work), placements and apprenticeships.
var JointTieTypes = []string{"MEMBER_OF", "CO_BUILDS_WITH", "ATTENDED", "HELD", "MENTORS", "WORKS_AT",
	"PLACED_AT", "APPRENTICED_AT", "PARTY_TO"}

// CoverageTieTypes may be added to follow coverage as well: joint and regional party
// organisations and the instructors and liaisons assigned.
var CoverageTieTypes = []string{"COVERED_BY", "ASSIGNED_TO"}

// Source reads the projection from the store.
type Source interface {
	// NetworkVersion names the current state of the graph; it changes whenever the graph
	// does, so that a projection built on another version is known to be stale.
	NetworkVersion(ctx context.Context) (string, error)
	// NetworkTies returns every organisation, the other nodes the ties reach, and the ties
	// of the given types in force on the day.
	NetworkTies(ctx context.Context, asOf time.Time, types []string) ([]NodeInfo, []TieInfo, error)
	// CensusPlaces returns every organisation with what it is grouped by (not its facts).
	CensusPlaces(ctx context.Context) ([]cobuild.CensusRow, error)
	// CensusFacts returns the coverage facts and coverers on the day of the organisations
	// that have any.
	CensusFacts(ctx context.Context, asOf time.Time) (map[string]*cobuild.DayFacts, error)
	// RoundEvaluations returns every evaluation of the rounds, with its party organisation.
	RoundEvaluations(ctx context.Context, rounds []string) ([]*cobuild.Evaluation, error)
}

// Projection is the network on one day, with its provenance.
type Projection struct {
	Graph   *Graph
	Nodes   []NodeInfo // by node number
	Ties    []TieInfo  // by tie number
	AsOf    time.Time
	Types   []string
	Version string
	BuiltAt time.Time
	// BuildTime is how long reading and building took.
	BuildTime time.Duration

	betweenness func() Centrality
	islands     func() Islands
	cuts        func() CutInfo
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
	c.Scores = p.Graph.Betweenness(sources, nil)
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

// Service keeps the projections and censuses of recent requests and rebuilds one when the
// graph has changed since it was built, so that an answer is never silently stale.
type Service struct {
	src Source
	// Rules decide the coverage of a census.
	Rules cobuild.Rules
	// Keep is how many projections, censuses and rounds stay cached.
	Keep int
	// BuildTimeout bounds one build, which runs on even when the request that started it
	// gives up.
	BuildTimeout time.Duration
	// MaxQueued is how many different builds may be under way or waiting at once; a
	// request for another fails at once with UNAVAILABLE rather than pile up behind the
	// builds of many days.
	MaxQueued int

	mu    sync.Mutex
	cache []cached
	// places are the organisations' places of one version, kept for the census of
	// every day; only builds (under the build lock) touch them.
	places        []cobuild.CensusRow
	placesVersion string
	flights       map[string]*flight
	build         sync.Mutex
}

type cached struct {
	key, version string
	value        any
}

// NewService returns a service over a source, deciding coverage by the rules.
func NewService(src Source, rules cobuild.Rules) *Service {
	return &Service{src: src, Rules: rules, Keep: 10, BuildTimeout: 10 * time.Minute, MaxQueued: 8}
}

// Projection returns the network on a day over the given tie types (JointTieTypes when
// empty), built on the current version of the graph.
func (s *Service) Projection(ctx context.Context, asOf time.Time, types []string) (*Projection, error) {
	if len(types) == 0 {
		types = JointTieTypes
	}
	types = slices.Clone(types)
	slices.Sort(types)
	types = slices.Compact(types)
	key := "projection " + asOf.Format(time.DateOnly) + " " + strings.Join(types, ",")
	v, err := s.get(ctx, key, func(ctx context.Context, version string) (any, error) {
		start := time.Now()
		nodes, ties, err := s.src.NetworkTies(ctx, asOf, types)
		if err != nil {
			return nil, fmt.Errorf("read the network of %s: %w", asOf.Format(time.DateOnly), err)
		}
		g, ns, ts := Build(nodes, ties)
		p := NewProjection(g, ns, ts)
		p.AsOf, p.Types, p.Version, p.BuiltAt, p.BuildTime = asOf, types, version, time.Now().UTC(), time.Since(start)
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Projection), nil
}

// get returns the value cached under key for the graph's current version, or builds it.
// Requests for the same value share one build; builds run one at a time, detached from
// the requests: a request that gives up (a timeout) leaves its build running, and the
// next request finds it done or waits for it.
func (s *Service) get(ctx context.Context, key string, build func(ctx context.Context, version string) (any, error)) (any, error) {
	version, err := s.src.NetworkVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	for _, c := range s.cache {
		if c.key == key && c.version == version {
			s.mu.Unlock()
			return c.value, nil
		}
	}
	f, ok := s.flights[key+"@"+version]
	if !ok {
		if s.MaxQueued > 0 && len(s.flights) >= s.MaxQueued {
			s.mu.Unlock()
			return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "%d builds of network data are queued already; try again when they are done", s.MaxQueued)
		}
		f = &flight{done: make(chan struct{})}
		if s.flights == nil {
			s.flights = map[string]*flight{}
		}
		s.flights[key+"@"+version] = f
		go s.run(ctx, key, version, f, build)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// flight is a build that requests wait for.
type flight struct {
	done  chan struct{}
	value any
	err   error
}

func (s *Service) run(ctx context.Context, key, version string, f *flight, build func(ctx context.Context, version string) (any, error)) {
	s.build.Lock()
	defer s.build.Unlock()
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.BuildTimeout)
	defer cancel()
	f.value, f.err = build(bctx, version)
	s.mu.Lock()
	if f.err == nil {
		s.cache = append([]cached{{key, version, f.value}}, s.cache...)
		if len(s.cache) > s.Keep {
			s.cache = s.cache[:s.Keep]
		}
	}
	delete(s.flights, key+"@"+version)
	s.mu.Unlock()
	close(f.done)
}

// Parameters describes the projection's parameters in words, for provenance.
func (p *Projection) Parameters() string {
	return fmt.Sprintf("asOf=%s ties=%s", p.AsOf.Format(time.DateOnly), strings.Join(p.Types, ","))
}
