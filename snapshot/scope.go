package snapshot

import (
	"context"
	"time"

	"cobuild"
)

// ScopeReader reads the scope of some areas from the graph (an area officer's part of
// it). A Source that implements it gives the service scopes; neo4jstore.Store does.
type ScopeReader interface {
	ReadScope(ctx context.Context, areas []string) (*cobuild.Scope, error)
}

// Scope returns the scope of some areas (a cobuild.ScopeKey) on a version of the graph,
// read once per version.
func (s *Service) Scope(ctx context.Context, areas string, version string) (*cobuild.Scope, error) {
	reader, ok := s.src.(ScopeReader)
	if !ok {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "本服务器不提供按辖区的查询。Answers by area are not configured on this server.")
	}
	v, err := s.get(ctx, ScopeOf(areas), version, func(ctx context.Context) (any, error) {
		return reader.ReadScope(ctx, cobuild.ScopeAreas(areas))
	})
	if err != nil {
		return nil, err
	}
	return v.(*cobuild.Scope), nil
}

// within returns the snapshot of a key narrowed to the scope of some areas, made once per
// version by narrow, from the whole graph's snapshot and the scope.
func (s *Service) within(ctx context.Context, key Key, areas, version string, narrow func(ctx context.Context, scope *cobuild.Scope) (any, error)) (any, error) {
	return s.get(ctx, key.Within(areas), version, func(ctx context.Context) (any, error) {
		scope, err := s.Scope(ctx, areas, version)
		if err != nil {
			return nil, err
		}
		return narrow(ctx, scope)
	})
}

// ProjectionWithin returns the projection of a key (made by ProjectionKey) narrowed to the
// scope of some areas: the nodes in scope and the ties between them.
func (s *Service) ProjectionWithin(ctx context.Context, key Key, areas, version string) (*Projection, error) {
	v, err := s.within(ctx, key, areas, version, func(ctx context.Context, scope *cobuild.Scope) (any, error) {
		whole, err := s.Projection(ctx, key, version)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		p := whole.Projection.Within(scope.Has)
		return &Projection{Projection: p, Meta: meta(key.Within(areas), version, start)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Projection), nil
}

// PlacesWithin returns the places of the organisations in the scope of some areas.
func (s *Service) PlacesWithin(ctx context.Context, areas, version string) (*Places, error) {
	key := PlacesKey()
	v, err := s.within(ctx, key, areas, version, func(ctx context.Context, scope *cobuild.Scope) (any, error) {
		whole, err := s.Places(ctx, version)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		return &Places{Places: whole.Places.Within(scope.Has), Meta: meta(key.Within(areas), version, start)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Places), nil
}

// CensusWithin returns the census of a day narrowed to the organisations in the scope of
// some areas: each with its own coverage, as in the whole census.
func (s *Service) CensusWithin(ctx context.Context, day time.Time, areas, version string) (*Census, error) {
	key := CensusKey(day)
	v, err := s.within(ctx, key, areas, version, func(ctx context.Context, _ *cobuild.Scope) (any, error) {
		whole, err := s.Census(ctx, day, version)
		if err != nil {
			return nil, err
		}
		places, err := s.PlacesWithin(ctx, areas, version)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		return &Census{Census: whole.Census.Within(places.Places), Meta: meta(key.Within(areas), version, start)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Census), nil
}

// RoundWithin returns the evaluations of a round in the scope of some areas.
func (s *Service) RoundWithin(ctx context.Context, round, areas, version string) (*Round, error) {
	key := RoundKey(round)
	v, err := s.within(ctx, key, areas, version, func(ctx context.Context, scope *cobuild.Scope) (any, error) {
		whole, err := s.Round(ctx, round, version)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		out := &Round{Evaluations: []*cobuild.Evaluation{}}
		for _, e := range whole.Evaluations {
			if scope.Has(e.ID) && scope.Has(e.PartyOrgID) {
				out.Evaluations = append(out.Evaluations, e)
			}
		}
		out.Meta = meta(key.Within(areas), version, start)
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Round), nil
}
