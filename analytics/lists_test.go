package analytics

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"cobuild"
)

// TestPagesOfAListAreItsFullSortCutAfterEachCursor pages through random lists (names
// repeated, some outside the Basic Multilingual Plane, keys repeated) by every in-memory
// sort, both ways, two rows a page, and compares the rows read with a full sort of the
// same rows written here: every row once, in order, and the total on every page.
func TestPagesOfAListAreItsFullSortCutAfterEachCursor(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"甲", "乙", "丙", "𠀀企业", "乙", "", "Ａ公司", "甲"}
	for trial := 0; trial < 50; trial++ {
		n := 1 + rng.IntN(12)
		rows := make([]cobuild.CensusRow, n)
		ties := make([]int32, n)
		for i := range rows {
			rows[i] = cobuild.CensusRow{ID: fmt.Sprintf("og-%03d", rng.IntN(900)+i*1000), Name: names[rng.IntN(len(names))],
				Headcount: rng.IntN(3), PartyMembers: rng.IntN(4)}
			ties[i] = int32(rng.IntN(3))
		}
		p := NewPlaces(rows)
		var all []int
		for i := range rows {
			if rng.IntN(4) > 0 {
				all = append(all, i)
			}
		}
		for _, field := range []string{"NAME", "HEADCOUNT", "PARTY_MEMBERS", "TIES"} {
			for _, desc := range []bool{false, true} {
				want := slices.Clone(all)
				key := func(r int) int64 {
					switch field {
					case "HEADCOUNT":
						return int64(rows[r].Headcount)
					case "PARTY_MEMBERS":
						return int64(rows[r].PartyMembers)
					}
					return int64(ties[r])
				}
				slices.SortFunc(want, func(a, b int) int {
					var c int
					if field == "NAME" {
						c = compareUTF16(rows[a].Name, rows[b].Name)
					} else {
						c = cmp.Compare(key(a), key(b))
					}
					if desc {
						c = -c
					}
					return cmp.Or(c, strings.Compare(rows[a].ID, rows[b].ID))
				})
				var got []int
				after := ""
				for page := 0; page <= len(all); page++ {
					pg, err := Order(p, all, cobuild.Sort{Field: field, Desc: desc}, ties, after, 2)
					if err != nil {
						t.Fatal(err)
					}
					if pg.Total != len(all) {
						t.Fatalf("total %d, want %d", pg.Total, len(all))
					}
					got = append(got, pg.Rows...)
					if !pg.HasNext {
						break
					}
					after = pg.Cursors[len(pg.Cursors)-1]
				}
				if !slices.Equal(got, want) {
					t.Fatalf("trial %d, %s desc=%v: pages give %v, the full sort %v", trial, field, desc, got, want)
				}
			}
		}
	}
}

// compareUTF16 orders strings by their UTF-16 code units, the order of Neo4j (and of
// Java): written here independently of CompareNames.
func compareUTF16(a, b string) int {
	ua, ub := utf16Of(a), utf16Of(b)
	return slices.Compare(ua, ub)
}

func utf16Of(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

func TestNamesOrderByUTF16CodeUnits(t *testing.T) {
	// 𠀀 (U+20000) is encoded in UTF-16 as the surrogates D840 DC00, which sort before
	// Ａ (U+FF21); in code points, and in Go's byte order, it sorts after.
	if CompareNames("𠀀", "Ａ") >= 0 {
		t.Error("𠀀 (U+20000, surrogates D840 DC00) should sort before Ａ (U+FF21) as Neo4j orders strings")
	}
	if strings.Compare("𠀀", "Ａ") <= 0 {
		t.Error("the test's premise is wrong: Go's byte order puts 𠀀 after Ａ")
	}
	for _, c := range [][2]string{{"", "甲"}, {"甲", "甲乙"}, {"乙", "甲"}, {"a", "b"}} {
		if got, want := CompareNames(c[0], c[1]), compareUTF16(c[0], c[1]); (got < 0) != (want < 0) || (got == 0) != (want == 0) {
			t.Errorf("CompareNames(%q, %q) = %d, UTF-16 order %d", c[0], c[1], got, want)
		}
	}
}

func TestSelectStartsFromThePlaceAndKeepsTheRest(t *testing.T) {
	rows := []cobuild.CensusRow{
		{ID: "og-1", Kind: cobuild.OrgEnterprise, AreaID: "ar-2", AreaParentID: "ar-1", Operating: true, PartyMembers: 3},
		{ID: "og-2", Kind: cobuild.OrgEnterprise, AreaID: "ar-3", AreaParentID: "ar-1", Operating: false},
		{ID: "og-3", Kind: cobuild.OrgSocial, AreaID: "ar-2", AreaParentID: "ar-1", Operating: true},
		{ID: "og-4", Kind: cobuild.OrgCommunity, AreaID: "ar-1", Operating: true},
	}
	p := NewPlaces(rows)
	yes := true
	for _, c := range []struct {
		name string
		f    cobuild.OrgFilter
		want []int
	}{
		{"a town", cobuild.OrgFilter{AreaID: "ar-2"}, []int{0, 2}},
		{"the district holds its towns", cobuild.OrgFilter{AreaID: "ar-1"}, []int{0, 1, 2, 3}},
		{"a kind", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}}, []int{0, 1}},
		{"two kinds", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgSocial, cobuild.OrgEnterprise}}, []int{0, 1, 2}},
		{"a town's operating enterprises", cobuild.OrgFilter{AreaID: "ar-2", Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}, Operating: &yes}, []int{0}},
		{"party members", cobuild.OrgFilter{PartyMembersMin: intp(1)}, []int{0}},
		{"coverage needs a census", cobuild.OrgFilter{Isolated: &yes}, nil},
	} {
		if got := Select(p, nil, c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func intp(n int) *int { return &n }
