package snapshot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/neo4jstore"
	"cobuild/neo4jtest"
	"cobuild/snapshot"
)

// counted is the test Neo4j's store, counting the reads snapshots are built from, with a
// graph version the test sets and reads that can be made to fail.
type counted struct {
	*neo4jstore.Store

	mu      sync.Mutex
	reads   map[string]int
	version string
	fail    error
}

func newCounted(t *testing.T) *counted {
	return &counted{Store: neo4jtest.Store(t), reads: map[string]int{}, version: "v1"}
}

func (c *counted) read(what string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads[what]++
	return c.fail
}

func (c *counted) count(what string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads[what]
}

func (c *counted) set(version string, fail error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.fail = version, fail
}

func (c *counted) GraphVersion(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads["version"]++
	return c.version, c.fail
}

func (c *counted) NetworkTies(ctx context.Context, asOf time.Time, types []cobuild.TieType) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	if err := c.read("network"); err != nil {
		return nil, nil, err
	}
	return c.Store.NetworkTies(ctx, asOf, types)
}

func (c *counted) CensusPlaces(ctx context.Context) ([]cobuild.CensusRow, error) {
	if err := c.read("places"); err != nil {
		return nil, err
	}
	return c.Store.CensusPlaces(ctx)
}

func (c *counted) CensusFacts(ctx context.Context, asOf time.Time) (map[string]*cobuild.DayFacts, error) {
	if err := c.read("facts"); err != nil {
		return nil, err
	}
	return c.Store.CensusFacts(ctx, asOf)
}

func (c *counted) RoundEvaluations(ctx context.Context, rounds []string) ([]*cobuild.Evaluation, error) {
	if err := c.read("round"); err != nil {
		return nil, err
	}
	return c.Store.RoundEvaluations(ctx, rounds)
}

var sourceDay = time.Date(2023, 10, 21, 0, 0, 0, 0, time.UTC)

// A snapshot is built once per key and version, kept, and built again for another version;
// the cache keeps the newest Keep of them.
func TestSnapshotsAreKeptPerKeyAndVersion(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{Keep: 2})
	ctx := context.Background()
	key := func(d int) snapshot.Key {
		return snapshot.ProjectionKey(sourceDay.AddDate(0, 0, d), []cobuild.TieType{cobuild.MemberOf})
	}
	p, err := svc.Projection(ctx, key(0), "v1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Meta.Version != "v1" || p.Meta.Key != key(0) || p.Graph.Nodes() == 0 {
		t.Fatalf("meta %+v, %d nodes", p.Meta, p.Graph.Nodes())
	}
	if again, _ := svc.Projection(ctx, key(0), "v1"); again != p || src.count("network") != 1 {
		t.Fatalf("the same key and version read the network %d times", src.count("network"))
	}
	if other, _ := svc.Projection(ctx, key(0), "v2"); other == p || src.count("network") != 2 {
		t.Fatalf("another version: %d reads, the same snapshot %v", src.count("network"), other == p)
	}
	if _, ok := svc.Cached(key(0), "v1"); !ok {
		t.Fatal("two snapshots with Keep 2: the first was dropped")
	}
	if _, err := svc.Projection(ctx, key(1), "v1"); err != nil {
		t.Fatal(err)
	}
	if _, ok := svc.Cached(key(0), "v1"); ok {
		t.Error("a third snapshot with Keep 2: the oldest is still cached")
	}
	if _, ok := svc.Cached(key(0), "v2"); !ok {
		t.Error("a third snapshot with Keep 2: the second newest was dropped")
	}
	// Asking for a kept one makes it no newer (it is not rebuilt), but putting it again
	// through Replace does.
	svc.Replace(key(0), "v2", p)
	if got, ok := svc.Cached(key(0), "v2"); !ok || got != any(p) {
		t.Error("Replace did not put the snapshot under its key and version")
	}
}

// A failed build is not kept: the next request builds again, and succeeds.
func TestAFailedBuildIsNotKept(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{})
	ctx := context.Background()
	broken := errors.New("the store is down")
	src.set("v1", broken)
	if _, err := svc.Round(ctx, "2023-05", "v1"); !errors.Is(err, broken) {
		t.Fatalf("a failing read: %v", err)
	}
	src.set("v1", nil)
	r, err := svc.Round(ctx, "2023-05", "v1")
	if err != nil || len(r.Evaluations) == 0 || src.count("round") != 2 {
		t.Fatalf("after the failure: %v, %d reads", err, src.count("round"))
	}
	if r.Meta.Parameters() != "round=2023-05" {
		t.Errorf("parameters %q", r.Meta.Parameters())
	}
}

// A census reads the places once per version and the facts once per day; the places are a
// snapshot of their own.
func TestCensusesShareThePlacesOfAVersion(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{})
	ctx := context.Background()
	c1, err := svc.Census(ctx, sourceDay, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Census(ctx, sourceDay.AddDate(-1, 0, 0), "v1"); err != nil {
		t.Fatal(err)
	}
	if src.count("places") != 1 || src.count("facts") != 2 {
		t.Errorf("two days of one version: places read %d times, facts %d; want 1 and 2", src.count("places"), src.count("facts"))
	}
	places, err := svc.Places(ctx, "v1")
	if err != nil || src.count("places") != 1 || len(places.Rows) != len(c1.Rows) {
		t.Errorf("the places of the version: %v, read %d times, %d rows (census %d)", err, src.count("places"), len(places.Rows), len(c1.Rows))
	}
	if c1.Meta.Parameters() != "asOf=2023-10-21" || len(c1.Rows) == 0 {
		t.Errorf("parameters %q, %d rows", c1.Meta.Parameters(), len(c1.Rows))
	}
	// Every managed organisation's facts carry its sector and party members.
	for i, row := range c1.Rows {
		if f := c1.FactsOf(i); f.Sector != row.Sector || f.PartyMembers != row.PartyMembers {
			t.Fatalf("row %d (%s): facts of sector %s with %d members, the row %s with %d", i, row.ID,
				f.Sector, f.PartyMembers, row.Sector, row.PartyMembers)
		}
	}
	if _, err := svc.Census(ctx, sourceDay, "v2"); err != nil || src.count("places") != 2 {
		t.Errorf("a new version: %v, places read %d times, want 2", err, src.count("places"))
	}
}

