package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/auth"
	"cobuild/neo4jtest"
	"cobuild/server"
)

// The tests of an area officer's answers (docs/scope.md): for officers of one town, of one
// park and of both, every root field answers only what lies in their areas, which the tests
// recompute with Cypher of their own over the graph.

const (
	scopeTown = "ar-000019" // 新田镇, 214 organisations
	scopePark = "ar-000025" // 宣城高新区, 1,676 organisations, all of them located in 飞彩街道
)

// as serves the whole handler h to a principal: each request carries a token signed for
// it, which h verifies; a principal that cannot have a token sends none.
func as(p *auth.Principal, h http.Handler) http.Handler {
	tok, err := auth.Signer{Secret: neo4jtest.Secret}.Sign(*p, time.Hour)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err == nil {
			r.Header.Set("Authorization", "Bearer "+tok)
		} else {
			r.Header.Del("Authorization")
		}
		h.ServeHTTP(w, r)
	})
}

// inContext serves the GraphQL handler alone (no authentication) to a principal put into
// each request's context, as the authenticating middleware does.
func inContext(p *auth.Principal, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), p)))
	})
}

// serveAs sends one operation through h and returns what it answered.
func serveAs(t *testing.T, h http.Handler, query string) *httptest.ResponseRecorder {
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func officer(areas ...string) *auth.Principal {
	return &auth.Principal{Subject: "officer of " + strings.Join(areas, "+"), Role: auth.Officer, Areas: areas}
}

// scopeOracle says, with Cypher of its own, what is in the scope of some areas: a node is
// when it is an organisation placed in one of them, or involves one (docs/scope.md). Each
// label is asked of the ids found in an answer, one statement per label.
type scopeOracle struct {
	t     *testing.T
	d     neo4j.DriverWithContext
	areas []string
	known map[string]bool
}

func newScopeOracle(t *testing.T, areas ...string) *scopeOracle {
	return &scopeOracle{t: t, d: neo4jtest.Driver(t), areas: areas, known: map[string]bool{}}
}

// involved are, by id prefix, the condition under which a node x of the label is in scope,
// each written as a pattern from the organisations placed in the areas (orgs).
var involved = map[string]string{
	"og": `x.id IN $orgs`,
	"ar": `x.id IN $areas OR EXISTS { MATCH (o:Organization)-[:LOCATED_IN|IN_PARK]->(x) WHERE o.id IN $orgs }`,
	"po": `EXISTS { MATCH (o:Organization)-[:HAS_PARTY_ORG|COVERED_BY]->(x) WHERE o.id IN $orgs }`,
	"al": `EXISTS { MATCH (o:Organization)-[:MEMBER_OF]->(x) WHERE o.id IN $orgs }`,
	"rz": `EXISTS { MATCH (o:Organization)-[:MEMBER_OF]->(x) WHERE o.id IN $orgs }`,
	"pe": `EXISTS { MATCH (o:Organization)<-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT|TRAINED_AT]-(x) WHERE o.id IN $orgs }`,
	"ev": `EXISTS { MATCH (o:Organization)-[:HELD|ATTENDED]->(x) WHERE o.id IN $orgs }
		OR EXISTS { MATCH (o:Organization)<-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT|TRAINED_AT]-(:Person)-[:HELD|ATTENDED]->(x) WHERE o.id IN $orgs }`,
	"ce": `EXISTS { MATCH (o:Organization)<-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT|TRAINED_AT]-(:Person)-[:HOLDS]->(x) WHERE o.id IN $orgs }`,
	"mb": `EXISTS { MATCH (o:Organization)<-[:FORMED_IN]-(x) WHERE o.id IN $orgs }`,
	"es": `EXISTS { MATCH (o:Organization)-[:HAS_PARTY_ORG|COVERED_BY]->(:PartyOrg)-[:EVALUATED]->(x) WHERE o.id IN $orgs }`,
	"ds": `EXISTS { MATCH (o:Organization)-[:DESIGNATED]->(x) WHERE o.id IN $orgs }`,
	"db": `EXISTS { MATCH (o:Organization)-[:DESIGNATED]->(:DemoSite)-[:ON_BELT]->(x) WHERE o.id IN $orgs }`,
	"br": `EXISTS { MATCH (o:Organization)-[:OWNS_BRAND]->(x) WHERE o.id IN $orgs }`,
	"ag": `EXISTS { MATCH (a:Area)-[:PARTY_TO]->(x) WHERE a.id IN $areas }
		OR EXISTS { MATCH (x)-[:HELD]->(:Event)<-[:HELD|ATTENDED]-(o:Organization) WHERE o.id IN $orgs }
		OR EXISTS { MATCH (x)-[:HELD]->(:Event)<-[:HELD|ATTENDED]-(:Person)-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT|TRAINED_AT]->(o:Organization) WHERE o.id IN $orgs }`,
	"in": `true`,
}

// rows runs a read statement with the oracle's areas and organisations as parameters.
func (o *scopeOracle) rows(cypher string, params map[string]any) []map[string]any {
	o.t.Helper()
	p := map[string]any{"areas": o.areas, "orgs": o.orgs()}
	maps.Copy(p, params)
	res, err := neo4j.ExecuteQuery(context.Background(), o.d, cypher, p, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		o.t.Fatalf("oracle %q: %v", cypher, err)
	}
	var out []map[string]any
	for _, r := range res.Records {
		out = append(out, r.AsMap())
	}
	return out
}

// ids runs a statement returning a column id, and returns its ids sorted.
func (o *scopeOracle) ids(cypher string, params map[string]any) []string {
	o.t.Helper()
	var out []string
	for _, r := range o.rows(cypher, params) {
		out = append(out, r["id"].(string))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

var orgsOfAreas = map[string][]string{}

// orgs are the organisations placed in the areas (LOCATED_IN a town or subdistrict,
// IN_PARK a park), sorted.
func (o *scopeOracle) orgs() []string {
	o.t.Helper()
	k := strings.Join(o.areas, ",")
	if ids, ok := orgsOfAreas[k]; ok {
		return ids
	}
	res, err := neo4j.ExecuteQuery(context.Background(), o.d, `MATCH (o:Organization)-[:LOCATED_IN|IN_PARK]->(a:Area) WHERE a.id IN $areas
		RETURN DISTINCT o.id AS id ORDER BY id`, map[string]any{"areas": o.areas}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		o.t.Fatal(err)
	}
	ids := []string{}
	for _, r := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](r, "id")
		ids = append(ids, id)
	}
	orgsOfAreas[k] = ids
	return ids
}

// all returns every node of a prefix in scope, sorted.
func (o *scopeOracle) all(prefix string) []string {
	o.t.Helper()
	label := map[string]string{"po": "PartyOrg", "pe": "Person", "ev": "Event", "ce": "Certification", "mb": "MassBranch",
		"es": "Evaluation", "al": "Alliance", "rz": "RedZone", "ag": "Agreement", "ds": "DemoSite", "db": "DemoBelt", "br": "Brand",
		"ar": "Area", "og": "Organization", "in": "Industry"}[prefix]
	return o.ids("MATCH (x:"+label+") WHERE "+involved[prefix]+" RETURN x.id AS id", nil)
}

// outside returns the ids of ids that are not in scope, asking the graph of those not
// known yet.
func (o *scopeOracle) outside(ids []string) []string {
	o.t.Helper()
	byPrefix := map[string][]string{}
	for _, id := range ids {
		if _, ok := o.known[id]; !ok {
			byPrefix[id[:2]] = append(byPrefix[id[:2]], id)
		}
	}
	for prefix, ask := range byPrefix {
		cond, ok := involved[prefix]
		if !ok {
			o.t.Fatalf("the oracle knows no ids %s-", prefix)
		}
		for _, id := range ask {
			o.known[id] = false
		}
		for _, id := range o.ids("MATCH (x) WHERE x.id IN $ask AND ("+cond+") RETURN x.id AS id", map[string]any{"ask": ask}) {
			o.known[id] = true
		}
	}
	var out []string
	for _, id := range ids {
		if !o.known[id] {
			out = append(out, id)
		}
	}
	return out
}

var idValue = regexp.MustCompile(`^[a-z]{2}-[0-9]+$`)

// idsIn walks a JSON value and returns every string in it that is an id, sorted, once.
func idsIn(v any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if idValue.MatchString(v) {
				out = append(out, v)
			}
		}
	}
	walk(v)
	sort.Strings(out)
	return slices.Compact(out)
}

