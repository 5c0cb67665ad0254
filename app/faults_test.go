package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"cobuild/app"
	"cobuild/auth"
	"cobuild/fixture"
	"cobuild/neo4jlocal"
)

// faultServer is cobuild served over a local Neo4j of its own, holding the drawn graph,
// that the test may kill.
type faultServer struct {
	m    *app.Main
	url  string
	tok  string // an admin's token
	stop context.CancelFunc
	done chan error
}

func startFaultServer(t *testing.T, drain time.Duration) *faultServer {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" && os.Getenv("CI") == "" {
		t.Skip("fault tests run with the integration tests (`make test`, or CI set)")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m := &app.Main{Log: log, Config: app.Config{
		Local:  neo4jlocal.Options{DataDir: t.TempDir(), Heap: "512m", PageCache: "64m"},
		NoSeed: true,
		Addr:   "127.0.0.1:0",
		Drain:  drain,
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := m.Open(ctx); err != nil {
		if errors.Is(err, neo4jlocal.ErrMissingTool) && os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if err := m.Store.Load(ctx, fixture.Graph(), nil); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	fs := &faultServer{m: m, stop: stop, done: make(chan error, 1)}
	addr := make(chan net.Addr, 1)
	go func() { fs.done <- m.Run(runCtx, func(a net.Addr) { addr <- a }) }()
	select {
	case a := <-addr:
		fs.url = "http://" + a.String()
	case err := <-fs.done:
		t.Fatalf("server did not start: %v", err)
	case <-time.After(3 * time.Minute):
		t.Fatal("server not ready within 3 minutes")
	}
	t.Cleanup(func() {
		stop()
		<-fs.done
	})
	fs.tok = fs.token(t, "faults")
	return fs
}

// token signs an admin's token for a subject with the install's own key.
func (fs *faultServer) token(t *testing.T, subject string) string {
	tok, err := fs.m.Signer.Sign(auth.Principal{Subject: subject, Role: auth.Admin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// The operations of the load: one read through Cypher, one from today's census, one
// from today's network, and one that builds the census of another day.
var faultOps = []string{
	`{ organizations(first: 5) { totalCount nodes { id name } } }`,
	`{ coverageStats { total { organizations } } }`,
	`{ network { islandCount isolatedOrganizations } }`,
	`{ coverageStats(asOf: "2022-03-01") { total { organizations } } }`,
}

// answer is what one request got: its HTTP status and the codes of its errors.
type answer struct {
	status int
	codes  []string
	data   bool
	err    error
}

func ask(url, tok, query string) answer {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{status: resp.StatusCode, err: err}
	}
	var r struct {
		Data   map[string]any
		Errors []struct {
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return answer{status: resp.StatusCode, err: fmt.Errorf("not JSON: %.200s", b)}
	}
	a := answer{status: resp.StatusCode, data: len(r.Errors) == 0 && r.Data != nil}
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		a.codes = append(a.codes, c)
	}
	return a
}

// ok says whether a is a full answer.
func (a answer) ok() bool { return a.err == nil && a.status == http.StatusOK && a.data }

// onlyUnavailable says whether a failed with UNAVAILABLE and nothing else.
func (a answer) onlyUnavailable() bool {
	if a.err != nil || len(a.codes) == 0 {
		return false
	}
	for _, c := range a.codes {
		if c != "UNAVAILABLE" {
			return false
		}
	}
	return true
}

// TestNeo4jKilledUnderLoad kills the local Neo4j with SIGKILL while clients ask: every
// answer is either whole or UNAVAILABLE, never INTERNAL or TIMEOUT; the supervisor
// restarts Neo4j on its port, /readyz says degraded meanwhile, and answers come back
// without a restart of cobuild.
func TestNeo4jKilledUnderLoad(t *testing.T) {
	fs := startFaultServer(t, 5*time.Second)
	for _, q := range faultOps {
		if a := ask(fs.url, fs.tok, q); !a.ok() {
			t.Fatalf("before the fault, %s: %+v", q, a)
		}
	}
	pid := fs.m.Local.PID()
	var (
		mu   sync.Mutex
		bad  []string
		seen = map[string]int{}
	)
	record := func(q string, a answer) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case a.ok():
			seen["ok"]++
		case a.onlyUnavailable():
			seen["UNAVAILABLE"]++
		default:
			bad = append(bad, fmt.Sprintf("%s: %+v", q, a))
		}
	}
	loadCtx, stopLoad := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for n := 0; loadCtx.Err() == nil && n < 2000; n++ {
				q := faultOps[(i+n)%len(faultOps)]
				record(q, ask(fs.url, fs.tok, q))
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	sawDegraded := false
	deadline := time.Now().Add(3 * time.Minute)
	for fs.m.Local.PID() == 0 || fs.m.Local.PID() == pid || !fs.m.Local.Healthy() {
		if time.Now().After(deadline) {
			t.Fatal("the local Neo4j was not restarted within 3 minutes")
		}
		if resp, err := http.Get(fs.url + "/readyz"); err == nil {
			var r struct{ Status string }
			json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			sawDegraded = sawDegraded || (resp.StatusCode == http.StatusServiceUnavailable && r.Status == "degraded")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Back: every operation answers again, without a restart of cobuild.
	back := time.Now()
	for _, q := range faultOps {
		var a answer
		for range 100 {
			if a = ask(fs.url, fs.tok, q); a.ok() {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !a.ok() {
			t.Errorf("after Neo4j came back, %s: %+v", q, a)
		}
	}
	t.Logf("every operation answered whole %s after the restarted Neo4j was ready", time.Since(back).Round(time.Millisecond))
	stopLoad()
	wg.Wait()
	t.Logf("answers during the fault: %v", seen)
	for _, b := range bad {
		t.Errorf("neither whole nor UNAVAILABLE: %s", b)
	}
	if seen["UNAVAILABLE"] == 0 {
		t.Error("no request saw Neo4j away: the fault was not exercised")
	}
	if !sawDegraded {
		t.Error("/readyz never said degraded while Neo4j was restarted")
	}
}

// TestShutdownDrains stops the server while requests run: those that finish within the
// drain time answer whole, the rest UNAVAILABLE, and Run returns nil (cobuild exits 0).
func TestShutdownDrains(t *testing.T) {
	fs := startFaultServer(t, 200*time.Millisecond)
	var (
		mu      sync.Mutex
		answers []answer
	)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 8 {
		tok := fs.token(t, fmt.Sprintf("client-%d", i))
		wg.Go(func() {
			<-start
			for n := range 20 {
				// Days that are not pinned: each builds a census, which takes a while.
				q := fmt.Sprintf(`{ coverageStats(asOf: "2021-%02d-%02d") { total { organizations } } }`, 1+i, 1+n)
				a := ask(fs.url, tok, q)
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
				if a.err != nil {
					return // the server has stopped listening
				}
			}
		})
	}
	close(start)
	time.Sleep(300 * time.Millisecond)
	fs.stop()
	select {
	case err := <-fs.done:
		fs.done <- err // for the cleanup
		if err != nil {
			t.Fatalf("Run after a shutdown: %v, want nil", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run did not return within a minute of the shutdown")
	}
	wg.Wait()
	whole, unavailable := 0, 0
	for _, a := range answers {
		switch {
		case a.err != nil:
			// Refused: sent after the server stopped listening, never acknowledged.
		case a.ok():
			whole++
		case a.onlyUnavailable() || (len(a.codes) > 0 && allRateLimitedOrUnavailable(a.codes)):
			unavailable++
		default:
			t.Errorf("an answer during the shutdown: %+v", a)
		}
	}
	t.Logf("%d answers whole, %d UNAVAILABLE or RATE_LIMITED, of %d", whole, unavailable, len(answers))
	if whole == 0 {
		t.Error("no request finished: the drain was not exercised")
	}
}

func allRateLimitedOrUnavailable(codes []string) bool {
	for _, c := range codes {
		if c != "UNAVAILABLE" && c != "RATE_LIMITED" {
			return false
		}
	}
	return true
}