// A view takes the version once, and asks the service once per key.
func TestAViewAnswersFromOneVersion(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{})
	ctx := context.Background()
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	v := svc.View()
	if _, ok := v.CachedCensus(ctx, sourceDay); ok {
		t.Fatal("a census cached before any was built")
	}
	if _, ok := v.CachedPlaces(ctx); ok {
		t.Fatal("places cached before any were built")
	}
	c, err := v.Census(ctx, sourceDay)
	if err != nil {
		t.Fatal(err)
	}
	src.set("v2", nil)
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if version, _ := v.Version(ctx); version != "v1" {
		t.Errorf("the view moved to %s", version)
	}
	again, _ := v.Census(ctx, sourceDay)
	cached, ok := v.CachedCensus(ctx, sourceDay)
	places, pok := v.CachedPlaces(ctx)
	if again != c || !ok || cached != c || !pok || places == nil {
		t.Error("the view's census or places are not those of its version")
	}
	if _, err := v.Places(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Round(ctx, "2023-05"); err != nil {
		t.Fatal(err)
	}
	p, err := v.Projection(ctx, snapshot.ProjectionKey(sourceDay, []cobuild.TieType{cobuild.MemberOf}))
	if err != nil || p.Meta.Version != "v1" {
		t.Fatalf("projection of the view: %v, version %s", err, p.Meta.Version)
	}
	if src.count("facts") != 1 || src.count("round") != 1 || src.count("network") != 1 {
		t.Errorf("reads %v, want one of each", src.reads)
	}
	if version, _ := svc.View().Version(ctx); version != "v2" {
		t.Errorf("a new view answers from %s, want v2", version)
	}
}

// Watch reads the version at its interval until stopped; a failed read keeps the last.
func TestWatchFollowsTheVersion(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{Poll: 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.Watch(ctx); close(done) }()
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if v, err := svc.Version(context.Background()); err == nil && v == want {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Fatalf("the version did not become %s", want)
	}
	waitFor("v1")
	src.set("v2", nil)
	waitFor("v2")
	src.set("v3", errors.New("down"))
	reads := src.count("version")
	for src.count("version") < reads+3 {
		time.Sleep(time.Millisecond)
	}
	if v, _ := svc.Version(context.Background()); v != "v2" {
		t.Errorf("after failed reads the version is %q, want the last one read, v2", v)
	}
	cancel()
	<-done
}

// Keys name what they say: tie sets in any order and with repeats are one, and each kind
// of key describes itself.
func TestKeys(t *testing.T) {
	a := snapshot.ProjectionKey(sourceDay, []cobuild.TieType{cobuild.MemberOf, cobuild.Attended, cobuild.MemberOf})
	b := snapshot.ProjectionKey(sourceDay, []cobuild.TieType{cobuild.Attended, cobuild.MemberOf})
	if a != b || !slices.Equal(a.TieTypes(), []cobuild.TieType{cobuild.Attended, cobuild.MemberOf}) {
		t.Errorf("tie sets: %+v and %+v, types %v", a, b, a.TieTypes())
	}
	joint := snapshot.ProjectionKey(sourceDay, nil)
	if len(joint.TieTypes()) != len(cobuild.JointTies) {
		t.Errorf("the default tie set has %d types, the joint ties are %d", len(joint.TieTypes()), len(cobuild.JointTies))
	}
	for _, tc := range []struct {
		key  snapshot.Key
		says string
	}{
		{a, "projection 2023-10-21 ATTENDED,MEMBER_OF"},
		{snapshot.CensusKey(sourceDay), "census 2023-10-21"},
		{snapshot.PlacesKey(), "places"},
		{snapshot.RoundKey("2023-05"), "round 2023-05"},
		{snapshot.Key{}, "unknown snapshot"},
	} {
		if got := tc.key.String(); got != tc.says {
			t.Errorf("%+v says %q, want %q", tc.key, got, tc.says)
		}
	}
	m := snapshot.Meta{Key: a}
	if got := m.Parameters(); !strings.Contains(got, "asOf=2023-10-21") || !strings.Contains(got, "ties=ATTENDED,MEMBER_OF") {
		t.Errorf("projection parameters %q", got)
	}
	if got := (snapshot.Meta{Key: snapshot.PlacesKey()}).Parameters(); got != "" {
		t.Errorf("places parameters %q", got)
	}
}

// By default Watch reads the version at an interval (200 ms): a change is seen.
func TestWatchByDefault(t *testing.T) {
	src := newCounted(t)
	svc := snapshot.New(src, cobuild.DefaultRules(), snapshot.Options{})
	if _, err := svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go svc.Watch(ctx)
	src.set("v2", nil)
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		if v, _ := svc.Version(context.Background()); v == "v2" {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the change was not seen within 5 s")
}