// askAs runs an operation that must succeed for a principal and returns its data as JSON
// values.
func askAs(t *testing.T, h http.Handler, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := post(t, h, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("query failed: %+v\n%s", r.Errors, query)
	}
	var d map[string]any
	if err := json.Unmarshal(r.Data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// orgFields asks of organisations every tie that leads from them, two levels deep.
const orgFields = `id area { id } park { id } industry { id }
	community { id organizations(first: 20) { totalCount nodes { id } } }
	partyOrganizations { partyOrganization { id covers { organization { id } } organization { id } } }
	coveredBy { organization { id } partyOrganization { id covers { organization { id } } evaluations { id } } }
	people { person { id ties { organization { id } school { id } } mentees { mentee { id } } mentors { mentor { id } }
		certification { id holder { id } } secondments { area { id } } events { id } } school { id } }
	memberships { organization { id } hub { ... on Alliance { id members(first: 20) { totalCount nodes { id } } memberships { organization { id } } }
		... on RedZone { id memberships { organization { id } } } } }
	coBuilds { organization { id } community { id } }
	events { id heldBy { ...partyIDs } attendedBy { ...partyIDs } attendance }
	massBranches { id formedIn { id } body { id } recommended { id } helpedForm { id } }
	demoSites { id organizations { id } belt { id sites { id } } }
	brands { id owners { id } }
	latestEvaluation { id partyOrganization { id } }
	coverageCandidates(first: 3, asOf: "2023-10-21") { node { id node { id } } }
	... on MassOrganization { branches { id } }
	... on Community { organizations(first: 20) { nodes { id } } }`

const partyIDs = `fragment partyIDs on EventParty { ... on Node { id } }`

// scopeOperations ask every root field, with the ties below it, as the dashboard and an
// analyst would; $org is an organisation in scope.
var scopeOperations = map[string]string{
	"node":                 `query($org: ID!) { node(id: $org) { id ... on Organization { ` + orgFields + ` } } }` + partyIDs,
	"enumLabels and rules": `{ enumLabels(enum: "Tier") { value label } rules { goldFloor } }`,
	"coverageStats": `{ a: coverageStats(by: [AREA, PARK], asOf: "2023-10-21") { total { organizations } groups { keys { value label } organizations } }
		b: coverageStats(by: [COMMUNITY, INDUSTRY], asOf: "2023-10-21") { groups { keys { value label } organizations } } }`,
	"grading": `{ grading { evaluated tiers { count } nearNext(points: 5) { id partyOrganization { id organization { id } } }
		dimensionPulls { count } selfOverCommittee(points: 1) { evaluation { id partyOrganization { id } } }
		weakTwoRounds { id covers { organization { id } } } } }`,
	"gradeMovement": `{ gradeMovement(from: "2022-11", to: "2023-05") { compared matrix { count }
		fell { partyOrganization { id } before { id } after { id } } rose { partyOrganization { id } before { id } after { id } } } }`,
	"programs": `{ programs(asOf: "2023-10-21") { mentorCount instructorMentors recruits apprentices seconded deltaTrainingPersonTimes
		mentors(first: 500) { mentor { id mentees { mentee { id } } } mentees menteeTiers { count } }
		certification { reviewed certified byIndustry { key { value } reviewed } byPark { key { value } reviewed } }
		massBranches { formed recommended helpedForm followed { branch { id formedIn { id } } partyOrganization { id } } } } }`,
	"demonstration": `{ demonstration(asOf: "2023-10-21") { hubs { id members aboveScaleMembers events { count } memberTiers { count } }
		sites { count } brands { count }
		leadingIndustries { industry { id } committee { id } alliance { id } aboveScale inCommitteeOrAlliance inNeither { id } } } }`,
	"alliances and alliance": `{ alliances { id memberships { organization { id } } members(first: 500) { totalCount nodes { id } }
		partyOrganization { id covers { organization { id } } } industry { id } held { id attendedBy { ...partyIDs } } attended { id } }
		alliance(name: "民办医院党建联盟") { id members { totalCount } } }` + partyIDs,
	"agreements": `{ agreements { id parties { id organizations(first: 5) { nodes { id } } agreements { id } } held { id heldBy { ...partyIDs } attendedBy { ...partyIDs } } } }` + partyIDs,
	"redZones":   `{ redZones { id memberships { organization { id } } } }`,
	"demoBelts, demoSites, brands": `{ demoBelts { id sites { id organizations { id } } } demoSites { id organizations { id } belt { id } }
		brands { id owners { id } } }`,
	"events": `{ events(first: 500) { totalCount personTimes attendance nodes { id heldBy { ...partyIDs } attendedBy { ...partyIDs } attendance } } }` + partyIDs,
	"network": `{ network(asOf: "2023-10-21") { islandCount isolatedOrganizations islands(first: 300, minSize: 1) { size organizations members(first: 100) { id node { id } } }
		brokers(first: 200) { node { id } } bridges(first: 200) { tie { from to } from { id } to { id } }
		degreeRanking(first: 50) { node { id } } betweennessRanking(first: 50) { nodes { node { id } } }
		farFromCoverage(hops: 1, first: 1000) { totalCount organizations { id } } provenance { nodes ties parameters } } }`,
	"egoNetwork": `query($org: ID!) { egoNetwork(id: $org, hops: 3, asOf: "2023-10-21") { centre { id } nodes { node { id node { id } } } ties { from to } } }`,
	"whatIf":     `query($org: ID!) { whatIf(remove: $org, asOf: "2023-10-21") { removed newlyIsolated { id } lostCoverage { organization { id } } } }`,
	"coverageCandidates": `query($org: ID!) { coverageCandidates(organization: $org, first: 50, asOf: "2023-10-21") { organization { id }
		candidates { node { id node { id } } } } }`,
	"organization":  `query($org: ID!) { organization(id: $org) { ` + orgFields + ` } }` + partyIDs,
	"organizations": `{ organizations(first: 20, sort: {field: TIES, direction: DESC}, where: {asOf: "2023-10-21"}) { totalCount nodes { ` + orgFields + ` } } }` + partyIDs,
	"partyOrganizations and partyOrganization": `query($po: ID!) { partyOrganizations(first: 500) { totalCount nodes { id organization { id } alliance { id }
		covers { organization { id } } evaluations { id } latestEvaluation { id } helpedBy { id formedIn { id } } } }
		partyOrganization(id: $po) { id covers { organization { id } } } }`,
	"rounds and evaluations": `{ rounds { round evaluated } evaluations(first: 500) { totalCount nodes { id partyOrganization { id organization { id } } } } }`,
	"people and person": `query($pe: ID!) { people(first: 500) { totalCount nodes { id ties { organization { id } school { id } } mentees { mentee { id } }
		mentors { mentor { id } } certification { id holder { id } } secondments { area { id } } events { id } } }
		person(id: $pe) { id ties { organization { id } } } }`,
	"certifications": `{ certifications(first: 500) { totalCount nodes { id holder { id ties { organization { id } } } } } }`,
	"massBranches":   `{ massBranches(first: 500) { totalCount nodes { id formedIn { id } body { id } recommended { id } helpedForm { id } } } }`,
	"areas and area": `query($area: ID!) { areas { id organizations { totalCount } agreements { id } }
		area(id: $area) { id organizations(first: 500) { totalCount nodes { id } } agreements { id parties { id } } } }`,
	"industries and industry": `{ industries { id organizations(first: 500) { totalCount nodes { id } } } industry(name: "批发零售") { id organizations { totalCount } } }`,
}

// scopeVars are the variables of the operations for an officer: an organisation, a party
// organisation and a person in scope, and their first area.
func scopeVars(o *scopeOracle) map[string]any {
	o.t.Helper()
	// The organisation in scope with the most ties, so that its ties lead somewhere.
	org := o.rows(`MATCH (o:Organization) WHERE o.id IN $orgs RETURN o.id AS id ORDER BY COUNT { (o)--() } DESC, id LIMIT 1`, nil)[0]["id"]
	return map[string]any{"org": org, "po": o.all("po")[0], "pe": o.all("pe")[0], "area": o.areas[0]}
}

// TestAnOfficerSeesNothingOutsideTheirAreas runs every root field, the golden operations
// among them, as officers of a town, of a park and of both, and finds in no answer an id
// of a node outside their areas (nor an error: what lies outside is absent).
func TestAnOfficerSeesNothingOutsideTheirAreas(t *testing.T) {
	h := api(t)
	golden, err := filepath.Glob("testdata/*.graphql")
	if err != nil || len(golden) == 0 {
		t.Fatalf("no golden operations: %v", err)
	}
	for _, areas := range [][]string{{scopeTown}, {scopePark}, {scopeTown, scopePark}} {
		t.Run(strings.Join(areas, "+"), func(t *testing.T) {
			o := newScopeOracle(t, areas...)
			hh := as(officer(areas...), h)
			vars := scopeVars(o)
			ops := maps.Clone(scopeOperations)
			for _, f := range golden {
				q, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				ops["golden "+filepath.Base(f)] = string(q)
			}
			seen := 0
			for _, name := range slices.Sorted(maps.Keys(ops)) {
				r := post(t, hh, ops[name], vars)
				if len(r.Errors) > 0 {
					t.Errorf("%s: errors %+v", name, r.Errors)
					continue
				}
				var d any
				if err := json.Unmarshal(r.Data, &d); err != nil {
					t.Fatal(err)
				}
				ids := idsIn(d)
				seen += len(ids)
				if out := o.outside(ids); len(out) > 0 {
					t.Errorf("%s: %d ids outside %v in the answer, such as %v", name, len(out), areas, out[:min(5, len(out))])
				}
			}
			if seen < 500 {
				t.Errorf("the answers held %d ids: too few to say anything", seen)
			}
			// The chains between the two organisations of the largest island farthest apart
			// in the list of its members.
			n := askAs(t, hh, `{ network(asOf: "2023-10-21") { islands(first: 1) { members(first: 1000) { id label } } } }`, nil)
			var ends []string
			for _, m := range n["network"].(map[string]any)["islands"].([]any)[0].(map[string]any)["members"].([]any) {
				if m := m.(map[string]any); m["label"] == "Organization" {
					ends = append(ends, m["id"].(string))
				}
			}
			if len(ends) < 2 {
				t.Fatalf("the largest island holds %d organisations", len(ends))
			}
			d := askAs(t, hh, `query($a: ID!, $b: ID!) { path(from: $a, to: $b, asOf: "2023-10-21", maxHops: 12, limit: 20) { found hops
				paths { nodes { id node { id } } steps { tie { from to } } } } }`, map[string]any{"a": ends[0], "b": ends[len(ends)-1]})
			if p := d["path"].(map[string]any); p["found"] != true {
				t.Errorf("no chain between %s and %s of one island", ends[0], ends[len(ends)-1])
			}
			if out := o.outside(idsIn(d)); len(out) > 0 {
				t.Errorf("path: ids outside %v in the answer, such as %v", areas, out[:min(5, len(out))])
			}
		})
	}
	// The check can fail: an analyst's answers to the same operations show what lies
	// outside the town.
	o := newScopeOracle(t, scopeTown)
	d := askAs(t, as(&auth.Principal{Subject: "analyst", Role: auth.Analyst}, h), scopeOperations["organizations"], nil)
	if out := o.outside(idsIn(d)); len(out) == 0 {
		t.Error("an analyst's organisations are all in the town: the check cannot tell")
	}
}

// numberAt is the number at a path of a decoded answer.
func numberAt(t *testing.T, d map[string]any, path ...string) int {
	t.Helper()
	var v any = d
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %s in the answer", strings.Join(path, "."))
		}
		v = m[k]
	}
	n, ok := v.(float64)
	if !ok {
		t.Fatalf("%s is %v, not a number", strings.Join(path, "."), v)
	}
	return int(n)
}

