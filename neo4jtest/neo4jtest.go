// Package neo4jtest gives integration tests a store on the test Neo4j, migrated and seeded
// with the demo data set, and the production wiring over it. The test Neo4j is the one
// named by NEO4J_URI; `make test` starts a local one and sets it. Without NEO4J_URI a test
// is skipped, unless CI is set: then it fails, so that CI never passes by skipping.
package neo4jtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/app"
	"cobuild/auth"
	"cobuild/demo"
	"cobuild/neo4jstore"
)

var (
	once     sync.Once
	shared   *app.Main
	setupErr error
)

// DemoOptions are the options of the data set the tests run on: the district (scale 1),
// or the scale in COBUILD_TEST_SCALE for benchmarks at a larger scale.
var DemoOptions = demo.Options{Seed: demo.DefaultSeed, Scale: testScale()}

func testScale() int {
	if n, err := strconv.Atoi(os.Getenv("COBUILD_TEST_SCALE")); err == nil && n > 0 {
		return n
	}
	return 1
}

func uri(t testing.TB) string {
	t.Helper()
	u := os.Getenv("NEO4J_URI")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but NEO4J_URI is not: integration tests must run against Neo4j (use `make test`)")
		}
		t.Skip("NEO4J_URI is not set; `make test` starts a local Neo4j for the integration tests")
	}
	return u
}

// Config is the configuration of the production wiring over the test Neo4j. Its tokens
// are signed with a secret of the test process (Token), so that no key file is written.
func Config(t testing.TB) app.Config {
	return app.Config{
		Neo4j: neo4jstore.Config{URI: uri(t), User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
			Database: os.Getenv("NEO4J_DATABASE"), Timeout: time.Minute},
		Seed: DemoOptions,
		Addr: "127.0.0.1:0",
		Auth: auth.Config{Secret: Secret},
	}
}

// Secret is the HMAC secret that the test wiring's tokens are signed with, new in every
// test process.
var Secret = func() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}()

// OfficerArea is the area of the officers' tokens of Token: 飞彩街道, a subdistrict.
const OfficerArea = "ar-000008"

// Token returns a token for a principal of the role, valid for an hour and signed with
// Secret; an officer's names OfficerArea unless areas are given.
func Token(t testing.TB, role auth.Role, areas ...string) string {
	t.Helper()
	if role == auth.Officer && len(areas) == 0 {
		areas = []string{OfficerArea}
	}
	tok, err := auth.Signer{Secret: Secret}.Sign(auth.Principal{Subject: "test:" + string(role), Role: role, Areas: areas}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Authorize gives a request an admin's bearer token, as every caller of the API needs.
func Authorize(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+Token(t, auth.Admin))
	return req
}

// Main returns the test process's shared production wiring (app.Main) over the test
// Neo4j, opened and seeded with the demo data.
func Main(t testing.TB) *app.Main {
	t.Helper()
	cfg := Config(t)
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		shared = &app.Main{Config: cfg, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}
		if setupErr = shared.Open(ctx); setupErr != nil {
			return
		}
		if _, setupErr = app.Seed(ctx, shared.Store, DemoOptions, false, nil); setupErr != nil {
			return
		}
		if _, setupErr = shared.Snapshots.Refresh(ctx); setupErr != nil {
			return
		}
		// Today's snapshots are built, as `cobuild serve` builds them as it starts.
		setupErr = shared.Prebuild(ctx)
	})
	if setupErr != nil {
		t.Fatalf("set up the test Neo4j at %s: %v", cfg.Neo4j.URI, setupErr)
	}
	return shared
}

// Store returns the shared store of the test process, seeded with the demo data.
func Store(t testing.TB) *neo4jstore.Store {
	t.Helper()
	return Main(t).Store
}

// Driver returns a driver of its own on the test Neo4j, for tests that check the store
// against Cypher written independently (and may roll back what they try).
func Driver(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	Store(t)
	d, err := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"), neo4j.BasicAuth(os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

// Write runs one parameterised write statement on the test Neo4j in its own transaction.
func Write(t testing.TB, cypher string, params map[string]any) {
	t.Helper()
	ctx := context.Background()
	if _, err := neo4j.ExecuteQuery(ctx, Driver(t), cypher, params, neo4j.EagerResultTransformer); err != nil {
		t.Fatalf("write %q: %v", cypher, err)
	}
}

// Int runs one read statement whose single row has an integer column n.
func Int(t testing.TB, cypher string, params map[string]any) int {
	t.Helper()
	r, err := neo4j.ExecuteQuery(context.Background(), Driver(t), cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatalf("read %q: %v", cypher, err)
	}
	if len(r.Records) != 1 {
		t.Fatalf("read %q: %d rows, want 1", cypher, len(r.Records))
	}
	n, _, err := neo4j.GetRecordValue[int64](r.Records[0], "n")
	if err != nil {
		t.Fatalf("read %q: %v", cypher, err)
	}
	return int(n)
}

// Changed records, as every write of cobuild does, that the graph changed, and makes the
// shared snapshots see it at once (rather than within their poll).
func Changed(t testing.TB) {
	t.Helper()
	Write(t, `MERGE (l:ChangeLog {id: 'log'}) ON CREATE SET l.seq = 0 SET l.seq = l.seq + 1
		CREATE (:Change {seq: l.seq, at: datetime(), subject: 'test', role: 'system', op: 'test', args: '{}', batch: true,
		  diffs: '[]', coverage: '[]', touched: [], orgs: [], nodes: [], areas: []})`, nil)
	if _, err := Main(t).Snapshots.Refresh(context.Background()); err != nil {
		t.Fatal(fmt.Errorf("refresh the graph's version: %w", err))
	}
}

// Serve runs the shared production wiring's server (app.Main.Run) on a free port of
// 127.0.0.1 until the test ends, and returns its base URL.
func Serve(t testing.TB) string {
	t.Helper()
	m := Main(t)
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, func(a net.Addr) { addr <- a }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	select {
	case a := <-addr:
		return "http://" + a.String()
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("server did not start within 2 minutes")
	}
	return ""
}
