package snapshot

import (
	"context"
	"sync"
	"time"

	"cobuild"
)

// View is one request's view of the snapshots: the version of the graph is taken once, at
// the first snapshot the request asks for, and every snapshot of the request is of that
// version, asked of the service once per key. A list of n rows asking for the census thus
// costs one lookup, not n.
type View struct {
	svc *Service
	// within names the areas (cobuild.ScopeKey) of an area officer's view, whose every
	// snapshot is narrowed to their scope (Within); "" for the whole graph.
	within string

	mu      sync.Mutex
	version string
	built   map[Key]func() (any, error)
}

// View returns a new view of the service's snapshots.
func (s *Service) View() *View {
	return &View{svc: s, built: map[Key]func() (any, error){}}
}

// Within returns a new view of the service's snapshots narrowed to the scope of an area
// officer's areas: its projections, censuses, places and rounds hold what is in scope
// only, so that everything computed from them is computed over the scope.
func (v *View) Within(areas []string) *View {
	return &View{svc: v.svc, within: cobuild.ScopeKey(areas), built: map[Key]func() (any, error){}}
}

// Scope returns the scope the view is narrowed to; nil for a view of the whole graph.
func (v *View) Scope(ctx context.Context) (*cobuild.Scope, error) {
	if !v.scoped() {
		return nil, nil
	}
	s, err := v.once(ctx, ScopeOf(v.within), func(version string) (any, error) { return v.svc.Scope(ctx, v.within, version) })
	if err != nil {
		return nil, err
	}
	return s.(*cobuild.Scope), nil
}

func (v *View) scoped() bool { return v.within != "" }

// Version returns the version of the graph the view answers from, taken at the first
// call.
func (v *View) Version(ctx context.Context) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.version != "" {
		return v.version, nil
	}
	version, err := v.svc.Version(ctx)
	if err != nil {
		return "", err
	}
	v.version = version
	return version, nil
}

func (v *View) once(ctx context.Context, key Key, get func(version string) (any, error)) (any, error) {
	version, err := v.Version(ctx)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	f, ok := v.built[key]
	if !ok {
		f = sync.OnceValues(func() (any, error) { return get(version) })
		v.built[key] = f
	}
	v.mu.Unlock()
	return f()
}

// Projection returns the projection of a key made by ProjectionKey.
func (v *View) Projection(ctx context.Context, key Key) (*Projection, error) {
	p, err := v.once(ctx, key, func(version string) (any, error) {
		if v.scoped() {
			return v.svc.ProjectionWithin(ctx, key, v.within, version)
		}
		return v.svc.Projection(ctx, key, version)
	})
	if err != nil {
		return nil, err
	}
	return p.(*Projection), nil
}

// Census returns the census of a day.
func (v *View) Census(ctx context.Context, day time.Time) (*Census, error) {
	c, err := v.once(ctx, CensusKey(day), func(version string) (any, error) {
		if v.scoped() {
			return v.svc.CensusWithin(ctx, day, v.within, version)
		}
		return v.svc.Census(ctx, day, version)
	})
	if err != nil {
		return nil, err
	}
	return c.(*Census), nil
}

// CachedCensus returns the census of a day when it is built already for the view's
// version, without building it: a list that could use the census, but need not, uses it
// only then. A narrowed view narrows the whole census when that is built.
func (v *View) CachedCensus(ctx context.Context, day time.Time) (*Census, bool) {
	version, err := v.Version(ctx)
	if err != nil {
		return nil, false
	}
	c, ok := v.svc.Cached(CensusKey(day), version)
	if !ok {
		return nil, false
	}
	if v.scoped() {
		within, err := v.Census(ctx, day)
		return within, err == nil
	}
	return c.(*Census), true
}

// Round returns the evaluations of a round.
func (v *View) Round(ctx context.Context, round string) (*Round, error) {
	r, err := v.once(ctx, RoundKey(round), func(version string) (any, error) {
		if v.scoped() {
			return v.svc.RoundWithin(ctx, round, v.within, version)
		}
		return v.svc.Round(ctx, round, version)
	})
	if err != nil {
		return nil, err
	}
	return r.(*Round), nil
}

// Places returns the organisations' places of the view's version.
func (v *View) Places(ctx context.Context) (*Places, error) {
	p, err := v.once(ctx, PlacesKey(), func(version string) (any, error) {
		if v.scoped() {
			return v.svc.PlacesWithin(ctx, v.within, version)
		}
		return v.svc.Places(ctx, version)
	})
	if err != nil {
		return nil, err
	}
	return p.(*Places), nil
}

// CachedPlaces returns the organisations' places when they are built already for the
// view's version, without building them.
func (v *View) CachedPlaces(ctx context.Context) (*Places, bool) {
	version, err := v.Version(ctx)
	if err != nil {
		return nil, false
	}
	p, ok := v.svc.Cached(PlacesKey(), version)
	if !ok {
		return nil, false
	}
	if v.scoped() {
		within, err := v.Places(ctx)
		return within, err == nil
	}
	return p.(*Places), true
}
