package analytics

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cobuild"
	"cobuild/fixture"
)

// Tests of the lists of the network (listing.go), of the lists of organisations
// (lists.go, census.go) and of chains said in words (explain.go). The network lists use
// the hand-drawn graph of package fixture (its answers are drawn in its comment) or
// smaller graphs drawn in the comments here.

func lsIDs(p *Projection, nodes []int) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, p.Nodes[n].ID)
	}
	return out
}

// ---- listing.go ----

func TestIslandListOfTheDrawnGraph(t *testing.T) {
	p := drawn(t)
	// The drawing's islands: 6 {甲 乙 丙 丁 联盟一 城西社区}, 4 {戊 己 会议 联盟二}, 4 {庚 辛 徒弟
	// 导师}, 3 {壬 学徒 职业学校}, and 癸, 子, 丑, 寅 alone. The two of 4 tie: the one whose
	// smallest member id is al-900000002 (联盟二) comes before og-900000007 (庚).
	type island struct {
		size, orgs int
		first      string
	}
	all := []island{{6, 5, fixture.Alliance1}, {4, 2, fixture.Alliance2}, {4, 2, fixture.Geng}, {3, 2, fixture.Ren},
		{1, 1, fixture.Gui}, {1, 1, fixture.Zi}, {1, 1, fixture.Chou}, {1, 1, fixture.Yin}}
	for _, c := range []struct {
		first, minSize int
		want           []island
	}{
		{100, 1, all},
		{100, 0, all},
		{100, 3, all[:4]},
		{100, 4, all[:3]}, // an island of exactly minSize is listed
		{100, 5, all[:1]},
		{100, 6, all[:1]},
		{100, 7, nil},
		{2, 1, all[:2]},
		{3, 4, all[:3]},
		{4, 4, all[:3]},
		{0, 1, nil},
	} {
		rows := p.IslandList(c.first, c.minSize)
		var got []island
		for i, r := range rows {
			if r.Rank != i+1 {
				t.Errorf("first %d, minSize %d: island %d has rank %d, want %d", c.first, c.minSize, i, r.Rank, i+1)
			}
			if len(r.Members) != r.Size {
				t.Errorf("first %d, minSize %d: island %d of size %d lists %d members", c.first, c.minSize, i, r.Size, len(r.Members))
			}
			got = append(got, island{r.Size, r.Organizations, p.Nodes[r.Members[0]].ID})
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("first %d, minSize %d:\n got %v\nwant %v", c.first, c.minSize, got, c.want)
		}
	}
	// The largest island's members, by id.
	rows := p.IslandList(1, 1)
	if len(rows) != 1 {
		t.Fatalf("%d islands, want 1", len(rows))
	}
	want := []string{fixture.Alliance1, fixture.Jia, fixture.Yi, fixture.Bing, fixture.Ding, fixture.Chengxi}
	if got := lsIDs(p, rows[0].Members); !slices.Equal(got, want) {
		t.Errorf("members of the largest island: %v, want %v", got, want)
	}
}

func TestIslandListSortsIslandsNumberedOtherwise(t *testing.T) {
	// Islands are numbered by their smallest node; here that order is neither by size nor
	// by smallest member id:
	//   island 0: og-5 alone (node 0)
	//   island 1: og-9 – og-2 (2 nodes, smallest id og-2)
	//   island 2: og-1 – og-3 – og-4 (3 nodes)
	//   island 3: og-8 – og-0 (2 nodes, smallest id og-0)
	// Largest first, equal sizes by smallest member id: og-1's, og-0's, og-2's, og-5.
	p := NewProjection(Build([]NodeInfo{{ID: "og-5"}, {ID: "og-9"}, {ID: "og-2"}, {ID: "og-1"}, {ID: "og-3"}, {ID: "og-4"}, {ID: "og-8"}, {ID: "og-0"}},
		[]TieInfo{{From: "og-9", To: "og-2"}, {From: "og-1", To: "og-3"}, {From: "og-3", To: "og-4"}, {From: "og-8", To: "og-0"}}))
	for _, c := range []struct {
		minSize int
		want    string
	}{
		{1, "1:og-1,og-3,og-4 2:og-0,og-8 3:og-2,og-9 4:og-5 "},
		{2, "1:og-1,og-3,og-4 2:og-0,og-8 3:og-2,og-9 "}, // the island left out comes first in number
		{3, "1:og-1,og-3,og-4 "},
	} {
		var got string
		for _, r := range p.IslandList(10, c.minSize) {
			got += fmt.Sprintf("%d:%s ", r.Rank, strings.Join(lsIDs(p, r.Members), ","))
		}
		if got != c.want {
			t.Errorf("minSize %d:\n got %s\nwant %s", c.minSize, got, c.want)
		}
	}
}

func TestIsolatedOrganizationsCountOrganisationsAloneOnly(t *testing.T) {
	if got := drawn(t).IsolatedOrganizations(); got != 4 {
		t.Errorf("drawn graph: %d organisations alone, want 4 (癸, 子, 丑, 寅)", got)
	}
	// og-1 and og-2 joined, og-3 alone, al-1 alone (not an organisation), pe-1 alone.
	p := NewProjection(Build([]NodeInfo{{ID: "og-1", Label: cobuild.LabelOrganization}, {ID: "og-2", Label: cobuild.LabelOrganization},
		{ID: "og-3", Label: cobuild.LabelOrganization}, {ID: "al-1", Label: cobuild.LabelAlliance}, {ID: "pe-1", Label: cobuild.LabelPerson}},
		[]TieInfo{{Type: cobuild.MemberOf, From: "og-1", To: "og-2"}}))
	if got := p.IsolatedOrganizations(); got != 1 {
		t.Errorf("%d organisations alone, want 1 (og-3)", got)
	}
}

func TestBrokerListOfTheDrawnGraph(t *testing.T) {
	p := drawn(t)
	// Degrees: 联盟一 3 (甲, 乙, 丙); the other brokers 2 each, then by id.
	want := []string{
		"al-900000001 3 3", "al-900000002 2 2", "ev-900000001 2 2", "og-900000003 2 2", "og-900000011 2 2",
		"pe-900000001 2 2", "pe-900000002 2 2", "pe-900000003 2 2",
	}
	for _, first := range []int{100, 8, 3, 1, 0} {
		var got []string
		for _, b := range p.BrokerList(first) {
			got = append(got, fmt.Sprintf("%s %d %d", p.Nodes[b.Node].ID, b.Degree, b.SplitsInto))
		}
		if w := want[:min(first, len(want))]; !slices.Equal(got, w) {
			t.Errorf("first %d:\n got %v\nwant %v", first, got, w)
		}
	}
}

func TestBrokerListByDegreeThenID(t *testing.T) {
	// A star og-9 with three leaves og-1, og-2, og-3, one of which (og-1) holds a tail to
	// og-5: brokers og-9 (degree 3, 3 parts) and og-1 (degree 2, 2 parts). og-9 first,
	// although og-1 has the smaller id.
	p := NewProjection(Build([]NodeInfo{{ID: "og-1"}, {ID: "og-2"}, {ID: "og-3"}, {ID: "og-5"}, {ID: "og-9"}}, []TieInfo{
		{From: "og-9", To: "og-1"}, {From: "og-9", To: "og-2"}, {From: "og-9", To: "og-3"}, {From: "og-1", To: "og-5"}}))
	var got []string
	for _, b := range p.BrokerList(10) {
		got = append(got, fmt.Sprintf("%s %d %d", p.Nodes[b.Node].ID, b.Degree, b.SplitsInto))
	}
	if want := []string{"og-9 3 3", "og-1 2 2"}; !slices.Equal(got, want) {
		t.Errorf("brokers %v, want %v", got, want)
	}
}