// pagedIDs reads every page of a list at a root field (its where given), 500 rows a page,
// and returns the ids of its nodes, sorted.
func pagedIDs(t *testing.T, h http.Handler, field, args string) []string {
	t.Helper()
	out := orderedIDs(t, h, field, args)
	sort.Strings(out)
	return out
}

// orderedIDs reads every page of a list as pagedIDs does, and returns the ids of its nodes
// in the list's order.
func orderedIDs(t *testing.T, h http.Handler, field, args string) []string {
	t.Helper()
	var out []string
	after := ""
	for {
		a := args
		if after != "" {
			a += fmt.Sprintf(`, after: %q`, after)
		}
		d := askAs(t, h, fmt.Sprintf(`{ list: %s(first: 500%s) { nodes { id } pageInfo { hasNextPage endCursor } } }`, field, a), nil)
		list := d["list"].(map[string]any)
		for _, n := range list["nodes"].([]any) {
			out = append(out, n.(map[string]any)["id"].(string))
		}
		pi := list["pageInfo"].(map[string]any)
		if !pi["hasNextPage"].(bool) {
			break
		}
		after = pi["endCursor"].(string)
	}
	return out
}

// TestAnOfficersListsAreTheirAreas reads every list of an officer page by page and finds
// the nodes in scope that the graph has, each once, and the totals agree.
func TestAnOfficersListsAreTheirAreas(t *testing.T) {
	h := api(t)
	for _, areas := range [][]string{{scopeTown}, {scopePark}, {scopeTown, scopePark}} {
		t.Run(strings.Join(areas, "+"), func(t *testing.T) {
			o := newScopeOracle(t, areas...)
			hh := as(officer(areas...), h)
			for _, l := range []struct {
				field, args, prefix string
			}{
				{"organizations", "", "og"}, {"organizations", `, sort: {field: TIES, direction: DESC}`, "og"},
				{"partyOrganizations", "", "po"}, {"people", "", "pe"}, {"events", "", "ev"}, {"certifications", "", "ce"},
				{"massBranches", "", "mb"}, {"evaluations", "", "es"},
			} {
				want := o.all(l.prefix)
				if len(want) == 0 {
					t.Errorf("%s: the oracle finds none in scope; pick areas that have some", l.field)
				}
				if got := pagedIDs(t, hh, l.field, l.args); !slices.Equal(got, want) {
					t.Errorf("%s%s: %d ids, the graph has %d in scope; e.g. %v", l.field, l.args, len(got), len(want), firstDiff(got, want))
				}
				d := askAs(t, hh, fmt.Sprintf(`{ list: %s { totalCount } }`, l.field), nil)
				if n := numberAt(t, d, "list", "totalCount"); n != len(want) {
					t.Errorf("%s: totalCount %d, the graph has %d in scope", l.field, n, len(want))
				}
			}
			for _, l := range []struct {
				field, prefix string
			}{{"alliances", "al"}, {"redZones", "rz"}, {"agreements", "ag"}, {"demoSites", "ds"}, {"demoBelts", "db"}, {"brands", "br"}} {
				d := askAs(t, hh, `{ list: `+l.field+` { id } }`, nil)
				if got, want := idsIn(d), o.all(l.prefix); !slices.Equal(got, want) {
					t.Errorf("%s: %v, the graph has %v in scope", l.field, got, want)
				}
			}
			// A list the store answers in Cypher (by the tiers of their own party
			// organisations), sorted by ties, is in the order of the list sorted in memory
			// (neo4jstore's tests hold it to the ties in scope, which the demo data cannot
			// tell from all ties).
			const graded = `, where: {tier: [GOLD, SILVER, BRONZE, WEAK], asOf: "2023-10-21"}`
			members := map[string]bool{}
			for _, id := range pagedIDs(t, hh, "organizations", graded) {
				members[id] = true
			}
			byTies := func(where string) []string {
				var out []string
				for _, id := range orderedIDs(t, hh, "organizations", `, sort: {field: TIES, direction: DESC}`+where) {
					if members[id] {
						out = append(out, id)
					}
				}
				return out
			}
			if inCypher, inMemory := byTies(graded), byTies(`, where: {asOf: "2023-10-21"}`); len(inCypher) != len(members) || len(members) < 10 ||
				!slices.Equal(inCypher, inMemory) {
				t.Errorf("graded organisations by ties: %v in Cypher, %v in memory", inCypher, inMemory)
			}

			d := askAs(t, hh, `{ areas { id } industries { id } }`, nil)
			var all []string
			for _, r := range o.rows(`MATCH (i:Industry) RETURN i.id AS id`, nil) {
				all = append(all, r["id"].(string))
			}
			if got := idsIn(d); !slices.Equal(got, slices.Sorted(slices.Values(append(all, areas...)))) {
				t.Errorf("areas and industries: %v, want the officer's areas and every industry", got)
			}
		})
	}
}

