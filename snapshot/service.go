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
	// Pinned names the snapshots the dashboard lives on (today's census, network and
	// places): they are never evicted by other snapshots, are built in a lane of their
	// own, and when the graph changes the new one is built beside the old, which answers
	// meanwhile. Nil pins nothing.
	Pinned func() []Key
	// PerClient is how many days one client (see WithClient) may have snapshots that are
	// not pinned built for at once (a day's census and network count once); a build for
	// yet another day fails at once with RATE_LIMITED.
	PerClient int
}

// DefaultOptions are the options of a Service unless configured otherwise.
var DefaultOptions = Options{Keep: 16, BuildTimeout: 10 * time.Minute, MaxQueued: 8, Poll: 200 * time.Millisecond, PerClient: 3}

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
	// clients counts the builds under way per client and day.
	clients map[string]map[time.Time]int
	// builds, failures and buildTime add up the builds done, for the metrics; patches
	// and patchTime the changes applied in place.
	builds, failures, buildTime, patches, patchTime atomic.Int64
	// follow serialises Refresh; changed is closed when the version changes.
	follow  sync.Mutex
	changed chan struct{}
	// patchFailed counts the failures of the pending patch; follow is held.
	patchFailed int
	// build serialises builds: two builds at once would only compete for Neo4j. Pinned
	// snapshots have a lane of their own, so that no build of another day holds them up.
	build, pinnedBuild sync.Mutex
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
	if opts.PerClient <= 0 {
		opts.PerClient = d.PerClient
	}
	return &Service{src: src, rules: rules, opts: opts, flights: map[flightKey]*flight{}, clients: map[string]map[time.Time]int{},
		changed: make(chan struct{})}
}

