package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cobuild/auth"
	"cobuild/neo4jtest"
)

// FuzzGraphQLHandler sends anything to /graphql, as a POST body or as the query of a GET,
// through the whole production handler: it must never panic, and must always answer JSON,
// every error of which has a code; an answer without data is small. The seeds are the
// attacks of TestAttacksAreRefusedBeforeAnythingRuns, shortened, and what lies around
// them; `go test ./server -run '^$' -fuzz FuzzGraphQLHandler -fuzztime 1m` explores further.
func FuzzGraphQLHandler(f *testing.F) {
	h := api(f)
	seeds := []string{
		`{"query": "{ rules { goldFloor } }"}`,
		`{"query": "{` + strings.Repeat(` o1: organization(id: \"og-000001\") { id }`, 200) + `}"}`,
		`{"query": "{ rules {` + strings.Repeat(" goldFloor", 3000) + `} }"}`,
		`{"query": "{ organizations(first: 500) { nodes { area { organizations(first: 500) { nodes { area { organizations(first: 500) { nodes { id } } } } } } } } }"}`,
		`{"query": "query($t: [Tier!]) { evaluations(where: {tier: $t}) { totalCount } }", "variables": {"t": [` + strings.Repeat(`"GOLD",`, 200) + `"GOLD"]}}`,
		`{"query": "{ evaluations(where: {tier: [` + strings.Repeat("GOLD ", 200) + `]}) { totalCount } }"}`,
		`{"query": "{ rules { ...f } } fragment f on Rules { goldFloor ...f }"}`,
		`{"query": "{ rules { ...f0 } } fragment f0 on Rules { ...f1 ...f1 } fragment f1 on Rules { ...f2 ...f2 } fragment f2 on Rules { goldFloor }"}`,
		`{"query": "query($n: Int) { organizations(first: $n) { nodes { id } } }", "variables": {"n": 99999999999999999999}}`,
		`{"query": "{ organizations(first: 99999999999999999999) { nodes { id } } }"}`,
		`{"query": "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"}`,
		`{"query": 5}`,
		`{"query": "{ organizations(`,
		`{"query": "", "variables": []}`,
		`{"query": "mutation { x }"}`,
		`{"query": "{ limits { maxCost } }", "operationName": "nowhere"}`,
		`not json at all`,
		``,
		`{`,
		`null`,
	}
	for _, s := range seeds {
		f.Add(false, s)
	}
	f.Add(true, "{ rules { goldFloor } }")
	f.Add(true, "{ organizations(first: 500) { nodes { area { organizations(first: 500) { nodes { id } } } } } }")
	f.Add(true, "{"+strings.Repeat(" organization(id: \"og-000001\") { id }", 100)+"}")
	bearer := "Bearer " + neo4jtest.Token(f, auth.Admin)
	f.Fuzz(func(t *testing.T, get bool, payload string) {
		var req *http.Request
		if get {
			req = httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(payload), nil)
		} else {
			req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(payload)))
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", bearer)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var r struct {
			Data   json.RawMessage `json:"data"`
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("status %d, not JSON (%v): %.300s", rec.Code, err, rec.Body.String())
		}
		for _, e := range r.Errors {
			if code, _ := e.Extensions["code"].(string); code == "" {
				t.Errorf("status %d, an error without a code: %q", rec.Code, e.Message)
			}
		}
		if noData := len(r.Data) == 0 || string(r.Data) == "null"; noData && rec.Body.Len() > 16<<10 {
			t.Errorf("status %d, an answer without data of %d bytes", rec.Code, rec.Body.Len())
		}
		if len(r.Data) == 0 && len(r.Errors) == 0 {
			t.Errorf("status %d, neither data nor errors: %.300s", rec.Code, rec.Body.String())
		}
	})
}