func firstDiff(got, want []string) string {
	for _, id := range want {
		if !slices.Contains(got, id) {
			return "missing " + id
		}
	}
	for _, id := range got {
		if !slices.Contains(want, id) {
			return "extra " + id
		}
	}
	return "repeats"
}

// TestAnOfficersLookupsOutsideFindNothing looks up nodes in scope and outside it by id, name
// and credit code: those outside are null, as nodes that do not exist are, and the fields
// that need one answer NOT_FOUND, as for an id of no node.
func TestAnOfficersLookupsOutsideFindNothing(t *testing.T) {
	h := api(t)
	o := newScopeOracle(t, scopeTown)
	hh := as(officer(scopeTown), h)
	pick := func(cypher string) map[string]any {
		t.Helper()
		rows := o.rows(cypher+" LIMIT 1", nil)
		if len(rows) == 0 {
			t.Fatalf("nothing found for %q", cypher)
		}
		return rows[0]
	}
	in := pick(`MATCH (x:Organization) WHERE x.id IN $orgs AND x.creditCode IS NOT NULL AND COUNT { (x)-[:MEMBER_OF|ATTENDED|CO_BUILDS_WITH]-() } > 0
		RETURN x.id AS id, x.name AS name, x.creditCode AS code ORDER BY x.id`)
	out := pick(`MATCH (x:Organization) WHERE NOT x.id IN $orgs AND x.creditCode IS NOT NULL AND COUNT { (x)-[:MEMBER_OF|ATTENDED|CO_BUILDS_WITH]-() } > 0
		RETURN x.id AS id, x.name AS name, x.creditCode AS code ORDER BY x.id`)
	vars := map[string]any{"in": in["id"], "inName": in["name"], "inCode": in["code"], "out": out["id"], "outName": out["name"], "outCode": out["code"]}
	for v, cypher := range map[string]string{
		"po": `MATCH (x:PartyOrg) WHERE NOT (` + involved["po"] + `) RETURN x.id AS id ORDER BY x.id`,
		"pe": `MATCH (x:Person) WHERE NOT (` + involved["pe"] + `) RETURN x.id AS id ORDER BY x.id`,
		"al": `MATCH (x:Alliance) WHERE NOT (` + involved["al"] + `) RETURN x.id AS id, x.name AS name ORDER BY x.id`,
		"ar": `MATCH (x:Area) WHERE NOT (` + involved["ar"] + `) RETURN x.id AS id, x.name AS name ORDER BY x.id`,
		"ev": `MATCH (x:Event) WHERE NOT (` + involved["ev"] + `) RETURN x.id AS id ORDER BY x.id`,
	} {
		r := pick(cypher)
		vars[v] = r["id"]
		if name, ok := r["name"]; ok {
			vars[v+"Name"] = name
		}
	}
	const lookups = `query($in: ID!, $inName: String!, $inCode: String!, $out: ID!, $outName: String!, $outCode: String!,
		$po: ID!, $pe: ID!, $al: ID!, $alName: String!, $ar: ID!, $arName: String!, $ev: ID!) {
		byID: organization(id: $in) { id } byName: organization(name: $inName) { id } byCode: organization(creditCode: $inCode) { id }
		node: node(id: $in) { id }
		outByID: organization(id: $out) { id } outByName: organization(name: $outName) { id } outByCode: organization(creditCode: $outCode) { id }
		outNode: node(id: $out) { id } outParty: partyOrganization(id: $po) { id } outPartyNode: node(id: $po) { id }
		outPerson: person(id: $pe) { id } outAlliance: alliance(id: $al) { id } outAllianceByName: alliance(name: $alName) { id }
		outArea: area(id: $ar) { id } outAreaByName: area(name: $arName) { id } outEvent: node(id: $ev) { id } }`
	d := askAs(t, hh, lookups, vars)
	for _, k := range []string{"byID", "byName", "byCode", "node"} {
		if m, _ := d[k].(map[string]any); m == nil || m["id"] != in["id"] {
			t.Errorf("%s: %v, want %s, in the town", k, d[k], in["id"])
		}
	}
	for k, v := range d {
		if strings.HasPrefix(k, "out") && v != nil {
			t.Errorf("%s: %v, want null: it lies outside the town", k, v)
		}
	}
	// An analyst finds them all.
	for k, v := range askAs(t, as(&auth.Principal{Subject: "analyst", Role: auth.Analyst}, h), lookups, vars) {
		if v == nil {
			t.Errorf("an analyst's %s is null: the lookup tells nothing", k)
		}
	}
	for name, q := range map[string]string{
		"coverageCandidates": `query($out: ID!) { coverageCandidates(organization: $out) { organization { id } } }`,
		"path":               `query($in: ID!, $out: ID!) { path(from: $in, to: $out) { found } }`,
		"egoNetwork":         `query($out: ID!) { egoNetwork(id: $out) { centre { id } } }`,
		"whatIf":             `query($al: ID!) { whatIf(remove: $al) { removed } }`,
	} {
		if code, msg := errorCode(t, hh, q, vars); code != "NOT_FOUND" {
			t.Errorf("%s of a node outside: %s %q, want NOT_FOUND as for a node that does not exist", name, code, msg)
		}
	}
}

