package analytics

import (
	"cmp"
	"slices"
	"strings"

	"cobuild"
)

// Lists of organisations answered from the places (and, for coverage, the census of the
// day): the rows a filter keeps, in the order of a sort, a page at a time. The store
// answers the same lists in Cypher when no snapshot is at hand; the two agree on which
// rows a filter keeps and in which order (a test holds them together), so a cursor of one
// is good for the other.

// NeedsCoverage reports whether a filter asks about coverage, which only the census of its
// day answers.
func NeedsCoverage(f cobuild.OrgFilter) bool {
	return len(f.Coverage) > 0 || f.Isolated != nil || f.ShouldHaveOwn != nil
}

// PlacesAnswer reports whether the places (with the census for coverage) answer every
// condition of a filter: all but memberships, covering party organisations and tiers.
func PlacesAnswer(f cobuild.OrgFilter) bool {
	return f.MemberOfID == "" && f.CoveredByID == "" && len(f.Tiers) == 0
}

// SortsInMemory reports whether a sort can be applied to the places: by name, headcount or
// party members, or by joint-building ties given their counts.
func SortsInMemory(s cobuild.Sort) bool {
	switch s.Field {
	case "", "NAME", "HEADCOUNT", "PARTY_MEMBERS", "TIES":
		return true
	}
	return false
}

// keeps reports whether row i meets the conditions of f that the places answer; coverage
// conditions need cov, the coverage of each row (nil for places alone).
func keeps(f cobuild.OrgFilter, r cobuild.CensusRow, cov *cobuild.Coverage, ids map[string]bool) bool {
	same := func(want, got string) bool { return want == "" || want == got }
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, r.Kind) ||
		len(f.Sectors) > 0 && !slices.Contains(f.Sectors, r.Sector) ||
		f.AreaID != "" && r.AreaID != f.AreaID && r.AreaParentID != f.AreaID ||
		!same(f.ParkID, r.ParkID) || !same(f.CommunityID, r.CommunityID) || !same(f.IndustryID, r.IndustryID) ||
		f.AboveScale != nil && *f.AboveScale != r.AboveScale ||
		f.Operating != nil && *f.Operating != r.Operating ||
		len(f.SizeBands) > 0 && !slices.Contains(f.SizeBands, cobuild.SizeBandOf(r.Headcount)) ||
		f.PartyMembersMin != nil && r.PartyMembers < *f.PartyMembersMin ||
		f.PartyMembersMax != nil && r.PartyMembers > *f.PartyMembersMax ||
		f.NameContains != "" && !strings.Contains(r.Name, f.NameContains) ||
		ids != nil && !ids[r.ID] {
		return false
	}
	if cov == nil {
		return !NeedsCoverage(f)
	}
	return (len(f.Coverage) == 0 || slices.Contains(f.Coverage, cov.Status)) &&
		(f.Isolated == nil || *f.Isolated == cov.Isolated) &&
		(f.ShouldHaveOwn == nil || *f.ShouldHaveOwn == cov.ShouldHaveOwn)
}

// Select returns the rows of the places that a filter's place and coverage conditions
// keep (coverage needs the census of the filter's day as c; pass nil coverage for places
// alone), in row order. Conditions the places do not answer (PlacesAnswer) are ignored:
// the caller leaves them to the store.
func Select(p *Places, coverage *Coverages, f cobuild.OrgFilter) []int {
	var ids map[string]bool
	if f.IDs != nil {
		ids = make(map[string]bool, len(f.IDs))
		for _, id := range f.IDs {
			ids[id] = true
		}
	}
	var out []int
	test := func(i int) {
		var cov *cobuild.Coverage
		if coverage != nil {
			c := coverage.At(i)
			cov = &c
		}
		if keeps(f, p.Rows[i], cov, ids) {
			out = append(out, i)
		}
	}
	if from, ok := p.candidates(f); ok {
		if onlyAnchor(f) {
			return from // nothing else to test
		}
		for _, i := range from {
			test(i)
		}
		slices.Sort(out)
		return out
	}
	for i := range p.Rows {
		test(i)
	}
	return out
}

// candidates returns the rows a filter can start from: those of the place it names with
// the fewest rows, or of its kinds, in row order; false when it names none (every row is
// a candidate).
func (p *Places) candidates(f cobuild.OrgFilter) ([]int, bool) {
	var best []int
	found := false
	take := func(rows []int) {
		if !found || len(rows) < len(best) {
			best, found = rows, true
		}
	}
	for _, a := range []struct {
		id string
		m  map[string][]int
	}{{f.AreaID, p.byArea}, {f.ParkID, p.byPark}, {f.CommunityID, p.byCommunity}, {f.IndustryID, p.byIndustry}} {
		if a.id != "" {
			take(a.m[a.id])
		}
	}
	if len(f.Kinds) > 0 {
		var rows []int
		kinds := slices.Compact(slices.Sorted(slices.Values(f.Kinds)))
		if len(kinds) == 1 {
			rows = p.byKind[kinds[0]]
		} else {
			for _, k := range kinds {
				rows = append(rows, p.byKind[k]...)
			}
			slices.Sort(rows)
		}
		take(rows)
	}
	return best, found
}

