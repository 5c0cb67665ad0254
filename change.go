package cobuild

import (
	"context"
	"time"
)

// Actor is who makes a change: the subject and role of a verified token, and an area
// officer's areas, which bound what they may change.
type Actor struct {
	Subject string
	Role    string
	// Areas, when Scoped, are the only areas whose organisations the actor may change.
	Areas  []string
	Scoped bool
}

// Command is one write in the domain's words: an operation (a mutation's name) with its
// arguments, as the client gave them. Arguments hold ids, strings, numbers, booleans,
// dates (time.Time) and lists of those.
type Command struct {
	Op   string
	Args map[string]any
	// Key is the client's idempotency key ("" for none): a command with a key already
	// used returns the change it made then and writes nothing.
	Key string
	// ExpectedVersion, when set, is the version (Organization.version) of the command's
	// organisation that the client saw; when it has moved on, the command is ECONFLICT.
	ExpectedVersion *int64
	Actor           Actor
}

// Change is one entry of the change log: one write transaction, with who made it, what it
// did and what it touched. Seq increases strictly in commit order.
type Change struct {
	Seq     int64
	At      time.Time
	Actor   Actor
	Op      string
	Args    string // JSON
	Key     string
	Batch   bool
	Diffs   []Diff
	Entity  string // the node the change is about ("" for none)
	Org     string // the organisation the change is about ("" for none)
	Touched []string
	// Orgs are the organisations whose coverage facts or places may have changed; Nodes
	// the nodes whose network ties or names may have changed. A follower re-reads them.
	Orgs, Nodes []string
	// Areas are the areas of the organisations touched and the areas holding them.
	Areas    []string
	Coverage []CoverageEvent
	// Replayed is set on the answer to a command whose key was used before: nothing was
	// written, this is the first change.
	Replayed bool
}

// Diff is the before and after of one property of a node, or of a tie (Tie set, Other the
// node it leads to). Values are JSON; "" is none.
type Diff struct {
	Entity        string
	Tie           TieType
	Other         string
	Field         string
	Before, After string
}

// CoverageEventKind says what a change meant for an organisation's coverage.
type CoverageEventKind string

// The kinds of coverage events.
const (
	BecameIsolated    CoverageEventKind = "BECAME_ISOLATED"
	JoinedNetwork     CoverageEventKind = "JOINED_NETWORK"
	BecameUncovered   CoverageEventKind = "BECAME_UNCOVERED"
	RegainedCoverage  CoverageEventKind = "REGAINED_COVERAGE"
	GainedOwnPartyOrg CoverageEventKind = "GAINED_OWN_PARTY_ORGANIZATION"
	LostOwnPartyOrg   CoverageEventKind = "LOST_OWN_PARTY_ORGANIZATION"
)

// CoverageEvent is one organisation's coverage moved by a change, today.
type CoverageEvent struct {
	Seq                   int64
	At                    time.Time
	Kind                  CoverageEventKind
	OrgID, OrgName        string
	AreaID                string
	Areas                 []string
	Before, After         CoverageStatus
	WasIsolated, Isolated bool
}

// CoverageEvents are the events of an organisation's coverage moving from before to
// after: about its isolation, its own party organisation, and its being covered at all.
func CoverageEvents(before, after Coverage) []CoverageEventKind {
	var out []CoverageEventKind
	switch {
	case !before.Isolated && after.Isolated:
		out = append(out, BecameIsolated)
	case before.Isolated && !after.Isolated:
		out = append(out, JoinedNetwork)
	}
	switch {
	case before.Status != CoverageOwn && after.Status == CoverageOwn:
		out = append(out, GainedOwnPartyOrg)
	case before.Status == CoverageOwn && after.Status != CoverageOwn:
		out = append(out, LostOwnPartyOrg)
	}
	switch {
	case before.Status != CoverageUncovered && after.Status == CoverageUncovered:
		out = append(out, BecameUncovered)
	case before.Status == CoverageUncovered && after.Status != CoverageUncovered:
		out = append(out, RegainedCoverage)
	}
	return out
}

// ChangeFilter selects changes; zero fields select all.
type ChangeFilter struct {
	Actor, Entity, Area, Op string
	Since, Until            *time.Time
	// Areas, when not nil, keeps the changes touching one of these areas (an officer's).
	Areas []string
}

// Writer records the work officers do. Every method is one transaction that appends one
// change to the log, or writes nothing and returns an error: EINVALID with the field
// (extensions "field"), ECONFLICT, EFORBIDDEN.
type Writer interface {
	// Apply runs a command and returns the change it recorded.
	Apply(ctx context.Context, cmd Command) (*Change, error)
}

// ChangeLog reads the change log.
type ChangeLog interface {
	// Changes returns the changes a filter selects with a sequence number above after, in
	// order, at most first of them, and whether more follow.
	Changes(ctx context.Context, f ChangeFilter, after int64, first int) ([]*Change, bool, error)
	// History returns the changes that touched a node, newest first.
	History(ctx context.Context, id string, first int) ([]*Change, error)
	// LastSeq returns the sequence number of the newest change (0 for none).
	LastSeq(ctx context.Context) (int64, error)
}
