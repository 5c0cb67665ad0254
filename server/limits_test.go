package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cobuild"
	"cobuild/limits"
	"cobuild/neo4jtest"
)

// repeated returns n copies of format, each given its index.
func repeated(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// jsonBody is the POST body of a GraphQL request.
func jsonBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

// limitAnswer is what the handler said to one request.
type limitAnswer struct {
	status int
	size   int
	body   string
	resp   response
	// statements is the Cypher statements the store sent while answering.
	statements int64
}

func sendLimited(t *testing.T, h http.Handler, req *http.Request) limitAnswer {
	t.Helper()
	s := neo4jtest.Store(t)
	neo4jtest.Authorize(t, req)
	before := s.Queries()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := limitAnswer{status: rec.Code, size: rec.Body.Len(), body: rec.Body.String(), statements: s.Queries() - before}
	if err := json.Unmarshal(rec.Body.Bytes(), &a.resp); err != nil {
		t.Fatalf("the limitAnswer is not JSON (status %d): %.300s", rec.Code, rec.Body.String())
	}
	return a
}

func postRaw(body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestAttacksAreRefusedBeforeAnythingRuns sends each request that took the server down
// before it had limits, and some smaller ones that pass one limit and meet the next: each
// must be answered by one small LIMIT_EXCEEDED error naming the limit, with no data and
// without a single Cypher statement sent.
func TestAttacksAreRefusedBeforeAnythingRuns(t *testing.T) {
	h := api(t)
	tiers := make([]any, 10_000)
	for i := range tiers {
		tiers[i] = []string{"GOLD", "SILVER", "BRONZE", "WEAK"}[i%4]
	}
	nested := func(levels int) string {
		return strings.Repeat("organizations(first: 500) { nodes { area { ", levels-1) + "organizations(first: 500) { nodes { id name } }" +
			strings.Repeat(" } } }", levels-1)
	}
	tests := []struct {
		name  string
		req   *http.Request
		limit string
	}{
		{"3,000 aliases of organization (132 KB)",
			postRaw(jsonBody("{"+repeated(3000, ` o%[1]d: organization(id: "og-%06[1]d") { id name kind }`)+" }", nil)), limits.LimitTokens},
		{"1,000 aliases of organization (44 KB)",
			postRaw(jsonBody("{"+repeated(1000, ` o%[1]d: organization(id: "og-%06[1]d") { id }`)+" }", nil)), limits.LimitTokens},
		{"150 aliases, within the tokens",
			postRaw(jsonBody("{"+repeated(150, ` o%[1]d: organization(id: "og-%06[1]d") { id }`)+" }", nil)), limits.LimitAliases},
		{"300 look-ups under one name, within the tokens",
			postRaw(jsonBody("{"+repeated(300, ` organization(id: "og-%06d") { id }`)+" }", nil)), limits.LimitFields},
		{"a million repeated fields (10 MB)",
			postRaw(jsonBody("{ rules {"+strings.Repeat(" goldFloor", 1_000_000)+" } }", nil)), limits.LimitBodyBytes},
		{"100,000 repeated fields, within the body",
			postRaw(jsonBody("{ rules {"+strings.Repeat(" goldFloor", 100_000)+" } }", nil)), limits.LimitTokens},
		{"600 repeated fields, within the tokens",
			postRaw(jsonBody("{ rules {"+strings.Repeat(" goldFloor", 600)+" } }", nil)), limits.LimitFields},
		{"a 10 MB body of anything",
			postRaw(bytes.Repeat([]byte("x"), 10<<20)), limits.LimitBodyBytes},
		{"a GET of 2 MB",
			httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape("{ rules {"+strings.Repeat(" goldFloor", 200_000)+" } }"), nil), limits.LimitBodyBytes},
		{"connections nested 5 levels, 500 rows each (267 bytes)",
			postRaw(jsonBody("{ "+nested(5)+" }", nil)), limits.LimitDepth},
		{"connections nested 4 levels, within the depth",
			postRaw(jsonBody("{ "+nested(4)+" }", nil)), limits.LimitCost},
		{"connections nested through variables",
			postRaw(jsonBody(`query($n: Int) { organizations(first: $n) { nodes { area { organizations(first: $n) { nodes { area { organizations(first: $n) { nodes { id } } } } } } } } }`,
				map[string]any{"n": 500})), limits.LimitCost},
		{"an ego network of 5,000 nodes, each with its alliances' members",
			postRaw(jsonBody(`{ egoNetwork(id: "al-000002", hops: 4, maxNodes: 5000) { nodes { node { node { ... on Organization { name
				memberships { hub { ... on Alliance { memberships { organization { name } } } } } } } } } } }`, nil)), limits.LimitCost},
		{"a tier filter of 10,000 values in a variable",
			postRaw(jsonBody(`query($t: [Tier!]) { evaluations(where: {tier: $t}) { totalCount } }`, map[string]any{"t": tiers})), limits.LimitListLength},
		{"a tier filter of 10,000 values written out (50 KB)",
			postRaw(jsonBody(`{ evaluations(where: {tier: [`+strings.Repeat("GOLD ", 10_000)+`]}) { totalCount } }`, nil)), limits.LimitTokens},
		{"a tier filter of 101 values written out",
			postRaw(jsonBody(`{ evaluations(where: {tier: [`+strings.Repeat("GOLD ", 101)+`]}) { totalCount } }`, nil)), limits.LimitListLength},
		{"an id list of 101 in an input object's variable",
			postRaw(jsonBody(`query($w: OrganizationWhere) { organizations(where: $w) { totalCount } }`,
				map[string]any{"w": map[string]any{"kind": make([]string, 101)}})), limits.LimitListLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sendLimited(t, h, tt.req)
			if len(a.resp.Errors) != 1 {
				t.Fatalf("%d errors, want 1: %.500s", len(a.resp.Errors), a.body)
			}
			e := a.resp.Errors[0]
			if e.Extensions["code"] != cobuild.ELIMIT || e.Extensions["limit"] != tt.limit {
				t.Fatalf("answered %v %q; want %s of %s", e.Extensions, e.Message, cobuild.ELIMIT, tt.limit)
			}
			max, ok := e.Extensions["max"].(float64)
			if !ok {
				t.Errorf("extensions %v lack the maximum", e.Extensions)
			}
			if tt.limit == limits.LimitCost {
				if c, _ := e.Extensions["cost"].(float64); c <= max {
					t.Errorf("extensions %v: cost not above the maximum", e.Extensions)
				}
			}
			if !strings.Contains(e.Message, "。") || !strings.Contains(e.Message, "limit") {
				t.Errorf("message %q is not Chinese, then English", e.Message)
			}
			if a.size > 1024 {
				t.Errorf("limitAnswer of %d bytes; a refusal is small", a.size)
			}
			if d := string(a.resp.Data); d != "" && d != "null" {
				t.Errorf("data %s came back", d)
			}
			if a.statements != 0 {
				t.Errorf("%d Cypher statements were sent; nothing may run", a.statements)
			}
			if tt.limit == limits.LimitBodyBytes && a.status != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", a.status)
			}
		})
	}
}

