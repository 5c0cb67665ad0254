package analytics

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"cobuild"
)

// Tests of coverage counts and rates (coverstats.go) and of LostCoverage, on small censuses
// built by hand whose answers are worked out in the comments from docs/domain.md: statuses
// OWN > JOINT > WORK > UNCOVERED, counts taken among operating organisations, coverage rate
// = (own + joint) / operating, own rate = own / operating.

func csBool(b bool) *bool { return &b }

func csRate(r *float64) string {
	if r == nil {
		return "nil"
	}
	return fmt.Sprintf("%.4f", *r)
}

// csCensus is seven organisations with their facts on the day:
//
//	og-1 ENTERPRISE operating, own branch, 1 joint tie, 5 members    OWN
//	og-2 ENTERPRISE operating, joint branch, no tie, 3 members       JOINT, isolated, should have own
//	og-3 SOCIAL     operating, instructor, 2 ties                    WORK
//	og-4 SOCIAL     operating, nothing, no tie                       UNCOVERED, isolated
//	og-5 ENTERPRISE operating, nothing, 1 tie, 2 members             UNCOVERED (2 < 3: not should-have-own)
//	og-6 ENTERPRISE NOT operating, nothing, no tie, 4 members        counted in organisations only
//	og-7 COMMUNITY  PUBLIC operating, 1 tie                          NOT_MANAGED
//
// Areas: og-1, og-2, og-5, og-6 in ar-1; og-3, og-4 in ar-2; og-7 in ar-3.
func csCensus() *Census {
	ent, soc := cobuild.SectorEnterprise, cobuild.SectorSocial
	rows := []cobuild.CensusRow{
		{ID: "og-1", Kind: cobuild.OrgEnterprise, Sector: ent, Operating: true, AboveScale: true, Headcount: 9, AreaID: "ar-1",
			ParkID: "ar-9", CommunityID: "og-20", IndustryID: "in-1",
			Facts: cobuild.CoverageFacts{Sector: ent, OwnPartyOrgs: 1, JointTies: 1, PartyMembers: 5}},
		{ID: "og-2", Kind: cobuild.OrgEnterprise, Sector: ent, Operating: true, Headcount: 10, AreaID: "ar-1",
			Facts: cobuild.CoverageFacts{Sector: ent, CoveredModes: []string{"JOINT"}, PartyMembers: 3}},
		{ID: "og-3", Kind: cobuild.OrgSocial, Sector: soc, Operating: true, Headcount: 99, AreaID: "ar-2",
			Facts: cobuild.CoverageFacts{Sector: soc, Instructors: 1, JointTies: 2}},
		{ID: "og-4", Kind: cobuild.OrgSocial, Sector: soc, Operating: true, Headcount: 100, AreaID: "ar-2",
			Facts: cobuild.CoverageFacts{Sector: soc}},
		{ID: "og-5", Kind: cobuild.OrgEnterprise, Sector: ent, Operating: true, Headcount: 299, AreaID: "ar-1",
			Facts: cobuild.CoverageFacts{Sector: ent, JointTies: 1, PartyMembers: 2}},
		{ID: "og-6", Kind: cobuild.OrgEnterprise, Sector: ent, Operating: false, Headcount: 300, AreaID: "ar-1",
			Facts: cobuild.CoverageFacts{Sector: ent, PartyMembers: 4}},
		{ID: "og-7", Kind: cobuild.OrgCommunity, Sector: cobuild.SectorPublic, Operating: true, AreaID: "ar-3",
			Facts: cobuild.CoverageFacts{Sector: cobuild.SectorPublic, JointTies: 1}},
	}
	return NewCensus(cobuild.DefaultRules(), NewPlaces(rows), rows)
}

// csCounts is a group's counts in a fixed order, for one comparison with a clear message.
type csCounts struct {
	Organizations, Operating, Own, Joint, Work, Uncovered, Isolated, IsolatedUncovered, ShouldHaveOwn int
	CoverageRate, OwnRate                                                                             string
}

func csCountsOf(g *CoverageGroup) csCounts {
	return csCounts{g.Organizations, g.Operating, g.Own, g.Joint, g.Work, g.Uncovered, g.Isolated, g.IsolatedUncovered,
		g.ShouldHaveOwn, csRate(g.CoverageRate), csRate(g.OwnRate)}
}

