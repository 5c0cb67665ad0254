package snapshot

import (
	"slices"
	"strings"
	"time"

	"cobuild"
)

// Kind is the kind of a snapshot.
type Kind int

// The kinds of snapshots.
const (
	KindProjection Kind = iota + 1
	KindCensus
	KindPlaces
	KindRound
	// KindScope is the scope of some areas: the ids an area officer sees.
	KindScope
)

// Key names one snapshot of a version of the graph. Keys are comparable; build them with
// ProjectionKey, CensusKey, PlacesKey and RoundKey, the one place where they are made.
type Key struct {
	Kind Kind
	// Day is the day of a projection or census.
	Day time.Time
	// Ties are the tie types of a projection, sorted and joined by commas.
	Ties string
	// Round is the round of a round's evaluations.
	Round string
	// Scope names the areas (cobuild.ScopeKey) of a scope, or of a snapshot narrowed to
	// one (Within); "" for the whole graph.
	Scope string
}

// ProjectionKey names the projection of a day over some tie types (the joint ties when
// none); the order of the types and repeats do not matter.
func ProjectionKey(day time.Time, types []cobuild.TieType) Key {
	return Key{Kind: KindProjection, Day: day, Ties: tieSet(types)}
}

// TieTypes returns the tie types of a projection key.
func (k Key) TieTypes() []cobuild.TieType {
	var out []cobuild.TieType
	for _, t := range strings.Split(k.Ties, ",") {
		out = append(out, cobuild.TieType(t))
	}
	return out
}

func tieSet(types []cobuild.TieType) string {
	if len(types) == 0 {
		types = cobuild.JointTies
	}
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	slices.Sort(s)
	return strings.Join(slices.Compact(s), ",")
}

// CensusKey names the census of a day.
func CensusKey(day time.Time) Key { return Key{Kind: KindCensus, Day: day} }

// PlacesKey names the organisations' places, which do not depend on the day.
func PlacesKey() Key { return Key{Kind: KindPlaces} }

// RoundKey names the evaluations of a round.
func RoundKey(round string) Key { return Key{Kind: KindRound, Round: round} }

// ScopeOf names the scope of some areas (a cobuild.ScopeKey).
func ScopeOf(areas string) Key { return Key{Kind: KindScope, Scope: areas} }

// Within names the snapshot of a key narrowed to the scope of some areas (a
// cobuild.ScopeKey): built from the whole graph's, over the scope only.
func (k Key) Within(areas string) Key {
	k.Scope = areas
	return k
}

// Whole names the snapshot of the whole graph that a narrowed one is built from.
func (k Key) Whole() Key {
	k.Scope = ""
	return k
}

// String describes the key, for logs and errors.
func (k Key) String() string {
	if k.Scope != "" && k.Kind != KindScope {
		return k.Whole().String() + " within " + k.Scope
	}
	switch k.Kind {
	case KindProjection:
		return "projection " + k.Day.Format(time.DateOnly) + " " + k.Ties
	case KindCensus:
		return "census " + k.Day.Format(time.DateOnly)
	case KindPlaces:
		return "places"
	case KindRound:
		return "round " + k.Round
	case KindScope:
		return "scope " + k.Scope
	}
	return "unknown snapshot"
}
