// Command load is the bounded load benchmark: it starts a cobuild over the Neo4j of
// NEO4J_URI (read only), signs a token for each client (admins, analysts, officers of a
// town and viewers in turn), and lets that many clients run the dashboard's and the
// README's operations for a while. It reports the requests, the errors by code, the p50,
// p95 and p99 latencies overall and by role, and cobuild's peak memory, as Markdown for
// docs/benchmarks.md. Traffic goes to 127.0.0.1 only, bounded in count and time.
//
//	go run ./bench/load -clients 100 -duration 60s
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
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

	"cobuild/auth"
)

// op is one operation of the workload, and the roles that ask it.
type op struct {
	name  string
	query string
	vars  map[string]any
	roles []auth.Role
}

var (
	everyone   = []auth.Role{auth.Admin, auth.Analyst, auth.Officer, auth.Viewer}
	recordRead = []auth.Role{auth.Admin, auth.Analyst, auth.Officer}
)

// workload is what the dashboard asks as it opens and what the README shows; officers ask
// it of their town.
func workload(town, org, other string) []op {
	return []op{
		{"headline", `query Headline { coverageStats { total { organizations own joint work uncovered isolatedUncovered coverageRate } } }`, nil, everyone},
		{"coverageByTown", `query ByTown { coverageStats(by: [AREA]) { groups { keys { value label } organizations uncovered coverageRate } } }`, nil, everyone},
		{"grading", `query Grading { grading { round evaluated tiers { tier label count } stars { tier stars } } }`, nil, everyone},
		{"programs", `query Programs { programs { mentorCount instructorMentors recruits apprentices seconded } }`, nil, everyone},
		{"worklist", `query Worklist($town: ID) { organizations(where: {coverage: [UNCOVERED], isolated: true, areaId: $town}, first: 50) { totalCount nodes { id name creditCode headcount community { name } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"town": town}, recordRead},
		{"shouldHaveOwn", `query Own { organizations(where: {sector: [ENTERPRISE], operating: true, shouldHaveOwn: true}, sort: {field: PARTY_MEMBERS, direction: DESC}, first: 20) { totalCount nodes { name partyMembers area { name } coverage { status reason } } } }`, nil, recordRead},
		{"organization", `query Org($id: ID!) { organization(id: $id) { id name kind coverage { status reason } area { name } partyMembers headcount } }`,
			map[string]any{"id": org}, recordRead},
		{"network", `query Net { network { islandCount isolatedOrganizations } }`, nil, recordRead},
		{"path", `query Chain($from: ID!, $to: ID!) { path(from: $from, to: $to) { found hops explanation } }`, map[string]any{"from": org, "to": other}, recordRead},
		{"people", `query People { people(first: 20) { totalCount nodes { id name } } }`, nil, recordRead},
	}
}

type result struct {
	role    auth.Role
	op      string
	latency time.Duration
	code    string // "" when whole
}

func main() {
	clients := flag.Int("clients", 100, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "how long the clients ask")
	maxRequests := flag.Int("max-requests", 2_000_000, "at most this many requests in all")
	bin := flag.String("cobuild-bin", "", "cobuild binary to start; empty builds ./cmd/cobuild")
	flag.Parse()
	if *clients < 1 || *clients > 500 || *duration <= 0 || *duration > 10*time.Minute {
		fatalf("-clients must be 1..500 and -duration at most 10m")
	}
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		fatalf("set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to a Neo4j holding the demo data")
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	if *bin == "" {
		*bin = filepath.Join(".cobuild", "bin", "cobuild")
		build := exec.CommandContext(ctx, "go", "build", "-o", *bin, "./cmd/cobuild")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fatalf("build cobuild: %v", err)
		}
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	hexSecret := hex.EncodeToString(secret)
	cmd := exec.Command(*bin, "serve", "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "COBUILD_JWT_SECRET="+hexSecret, "COBUILD_JWT_SECRET_FILE=", "COBUILD_JWT_PUBLIC_KEYS=", "COBUILD_JWKS_URL=")
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		fatalf("start cobuild: %v", err)
	}
	child = cmd
	defer stopChild()
	url, err := waitReady(stderr, 5*time.Minute)
	if err != nil {
		fatalf("%v", err)
	}
	logf("cobuild (pid %d) is ready at %s", cmd.Process.Pid, url)

	signer := auth.Signer{Secret: []byte(hexSecret)}
	admin := token(signer, "load-admin", auth.Admin, nil)
	town, org, other, err := pick(url, admin)
	if err != nil {
		fatalf("pick a town and organisations: %v", err)
	}
	ops := workload(town, org, other)
	// Every operation answers whole for every role that asks it before anything is timed.
	for _, role := range everyone {
		tok := token(signer, "load-check-"+string(role), role, []string{town})
		for _, o := range ops {
			if !slices.Contains(o.roles, role) {
				continue
			}
			if code, _, body := ask(url, tok, o); code != "" {
				fatalf("%s as %s: %s: %.300s", o.name, role, code, body)
			}
		}
	}

	attacks(url, admin, cmd.Process.Pid)

	var (
		mu      sync.Mutex
		results []result
		sent    atomic.Int64
		peakRSS atomic.Int64
	)
	stopSampling := make(chan struct{})
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				if rss := memKB(cmd.Process.Pid, "VmRSS"); rss > peakRSS.Load() {
					peakRSS.Store(rss)
				}
			}
		}
	}()
	runCtx, stop := context.WithTimeout(ctx, *duration)
	defer stop()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range *clients {
		role := everyone[i%len(everyone)]
		tok := token(signer, fmt.Sprintf("load-%03d", i), role, []string{town})
		var mine []op
		for _, o := range ops {
			if slices.Contains(o.roles, role) {
				mine = append(mine, o)
			}
		}
		wg.Go(func() {
			var local []result
			for n := i; runCtx.Err() == nil && sent.Add(1) <= int64(*maxRequests); n++ {
				o := mine[n%len(mine)]
				t0 := time.Now()
				code, _, _ := ask(url, tok, o)
				if runCtx.Err() != nil && code == "CLIENT" {
					break // cut off by the end of the run, not an answer
				}
				local = append(local, result{role: role, op: o.name, latency: time.Since(t0), code: code})
			}
			mu.Lock()
			results = append(results, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopSampling)
	hwm := memKB(cmd.Process.Pid, "VmHWM")
	report(os.Stdout, *clients, elapsed, results, max(peakRSS.Load(), hwm))
}

// attack is one request that took the server down before it had limits.
type attack struct {
	name string
	body []byte
	get  string // a GET's query string instead of a body
	auth bool
}

func repeated(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

func gqlBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

// attacks sends each attack five times and reports the slowest answer, its size and code,
// and cobuild's resident memory after them all.
func attacks(url, admin string, pid int) {
	tiers := make([]string, 10_000)
	for i := range tiers {
		tiers[i] = "GOLD"
	}
	nested := strings.Repeat("organizations(first: 500) { nodes { area { ", 4) + "organizations(first: 500) { nodes { id name } }" + strings.Repeat(" } } }", 4)
	list := []attack{
		{"3,000 aliases of organization (132 KB)", gqlBody("{"+repeated(3000, ` o%[1]d: organization(id: "og-%06[1]d") { id name kind }`)+" }", nil), "", true},
		{"1,000 aliases of organization (44 KB)", gqlBody("{"+repeated(1000, ` o%[1]d: organization(id: "og-%06[1]d") { id }`)+" }", nil), "", true},
		{"a million repeated fields (10 MB)", gqlBody("{ rules {"+strings.Repeat(" goldFloor", 1_000_000)+" } }", nil), "", true},
		{"100,000 repeated fields (1 MB)", gqlBody("{ rules {"+strings.Repeat(" goldFloor", 100_000)+" } }", nil), "", true},
		{"a 10 MB body of anything", bytes.Repeat([]byte("x"), 10<<20), "", true},
		{"connections nested 5 levels, first: 500 (267 bytes)", gqlBody("{ "+nested+" }", nil), "", true},
		{"a tier filter of 10,000 values in a variable", gqlBody(`query($t: [Tier!]) { evaluations(where: {tier: $t}) { totalCount } }`, map[string]any{"t": tiers}), "", true},
		{"a tier filter of 10,000 values written out (50 KB)", gqlBody(`{ evaluations(where: {tier: [`+strings.Repeat("GOLD ", 10_000)+`]}) { totalCount } }`, nil), "", true},
		{"a GET of 2 MB", nil, "query=" + strings.Repeat("x", 2<<20), true},
		{"people's names without a token", gqlBody(`{ people(first: 500) { nodes { name gender birthYear partyMember } } }`, nil), "", false},
	}
	fmt.Printf("Attacks, each sent 5 times:\n\n| attack | status | code | answer bytes | slowest ms |\n|---|---:|---|---:|---:|\n")
	for _, a := range list {
		var slowest time.Duration
		var status, size int
		var code string
		for range 5 {
			var req *http.Request
			if a.get != "" {
				req, _ = http.NewRequest(http.MethodGet, url+"?"+a.get, nil)
			} else {
				req, _ = http.NewRequest(http.MethodPost, url, bytes.NewReader(a.body))
				req.Header.Set("Content-Type", "application/json")
			}
			if a.auth {
				req.Header.Set("Authorization", "Bearer "+admin)
			}
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				fatalf("%s: %v", a.name, err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			slowest = max(slowest, time.Since(t0))
			status, size = resp.StatusCode, len(b)
			var r struct {
				Errors []struct{ Extensions map[string]any }
			}
			json.Unmarshal(b, &r)
			code = "none"
			if len(r.Errors) > 0 {
				code, _ = r.Errors[0].Extensions["code"].(string)
				if l, ok := r.Errors[0].Extensions["limit"].(string); ok {
					code += " (" + l + ")"
				}
			}
		}
		fmt.Printf("| %s | %d | %s | %d | %s |\n", a.name, status, code, size, ms(slowest))
	}
	fmt.Printf("\ncobuild's peak memory (VmHWM) after the attacks: %d MiB\n\n", memKB(pid, "VmHWM")/1024)
}

// ask runs one operation and returns the code of its first error ("" when whole, HTTP
// and CLIENT for failures outside GraphQL), the status and the body.
func ask(url, tok string, o op) (string, int, []byte) {
	body, _ := json.Marshal(map[string]any{"query": o.query, "variables": o.vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		return "CLIENT", 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "CLIENT", resp.StatusCode, []byte(err.Error())
	}
	var r struct {
		Errors []struct {
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return "HTTP_" + strconv.Itoa(resp.StatusCode), resp.StatusCode, b
	}
	if len(r.Errors) > 0 {
		c, _ := r.Errors[0].Extensions["code"].(string)
		if c == "" {
			c = "UNKNOWN"
		}
		return c, resp.StatusCode, b
	}
	if resp.StatusCode != http.StatusOK {
		return "HTTP_" + strconv.Itoa(resp.StatusCode), resp.StatusCode, b
	}
	return "", resp.StatusCode, b
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 600, MaxConnsPerHost: 600}, Timeout: time.Minute}

func token(s auth.Signer, subject string, role auth.Role, areas []string) string {
	if role != auth.Officer {
		areas = nil
	}
	t, err := s.Sign(auth.Principal{Subject: subject, Role: role, Areas: areas}, time.Hour)
	if err != nil {
		fatalf("sign a token: %v", err)
	}
	return t
}

// pick returns the town with the most organisations and two of its organisations.
func pick(url, admin string) (town, org, other string, err error) {
	_, _, b := ask(url, admin, op{query: `{ areas(kind: TOWN) { id organizations(first: 2) { totalCount nodes { id } } } }`})
	var r struct {
		Data struct {
			Areas []struct {
				ID            string
				Organizations struct {
					TotalCount int
					Nodes      []struct{ ID string }
				}
			}
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return "", "", "", fmt.Errorf("%v: %.300s", err, b)
	}
	best := -1
	for i, a := range r.Data.Areas {
		if len(a.Organizations.Nodes) == 2 && (best < 0 || a.Organizations.TotalCount > r.Data.Areas[best].Organizations.TotalCount) {
			best = i
		}
	}
	if best < 0 {
		return "", "", "", fmt.Errorf("no town with two organisations: %.300s", b)
	}
	a := r.Data.Areas[best]
	return a.ID, a.Organizations.Nodes[0].ID, a.Organizations.Nodes[1].ID, nil
}

// waitReady reads cobuild's log until it says it is ready, and returns the API's URL; the
// rest of the log is drained.
func waitReady(r io.Reader, timeout time.Duration) (string, error) {
	re := regexp.MustCompile(`cobuild is ready: .*the API at (http://\S+/graphql)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sent := false
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case u, ok := <-found:
		if !ok {
			return "", fmt.Errorf("cobuild exited before it was ready")
		}
		return u, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("cobuild not ready within %s", timeout)
	}
}

// memKB reads a memory figure of /proc/PID/status in KiB.
func memKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field+":") {
			n, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return n
		}
	}
	return 0
}

