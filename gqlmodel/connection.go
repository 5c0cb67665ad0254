package gqlmodel

import (
	"context"
	"time"

	"cobuild"
	"cobuild/analytics"
)

// PageInfo says where a page sits in its list (Relay's PageInfo). Pages are keyset pages
// read forwards, so hasPreviousPage is true exactly when the page was asked after a
// cursor.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Counted is the part of a connection that counts every row of its list, and reads the
// count only when asked: resolvers set Count to what the list's filter needs.
type Counted struct {
	PageInfo *PageInfo
	Count    func(context.Context) (int, error)
}

// TotalCount counts every row the list's filter selects.
func (c *Counted) TotalCount(ctx context.Context) (int, error) { return c.Count(ctx) }

// The connections of the schema and their edges.
type (
	OrganizationConnection struct {
		Counted
		Nodes []Organization
		Edges []*OrganizationEdge
	}
	OrganizationEdge struct {
		Cursor string
		Node   Organization
	}
	PartyOrganizationConnection struct {
		Counted
		Nodes []*cobuild.PartyOrg
		Edges []*PartyOrganizationEdge
	}
	PartyOrganizationEdge struct {
		Cursor string
		Node   *cobuild.PartyOrg
	}
	EvaluationConnection struct {
		Counted
		Nodes []*analytics.Evaluation
		Edges []*EvaluationEdge
	}
	EvaluationEdge struct {
		Cursor string
		Node   *analytics.Evaluation
	}
	PersonConnection struct {
		Counted
		Nodes []*cobuild.Person
		Edges []*PersonEdge
	}
	PersonEdge struct {
		Cursor string
		Node   *cobuild.Person
	}
	CertificationConnection struct {
		Counted
		Nodes []*cobuild.Certification
		Edges []*CertificationEdge
	}
	CertificationEdge struct {
		Cursor string
		Node   *cobuild.Certification
	}
	MassBranchConnection struct {
		Counted
		Nodes []*cobuild.MassBranch
		Edges []*MassBranchEdge
	}
	MassBranchEdge struct {
		Cursor string
		Node   *cobuild.MassBranch
	}
	EventConnection struct {
		Counted
		Nodes []*cobuild.Event
		Edges []*EventEdge
		// Totals sums personTimes and attendance over every matching event.
		Totals func(context.Context) (cobuild.EventTotals, error)
	}
	EventEdge struct {
		Cursor string
		Node   *cobuild.Event
	}
)

// PersonTimes sums personTimes over every matching event.
func (c *EventConnection) PersonTimes(ctx context.Context) (int, error) {
	t, err := c.Totals(ctx)
	return t.PersonTimes, err
}

// Attendance sums attendance over every matching event.
func (c *EventConnection) Attendance(ctx context.Context) (int, error) {
	t, err := c.Totals(ctx)
	return t.Attendance, err
}

// OrganizationWhere is the filter input of organisation lists.
type OrganizationWhere struct {
	Kind            []cobuild.OrgKind
	Sector          []cobuild.Sector
	AreaID          *string
	ParkID          *string
	CommunityID     *string
	IndustryID      *string
	MemberOfID      *string
	CoveredByID     *string
	AboveScale      *bool
	Operating       *bool
	SizeBand        []cobuild.SizeBand
	PartyMembersMin *int
	PartyMembersMax *int
	Coverage        []cobuild.CoverageStatus
	Isolated        *bool
	ShouldHaveOwn   *bool
	Tier            []cobuild.Tier
	Round           *string
	NameContains    *string
	AsOf            *time.Time
}

// OrganizationSort is the sort input of organisation lists.
type OrganizationSort struct {
	Field     string
	Direction *string
}
