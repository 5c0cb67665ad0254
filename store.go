package cobuild

import (
	"context"
	"time"
)

// Direction says which way a tie is followed from the node asked about.
type Direction int

// The directions of a tie.
const (
	Out Direction = iota
	In
	Both
)

// TieQuery names one kind of tie to follow from a set of nodes.
type TieQuery struct {
	Type string
	Dir  Direction
	// AsOf, when set, keeps only ties in force on that day.
	AsOf *time.Time
}

// Neighbour is a tie followed from a node, with the node at its other end (one of the
// domain types: *Organization, *PartyOrg, *Alliance, ...).
type Neighbour struct {
	Tie  Tie
	Node any
}

// PageArgs asks for at most First rows after the row named by the cursor After ("" for the
// first page).
type PageArgs struct {
	First int
	After string
}

// Page is one page of a keyset-paginated list; Cursors[i] names Items[i].
type Page[T any] struct {
	Items   []T
	Cursors []string
	HasNext bool
}

// Sort orders a list by one field, then by id.
type Sort struct {
	Field string
	Desc  bool
}

// OrgFilter selects organisations; zero fields select everything.
type OrgFilter struct {
	Kinds           []OrgKind
	Sectors         []Sector
	AreaID          string
	ParkID          string
	CommunityID     string
	IndustryID      string
	MemberOfID      string
	CoveredByID     string
	AboveScale      *bool
	Operating       *bool
	SizeBands       []SizeBand
	PartyMembersMin *int
	PartyMembersMax *int
	Coverage        []CoverageStatus
	Isolated        *bool
	ShouldHaveOwn   *bool
	// Tiers keeps organisations whose own party organisation has one of these tiers in
	// Round ("" for the newest round).
	Tiers        []Tier
	Round        string
	NameContains string
	// IDs, when not nil, keeps only these organisations (the coverage conditions resolved
	// against a census).
	IDs  []string
	AsOf time.Time
}

// PartyOrgFilter selects party organisations.
type PartyOrgFilter struct {
	Kinds        []string
	NameContains string
	// Tiers keeps those whose evaluation in Round has one of these tiers.
	Tiers []Tier
	Round string
}

// EvaluationFilter selects evaluations.
type EvaluationFilter struct {
	Round      string
	Tiers      []Tier
	Stars      []int
	ScoreMin   *float64
	ScoreMax   *float64
	PartyOrgID string
}

// EventFilter selects events.
type EventFilter struct {
	Kinds   []string
	PartyID string
	From    *time.Time
	To      *time.Time
}

// PersonFilter selects people.
type PersonFilter struct {
	// Roles keeps people who hold every one of these roles on AsOf.
	Roles          []string
	AsOf           time.Time
	NameContains   string
	OrganizationID string
}

// CertificationFilter selects red-leader certifications.
type CertificationFilter struct {
	Statuses []string
}

// MassBranchFilter selects mass-organisation branches.
type MassBranchFilter struct {
	Kinds       []string
	Recommended *bool
	HelpedForm  *bool
}

// Round is an evaluation round.
type Round struct {
	Round     string
	Date      time.Time
	Evaluated int
}

// EventTotals are sums over the events a filter selects.
type EventTotals struct {
	PersonTimes int
	Attendance  int
}

// Reader reads the network. Batch methods take many ids and answer in one round trip, so
// that loaders can gather a request's keys into a single query.
type Reader interface {
	Aggregator
	// NodesByID returns the nodes with the given ids, keyed by id; missing ids are absent.
	NodesByID(ctx context.Context, ids []string) (map[string]any, error)
	// Neighbours follows one kind of tie from each of the given nodes.
	Neighbours(ctx context.Context, q TieQuery, ids []string) (map[string][]Neighbour, error)
	// CoverageFacts returns the facts that decide each organisation's coverage on a day.
	CoverageFacts(ctx context.Context, ids []string, asOf time.Time) (map[string]CoverageFacts, error)
	// CoverageWithout returns, for every organisation whose coverage rests in part on a
	// node (a party organisation, a person, an organisation or alliance owning a covering
	// party organisation, a mass branch), its coverage facts with and without the node.
	CoverageWithout(ctx context.Context, id string, asOf time.Time) (map[string][2]CoverageFacts, error)
	// LatestEvaluations returns the newest evaluation of each party organisation.
	LatestEvaluations(ctx context.Context, partyOrgIDs []string) (map[string]*Evaluation, error)
	// Attendance counts the ATTENDED ties of each event.
	Attendance(ctx context.Context, eventIDs []string) (map[string]int, error)

	OrganizationByCreditCode(ctx context.Context, code string) (*Organization, error)
	OrganizationByName(ctx context.Context, name string) (*Organization, error)
	Organizations(ctx context.Context, f OrgFilter, s Sort, p PageArgs) (Page[*Organization], error)
	CountOrganizations(ctx context.Context, f OrgFilter) (int, error)

	PartyOrgs(ctx context.Context, f PartyOrgFilter, p PageArgs) (Page[*PartyOrg], error)
	CountPartyOrgs(ctx context.Context, f PartyOrgFilter) (int, error)
	Evaluations(ctx context.Context, f EvaluationFilter, s Sort, p PageArgs) (Page[*Evaluation], error)
	CountEvaluations(ctx context.Context, f EvaluationFilter) (int, error)
	Rounds(ctx context.Context) ([]Round, error)
	// RoundEvaluations returns every evaluation of the rounds, with its party organisation.
	RoundEvaluations(ctx context.Context, rounds []string) ([]*Evaluation, error)

	Events(ctx context.Context, f EventFilter, p PageArgs) (Page[*Event], error)
	CountEvents(ctx context.Context, f EventFilter) (int, error)
	EventTotals(ctx context.Context, f EventFilter) (EventTotals, error)
	People(ctx context.Context, f PersonFilter, p PageArgs) (Page[*Person], error)
	CountPeople(ctx context.Context, f PersonFilter) (int, error)
	Certifications(ctx context.Context, f CertificationFilter, p PageArgs) (Page[*Certification], error)
	CountCertifications(ctx context.Context, f CertificationFilter) (int, error)
	MassBranches(ctx context.Context, f MassBranchFilter, p PageArgs) (Page[*MassBranch], error)
	CountMassBranches(ctx context.Context, f MassBranchFilter) (int, error)

	// Hubs lists every node of a small label (Alliance, Agreement, RedZone, DemoBelt,
	// DemoSite, Brand, Area, Industry) whose properties match, ordered by name.
	Hubs(ctx context.Context, label string, match map[string]any) ([]any, error)
	// HubByName returns the node of a small label with this exact name.
	HubByName(ctx context.Context, label, name string) (any, error)
}

// Candidate is a party organisation, instructor or community that could take on an
// organisation, with what it shares with it and how much it carries already.
type Candidate struct {
	ID, Label, Kind, Name string
	// Load is how many organisations it covers, is assigned to, or co-builds with now.
	Load int
	// Shared* count the organisations it already serves that share the organisation's
	// community, park and industry; for a community, SharedCommunity is 1 when the
	// organisation is on its patch.
	SharedCommunity, SharedPark, SharedIndustry int
}
