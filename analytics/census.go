package analytics

import (
	"context"
	"slices"
	"sync"
	"time"

	"cobuild"
)

// Census is every organisation on one day with its coverage under the service's rules,
// read once per day and version of the graph and cached like a projection. The coverage
// lists, the coverage aggregates and multi-hop coverage answer from it.
type Census struct {
	Rows []cobuild.CensusRow
	// Coverage is the coverage of Rows[i] under the rules.
	Coverage  []cobuild.Coverage
	AsOf      time.Time
	Version   string
	BuiltAt   time.Time
	BuildTime time.Duration

	index  map[string]int
	covers func() *coverIndex
}

// Row returns the number of the organisation's row.
func (c *Census) Row(id string) (int, bool) {
	i, ok := c.index[id]
	return i, ok
}

// NewCensus computes the coverage of every row.
func NewCensus(rules cobuild.Rules, rows []cobuild.CensusRow) *Census {
	c := &Census{Rows: rows, Coverage: make([]cobuild.Coverage, len(rows)), index: make(map[string]int, len(rows))}
	for i, r := range rows {
		c.Coverage[i] = rules.CoverageOf(r.Facts)
		c.index[r.ID] = i
	}
	c.covers = sync.OnceValue(func() *coverIndex { return newCoverIndex(rows) })
	return c
}

// Census returns every organisation on a day with its coverage, built on the current
// version of the graph. The organisations' places are read once per version and the
// facts once per day.
func (s *Service) Census(ctx context.Context, asOf time.Time) (*Census, error) {
	v, err := s.get(ctx, "census "+asOf.Format(time.DateOnly), func(ctx context.Context, version string) (any, error) {
		start := time.Now()
		if s.placesVersion != version || s.places == nil {
			places, err := s.src.CensusPlaces(ctx)
			if err != nil {
				return nil, err
			}
			s.places, s.placesVersion = places, version
		}
		facts, err := s.src.CensusFacts(ctx, asOf)
		if err != nil {
			return nil, err
		}
		rows := slices.Clone(s.places)
		for i := range rows {
			if f, ok := facts[rows[i].ID]; ok {
				rows[i].Facts, rows[i].Coverers = f.Facts, f.Coverers
			}
			rows[i].Facts.PartyMembers = rows[i].PartyMembers
		}
		c := NewCensus(s.Rules, rows)
		c.AsOf, c.Version, c.BuiltAt, c.BuildTime = asOf, version, time.Now().UTC(), time.Since(start)
		return c, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Census), nil
}
