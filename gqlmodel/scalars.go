// Package gqlmodel holds the hand-written Go types behind the GraphQL schema that are not
// domain values: the Date scalar, the seven organisation types (which share their fields,
// resolved here once through the request's loaders), ties, connections and filter inputs.
// Generated code in graph/ binds to these types; resolvers/ builds them.
package gqlmodel

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"cobuild"
	"cobuild/loaders"
)

// MarshalDate writes a day as "2006-01-02".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads a day written as "2006-01-02"; anything else is BAD_USER_INPUT.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, cobuild.Errorf(cobuild.EINVALID, "a Date is a string such as 2023-05-15, got %v", v)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, cobuild.Errorf(cobuild.EINVALID, "%q is not a date such as 2023-05-15", s)
	}
	return t, nil
}

// Today is the day used when a query gives no asOf.
func Today() time.Time {
	y, m, d := time.Now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DayOr returns the day asked for, or today.
func DayOr(asOf *time.Time) time.Time {
	if asOf == nil {
		return Today()
	}
	return *asOf
}

// GeoPoint is a coordinate.
type GeoPoint struct {
	Lat float64
	Lng float64
}

// Coverage is an organisation's coverage on a day.
type Coverage struct {
	AsOf          time.Time
	Status        cobuild.CoverageStatus
	StatusLabel   string
	Isolated      bool
	ShouldHaveOwn bool
	Reason        string
	// ReasonLabel is the reason in Chinese.
	ReasonLabel string
}

// PageInfo tells whether more rows follow.
type PageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// PageArgs checks a page size against the request's limits: nil means the default, and a
// size outside 1..max is BAD_USER_INPUT.
func PageArgs(s loaders.Settings, first *int, after *string) (cobuild.PageArgs, error) {
	p := cobuild.PageArgs{First: s.DefaultPageSize}
	if first != nil {
		if *first < 1 || *first > s.MaxPageSize {
			return p, cobuild.Errorf(cobuild.EINVALID, "first must be between 1 and %d, got %d", s.MaxPageSize, *first)
		}
		p.First = *first
	}
	if after != nil {
		p.After = *after
	}
	return p, nil
}

func pageInfo(cursors []string, hasNext bool) *PageInfo {
	pi := &PageInfo{HasNextPage: hasNext}
	if len(cursors) > 0 {
		c := cursors[len(cursors)-1]
		pi.EndCursor = &c
	}
	return pi
}
