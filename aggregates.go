package cobuild

import (
	"context"
	"time"
)

// Aggregator reads the raw material of the programme and demonstration aggregates, each in
// one statement over the whole district; the aggregates are counted from it in Go.
type Aggregator interface {
	// Mentors returns everyone mentoring someone on the day.
	Mentors(ctx context.Context, asOf time.Time) ([]MentorRow, error)
	// CertificationRows returns every red-leader certification with its holder's place.
	CertificationRows(ctx context.Context) ([]CertificationRow, error)
	// MassBranchFacts counts the branches and what they led to.
	MassBranchFacts(ctx context.Context) (MassBranchFacts, error)
	// HubRows returns every alliance, committee, agreement, red zone and belt on the day.
	HubRows(ctx context.Context, asOf time.Time) ([]HubRow, error)
	// LeadingIndustries returns each leading industry with its committee, its alliance and
	// its above-scale enterprises, marking those in either on the day.
	LeadingIndustries(ctx context.Context, asOf time.Time) ([]LeadingIndustryRow, error)
}

// MentorRow is a mentor on a day.
type MentorRow struct {
	PersonID string
	Mentees  int
	// Instructor is true when the mentor is also an instructor on the day.
	Instructor bool
	// MenteePartyOrgs are the party organisations (own, else covering) of the organisations
	// the mentees work at.
	MenteePartyOrgs []string
}

// CertificationRow is a red-leader certification and where its holder works.
type CertificationRow struct {
	ID                 string
	Certified          bool
	IndustryID, ParkID string
	ReviewedOn         *time.Time
}

// MassBranchFacts are the mass-organisation branches and what followed them.
type MassBranchFacts struct {
	Formed, Recommended int
	Followed            []BranchFollowed
}

// BranchFollowed is a branch and a party organisation it helped form.
type BranchFollowed struct {
	BranchID, PartyOrgID string
	FormedOn, FoundedOn  *time.Time
}

// HubRow is a hub of the network on a day.
type HubRow struct {
	ID, Name, Kind string
	Members        int
	AboveScale     int
	// MemberKinds are the kinds of its member organisations, one per member.
	MemberKinds []string
	// Events are the kinds and person-times of the events it held or attended.
	Events []EventRow
	// MemberPartyOrgs are the party organisations (own, else covering) of its member
	// organisations (of the organisations designated on its sites, for a belt), one per
	// organisation that has one.
	MemberPartyOrgs []string
}

// EventRow is one event's kind and person-times.
type EventRow struct {
	Kind        string
	PersonTimes int
}

// LeadingIndustryRow is a leading industry and its above-scale enterprises.
type LeadingIndustryRow struct {
	IndustryID, CommitteeID, AllianceID string
	AboveScale, InEither                int
	// InNeither are the above-scale enterprises in neither its committee nor its alliance.
	InNeither []string
}
