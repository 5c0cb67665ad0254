package snapshot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cobuild"
	"cobuild/analytics"
)

// Projection is the network of one day over some tie types, with what it was built on.
type Projection struct {
	*analytics.Projection
	Meta
}

// Day is the day whose ties the projection holds.
func (p *Projection) Day() time.Time { return p.Key.Day }

// Census is every organisation on one day with its coverage, with what it was built on.
type Census struct {
	*analytics.Census
	Meta
}

// Day is the day of the census.
func (c *Census) Day() time.Time { return c.Key.Day }

// Round is the evaluations of one round, each with its party organisation.
type Round struct {
	Evaluations []*cobuild.Evaluation
	Meta
}

// Places is every organisation with what it is grouped by, for one version of the graph.
type Places struct {
	*analytics.Places
	Meta
}

// Projection returns the projection of a key made by ProjectionKey, built on a version of
// the graph (Version).
func (s *Service) Projection(ctx context.Context, key Key, version string) (*Projection, error) {
	if key.Kind != KindProjection {
		return nil, fmt.Errorf("snapshot: %s is not a projection key", key)
	}
	for _, t := range key.TieTypes() {
		if !slices.Contains(cobuild.NetworkTies, t) {
			return nil, cobuild.Errorf(cobuild.EINVALID, "%q is not a tie the network follows", t)
		}
	}
	v, err := s.get(ctx, key, version, func(ctx context.Context) (any, error) {
		start := time.Now()
		nodes, ties, err := s.src.NetworkTies(ctx, key.Day, key.TieTypes())
		if err != nil {
			return nil, fmt.Errorf("read the network of %s: %w", key.Day.Format(time.DateOnly), err)
		}
		return &Projection{Projection: analytics.NewProjection(analytics.Build(nodes, ties)), Meta: meta(key, version, start)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Projection), nil
}

// Census returns every organisation on a day with its coverage, built on a version of the
// graph. The organisations' places are read once per version and the facts once per day.
func (s *Service) Census(ctx context.Context, day time.Time, version string) (*Census, error) {
	key := CensusKey(day)
	v, err := s.get(ctx, key, version, func(ctx context.Context) (any, error) {
		start := time.Now()
		places, err := s.places(ctx, version)
		if err != nil {
			return nil, err
		}
		facts, err := s.src.CensusFacts(ctx, day)
		if err != nil {
			return nil, err
		}
		return &Census{Census: analytics.NewCensusOf(s.rules, places.Places, facts), Meta: meta(key, version, start)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Census), nil
}

// Places returns the organisations' places of a version, read when missing.
func (s *Service) Places(ctx context.Context, version string) (*Places, error) {
	v, err := s.get(ctx, PlacesKey(), version, func(ctx context.Context) (any, error) { return s.places(ctx, version) })
	if err != nil {
		return nil, err
	}
	return v.(*Places), nil
}

// places returns the organisations' places of a version, read when missing. It runs
// inside another build (under the build lock), so it reads directly rather than through a
// flight of its own.
func (s *Service) places(ctx context.Context, version string) (*Places, error) {
	key := PlacesKey()
	if v, ok := s.Cached(key, version); ok {
		return v.(*Places), nil
	}
	start := time.Now()
	rows, err := s.src.CensusPlaces(ctx)
	if err != nil {
		return nil, err
	}
	p := &Places{Places: analytics.NewPlaces(rows), Meta: meta(key, version, start)}
	s.mu.Lock()
	s.put(key, version, p)
	s.mu.Unlock()
	return p, nil
}

// Round returns every evaluation of a round with its party organisation, read once per
// version of the graph: the grading aggregates of a round and of its movement since
// another answer from it.
func (s *Service) Round(ctx context.Context, round string, version string) (*Round, error) {
	key := RoundKey(round)
	v, err := s.get(ctx, key, version, func(ctx context.Context) (any, error) {
		start := time.Now()
		es, err := s.src.RoundEvaluations(ctx, []string{round})
		if err != nil {
			return nil, err
		}
		return &Round{Evaluations: es, Meta: meta(key, version, start)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Round), nil
}
