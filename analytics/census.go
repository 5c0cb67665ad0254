package analytics

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"cobuild"
)

// Places is every organisation of one version of the graph with what it is grouped by and
// filtered on, ordered by name once, so that a list of organisations sorted by name can
// be read in order rather than sorted.
type Places struct {
	Rows []cobuild.CensusRow
	// ByName are the row numbers in the order of the list sorted by name, then id, and
	// nameRank[row] is a row's place in it.
	ByName   []int
	nameRank []int
	index    map[string]int
	// The rows of each kind, and of each area (its own or the one holding it), park,
	// community and industry: a list asking for one starts from them.
	byKind                                  map[cobuild.OrgKind][]int
	byArea, byPark, byCommunity, byIndustry map[string][]int
}

// NewPlaces indexes the rows.
func NewPlaces(rows []cobuild.CensusRow) *Places {
	byName := make([]int, len(rows))
	for i := range rows {
		byName[i] = i
	}
	slices.SortFunc(byName, func(a, b int) int {
		if c := CompareNames(rows[a].Name, rows[b].Name); c != 0 {
			return c
		}
		return strings.Compare(rows[a].ID, rows[b].ID)
	})
	return indexPlaces(rows, byName)
}

// indexPlaces indexes rows whose order by name is known already.
func indexPlaces(rows []cobuild.CensusRow, byName []int) *Places {
	p := &Places{Rows: rows, ByName: byName, nameRank: make([]int, len(rows)), index: make(map[string]int, len(rows)),
		byKind: map[cobuild.OrgKind][]int{}, byArea: map[string][]int{}, byPark: map[string][]int{},
		byCommunity: map[string][]int{}, byIndustry: map[string][]int{}}
	add := func(m map[string][]int, k string, i int) {
		if k != "" {
			m[k] = append(m[k], i)
		}
	}
	for i, r := range rows {
		p.index[r.ID] = i
		p.byKind[r.Kind] = append(p.byKind[r.Kind], i)
		add(p.byArea, r.AreaID, i)
		if r.AreaParentID != r.AreaID {
			add(p.byArea, r.AreaParentID, i)
		}
		add(p.byPark, r.ParkID, i)
		add(p.byCommunity, r.CommunityID, i)
		add(p.byIndustry, r.IndustryID, i)
	}
	for rank, row := range p.ByName {
		p.nameRank[row] = rank
	}
	return p
}

// Row returns the number of the organisation's row.
func (p *Places) Row(id string) (int, bool) {
	i, ok := p.index[id]
	return i, ok
}

// CompareNames orders names as Neo4j orders strings: by their UTF-16 code units, which
// differs from Go's byte order only for characters outside the Basic Multilingual Plane.
// Lists sorted by name in Go and in Cypher must agree, so that a cursor of one is good for
// the other.
func CompareNames(a, b string) int {
	for i, j := 0, 0; ; {
		if i == len(a) || j == len(b) {
			return (len(a) - i) - (len(b) - j) // the shorter remainder first; equal when both end
		}
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if ra == rb {
			i, j = i+na, j+nb
			continue
		}
		ua, ub := utf16Units(ra), utf16Units(rb)
		if ua[0] != ub[0] {
			return int(ua[0]) - int(ub[0])
		}
		return int(ua[1]) - int(ub[1])
	}
}

func utf16Units(r rune) [2]uint16 {
	if r >= 0x10000 {
		hi, lo := utf16.EncodeRune(r)
		return [2]uint16{uint16(hi), uint16(lo)}
	}
	return [2]uint16{uint16(r), 0}
}

// Census is every organisation on one day with its coverage under the rules, over the
// places of its version. The coverage lists, the coverage aggregates and multi-hop
// coverage answer from it.
type Census struct {
	*Places
	// Coverage is the coverage of Rows[i] under the rules.
	Coverage Coverages
	// coverers are the coverers of Rows[i] on the day, facts its coverage facts.
	coverers vec[[]string]
	facts    vec[cobuild.CoverageFacts]

	covers func() *coverIndex
}

// NewCensus computes the coverage of every row: the places' rows with the facts of the
// day (rows holds them, in the places' order).
func NewCensus(rules cobuild.Rules, places *Places, rows []cobuild.CensusRow) *Census {
	coverage := make([]cobuild.Coverage, len(rows))
	coverers := make([][]string, len(rows))
	facts := make([]cobuild.CoverageFacts, len(rows))
	for i, r := range rows {
		coverage[i] = rules.CoverageOf(r.Facts)
		coverers[i], facts[i] = r.Coverers, r.Facts
	}
	p := *places // the same indexes: rows keeps the places' order
	p.Rows = rows
	return newCensus(&p, CoveragesOf(coverage), vecOf(coverers), vecOf(facts))
}

// NewCensusOf computes the coverage on a day of every organisation of the places, from
// the facts of those that have any (by id); the census shares the places.
func NewCensusOf(rules cobuild.Rules, places *Places, facts map[string]*cobuild.DayFacts) *Census {
	coverage := make([]cobuild.Coverage, len(places.Rows))
	coverers := make([][]string, len(places.Rows))
	all := make([]cobuild.CoverageFacts, len(places.Rows))
	for i, r := range places.Rows {
		coverage[i], coverers[i], all[i] = coverageOf(rules, r, facts[r.ID])
	}
	return newCensus(places, CoveragesOf(coverage), vecOf(coverers), vecOf(all))
}

// coverageOf is the coverage of an organisation with its facts of the day (nil for none).
func coverageOf(rules cobuild.Rules, r cobuild.CensusRow, f *cobuild.DayFacts) (cobuild.Coverage, []string, cobuild.CoverageFacts) {
	var facts cobuild.CoverageFacts
	var coverers []string
	if f != nil {
		facts, coverers = f.Facts, f.Coverers
	}
	facts.PartyMembers, facts.Sector = r.PartyMembers, r.Sector
	return rules.CoverageOf(facts), coverers, facts
}

// newCensus is the census of the places' rows with their coverage and coverers.
func newCensus(places *Places, coverage Coverages, coverers vec[[]string], facts vec[cobuild.CoverageFacts]) *Census {
	c := &Census{Places: places, Coverage: coverage, coverers: coverers, facts: facts}
	c.covers = sync.OnceValue(func() *coverIndex { return newCoverIndex(places.Rows, c.coverers.at) })
	return c
}

// CoverersOf returns the coverers of row i on the census's day.
func (c *Census) CoverersOf(i int) []string { return c.coverers.at(i) }

// FactsOf returns the coverage facts of row i on the census's day.
func (c *Census) FactsOf(i int) cobuild.CoverageFacts { return c.facts.at(i) }