func TestBridgeListBySmallerSideThenTie(t *testing.T) {
	// A path a – b – c – d (ties 0, 1, 2) and a pair e – f (tie 3).
	//   tie 0 a–b cuts {a} from {b c d}: sides 3 and 1
	//   tie 1 b–c: 2 and 2
	//   tie 2 c–d: 3 and 1
	//   tie 3 e–f: 1 and 1
	// Smaller side largest first (tie 1), then by tie: 0, 2, 3.
	p := NewProjection(Build([]NodeInfo{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}, {ID: "e"}, {ID: "f"}}, []TieInfo{
		{From: "a", To: "b"}, {From: "b", To: "c"}, {From: "c", To: "d"}, {From: "e", To: "f"}}))
	want := []string{"1 b-c [2 2]", "0 a-b [3 1]", "2 c-d [3 1]", "3 e-f [1 1]"}
	for _, first := range []int{10, 4, 2, 0} {
		var got []string
		for _, b := range p.BridgeList(first) {
			got = append(got, fmt.Sprintf("%d %s-%s %v", b.Tie, p.Nodes[b.From].ID, p.Nodes[b.To].ID, b.Sides))
		}
		if w := want[:min(first, len(want))]; !slices.Equal(got, w) {
			t.Errorf("first %d:\n got %v\nwant %v", first, got, w)
		}
	}
}

func TestRankOrdersByScoreThenID(t *testing.T) {
	// Scores: og-2 5, al-1 5, og-1 3, pe-1 3, og-3 1. Ties by id.
	p := NewProjection(Build([]NodeInfo{{ID: "og-1", Label: cobuild.LabelOrganization}, {ID: "og-2", Label: cobuild.LabelOrganization},
		{ID: "al-1", Label: cobuild.LabelAlliance}, {ID: "pe-1", Label: cobuild.LabelPerson}, {ID: "og-3", Label: cobuild.LabelOrganization}}, nil))
	scores := map[string]float64{"og-2": 5, "al-1": 5, "og-1": 3, "pe-1": 3, "og-3": 1}
	score := func(n int) float64 { return scores[p.Nodes[n].ID] }
	org := cobuild.LabelOrganization
	for _, c := range []struct {
		first int
		label *cobuild.NodeLabel
		want  string
	}{
		{10, nil, "1 al-1 5; 2 og-2 5; 3 og-1 3; 4 pe-1 3; 5 og-3 1; "},
		{5, nil, "1 al-1 5; 2 og-2 5; 3 og-1 3; 4 pe-1 3; 5 og-3 1; "},
		{2, nil, "1 al-1 5; 2 og-2 5; "},
		{0, nil, ""},
		{10, &org, "1 og-2 5; 2 og-1 3; 3 og-3 1; "},
		{1, &org, "1 og-2 5; "},
	} {
		rows := p.Rank(score, c.first, c.label)
		var got string
		for _, r := range rows {
			got += fmt.Sprintf("%d %s %v; ", r.Rank, p.Nodes[r.Node].ID, r.Score)
		}
		if got != c.want {
			t.Errorf("first %d, label %v:\n got %s\nwant %s", c.first, c.label, got, c.want)
		}
	}
}

func TestSectorOfKind(t *testing.T) {
	for kind, want := range map[string]cobuild.Sector{
		"ENTERPRISE": cobuild.SectorEnterprise, "SOCIAL_ORG": cobuild.SectorSocial, "HOSPITAL": cobuild.SectorSocial,
		"COMMUNITY": cobuild.SectorPublic, "SCHOOL": cobuild.SectorPublic, "DEPARTMENT": cobuild.SectorPublic,
		"MASS_ORG": cobuild.SectorPublic, "": cobuild.SectorPublic,
	} {
		if got := SectorOfKind(kind); got != want {
			t.Errorf("sector of %q: %s, want %s", kind, got, want)
		}
	}
}

// lsDrawnCensus is the census of the drawn graph on its day, with the facts the drawing
// gives: 甲 own, 乙 and 己 joint, 丙 an instructor, 戊 a union branch, 庚 a liaison, the
// rest nothing; 城西社区 and 职业学校 public bodies.
func lsDrawnCensus() *Census {
	ent, soc, pub := cobuild.SectorEnterprise, cobuild.SectorSocial, cobuild.SectorPublic
	facts := map[string]cobuild.CoverageFacts{
		fixture.Jia: {OwnPartyOrgs: 1}, fixture.Yi: {CoveredModes: []string{"JOINT"}}, fixture.Ji: {CoveredModes: []string{"JOINT"}},
		fixture.Bing: {Instructors: 1}, fixture.Wu: {MassBranches: 1}, fixture.Geng: {Liaisons: 1},
	}
	sectors := map[string]cobuild.Sector{fixture.Ding: soc, fixture.Chou: soc, fixture.Chengxi: pub, fixture.School: pub}
	var rows []cobuild.CensusRow
	for _, id := range []string{fixture.Jia, fixture.Yi, fixture.Bing, fixture.Ding, fixture.Wu, fixture.Ji, fixture.Geng, fixture.Xin,
		fixture.Ren, fixture.Gui, fixture.Chengxi, fixture.School, fixture.Zi, fixture.Chou, fixture.Yin} {
		f := facts[id]
		f.Sector = cmpOrSector(sectors[id], ent)
		f.JointTies = 1
		rows = append(rows, cobuild.CensusRow{ID: id, Sector: f.Sector, Operating: true, Facts: f})
	}
	return NewCensus(cobuild.DefaultRules(), NewPlaces(rows), rows)
}

func cmpOrSector(s, def cobuild.Sector) cobuild.Sector {
	if s == "" {
		return def
	}
	return s
}

func TestFarFromCoverageOfTheDrawnGraph(t *testing.T) {
	p, c := drawn(t), lsDrawnCensus()
	for i, r := range c.Rows {
		if got, want := c.Coverage.At(i).Status, fixture.Coverage[r.ID]; got != want {
			t.Fatalf("the premise: %s is %s, the drawing says %s", r.ID, got, want)
		}
	}
	// Organisationally covered: 甲 (own), 乙 and 己 (joint); 丙, 戊 and 庚 have work cover only,
	// which does not count. Hops from the nearest of them:
	//   丙 2 (甲 – 联盟一 – 丙), 城西社区 3, 丁 4; 会议 2 (己 – 联盟二 – 会议), 戊 3; the islands of
	//   庚 and 壬 and the four alone are out of reach.
	far := func(ids ...string) []string { return ids }
	rest := far(fixture.Geng, fixture.Xin, fixture.Ren, fixture.Gui, fixture.Zi, fixture.Chou, fixture.Yin)
	for _, tc := range []struct {
		hops    int
		sectors []cobuild.Sector
		first   int
		total   int
		want    []string
	}{
		{0, nil, 100, 10, append(far(fixture.Bing, fixture.Ding, fixture.Wu), rest...)},
		{1, nil, 100, 10, append(far(fixture.Bing, fixture.Ding, fixture.Wu), rest...)},
		{2, nil, 100, 9, append(far(fixture.Ding, fixture.Wu), rest...)},
		{3, nil, 100, 8, append(far(fixture.Ding), rest...)},
		{4, nil, 100, 7, rest},
		{2, nil, 3, 9, far(fixture.Ding, fixture.Wu, fixture.Geng)},
		{2, nil, 0, 9, nil},
		{2, cobuild.ManagedSectors, 100, 9, append(far(fixture.Ding, fixture.Wu), rest...)},
		{2, []cobuild.Sector{cobuild.SectorSocial}, 100, 2, far(fixture.Ding, fixture.Chou)},
		{3, []cobuild.Sector{cobuild.SectorSocial}, 1, 2, far(fixture.Ding)},
		{4, []cobuild.Sector{cobuild.SectorSocial}, 100, 1, far(fixture.Chou)},
		// Public bodies only when asked: 城西社区 is 3 hops away, 职业学校 out of reach.
		{2, []cobuild.Sector{cobuild.SectorPublic}, 100, 2, far(fixture.Chengxi, fixture.School)},
		{3, []cobuild.Sector{cobuild.SectorPublic}, 100, 1, far(fixture.School)},
	} {
		total, nodes := FarFromCoverage(p, c, tc.hops, tc.sectors, tc.first)
		if got := lsIDs(p, nodes); total != tc.total || !slices.Equal(got, tc.want) {
			t.Errorf("hops %d, sectors %v, first %d: %d %v, want %d %v", tc.hops, tc.sectors, tc.first, total, got, tc.total, tc.want)
		}
	}
}

