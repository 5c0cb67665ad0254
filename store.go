package cobuild

import (
	"context"
	"time"
)

// TieQuery names one kind of tie to follow from a set of nodes.
type TieQuery struct {
	Type TieType
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
// first page), and for what With says along with each row.
type PageArgs struct {
	First int
	After string
	With  *Fetch
}

// Page is one page of a keyset-paginated list; Cursors[i] names Items[i]. Fetched holds
// what the page's With asked for.
type Page[T any] struct {
	Items   []T
	Cursors []string
	HasNext bool
	Fetched *Fetched
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
	// ByID lists the people in id order rather than by name, for callers who may not see
	// names: a cursor holds the sort key of its row.
	ByID bool
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

// The store is read through the interfaces below, one per concern; neo4jstore.Store
// implements them all. Every method returns cobuild errors for what a user should know
// (EINVALID for a bad filter or cursor, EUNAVAILABLE and ETIMEOUT for the database) and an
// internal error otherwise. Methods that read nodes take a *Fetch of what to return along
// with them in the same statement (nil for nothing) and give it back in a *Fetched.

// NodeReader reads nodes by id.
type NodeReader interface {
	// Expand reads the nodes with the given ids, and what f asks for along with them, in
	// one statement; a missing id is absent from Fetched.Nodes, a malformed one EINVALID.
	Expand(ctx context.Context, ids []string, f *Fetch) (*Fetched, error)
}

// OrganizationReader reads organisations.
type OrganizationReader interface {
	// OrganizationByCreditCode returns the organisation with a credit code (nil if none); a
	// malformed code is EINVALID.
	OrganizationByCreditCode(ctx context.Context, code string, with *Fetch) (*Organization, *Fetched, error)
	// OrganizationByName returns the organisation with exactly this name (the first by id
	// if several share it; nil if none).
	OrganizationByName(ctx context.Context, name string, with *Fetch) (*Organization, *Fetched, error)
	// Organizations returns a page of the organisations a filter selects, in the sort's
	// order (by name unless asked otherwise).
	Organizations(ctx context.Context, f OrgFilter, s Sort, p PageArgs) (Page[*Organization], error)
	// CountOrganizations counts the organisations a filter selects.
	CountOrganizations(ctx context.Context, f OrgFilter) (int, error)
	// CoverageWithout returns, for every organisation whose coverage rests in part on a
	// node (a party organisation, a person, an organisation or alliance owning a covering
	// party organisation, a mass branch), its coverage facts with and without the node.
	CoverageWithout(ctx context.Context, id string, asOf time.Time) (map[string][2]CoverageFacts, error)
}

// PartyReader reads party organisations and their evaluations.
type PartyReader interface {
	PartyOrgs(ctx context.Context, f PartyOrgFilter, p PageArgs) (Page[*PartyOrg], error)
	CountPartyOrgs(ctx context.Context, f PartyOrgFilter) (int, error)
	Evaluations(ctx context.Context, f EvaluationFilter, s Sort, p PageArgs) (Page[*Evaluation], error)
	CountEvaluations(ctx context.Context, f EvaluationFilter) (int, error)
	// Rounds lists the evaluation rounds, newest first.
	Rounds(ctx context.Context) ([]Round, error)
	// RoundEvaluations returns every evaluation of the rounds, with its party organisation.
	RoundEvaluations(ctx context.Context, rounds []string) ([]*Evaluation, error)
}

// PeopleReader reads people and the programmes' records.
type PeopleReader interface {
	People(ctx context.Context, f PersonFilter, p PageArgs) (Page[*Person], error)
	CountPeople(ctx context.Context, f PersonFilter) (int, error)
	Certifications(ctx context.Context, f CertificationFilter, p PageArgs) (Page[*Certification], error)
	CountCertifications(ctx context.Context, f CertificationFilter) (int, error)
	MassBranches(ctx context.Context, f MassBranchFilter, p PageArgs) (Page[*MassBranch], error)
	CountMassBranches(ctx context.Context, f MassBranchFilter) (int, error)
}

// EventReader reads events.
type EventReader interface {
	Events(ctx context.Context, f EventFilter, p PageArgs) (Page[*Event], error)
	CountEvents(ctx context.Context, f EventFilter) (int, error)
	EventTotals(ctx context.Context, f EventFilter) (EventTotals, error)
}

// HubFilter selects the nodes of a small label; zero fields select all.
type HubFilter struct {
	Kind       string
	InDistrict *bool // areas
	Leading    *bool // industries
}

// HubReader reads the nodes of the small labels: alliances, agreements, red zones,
// demonstration belts and sites, brands, areas and industries.
type HubReader interface {
	// Hubs lists the nodes of a small label that the filter selects, ordered by name;
	// another label is EINVALID.
	Hubs(ctx context.Context, label NodeLabel, f HubFilter, with *Fetch) ([]any, *Fetched, error)
	// HubByName returns the node of a small label with this exact name (nil if none).
	HubByName(ctx context.Context, label NodeLabel, name string, with *Fetch) (any, *Fetched, error)
}

// Reader reads the network.
type Reader interface {
	NodeReader
	OrganizationReader
	PartyReader
	PeopleReader
	EventReader
	HubReader
	Aggregator
	RoundReader
	// Within returns a reader of the part of the graph a scope keeps (an area officer's):
	// its lists and counts hold only what is in scope, a lookup of a node outside finds
	// nothing, the ties read along with a node leave out those leading outside, and the
	// aggregates' material is counted over the scope. scope is called when a read first
	// needs it, and its error is the read's.
	Within(scope ScopeFunc) Reader
}

// Candidate is a party organisation, instructor or community that could take on an
// organisation, with what it shares with it and how much it carries already.
type Candidate struct {
	ID    string
	Label NodeLabel
	Kind  string
	Name  string
	// Load is how many organisations it covers, is assigned to, or co-builds with now.
	Load int
	// Shared* count the organisations it already serves that share the organisation's
	// community, park and industry; for a community, SharedCommunity is 1 when the
	// organisation is on its patch.
	SharedCommunity, SharedPark, SharedIndustry int
}
