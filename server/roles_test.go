package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
	"cobuild/auth"
	"cobuild/neo4jtest"
)

// viewerMay are the root fields a viewer reads, as the README's "Who may see what" says:
// reference data and aggregates. Written here, apart from auth.RootFields, so that a
// change of the policy shows as a failing test.
var viewerMay = []string{"enumLabels", "rules", "limits", "areas", "area", "industries", "industry", "rounds",
	"evaluationRounds", "evaluationRound", "coverageStats", "grading", "gradeMovement", "programs", "demonstration", "network", "importKinds", "viewer"}

// people are ids of the graph the samples need, read with Cypher.
type people struct {
	mentor, mentee, attendee string
}

func readPeople(t *testing.T) people {
	t.Helper()
	r, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t),
		`MATCH (a:Person)-[:MENTORS]->(b:Person) RETURN a.id AS a, b.id AS b ORDER BY a.id, b.id LIMIT 1`, nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil || len(r.Records) != 1 {
		t.Fatalf("read a mentor and mentee: %v", err)
	}
	a, _, _ := neo4j.GetRecordValue[string](r.Records[0], "a")
	b, _, _ := neo4j.GetRecordValue[string](r.Records[0], "b")
	r, err = neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t),
		`MATCH (p:Person)-[:ATTENDED]->(:Event) RETURN p.id AS p ORDER BY p.id LIMIT 1`, nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil || len(r.Records) != 1 {
		t.Fatalf("read a person who attended an event: %v", err)
	}
	e, _, _ := neo4j.GetRecordValue[string](r.Records[0], "p")
	return people{mentor: a, mentee: b, attendee: e}
}

// rootSamples is one operation per root field. Those a viewer may read select no record,
// so that a viewer's answer shows the root field's own policy.
func rootSamples(p people) map[string]string {
	return map[string]string{
		"node":               `{ node(id: "og-000019") { id } }`,
		"enumLabels":         `{ enumLabels(enum: "Tier") { value label } }`,
		"rules":              `{ rules { goldFloor } }`,
		"limits":             `{ limits { maxCost } }`,
		"coverageStats":      `{ coverageStats(by: [AREA], asOf: "2023-10-21") { total { operating coverageRate } groups { keys { label } operating } } }`,
		"grading":            `{ grading(round: "2023-05") { evaluated tiers { tier count } } }`,
		"gradeMovement":      `{ gradeMovement(from: "2022-11", to: "2023-05") { compared matrix { from to count } } }`,
		"programs":           `{ programs(asOf: "2023-10-21") { mentorCount recruits apprentices certification { reviewed certified } } }`,
		"demonstration":      `{ demonstration(asOf: "2023-10-21", round: "2023-05") { sites { label count } } }`,
		"alliances":          `{ alliances { id name } }`,
		"alliance":           `{ alliance(name: "民办医院党建联盟") { id name } }`,
		"agreements":         `{ agreements { id } }`,
		"redZones":           `{ redZones { id } }`,
		"demoBelts":          `{ demoBelts { id } }`,
		"demoSites":          `{ demoSites { id } }`,
		"brands":             `{ brands { id } }`,
		"events":             `{ events(first: 3) { totalCount nodes { id } } }`,
		"network":            `{ network(asOf: "2023-10-21") { islandCount isolatedOrganizations } }`,
		"path":               `{ path(from: "og-000019", to: "og-000102", ties: [MEMBER_OF], limit: 1) { found hops } }`,
		"egoNetwork":         `{ egoNetwork(id: "al-000002", hops: 1, maxNodes: 20) { truncated } }`,
		"whatIf":             `{ whatIf(remove: "al-000002") { islandsBefore islandsAfter } }`,
		"coverageCandidates": `{ coverageCandidates(organization: "og-000102", first: 2) { candidates { rank } } }`,
		"organization":       `{ organization(name: "宣城仁杰医院") { id name } }`,
		"organizations":      `{ organizations(first: 3) { totalCount nodes { id } } }`,
		"partyOrganization":  `{ partyOrganization(id: "po-000001") { id } }`,
		"partyOrganizations": `{ partyOrganizations(first: 3) { nodes { id } } }`,
		"rounds":             `{ rounds { round evaluated } }`,
		"importKinds":        `{ importKinds { name columns { header } } }`,
		"viewer":             `{ viewer { subject role canImport } }`,
		"evaluations":        `{ evaluations(first: 3) { nodes { id score } } }`,
		"person":             fmt.Sprintf(`{ person(id: %q) { id name } }`, p.mentor),
		"people":             `{ people(first: 3) { nodes { id name } } }`,
		"certifications":     `{ certifications(first: 3) { nodes { id status } } }`,
		"massBranches":       `{ massBranches(first: 3) { nodes { id kind } } }`,
		"area":               `{ area(id: "ar-000008") { id name kind } }`,
		"areas":              `{ areas(inDistrict: true) { id name } }`,
		"industry":           `{ industry(name: "批发零售") { id name } }`,
		"industries":         `{ industries(leading: true) { id name } }`,
		"changes":            `{ changes(first: 3) { nodes { seq operation } pageInfo { hasNextPage } } }`,
		"history":            `{ history(id: "og-000019", first: 3) { seq operation } }`,
		"evaluationRounds":   `{ evaluationRounds { round status evaluated } }`,
		"evaluationRound":    `{ evaluationRound(round: "2023-05") { status toEvaluate missingCount } }`,
		"weakList":           `{ weakList(round: "2023-05") { rectification evaluation { score } } }`,
		"promotionPlans":     `{ promotionPlans(round: "2023-05", first: 3) { evaluation { score } nextStar { points } } }`,
	}
}

