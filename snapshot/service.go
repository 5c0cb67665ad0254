// Package snapshot keeps the in-memory snapshots of the graph that cobuild's network,
// coverage and grading answers are computed from: network projections (per day and tie
// set), coverage censuses (per day), the organisations' places (per version of the graph)
// and the evaluations of a round. It owns their keys, their bounded cache and their
// builds. Every snapshot records the version of the graph and the day it was built for
// (its Meta), so that an answer can say what it was computed on.
//
// The version of the graph is read by Refresh, which Watch calls at an interval; a request
// takes the version once (Service.Version) and every snapshot it asks for is of that
// version, built when missing. A snapshot is never changed after it is built: the writes
// of later issues will replace an entry of the cache by a snapshot derived from it (see
// Service.Replace), so that readers holding the old one are never disturbed.
package snapshot

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"cobuild"
	"cobuild/analytics"
)

// Source reads what snapshots are built from. neo4jstore.Store implements it.
type Source interface {
	// GraphVersion names the current state of the graph; it changes whenever the graph
	// does, so that a snapshot built on another version is known to be stale.
	GraphVersion(ctx context.Context) (string, error)
	// NetworkTies returns every organisation, the other nodes the ties reach, and the ties
	// of the given types in force on the day.
	NetworkTies(ctx context.Context, asOf time.Time, types []cobuild.TieType) ([]analytics.NodeInfo, []analytics.TieInfo, error)
	// CensusPlaces returns every organisation with what it is grouped by (not its facts).
	CensusPlaces(ctx context.Context) ([]cobuild.CensusRow, error)
	// CensusFacts returns the coverage facts and coverers on the day of the organisations
	// that have any.
	CensusFacts(ctx context.Context, asOf time.Time) (map[string]*cobuild.DayFacts, error)
	// RoundEvaluations returns every evaluation of the rounds, with its party organisation.
	RoundEvaluations(ctx context.Context, rounds []string) ([]*cobuild.Evaluation, error)
}

// Meta says what a snapshot was built for and when.
type Meta struct {
	Key     Key
	Version string
	BuiltAt time.Time
	// BuildTime is how long reading and building took.
	BuildTime time.Duration
}

// Options tune a Service; zero fields take the defaults of DefaultOptions.
type Options struct {
	// Keep is how many snapshots stay cached.
	Keep int
	// BuildTimeout bounds one build, which runs on even when the request that started it
	// gives up.
	BuildTimeout time.Duration
	// MaxQueued is how many different builds may be under way or waiting at once; a
	// request for another fails at once with UNAVAILABLE rather than pile up behind the
	// builds of many days.
	MaxQueued int
	// Poll is how often Watch reads the version of the graph: the longest a change made
	// by another process goes unseen.
	Poll time.Duration
}

// DefaultOptions are the options of a Service unless configured otherwise.
var DefaultOptions = Options{Keep: 16, BuildTimeout: 10 * time.Minute, MaxQueued: 8, Poll: 200 * time.Millisecond}

// Service builds and caches snapshots. It is safe for concurrent use.
type Service struct {
	src   Source
	rules cobuild.Rules
	opts  Options

	version atomic.Pointer[string]

	mu    sync.Mutex
	cache []entry // newest first
	// scoped caches the scopes of areas and the snapshots narrowed to them, apart from
	// cache, so that the officers' snapshots never push out the whole graph's.
	scoped  []entry
	flights map[flightKey]*flight
	// build serialises builds: two builds at once would only compete for Neo4j.
	build sync.Mutex
}

type entry struct {
	key     Key
	version string
	value   any
}

type flightKey struct {
	key     Key
	version string
}

// New returns a service over a source, deciding coverage by the rules.
func New(src Source, rules cobuild.Rules, opts Options) *Service {
	d := DefaultOptions
	if opts.Keep <= 0 {
		opts.Keep = d.Keep
	}
	if opts.BuildTimeout <= 0 {
		opts.BuildTimeout = d.BuildTimeout
	}
	if opts.MaxQueued <= 0 {
		opts.MaxQueued = d.MaxQueued
	}
	if opts.Poll <= 0 {
		opts.Poll = d.Poll
	}
	return &Service{src: src, rules: rules, opts: opts, flights: map[flightKey]*flight{}}
}

// Rules returns the rules the censuses decide coverage by.
func (s *Service) Rules() cobuild.Rules { return s.rules }

// Refresh reads the version of the graph now and makes it the version later requests
// answer from.
func (s *Service) Refresh(ctx context.Context) (string, error) {
	v, err := s.src.GraphVersion(ctx)
	if err != nil {
		return "", err
	}
	s.version.Store(&v)
	return v, nil
}

