// Command bench compares cobuild's GraphQL API with a peer, @neo4j/graphql 7 serving
// equivalent type definitions (bench/peer), and with the floor, one hand-written Cypher
// statement per operation through the Go driver, on the same Neo4j and the same data. It
// checks that the three give the same answers, then runs each operation of bench/ops for
// every system in interleaved rounds, at each concurrency, and prints markdown tables.
//
//	go run ./bench -rounds 3 -duration 3s -concurrency 1,8
//
// Run it from the repository root. See bench/README.md.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/auth"
)

var systems = []string{"cobuild", "peer", "floor"}

// opOrder is the workload, in the order of the tables.
var opOrder = []string{"organization", "countsByKind", "townPage", "townPage2", "mostTies", "townWorklist", "coverageByTown", "chain"}

type config struct {
	neo4jURI, neo4jUser, neo4jPassword, neo4jDatabase string
	cobuildURL, cobuildBin, peerURL                   string
	cobuildToken                                      string
	rounds                                            int
	duration, warmup                                  time.Duration
	concurrency                                       []int
	maxRequests                                       int
	ops                                               []string
	keepGoing                                         bool
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func main() {
	var c config
	var conc, ops string
	flag.StringVar(&c.neo4jURI, "neo4j-uri", env("NEO4J_URI", ""), "Neo4j to read (env NEO4J_URI); used read-only, by all three systems")
	flag.StringVar(&c.neo4jUser, "neo4j-user", env("NEO4J_USER", "neo4j"), "Neo4j user (env NEO4J_USER)")
	flag.StringVar(&c.neo4jPassword, "neo4j-password", env("NEO4J_PASSWORD", ""), "Neo4j password (env NEO4J_PASSWORD)")
	flag.StringVar(&c.neo4jDatabase, "neo4j-database", env("NEO4J_DATABASE", ""), "Neo4j database, default the server's (env NEO4J_DATABASE)")
	flag.StringVar(&c.cobuildURL, "cobuild-url", "", "GraphQL endpoint of a running cobuild (http://127.0.0.1:8080/graphql); empty: build ./cmd/cobuild and start it")
	flag.StringVar(&c.cobuildToken, "cobuild-token", env("COBUILD_TOKEN", ""), "bearer token for the running cobuild of -cobuild-url, such as `cobuild token -role admin` prints (env COBUILD_TOKEN); a cobuild started here gets one of its own")
	flag.StringVar(&c.cobuildBin, "cobuild-bin", "", "start this cobuild binary instead of building ./cmd/cobuild into .cobuild/bin/cobuild")
	flag.StringVar(&c.peerURL, "peer-url", "", "endpoint of a running peer (bench/peer/server.mjs); empty: start it")
	flag.IntVar(&c.rounds, "rounds", 3, "rounds; each runs every operation on every system, the systems' order rotating")
	flag.DurationVar(&c.duration, "duration", 3*time.Second, "time per operation per system per round")
	flag.DurationVar(&c.warmup, "warmup", time.Second, "warm-up per operation per system before the first round (0: none)")
	flag.StringVar(&conc, "concurrency", "1,8", "concurrent clients, comma-separated: one table each")
	flag.IntVar(&c.maxRequests, "max-requests", 100000, "at most this many requests per operation per system per round")
	flag.StringVar(&ops, "ops", strings.Join(opOrder, ","), "operations to run, comma-separated")
	flag.BoolVar(&c.keepGoing, "keep-going", false, "measure even when the answers differ (still exit 1 at the end)")
	flag.Parse()
	for _, f := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 64 {
			fatalf("-concurrency: %q is not a number from 1 to 64", f)
		}
		c.concurrency = append(c.concurrency, n)
	}
	for _, o := range strings.Split(ops, ",") {
		o = strings.TrimSpace(o)
		if !slices.Contains(opOrder, o) {
			fatalf("-ops: unknown operation %q (have %s)", o, strings.Join(opOrder, ", "))
		}
		c.ops = append(c.ops, o)
	}
	if c.rounds < 1 || c.duration <= 0 || c.maxRequests < 1 {
		fatalf("-rounds, -duration and -max-requests must be positive")
	}
	if c.neo4jURI == "" {
		fatalf("no Neo4j: set NEO4J_URI (or -neo4j-uri) to the server holding cobuild's demo data")
	}
	for _, u := range []string{c.neo4jURI, c.cobuildURL, c.peerURL} {
		if u == "" {
			continue
		}
		if err := loopbackURL(u); err != nil {
			fatalf("%v", err)
		}
	}
	if _, err := os.Stat(filepath.Join("bench", "ops")); err != nil {
		fatalf("run from the repository root (bench/ops not found)")
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := benchmark(ctx, c)
	cancel()
	os.Exit(code)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(2)
}

// ---------- the systems ----------

// target is one operation on one system, its request fixed: do runs it and returns the
// decoded answer; timed runs it for the measurements, reading the whole response but
// decoding nothing.
type target interface {
	do(ctx context.Context) (any, error)
	timed(ctx context.Context) error
}

type graphqlTarget struct {
	client *http.Client
	url    string
	body   []byte
	// token is the bearer token sent, if any.
	token string
}

var errGraphQL = errors.New("graphql errors")

func newGraphQL(client *http.Client, url, token, query string, vars map[string]any) (*graphqlTarget, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	return &graphqlTarget{client: client, url: url, body: body, token: token}, nil
}

// post sends the request and returns the response body; a non-200 status or an errors
// member is an error.
func (g *graphqlTarget) post(ctx context.Context, header map[string]string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url, bytes.NewReader(g.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if g.token != "" {
		req.Header.Set("Authorization", "Bearer "+g.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %.500s", resp.StatusCode, b)
	}
	if bytes.Contains(b, []byte(`"errors"`)) {
		return nil, fmt.Errorf("%w: %.800s", errGraphQL, b)
	}
	return b, nil
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func (g *graphqlTarget) do(ctx context.Context) (any, error) {
	b, err := g.post(ctx, nil)
	if err != nil {
		return nil, err
	}
	return decodeJSON(b)
}

func (g *graphqlTarget) timed(ctx context.Context) error {
	_, err := g.post(ctx, nil)
	return err
}

type floorTarget struct {
	driver neo4j.DriverWithContext
	db     string
	cypher string
	params map[string]any
}

func (f *floorTarget) run(ctx context.Context, cypher string) (*neo4j.EagerResult, error) {
	opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithReadersRouting()}
	if f.db != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(f.db))
	}
	return neo4j.ExecuteQuery(ctx, f.driver, cypher, f.params, neo4j.EagerResultTransformer, opts...)
}

func (f *floorTarget) do(ctx context.Context) (any, error) {
	r, err := f.run(ctx, f.cypher)
	if err != nil {
		return nil, err
	}
	return r.Records, nil
}

func (f *floorTarget) timed(ctx context.Context) error {
	_, err := f.run(ctx, f.cypher)
	return err
}

// ---------- operations ----------

type operation struct {
	name    string
	cobuild string // the GraphQL documents
	peer    string
	floor   string // the Cypher statement
	vars    map[string]map[string]any
	targets map[string]target
	answers map[string]canon
}

func loadOp(name string) (*operation, error) {
	dir := filepath.Join("bench", "ops", name)
	read := func(f string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, f))
		return string(b), err
	}
	op := &operation{name: name, vars: map[string]map[string]any{}, targets: map[string]target{}, answers: map[string]canon{}}
	var err error
	if op.cobuild, err = read("cobuild.graphql"); err != nil {
		return nil, err
	}
	if op.peer, err = read("peer.graphql"); err != nil {
		return nil, err
	}
	if op.floor, err = read("floor.cypher"); err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "vars.json")); err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&op.vars); err != nil {
			return nil, fmt.Errorf("%s/vars.json: %w", dir, err)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	for sys := range op.vars {
		if !slices.Contains(systems, sys) {
			return nil, fmt.Errorf("%s/vars.json: unknown system %q", dir, sys)
		}
	}
	return op, nil
}

