package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cobuild"
	"cobuild/neo4jtest"
	"cobuild/server"
)

// api is the whole HTTP handler over the test Neo4j, as the production wiring builds it.
func api(t testing.TB) http.Handler {
	t.Helper()
	return neo4jtest.Main(t).Handler()
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors,omitempty"`
}

// post sends one GraphQL operation and returns the decoded response.
func post(t testing.TB, h http.Handler, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := neo4jtest.Authorize(t, httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", rec.Code, rec.Body.String())
	}
	return r
}

// data runs an operation that must succeed and decodes its data into v.
func data(t testing.TB, h http.Handler, query string, vars map[string]any, v any) {
	t.Helper()
	r := post(t, h, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("query failed: %+v\n%s", r.Errors, query)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v\n%s", err, r.Data)
	}
}

// errorCode runs an operation that must fail and returns the code of its first error.
func errorCode(t testing.TB, h http.Handler, query string, vars map[string]any) (string, string) {
	t.Helper()
	r := post(t, h, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("expected an error, got data %s\n%s", r.Data, query)
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code, r.Errors[0].Message
}

func TestHealthReadinessAndGraphiQL(t *testing.T) {
	h := api(t)
	for _, tt := range []struct {
		path, want string
	}{
		{"/healthz", `"ok"`},
		{"/readyz", `"ready"`},
		{"/", "graphiql"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, neo4jtest.Authorize(t, httptest.NewRequest(http.MethodGet, tt.path, nil)))
		if rec.Code != http.StatusOK || !strings.Contains(strings.ToLower(rec.Body.String()), strings.ToLower(tt.want)) {
			t.Errorf("GET %s: status %d, body %.200s; want 200 containing %s", tt.path, rec.Code, rec.Body.String(), tt.want)
		}
	}
}

func TestReadinessFailsWhenNeo4jIsDown(t *testing.T) {
	h := server.Handler(server.Config{
		Ready:  func(context.Context) error { return cobuild.Errorf(cobuild.EUNAVAILABLE, "down") },
		Logger: slog.New(slog.DiscardHandler),
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz with Neo4j down: status %d, want 503", rec.Code)
	}
}

func TestGraphQLOverGET(t *testing.T) {
	h := api(t)
	req := neo4jtest.Authorize(t, httptest.NewRequest(http.MethodGet, `/graphql?query={industries(leading:true){name}}`, nil))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r struct {
		Data struct{ Industries []struct{ Name string } }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || len(r.Data.Industries) != 3 {
		t.Fatalf("GET /graphql: status %d body %s", rec.Code, rec.Body.String())
	}
}
