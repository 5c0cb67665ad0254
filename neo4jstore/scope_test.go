package neo4jstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"cobuild"
	"cobuild/fixture"
	"cobuild/neo4jtest"
)

// The drawn graph placed in two towns of its own (next to the demo data, which lies in
// neither):
//
//	town A ar-900000001: 甲, 乙, 丙, 城西社区, 戊, and 丁二 og-900000016 (named 丁, like 丁 of town B)
//	town B ar-900000002: 丁, 己 (who also attends the meeting 戊 attends)
//
// and everyone else nowhere. In town A's scope, besides its organisations: 联盟一 (甲, 乙
// and 丙 are members), 甲's branch po-900000001, the joint branch po-900000002 (it covers
// 乙), 丙's instructor pe-900000004, the meeting 戊 attended (ev-900000001), 戊's union
// branch mb-900000001, and the town. Not in it: 联盟二, which holds the meeting (己 of town
// B is its member), 己, 丁, 癸 (a former member of 联盟一), the other people.
const (
	townA   = "ar-900000001"
	townB   = "ar-900000002"
	dingTwo = "og-900000016"
)

var townAScope = []string{fixture.Jia, fixture.Yi, fixture.Bing, fixture.Wu, fixture.Chengxi, dingTwo,
	fixture.Alliance1, "po-900000001", "po-900000002", "pe-900000004", fixture.Meeting, "mb-900000001", townA}

func placeTheDrawnGraph(t *testing.T) {
	t.Helper()
	loadFixture(t)
	neo4jtest.Write(t, `CREATE (:Area {id: $a, name: '甲镇', kind: 'TOWN', inDistrict: true}), (:Area {id: $b, name: '乙镇', kind: 'TOWN', inDistrict: true}),
		(:Organization:Enterprise {id: $d2, name: '丁', kind: 'ENTERPRISE', sector: 'ENTERPRISE', headcount: 5, partyMembers: 0, aboveScale: false, operating: true})`,
		map[string]any{"a": townA, "b": townB, "d2": dingTwo})
	neo4jtest.Write(t, `UNWIND $ties AS t MATCH (o:Organization {id: t[0]}), (a:Area {id: t[1]}) CREATE (o)-[:LOCATED_IN]->(a)`,
		map[string]any{"ties": [][]string{{fixture.Jia, townA}, {fixture.Yi, townA}, {fixture.Bing, townA}, {fixture.Chengxi, townA},
			{fixture.Wu, townA}, {dingTwo, townA}, {fixture.Ding, townB}, {fixture.Ji, townB}}})
	// 己 of town B attends the meeting too.
	neo4jtest.Write(t, `MATCH (o:Organization {id: $ji}), (e:Event {id: $meeting}) CREATE (o)-[:ATTENDED]->(e)`,
		map[string]any{"ji": fixture.Ji, "meeting": fixture.Meeting})
	neo4jtest.Changed(t)
	t.Cleanup(func() {
		neo4jtest.Write(t, "MATCH (n) WHERE n.id IN $ids DETACH DELETE n", map[string]any{"ids": []string{townA, townB, dingTwo}})
		neo4jtest.Changed(t)
	})
}

func idsOf[T any](xs []T, id func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	slices.Sort(out)
	return out
}

