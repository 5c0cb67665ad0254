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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cobuild"
	"cobuild/app"
	"cobuild/auth"
	"cobuild/demo"
	"cobuild/fixture"
	"cobuild/neo4jlocal"
	"cobuild/neo4jstore"
)

// live is two cobuild servers on one Neo4j of their own, holding the district and the
// drawn graph beside it, written to by the tests (the shared test database is never
// written).
type live struct {
	a, b       *app.Main
	urlA, urlB string
	signer     *auth.Signer
}

var (
	liveOnce sync.Once
	liveErr  error
	shared   *live
)

// startLive starts the Neo4j and the two servers once for the package's live tests.
func startLive(t *testing.T) *live {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" && os.Getenv("CI") == "" {
		t.Skip("live tests run with the integration tests (`make test`, or CI set)")
	}
	liveOnce.Do(func() { shared, liveErr = openLive() })
	if liveErr != nil {
		if errors.Is(liveErr, neo4jlocal.ErrMissingTool) && os.Getenv("CI") == "" {
			t.Skip(liveErr)
		}
		t.Fatal(liveErr)
	}
	return shared
}

func openLive() (*live, error) {
	dir, err := os.MkdirTemp("", "cobuild-live-")
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	a := &app.Main{Log: log, Config: app.Config{
		Local: neo4jlocal.Options{DataDir: dir, Heap: "512m", PageCache: "64m"}, NoSeed: true, Addr: "127.0.0.1:0"}}
	if err := a.Open(ctx); err != nil {
		return nil, err
	}
	// The district, and the drawing beside it (its ids are of a range the demo never uses).
	if _, err := app.Seed(ctx, a.Store, demo.Options{}, false, nil); err != nil {
		return nil, err
	}
	if err := a.Store.Load(ctx, fixture.Graph(), nil); err != nil {
		return nil, err
	}
	// An area and an officer's patch: 甲, 乙 and 丙 lie in it, the others nowhere.
	if err := a.Store.Exec(ctx, `CREATE (t:Area {id: 'ar-900000001', name: '东城镇', kind: 'TOWN', inDistrict: true})
		WITH t MATCH (o:Organization) WHERE o.id IN ['og-900000001', 'og-900000002', 'og-900000003'] CREATE (o)-[:LOCATED_IN]->(t)`, nil); err != nil {
		return nil, err
	}
	b := &app.Main{Log: log, Config: app.Config{
		Neo4j:  neo4jstore.Config{URI: a.Local.URI(), User: "neo4j", Password: a.Local.Password()},
		Local:  neo4jlocal.Options{DataDir: dir}, // the same signing key
		NoSeed: true, Addr: "127.0.0.1:0"}}
	if err := b.Open(ctx); err != nil {
		return nil, err
	}
	l := &live{a: a, b: b, signer: a.Signer}
	for _, m := range []*app.Main{a, b} {
		addr := make(chan net.Addr, 1)
		done := make(chan error, 1)
		go func() { done <- m.Run(context.Background(), func(x net.Addr) { addr <- x }) }()
		select {
		case x := <-addr:
			if m == a {
				l.urlA = "http://" + x.String()
			} else {
				l.urlB = "http://" + x.String()
			}
		case err := <-done:
			return nil, fmt.Errorf("server did not start: %w", err)
		case <-time.After(3 * time.Minute):
			return nil, fmt.Errorf("server not ready within 3 minutes")
		}
	}
	return l, nil
}

