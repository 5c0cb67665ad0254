package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cobuild/auth"
	"cobuild/metrics"
	"cobuild/neo4jtest"
	"cobuild/server"
)

// opsHandler is the handler over the test Neo4j with metrics and a rate of its own.
func opsHandler(t *testing.T, rate server.RateLimit) (http.Handler, *metrics.Metrics) {
	m := neo4jtest.Main(t)
	reg := metrics.New()
	reg.Counter("cobuild_neo4j_statements_total", "statements", func() float64 { return float64(m.Store.Queries()) })
	h := server.Handler(server.Config{Resolvers: m.Resolvers, Ready: m.Ready, Logger: slog.New(slog.DiscardHandler),
		Metrics: reg, Rate: rate, Auth: m.Verifier})
	return h, reg
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// gqlRequest is a request of a client, named by the token's subject (tokens of
// different roles have different subjects).
func gqlRequest(t *testing.T, query string, role auth.Role) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(`{"query":`+quote(query)+`}`)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+neo4jtest.Token(t, role))
	return req
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// TestRateLimitPerClient: a client past its burst gets 429 RATE_LIMITED with Retry-After,
// while another client is still answered.
func TestRateLimitPerClient(t *testing.T) {
	h, _ := opsHandler(t, server.RateLimit{Rate: 0.01, Burst: 3})
	q := `{ rules { goldFloor } }`
	for i := range 3 {
		if rec := serve(h, gqlRequest(t, q, auth.Analyst)); rec.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d %s", i, rec.Code, rec.Body)
		}
	}
	rec := serve(h, gqlRequest(t, q, auth.Analyst))
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), `"RATE_LIMITED"`) || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("past the burst: %d %q Retry-After %q, want 429 RATE_LIMITED", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
	if rec := serve(h, gqlRequest(t, q, auth.Viewer)); rec.Code != http.StatusOK {
		t.Fatalf("another client: %d %s", rec.Code, rec.Body)
	}
}

// TestMetrics: an operation is counted by its name and code, the statements it sent and
// the refusals are too, and only admins read them.
func TestMetrics(t *testing.T) {
	h, _ := opsHandler(t, server.RateLimit{Rate: 0.01, Burst: 3})
	for _, q := range []string{`query Firms { organizations(first: 2) { nodes { id } } }`, `query Firms { organizations(first: 2) { nodes { id } } }`,
		`query Bad { organizations(first: 0) { nodes { id } } }`, `query Firms { organizations(first: 2) { nodes { id } } }`} {
		serve(h, gqlRequest(t, q, auth.Admin))
	}
	metricsReq := func(role auth.Role) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if role != "" {
			req.Header.Set("Authorization", "Bearer "+neo4jtest.Token(t, role))
		}
		return serve(h, req)
	}
	rec := metricsReq(auth.Admin)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics as admin: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`cobuild_graphql_operations_total{code="OK",operation="Firms"} 2`,
		`cobuild_graphql_operations_total{code="BAD_USER_INPUT",operation="Bad"}`,
		`cobuild_graphql_operation_seconds_count{operation="Firms"} 2`,
		`cobuild_refusals_total{reason="rate"} 1`,
		`cobuild_http_requests_total{route="/graphql",status="429"} 1`,
		`cobuild_neo4j_statements_total`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s\n%s", want, grepLines(body, "cobuild_"))
		}
	}
	if rec := metricsReq(auth.Viewer); rec.Code != http.StatusForbidden {
		t.Errorf("/metrics as a viewer: %d, want 403", rec.Code)
	}
	if rec := metricsReq(""); rec.Code == http.StatusOK {
		t.Errorf("/metrics without a token: %d, want no answer", rec.Code)
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