func pct(ls []time.Duration, p float64) time.Duration {
	if len(ls) == 0 {
		return 0
	}
	return ls[min(len(ls)-1, int(float64(len(ls))*p))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func report(w io.Writer, clients int, elapsed time.Duration, rs []result, peakKB int64) {
	type group struct {
		lat    []time.Duration
		errors map[string]int
	}
	groups := map[string]*group{}
	add := func(k string, r result) {
		g := groups[k]
		if g == nil {
			g = &group{errors: map[string]int{}}
			groups[k] = g
		}
		g.lat = append(g.lat, r.latency)
		if r.code != "" {
			g.errors[r.code]++
		}
	}
	for _, r := range rs {
		add("all", r)
		add("role "+string(r.role), r)
		add("op "+r.op, r)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "all") != (keys[j] == "all") {
			return keys[i] == "all"
		}
		return keys[i] < keys[j]
	})
	fmt.Fprintf(w, "%d clients for %s: %d requests, %.0f req/s; cobuild's peak memory (RSS) %d MiB\n\n",
		clients, elapsed.Round(time.Second), len(rs), float64(len(rs))/elapsed.Seconds(), peakKB/1024)
	fmt.Fprintln(w, "| | requests | errors | p50 ms | p95 ms | p99 ms |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|")
	for _, k := range keys {
		g := groups[k]
		slices.Sort(g.lat)
		errs := "0"
		if len(g.errors) > 0 {
			var parts []string
			for c, n := range g.errors {
				parts = append(parts, fmt.Sprintf("%s %d", c, n))
			}
			sort.Strings(parts)
			errs = strings.Join(parts, ", ")
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", k, len(g.lat), errs, ms(pct(g.lat, 0.5)), ms(pct(g.lat, 0.95)), ms(pct(g.lat, 0.99)))
	}
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "load: "+format+"\n", args...) }

// child is the cobuild this run started; it is stopped by its PID and nothing else.
var child *exec.Cmd

func stopChild() {
	if child != nil && child.Process != nil {
		child.Process.Signal(syscall.SIGTERM)
		child.Wait()
		child = nil
	}
}

func fatalf(format string, args ...any) {
	logf(format, args...)
	stopChild()
	os.Exit(2)
}