// rootFields are the root fields of the schema, read by introspection.
func rootFields(t *testing.T, h http.Handler) []string {
	t.Helper()
	var d struct {
		Schema struct {
			QueryType struct{ Fields []struct{ Name string } }
		} `json:"__schema"`
	}
	data(t, h, `{ __schema { queryType { fields { name } } } }`, nil, &d)
	var out []string
	for _, f := range d.Schema.QueryType.Fields {
		out = append(out, f.Name)
	}
	sort.Strings(out)
	return out
}

// caller is one of the matrix's callers: a role's token, or a token that is refused.
type caller struct {
	name   string
	header string    // the Authorization header; "" for none
	role   auth.Role // "" for a refused token
	reason string    // why it is refused
}

func callers(t *testing.T) []caller {
	expired, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "late", "role": "admin",
		"exp": time.Now().Add(-time.Minute).Unix()}).SignedString(neo4jtest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := auth.Signer{Secret: []byte("not the key of this server, 32 bytes+")}.Sign(auth.Principal{Subject: "x", Role: auth.Admin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cs := []caller{
		{name: "no token", reason: auth.ReasonMissing},
		{name: "a bad token", header: "Bearer eyJhbGciOi.bad.token", reason: auth.ReasonMalformed},
		{name: "an expired token", header: "Bearer " + expired, reason: auth.ReasonExpired},
		{name: "a token of another key", header: "Bearer " + otherKey, reason: auth.ReasonSignature},
	}
	for _, r := range auth.Roles {
		var areas []string
		if r == auth.Officer {
			// The samples' organisations and alliance lie in 澄江街道; an officer sees
			// nothing outside their areas (scope_test.go).
			areas = []string{"ar-000002", neo4jtest.OfficerArea}
		}
		cs = append(cs, caller{name: string(r), header: "Bearer " + neo4jtest.Token(t, r, areas...), role: r})
	}
	return cs
}

// ask sends one operation as a caller and returns the status and decoded body.
func ask(t *testing.T, h http.Handler, header, query string, vars map[string]any) (int, response, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", rec.Code, rec.Body.String())
	}
	return rec.Code, r, rec.Body.String()
}

func errorCodeOf(r response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// TestEveryRoleAgainstEveryRootField runs every caller against every root field of the
// schema: the refused tokens get 401 UNAUTHENTICATED, each role what the policy gives it,
// FORBIDDEN otherwise. A root field without a policy or a sample fails here.
func TestEveryRoleAgainstEveryRootField(t *testing.T) {
	h := api(t)
	fields := rootFields(t, h)
	samples := rootSamples(readPeople(t))
	if len(fields) < 30 {
		t.Fatalf("introspection found %d root fields: %v", len(fields), fields)
	}
	for _, f := range fields {
		if _, ok := auth.RootFields[f]; !ok {
			t.Errorf("root field %s has no line in auth.RootFields, so every role is refused it", f)
		}
		if samples[f] == "" {
			t.Errorf("root field %s has no sample operation in rootSamples", f)
		}
	}
	for f := range auth.RootFields {
		if !slices.Contains(fields, f) {
			t.Errorf("auth.RootFields names %s, which the schema does not have", f)
		}
	}
	for _, c := range callers(t) {
		t.Run(c.name, func(t *testing.T) {
			who := &auth.Principal{Role: c.role}
			for _, f := range fields {
				q := samples[f]
				if q == "" {
					continue
				}
				status, r, body := ask(t, h, c.header, q, nil)
				code := errorCodeOf(r)
				if len(r.Errors) == 0 {
					// What the cases below read of a refusal is empty then.
					r.Errors = []gqlError{{}}
					if c.role != "" && (c.role != auth.Viewer || slices.Contains(viewerMay, f)) {
						r.Errors = nil
					}
				}
				switch {
				case c.role == "":
					reason, _ := r.Errors[0].Extensions["reason"].(string)
					if status != http.StatusUnauthorized || code != cobuild.EUNAUTHENTICATED || reason != c.reason {
						t.Errorf("%s: status %d, code %q, reason %q; want 401 UNAUTHENTICATED, %s", f, status, code, reason, c.reason)
					}
				case c.role != auth.Viewer || slices.Contains(viewerMay, f):
					if !who.MayRead(f) {
						t.Errorf("%s: auth.RootFields refuses it to %s, but it is theirs", f, c.role)
					}
					if status != http.StatusOK || len(r.Errors) > 0 {
						t.Errorf("%s: status %d, errors %+v; want an answer", f, status, r.Errors)
					}
				default:
					if who.MayRead(f) {
						t.Errorf("%s: auth.RootFields gives it to %s, but it is not theirs", f, c.role)
					}
					field, _ := r.Errors[0].Extensions["field"].(string)
					if code != cobuild.EFORBIDDEN || field != "Query."+f || !bytes.Equal(bytes.TrimSpace(r.Data), []byte("null")) && len(r.Data) > 0 {
						t.Errorf("%s: code %q, field %q, data %s; want FORBIDDEN naming Query.%s and no data", f, code, field, r.Data, f)
					}
					if msg := r.Errors[0].Message; !strings.Contains(msg, "无权") || !strings.Contains(msg, "may not read") {
						t.Errorf("%s: message %q is not in Chinese, then English", f, msg)
					}
				}
				if t.Failed() && testing.Verbose() {
					t.Logf("%s answered %s", f, body)
				}
			}
		})
	}
}

// TestViewerNamesTheCaller: each role's token reads back its subject, role and areas, and
// only an admin's may import (the dashboard's import panel shows or disables itself by it).
func TestViewerNamesTheCaller(t *testing.T) {
	h := api(t)
	for _, r := range auth.Roles {
		var areas []string
		if r == auth.Officer {
			areas = []string{neo4jtest.OfficerArea}
		}
		_, resp, body := ask(t, h, "Bearer "+neo4jtest.Token(t, r, areas...), `{ viewer { subject role areaIds canImport } }`, nil)
		var d struct {
			Viewer struct {
				Subject, Role string
				AreaIds       []string
				CanImport     bool
			}
		}
		if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &d) != nil {
			t.Errorf("%s: %s", r, body)
			continue
		}
		v := d.Viewer
		if v.Subject != "test:"+string(r) || v.Role != strings.ToUpper(string(r)) || !slices.Equal(v.AreaIds, append([]string{}, areas...)) || v.CanImport != (r == auth.Admin) {
			t.Errorf("%s: viewer %+v, want subject test:%s, role %s, areas %v, canImport %v", r, v, r, strings.ToUpper(string(r)), areas, r == auth.Admin)
		}
	}
}

// TestAViewerReachesNoRecordThroughAnAggregate asks a viewer for records below root fields
// they may read, directly, in fragments and in inline fragments: each operation is
// refused whole, naming the field, before anything runs.
func TestAViewerReachesNoRecordThroughAnAggregate(t *testing.T) {
	h := api(t)
	viewer := "Bearer " + neo4jtest.Token(t, auth.Viewer)
	for _, tc := range []struct{ name, query, field string }{
		{"an area's organisations", `{ area(id: "ar-000008") { name organizations(first: 5) { totalCount nodes { name } } } }`, "area.organizations.nodes"},
		{"an industry's organisations as edges", `{ industry(name: "批发零售") { organizations { edges { node { id } } } } }`, "industry.organizations.edges.node"},
		{"the party organisations near the next tier", `{ grading(round: "2023-05") { nearNext(points: 1) { score } } }`, "grading.nearNext"},
		{"the weak of two rounds", `{ grading(round: "2023-05") { evaluated weakTwoRounds { name } } }`, "grading.weakTwoRounds"},
		{"those who fell a tier", `{ gradeMovement(from: "2022-11", to: "2023-05") { fell { partyOrganization { name } } } }`, "gradeMovement.fell.partyOrganization"},
		{"mentors, in a named fragment", `query { ...P } fragment P on Query { programs { mentors { mentor { name } } } }`, "programs.mentors.mentor"},
		{"mentors, in an inline fragment", `{ ... on Query { programs { mentors { mentees } } } programs { mentors { ... on MentorLoad { mentor { id } } } } }`, "programs.mentors.mentor"},
		{"a fragment spread deep down", `{ demonstration(round: "2023-05") { leadingIndustries { ...L } } } fragment L on LeadingIndustry { inNeither { name } }`, "demonstration.leadingIndustries.inNeither"},
		{"the network's brokers", `{ network { islandCount brokers(first: 3) { node { name } } } }`, "network.brokers.node"},
		{"an island's members", `{ network { islands(first: 1) { size members { id } } } }`, "network.islands.members"},
		{"the organisations far from coverage", `{ network { farFromCoverage(hops: 2) { totalCount organizations { name } } } }`, "network.farFromCoverage.organizations"},
		{"a field of a record's type after an allowed one", `{ rules { goldFloor } alliances { name } }`, "Query.alliances"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r, _ := ask(t, h, viewer, tc.query, nil)
			if len(r.Errors) == 0 {
				t.Fatalf("answered %s; want FORBIDDEN for %s", r.Data, tc.field)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); errorCodeOf(r) != cobuild.EFORBIDDEN || f != tc.field {
				t.Errorf("code %q, field %q; want FORBIDDEN for %s", errorCodeOf(r), f, tc.field)
			}
			if len(r.Data) > 0 && string(r.Data) != "null" {
				t.Errorf("data %s with the refusal; want none: it is refused before anything runs", r.Data)
			}
		})
	}
	// What is not a record stays open: counts of an area's organisations, introspection.
	for _, q := range []string{
		`{ area(id: "ar-000008") { name organizations { totalCount } } }`,
		`{ programs { mentors(first: 3) { mentees menteeTiers { tier count } } } }`,
		`{ __schema { queryType { name } } __type(name: "Person") { fields { name } } __typename }`,
	} {
		if _, r, _ := ask(t, h, viewer, q, nil); len(r.Errors) > 0 {
			t.Errorf("viewer refused %s: %+v", q, r.Errors)
		}
	}
}

