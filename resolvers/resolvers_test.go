package resolvers_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"cobuild"
	"cobuild/neo4jtest"
	"cobuild/resolvers"
	"cobuild/snapshot"
)

// recorder is the real store, with a record of what the resolvers asked of it: the
// fetches sent along with reads, and the names of the methods called.
type recorder struct {
	cobuild.Reader

	mu      sync.Mutex
	fetches []*cobuild.Fetch // what each call was sent along (nil for none)
	calls   []string
}

func (r *recorder) note(call string, f *cobuild.Fetch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
	r.fetches = append(r.fetches, f)
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fetches, r.calls = nil, nil
}

func (r *recorder) called(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.calls, name)
}

// first is the fetch sent along with the first read of the request.
func (r *recorder) first() *cobuild.Fetch {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.fetches) == 0 {
		return nil
	}
	return r.fetches[0]
}

func (r *recorder) OrganizationByName(ctx context.Context, name string, with *cobuild.Fetch) (*cobuild.Organization, *cobuild.Fetched, error) {
	r.note("OrganizationByName", with)
	return r.Reader.OrganizationByName(ctx, name, with)
}

func (r *recorder) Expand(ctx context.Context, ids []string, f *cobuild.Fetch) (*cobuild.Fetched, error) {
	r.note("Expand", f)
	return r.Reader.Expand(ctx, ids, f)
}

func (r *recorder) Organizations(ctx context.Context, f cobuild.OrgFilter, s cobuild.Sort, p cobuild.PageArgs) (cobuild.Page[*cobuild.Organization], error) {
	r.note("Organizations", p.With)
	return r.Reader.Organizations(ctx, f, s, p)
}

func (r *recorder) CountOrganizations(ctx context.Context, f cobuild.OrgFilter) (int, error) {
	r.note("CountOrganizations", nil)
	return r.Reader.CountOrganizations(ctx, f)
}

// setup returns resolvers over the test Neo4j's store, seen through a recorder, with
// snapshots of their own (nothing built yet) when withSnapshots, and a client of them.
func setup(t *testing.T, withSnapshots bool) (*recorder, *snapshot.Service, *client.Client) {
	t.Helper()
	store := neo4jtest.Store(t)
	rec := &recorder{Reader: store}
	var snaps *snapshot.Service
	if withSnapshots {
		snaps = snapshot.New(store, cobuild.DefaultRules(), snapshot.Options{})
	}
	r := resolvers.New(resolvers.Config{Store: rec, Rules: cobuild.DefaultRules(), Snapshots: snaps})
	srv := handler.New(r.ExecutableSchema())
	srv.AddTransport(transport.POST{})
	srv.Use(r.Loaders())
	// Plans are kept by parsed field, so they are kept only for operations whose parse is.
	srv.SetQueryCache(lru.New[*ast.QueryDocument](100))
	return rec, snaps, client.New(srv)
}

func tieTypes(f *cobuild.Fetch) []string {
	if f == nil {
		return nil
	}
	var out []string
	for _, t := range f.Ties {
		out = append(out, string(t.Query.Type))
	}
	slices.Sort(out)
	return out
}

// A field asks the store for what its selection needs, in the read of the node, and for
// nothing more.
func TestPlansFollowTheSelection(t *testing.T) {
	rec, _, c := setup(t, false)
	cases := []struct {
		name, query string
		ties        []string
		facts       int
	}{
		{"the node alone", `{ organization(name: "宣城仁杰医院") { id name kindLabel } }`, nil, 0},
		{"places", `{ organization(name: "宣城仁杰医院") { area { name } industry { name } } }`, []string{"IN_INDUSTRY", "LOCATED_IN"}, 0},
		{"two tie fields", `{ organization(name: "宣城仁杰医院") { partyOrganizations { partyOrganization { name } } coveredBy { partyOrganization { name } } } }`,
			[]string{"COVERED_BY", "HAS_PARTY_ORG"}, 0},
		{"an alias asks once", `{ organization(name: "宣城仁杰医院") { a: coBuilds { mode } b: coBuilds { since } } }`,
			[]string{"CO_BUILDS_WITH"}, 0},
		{"coverage without a census reads the facts", `{ organization(name: "宣城仁杰医院") { coverage { status } } }`, nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec.reset()
			var resp map[string]any
			c.MustPost(tc.query, &resp)
			if !rec.called("OrganizationByName") {
				t.Fatalf("calls %v, want OrganizationByName", rec.calls)
			}
			f := rec.fetches[0]
			if got := tieTypes(f); !slices.Equal(got, tc.ties) {
				t.Errorf("ties fetched %v, want %v", got, tc.ties)
			}
			facts := 0
			if f != nil {
				facts = len(f.Facts)
			}
			if facts != tc.facts {
				t.Errorf("facts of %d days fetched, want %d", facts, tc.facts)
			}
			if slices.Contains(rec.calls, "Expand") {
				t.Errorf("a second read (calls %v): the plan missed something the selection asks", rec.calls)
			}
		})
	}
}