func TestFarFromCoverageSkipsCoveredRowsOutsideTheProjection(t *testing.T) {
	// og-1 is covered but not in the projection; og-2 – og-3 joined, og-4 alone.
	rows := []cobuild.CensusRow{
		{ID: "og-1", Facts: cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise, OwnPartyOrgs: 1}},
		{ID: "og-2", Facts: cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise, OwnPartyOrgs: 1}},
		{ID: "og-3", Facts: cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise}},
		{ID: "og-4", Facts: cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise}},
	}
	c := NewCensus(cobuild.DefaultRules(), NewPlaces(rows), rows)
	p := NewProjection(Build([]NodeInfo{{ID: "og-3", Label: cobuild.LabelOrganization, Kind: "ENTERPRISE"},
		{ID: "og-2", Label: cobuild.LabelOrganization, Kind: "ENTERPRISE"}, {ID: "og-4", Label: cobuild.LabelOrganization, Kind: "ENTERPRISE"}},
		[]TieInfo{{Type: cobuild.MemberOf, From: "og-2", To: "og-3"}}))
	// og-3 is node 0: within one tie of og-2; og-4 is far. Within 0 ties og-3 is far too.
	total, nodes := FarFromCoverage(p, c, 1, nil, 10)
	if got := lsIDs(p, nodes); total != 1 || !slices.Equal(got, []string{"og-4"}) {
		t.Errorf("within 1: %d %v, want 1 [og-4]", total, got)
	}
	total, nodes = FarFromCoverage(p, c, 0, nil, 10)
	if got := lsIDs(p, nodes); total != 2 || !slices.Equal(got, []string{"og-3", "og-4"}) {
		t.Errorf("within 0: %d %v, want 2 [og-3 og-4]", total, got)
	}
}

// ---- lists.go ----

func lsBool(b bool) *bool { return &b }
func lsInt(n int) *int    { return &n }

func TestWhatAFilterNeeds(t *testing.T) {
	yes := lsBool(true)
	for _, c := range []struct {
		name          string
		f             cobuild.OrgFilter
		needs, places bool
	}{
		{"nothing", cobuild.OrgFilter{}, false, true},
		{"places only", cobuild.OrgFilter{AreaID: "ar-1", Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}, PartyMembersMin: lsInt(3)}, false, true},
		{"a coverage status", cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{cobuild.CoverageOwn}}, true, true},
		{"isolation", cobuild.OrgFilter{Isolated: yes}, true, true},
		{"not isolated", cobuild.OrgFilter{Isolated: lsBool(false)}, true, true},
		{"should have own", cobuild.OrgFilter{ShouldHaveOwn: yes}, true, true},
		{"a membership", cobuild.OrgFilter{MemberOfID: "al-1"}, false, false},
		{"a covering party organisation", cobuild.OrgFilter{CoveredByID: "po-1"}, false, false},
		{"a tier", cobuild.OrgFilter{Tiers: []cobuild.Tier{cobuild.TierGold}}, false, false},
		{"a tier and coverage", cobuild.OrgFilter{Tiers: []cobuild.Tier{cobuild.TierGold}, Isolated: yes}, true, false},
	} {
		if got := NeedsCoverage(c.f); got != c.needs {
			t.Errorf("%s: NeedsCoverage %v, want %v", c.name, got, c.needs)
		}
		if got := PlacesAnswer(c.f); got != c.places {
			t.Errorf("%s: PlacesAnswer %v, want %v", c.name, got, c.places)
		}
	}
	for field, want := range map[string]bool{"": true, "NAME": true, "HEADCOUNT": true, "PARTY_MEMBERS": true, "TIES": true,
		"REGISTERED": false, "name": false, "COVERAGE": false} {
		if got := SortsInMemory(cobuild.Sort{Field: field}); got != want {
			t.Errorf("SortsInMemory(%q) = %v, want %v", field, got, want)
		}
		if got := SortsInMemory(cobuild.Sort{Field: field, Desc: true}); got != want {
			t.Errorf("SortsInMemory(%q, desc) = %v, want %v", field, got, want)
		}
	}
}

func TestKeepsEachConditionOnItsOwn(t *testing.T) {
	r := cobuild.CensusRow{ID: "og-1", Name: "宣城甲公司", Kind: cobuild.OrgEnterprise, Sector: cobuild.SectorEnterprise, Headcount: 50,
		PartyMembers: 3, AboveScale: true, Operating: true, AreaID: "ar-2", AreaParentID: "ar-1", ParkID: "ar-9", CommunityID: "og-9", IndustryID: "in-1"}
	cov := &cobuild.Coverage{Status: cobuild.CoverageJoint, Isolated: true, ShouldHaveOwn: true}
	yes, no := lsBool(true), lsBool(false)
	for _, c := range []struct {
		name string
		f    cobuild.OrgFilter
		want bool
	}{
		{"nothing", cobuild.OrgFilter{}, true},
		{"its kind", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgSocial, cobuild.OrgEnterprise}}, true},
		{"another kind", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgSocial}}, false},
		{"its sector", cobuild.OrgFilter{Sectors: []cobuild.Sector{cobuild.SectorEnterprise}}, true},
		{"another sector", cobuild.OrgFilter{Sectors: []cobuild.Sector{cobuild.SectorSocial}}, false},
		{"its town", cobuild.OrgFilter{AreaID: "ar-2"}, true},
		{"the district holding its town", cobuild.OrgFilter{AreaID: "ar-1"}, true},
		{"another area", cobuild.OrgFilter{AreaID: "ar-3"}, false},
		{"its park", cobuild.OrgFilter{ParkID: "ar-9"}, true},
		{"another park", cobuild.OrgFilter{ParkID: "ar-8"}, false},
		{"its community", cobuild.OrgFilter{CommunityID: "og-9"}, true},
		{"another community", cobuild.OrgFilter{CommunityID: "og-8"}, false},
		{"its industry", cobuild.OrgFilter{IndustryID: "in-1"}, true},
		{"another industry", cobuild.OrgFilter{IndustryID: "in-2"}, false},
		{"above scale", cobuild.OrgFilter{AboveScale: yes}, true},
		{"below scale", cobuild.OrgFilter{AboveScale: no}, false},
		{"operating", cobuild.OrgFilter{Operating: yes}, true},
		{"not operating", cobuild.OrgFilter{Operating: no}, false},
		{"its size band (50 staff: SMALL)", cobuild.OrgFilter{SizeBands: []cobuild.SizeBand{cobuild.SizeMicro, cobuild.SizeSmall}}, true},
		{"other size bands", cobuild.OrgFilter{SizeBands: []cobuild.SizeBand{cobuild.SizeMicro, cobuild.SizeMedium}}, false},
		{"at least 2 members", cobuild.OrgFilter{PartyMembersMin: lsInt(2)}, true},
		{"at least 3 members (it has 3)", cobuild.OrgFilter{PartyMembersMin: lsInt(3)}, true},
		{"at least 4 members", cobuild.OrgFilter{PartyMembersMin: lsInt(4)}, false},
		{"at most 4 members", cobuild.OrgFilter{PartyMembersMax: lsInt(4)}, true},
		{"at most 3 members (it has 3)", cobuild.OrgFilter{PartyMembersMax: lsInt(3)}, true},
		{"at most 2 members", cobuild.OrgFilter{PartyMembersMax: lsInt(2)}, false},
		{"3 to 3 members", cobuild.OrgFilter{PartyMembersMin: lsInt(3), PartyMembersMax: lsInt(3)}, true},
		{"its name's middle", cobuild.OrgFilter{NameContains: "甲公"}, true},
		{"another name", cobuild.OrgFilter{NameContains: "乙"}, false},
		{"its status", cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{cobuild.CoverageOwn, cobuild.CoverageJoint}}, true},
		{"another status", cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{cobuild.CoverageOwn}}, false},
		{"isolated", cobuild.OrgFilter{Isolated: yes}, true},
		{"not isolated", cobuild.OrgFilter{Isolated: no}, false},
		{"should have own", cobuild.OrgFilter{ShouldHaveOwn: yes}, true},
		{"should not have own", cobuild.OrgFilter{ShouldHaveOwn: no}, false},
	} {
		if got := keeps(c.f, r, cov, nil); got != c.want {
			t.Errorf("%s: keeps %v, want %v", c.name, got, c.want)
		}
		// Without the coverage, a coverage condition keeps nothing; the others as before.
		want := c.want && !NeedsCoverage(c.f)
		if got := keeps(c.f, r, nil, nil); got != want {
			t.Errorf("%s, without coverage: keeps %v, want %v", c.name, got, want)
		}
	}
	if !keeps(cobuild.OrgFilter{}, r, nil, map[string]bool{"og-1": true}) || keeps(cobuild.OrgFilter{}, r, nil, map[string]bool{"og-2": true}) {
		t.Error("ids: its own id keeps it, another's does not")
	}
	// A row whose town has no parent: an area condition is its own area only.
	bare := cobuild.CensusRow{ID: "og-2", AreaID: "ar-1"}
	if keeps(cobuild.OrgFilter{AreaID: "ar-2"}, bare, nil, nil) || !keeps(cobuild.OrgFilter{AreaID: "ar-1"}, bare, nil, nil) {
		t.Error("a row in ar-1 without a parent: kept by ar-1 only")
	}
}