// TestAStoreWithinAScopeReadsNothingOutside reads the scope of town A and every kind of read
// through a store narrowed to it: what lies outside is missing from lists, counts,
// look-ups, ties and aggregates.
func TestAStoreWithinAScopeReadsNothingOutside(t *testing.T) {
	placeTheDrawnGraph(t)
	s := neo4jtest.Store(t)
	ctx := context.Background()
	scope, err := s.ReadScope(ctx, []string{townA})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := scope.All(), slices.Sorted(slices.Values(townAScope)); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Fatalf("town A's scope %v, the drawing says %v", got, want)
	}
	in := s.Within(func(context.Context) (*cobuild.Scope, error) { return scope, nil })
	day := fixture.Day

	// Lists and counts.
	orgs := []string{fixture.Jia, fixture.Yi, fixture.Bing, fixture.Wu, fixture.Chengxi, dingTwo}
	slices.Sort(orgs)
	pg, err := in.Organizations(ctx, cobuild.OrgFilter{AsOf: day}, cobuild.Sort{}, cobuild.PageArgs{First: 500})
	if err != nil {
		t.Fatal(err)
	}
	if got := idsOf(pg.Items, func(o *cobuild.Organization) string { return o.ID }); !slices.Equal(got, orgs) || pg.HasNext {
		t.Errorf("organisations within town A: %v, want %v", got, orgs)
	}
	// By ties, those in scope: 城西社区 co-builds with 丙 of town A and 丁 of town B, so it
	// has one tie within town A, as 甲, 乙 and 戊 do, and two in the whole graph, as 丙 has.
	byTies := func(r cobuild.Reader) []string {
		t.Helper()
		pg, err := r.Organizations(ctx, cobuild.OrgFilter{AsOf: day, IDs: orgs}, cobuild.Sort{Field: "TIES", Desc: true}, cobuild.PageArgs{First: 500})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range pg.Items {
			out = append(out, o.ID)
		}
		return out
	}
	if got, want := byTies(in), []string{fixture.Bing, fixture.Jia, fixture.Yi, fixture.Wu, fixture.Chengxi, dingTwo}; !slices.Equal(got, want) {
		t.Errorf("by ties within town A: %v, want %v", got, want)
	}
	if got, want := byTies(s), []string{fixture.Bing, fixture.Chengxi, fixture.Jia, fixture.Yi, fixture.Wu, dingTwo}; !slices.Equal(got, want) {
		t.Errorf("by ties in the whole graph: %v, want %v", got, want)
	}
	if n, err := in.CountOrganizations(ctx, cobuild.OrgFilter{AsOf: day, MemberOfID: fixture.Alliance1}); err != nil || n != 3 {
		t.Errorf("members of 联盟一 within town A: %d, %v; want 甲, 乙, 丙", n, err)
	}
	pos, err := in.PartyOrgs(ctx, cobuild.PartyOrgFilter{}, cobuild.PageArgs{First: 500})
	if err != nil {
		t.Fatal(err)
	}
	if got := idsOf(pos.Items, func(p *cobuild.PartyOrg) string { return p.ID }); !slices.Equal(got, []string{"po-900000001", "po-900000002"}) {
		t.Errorf("party organisations within town A: %v", got)
	}
	people, err := in.CountPeople(ctx, cobuild.PersonFilter{AsOf: day})
	if err != nil || people != 1 {
		t.Errorf("people within town A: %d, %v; want the instructor", people, err)
	}
	alliances, _, err := in.Hubs(ctx, cobuild.LabelAlliance, cobuild.HubFilter{}, nil)
	if err != nil || len(alliances) != 1 || alliances[0].(*cobuild.Alliance).ID != fixture.Alliance1 {
		t.Errorf("alliances within town A: %v, %v; want 联盟一", alliances, err)
	}

	// Look-ups: by name, the organisation in scope, though another of the same name has a
	// smaller id; outside, none.
	if o, _, err := in.OrganizationByName(ctx, "丁", nil); err != nil || o == nil || o.ID != dingTwo {
		t.Errorf("丁 within town A: %v, %v; want %s", o, err, dingTwo)
	}
	if o, _, err := s.OrganizationByName(ctx, "丁", nil); err != nil || o == nil || o.ID != fixture.Ding {
		t.Errorf("丁 in the whole graph: %v, %v; want %s, the first by id", o, err, fixture.Ding)
	}
	if o, _, err := in.OrganizationByName(ctx, "己", nil); err != nil || o != nil {
		t.Errorf("己 of town B within town A: %v, %v; want none", o, err)
	}
	if h, _, err := in.HubByName(ctx, cobuild.LabelAlliance, "联盟二", nil); err != nil || h != nil {
		t.Errorf("联盟二 within town A: %v, %v; want none", h, err)
	}

	// Ties: those that lead outside are missing, and nothing is read of their ends.
	at := func(tt cobuild.TieType, dir cobuild.Direction) cobuild.FetchTie {
		return cobuild.FetchTie{Query: cobuild.TieQuery{Type: tt, Dir: dir, AsOf: &day}}
	}
	f, err := in.Expand(ctx, []string{fixture.Alliance1, "po-900000002", fixture.Meeting, fixture.Ji}, &cobuild.Fetch{
		Ties:       []cobuild.FetchTie{at(cobuild.MemberOf, cobuild.In), at(cobuild.CoveredBy, cobuild.In), {Query: cobuild.TieQuery{Type: cobuild.Held, Dir: cobuild.In}}},
		Attendance: true})
	if err != nil {
		t.Fatal(err)
	}
	ends := func(k cobuild.TieKey, id string) []string {
		return idsOf(f.Ties[k][id], func(n cobuild.Neighbour) string { return n.Tie.FromID })
	}
	dayKey := day.Format(time.DateOnly)
	if got := ends(cobuild.TieKey{Type: cobuild.MemberOf, Dir: cobuild.In, Day: dayKey}, fixture.Alliance1); !slices.Equal(got, []string{fixture.Jia, fixture.Yi, fixture.Bing}) {
		t.Errorf("members of 联盟一 within town A: %v", got)
	}
	if got := ends(cobuild.TieKey{Type: cobuild.CoveredBy, Dir: cobuild.In, Day: dayKey}, "po-900000002"); !slices.Equal(got, []string{fixture.Yi}) {
		t.Errorf("the joint branch covers %v within town A, want 乙 alone (己 is of town B)", got)
	}
	if got := ends(cobuild.TieKey{Type: cobuild.Held, Dir: cobuild.In}, fixture.Meeting); len(got) != 0 {
		t.Errorf("the meeting is held by %v within town A, want nobody (联盟二 is outside)", got)
	}
	if f.Attendance[fixture.Meeting] != 1 {
		t.Errorf("the meeting's attendance within town A: %d, want 戊 alone", f.Attendance[fixture.Meeting])
	}
	if all, err := s.Expand(ctx, []string{fixture.Meeting}, &cobuild.Fetch{Attendance: true}); err != nil || all.Attendance[fixture.Meeting] != 2 {
		t.Errorf("the meeting's attendance in the whole graph: %v, %v; want 戊 and 己", all, err)
	}
	for _, id := range []string{fixture.Ji, fixture.Alliance2, fixture.Gui} {
		if _, ok := f.Nodes[id]; ok {
			t.Errorf("%s, outside town A, was read", id)
		}
	}

	// What would change: only what is in scope.
	lost, err := in.CoverageWithout(ctx, "po-900000002", day)
	if _, ok := lost[fixture.Yi]; err != nil || len(lost) != 1 || !ok {
		t.Errorf("without the joint branch, within town A: %v, %v; want 乙 alone", lost, err)
	}

	// Aggregates: the hubs' members and the rounds' counts within the scope.
	hubs, err := in.HubRows(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(hubs) != 1 || hubs[0].ID != fixture.Alliance1 || hubs[0].Members != 3 {
		t.Errorf("hubs within town A: %+v; want 联盟一 with 3 members", hubs)
	}
	rounds, err := in.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		if r.Evaluated != 0 {
			t.Errorf("round %s counts %d evaluations within town A, which has none", r.Round, r.Evaluated)
		}
	}
	if len(rounds) == 0 {
		t.Error("no rounds within town A: the rounds are the district's")
	}

	// A scope that cannot be read fails every read with its error.
	down := cobuild.Errorf(cobuild.EUNAVAILABLE, "no scope")
	failing := s.Within(func(context.Context) (*cobuild.Scope, error) { return nil, down })
	if _, err := failing.CountOrganizations(ctx, cobuild.OrgFilter{AsOf: day}); !errors.Is(err, down) {
		t.Errorf("a count without its scope: %v, want the scope's error", err)
	}
	if _, err := failing.Expand(ctx, []string{fixture.Jia}, nil); !errors.Is(err, down) {
		t.Errorf("an expansion without its scope: %v, want the scope's error", err)
	}
}