// inForce is the peer's edge filter "the tie is in force on day d".
func inForce(d string) map[string]any {
	return map[string]any{"AND": []any{
		map[string]any{"OR": []any{map[string]any{"since": map[string]any{"eq": nil}}, map[string]any{"since": map[string]any{"lte": d}}}},
		map[string]any{"OR": []any{map[string]any{"until": map[string]any{"eq": nil}}, map[string]any{"until": map[string]any{"gt": d}}}},
	}}
}

// expand replaces the placeholders of vars.json: "@today" (a date string for GraphQL, a
// Neo4j Date for the floor), "@inForce" (the peer's edge filter) and the values fetched
// before timing ("@after", "@afterName", "@afterId"); JSON numbers become int64 or float64.
func expand(v any, sys string, today time.Time, fetched map[string]any) (any, error) {
	switch x := v.(type) {
	case string:
		if !strings.HasPrefix(x, "@") {
			return x, nil
		}
		switch x {
		case "@today":
			if sys == "floor" {
				return neo4j.DateOf(today), nil
			}
			return today.Format(time.DateOnly), nil
		case "@inForce":
			return inForce(today.Format(time.DateOnly)), nil
		}
		if f, ok := fetched[strings.TrimPrefix(x, "@")]; ok {
			return f, nil
		}
		return nil, fmt.Errorf("unknown placeholder %q", x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		return x.Float64()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = expand(e, sys, today, fetched); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = expand(e, sys, today, fetched); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

// setup is what the targets of every operation share.
type setup struct {
	client              *http.Client
	cobuildURL, peerURL string
	cobuildToken        string
	driver              neo4j.DriverWithContext
	db                  string
	today               time.Time
}

// build makes the three targets of an operation.
func (op *operation) build(e setup, fetched map[string]map[string]any) error {
	for _, sys := range systems {
		raw, err := expand(map[string]any(op.vars[sys]), sys, e.today, fetched[sys])
		if err != nil {
			return fmt.Errorf("%s, %s: %w", op.name, sys, err)
		}
		vars := raw.(map[string]any)
		switch sys {
		case "cobuild":
			op.targets[sys], err = newGraphQL(e.client, e.cobuildURL, e.cobuildToken, op.cobuild, vars)
		case "peer":
			op.targets[sys], err = newGraphQL(e.client, e.peerURL, "", op.peer, vars)
		case "floor":
			op.targets[sys] = &floorTarget{driver: e.driver, db: e.db, cypher: op.floor, params: vars}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fetchAfter reads, from the answers to townPage, where its second page starts for each
// system: cobuild's and the peer's endCursor, the floor's last row.
func fetchAfter(ctx context.Context, first *operation) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	for _, sys := range systems {
		raw, err := first.targets[sys].do(ctx)
		if err != nil {
			return nil, fmt.Errorf("townPage on %s: %w", sys, err)
		}
		switch sys {
		case "cobuild":
			v, err := path(raw, "data", "organizations", "pageInfo", "endCursor")
			if err != nil || v == nil {
				return nil, fmt.Errorf("townPage on cobuild: no endCursor (%v)", err)
			}
			out[sys] = map[string]any{"after": v}
		case "peer":
			v, err := path(raw, "data", "organizationsConnection", "pageInfo", "endCursor")
			if err != nil || v == nil {
				return nil, fmt.Errorf("townPage on the peer: no endCursor (%v)", err)
			}
			out[sys] = map[string]any{"after": v}
		case "floor":
			recs := raw.([]*neo4j.Record)
			if len(recs) < 50 {
				return nil, fmt.Errorf("townPage on the floor: %d rows, no second page", len(recs))
			}
			last := recs[49].AsMap()
			out[sys] = map[string]any{"afterName": last["name"], "afterId": last["id"]}
		}
	}
	return out, nil
}

// ---------- the run ----------

func benchmark(ctx context.Context, c config) int {
	var started []*server
	var client *http.Client
	defer func() {
		if client != nil {
			client.CloseIdleConnections()
		}
		for i := len(started) - 1; i >= 0; i-- {
			started[i].stop()
		}
	}()
	neoEnv := []string{"NEO4J_URI=" + c.neo4jURI, "NEO4J_USER=" + c.neo4jUser, "NEO4J_PASSWORD=" + c.neo4jPassword}
	if c.neo4jDatabase != "" {
		neoEnv = append(neoEnv, "NEO4J_DATABASE="+c.neo4jDatabase)
	}

	// The floor's driver, also used for PROFILE.
	driver, err := neo4j.NewDriverWithContext(c.neo4jURI, neo4j.BasicAuth(c.neo4jUser, c.neo4jPassword, ""))
	if err != nil {
		logf("neo4j driver: %v", err)
		return 2
	}
	defer driver.Close(context.Background())
	if err := driver.VerifyConnectivity(ctx); err != nil {
		logf("cannot reach Neo4j at %s: %v", c.neo4jURI, err)
		return 2
	}

	// cobuild.
	cobuildURL, cobuildToken := c.cobuildURL, c.cobuildToken
	if cobuildURL == "" {
		// The cobuild started here verifies tokens with a secret of this run, and is asked
		// as its admin.
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			logf("token secret: %v", err)
			return 2
		}
		hexSecret := hex.EncodeToString(secret)
		token, err := auth.Signer{Secret: []byte(hexSecret)}.Sign(auth.Principal{Subject: "bench", Role: auth.Admin}, 24*time.Hour)
		if err != nil {
			logf("token: %v", err)
			return 2
		}
		cobuildToken = token
		cobuildEnv := append(slices.Clone(neoEnv), "COBUILD_JWT_SECRET="+hexSecret, "COBUILD_JWT_SECRET_FILE=", "COBUILD_JWT_PUBLIC_KEYS=", "COBUILD_JWKS_URL=",
			"COBUILD_JWT_ISSUER=", "COBUILD_JWT_AUDIENCE=")
		bin := c.cobuildBin
		if bin == "" {
			bin = filepath.Join(".cobuild", "bin", "cobuild")
			if err := run(ctx, "go", "build", "-o", bin, "./cmd/cobuild"); err != nil {
				logf("build cobuild: %v", err)
				return 2
			}
		}
		// cobuild says it is ready once today's projection and census are built.
		ready := regexp.MustCompile(`cobuild is ready: .*the API at (http://\S+/graphql)`)
		srv, u, err := start(ctx, "cobuild", cobuildEnv, ready, 5*time.Minute, bin, "serve", "-addr", "127.0.0.1:0")
		if err != nil {
			logf("%v", err)
			return 2
		}
		started = append(started, srv)
		cobuildURL = u
	}
	// The peer.
	peerURL := c.peerURL
	if peerURL == "" {
		if _, err := os.Stat(filepath.Join("bench", "peer", "node_modules")); os.IsNotExist(err) {
			if err := run(ctx, "npm", "ci", "--prefix", filepath.Join("bench", "peer"), "--no-audit", "--no-fund"); err != nil {
				logf("npm ci: %v", err)
				return 2
			}
		}
		ready := regexp.MustCompile(`peer is ready at (http://\S+)`)
		srv, u, err := start(ctx, "peer", append(neoEnv, "PEER_PORT=0"), ready, 2*time.Minute, "node", filepath.Join("bench", "peer", "server.mjs"))
		if err != nil {
			logf("%v", err)
			return 2
		}
		started = append(started, srv)
		peerURL = u
	}
	for _, u := range []string{cobuildURL, peerURL} {
		if err := loopbackURL(u); err != nil {
			logf("%v", err)
			return 2
		}
	}
	logf("cobuild at %s, peer at %s, floor through the Go driver to %s", cobuildURL, peerURL, c.neo4jURI)

	maxConc := slices.Max(c.concurrency)
	client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 4 * maxConc, MaxIdleConnsPerHost: 2 * maxConc, IdleConnTimeout: 90 * time.Second,
		DisableCompression: true, ForceAttemptHTTP2: false,
	}}
	y, m, d := time.Now().Date()
	e := setup{client: client, cobuildURL: cobuildURL, cobuildToken: cobuildToken, peerURL: peerURL, driver: driver, db: c.neo4jDatabase,
		today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}

	// Load and prepare the operations.
	var ops []*operation
	byName := map[string]*operation{}
	for _, name := range c.ops {
		op, err := loadOp(name)
		if err != nil {
			logf("%v", err)
			return 2
		}
		ops = append(ops, op)
		byName[name] = op
	}
	for _, op := range ops {
		fetched := map[string]map[string]any{}
		if op.name == "townPage2" {
			first, ok := byName["townPage"]
			if !ok {
				if first, err = loadOp("townPage"); err == nil {
					err = first.build(e, nil)
				}
				if err != nil {
					logf("%v", err)
					return 2
				}
			}
			if fetched, err = fetchAfter(ctx, first); err != nil {
				logf("%v", err)
				return 2
			}
		}
		if err := op.build(e, fetched); err != nil {
			logf("%v", err)
			return 2
		}
	}

	out := os.Stdout
	fmt.Fprintf(out, "# cobuild benchmark\n\n")
	fmt.Fprintf(out, "%s; Neo4j %s; today %s; %d round(s) of %s per operation per system, the systems' order rotating; concurrency %s.\n\n",
		time.Now().Format(time.RFC3339), c.neo4jURI, e.today.Format(time.DateOnly), c.rounds, c.duration, joinInts(c.concurrency))

	// Same answers.
	differ := checkAnswers(ctx, ops, out)
	if differ && !c.keepGoing {
		logf("the systems' answers differ (see above); not measuring (use -keep-going to measure anyway)")
		return 1
	}

	// Db hits.
	dbHits(ctx, ops, driver, c.neo4jDatabase, e, out)

	// Warm-up, then the rounds.
	if c.warmup > 0 {
		logf("warming up: %s per operation per system", c.warmup)
		for _, op := range ops {
			for _, sys := range systems {
				if ctx.Err() != nil {
					return 130
				}
				measure(ctx, op.targets[sys], maxConc, c.warmup, c.maxRequests)
			}
		}
	}
	for _, n := range c.concurrency {
		res := map[string]map[string]*result{}
		for _, op := range ops {
			res[op.name] = map[string]*result{}
			for _, sys := range systems {
				res[op.name][sys] = &result{}
			}
		}
		for r := 0; r < c.rounds; r++ {
			logf("concurrency %d, round %d of %d", n, r+1, c.rounds)
			for i, op := range ops {
				for k := range systems {
					sys := systems[(k+r+i)%len(systems)]
					if ctx.Err() != nil {
						return 130
					}
					res[op.name][sys].add(measure(ctx, op.targets[sys], n, c.duration, c.maxRequests))
				}
			}
		}
		printTable(out, n, ops, res)
	}
	if differ {
		return 1
	}
	return 0
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// checkAnswers runs each operation once on each system and compares the canonical answers;
// it prints a table and the differences, and reports whether any differ.
func checkAnswers(ctx context.Context, ops []*operation, out io.Writer) bool {
	differ := false
	fmt.Fprintf(out, "## Same answers\n\n| operation | same answers | answer |\n|---|---|---|\n")
	var details []string
	for _, op := range ops {
		errs := map[string]error{}
		for _, sys := range systems {
			raw, err := op.targets[sys].do(ctx)
			if err == nil {
				op.answers[sys], err = normalise(normalisers[op.name][sys], raw)
			}
			if err != nil {
				errs[sys] = err
			}
		}
		if len(errs) > 0 {
			differ = true
			fmt.Fprintf(out, "| %s | **FAILED** | %s |\n", op.name, errSummary(errs))
			for _, sys := range systems {
				if errs[sys] != nil {
					details = append(details, fmt.Sprintf("%s on %s: %v", op.name, sys, errs[sys]))
				}
			}
			continue
		}
		ref := mustJSON(op.answers["floor"])
		same := true
		for _, sys := range []string{"cobuild", "peer"} {
			if mustJSON(op.answers[sys]) != ref {
				same = false
			}
		}
		if same {
			fmt.Fprintf(out, "| %s | yes | %s |\n", op.name, summary(op.name, op.answers["floor"]))
			continue
		}
		differ = true
		var who []string
		for _, sys := range []string{"cobuild", "peer"} {
			if mustJSON(op.answers[sys]) != ref {
				who = append(who, sys)
			}
		}
		fmt.Fprintf(out, "| %s | **NO**: %s differ from the floor | floor: %s |\n", op.name, strings.Join(who, " and "), summary(op.name, op.answers["floor"]))
		details = append(details, diff(op))
	}
	fmt.Fprintln(out)
	if len(details) > 0 {
		fmt.Fprintf(out, "### Differences\n\n```\n%s\n```\n\n", strings.Join(details, "\n\n"))
	}
	return differ
}

func errSummary(errs map[string]error) string {
	var parts []string
	for _, sys := range systems {
		if errs[sys] != nil {
			parts = append(parts, sys+" failed")
		}
	}
	return strings.Join(parts, ", ")
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// diff lists, key by key, what each system answered where the answers differ.
func diff(op *operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:", op.name)
	keys := make([]string, 0, len(op.answers["floor"]))
	for k := range op.answers["floor"] {
		keys = append(keys, k)
	}
	for _, sys := range systems {
		for k := range op.answers[sys] {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		vals := map[string]string{}
		for _, sys := range systems {
			vals[sys] = mustJSON(op.answers[sys][k])
		}
		if vals["cobuild"] == vals["floor"] && vals["peer"] == vals["floor"] {
			continue
		}
		fmt.Fprintf(&b, "\n  %s:", k)
		// For lists, show only the elements not shared by all three.
		lists := map[string][]string{}
		isList := true
		for _, sys := range systems {
			l, ok := op.answers[sys][k].([]string)
			if !ok {
				isList = false
				break
			}
			lists[sys] = l
		}
		if isList {
			for _, sys := range systems {
				var only []string
				for i, x := range lists[sys] {
					shared := true
					for _, other := range systems {
						if !slices.Contains(lists[other], x) || (op.name == "mostTies" || strings.HasPrefix(op.name, "townPage") || op.name == "townWorklist") && (i >= len(lists[other]) || lists[other][i] != x) {
							shared = false
						}
					}
					if !shared {
						only = append(only, fmt.Sprintf("[%d] %s", i, x))
					}
				}
				fmt.Fprintf(&b, "\n    %-7s (%d): %s", sys, len(lists[sys]), strings.Join(only, "\n              "))
			}
			continue
		}
		for _, sys := range systems {
			fmt.Fprintf(&b, "\n    %-7s %s", sys, vals[sys])
		}
	}
	return b.String()
}

// ---------- measuring ----------

type result struct {
	lat     []time.Duration
	n, errs int
	elapsed time.Duration
	lastErr error
}

func (r *result) add(x *result) {
	r.lat = append(r.lat, x.lat...)
	r.n += x.n
	r.errs += x.errs
	r.elapsed += x.elapsed
	if x.lastErr != nil {
		r.lastErr = x.lastErr
	}
}

// measure runs the target with n concurrent clients for d (at most max requests) and
// records each request's latency.
func measure(ctx context.Context, t target, n int, d time.Duration, max int) *result {
	var wg sync.WaitGroup
	var count atomic.Int64
	lats := make([][]time.Duration, n)
	errs := make([]int, n)
	lastErr := make([]error, n)
	begin := time.Now()
	deadline := begin.Add(d)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil && count.Add(1) <= int64(max) {
				rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				t0 := time.Now()
				err := t.timed(rctx)
				el := time.Since(t0)
				cancel()
				if err != nil {
					errs[w]++
					lastErr[w] = err
					continue
				}
				lats[w] = append(lats[w], el)
			}
		}(w)
	}
	wg.Wait()
	r := &result{elapsed: time.Since(begin)}
	for w := 0; w < n; w++ {
		r.lat = append(r.lat, lats[w]...)
		r.errs += errs[w]
		if lastErr[w] != nil {
			r.lastErr = lastErr[w]
		}
	}
	r.n = len(r.lat)
	if r.lastErr != nil {
		logf("%d request(s) failed; the last: %v", r.errs, r.lastErr)
	}
	return r
}

func (r *result) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.n) / r.elapsed.Seconds()
}

func (r *result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.5) - 1
	i = max(0, min(i, len(s)-1))
	return s[i]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64)
}