// lsRows are five organisations:
//
//	row id    kind        area (parent)  park  community  industry
//	0   og-1  ENTERPRISE  ar-2 (ar-1)    ar-9  og-9       in-1
//	1   og-2  SOCIAL_ORG  ar-2 (ar-1)    -     og-9       -
//	2   og-3  ENTERPRISE  ar-3 (ar-1)    ar-9  -          in-1
//	3   og-4  COMMUNITY   ar-1 (none)    -     -          -
//	4   og-5  HOSPITAL    ar-4 (ar-4)    -     -          -
func lsRows() []cobuild.CensusRow {
	return []cobuild.CensusRow{
		{ID: "og-1", Name: "甲", Kind: cobuild.OrgEnterprise, AreaID: "ar-2", AreaParentID: "ar-1", ParkID: "ar-9", CommunityID: "og-9", IndustryID: "in-1", PartyMembers: 3},
		{ID: "og-2", Name: "乙", Kind: cobuild.OrgSocial, AreaID: "ar-2", AreaParentID: "ar-1", CommunityID: "og-9"},
		{ID: "og-3", Name: "丙", Kind: cobuild.OrgEnterprise, AreaID: "ar-3", AreaParentID: "ar-1", ParkID: "ar-9", IndustryID: "in-1", PartyMembers: 1},
		{ID: "og-4", Name: "丁", Kind: cobuild.OrgCommunity, AreaID: "ar-1"},
		{ID: "og-5", Name: "戊", Kind: cobuild.OrgHospital, AreaID: "ar-4", AreaParentID: "ar-4"},
	}
}

func TestSelectStartsFromTheSmallestPlace(t *testing.T) {
	p := NewPlaces(lsRows())
	for _, c := range []struct {
		name  string
		f     cobuild.OrgFilter
		found bool
		want  []int
	}{
		{"no place", cobuild.OrgFilter{PartyMembersMin: lsInt(1)}, false, nil},
		{"the district holds its towns' rows", cobuild.OrgFilter{AreaID: "ar-1"}, true, []int{0, 1, 2, 3}},
		{"an area that is its own parent, once", cobuild.OrgFilter{AreaID: "ar-4"}, true, []int{4}},
		{"a park (2) is smaller than the district (4)", cobuild.OrgFilter{AreaID: "ar-1", ParkID: "ar-9"}, true, []int{0, 2}},
		{"a community (2)", cobuild.OrgFilter{CommunityID: "og-9"}, true, []int{0, 1}},
		{"a community (2) is smaller than the district (4)", cobuild.OrgFilter{AreaID: "ar-1", CommunityID: "og-9"}, true, []int{0, 1}},
		{"an industry (2) is smaller than the district (4)", cobuild.OrgFilter{AreaID: "ar-1", IndustryID: "in-1"}, true, []int{0, 2}},
		{"a park and a community of 2 each: the first named", cobuild.OrgFilter{ParkID: "ar-9", CommunityID: "og-9"}, true, []int{0, 2}},
		{"an unknown place holds no row", cobuild.OrgFilter{CommunityID: "og-404", AreaID: "ar-1"}, true, nil},
		{"a kind", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}}, true, []int{0, 2}},
		{"kinds, repeated, in row order", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgSocial, cobuild.OrgEnterprise, cobuild.OrgSocial}}, true, []int{0, 1, 2}},
		{"a kind (1) is smaller than the district (4)", cobuild.OrgFilter{AreaID: "ar-1", Kinds: []cobuild.OrgKind{cobuild.OrgCommunity}}, true, []int{3}},
		{"a town (2) is smaller than kinds (3)", cobuild.OrgFilter{AreaID: "ar-2", Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise, cobuild.OrgSocial}}, true, []int{0, 1}},
	} {
		got, found := p.candidates(c.f)
		if found != c.found || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v %v, want %v %v", c.name, got, found, c.want, c.found)
		}
	}
}

