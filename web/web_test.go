package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cobuild/auth"
	"cobuild/neo4jtest"
	"cobuild/server"
	"cobuild/snapshot"
	"cobuild/web"
)

// bare is the whole HTTP handler with no store: enough for the dashboard's files and for
// CORS preflight requests, which never reach GraphQL. It accepts the test wiring's tokens.
func bare(origins ...string) http.Handler {
	v, err := auth.NewVerifier(context.Background(), auth.Config{Secret: neo4jtest.Secret})
	if err != nil {
		panic(err)
	}
	return server.Handler(server.Config{Logger: slog.New(slog.DiscardHandler), CORSOrigins: origins, Auth: v})
}

// get sends a signed-in GET request.
func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := neo4jtest.Authorize(t, httptest.NewRequest(http.MethodGet, path, nil))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// assets are the hashed files index.html loads.
func assets(t *testing.T, h http.Handler) []string {
	t.Helper()
	index := get(t, h, "/dashboard/").Body.String()
	found := regexp.MustCompile(`/dashboard/assets/[^"]+`).FindAllString(index, -1)
	if len(found) == 0 {
		t.Fatalf("index.html loads no assets:\n%s", index)
	}
	return found
}

func TestDashboardPageAtBothPaths(t *testing.T) {
	h := bare()
	for _, path := range []string{"/dashboard", "/dashboard/", "/dashboard/index.html", "/dashboard/some/view"} {
		rec := get(t, h, path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", path, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q, want text/html; charset=utf-8", path, ct)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache so that a new build shows at once", path, cc)
		}
		if !strings.Contains(rec.Body.String(), `<div id="app">`) || !strings.Contains(rec.Body.String(), `lang="zh-CN"`) {
			t.Errorf("GET %s: body is not the dashboard page: %.300s", path, rec.Body.String())
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q does not keep the page to its own origin", path, csp)
		}
	}
}

func TestGraphiQLAtTheRootAndAtGraphiQL(t *testing.T) {
	h := bare()
	for _, path := range []string{"/", "/graphiql"} {
		rec := get(t, h, path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", path, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q, want text/html; charset=utf-8", path, ct)
		}
		if !strings.Contains(rec.Body.String(), `<div id="graphiql">`) {
			t.Errorf("GET %s: body is not the GraphiQL page: %.300s", path, rec.Body.String())
		}
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "worker-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: Content-Security-Policy %q lacks %s", path, csp, want)
			}
		}
		if regexp.MustCompile(`https?:|wss?:|\*|'unsafe-eval'|blob:`).MatchString(csp) {
			t.Errorf("GET %s: Content-Security-Policy %q allows another origin, blobs or eval", path, csp)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") != "same-origin" {
			t.Errorf("GET %s: headers %v lack nosniff or the same-origin referrer policy", path, rec.Header())
		}
		// Every file the page loads is one of the build's, served beside the dashboard's.
		found := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(rec.Body.String(), -1)
		loaded := 0
		for _, m := range found {
			if strings.HasPrefix(m[1], "data:") {
				continue
			}
			loaded++
			if !strings.HasPrefix(m[1], "/dashboard/assets/") {
				t.Errorf("GET %s: the page loads %s, which is not a file of the build", path, m[1])
			} else if got := get(t, h, m[1]); got.Code != http.StatusOK {
				t.Errorf("GET %s: the page loads %s, which answers %d", path, m[1], got.Code)
			}
		}
		if loaded == 0 {
			t.Errorf("GET %s: the page loads no script", path)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, neo4jtest.Authorize(t, httptest.NewRequest(http.MethodPost, "/graphiql", strings.NewReader("x"))))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /graphiql: status %d, want 405", rec.Code)
	}
}

func TestDashboardAssetsAreTypedAndCachedForAYear(t *testing.T) {
	h := bare()
	for _, path := range assets(t, h) {
		rec := get(t, h, path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", path, rec.Code)
			continue
		}
		want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[filepath.Ext(path)]
		if ct := rec.Header().Get("Content-Type"); want != "" && ct != want {
			t.Errorf("GET %s: Content-Type %q, want %q", path, ct, want)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q, want a year, immutable", path, cc)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", path)
		}
	}
}

