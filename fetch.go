package cobuild

import "time"

// Fetch says what a read should return along with each node it reads, in the same
// statement: the ties to follow from it (and, for each, what to return with the nodes at
// their other ends), the newest evaluation of a party organisation, the coverage facts of
// an organisation on some days, and the attendance of an event. The resolvers build a
// Fetch from the fields a GraphQL operation asks for, so that one statement answers a
// whole operation rather than one statement per level and per kind of tie.
type Fetch struct {
	Ties []FetchTie
	// Latest, when set, returns the newest evaluation of a party organisation, with what
	// Latest says for it.
	Latest *Fetch
	// Facts are the days on which an organisation's coverage facts are returned.
	Facts []time.Time
	// Attendance returns the number of ATTENDED ties of an event.
	Attendance bool
}

// FetchTie is one kind of tie to follow, and what to return with the node at its other
// end (nothing more when Then is nil).
type FetchTie struct {
	Query TieQuery
	Then  *Fetch
}

// Empty reports whether the fetch asks for nothing beyond the nodes themselves.
func (f *Fetch) Empty() bool {
	return f == nil || (len(f.Ties) == 0 && f.Latest == nil && len(f.Facts) == 0 && !f.Attendance)
}

// TieKey names the ties of one query: its type, direction and day ("" for any day).
type TieKey struct {
	Type TieType
	Dir  Direction
	Day  string
}

// Key returns the key of a tie query.
func (q TieQuery) Key() TieKey {
	k := TieKey{Type: q.Type, Dir: q.Dir}
	if q.AsOf != nil {
		k.Day = q.AsOf.Format(time.DateOnly)
	}
	return k
}

// FactKey names an organisation's coverage facts on a day.
type FactKey struct {
	ID  string
	Day string
}

// Fetched is what a read returned along with its nodes, as a Fetch asked: every node
// read (by id), the ties followed from each (a node with none has an empty list), the
// newest evaluation of each party organisation asked (nil for none), coverage facts and
// attendance.
type Fetched struct {
	Nodes      map[string]any
	Ties       map[TieKey]map[string][]Neighbour
	Latest     map[string]*Evaluation
	Facts      map[FactKey]CoverageFacts
	Attendance map[string]int
}

// NewFetched returns an empty Fetched.
func NewFetched() *Fetched {
	return &Fetched{Nodes: map[string]any{}, Ties: map[TieKey]map[string][]Neighbour{}, Latest: map[string]*Evaluation{},
		Facts: map[FactKey]CoverageFacts{}, Attendance: map[string]int{}}
}