func TestOnlyAnchor(t *testing.T) {
	yes := lsBool(true)
	area := func(f cobuild.OrgFilter) cobuild.OrgFilter { f.AreaID = "ar-1"; return f }
	for _, c := range []struct {
		name string
		f    cobuild.OrgFilter
		want bool
	}{
		{"nothing", cobuild.OrgFilter{}, false},
		{"an area", area(cobuild.OrgFilter{}), true},
		{"a park", cobuild.OrgFilter{ParkID: "ar-9"}, true},
		{"a community", cobuild.OrgFilter{CommunityID: "og-9"}, true},
		{"an industry", cobuild.OrgFilter{IndustryID: "in-1"}, true},
		{"kinds", cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise, cobuild.OrgSocial}}, true},
		{"an area and a park", area(cobuild.OrgFilter{ParkID: "ar-9"}), false},
		{"a community and an industry", cobuild.OrgFilter{CommunityID: "og-9", IndustryID: "in-1"}, false},
		{"an area and kinds", area(cobuild.OrgFilter{Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}}), false},
		{"an area and sectors", area(cobuild.OrgFilter{Sectors: cobuild.ManagedSectors}), false},
		{"an area and a membership", area(cobuild.OrgFilter{MemberOfID: "al-1"}), false},
		{"an area and a covering party organisation", area(cobuild.OrgFilter{CoveredByID: "po-1"}), false},
		{"an area and above scale", area(cobuild.OrgFilter{AboveScale: yes}), false},
		{"an area and operating", area(cobuild.OrgFilter{Operating: yes}), false},
		{"an area and size bands", area(cobuild.OrgFilter{SizeBands: []cobuild.SizeBand{cobuild.SizeMicro}}), false},
		{"an area and at least members", area(cobuild.OrgFilter{PartyMembersMin: lsInt(0)}), false},
		{"an area and at most members", area(cobuild.OrgFilter{PartyMembersMax: lsInt(9)}), false},
		{"an area and tiers", area(cobuild.OrgFilter{Tiers: []cobuild.Tier{cobuild.TierWeak}}), false},
		{"an area and a name", area(cobuild.OrgFilter{NameContains: "甲"}), false},
		{"an area and ids", area(cobuild.OrgFilter{IDs: []string{}}), false},
		{"an area and coverage", area(cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{cobuild.CoverageOwn}}), false},
		{"an area and isolation", area(cobuild.OrgFilter{Isolated: yes}), false},
		{"an area and should-have-own", area(cobuild.OrgFilter{ShouldHaveOwn: yes}), false},
		{"an area and a round, which alone selects nothing", area(cobuild.OrgFilter{Round: "2023-05", AsOf: time.Now()}), true},
	} {
		if got := onlyAnchor(c.f); got != c.want {
			t.Errorf("%s: onlyAnchor %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSelectKeepsWhatTheFilterAsks(t *testing.T) {
	rows := lsRows()
	p := NewPlaces(rows)
	// Coverage of each row on the day: og-1 own, og-2 uncovered and isolated, og-3 joint and
	// should have own, og-4 not managed, og-5 work and isolated.
	coverage := []cobuild.Coverage{
		{Status: cobuild.CoverageOwn}, {Status: cobuild.CoverageUncovered, Isolated: true},
		{Status: cobuild.CoverageJoint, ShouldHaveOwn: true}, {Status: cobuild.CoverageNotManaged}, {Status: cobuild.CoverageWork, Isolated: true},
	}
	yes := lsBool(true)
	for _, c := range []struct {
		name string
		cov  []cobuild.Coverage
		f    cobuild.OrgFilter
		want []int
	}{
		{"nothing", nil, cobuild.OrgFilter{}, []int{0, 1, 2, 3, 4}},
		{"nothing, with the census", coverage, cobuild.OrgFilter{}, []int{0, 1, 2, 3, 4}},
		{"the district", coverage, cobuild.OrgFilter{AreaID: "ar-1"}, []int{0, 1, 2, 3}},
		{"the district's enterprises", nil, cobuild.OrgFilter{AreaID: "ar-1", Kinds: []cobuild.OrgKind{cobuild.OrgEnterprise}}, []int{0, 2}},
		{"a park with members", nil, cobuild.OrgFilter{ParkID: "ar-9", PartyMembersMin: lsInt(2)}, []int{0}},
		{"members, everywhere", nil, cobuild.OrgFilter{PartyMembersMin: lsInt(1)}, []int{0, 2}},
		{"isolated", coverage, cobuild.OrgFilter{Isolated: yes}, []int{1, 4}},
		{"isolated, in the district", coverage, cobuild.OrgFilter{AreaID: "ar-1", Isolated: yes}, []int{1}},
		{"isolated without the census", nil, cobuild.OrgFilter{Isolated: yes}, nil},
		{"own or joint", coverage, cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{cobuild.CoverageOwn, cobuild.CoverageJoint}}, []int{0, 2}},
		{"should have own", coverage, cobuild.OrgFilter{ShouldHaveOwn: yes}, []int{2}},
		{"ids", nil, cobuild.OrgFilter{IDs: []string{"og-5", "og-404", "og-2"}}, []int{1, 4}},
		{"ids in a town", nil, cobuild.OrgFilter{AreaID: "ar-2", IDs: []string{"og-5", "og-2"}}, []int{1}},
		{"no id", nil, cobuild.OrgFilter{IDs: []string{}}, nil},
		{"a name", nil, cobuild.OrgFilter{NameContains: "丙"}, []int{2}},
	} {
		var cov *Coverages
		if c.cov != nil {
			v := CoveragesOf(c.cov)
			cov = &v
		}
		if got := Select(p, cov, c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// lsOrderPlaces are four rows (ties: their joint-building ties):
//
//	row id    name headcount members ties
//	0   og-3  乙   5         1       2
//	1   og-1  甲   5         0       0
//	2   og-2  乙   7         2       1
//	3   og-4  丙   3         2       1
//
// Names in UTF-16 order: 丙 (U+4E19) < 乙 (U+4E59) < 甲 (U+7532). Equal keys go by id,
// ascending in either direction.
func lsOrderPlaces() (*Places, []int32) {
	return NewPlaces([]cobuild.CensusRow{
		{ID: "og-3", Name: "乙", Headcount: 5, PartyMembers: 1},
		{ID: "og-1", Name: "甲", Headcount: 5, PartyMembers: 0},
		{ID: "og-2", Name: "乙", Headcount: 7, PartyMembers: 2},
		{ID: "og-4", Name: "丙", Headcount: 3, PartyMembers: 2},
	}), []int32{2, 0, 1, 1}
}

func TestOrderSortsByEveryInMemoryField(t *testing.T) {
	p, ties := lsOrderPlaces()
	all := []int{0, 1, 2, 3}
	for _, c := range []struct {
		s    cobuild.Sort
		want []int
	}{
		{cobuild.Sort{}, []int{3, 2, 0, 1}},
		{cobuild.Sort{Field: "NAME"}, []int{3, 2, 0, 1}},
		{cobuild.Sort{Field: "NAME", Desc: true}, []int{1, 2, 0, 3}},
		{cobuild.Sort{Field: "HEADCOUNT"}, []int{3, 1, 0, 2}},
		{cobuild.Sort{Field: "HEADCOUNT", Desc: true}, []int{2, 1, 0, 3}},
		{cobuild.Sort{Field: "PARTY_MEMBERS"}, []int{1, 0, 2, 3}},
		{cobuild.Sort{Field: "PARTY_MEMBERS", Desc: true}, []int{2, 3, 0, 1}},
		{cobuild.Sort{Field: "TIES"}, []int{1, 2, 3, 0}},
		{cobuild.Sort{Field: "TIES", Desc: true}, []int{0, 2, 3, 1}},
	} {
		for _, first := range []int{4, 10} {
			pg, err := Order(p, all, c.s, ties, "", first)
			if err != nil {
				t.Fatalf("%+v: %v", c.s, err)
			}
			if !slices.Equal(pg.Rows, c.want) || pg.HasNext || pg.Total != 4 {
				t.Errorf("%+v, first %d: rows %v, next %v, total %d; want %v, false, 4", c.s, first, pg.Rows, pg.HasNext, pg.Total, c.want)
			}
		}
		// Two pages of two.
		pg, err := Order(p, all, c.s, ties, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(pg.Rows, c.want[:2]) || !pg.HasNext || pg.Total != 4 || len(pg.Cursors) != 2 {
			t.Fatalf("%+v, page 1: rows %v, next %v, total %d, %d cursors; want %v, true, 4, 2", c.s, pg.Rows, pg.HasNext, pg.Total, len(pg.Cursors), c.want[:2])
		}
		pg, err = Order(p, all, c.s, ties, pg.Cursors[1], 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(pg.Rows, c.want[2:]) || pg.HasNext || pg.Total != 4 {
			t.Errorf("%+v, page 2: rows %v, next %v, total %d; want %v, false, 4", c.s, pg.Rows, pg.HasNext, pg.Total, c.want[2:])
		}
		// Three pages of one: the second still has a next.
		pg, _ = Order(p, all, c.s, ties, "", 1)
		pg, _ = Order(p, all, c.s, ties, pg.Cursors[0], 1)
		if !slices.Equal(pg.Rows, c.want[1:2]) || !pg.HasNext {
			t.Errorf("%+v, second page of one: %v, next %v; want %v, true", c.s, pg.Rows, pg.HasNext, c.want[1:2])
		}
		// Three of four: there is a next.
		pg, _ = Order(p, all, c.s, ties, "", 3)
		if !slices.Equal(pg.Rows, c.want[:3]) || !pg.HasNext {
			t.Errorf("%+v, first 3: %v, next %v; want %v, true", c.s, pg.Rows, pg.HasNext, c.want[:3])
		}
	}
}

func TestOrderCursorsNameTheLastRowByItsKey(t *testing.T) {
	p, ties := lsOrderPlaces()
	for _, c := range []struct {
		s    cobuild.Sort
		want []cobuild.Cursor
	}{
		{cobuild.Sort{}, []cobuild.Cursor{{Field: "NAME", Value: "丙", ID: "og-4"}, {Field: "NAME", Value: "乙", ID: "og-2"}}},
		{cobuild.Sort{Field: "NAME", Desc: true}, []cobuild.Cursor{{Field: "NAME", Desc: true, Value: "甲", ID: "og-1"}, {Field: "NAME", Desc: true, Value: "乙", ID: "og-2"}}},
		{cobuild.Sort{Field: "HEADCOUNT"}, []cobuild.Cursor{{Field: "HEADCOUNT", Value: int64(3), ID: "og-4"}, {Field: "HEADCOUNT", Value: int64(5), ID: "og-1"}}},
		{cobuild.Sort{Field: "PARTY_MEMBERS", Desc: true}, []cobuild.Cursor{{Field: "PARTY_MEMBERS", Desc: true, Value: int64(2), ID: "og-2"}, {Field: "PARTY_MEMBERS", Desc: true, Value: int64(2), ID: "og-4"}}},
		{cobuild.Sort{Field: "TIES", Desc: true}, []cobuild.Cursor{{Field: "TIES", Desc: true, Value: int64(2), ID: "og-3"}, {Field: "TIES", Desc: true, Value: int64(1), ID: "og-2"}}},
	} {
		pg, err := Order(p, []int{0, 1, 2, 3}, c.s, ties, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Cursors) != len(c.want) {
			t.Fatalf("%+v: %d cursors, want %d", c.s, len(pg.Cursors), len(c.want))
		}
		for i, w := range c.want {
			if pg.Cursors[i] != w.Encode() {
				t.Errorf("%+v: cursor %d is %s, want %+v", c.s, i, pg.Cursors[i], w)
			}
		}
	}
	for _, c := range []struct {
		field string
		row   int
		want  any
	}{
		{"NAME", 0, "乙"}, {"", 1, "甲"}, {"HEADCOUNT", 2, int64(7)}, {"PARTY_MEMBERS", 3, int64(2)}, {"TIES", 0, int64(2)}, {"TIES", 1, int64(0)},
	} {
		if got := SortKey(p, c.row, c.field, ties); got != c.want {
			t.Errorf("SortKey(row %d, %q) = %#v, want %#v", c.row, c.field, got, c.want)
		}
	}
}

func TestOrderStartsStrictlyAfterTheCursor(t *testing.T) {
	p, ties := lsOrderPlaces()
	all := []int{0, 1, 2, 3}
	name := func(desc bool, v, id string) string {
		return cobuild.Cursor{Field: "NAME", Desc: desc, Value: v, ID: id}.Encode()
	}
	count := func(field string, desc bool, v int64, id string) string {
		return cobuild.Cursor{Field: field, Desc: desc, Value: v, ID: id}.Encode()
	}
	for _, c := range []struct {
		name  string
		s     cobuild.Sort
		after string
		want  []int
	}{
		// Name ascending: 丙 og-4 (3), 乙 og-2 (2), 乙 og-3 (0), 甲 og-1 (1).
		{"after 乙 og-2", cobuild.Sort{}, name(false, "乙", "og-2"), []int{0, 1}},
		{"after 乙 og-3", cobuild.Sort{}, name(false, "乙", "og-3"), []int{1}},
		{"after 乙 og-0, before both", cobuild.Sort{}, name(false, "乙", "og-0"), []int{2, 0, 1}},
		{"after 乙 og-25, between", cobuild.Sort{}, name(false, "乙", "og-25"), []int{0, 1}},
		{"after a name no row has (乚, U+4E5A)", cobuild.Sort{}, name(false, "乚", "og-1"), []int{1}},
		{"after a name before all", cobuild.Sort{}, name(false, "", "og-9"), []int{3, 2, 0, 1}},
		{"after the last", cobuild.Sort{}, name(false, "甲", "og-1"), nil},
		// Name descending: 甲 og-1 (1), 乙 og-2 (2), 乙 og-3 (0), 丙 og-4 (3).
		{"desc after 乙 og-2", cobuild.Sort{Desc: true}, name(true, "乙", "og-2"), []int{0, 3}},
		{"desc after 乙 og-3", cobuild.Sort{Desc: true}, name(true, "乙", "og-3"), []int{3}},
		{"desc after 甲 og-1", cobuild.Sort{Desc: true}, name(true, "甲", "og-1"), []int{2, 0, 3}},
		{"desc after 甲 og-0", cobuild.Sort{Desc: true}, name(true, "甲", "og-0"), []int{1, 2, 0, 3}},
		{"desc after 丙 og-4", cobuild.Sort{Desc: true}, name(true, "丙", "og-4"), nil},
		// Headcount ascending: 3 og-4 (3), 5 og-1 (1), 5 og-3 (0), 7 og-2 (2).
		{"headcount after 5 og-1", cobuild.Sort{Field: "HEADCOUNT"}, count("HEADCOUNT", false, 5, "og-1"), []int{0, 2}},
		{"headcount after 5 og-3", cobuild.Sort{Field: "HEADCOUNT"}, count("HEADCOUNT", false, 5, "og-3"), []int{2}},
		{"headcount after 4", cobuild.Sort{Field: "HEADCOUNT"}, count("HEADCOUNT", false, 4, "og-9"), []int{1, 0, 2}},
		// Headcount descending: 7 og-2 (2), 5 og-1 (1), 5 og-3 (0), 3 og-4 (3).
		{"headcount desc after 5 og-1", cobuild.Sort{Field: "HEADCOUNT", Desc: true}, count("HEADCOUNT", true, 5, "og-1"), []int{0, 3}},
		{"headcount desc after 6", cobuild.Sort{Field: "HEADCOUNT", Desc: true}, count("HEADCOUNT", true, 6, "og-0"), []int{1, 0, 3}},
		{"headcount desc after 3 og-4", cobuild.Sort{Field: "HEADCOUNT", Desc: true}, count("HEADCOUNT", true, 3, "og-4"), nil},
		// Ties descending: 2 og-3 (0), 1 og-2 (2), 1 og-4 (3), 0 og-1 (1).
		{"ties desc after 1 og-2", cobuild.Sort{Field: "TIES", Desc: true}, count("TIES", true, 1, "og-2"), []int{3, 1}},
		// Party members ascending: 0 og-1 (1), 1 og-3 (0), 2 og-2 (2), 2 og-4 (3).
		{"members after 1 og-3", cobuild.Sort{Field: "PARTY_MEMBERS"}, count("PARTY_MEMBERS", false, 1, "og-3"), []int{2, 3}},
	} {
		pg, err := Order(p, all, c.s, ties, c.after, 10)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(pg.Rows, c.want) || pg.HasNext || pg.Total != 4 {
			t.Errorf("%s: rows %v, next %v, total %d; want %v, false, 4", c.name, pg.Rows, pg.HasNext, pg.Total, c.want)
		}
	}
	// Only the rows given are listed, and counted.
	pg, err := Order(p, []int{3, 0}, cobuild.Sort{Field: "HEADCOUNT", Desc: true}, ties, "", 10)
	if err != nil || !slices.Equal(pg.Rows, []int{0, 3}) || pg.Total != 2 {
		t.Errorf("two rows: %v total %d (%v), want [0 3] total 2", pg.Rows, pg.Total, err)
	}
}

func TestOrderRefusesACursorOfAnotherList(t *testing.T) {
	p, ties := lsOrderPlaces()
	for _, c := range []struct {
		name  string
		s     cobuild.Sort
		after string
	}{
		{"not a cursor", cobuild.Sort{}, "not a cursor!"},
		{"another field", cobuild.Sort{}, cobuild.Cursor{Field: "HEADCOUNT", Value: int64(5), ID: "og-1"}.Encode()},
		{"the other direction", cobuild.Sort{Field: "HEADCOUNT"}, cobuild.Cursor{Field: "HEADCOUNT", Desc: true, Value: int64(5), ID: "og-1"}.Encode()},
		{"a number for a name", cobuild.Sort{Field: "NAME"}, cobuild.Cursor{Field: "NAME", Value: int64(5), ID: "og-1"}.Encode()},
		{"a name for a number", cobuild.Sort{Field: "TIES"}, cobuild.Cursor{Field: "TIES", Value: "乙", ID: "og-1"}.Encode()},
	} {
		pg, err := Order(p, []int{0, 1, 2, 3}, c.s, ties, c.after, 2)
		if cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Errorf("%s: error %v, want %s", c.name, err, cobuild.EINVALID)
		}
		if len(pg.Rows) != 0 || pg.Total != 4 {
			t.Errorf("%s: %v total %d, want no row", c.name, pg.Rows, pg.Total)
		}
	}
}

func TestTopRowsKeepsTheFirstFewInOrder(t *testing.T) {
	byValue := func(a, b int) int { return a - b }
	odd := func(r int) bool { return r%2 == 1 }
	all := func(int) bool { return true }
	for _, c := range []struct {
		rows []int
		keep func(int) bool
		n    int
		want []int
	}{
		{[]int{5, 3, 9, 1, 7}, all, 3, []int{1, 3, 5}},
		{[]int{5, 3, 9, 1, 7}, all, 5, []int{1, 3, 5, 7, 9}},
		{[]int{5, 3, 9, 1, 7}, all, 9, []int{1, 3, 5, 7, 9}},
		{[]int{5, 3, 9, 1, 7}, all, 1, []int{1}},
		{[]int{9, 8, 7, 6, 5, 4}, odd, 2, []int{5, 7}},
		{[]int{2, 4}, odd, 2, nil},
		{nil, all, 2, nil},
		{nil, all, 0, nil}, // no row, none asked
	} {
		if got := topRows(c.rows, c.keep, byValue, c.n); !slices.Equal(got, c.want) {
			t.Errorf("top %d of %v: %v, want %v", c.n, c.rows, got, c.want)
		}
	}
}

// ---- census.go ----

func TestCompareNamesByUTF16CodeUnits(t *testing.T) {
	sign := func(n int) int { return min(max(n, -1), 1) }
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"甲", "甲", 0},
		{"甲乙", "甲乙", 0},
		{"", "a", -1},
		{"a", "", 1},
		{"甲", "甲乙", -1}, // the shorter first
		{"甲乙", "甲", 1},
		{"a", "b", -1},
		{"b", "a", 1},
		{"丙", "乙", -1}, // U+4E19 < U+4E59
		{"甲x", "乙y", 1},
		// U+10000 is D800 DC00 in UTF-16: after U+0001, before U+E000 and U+FFFF.
		{"\U00010000", "\u0001", 1},
		{"\u0001", "\U00010000", -1},
		{"a\U00010000", "a\uE000", -1},
		{"\uFFFF", "\U00010000", 1},
		// Two characters outside the plane with the same high surrogate: by the low one.
		{"\U00010000", "\U00010001", -1},
		{"\U00010001", "\U00010000", 1},
		{"\U00010001", "\U00010001z", -1},
		// 𠀀 U+20000 (D840 DC00) sorts before Ａ U+FF21.
		{"𠀀", "Ａ", -1},
	} {
		if got := sign(CompareNames(c.a, c.b)); got != c.want {
			t.Errorf("CompareNames(%q, %q) has sign %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNewPlacesIndexesTheRows(t *testing.T) {
	rows := lsRows()
	p := NewPlaces(rows)
	// Names: 甲 U+7532, 乙 U+4E59, 丙 U+4E19, 丁 U+4E01, 戊 U+620A → 丁 丙 乙 戊 甲.
	if want := []int{3, 2, 1, 4, 0}; !slices.Equal(p.ByName, want) {
		t.Errorf("by name %v, want %v", p.ByName, want)
	}
	for row, rank := range []int{4, 2, 1, 0, 3} {
		if p.nameRank[row] != rank {
			t.Errorf("row %d has rank %d, want %d", row, p.nameRank[row], rank)
		}
	}
	for i, r := range rows {
		if j, ok := p.Row(r.ID); !ok || j != i {
			t.Errorf("Row(%s) = %d %v, want %d true", r.ID, j, ok, i)
		}
	}
	if _, ok := p.Row("og-404"); ok {
		t.Error("Row(og-404) found a row")
	}
	// Equal names by id.
	q := NewPlaces([]cobuild.CensusRow{{ID: "og-2", Name: "甲"}, {ID: "og-1", Name: "甲"}, {ID: "og-3", Name: "乙"}})
	if want := []int{2, 1, 0}; !slices.Equal(q.ByName, want) {
		t.Errorf("equal names: by name %v, want %v", q.ByName, want)
	}
}

func TestNewCensusTakesTheDaysFactsOverThePlaces(t *testing.T) {
	rows := lsRows()
	places := NewPlaces(rows)
	day := slices.Clone(rows)
	day[0].Facts = cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise, OwnPartyOrgs: 1, JointTies: 1}
	day[1].Facts = cobuild.CoverageFacts{Sector: cobuild.SectorSocial, PartyMembers: 3}
	day[2].Facts = cobuild.CoverageFacts{Sector: cobuild.SectorEnterprise, Liaisons: 1, JointTies: 2}
	day[3].Facts = cobuild.CoverageFacts{Sector: cobuild.SectorPublic}
	day[4].Facts = cobuild.CoverageFacts{Sector: cobuild.SectorSocial, CoveredModes: []string{"INDUSTRY"}, JointTies: 1}
	c := NewCensus(cobuild.DefaultRules(), places, day)
	want := []cobuild.Coverage{
		{Status: cobuild.CoverageOwn},
		{Status: cobuild.CoverageUncovered, Isolated: true, ShouldHaveOwn: true},
		{Status: cobuild.CoverageWork},
		{Status: cobuild.CoverageNotManaged, Isolated: true},
		{Status: cobuild.CoverageJoint},
	}
	if c.Coverage.Len() != len(want) {
		t.Fatalf("%d coverages, want %d", c.Coverage.Len(), len(want))
	}
	for i, w := range want {
		g := c.Coverage.At(i)
		if g.Status != w.Status || g.Isolated != w.Isolated || g.ShouldHaveOwn != w.ShouldHaveOwn {
			t.Errorf("row %d: %s isolated %v should-have-own %v; want %s %v %v", i, g.Status, g.Isolated, g.ShouldHaveOwn, w.Status, w.Isolated, w.ShouldHaveOwn)
		}
	}
	if c.Rows[0].Facts.OwnPartyOrgs != 1 || places.Rows[0].Facts.OwnPartyOrgs != 0 {
		t.Error("the census should hold the day's rows and leave the places' alone")
	}
	if i, ok := c.Row("og-4"); !ok || i != 3 || !slices.Equal(c.ByName, places.ByName) {
		t.Errorf("the census should share the places' indexes: Row(og-4) = %d %v", i, ok)
	}
}

// ---- explain.go ----

func lsSince(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func TestEachStepIsSaidInWords(t *testing.T) {
	since := lsSince(2022, 5, 31)
	n := func(id, name string) NodeInfo { return NodeInfo{ID: id, Name: name} }
	jia, hub, comm, ev := n("og-1", "甲"), n("al-1", "联盟"), n("og-9", "城东社区"), n("ev-1", "会议")
	mentor, mentee, xin := n("pe-1", "导师"), n("pe-2", "徒弟"), n("og-8", "辛")
	for _, c := range []struct {
		from, to NodeInfo
		tie      TieInfo
		want     string
	}{
		{jia, hub, TieInfo{Type: cobuild.MemberOf, Role: "COUNCIL", Since: since}, "甲 is a council unit of 联盟 since 2022-05"},
		{jia, hub, TieInfo{Type: cobuild.MemberOf, Role: "MEMBER"}, "甲 is a member unit of 联盟"},
		{jia, hub, TieInfo{Type: cobuild.MemberOf, Role: "CHAIR"}, "甲 is a leading unit of 联盟"},
		{jia, hub, TieInfo{Type: cobuild.MemberOf}, "甲 is a member of 联盟"},
		{jia, hub, TieInfo{Type: cobuild.MemberOf, Role: "OBSERVER"}, "甲 is a member of 联盟"},
		{jia, comm, TieInfo{Type: cobuild.CoBuildsWith, Mode: "SHEQI", Since: since}, "甲 co-builds with the community 城东社区 since 2022-05"},
		{jia, ev, TieInfo{Type: cobuild.Attended, Since: since}, "甲 attended 会议"},
		{hub, ev, TieInfo{Type: cobuild.Held}, "联盟 held 会议"},
		{mentor, mentee, TieInfo{Type: cobuild.Mentors, Since: since}, "导师 mentors 徒弟 since 2022-05"},
		{mentor, xin, TieInfo{Type: cobuild.WorksAt, Role: "PARTY_WORKER", Since: since}, "导师 works at 辛 as a party-affairs worker since 2022-05"},
		{mentor, xin, TieInfo{Type: cobuild.WorksAt, Role: "SECRETARY"}, "导师 works at 辛 as a party secretary"},
		{mentee, xin, TieInfo{Type: cobuild.WorksAt, Role: "STAFF"}, "徒弟 works at 辛 as a staff member"},
		{mentee, jia, TieInfo{Type: cobuild.PlacedAt, Since: since}, "徒弟 was placed at 甲 (government-hired, enterprise-trained) since 2022-05"},
		{mentee, jia, TieInfo{Type: cobuild.ApprenticedAt, Since: since}, "徒弟 is an apprentice at 甲 since 2022-05"},
		{mentee, n("og-7", "职业学校"), TieInfo{Type: cobuild.TrainedAt}, "徒弟 is trained by 职业学校 as an apprentice"},
		{n("ar-1", "宣城高新区"), n("ag-1", "协议"), TieInfo{Type: cobuild.PartyTo, Since: since}, "宣城高新区 is party to 协议 since 2022-05"},
		{jia, n("po-1", "联合党支部"), TieInfo{Type: cobuild.CoveredBy, Mode: "JOINT", Since: since}, "甲 is covered by 联合党支部 since 2022-05"},
		{mentor, jia, TieInfo{Type: cobuild.AssignedTo, Role: "INSTRUCTOR", Since: since}, "导师 is a party-building instructor of 甲 since 2022-05"},
		{mentor, jia, TieInfo{Type: cobuild.AssignedTo, Role: "LIAISON"}, "导师 is a liaison of 甲"},
		{jia, n("po-2", "甲党支部"), TieInfo{Type: cobuild.HasPartyOrg, Since: since}, "甲 is tied to 甲党支部 (HAS_PARTY_ORG)"},
		// A node without a name is said by its id.
		{n("og-5", ""), hub, TieInfo{Type: cobuild.MemberOf, Role: "MEMBER"}, "og-5 is a member unit of 联盟"},
	} {
		c.tie.From, c.tie.To = c.from.ID, c.to.ID
		if got := (Step{From: c.from, To: c.to, Tie: c.tie, Forward: true}).Sentence(); got != c.want {
			t.Errorf("%s forward:\n got %s\nwant %s", c.tie.Type, got, c.want)
		}
		// Walked the other way, a step is still said from the tie's own start.
		if got := (Step{From: c.to, To: c.from, Tie: c.tie, Forward: false}).Sentence(); got != c.want {
			t.Errorf("%s backward:\n got %s\nwant %s", c.tie.Type, got, c.want)
		}
	}
}

func TestArticles(t *testing.T) {
	for w, want := range map[string]string{"apprentice": "an apprentice", "instructor": "an instructor", "unit": "an unit",
		"member unit": "a member unit", "liaison": "a liaison", "staff member": "a staff member", "education officer": "an education officer",
		"officer": "an officer"} {
		if got := article(w); got != want {
			t.Errorf("article(%q) = %q, want %q", w, got, want)
		}
	}
}

// lsChainProjection: 甲 og-1, 乙 og-2, 丙 og-3, 丁 og-4, the alliances 联盟 al-1, 工委 al-2 and
// 联盟三 al-3, the red zone 商圈 rz-1 and the community 社区 og-9, with the ties
//
//	t0 甲 MEMBER_OF 联盟 (COUNCIL since 2021-03)   t1 乙 MEMBER_OF 联盟 (MEMBER)
//	t2 乙 CO_BUILDS_WITH 社区                       t3 联盟 MEMBER_OF 工委 (no role)
//	t4 甲 MEMBER_OF 商圈 (MEMBER)                   t5 乙 MEMBER_OF 联盟三 (MEMBER)
//	t6 丙 MEMBER_OF 联盟三 (CHAIR since 2020-01)    t7 甲 CO_BUILDS_WITH 社区
//	t8 丁 MEMBER_OF 社区 (MEMBER)
func lsChainProjection() (*Projection, func(string) int) {
	nodes := []NodeInfo{{ID: "og-1", Name: "甲"}, {ID: "og-2", Name: "乙"}, {ID: "og-3", Name: "丙"}, {ID: "og-4", Name: "丁"},
		{ID: "al-1", Name: "联盟"}, {ID: "al-2", Name: "工委"}, {ID: "al-3", Name: "联盟三"}, {ID: "rz-1", Name: "商圈"}, {ID: "og-9", Name: "社区"}}
	ties := []TieInfo{
		{Type: cobuild.MemberOf, From: "og-1", To: "al-1", Role: "COUNCIL", Since: lsSince(2021, 3, 15)},
		{Type: cobuild.MemberOf, From: "og-2", To: "al-1", Role: "MEMBER"},
		{Type: cobuild.CoBuildsWith, From: "og-2", To: "og-9"},
		{Type: cobuild.MemberOf, From: "al-1", To: "al-2"},
		{Type: cobuild.MemberOf, From: "og-1", To: "rz-1", Role: "MEMBER"},
		{Type: cobuild.MemberOf, From: "og-2", To: "al-3", Role: "MEMBER"},
		{Type: cobuild.MemberOf, From: "og-3", To: "al-3", Role: "CHAIR", Since: lsSince(2020, 1, 2)},
		{Type: cobuild.CoBuildsWith, From: "og-1", To: "og-9"},
		{Type: cobuild.MemberOf, From: "og-4", To: "og-9", Role: "MEMBER"},
	}
	p := NewProjection(Build(nodes, ties))
	return p, func(id string) int { v, _ := p.Graph.Lookup(id); return v }
}

func TestStepsWalkAPath(t *testing.T) {
	p, v := lsChainProjection()
	// 社区 → 乙 (t2 backward) → 联盟 (t1 forward) → 甲 (t0 backward).
	steps := p.Steps(Path{Nodes: []int{v("og-9"), v("og-2"), v("al-1"), v("og-1")}, Ties: []int{2, 1, 0}})
	want := []string{"og-9 og-2 CO_BUILDS_WITH false", "og-2 al-1 MEMBER_OF true", "al-1 og-1 MEMBER_OF false"}
	if len(steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(steps), len(want))
	}
	for i, s := range steps {
		if got := fmt.Sprintf("%s %s %s %v", s.From.ID, s.To.ID, s.Tie.Type, s.Forward); got != want[i] {
			t.Errorf("step %d: %s, want %s", i, got, want[i])
		}
	}
	if got := p.Steps(Path{Nodes: []int{v("og-1")}}); len(got) != 0 {
		t.Errorf("a path of no tie has %d steps", len(got))
	}
}

func TestChainsAreSaidWithMembershipsOfOneHubTogether(t *testing.T) {
	p, v := lsChainProjection()
	path := func(ids []string, ties ...int) Path {
		var ns []int
		for _, id := range ids {
			ns = append(ns, v(id))
		}
		return Path{Nodes: ns, Ties: ties}
	}
	for _, c := range []struct {
		name string
		path Path
		want string
	}{
		{"no tie", path([]string{"og-1"}), ""},
		{"one membership, forward", path([]string{"og-1", "al-1"}, 0), "甲 is a council unit of 联盟 since 2021-03"},
		{"one membership, backward", path([]string{"al-1", "og-1"}, 0), "甲 is a council unit of 联盟 since 2021-03"},
		{"two members of one hub, then a community",
			path([]string{"og-1", "al-1", "og-2", "og-9"}, 0, 1, 2),
			"甲 is a council unit of 联盟 since 2021-03, of which 乙 is a member unit; 乙 co-builds with the community 社区"},
		{"a community, then two members of one hub",
			path([]string{"og-9", "og-2", "al-1", "og-1"}, 2, 1, 0),
			"乙 co-builds with the community 社区; 乙 is a member unit of 联盟, of which 甲 is a council unit since 2021-03"},
		{"two hubs, each said with its two members",
			path([]string{"og-1", "al-1", "og-2", "al-3", "og-3"}, 0, 1, 5, 6),
			"甲 is a council unit of 联盟 since 2021-03, of which 乙 is a member unit; 乙 is a member unit of 联盟三, of which 丙 is a leading unit since 2020-01"},
		{"a membership of a membership: both forward, apart",
			path([]string{"og-1", "al-1", "al-2"}, 0, 3),
			"甲 is a council unit of 联盟 since 2021-03; 联盟 is a member of 工委"},
		{"backward then forward memberships: apart",
			path([]string{"al-1", "og-1", "rz-1"}, 0, 4),
			"甲 is a council unit of 联盟 since 2021-03; 甲 is a member unit of 商圈"},
		{"a community, then a membership walked backward: apart",
			path([]string{"og-1", "og-9", "og-4"}, 7, 8),
			"甲 co-builds with the community 社区; 丁 is a member unit of 社区"},
		{"two members of one hub, then a community forward",
			path([]string{"og-2", "al-1", "og-1", "og-9"}, 1, 0, 7),
			"乙 is a member unit of 联盟, of which 甲 is a council unit since 2021-03; 甲 co-builds with the community 社区"},
		{"a membership backward, then a community forward: apart",
			path([]string{"al-1", "og-2", "og-9"}, 1, 2),
			"乙 is a member unit of 联盟; 乙 co-builds with the community 社区"},
	} {
		if got := p.Explain(c.path); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	if got := strings.Count(p.Explain(path([]string{"og-1", "al-1", "og-2", "og-9"}, 0, 1, 2)), "; "); got != 1 {
		t.Errorf("three steps with one pair said together: %d separators, want 1", got)
	}
}