func (l *live) token(t testing.TB, role auth.Role, areas ...string) string {
	tok, err := l.signer.Sign(auth.Principal{Subject: string(role) + "-tester", Role: role, Areas: areas}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type gqlAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (a gqlAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

func (l *live) ask(t testing.TB, url, token, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a gqlAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s: %s", err, raw)
	}
	return a
}

func (l *live) lastSeq(t testing.TB) int64 {
	seq, err := l.a.Store.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

const assign = `mutation($p: ID!, $o: ID!, $role: PersonRole!, $key: String, $v: Int) {
  assignPerson(personId: $p, organizationId: $o, role: $role, idempotencyKey: $key, expectedVersion: $v) {
    replayed
    change { seq operation actor { subject role } entities areas diffs { entity tie other field before after }
      coverageEvents { kind organizationId before after } }
    organization { id version coverage { status } }
  }
}`

// TestMutationsCheckEverythingAndWriteNothingOnError: every refusal is coded, names its
// field and writes nothing; a write records who did what, with before and after.
func TestMutationsCheckEverythingAndWriteNothingOnError(t *testing.T) {
	l := startLive(t)
	admin := l.token(t, auth.Admin)
	cases := []struct {
		name, query string
		vars        map[string]any
		code, field string
	}{
		{"unknown person", assign, map[string]any{"p": "pe-999999999", "o": fixture.Ding, "role": "INSTRUCTOR"}, cobuild.EINVALID, "personId"},
		{"malformed id", assign, map[string]any{"p": "pe-x", "o": fixture.Ding, "role": "INSTRUCTOR"}, cobuild.EINVALID, "personId"},
		{"a community where a person is needed", assign, map[string]any{"p": fixture.Chengxi, "o": fixture.Ding, "role": "INSTRUCTOR"}, cobuild.EINVALID, "personId"},
		{"a mentor is no assignment", assign, map[string]any{"p": fixture.Mentor, "o": fixture.Ding, "role": "MENTOR"}, cobuild.EINVALID, "role"},
		{"a tie already in force", assign, map[string]any{"p": "pe-900000004", "o": fixture.Bing, "role": "INSTRUCTOR"}, cobuild.EINVALID, "personId"},
		{"end before start", `mutation { withdrawPerson(personId: "pe-900000004", organizationId: "og-900000003", role: INSTRUCTOR, on: "2001-01-01") { change { seq } } }`, nil, cobuild.EINVALID, "personId"},
		{"nothing to end", `mutation { leaveHub(organizationId: "og-900000004", hubId: "al-900000001", on: "2026-01-01") { change { seq } } }`, nil, cobuild.EINVALID, "hubId"},
		{"bad credit code", `mutation { registerOrganization(input: {name: "新企业", kind: ENTERPRISE, creditCode: "91320000MA1X2Y3Z4A", areaId: "ar-900000001"}) { change { seq } } }`, nil, cobuild.EINVALID, "input.creditCode"},
		{"a rule broken: too few members", `mutation { formPartyOrganization(input: {organizationId: "og-900000004", members: 1}) { change { seq } } }`, nil, cobuild.EINVALID, "input.members"},
		{"wrong mode for the kind", `mutation { linkCommunity(organizationId: "og-900000001", communityId: "og-900000011", mode: SHUANGSHE) { change { seq } } }`, nil, cobuild.EINVALID, "mode"},
	}
	before := l.lastSeq(t)
	for _, c := range cases {
		a := l.ask(t, l.urlA, admin, c.query, c.vars)
		if a.code() != c.code {
			t.Errorf("%s: code %q (%+v), want %s", c.name, a.code(), a.Errors, c.code)
			continue
		}
		if f, _ := a.Errors[0].Extensions["field"].(string); f != c.field {
			t.Errorf("%s: field %q, want %q", c.name, f, c.field)
		}
		if m := a.Errors[0].Message; !strings.ContainsFunc(m, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) || !strings.Contains(m, ".") {
			t.Errorf("%s: message %q is not in Chinese and English", c.name, m)
		}
	}
	if after := l.lastSeq(t); after != before {
		t.Errorf("refused mutations appended %d changes", after-before)
	}
	for _, role := range []auth.Role{auth.Analyst, auth.Viewer} {
		a := l.ask(t, l.urlA, l.token(t, role), assign, map[string]any{"p": "pe-900000004", "o": fixture.Ding, "role": "INSTRUCTOR"})
		if a.code() != cobuild.EFORBIDDEN {
			t.Errorf("%s: %s, want FORBIDDEN", role, a.code())
		}
	}
	// An officer of 东城镇 may change 甲, not 丁.
	officer := l.token(t, auth.Officer, "ar-900000001")
	if a := l.ask(t, l.urlA, officer, assign, map[string]any{"p": "pe-900000004", "o": fixture.Ding, "role": "INSTRUCTOR"}); a.code() != cobuild.EFORBIDDEN {
		t.Errorf("officer outside their area: %s, want FORBIDDEN", a.code())
	}
	if l.lastSeq(t) != before {
		t.Fatal("a refused mutation wrote")
	}

	// 丁 is uncovered: an instructor covers it by work.
	a := l.ask(t, l.urlA, admin, assign, map[string]any{"p": "pe-900000004", "o": fixture.Ding, "role": "INSTRUCTOR", "key": "k-ding-1"})
	if len(a.Errors) > 0 {
		t.Fatal(a.Errors)
	}
	var got struct {
		AssignPerson struct {
			Replayed bool
			Change   struct {
				Seq       int64
				Operation string
				Actor     struct{ Subject, Role string }
				Entities  []string
				Diffs     []struct {
					Entity, Field string
					Tie, Other    *string
					Before, After *string
				}
				CoverageEvents []struct{ Kind, OrganizationID, Before, After string }
			}
			Organization struct {
				ID       string
				Version  int64
				Coverage struct{ Status string }
			}
		}
	}
	if err := json.Unmarshal(a.Data, &got); err != nil {
		t.Fatal(err)
	}
	r := got.AssignPerson
	if r.Replayed || r.Change.Seq != before+1 || r.Change.Operation != "assignPerson" || r.Change.Actor.Subject != "admin-tester" || r.Change.Actor.Role != "admin" {
		t.Errorf("change %+v", r.Change)
	}
	if !slices.Contains(r.Change.Entities, fixture.Ding) || !slices.Contains(r.Change.Entities, "pe-900000004") {
		t.Errorf("entities %v", r.Change.Entities)
	}
	var since bool
	for _, d := range r.Change.Diffs {
		if d.Entity == "pe-900000004" && d.Tie != nil && *d.Tie == "ASSIGNED_TO" && d.Field == "since" && d.Before == nil && d.After != nil {
			since = true
		}
	}
	if !since {
		t.Errorf("no diff of the new tie's since: %+v", r.Change.Diffs)
	}
	if len(r.Change.CoverageEvents) != 1 || r.Change.CoverageEvents[0].Kind != "REGAINED_COVERAGE" || r.Change.CoverageEvents[0].After != "WORK" {
		t.Errorf("coverage events %+v", r.Change.CoverageEvents)
	}
	if r.Organization.Coverage.Status != "WORK" || r.Organization.Version != r.Change.Seq {
		t.Errorf("organisation after the write: %+v (change %d)", r.Organization, r.Change.Seq)
	}

	// The same key again: nothing written, the first answer.
	again := l.ask(t, l.urlA, admin, assign, map[string]any{"p": "pe-900000004", "o": fixture.Ding, "role": "INSTRUCTOR", "key": "k-ding-1"})
	var replay struct {
		AssignPerson struct {
			Replayed bool
			Change   struct{ Seq int64 }
		}
	}
	json.Unmarshal(again.Data, &replay)
	if len(again.Errors) > 0 || !replay.AssignPerson.Replayed || replay.AssignPerson.Change.Seq != r.Change.Seq || l.lastSeq(t) != r.Change.Seq {
		t.Errorf("replay: %+v %+v, last %d", replay, again.Errors, l.lastSeq(t))
	}

	// A stale version is CONFLICT; the current one writes.
	stale := l.ask(t, l.urlA, admin, `mutation($v: Int) { withdrawPerson(personId: "pe-900000004", organizationId: "og-900000004", role: INSTRUCTOR, on: "2099-01-01", expectedVersion: $v) { change { seq } } }`,
		map[string]any{"v": r.Organization.Version - 1})
	if stale.code() != cobuild.ECONFLICT {
		t.Errorf("stale version: %s %+v, want CONFLICT", stale.code(), stale.Errors)
	}
	fresh := l.ask(t, l.urlA, admin, `mutation($v: Int) { withdrawPerson(personId: "pe-900000004", organizationId: "og-900000004", role: INSTRUCTOR, on: "2099-01-01", expectedVersion: $v) { change { seq } } }`,
		map[string]any{"v": r.Organization.Version})
	if len(fresh.Errors) > 0 {
		t.Errorf("current version: %+v", fresh.Errors)
	}

	// The audit trail names who changed what.
	h := l.ask(t, l.urlA, admin, `{ history(id: "og-900000004") { seq operation actor { subject } }
	  changes(where: {actor: "admin-tester", entity: "og-900000004"}) { nodes { seq operation } } }`, nil)
	var hist struct {
		History []struct {
			Seq       int64
			Operation string
			Actor     struct{ Subject string }
		}
		Changes struct{ Nodes []struct{ Seq int64 } }
	}
	json.Unmarshal(h.Data, &hist)
	if len(h.Errors) > 0 || len(hist.History) < 2 || hist.History[0].Operation != "withdrawPerson" || hist.History[1].Seq != r.Change.Seq ||
		hist.History[1].Actor.Subject != "admin-tester" || len(hist.Changes.Nodes) < 2 {
		t.Errorf("history %+v changes %+v errors %+v", hist.History, hist.Changes, h.Errors)
	}
}

// TestWriteSeenBySecondServer: a write through one server is in the other's worklist and
// coverage within a second, applied in place, with no rebuild.
func TestWriteSeenBySecondServer(t *testing.T) {
	l := startLive(t)
	admin := l.token(t, auth.Admin)
	worklist := `{ organizations(where: {coverage: [UNCOVERED], isolated: true, nameContains: "癸"}, first: 50) { totalCount nodes { id } } coverageStats { total { uncovered } } }`
	type wl struct {
		Organizations struct {
			TotalCount int
			Nodes      []struct{ ID string }
		}
		CoverageStats struct{ Total struct{ Uncovered int } }
	}
	read := func(url string) wl {
		a := l.ask(t, url, admin, worklist, nil)
		if len(a.Errors) > 0 {
			t.Fatal(a.Errors)
		}
		var w wl
		json.Unmarshal(a.Data, &w)
		return w
	}
	// B has applied every change so far.
	l.b.Snapshots.Await(context.Background(), l.lastSeq(t))
	before := read(l.urlB)
	onList := func(w wl, id string) bool {
		return slices.ContainsFunc(w.Organizations.Nodes, func(n struct{ ID string }) bool { return n.ID == id })
	}
	if !onList(before, fixture.Gui) {
		t.Fatalf("癸 not on the worklist: %+v", before)
	}
	builds := l.b.Snapshots.Stats().Builds
	a := l.ask(t, l.urlA, admin, `mutation { joinHub(organizationId: "og-900000010", hubId: "al-900000001") { change { seq } } }
	`, nil)
	if len(a.Errors) > 0 {
		t.Fatal(a.Errors)
	}
	a = l.ask(t, l.urlA, admin, `mutation { assignPerson(personId: "pe-900000005", organizationId: "og-900000010", role: LIAISON) { change { seq } } }`, nil)
	if len(a.Errors) > 0 {
		t.Fatal(a.Errors)
	}
	written := time.Now()
	var after wl
	for {
		after = read(l.urlB)
		if !onList(after, fixture.Gui) && after.CoverageStats.Total.Uncovered == before.CoverageStats.Total.Uncovered-1 || time.Since(written) > 3*time.Second {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(written)
	if onList(after, fixture.Gui) || after.Organizations.TotalCount != before.Organizations.TotalCount-1 || after.CoverageStats.Total.Uncovered != before.CoverageStats.Total.Uncovered-1 {
		t.Fatalf("server B after the write: %+v, before %+v", after, before)
	}
	if took > time.Second {
		t.Errorf("server B saw the write after %s", took)
	}
	// The chain from 癸 to 甲 now runs through 联盟一.
	p := l.ask(t, l.urlB, admin, `{ path(from: "og-900000010", to: "og-900000001") { found hops } }`, nil)
	if !strings.Contains(string(p.Data), `"found":true`) || !strings.Contains(string(p.Data), `"hops":2`) {
		t.Errorf("path on B: %s %+v", p.Data, p.Errors)
	}
	if st := l.b.Snapshots.Stats(); st.Builds != builds || st.Patches == 0 {
		t.Errorf("server B: %d builds (was %d), %d patches; want the change applied in place", st.Builds, builds, st.Patches)
	}
	t.Logf("server B answered the write after %s", took)
}

// TestConcurrentWritesLoseNothingAndDoubleNothing: 1,000 writes from 10 clients, each
// sent twice with its key as a retry would, give 1,000 changes in an unbroken sequence and
// 1,000 events in the graph.
func TestConcurrentWritesLoseNothingAndDoubleNothing(t *testing.T) {
	l := startLive(t)
	ctx := context.Background()
	start := l.lastSeq(t)
	var wg sync.WaitGroup
	errs := make(chan error, 2000)
	for c := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				key := fmt.Sprintf("load-%d-%d", c, i)
				cmd := cobuild.Command{Op: "recordEvent", Key: key, Actor: cobuild.Actor{Subject: fmt.Sprintf("client-%d", c), Role: "admin"},
					Args: map[string]any{"input.name": key, "input.kind": "JOINT_ACTIVITY", "input.date": "2026-11-30",
						"input.hostIds": []string{fixture.Alliance2}, "input.attendeeIds": []string{fixture.Wu}}}
				for range 2 {
					if _, err := l.a.Store.Apply(ctx, cmd); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	changes, more, err := l.a.Store.Changes(ctx, cobuild.ChangeFilter{Op: "recordEvent"}, start, 2000)
	if err != nil || more {
		t.Fatal(err, more)
	}
	keys := map[string]bool{}
	for i, c := range changes {
		if c.Seq != start+int64(i)+1 {
			t.Fatalf("change %d has seq %d, want %d", i, c.Seq, start+int64(i)+1)
		}
		if keys[c.Key] {
			t.Errorf("key %s recorded twice", c.Key)
		}
		keys[c.Key] = true
	}
	n, err := l.a.Store.Count(ctx, "MATCH (e:Event) WHERE e.name STARTS WITH 'load-' RETURN count(e) AS n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1000 || len(keys) != 1000 || n != 1000 {
		t.Errorf("%d changes, %d keys, %d events; want 1000 of each", len(changes), len(keys), n)
	}
}

// TestBulkLoadsAreBatchesOfTheLog: the seed of the district and the load of the drawing
// went through the change log, each as one batch.
func TestBulkLoadsAreBatchesOfTheLog(t *testing.T) {
	l := startLive(t)
	for _, op := range []string{"seed", "load"} {
		cs, _, err := l.a.Store.Changes(context.Background(), cobuild.ChangeFilter{Op: op}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || !cs[0].Batch || cs[0].Actor.Subject != "cobuild" {
			t.Errorf("%s: %+v, want one batch change by cobuild", op, cs)
		}
	}
}