func csKeys(g *CoverageGroup) string {
	var parts []string
	for _, k := range g.Keys {
		v := "<nil>"
		if k.Value != nil {
			v = *k.Value
		}
		parts = append(parts, fmt.Sprintf("%s=%s(%s)", k.Dimension, v, k.Label))
	}
	return strings.Join(parts, ",")
}

func TestCoverageStatsCountTheManagedOperatingOrganisations(t *testing.T) {
	c := csCensus()
	s, err := NewCoverageStats(c, nil, CoverageFilter{Sectors: cobuild.ManagedSectors}, GroupSort{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Managed: og-1..og-6 (6); operating among them og-1..og-5 (5): own og-1, joint og-2,
	// work og-3, uncovered og-4 and og-5; isolated og-2 and og-4 (og-6 is isolated but not
	// operating), isolated and uncovered og-4 only (og-2 is joint); should have own og-2
	// (og-6 not operating, og-5 has 2 < 3). Coverage rate (1+1)/5 = 0.4, own rate 1/5 = 0.2.
	want := csCounts{Organizations: 6, Operating: 5, Own: 1, Joint: 1, Work: 1, Uncovered: 2, Isolated: 2,
		IsolatedUncovered: 1, ShouldHaveOwn: 1, CoverageRate: "0.4000", OwnRate: "0.2000"}
	if got := csCountsOf(s.Total); got != want {
		t.Errorf("total:\n got %+v\nwant %+v", got, want)
	}
	if s.By == nil || len(s.By) != 0 {
		t.Errorf("By = %#v, want an empty, non-nil list when not grouped", s.By)
	}
	if s.Groups == nil || len(s.Groups) != 0 {
		t.Errorf("Groups = %#v, want an empty, non-nil list when not grouped", s.Groups)
	}
	if s.Total.Keys == nil || len(s.Total.Keys) != 0 {
		t.Errorf("total keys = %#v, want an empty, non-nil list", s.Total.Keys)
	}
}

func TestCoverageStatsCountWhatTheFilterKeepsEvenAPublicBody(t *testing.T) {
	c := csCensus()
	// No sector condition: og-7 (a public body, NOT_MANAGED) is counted too: 7 organisations,
	// 6 operating, and it falls in none of the four statuses; rate 2/6.
	s, err := NewCoverageStats(c, nil, CoverageFilter{}, GroupSort{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := csCounts{Organizations: 7, Operating: 6, Own: 1, Joint: 1, Work: 1, Uncovered: 2, Isolated: 2,
		IsolatedUncovered: 1, ShouldHaveOwn: 1, CoverageRate: "0.3333", OwnRate: "0.1667"}
	if got := csCountsOf(s.Total); got != want {
		t.Errorf("every sector:\n got %+v\nwant %+v", got, want)
	}
	// Only the non-operating og-6: one organisation, no operating one, so no rate at all.
	s, err = NewCoverageStats(c, nil, CoverageFilter{Areas: map[string]bool{"ar-1": true}, AboveScale: csBool(false),
		Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}}, GroupSort{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// ar-1, below scale, enterprises: og-2, og-5, og-6 → 3 organisations, 2 operating (og-2 joint,
	// og-5 uncovered), isolated og-2, should have own og-2; rate 1/2, own 0/2.
	want = csCounts{Organizations: 3, Operating: 2, Joint: 1, Uncovered: 1, Isolated: 1, ShouldHaveOwn: 1,
		CoverageRate: "0.5000", OwnRate: "0.0000"}
	if got := csCountsOf(s.Total); got != want {
		t.Errorf("ar-1 below scale:\n got %+v\nwant %+v", got, want)
	}
	s, err = NewCoverageStats(c, nil, CoverageFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}, Sectors: cobuild.ManagedSectors,
		AboveScale: csBool(false), Areas: map[string]bool{"ar-1": true}, ParkID: "", CommunityID: ""}, GroupSort{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := csCountsOf(s.Total); got != want {
		t.Errorf("the same with the managed sectors named:\n got %+v\nwant %+v", got, want)
	}
}

func TestARateIsNilWithoutAnOperatingOrganisation(t *testing.T) {
	for _, c := range []struct {
		part, whole int
		want        string
	}{{0, 0, "nil"}, {3, 0, "nil"}, {0, 4, "0.0000"}, {1, 4, "0.2500"}, {3, 4, "0.7500"}, {4, 4, "1.0000"}} {
		if got := csRate(Rate(c.part, c.whole)); got != c.want {
			t.Errorf("Rate(%d, %d) = %s, want %s", c.part, c.whole, got, c.want)
		}
	}
	// One organisation, not operating: counted, without rates.
	rows := []cobuild.CensusRow{{ID: "og-1", Sector: cobuild.SectorEnterprise, Facts: cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise, OwnPartyOrgs: 1}}}
	s, err := NewCoverageStats(NewCensus(cobuild.DefaultRules(), NewPlaces(rows), rows), nil, CoverageFilter{}, GroupSort{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := csCounts{Organizations: 1, CoverageRate: "nil", OwnRate: "nil"}
	if got := csCountsOf(s.Total); got != want {
		t.Errorf("one non-operating organisation:\n got %+v\nwant %+v", got, want)
	}
}

func TestCoverageStatsGroupByArea(t *testing.T) {
	c := csCensus()
	names := map[string]string{"ar-1": "城区", "ar-2": "寒亭镇"}
	s, err := NewCoverageStats(c, []GroupDimension{ByArea}, CoverageFilter{Sectors: cobuild.ManagedSectors}, GroupSort{}, names)
	if err != nil {
		t.Fatal(err)
	}
	// ar-1: og-1, og-2, og-5, og-6 → 4 organisations, 3 operating: own og-1, joint og-2,
	// uncovered og-5; isolated og-2 (joint, so not isolated-uncovered); should have own og-2;
	// rate 2/3, own 1/3. ar-2: og-3, og-4 → 2, both operating: work og-3, uncovered and
	// isolated og-4; rate 0/2. Largest first: ar-1 (4) then ar-2 (2).
	want := []struct {
		keys   string
		counts csCounts
	}{
		{"AREA=ar-1(城区)", csCounts{Organizations: 4, Operating: 3, Own: 1, Joint: 1, Uncovered: 1, Isolated: 1, ShouldHaveOwn: 1,
			CoverageRate: "0.6667", OwnRate: "0.3333"}},
		{"AREA=ar-2(寒亭镇)", csCounts{Organizations: 2, Operating: 2, Work: 1, Uncovered: 1, Isolated: 1, IsolatedUncovered: 1,
			CoverageRate: "0.0000", OwnRate: "0.0000"}},
	}
	if !slices.Equal(s.By, []GroupDimension{ByArea}) {
		t.Errorf("By = %v, want [AREA]", s.By)
	}
	if len(s.Groups) != len(want) {
		t.Fatalf("%d groups, want %d", len(s.Groups), len(want))
	}
	for i, w := range want {
		g := s.Groups[i]
		if got := csKeys(g); got != w.keys {
			t.Errorf("group %d: keys %s, want %s", i, got, w.keys)
		}
		if got := csCountsOf(g); got != w.counts {
			t.Errorf("group %s:\n got %+v\nwant %+v", w.keys, got, w.counts)
		}
	}
	// The total is the same whether grouped or not.
	if got := csCountsOf(s.Total); got.Organizations != 6 || got.Operating != 5 || got.CoverageRate != "0.4000" {
		t.Errorf("total when grouped: %+v, want 6 organisations, 5 operating, rate 0.4", got)
	}
}

func TestCoverageStatsGroupByTwoDimensions(t *testing.T) {
	c := csCensus()
	s, err := NewCoverageStats(c, []GroupDimension{BySector, BySizeBand}, CoverageFilter{}, GroupSort{Field: "LABEL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Headcounts 9 MICRO, 10 SMALL, 99 SMALL, 100 MEDIUM, 299 MEDIUM, 300 LARGE, 0 MICRO:
	//   ENTERPRISE: og-1 MICRO; og-2 SMALL; og-5 MEDIUM; og-6 LARGE
	//   SOCIAL: og-3 SMALL; og-4 MEDIUM
	//   PUBLIC: og-7 MICRO
	// By the first key's label, ascending, then by key (ENTERPRISE\x00LARGE < \x00MEDIUM <
	// \x00MICRO < \x00SMALL; SOCIAL\x00MEDIUM < SOCIAL\x00SMALL), labels in the byte order of UTF-8:
	// 公 (E5 85 AC) < 社 (E7 A4 BE) < 非 (E9 9D 9E), so PUBLIC, then SOCIAL, then ENTERPRISE.
	want := []string{
		"SECTOR=PUBLIC(公共机构),SIZE_BAND=MICRO(微型（10人以下）)",
		"SECTOR=SOCIAL(社会组织),SIZE_BAND=MEDIUM(中型（100–299人）)",
		"SECTOR=SOCIAL(社会组织),SIZE_BAND=SMALL(小型（10–99人）)",
		"SECTOR=ENTERPRISE(非公企业),SIZE_BAND=LARGE(大型（300人以上）)",
		"SECTOR=ENTERPRISE(非公企业),SIZE_BAND=MEDIUM(中型（100–299人）)",
		"SECTOR=ENTERPRISE(非公企业),SIZE_BAND=MICRO(微型（10人以下）)",
		"SECTOR=ENTERPRISE(非公企业),SIZE_BAND=SMALL(小型（10–99人）)",
	}
	var got []string
	for _, g := range s.Groups {
		got = append(got, csKeys(g))
	}
	if !slices.Equal(got, want) {
		t.Errorf("groups by sector and size band, by label:\n got %q\nwant %q", got, want)
	}
	if len(s.Groups) != len(want) {
		t.Fatalf("%d groups, want %d", len(s.Groups), len(want))
	}
	// ENTERPRISE/LARGE is og-6 alone: 1 organisation, not operating, no rate.
	if got := csCountsOf(s.Groups[3]); got != (csCounts{Organizations: 1, CoverageRate: "nil", OwnRate: "nil"}) {
		t.Errorf("ENTERPRISE/LARGE: %+v, want og-6 alone, not operating", got)
	}
	// SOCIAL/MEDIUM is og-4 alone: uncovered and isolated.
	if got := csCountsOf(s.Groups[1]); got != (csCounts{Organizations: 1, Operating: 1, Uncovered: 1, Isolated: 1, IsolatedUncovered: 1,
		CoverageRate: "0.0000", OwnRate: "0.0000"}) {
		t.Errorf("SOCIAL/MEDIUM: %+v, want og-4 alone, uncovered and isolated", got)
	}
}

func TestCoverageStatsRefuseMoreThanTwoOrTwiceTheSameDimension(t *testing.T) {
	c := csCensus()
	for _, by := range [][]GroupDimension{
		{ByArea, ByPark, ByKind},
		{ByArea, ByPark, ByKind, BySector},
		{ByKind, ByKind},
		{ByArea, ByArea},
	} {
		s, err := NewCoverageStats(c, by, CoverageFilter{}, GroupSort{}, nil)
		if cobuild.ErrorCode(err) != cobuild.EINVALID || s != nil {
			t.Errorf("by %v: %v, %v; want nil and an %s error", by, s, err, cobuild.EINVALID)
		}
	}
	for _, by := range [][]GroupDimension{{ByArea}, {ByArea, ByPark}, {ByKind, BySector}, {}} {
		if _, err := NewCoverageStats(c, by, CoverageFilter{}, GroupSort{}, nil); err != nil {
			t.Errorf("by %v: %v, want no error", by, err)
		}
	}
}

func TestCoverageFilterKeeps(t *testing.T) {
	r := cobuild.CensusRow{ID: "og-1", Kind: cobuild.OrgEnterprise, Sector: cobuild.SectorEnterprise, AboveScale: true,
		AreaID: "ar-2", ParkID: "ar-9", CommunityID: "og-9", IndustryID: "in-1"}
	for _, c := range []struct {
		name string
		f    CoverageFilter
		want bool
	}{
		{"no condition", CoverageFilter{}, true},
		{"its kind", CoverageFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}}, true},
		{"kinds holding its own", CoverageFilter{Kinds: []cobuild.OrgKind{cobuild.OrgSocial, cobuild.OrgEnterprise}}, true},
		{"another kind", CoverageFilter{Kinds: []cobuild.OrgKind{cobuild.OrgSocial}}, false},
		{"its sector", CoverageFilter{Sectors: []cobuild.Sector{cobuild.SectorEnterprise}}, true},
		{"another sector", CoverageFilter{Sectors: []cobuild.Sector{cobuild.SectorSocial, cobuild.SectorPublic}}, false},
		{"above scale", CoverageFilter{AboveScale: csBool(true)}, true},
		{"below scale", CoverageFilter{AboveScale: csBool(false)}, false},
		{"its area", CoverageFilter{Areas: map[string]bool{"ar-1": true, "ar-2": true}}, true},
		{"other areas", CoverageFilter{Areas: map[string]bool{"ar-1": true}}, false},
		{"no area at all", CoverageFilter{Areas: map[string]bool{}}, false},
		{"its park", CoverageFilter{ParkID: "ar-9"}, true},
		{"another park", CoverageFilter{ParkID: "ar-8"}, false},
		{"its community", CoverageFilter{CommunityID: "og-9"}, true},
		{"another community", CoverageFilter{CommunityID: "og-8"}, false},
		{"its industry", CoverageFilter{IndustryID: "in-1"}, true},
		{"another industry", CoverageFilter{IndustryID: "in-2"}, false},
		{"everything its own", CoverageFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}, Sectors: cobuild.ManagedSectors,
			AboveScale: csBool(true), Areas: map[string]bool{"ar-2": true}, ParkID: "ar-9", CommunityID: "og-9", IndustryID: "in-1"}, true},
		{"everything its own but the industry", CoverageFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}, Sectors: cobuild.ManagedSectors,
			AboveScale: csBool(true), Areas: map[string]bool{"ar-2": true}, ParkID: "ar-9", CommunityID: "og-9", IndustryID: "in-2"}, false},
	} {
		if got := c.f.Keeps(r); got != c.want {
			t.Errorf("%s: Keeps = %v, want %v", c.name, got, c.want)
		}
	}
	// A row without a park is kept by no park condition but by none.
	bare := cobuild.CensusRow{ID: "og-2"}
	if !(CoverageFilter{}).Keeps(bare) || (CoverageFilter{ParkID: "ar-9"}).Keeps(bare) {
		t.Error("a row with no park: kept by no condition, not by a park")
	}
}

// csGroups are four groups with a different order for every field (see each case).
func csGroups() []*CoverageGroup {
	f := func(v float64) *float64 { return &v }
	return []*CoverageGroup{
		{key: "a", Keys: []*GroupKey{{Label: "z"}}, Organizations: 2, Operating: 4, Uncovered: 0, IsolatedUncovered: 1, ShouldHaveOwn: 2,
			CoverageRate: f(0.5), OwnRate: f(0.25)},
		{key: "b", Keys: []*GroupKey{{Label: "y"}}, Organizations: 5, Operating: 0, Uncovered: 1, IsolatedUncovered: 3, ShouldHaveOwn: 0},
		{key: "c", Keys: []*GroupKey{{Label: "x"}}, Organizations: 5, Operating: 3, Uncovered: 2, IsolatedUncovered: 0, ShouldHaveOwn: 1,
			CoverageRate: f(0), OwnRate: f(0.75)},
		{key: "d", Keys: []*GroupKey{{Label: "w"}}, Organizations: 1, Operating: 1, Uncovered: 3, IsolatedUncovered: 2, ShouldHaveOwn: 3,
			CoverageRate: f(1), OwnRate: f(0)},
	}
}

func TestCoverageGroupsSortByEveryField(t *testing.T) {
	for _, c := range []struct {
		sort GroupSort
		want string
	}{
		// Organizations a 2, b 5, c 5, d 1: b and c tie, by key.
		{GroupSort{}, "bcad"}, // the default: organisations, largest first
		{GroupSort{Field: "ORGANIZATIONS", Desc: true}, "bcad"},
		{GroupSort{Field: "ORGANIZATIONS"}, "dabc"}, // ties still by key ascending
		{GroupSort{Field: "UNKNOWN"}, "dabc"},       // an unknown field sorts by organisations
		// Operating a 4, b 0, c 3, d 1.
		{GroupSort{Field: "OPERATING", Desc: true}, "acdb"},
		{GroupSort{Field: "OPERATING"}, "bdca"},
		// Uncovered a 0, b 1, c 2, d 3.
		{GroupSort{Field: "UNCOVERED", Desc: true}, "dcba"},
		{GroupSort{Field: "UNCOVERED"}, "abcd"},
		// Isolated and uncovered a 1, b 3, c 0, d 2.
		{GroupSort{Field: "ISOLATED_UNCOVERED", Desc: true}, "bdac"},
		{GroupSort{Field: "ISOLATED_UNCOVERED"}, "cadb"},
		// Should have own a 2, b 0, c 1, d 3.
		{GroupSort{Field: "SHOULD_HAVE_OWN", Desc: true}, "dacb"},
		{GroupSort{Field: "SHOULD_HAVE_OWN"}, "bcad"},
		// Coverage rate a 0.5, b none (below every rate, 0 included), c 0, d 1.
		{GroupSort{Field: "COVERAGE_RATE", Desc: true}, "dacb"},
		{GroupSort{Field: "COVERAGE_RATE"}, "bcad"},
		// Own rate a 0.25, b none, c 0.75, d 0.
		{GroupSort{Field: "OWN_RATE", Desc: true}, "cadb"},
		{GroupSort{Field: "OWN_RATE"}, "bdac"},
		// Labels a z, b y, c x, d w.
		{GroupSort{Field: "LABEL"}, "dcba"},
		{GroupSort{Field: "LABEL", Desc: true}, "abcd"},
	} {
		gs := csGroups()
		sortGroups(gs, c.sort)
		var got string
		for _, g := range gs {
			got += g.key
		}
		if got != c.want {
			t.Errorf("sort %+v: %s, want %s", c.sort, got, c.want)
		}
	}
}

func TestCoverageGroupsWithTheSameLabelSortByKey(t *testing.T) {
	for _, desc := range []bool{false, true} {
		gs := []*CoverageGroup{{key: "b", Keys: []*GroupKey{{Label: "同"}}}, {key: "a", Keys: []*GroupKey{{Label: "同"}}},
			{key: "c", Keys: []*GroupKey{{Label: "异"}}}}
		sortGroups(gs, GroupSort{Field: "LABEL", Desc: desc})
		var got string
		for _, g := range gs {
			got += g.key
		}
		// 同 (U+540C) sorts before 异 (U+5F02); a before b either way.
		want := map[bool]string{false: "abc", true: "cab"}[desc]
		if got != want {
			t.Errorf("labels desc=%v: %s, want %s", desc, got, want)
		}
	}
}

func TestAGroupsValueOfEachDimension(t *testing.T) {
	r := cobuild.CensusRow{Kind: cobuild.OrgHospital, Sector: cobuild.SectorSocial, Headcount: 100, AboveScale: true,
		AreaID: "ar-2", ParkID: "ar-9", CommunityID: "og-9", IndustryID: "in-1"}
	for _, c := range []struct {
		d    GroupDimension
		want string
	}{
		{ByArea, "ar-2"}, {ByPark, "ar-9"}, {ByCommunity, "og-9"}, {ByIndustry, "in-1"}, {ByKind, "HOSPITAL"},
		{BySector, "SOCIAL"}, {BySizeBand, "MEDIUM"}, {ByAboveScale, "true"},
	} {
		if got := valueOf(r, c.d); got != c.want {
			t.Errorf("value of %s: %q, want %q", c.d, got, c.want)
		}
	}
	if got := valueOf(cobuild.CensusRow{}, ByAboveScale); got != "false" {
		t.Errorf("value of ABOVE_SCALE below scale: %q, want false", got)
	}
	if got := valueOf(cobuild.CensusRow{}, ByPark); got != "" {
		t.Errorf("value of PARK without a park: %q, want empty", got)
	}
	// The size bands: MICRO under 10, SMALL 10–99, MEDIUM 100–299, LARGE 300 and more.
	for hc, want := range map[int]string{0: "MICRO", 9: "MICRO", 10: "SMALL", 99: "SMALL", 100: "MEDIUM", 299: "MEDIUM", 300: "LARGE", 5000: "LARGE"} {
		if got := valueOf(cobuild.CensusRow{Headcount: hc}, BySizeBand); got != want {
			t.Errorf("size band of %d staff: %s, want %s", hc, got, want)
		}
	}
}

func TestAGroupKeyIsLabelled(t *testing.T) {
	names := map[string]string{"ar-1": "宣城高新区", "in-1": "精细化工"}
	for _, c := range []struct {
		d            GroupDimension
		v            string
		value, label string
	}{
		{ByArea, "", "<nil>", "无"},
		{ByPark, "", "<nil>", "无"},
		{ByKind, "", "<nil>", "无"},
		{ByPark, "ar-1", "ar-1", "宣城高新区"},
		{ByIndustry, "in-1", "in-1", "精细化工"},
		{ByCommunity, "og-404", "og-404", "og-404"}, // no name: the id itself
		{ByKind, "ENTERPRISE", "ENTERPRISE", "非公企业"},
		{ByKind, "HOSPITAL", "HOSPITAL", "民办医院"},
		{BySector, "SOCIAL", "SOCIAL", "社会组织"},
		{BySizeBand, "LARGE", "LARGE", "大型（300人以上）"},
		{ByAboveScale, "true", "true", "规上"},
		{ByAboveScale, "false", "false", "规下"},
	} {
		k := KeyOf(c.d, c.v, names)
		value := "<nil>"
		if k.Value != nil {
			value = *k.Value
		}
		if k.Dimension != c.d || value != c.value || k.Label != c.label {
			t.Errorf("KeyOf(%s, %q) = %s %s %s, want %s %s %s", c.d, c.v, k.Dimension, value, k.Label, c.d, c.value, c.label)
		}
	}
}

func TestLostCoverageListsThoseWhoseStatusGetsWorse(t *testing.T) {
	ent := cobuild.SectorEnterprise
	facts := map[string][2]cobuild.CoverageFacts{
		// OWN → JOINT (regional): worse.
		"og-1": {{Sector: ent, OwnPartyOrgs: 1, JointTies: 1}, {Sector: ent, CoveredModes: []string{"REGIONAL"}, JointTies: 1}},
		// JOINT → JOINT: the same, not listed.
		"og-2": {{Sector: ent, CoveredModes: []string{"JOINT"}, JointTies: 1}, {Sector: ent, CoveredModes: []string{"INDUSTRY"}, JointTies: 1}},
		// WORK → OWN: better, not listed.
		"og-3": {{Sector: ent, Instructors: 1, JointTies: 1}, {Sector: ent, OwnPartyOrgs: 1, JointTies: 1}},
		// WORK (a liaison) → UNCOVERED: worse.
		"og-0": {{Sector: ent, Liaisons: 1, JointTies: 1}, {Sector: ent, JointTies: 1}},
		// JOINT → WORK: worse, one step.
		"og-5": {{Sector: ent, CoveredModes: []string{"JOINT"}, JointTies: 1}, {Sector: ent, MassBranches: 1, JointTies: 1}},
		// UNCOVERED → UNCOVERED: not listed.
		"og-4": {{Sector: ent, JointTies: 1}, {Sector: ent}},
	}
	got := LostCoverage(cobuild.DefaultRules(), facts)
	want := []CoverageChange{
		{OrgID: "og-0", Before: cobuild.CoverageWork, After: cobuild.CoverageUncovered,
			ReasonAfter: "no party organisation, instructor, liaison or mass-organisation branch", ReasonAfterLabel: "无党组织、党建指导员、联络员或群团组织"},
		{OrgID: "og-1", Before: cobuild.CoverageOwn, After: cobuild.CoverageJoint,
			ReasonAfter: "covered by a regional party organisation", ReasonAfterLabel: "由区域党组织覆盖"},
		{OrgID: "og-5", Before: cobuild.CoverageJoint, After: cobuild.CoverageWork,
			ReasonAfter: "no party organisation; a mass-organisation branch was formed in it", ReasonAfterLabel: "未建党组织；已建立群团组织"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d changes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if *got[i] != want[i] {
			t.Errorf("change %d:\n got %+v\nwant %+v", i, *got[i], want[i])
		}
	}
	if out := LostCoverage(cobuild.DefaultRules(), nil); out == nil || len(out) != 0 {
		t.Errorf("no facts: %#v, want an empty, non-nil list", out)
	}
}
