// Package gqlmodel holds the Go types behind the GraphQL schema that are neither domain
// values (cobuild) nor computed results (analytics, snapshot): the Date scalar, the seven
// organisation types, ties, connections, filter inputs and the network's answers. gqlgen
// binds the schema to these types (gqlgen.yml), and the generated code in graph/ imports
// them, which is why they live apart from the resolvers that build them: resolvers/ imports
// graph/, so graph/ cannot import resolvers/. The types hold data; every field that needs
// the store is resolved in resolvers/.
package gqlmodel

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"cobuild"
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

// NewCoverage describes a coverage on a day.
func NewCoverage(day time.Time, c cobuild.Coverage) *Coverage {
	return &Coverage{AsOf: day, Status: c.Status, StatusLabel: cobuild.Label("CoverageStatus", string(c.Status)),
		Isolated: c.Isolated, ShouldHaveOwn: c.ShouldHaveOwn, Reason: c.Reason, ReasonLabel: c.ReasonZh}
}

// The union and interface types below are bound to empty interfaces, not to marker
// interfaces, because their members are domain values (cobuild.Alliance, cobuild.Person...)
// that must not carry GraphQL methods; the resolvers return only members of the union.

// Hub is an alliance or a red zone (*cobuild.Alliance or *cobuild.RedZone).
type Hub interface{}

// EventParty is whatever holds or attends an event: an Organization, *cobuild.Alliance,
// *cobuild.Agreement or *cobuild.Person.
type EventParty interface{}

// Node is anything with an id: an Organization or a domain value (*cobuild.PartyOrg...).
type Node interface{}