func printTable(out io.Writer, n int, ops []*operation, res map[string]map[string]*result) {
	fmt.Fprintf(out, "## Concurrency %d\n\n", n)
	fmt.Fprintf(out, "| operation | system | req/s | p50 ms | p95 ms | cobuild/peer req/s | p50 / floor p50 | errors |\n")
	fmt.Fprintf(out, "|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, op := range ops {
		r := res[op.name]
		floorP50 := float64(r["floor"].pct(0.5))
		for _, sys := range systems {
			x := r[sys]
			cp, fp := "", ""
			switch sys {
			case "cobuild":
				cp = ratio(x.throughput(), r["peer"].throughput())
				fp = ratio(float64(x.pct(0.5)), floorP50)
			case "peer":
				fp = ratio(float64(x.pct(0.5)), floorP50)
			}
			fmt.Fprintf(out, "| %s | %s | %.1f | %s | %s | %s | %s | %d |\n", op.name, sys, x.throughput(), ms(x.pct(0.5)), ms(x.pct(0.95)), cp, fp, x.errs)
		}
	}
	fmt.Fprintln(out)
}

// ---------- db hits ----------

func sumHits(p neo4j.ProfiledPlan) int64 {
	if p == nil {
		return 0
	}
	n := p.DbHits()
	for _, c := range p.Children() {
		n += sumHits(c)
	}
	return n
}