// personNames reads the names of the people of the graph, less those found inside the name
// of something that is not a person (which an answer may hold for that reason).
func personNames(t *testing.T) []string {
	t.Helper()
	read := func(cypher string) []string {
		r, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, rec := range r.Records {
			if s, isNil, _ := neo4j.GetRecordValue[string](rec, "name"); !isNil && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	others := strings.Join(read(`MATCH (n) WHERE NOT n:Person AND n.name IS NOT NULL RETURN DISTINCT n.name AS name`), "\n")
	var names []string
	for _, n := range read(`MATCH (p:Person) WHERE p.name IS NOT NULL RETURN DISTINCT p.name AS name`) {
		if !strings.Contains(others, n) {
			names = append(names, n)
		}
	}
	if len(names) < 1000 {
		t.Fatalf("only %d names of people read from the graph", len(names))
	}
	return names
}

// personalQueries reach people by every road: lists, look-ups, mentors, certifications,
// branches, organisations' people, the network's nodes, paths and what-if.
func personalQueries(p people) []string {
	return []string{
		`{ people(first: 500) { edges { cursor node { id name gender birthYear partyMember } } pageInfo { endCursor } } }`,
		`{ people(where: {role: [MENTOR]}, first: 100) { nodes { name gender birthYear partyMember mentees { mentee { name } } } } }`,
		fmt.Sprintf(`{ person(id: %q) { name gender birthYear partyMember mentors { mentor { name } } } node(id: %q) { ... on Person { name birthYear } } }`, p.mentee, p.mentor),
		`{ programs(asOf: "2023-10-21") { mentors(first: 50) { mentor { name gender birthYear partyMember } } } }`,
		`{ certifications(first: 400) { nodes { holder { name gender birthYear partyMember } } } }`,
		`{ massBranches(first: 200) { nodes { recommended { name partyMember } } } }`,
		`{ organizations(first: 200, sort: {field: TIES, direction: DESC}) { nodes { people { person { name gender } } } } }`,
		fmt.Sprintf(`{ person(id: %q) { events { attendedBy { ... on Person { name } } heldBy { ... on Person { name } } } } }`, p.attendee),
		`{ network { degreeRanking(first: 50, label: "Person") { node { name label node { ... on Person { name } } } } } }`,
		fmt.Sprintf(`{ egoNetwork(id: %q, hops: 2, maxNodes: 300) { centre { name } nodes { node { name label } } } }`, p.mentor),
		fmt.Sprintf(`{ path(from: %q, to: %q, limit: 3) { found explanation paths { sentence nodes { name } steps { sentence from { name } to { name } } } } }`, p.mentor, p.mentee),
		fmt.Sprintf(`{ whatIf(remove: %q) { name newlyIsolated { name } } }`, p.mentor),
	}
}

// leaks returns the names of people found in an answer, and in its cursors decoded.
func leaks(body string, names []string) []string {
	text := body
	for _, m := range regexp.MustCompile(`"(?:cursor|endCursor|startCursor)":"([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if b, err := base64.RawURLEncoding.DecodeString(m[1]); err == nil {
			text += "\n" + string(b)
		}
	}
	var found []string
	for _, n := range names {
		if strings.Contains(text, n) {
			found = append(found, n)
		}
	}
	return found
}

// TestNoPersonalDataReachesAnalystsOrViewers asks for people by every road as an admin,
// who sees their names (so that the search below can find them), and as an analyst, whose
// answers hold no name of a person of the graph, cursors included, and null for gender,
// birth year and party membership; a viewer's answers to every root field they read hold
// no name either.
func TestNoPersonalDataReachesAnalystsOrViewers(t *testing.T) {
	h := api(t)
	names := personNames(t)
	p := readPeople(t)
	admin, analyst := "Bearer "+neo4jtest.Token(t, auth.Admin), "Bearer "+neo4jtest.Token(t, auth.Analyst)
	masked := regexp.MustCompile(`^\p{Han}{1,2}\*\*$`)
	for i, q := range personalQueries(p) {
		_, r, body := ask(t, h, admin, q, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("query %d as admin: %+v\n%s", i, r.Errors, q)
		}
		if len(leaks(body, names)) == 0 {
			t.Errorf("query %d as admin shows no name of a person: it does not reach people, or the search is broken\n%s", i, q)
		}
		_, r, body = ask(t, h, analyst, q, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("query %d as analyst: %+v\n%s", i, r.Errors, q)
		}
		if found := leaks(body, names); len(found) > 0 {
			t.Errorf("query %d as analyst shows %d names of people, such as %s\n%s", i, len(found), found[0], q)
		}
		var v any
		json.Unmarshal(r.Data, &v)
		walkPeople(v, func(obj map[string]any) {
			for _, k := range []string{"gender", "birthYear", "partyMember"} {
				if val, ok := obj[k]; ok && val != nil {
					t.Errorf("query %d as analyst: %s is %v, want null", i, k, val)
				}
			}
			if name, ok := obj["name"].(string); ok && !masked.MatchString(name) {
				t.Errorf("query %d as analyst: a person's name shows as %q, want the family name and **", i, name)
			}
		})
	}
	// A name filter would tell names; their list is in id order, whose cursors hold ids.
	_, r, _ := ask(t, h, analyst, `{ people(where: {nameContains: "王"}) { totalCount } }`, nil)
	if errorCodeOf(r) != cobuild.EFORBIDDEN {
		t.Errorf("people by a part of the name, as analyst: %+v, want FORBIDDEN", r.Errors)
	}
	var page struct {
		People struct{ Nodes []struct{ ID string } }
	}
	_, r, _ = ask(t, h, analyst, `{ people(first: 50) { nodes { id } } }`, nil)
	json.Unmarshal(r.Data, &page)
	ids := make([]string, len(page.People.Nodes))
	for i, n := range page.People.Nodes {
		ids[i] = n.ID
	}
	if len(ids) != 50 || !slices.IsSorted(ids) {
		t.Errorf("people as analyst: %d rows, in id order %v", len(ids), slices.IsSorted(ids))
	}
	// A viewer reads aggregates only: none of their answers names a person.
	viewer := "Bearer " + neo4jtest.Token(t, auth.Viewer)
	samples := rootSamples(p)
	for _, f := range viewerMay {
		_, r, body := ask(t, h, viewer, samples[f], nil)
		if len(r.Errors) > 0 {
			t.Errorf("%s as viewer: %+v", f, r.Errors)
		}
		if found := leaks(body, names); len(found) > 0 {
			t.Errorf("%s as viewer shows the name %s", f, found[0])
		}
	}
	_, _, body := ask(t, h, viewer, `{ programs { mentorCount instructorMentors mentors(first: 50) { mentees menteeTiers { tier count } } } }`, nil)
	if found := leaks(body, names); len(found) > 0 {
		t.Errorf("programs as viewer shows the name %s", found[0])
	}
}

// walkPeople calls f with every object of a decoded answer that is a person: one with an
// id of a person (pe-), or a node of the network labelled Person.
func walkPeople(v any, f func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		id, _ := v["id"].(string)
		if strings.HasPrefix(id, "pe-") || v["label"] == "Person" {
			f(v)
		}
		for _, c := range v {
			walkPeople(c, f)
		}
	case []any:
		for _, c := range v {
			walkPeople(c, f)
		}
	}
}