// TestTheSameShapesWithinTheLimitsRun is the control of the attacks: the same kinds of
// request, within the limits, run and read Neo4j, so the test above cannot pass merely
// because nothing ever reaches the store.
func TestTheSameShapesWithinTheLimitsRun(t *testing.T) {
	h := api(t)
	for name, req := range map[string]*http.Request{
		"50 aliases of organization": postRaw(jsonBody("{"+repeated(50, ` o%[1]d: organization(id: "og-%06[1]d") { id }`)+" }", nil)),
		"connections nested twice, 20 rows each": postRaw(jsonBody(
			`{ organizations(first: 20) { nodes { area { organizations(first: 20) { nodes { id } } } } } }`, nil)),
		"a tier filter of 4 values in a variable": postRaw(jsonBody(`query($t: [Tier!]) { evaluations(where: {tier: $t}) { totalCount } }`,
			map[string]any{"t": []string{"GOLD", "SILVER", "BRONZE", "WEAK"}})),
	} {
		t.Run(name, func(t *testing.T) {
			a := sendLimited(t, h, req)
			if len(a.resp.Errors) > 0 || a.statements == 0 {
				t.Errorf("errors %v, %d statements; want data read from Neo4j", a.resp.Errors, a.statements)
			}
		})
	}
}

// TestValidationErrorsStayFew sends 100 look-ups of organization under one response name,
// within every limit: validation finds a conflict in each of their 4,950 pairs, and the
// limitAnswer lists ten and says that more were left out.
func TestValidationErrorsStayFew(t *testing.T) {
	h := api(t)
	a := sendLimited(t, h, postRaw(jsonBody("{"+repeated(100, ` organization(id: "og-%06d") { id }`)+" }", nil)))
	if n := len(a.resp.Errors); n != limits.Default.MaxErrors+1 {
		t.Fatalf("%d errors; want %d and one saying more were left out", n, limits.Default.MaxErrors)
	}
	if code := a.resp.Errors[0].Extensions["code"]; code != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("first error coded %v", code)
	}
	if last := a.resp.Errors[len(a.resp.Errors)-1]; last.Extensions["code"] != cobuild.ELIMIT || last.Extensions["limit"] != limits.LimitErrors {
		t.Errorf("last error %q %v", last.Message, last.Extensions)
	}
	if a.size > 8<<10 || a.statements != 0 {
		t.Errorf("limitAnswer of %d bytes after %d statements", a.size, a.statements)
	}
}

// TestABodyIsNeverEchoed sends bodies gqlgen cannot decode: the limitAnswer says so in a few
// words and quotes none of it.
func TestABodyIsNeverEchoed(t *testing.T) {
	h := api(t)
	secret := strings.Repeat("SECRET", 50_000)
	for name, body := range map[string]string{
		"not JSON":             "{" + secret,
		"JSON of another kind": `{"query": 5, "x": "` + secret + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			a := sendLimited(t, h, postRaw([]byte(body)))
			if strings.Contains(a.body, "SECRET") || a.size > 1024 {
				t.Errorf("limitAnswer of %d bytes echoes the body: %.200s", a.size, a.body)
			}
			if len(a.resp.Errors) != 1 || a.resp.Errors[0].Extensions["code"] != cobuild.EINVALID {
				t.Errorf("answered %s", a.body)
			}
		})
	}
}

func TestTheLimitsAreReportedByAQuery(t *testing.T) {
	h := api(t)
	var d struct {
		Limits struct {
			MaxBodyBytes, MaxTokens, MaxFields, MaxAliases, MaxDepth, MaxCost, MaxListLength, MaxErrors, PageSize, ListSize int
		}
	}
	data(t, h, `{ limits { maxBodyBytes maxTokens maxFields maxAliases maxDepth maxCost maxListLength maxErrors pageSize listSize } }`, nil, &d)
	l, want := d.Limits, limits.Default
	if int64(l.MaxBodyBytes) != want.MaxBodyBytes || l.MaxTokens != want.MaxTokens || l.MaxFields != want.MaxFields ||
		l.MaxAliases != want.MaxAliases || l.MaxDepth != want.MaxDepth || l.MaxCost != want.MaxCost ||
		l.MaxListLength != want.MaxListLength || l.MaxErrors != want.MaxErrors || l.PageSize != 50 || l.ListSize != want.ListSize {
		t.Errorf("limits %+v; want the defaults %+v", l, want)
	}
}