func profile(ctx context.Context, driver neo4j.DriverWithContext, db, cypher string, params map[string]any) (int64, error) {
	opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithReadersRouting()}
	if db != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(db))
	}
	r, err := neo4j.ExecuteQuery(ctx, driver, "PROFILE "+cypher, params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		return 0, err
	}
	if r.Summary.Profile() == nil {
		return 0, fmt.Errorf("no profile in the summary")
	}
	return sumHits(r.Summary.Profile()), nil
}

// decodeParam turns the peer's captured parameters back into Neo4j values.
func decodeParam(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			if s, ok := x["$int"].(string); ok {
				return strconv.ParseInt(s, 10, 64)
			}
			if s, ok := x["$date"].(string); ok {
				t, err := time.Parse(time.DateOnly, s)
				if err != nil {
					return nil, err
				}
				return neo4j.DateOf(t), nil
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = decodeParam(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = decodeParam(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case json.Number:
		// JavaScript numbers reach Neo4j as floats; integers are {"$int": ...}.
		return x.Float64()
	}
	return v, nil
}

// peerStatements asks the peer for the Cypher it runs for the operation.
func peerStatements(ctx context.Context, t *graphqlTarget) ([]string, []map[string]any, error) {
	b, err := t.post(ctx, map[string]string{"x-bench-capture": "1"})
	if err != nil {
		return nil, nil, err
	}
	var resp struct {
		Extensions struct {
			Cypher []struct {
				Query  string          `json:"query"`
				Params json.RawMessage `json:"params"`
			} `json:"cypher"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, nil, err
	}
	var qs []string
	var ps []map[string]any
	for _, c := range resp.Extensions.Cypher {
		if strings.Contains(c.Query, "dbms.components()") {
			continue // the library's version check, once per process
		}
		raw, err := decodeJSON(c.Params)
		if err != nil {
			return nil, nil, err
		}
		p, err := decodeParam(raw)
		if err != nil {
			return nil, nil, err
		}
		pm, _ := p.(map[string]any)
		qs = append(qs, c.Query)
		ps = append(ps, pm)
	}
	if len(qs) == 0 {
		return nil, nil, fmt.Errorf("the peer reported no Cypher")
	}
	return qs, ps, nil
}

func dbHits(ctx context.Context, ops []*operation, driver neo4j.DriverWithContext, db string, e setup, out io.Writer) {
	fmt.Fprintf(out, "## Neo4j db hits per operation\n\n")
	fmt.Fprintf(out, "Each statement run once under PROFILE, the db hits of its plan summed. The peer's statements are those @neo4j/graphql generated for the operation (captured in the peer's server). cobuild's are not captured: it runs several statements per request and answers some from its in-memory census or projection.\n\n")
	fmt.Fprintf(out, "| operation | floor | peer | peer statements |\n|---|---:|---:|---:|\n")
	for _, op := range ops {
		f := op.targets["floor"].(*floorTarget)
		floor := "error"
		if n, err := profile(ctx, driver, db, f.cypher, f.params); err == nil {
			floor = strconv.FormatInt(n, 10)
		} else {
			logf("PROFILE %s on the floor: %v", op.name, err)
		}
		peer, stmts := "not captured", ""
		if qs, ps, err := peerStatements(ctx, op.targets["peer"].(*graphqlTarget)); err == nil {
			var total int64
			ok := true
			for i := range qs {
				n, err := profile(ctx, driver, db, qs[i], ps[i])
				if err != nil {
					logf("PROFILE %s on the peer: %v", op.name, err)
					ok = false
					break
				}
				total += n
			}
			if ok {
				peer, stmts = strconv.FormatInt(total, 10), strconv.Itoa(len(qs))
			}
		} else {
			logf("capture the peer's Cypher for %s: %v", op.name, err)
		}
		fmt.Fprintf(out, "| %s | %s | %s | %s |\n", op.name, floor, peer, stmts)
	}
	fmt.Fprintln(out)
}