// onlyAnchor reports whether a filter asks for one place or for kinds and nothing else, so
// that the rows of the place or kinds are its answer.
func onlyAnchor(f cobuild.OrgFilter) bool {
	anchors := 0
	for _, id := range []string{f.AreaID, f.ParkID, f.CommunityID, f.IndustryID} {
		if id != "" {
			anchors++
		}
	}
	if len(f.Kinds) > 0 {
		anchors++
	}
	return anchors == 1 && len(f.Sectors) == 0 && f.MemberOfID == "" && f.CoveredByID == "" && f.AboveScale == nil &&
		f.Operating == nil && len(f.SizeBands) == 0 && f.PartyMembersMin == nil && f.PartyMembersMax == nil &&
		len(f.Tiers) == 0 && f.NameContains == "" && f.IDs == nil && !NeedsCoverage(f)
}

// SortKey is a row's value of an in-memory sort, as a cursor records it; ties gives the
// count of joint-building ties of each row for TIES.
func SortKey(p *Places, row int, field string, ties []int32) any {
	r := p.Rows[row]
	switch field {
	case "HEADCOUNT":
		return int64(r.Headcount)
	case "PARTY_MEMBERS":
		return int64(r.PartyMembers)
	case "TIES":
		return int64(ties[row])
	}
	return r.Name
}

// Page is one page of rows of an in-memory list.
type Page struct {
	Rows    []int
	Cursors []string
	HasNext bool
	// Total is the number of rows the list holds, on every page.
	Total int
}

// Order sorts the selected rows by a sort (by name when none; ties holds the count of
// each row's joint-building ties for TIES) and cuts the page of first rows after the
// cursor. Rows with equal keys come by id, ascending in either direction, as in Cypher.
//
// Only the page is sorted: the rows after the cursor are scanned once, keeping the first
// few in order (a list of 750,000 rows costs a scan, not a sort).
func Order(p *Places, rows []int, s cobuild.Sort, ties []int32, after string, first int) (Page, error) {
	field := s.Field
	if field == "" {
		field = "NAME"
	}
	out := Page{Total: len(rows)}
	// cmp orders two rows as the list does.
	var cmpRows func(a, b int) int
	key := func(row int) int64 { return 0 }
	switch {
	case field == "NAME" && !s.Desc:
		cmpRows = func(a, b int) int { return p.nameRank[a] - p.nameRank[b] }
	case field == "NAME":
		cmpRows = func(a, b int) int {
			return cmp.Or(-CompareNames(p.Rows[a].Name, p.Rows[b].Name), strings.Compare(p.Rows[a].ID, p.Rows[b].ID))
		}
	default:
		switch field {
		case "HEADCOUNT":
			key = func(row int) int64 { return int64(p.Rows[row].Headcount) }
		case "PARTY_MEMBERS":
			key = func(row int) int64 { return int64(p.Rows[row].PartyMembers) }
		case "TIES":
			key = func(row int) int64 { return int64(ties[row]) }
		}
		cmpRows = func(a, b int) int {
			c := cmp.Compare(key(a), key(b))
			if s.Desc {
				c = -c
			}
			return cmp.Or(c, strings.Compare(p.Rows[a].ID, p.Rows[b].ID))
		}
	}
	// after reports whether a row comes after the cursor.
	isAfter := func(int) bool { return true }
	if after != "" {
		kind := cobuild.SortInt
		if field == "NAME" {
			kind = cobuild.SortString
		}
		c, err := cobuild.DecodeCursor(after, field, s.Desc, kind)
		if err != nil {
			return out, err
		}
		switch {
		case field == "NAME" && !s.Desc:
			// The rank of the first row of the name order past the cursor.
			name, _ := c.Value.(string)
			from, _ := slices.BinarySearchFunc(p.ByName, c, func(row int, c cobuild.Cursor) int {
				if k := CompareNames(p.Rows[row].Name, name); k != 0 {
					return k
				}
				if p.Rows[row].ID <= c.ID {
					return -1 // not after the cursor's row
				}
				return 1
			})
			isAfter = func(row int) bool { return p.nameRank[row] >= from }
		case field == "NAME":
			name, _ := c.Value.(string)
			isAfter = func(row int) bool {
				k := -CompareNames(p.Rows[row].Name, name)
				return k > 0 || k == 0 && p.Rows[row].ID > c.ID
			}
		default:
			v, _ := c.Value.(int64)
			isAfter = func(row int) bool {
				k := cmp.Compare(key(row), v)
				if s.Desc {
					k = -k
				}
				return k > 0 || k == 0 && p.Rows[row].ID > c.ID
			}
		}
	}
	page := topRows(rows, isAfter, cmpRows, first+1)
	out.HasNext = len(page) > first
	page = page[:min(first, len(page))]
	for _, r := range page {
		out.Rows = append(out.Rows, r)
		out.Cursors = append(out.Cursors, cobuild.Cursor{Field: field, Desc: s.Desc, Value: SortKey(p, r, field, ties), ID: p.Rows[r].ID}.Encode())
	}
	return out, nil
}

// topRows returns, in order, the first n of the rows that keep keeps.
func topRows(rows []int, keep func(int) bool, order func(a, b int) int, n int) []int {
	top := make([]int, 0, n+1)
	for _, r := range rows {
		if !keep(r) {
			continue
		}
		if len(top) == n && order(r, top[n-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, r, order)
		top = slices.Insert(top, i, r)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}