// TestAnOfficersAggregatesAreOfTheirAreas recomputes with Cypher and the coverage oracle
// the counts of an officer's aggregates, over the organisations of their areas.
func TestAnOfficersAggregatesAreOfTheirAreas(t *testing.T) {
	h := api(t)
	oracle := coverageOracle(t, driverRows(t, neo4jtest.Driver(t)), mustDay(sourceDay))
	day := map[string]any{"d": neo4j.DateOf(mustDay(sourceDay))}
	for _, areas := range [][]string{{scopeTown}, {scopePark}, {scopeTown, scopePark}} {
		t.Run(strings.Join(areas, "+"), func(t *testing.T) {
			o := newScopeOracle(t, areas...)
			hh := as(officer(areas...), h)
			orgs := o.orgs()
			// Coverage, over the managed organisations of the areas.
			var organizations, operating, own, joint, work, uncovered, isolated, isolatedUncovered, should int
			for _, id := range orgs {
				c := oracle[id]
				if c.status == "NOT_MANAGED" {
					continue
				}
				organizations++
				if !c.operating {
					continue
				}
				operating++
				switch c.status {
				case "OWN":
					own++
				case "JOINT":
					joint++
				case "WORK":
					work++
				case "UNCOVERED":
					uncovered++
				}
				if c.isolated {
					isolated++
					if c.status == "UNCOVERED" {
						isolatedUncovered++
					}
				}
				if c.should {
					should++
				}
			}
			var cs struct {
				CoverageStats struct{ Total coverageGroup }
				Organizations struct{ TotalCount int }
			}
			data(t, hh, `{ coverageStats(asOf: "2023-10-21") { total { `+groupFields+` } }
				organizations(where: {coverage: [UNCOVERED], isolated: true, asOf: "2023-10-21"}) { totalCount } }`, nil, &cs)
			g := cs.CoverageStats.Total
			if got, want := fmt.Sprint(g.Organizations, g.Operating, g.Own, g.Joint, g.Work, g.Uncovered, g.Isolated, g.IsolatedUncovered, g.ShouldHaveOwn),
				fmt.Sprint(organizations, operating, own, joint, work, uncovered, isolated, isolatedUncovered, should); got != want {
				t.Errorf("coverage counts %s, the oracle's over the areas %s", got, want)
			}
			worklist := 0
			for _, id := range orgs {
				if c := oracle[id]; c.status == "UNCOVERED" && c.isolated {
					worklist++
				}
			}
			if cs.Organizations.TotalCount != worklist {
				t.Errorf("%d isolated and uncovered, the oracle finds %d in the areas", cs.Organizations.TotalCount, worklist)
			}

			// Grading and programmes, over the evaluations and people in scope.
			d := askAs(t, hh, `query { grading(round: "2023-05") { evaluated tiers { count } }
				programs(asOf: "2023-10-21") { mentorCount recruits apprentices certification { reviewed certified } massBranches { formed helpedForm } }
				events(where: {to: "2023-10-21"}) { totalCount personTimes attendance } }`, nil)
			evaluations, people := o.all("es"), o.all("pe")
			p := map[string]any{"es": evaluations, "pe": people, "ce": o.all("ce"), "mb": o.all("mb"), "ev": o.all("ev"), "po": o.all("po"),
				"al": o.all("al"), "d": day["d"]}
			want := o.rows(`RETURN
				COUNT { MATCH (e:Evaluation {round: '2023-05'}) WHERE e.id IN $es } AS evaluated,
				COUNT { MATCH (m:Person)-[r:MENTORS]->(x:Person) WHERE m.id IN $pe AND x.id IN $pe AND `+inForceR+` RETURN DISTINCT m } AS mentors,
				COUNT { MATCH (x:Person)-[r:PLACED_AT]->() WHERE x.id IN $pe AND (r.since IS NULL OR r.since <= $d) RETURN DISTINCT x } AS recruits,
				COUNT { MATCH (x:Person)-[r:APPRENTICED_AT]->() WHERE x.id IN $pe AND (r.since IS NULL OR r.since <= $d) RETURN DISTINCT x } AS apprentices,
				COUNT { MATCH (c:Certification) WHERE c.id IN $ce } AS reviewed,
				COUNT { MATCH (c:Certification {status: 'CERTIFIED'}) WHERE c.id IN $ce } AS certified,
				COUNT { MATCH (b:MassBranch) WHERE b.id IN $mb } AS formed,
				COUNT { MATCH (b:MassBranch)-[:HELPED_FORM]->(x:PartyOrg) WHERE b.id IN $mb AND x.id IN $po } AS helped,
				COUNT { MATCH (e:Event) WHERE e.id IN $ev AND e.date <= $d } AS events,
				reduce(n = 0, t IN COLLECT { MATCH (e:Event) WHERE e.id IN $ev AND e.date <= $d RETURN coalesce(e.personTimes, 0) } | n + t) AS personTimes,
				COUNT { MATCH (e:Event)<-[:ATTENDED]-(x) WHERE e.id IN $ev AND e.date <= $d AND (x.id IN $orgs OR x.id IN $pe OR x.id IN $al) } AS attendance`, p)[0]
			for _, c := range []struct {
				name string
				got  int
				want any
			}{
				{"evaluated", numberAt(t, d, "grading", "evaluated"), want["evaluated"]},
				{"mentors", numberAt(t, d, "programs", "mentorCount"), want["mentors"]},
				{"recruits", numberAt(t, d, "programs", "recruits"), want["recruits"]},
				{"apprentices", numberAt(t, d, "programs", "apprentices"), want["apprentices"]},
				{"reviewed", numberAt(t, d, "programs", "certification", "reviewed"), want["reviewed"]},
				{"certified", numberAt(t, d, "programs", "certification", "certified"), want["certified"]},
				{"branches formed", numberAt(t, d, "programs", "massBranches", "formed"), want["formed"]},
				{"branches that helped form a party organisation", numberAt(t, d, "programs", "massBranches", "helpedForm"), want["helped"]},
				{"events", numberAt(t, d, "events", "totalCount"), want["events"]},
				{"events' person-times", numberAt(t, d, "events", "personTimes"), want["personTimes"]},
				{"events' attendance", numberAt(t, d, "events", "attendance"), want["attendance"]},
			} {
				if int64(c.got) != c.want.(int64) {
					t.Errorf("%s: %d, the graph has %v in scope", c.name, c.got, c.want)
				}
			}
			tiers := 0
			for _, tc := range d["grading"].(map[string]any)["tiers"].([]any) {
				tiers += int(tc.(map[string]any)["count"].(float64))
			}
			if tiers != numberAt(t, d, "grading", "evaluated") {
				t.Errorf("the tiers count %d, of %d evaluated", tiers, numberAt(t, d, "grading", "evaluated"))
			}

			// Each hub's members are the organisations of the areas that belong to it.
			var dm struct {
				Demonstration struct {
					Hubs []struct {
						ID, Kind string
						Members  int
					}
				}
			}
			data(t, hh, `{ demonstration(asOf: "2023-10-21") { hubs { id kind members } } }`, nil, &dm)
			var hubIDs []string
			for _, hub := range dm.Demonstration.Hubs {
				hubIDs = append(hubIDs, hub.ID)
				cypher := `RETURN COUNT { MATCH (o:Organization)-[r:MEMBER_OF]->({id: $h}) WHERE o.id IN $orgs AND ` + inForceR + ` } AS n`
				switch hub.Kind {
				case "AGREEMENT":
					cypher = `RETURN COUNT { MATCH (a:Area)-[r:PARTY_TO]->({id: $h}) WHERE ` + inForceR + ` AND (` + strings.ReplaceAll(involved["ar"], "x.", "a.") + `) } AS n`
					cypher = strings.ReplaceAll(cypher, "(x)", "(a)")
				case "BELT":
					cypher = `RETURN COUNT { MATCH (s:DemoSite)-[:ON_BELT]->({id: $h}) WHERE EXISTS { MATCH (o:Organization)-[:DESIGNATED]->(s) WHERE o.id IN $orgs } } AS n`
				}
				if n := o.rows(cypher, map[string]any{"h": hub.ID, "d": day["d"]})[0]["n"].(int64); int64(hub.Members) != n {
					t.Errorf("hub %s (%s): %d members, the graph has %d in scope", hub.ID, hub.Kind, hub.Members, n)
				}
			}
			sort.Strings(hubIDs)
			var wantHubs []string
			for _, prefix := range []string{"al", "rz", "ag", "db"} {
				wantHubs = append(wantHubs, o.all(prefix)...)
			}
			if sort.Strings(wantHubs); !slices.Equal(hubIDs, wantHubs) {
				t.Errorf("hubs %v, the graph has %v in scope", hubIDs, wantHubs)
			}

			// Every leading industry, with its above-scale firms of the areas (none, for some).
			li := askAs(t, hh, `{ demonstration(asOf: "2023-10-21") { leadingIndustries { industry { id } aboveScale } } }`, nil)
			rowsLI := li["demonstration"].(map[string]any)["leadingIndustries"].([]any)
			if want := o.rows(`MATCH (i:Industry {leading: true}) RETURN count(i) AS n`, nil)[0]["n"].(int64); int64(len(rowsLI)) != want {
				t.Errorf("%d leading industries, the district has %d", len(rowsLI), want)
			}
			for _, row := range rowsLI {
				m := row.(map[string]any)
				id := m["industry"].(map[string]any)["id"].(string)
				want := o.rows(`RETURN COUNT { MATCH (o:Enterprise)-[:IN_INDUSTRY]->(:Industry {id: $i}) WHERE o.aboveScale AND o.id IN $orgs } AS n`,
					map[string]any{"i": id})[0]["n"].(int64)
				if int64(m["aboveScale"].(float64)) != want {
					t.Errorf("industry %s: %v above-scale firms, the areas have %d", id, m["aboveScale"], want)
				}
			}

			// The network holds every organisation of the areas: alone, or on an island.
			n := askAs(t, hh, `{ network(asOf: "2023-10-21") { isolatedOrganizations islands(first: 1000, minSize: 2) { organizations } } }`, nil)
			onIslands := numberAt(t, n, "network", "isolatedOrganizations")
			for _, is := range n["network"].(map[string]any)["islands"].([]any) {
				onIslands += int(is.(map[string]any)["organizations"].(float64))
			}
			if onIslands != len(orgs) {
				t.Errorf("the network holds %d organisations, the areas %d", onIslands, len(orgs))
			}
		})
	}
}

