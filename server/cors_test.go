package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cobuild/auth"
	"cobuild/neo4jtest"
	"cobuild/resolvers"
	"cobuild/server"
)

// bare is the whole HTTP handler with no store: enough for CORS preflight requests, which
// never reach GraphQL, and for operations that read nothing.
func bare(origins ...string) http.Handler {
	v, err := auth.NewVerifier(context.Background(), auth.Config{Secret: neo4jtest.Secret})
	if err != nil {
		panic(err)
	}
	return server.Handler(server.Config{Resolvers: resolvers.New(resolvers.Config{}), Logger: slog.New(slog.DiscardHandler), CORSOrigins: origins, Auth: v})
}

func preflight(h http.Handler, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", http.MethodPost)
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCORSAllowsOnlyTheConfiguredOrigins(t *testing.T) {
	const listed, other = "https://dash.example.org", "https://elsewhere.example.com"
	h := bare(listed, "http://127.0.0.1:5173")
	rec := preflight(h, listed)
	if rec.Code >= 300 || rec.Header().Get("Access-Control-Allow-Origin") != listed {
		t.Errorf("preflight from %s: status %d, Allow-Origin %q; want 2xx naming the origin", listed, rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	if m := rec.Header().Get("Access-Control-Allow-Methods"); !strings.Contains(m, http.MethodPost) {
		t.Errorf("preflight from %s: Allow-Methods %q lacks POST", listed, m)
	}
	if got := preflight(h, other).Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("preflight from an unlisted origin: Allow-Origin %q, want none", got)
	}
	if got := preflight(bare(), listed).Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("preflight with no origins configured: Allow-Origin %q, want none", got)
	}
	// A plain request from a listed origin is answered with the origin named.
	req := neo4jtest.Authorize(t, httptest.NewRequest(http.MethodGet, "/graphql?query=%7B__typename%7D", nil))
	req.Header.Set("Origin", listed)
	simple := httptest.NewRecorder()
	h.ServeHTTP(simple, req)
	if simple.Header().Get("Access-Control-Allow-Origin") != listed || !strings.Contains(simple.Body.String(), "Query") {
		t.Errorf("GET /graphql from %s: Allow-Origin %q, body %s", listed, simple.Header().Get("Access-Control-Allow-Origin"), simple.Body.String())
	}
}

// A page of a listed origin may send files to import: its preflight asks for the
// GraphQL-Preflight header, and the multipart request's answer names the origin. A
// multipart request without the header is refused.
func TestCORSLetsListedOriginsUploadWithThePreflightHeader(t *testing.T) {
	const listed = "https://dash.example.org"
	h := bare(listed)
	req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	req.Header.Set("Origin", listed)
	req.Header.Set("Access-Control-Request-Method", http.MethodPost)
	req.Header.Set("Access-Control-Request-Headers", "authorization, graphql-preflight")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code >= 300 || rec.Header().Get("Access-Control-Allow-Origin") != listed ||
		!strings.Contains(strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")), "graphql-preflight") {
		t.Errorf("preflight of an upload: %d, Allow-Origin %q, Allow-Headers %q", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Get("Access-Control-Allow-Headers"))
	}
	upload := func(preflighted bool) *httptest.ResponseRecorder {
		req := neo4jtest.Authorize(t, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader("--x--\r\n")))
		req.Header.Set("Origin", listed)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		if preflighted {
			req.Header.Set("GraphQL-Preflight", "1")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := upload(false); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "GraphQL-Preflight") || rec.Header().Get("Access-Control-Allow-Origin") != listed {
		t.Errorf("an upload without the header: %d %q, Allow-Origin %q", rec.Code, rec.Body.String(), rec.Header().Get("Access-Control-Allow-Origin"))
	}
	if rec := upload(true); rec.Code == http.StatusBadRequest && strings.Contains(rec.Body.String(), "GraphQL-Preflight") || rec.Header().Get("Access-Control-Allow-Origin") != listed {
		t.Errorf("an upload with the header: %d %q, Allow-Origin %q", rec.Code, rec.Body.String(), rec.Header().Get("Access-Control-Allow-Origin"))
	}
}