func TestDashboardAssetsAreGzippedForClientsThatAcceptIt(t *testing.T) {
	h := bare()
	for _, path := range assets(t, h) {
		plain := get(t, h, path)
		zipped := get(t, h, path, "Accept-Encoding", "gzip, deflate, br")
		if zipped.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s with Accept-Encoding gzip: not gzipped", path)
			continue
		}
		if !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: no Vary: Accept-Encoding", path)
		}
		zr, err := gzip.NewReader(zipped.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("GET %s: gzipped body differs from the plain one (err %v)", path, err)
		}
		if refused := get(t, h, path, "Accept-Encoding", "gzip;q=0"); refused.Header().Get("Content-Encoding") != "" {
			t.Errorf("GET %s with gzip;q=0: gzipped anyway", path)
		}
	}
}

func TestDashboardAnswersConditionalRequests(t *testing.T) {
	h := bare()
	first := get(t, h, "/dashboard/")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("index.html has no ETag")
	}
	if rec := get(t, h, "/dashboard/", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("GET /dashboard/ with its ETag: status %d, want 304", rec.Code)
	}
}

func TestDashboardRefusesMissingFilesAndOtherMethods(t *testing.T) {
	h := bare()
	for _, path := range []string{"/dashboard/assets/missing.js", "/dashboard/missing.png"} {
		if rec := get(t, h, path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, rec.Code)
		}
	}
	// The mux cleans paths before they reach the dashboard; the handler holds on its own.
	for _, path := range []string{"/dashboard/../web.go", "/dashboard/assets/../../web.go", "/dashboardx"} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = path
		rec := httptest.NewRecorder()
		web.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s straight to the handler: status %d, want 404", path, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, neo4jtest.Authorize(t, httptest.NewRequest(http.MethodPost, "/dashboard/", strings.NewReader("x"))))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /dashboard/: status %d, want 405", rec.Code)
	}
}

// browserTools finds node, the test's npm packages and Chromium; missing names what is absent.
func browserTools() (node, chromium string, missing []string) {
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node (Node.js 20)")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "puppeteer-core", "package.json")); err != nil {
		missing = append(missing, "web/node_modules (run `npm ci --prefix web`)")
	}
	// Chromium is $CHROMIUM, or chromium on the PATH: what .ci/run checks and installs.
	name := os.Getenv("CHROMIUM")
	if name == "" {
		name = "chromium"
	}
	chromium, err = exec.LookPath(name)
	if err != nil {
		missing = append(missing, name+" (apt-get install chromium, or set CHROMIUM)")
	}
	return node, chromium, missing
}

// lineLog writes each line of a child process's output to the test log as it comes.
type lineLog struct {
	t   *testing.T
	buf bytes.Buffer
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.buf.Write(p)
	for {
		line, err := l.buf.ReadString('\n')
		if err != nil {
			l.buf.WriteString(line)
			return len(p), nil
		}
		l.t.Log(strings.TrimRight(line, "\n"))
	}
}

// TestDashboardInBrowser opens the dashboard in headless Chromium over the test Neo4j and
// checks what it shows against the API (web/test/dashboard.mjs). Screenshots are left in
// .cobuild/screenshots.
func TestDashboardInBrowser(t *testing.T) {
	node, chromium, missing := browserTools()
	if len(missing) > 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the browser test cannot run; missing: %s", strings.Join(missing, ", "))
		}
		t.Skipf("browser test skipped; missing: %s", strings.Join(missing, ", "))
	}
	m := neo4jtest.Main(t)
	// Build today's projection and census first, as `cobuild serve` does as it starts, so
	// that the page's first requests meet a server in its usual state.
	version, err := m.Snapshots.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	today := m.Resolvers.Today()
	if _, err := m.Snapshots.Projection(t.Context(), snapshot.ProjectionKey(today, nil), version); err != nil {
		t.Fatalf("build the network projection: %v", err)
	}
	if _, err := m.Snapshots.Census(t.Context(), today, version); err != nil {
		t.Fatalf("build the census: %v", err)
	}
	base := neo4jtest.Serve(t)

	shots, err := filepath.Abs(filepath.Join("..", ".cobuild", "screenshots"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("test", "dashboard.mjs"), base, shots, neo4jtest.Token(t, auth.Admin))
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	// On timeout, interrupt first: puppeteer then closes Chromium rather than orphaning it.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 15 * time.Second
	out := &lineLog{t: t}
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	if rest := strings.TrimSpace(out.buf.String()); rest != "" {
		t.Log(rest)
	}
	if err != nil {
		t.Fatalf("the dashboard failed in the browser (%v); screenshots in %s", err, shots)
	}
	t.Logf("screenshots in %s", shots)
}