// TestTwoAreasAreTheUnionOfEach finds an officer of a town and a park sees the
// organisations of each, and nothing else.
func TestTwoAreasAreTheUnionOfEach(t *testing.T) {
	h := api(t)
	town := pagedIDs(t, as(officer(scopeTown), h), "organizations", "")
	park := pagedIDs(t, as(officer(scopePark), h), "organizations", "")
	both := pagedIDs(t, as(officer(scopePark, scopeTown), h), "organizations", "")
	union := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(town), park...))))
	if !slices.Equal(both, union) || len(town) == 0 || len(park) == 0 {
		t.Errorf("town %d, park %d, both %d organisations; the union has %d", len(town), len(park), len(both), len(union))
	}
	d := askAs(t, as(officer(scopeTown, scopePark), h), `{ t: coverageStats { total { organizations } } }`, nil)
	a := askAs(t, as(officer(scopeTown), h), `{ t: coverageStats { total { organizations } } }`, nil)
	b := askAs(t, as(officer(scopePark), h), `{ t: coverageStats { total { organizations } } }`, nil)
	if x, y, z := numberAt(t, d, "t", "total", "organizations"), numberAt(t, a, "t", "total", "organizations"), numberAt(t, b, "t", "total", "organizations"); x != y+z {
		t.Errorf("coverage of both: %d organisations, of the town %d and of the park %d (they share none)", x, y, z)
	}
}