// Rules returns the rules the censuses decide coverage by.
func (s *Service) Rules() cobuild.Rules { return s.rules }

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
			rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
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
// it done or waits for it. A pinned snapshot of an older version answers while the new
// one is built.
func (s *Service) get(ctx context.Context, key Key, version string, build func(ctx context.Context) (any, error)) (any, error) {
	if v, ok := s.Cached(key, version); ok {
		return v, nil
	}
	pinned := s.pinned(key)
	s.mu.Lock()
	if cur := s.version.Load(); pinned && cur != nil && *cur != version {
		// A request still on a version the graph has left: a pinned snapshot of another
		// version serves it rather than a build of an outdated one.
		if old, ok := s.older(key); ok {
			s.mu.Unlock()
			return old, nil
		}
	}
	fk := flightKey{key, version}
	f, ok := s.flights[fk]
	if !ok {
		client := clientOf(ctx)
		if !pinned {
			if len(s.flights) >= s.opts.MaxQueued {
				s.mu.Unlock()
				return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "已有 %d 项网络数据正在计算，请稍后再试。%d builds of network data are queued already; try again when they are done.", s.opts.MaxQueued, s.opts.MaxQueued)
			}
			days := s.clients[client]
			if _, building := days[key.Day]; client != "" && !building && len(days) >= s.opts.PerClient {
				s.mu.Unlock()
				return nil, cobuild.Errorf(cobuild.ERATELIMITED, "您已有 %d 个其他日期的数据正在计算，请等其完成。You have data of %d other days being built already; wait for them to finish.", s.opts.PerClient, s.opts.PerClient)
			}
			if days == nil {
				days = map[time.Time]int{}
				s.clients[client] = days
			}
			days[key.Day]++
		} else {
			client = ""
		}
		f = &flight{done: make(chan struct{}), client: client}
		s.flights[fk] = f
		go s.run(context.WithoutCancel(ctx), fk, f, pinned, build)
	}
	if pinned {
		if old, ok := s.older(key); ok {
			s.mu.Unlock()
			return old, nil
		}
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// pinned says whether key is one of the pinned snapshots.
func (s *Service) pinned(key Key) bool {
	return s.opts.Pinned != nil && slices.Contains(s.opts.Pinned(), key)
}

// older returns the newest cached snapshot of key of any version; s.mu is held.
func (s *Service) older(key Key) (any, bool) {
	for _, e := range *s.cacheOf(key) {
		if e.key == key {
			return e.value, true
		}
	}
	return nil, false
}

// flight is a build that requests wait for.
type flight struct {
	done   chan struct{}
	client string
	value  any
	err    error
}

func (s *Service) run(ctx context.Context, fk flightKey, f *flight, pinned bool, build func(ctx context.Context) (any, error)) {
	// A narrowed snapshot reads nothing itself: it is made from the whole graph's, whose
	// build it may wait for, so it must not hold the lock that build needs.
	if fk.key.Scope == "" || fk.key.Kind == KindScope {
		lane := &s.build
		if pinned {
			lane = &s.pinnedBuild
		}
		lane.Lock()
		defer lane.Unlock()
	}
	bctx, cancel := context.WithTimeout(ctx, s.opts.BuildTimeout)
	defer cancel()
	start := time.Now()
	f.value, f.err = build(bctx)
	s.builds.Add(1)
	s.buildTime.Add(int64(time.Since(start)))
	if f.err != nil {
		s.failures.Add(1)
	}
	s.mu.Lock()
	if f.err == nil {
		s.put(fk.key, fk.version, f.value)
	}
	delete(s.flights, fk)
	if f.client != "" {
		days := s.clients[f.client]
		if days[fk.key.Day]--; days[fk.key.Day] <= 0 {
			delete(days, fk.key.Day)
		}
		if len(days) == 0 {
			delete(s.clients, f.client)
		}
	}
	s.mu.Unlock()
	close(f.done)
}

// put caches a snapshot as the newest entry; s.mu is held. A pinned snapshot replaces the
// older versions of its key and is not counted against Keep, so that other snapshots
// never evict it; once a key is no longer pinned (the day has turned), its entries age
// out like any other.
func (s *Service) put(key Key, version string, value any) {
	pinned := s.opts.Pinned
	var pins []Key
	if pinned != nil {
		pins = pinned()
	}
	isPinned := slices.Contains(pins, key)
	cache, keep := s.cacheOf(key), s.opts.Keep
	if key.Scope != "" {
		keep *= scopedPerWhole
	}
	*cache = slices.DeleteFunc(*cache, func(e entry) bool { return e.key == key && (e.version == version || isPinned) })
	*cache = append([]entry{{key, version, value}}, *cache...)
	kept, unpinned := (*cache)[:0], 0
	for _, e := range *cache {
		if !slices.Contains(pins, e.key) {
			if unpinned++; unpinned > keep {
				continue
			}
		}
		kept = append(kept, e)
	}
	clear((*cache)[len(kept):])
	*cache = kept
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

// Stats are the service's counts, for the metrics.
type Stats struct {
	// Cached and Pinned count the snapshots kept, Building those under way or queued.
	Cached, Pinned, Building int
	// Builds and Failures count the builds done; BuildTime adds up their time.
	Builds, Failures int64
	BuildTime        time.Duration
	// Patches counts the steps of the change log applied in place; PatchTime adds up
	// their time.
	Patches   int64
	PatchTime time.Duration
}

// Stats returns the service's counts now.
func (s *Service) Stats() Stats {
	var pins []Key
	if s.opts.Pinned != nil {
		pins = s.opts.Pinned()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Cached: len(s.cache) + len(s.scoped), Building: len(s.flights), Builds: s.builds.Load(), Failures: s.failures.Load(),
		BuildTime: time.Duration(s.buildTime.Load()), Patches: s.patches.Load(), PatchTime: time.Duration(s.patchTime.Load())}
	for _, e := range s.cache {
		if slices.Contains(pins, e.key) {
			st.Pinned++
		}
	}
	return st
}

type clientKey struct{}

// WithClient returns ctx naming the client whose request it is (a token's subject or an
// address), so that the builds one client starts are bounded (Options.PerClient).
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

func clientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
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