// The ties of the organisations reached are planned too: one read for two levels.
func TestPlansReachTheNextLevel(t *testing.T) {
	rec, _, c := setup(t, false)
	var resp map[string]any
	c.MustPost(`{ organization(name: "宣城仁杰医院") { memberships { hub { ... on Alliance { name memberships { organization { name } } } } } } }`, &resp)
	f := rec.first()
	if got := tieTypes(f); !slices.Equal(got, []string{"MEMBER_OF"}) {
		t.Fatalf("first level %v, want [MEMBER_OF]", got)
	}
	if got := tieTypes(f.Ties[0].Then); !slices.Equal(got, []string{"MEMBER_OF"}) {
		t.Errorf("second level %v, want [MEMBER_OF]", got)
	}
	if n := strings.Count(strings.Join(rec.calls, " "), "Expand"); n != 0 {
		t.Errorf("%d further reads, want none", n)
	}
}

// A count reads no page: without snapshots it is one count in Neo4j, with the day's
// census it reads nothing.
func TestACountReadsNoPage(t *testing.T) {
	const q = `{ organizations(where: {sector: [ENTERPRISE], operating: true}) { totalCount } }`
	var resp struct {
		Organizations struct{ TotalCount int }
	}

	rec, _, c := setup(t, false)
	c.MustPost(q, &resp)
	if rec.called("Organizations") || !rec.called("CountOrganizations") {
		t.Errorf("without snapshots: calls %v, want CountOrganizations alone", rec.calls)
	}
	counted := resp.Organizations.TotalCount

	rec, snaps, c := setup(t, true)
	ctx := context.Background()
	version, err := snaps.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snaps.Census(ctx, cobuild.Today(), version); err != nil {
		t.Fatal(err)
	}
	c.MustPost(q, &resp)
	if len(rec.calls) != 0 {
		t.Errorf("with today's census: calls %v, want none", rec.calls)
	}
	if resp.Organizations.TotalCount != counted || counted == 0 {
		t.Errorf("census counts %d, Neo4j %d", resp.Organizations.TotalCount, counted)
	}
}

// A plan is kept for the next request of the same operation, and made again when what it
// relied on changes: here, coverage read with the node until the day's census is built.
func TestPlansAreKeptUntilTheCensusChanges(t *testing.T) {
	rec, snaps, c := setup(t, true)
	const q = `query($name: String) { organization(name: $name) { coverage { status } partyOrganizations { since } } }`
	var resp map[string]any
	post := func(name string) *cobuild.Fetch {
		t.Helper()
		rec.reset()
		c.MustPost(q, &resp, client.Var("name", name))
		return rec.first()
	}
	first := post("宣城仁杰医院")
	if first == nil || len(first.Facts) != 1 {
		t.Fatalf("before the census: fetch %+v, want the facts of one day", first)
	}
	if again := post("宣城仁杰医院"); again != first {
		t.Errorf("the same request was planned again")
	}
	if other := post("城东社区"); other == first {
		t.Errorf("other variables reused the plan")
	}

	ctx := context.Background()
	version, err := snaps.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snaps.Census(ctx, cobuild.Today(), version); err != nil {
		t.Fatal(err)
	}
	after := post("宣城仁杰医院")
	if after == first || after == nil || len(after.Facts) != 0 {
		t.Errorf("after the census: fetch %+v, want no facts (the census answers coverage)", after)
	}
	if got := tieTypes(after); !slices.Equal(got, []string{"HAS_PARTY_ORG"}) {
		t.Errorf("after the census: ties %v, want [HAS_PARTY_ORG]", got)
	}
}

// Resolvers without snapshots answer what needs none, and say UNAVAILABLE for the
// network rather than fail.
func TestWithoutSnapshots(t *testing.T) {
	_, _, c := setup(t, false)
	var resp struct {
		Organization struct{ Name string }
	}
	c.MustPost(`{ organization(name: "宣城仁杰医院") { name } }`, &resp)
	if resp.Organization.Name != "宣城仁杰医院" {
		t.Errorf("organization %q", resp.Organization.Name)
	}
	var net map[string]any
	err := c.Post(`{ network { islandCount } }`, &net)
	if err == nil || !strings.Contains(err.Error(), "UNAVAILABLE") {
		t.Errorf("network without snapshots: %v, want UNAVAILABLE", err)
	}
}

// A field asked in two places through one fragment gathers different selections in each:
// each gets the plan of its own.
func TestPlansOfAFieldSharedByFragments(t *testing.T) {
	rec, _, c := setup(t, false)
	const q = `fragment F on Industry { organizations(first: 2) { nodes { name } } }
	{
	  a: industry(name: "批发零售") { ...F }
	  b: industry(name: "批发零售") { ...F organizations(first: 2) { nodes { partyOrganizations { since } } } }
	}`
	var resp map[string]any
	for range 2 {
		rec.reset()
		c.MustPost(q, &resp)
		var with [][]string
		rec.mu.Lock()
		for i, call := range rec.calls {
			if call == "Organizations" {
				with = append(with, tieTypes(rec.fetches[i]))
			}
		}
		rec.mu.Unlock()
		slices.SortFunc(with, func(a, b []string) int { return len(a) - len(b) })
		if len(with) != 2 || len(with[0]) != 0 || !slices.Equal(with[1], []string{"HAS_PARTY_ORG"}) {
			t.Fatalf("pages read with ties %v, want one with none and one with [HAS_PARTY_ORG]", with)
		}
	}
}