// Version returns the version of the graph that a request should answer from: the one
// last read, or one read now when none has been yet.
func (s *Service) Version(ctx context.Context) (string, error) {
	if v := s.version.Load(); v != nil {
		return *v, nil
	}
	return s.Refresh(ctx)
}

// Watch reads the version of the graph every Poll until ctx is done, so that a change
// made anywhere is answered from within Poll. A failed read is retried at the next tick;
// the version then stays what it was.
func (s *Service) Watch(ctx context.Context) {
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			s.Refresh(rctx) //nolint:errcheck // kept as it was until the next tick
			cancel()
		}
	}
}

// Cached returns the snapshot of a key built on a version, if it is cached; it never
// builds.
func (s *Service) Cached(key Key, version string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range *s.cacheOf(key) {
		if e.key == key && e.version == version {
			return e.value, true
		}
	}
	return nil, false
}

// get returns the snapshot of key for a version, built when missing. Requests for the same
// snapshot share one build; builds run one at a time, detached from the requests: a
// request that gives up (a timeout) leaves its build running, and the next request finds
// it done or waits for it.
func (s *Service) get(ctx context.Context, key Key, version string, build func(ctx context.Context) (any, error)) (any, error) {
	if v, ok := s.Cached(key, version); ok {
		return v, nil
	}
	s.mu.Lock()
	fk := flightKey{key, version}
	f, ok := s.flights[fk]
	if !ok {
		if len(s.flights) >= s.opts.MaxQueued {
			s.mu.Unlock()
			return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "%d builds of network data are queued already; try again when they are done", s.opts.MaxQueued)
		}
		f = &flight{done: make(chan struct{})}
		s.flights[fk] = f
		go s.run(context.WithoutCancel(ctx), fk, f, build)
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

func (s *Service) run(ctx context.Context, fk flightKey, f *flight, build func(ctx context.Context) (any, error)) {
	// A narrowed snapshot reads nothing itself: it is made from the whole graph's, whose
	// build it may wait for, so it must not hold the lock that build needs.
	if fk.key.Scope == "" || fk.key.Kind == KindScope {
		s.build.Lock()
		defer s.build.Unlock()
	}
	bctx, cancel := context.WithTimeout(ctx, s.opts.BuildTimeout)
	defer cancel()
	f.value, f.err = build(bctx)
	s.mu.Lock()
	if f.err == nil {
		s.put(fk.key, fk.version, f.value)
	}
	delete(s.flights, fk)
	s.mu.Unlock()
	close(f.done)
}

// put caches a snapshot as the newest entry; s.mu is held.
func (s *Service) put(key Key, version string, value any) {
	cache, keep := s.cacheOf(key), s.opts.Keep
	if key.Scope != "" {
		keep *= scopedPerWhole
	}
	*cache = slices.DeleteFunc(*cache, func(e entry) bool { return e.key == key && e.version == version })
	*cache = append([]entry{{key, version, value}}, *cache...)
	if len(*cache) > keep {
		*cache = (*cache)[:keep]
	}
}

// scopedPerWhole is how many scopes and narrowed snapshots are kept per snapshot of the
// whole graph kept: several officers' at once.
const scopedPerWhole = 4

// cacheOf is the cache that holds a key's snapshots; s.mu is held.
func (s *Service) cacheOf(key Key) *[]entry {
	if key.Scope != "" {
		return &s.scoped
	}
	return &s.cache
}

// Replace puts a snapshot derived from another (a change applied to a copy) into the
// cache under a new version, without a build; a request of that version then answers from
// it. It is the seam through which later writes keep snapshots current in place.
func (s *Service) Replace(key Key, version string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.put(key, version, value)
}

func meta(key Key, version string, start time.Time) Meta {
	return Meta{Key: key, Version: version, BuiltAt: time.Now().UTC(), BuildTime: time.Since(start)}
}

// Parameters describes a snapshot's parameters in words, for provenance.
func (m Meta) Parameters() string {
	switch m.Key.Kind {
	case KindProjection:
		return fmt.Sprintf("asOf=%s ties=%s", m.Key.Day.Format(time.DateOnly), m.Key.Ties) + m.within()
	case KindCensus:
		return fmt.Sprintf("asOf=%s", m.Key.Day.Format(time.DateOnly)) + m.within()
	case KindRound:
		return "round=" + m.Key.Round + m.within()
	}
	return ""
}

// within is what a narrowed snapshot adds to its parameters: the areas of its scope.
func (m Meta) within() string {
	if m.Key.Scope == "" {
		return ""
	}
	return " within=" + m.Key.Scope
}
