package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cobuild/auth"
	"cobuild/neo4jtest"
)

// The audit's folder, with its npm packages installed by `make test` (npm ci).
var auditDir = filepath.Join("..", "tools", "httpaudit")

// auditHeaders go with every request of the audits: an admin's token, as every caller of
// the API needs one.
func auditHeaders(t *testing.T) http.Header {
	return http.Header{"X-Cobuild-Audit": {"graphql-http"}, "Authorization": {"Bearer " + neo4jtest.Token(t, auth.Admin)}}
}

// TestGraphQLOverHTTPAudits runs every audit of graphql-http (tools/httpaudit) against
// /graphql of the whole handler over the test Neo4j, served on 127.0.0.1, and fails on any
// audit that is not ok: an error, a warning or a notice.
func TestGraphQLOverHTTPAudits(t *testing.T) {
	node, err := exec.LookPath("node")
	var missing []string
	if err != nil {
		missing = append(missing, "node (Node.js 20)")
	}
	if _, err := os.Stat(filepath.Join(auditDir, "node_modules", "graphql-http", "package.json")); err != nil {
		missing = append(missing, "tools/httpaudit/node_modules (run `npm ci --prefix tools/httpaudit`)")
	}
	if len(missing) > 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the GraphQL-over-HTTP audits cannot run; missing: %s", strings.Join(missing, ", "))
		}
		t.Skipf("GraphQL-over-HTTP audits skipped; missing: %s", strings.Join(missing, ", "))
	}

	// Every request must carry the headers given to the audit, or the audit did not send them.
	var requests, without atomic.Int64
	h := api(t)
	auditHeaders := auditHeaders(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		for name, values := range auditHeaders {
			if r.Header.Get(name) != values[0] {
				without.Add(1)
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	args := []string{filepath.Join(auditDir, "audit.mjs"), srv.URL + "/graphql"}
	for name, values := range auditHeaders {
		for _, v := range values {
			args = append(args, "--header", name+": "+v)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, args...).CombinedOutput()
	var failed []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if !strings.HasPrefix(line, "ok ") {
			failed = append(failed, line)
		}
	}
	if err != nil {
		t.Fatalf("the audits found what does not follow the GraphQL-over-HTTP spec (%v):\n%s", err, strings.Join(failed, "\n"))
	}
	t.Log(failed[len(failed)-1])
	if requests.Load() == 0 {
		t.Fatal("the audits sent no request")
	}
	if n := without.Load(); n > 0 {
		t.Errorf("%d of %d requests of the audits came without the headers %v", n, requests.Load(), auditHeaders)
	}
}

// TestRequestErrorsFollowTheSpec checks, without Node.js, what the audits check most: an
// operation that never ran has no data entry, and its status depends on what the client
// accepts.
func TestRequestErrorsFollowTheSpec(t *testing.T) {
	h := api(t)
	const graphqlJSON = "application/graphql-response+json"
	for _, tt := range []struct {
		name, body, accept string
		status             int
		data               bool // the response has a data entry
	}{
		{"a parse failure accepted as JSON is 200 without data", `{"query":"{"}`, "application/json", 200, false},
		{"a parse failure accepted as a GraphQL response is 400 without data", `{"query":"{"}`, graphqlJSON, 400, false},
		{"a validation failure accepted as JSON is 200 without data", `{"query":"{ noSuchField }"}`, "application/json", 200, false},
		{"a validation failure accepted as a GraphQL response is 400 without data", `{"query":"{ noSuchField }"}`, graphqlJSON, 400, false},
		{"a variable that cannot be coerced, accepted as JSON, is 200 without data", `{"query":"query($f: String!) { gradeMovement(from: $f, to: \"2023-05\") { compared } }","variables":{"f":null}}`, "application/json", 200, false},
		{"a request without a query is 400 without data", `{"qeury":"{ rules { goldFloor } }"}`, "application/json", 400, false},
		{"a request without a query is 400 as a GraphQL response too", `{"qeury":"{ rules { goldFloor } }"}`, graphqlJSON, 400, false},
		{"a body that is not JSON is 400 without data", `{"query":`, "application/json", 400, false},
		{"an operation that ran keeps its data", `{"query":"{ rules { goldFloor } }"}`, "application/json", 200, true},
		{"an operation that ran keeps its data as a GraphQL response", `{"query":"{ rules { goldFloor } }"}`, graphqlJSON, 200, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", tt.accept)
			neo4jtest.Authorize(t, req)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var body map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("response is not a JSON object (status %d): %s", rec.Code, rec.Body.String())
			}
			_, hasData := body["data"]
			if rec.Code != tt.status || hasData != tt.data {
				t.Errorf("status %d, data entry %v; want %d, %v\n%s", rec.Code, hasData, tt.status, tt.data, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.accept) {
				t.Errorf("Content-Type %q, want %s", ct, tt.accept)
			}
			if !tt.data && len(body["errors"]) < 3 {
				t.Errorf("a request error without errors: %s", rec.Body.String())
			}
		})
	}
}

// An operation that ran and failed at a non-null root field keeps "data": null: only a
// request that never ran loses its data entry.
func TestExecutedOperationKeepsNullData(t *testing.T) {
	h := api(t)
	q := url.Values{"query": {`{ path(from: "og-000019", to: "og-000102", maxHops: 13) { found } }`}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, neo4jtest.Authorize(t, httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)))
	var body map[string]json.RawMessage
	var errs []gqlError
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || json.Unmarshal(body["errors"], &errs) != nil {
		t.Fatalf("response is not JSON with errors: %s", rec.Body.String())
	}
	data, ok := body["data"]
	if rec.Code != http.StatusOK || !ok || string(data) != "null" || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("status %d, body %s; want 200, a BAD_USER_INPUT error and \"data\": null", rec.Code, rec.Body.String())
	}
}