// TestAnOfficerWithoutAreasSeesNothing: a token of an officer without areas is refused;
// and should such a principal reach the resolvers, a scope of no area holds nothing, and
// every answer is empty rather than an error.
func TestAnOfficerWithoutAreasSeesNothing(t *testing.T) {
	if rec := serveAs(t, as(officer(), api(t)), `{ rules { goldFloor } }`); rec.Code != http.StatusUnauthorized {
		t.Errorf("an officer of no area: status %d, want 401", rec.Code)
	}
	m := neo4jtest.Main(t)
	hh := inContext(officer(), server.GraphQL(m.Resolvers, slog.New(slog.DiscardHandler), nil, server.PersistedQueries{}))
	d := askAs(t, hh, `{ organizations { totalCount nodes { id } } partyOrganizations { totalCount } people { totalCount }
		coverageStats { total { organizations } } network { islandCount provenance { nodes } } areas { id } alliances { id }
		grading(round: "2023-05") { evaluated } }`, nil)
	if ids := idsIn(d); len(ids) > 0 {
		t.Errorf("an officer of no area sees %v", ids)
	}
	for _, path := range [][]string{{"organizations", "totalCount"}, {"partyOrganizations", "totalCount"}, {"people", "totalCount"},
		{"coverageStats", "total", "organizations"}, {"network", "islandCount"}, {"grading", "evaluated"}} {
		if n := numberAt(t, d, path...); n != 0 {
			t.Errorf("%s: %d, want 0", strings.Join(path, "."), n)
		}
	}
}

// TestAnAdminsAnswersAreThoseOfNoPrincipal: admins and analysts are not narrowed; their
// answers to every operation are those of a request without a principal (which the golden
// responses hold), but for the personal data masked for analysts.
func TestAnAdminsAnswersAreThoseOfNoPrincipal(t *testing.T) {
	h := api(t)
	o := newScopeOracle(t, scopeTown)
	vars := scopeVars(o)
	for _, name := range slices.Sorted(maps.Keys(scopeOperations)) {
		q := scopeOperations[name]
		want := post(t, h, q, vars)
		for _, p := range []*auth.Principal{{Subject: "admin", Role: auth.Admin}, {Subject: "analyst", Role: auth.Analyst}} {
			if name == "people and person" && !p.PersonalData() {
				continue // names masked, gender and birth year absent (roles_test.go)
			}
			got := post(t, as(p, h), q, vars)
			a, _ := json.Marshal(want)
			b, _ := json.Marshal(got)
			if string(a) != string(b) {
				t.Errorf("%s as %s differs from the answer without a principal", name, p.Role)
			}
		}
	}
}
