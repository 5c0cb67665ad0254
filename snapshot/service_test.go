package snapshot_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/neo4jstore"
	"cobuild/neo4jtest"
	"cobuild/snapshot"
)

// gated reads the network from the test Neo4j once the gate opens, counting the reads.
type gated struct {
	*neo4jstore.Store
	gate  chan struct{}
	reads *atomic.Int32
}

func (g gated) NetworkTies(ctx context.Context, asOf time.Time, types []cobuild.TieType) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	<-g.gate
	g.reads.Add(1)
	return g.Store.NetworkTies(ctx, asOf, types)
}

// TestBuildsAreSharedAndTheirQueueIsBounded asks for projections of several days while
// their reads are held back: requests for the same day share one build, builds go on
// after the request that started them gives up, and a request beyond the queue's bound
// fails at once with UNAVAILABLE instead of waiting.
func TestBuildsAreSharedAndTheirQueueIsBounded(t *testing.T) {
	g := gated{neo4jtest.Store(t), make(chan struct{}), &atomic.Int32{}}
	svc := snapshot.New(g, cobuild.DefaultRules(), snapshot.Options{MaxQueued: 2})
	version, err := svc.Version(context.Background()) // and warm the connection pool
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) snapshot.Key {
		return snapshot.ProjectionKey(time.Date(2021, 1, d, 0, 0, 0, 0, time.UTC), nil)
	}
	impatient := func(d int) error {
		// The build is held at the gate, so any deadline passes first.
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := svc.Projection(ctx, day(d), version)
		return err
	}
	for _, d := range []int{1, 2, 1} {
		if err := impatient(d); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("day %d while held: %v, want the request's deadline", d, err)
		}
	}
	if err := impatient(3); cobuild.ErrorCode(err) != cobuild.EUNAVAILABLE {
		t.Fatalf("a third day with two builds queued: %v, want UNAVAILABLE", err)
	}
	close(g.gate)
	ctx := context.Background()
	p1, err := svc.Projection(ctx, day(1), version)
	if err != nil {
		t.Fatal(err)
	}
	if p1.Graph.Nodes() == 0 {
		t.Fatal("an empty projection")
	}
	again, err := svc.Projection(ctx, day(1), version)
	if err != nil || again != p1 {
		t.Fatalf("day 1 again: %p %v, want the cached %p", again, err, p1)
	}
	if _, err := svc.Projection(ctx, day(3), version); err != nil {
		t.Fatalf("day 3 once the queue drained: %v", err)
	}
	// Day 1 was asked four times and built once, by the build its first request started
	// and left; day 2 once; day 3 once the queue drained.
	if n := g.reads.Load(); n != 3 {
		t.Errorf("%d reads of the network, want 3", n)
	}
}

// held reads the network from the test Neo4j, each read waiting while the test holds
// them back.
type held struct {
	*neo4jstore.Store
	version atomic.Value // string
	hold    atomic.Pointer[chan struct{}]
	reads   atomic.Int32
}

func (h *held) GraphVersion(context.Context) (string, error) { return h.version.Load().(string), nil }

func (h *held) NetworkTies(ctx context.Context, asOf time.Time, types []cobuild.TieType) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	if c := h.hold.Load(); c != nil {
		select {
		case <-*c:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	h.reads.Add(1)
	return h.Store.NetworkTies(ctx, asOf, types)
}

func (h *held) stop() func() {
	c := make(chan struct{})
	h.hold.Store(&c)
	return func() { h.hold.Store(nil); close(c) }
}

// TestPinnedSnapshotsStayAndAnswerWhileRebuilt: today's projection is never evicted by
// projections of other days, and when the graph changes the old one answers at once while
// the new one is built beside it.
func TestPinnedSnapshotsStayAndAnswerWhileRebuilt(t *testing.T) {
	h := &held{Store: neo4jtest.Store(t)}
	h.version.Store("v1")
	today := time.Date(2023, 10, 21, 0, 0, 0, 0, time.UTC)
	pin := snapshot.ProjectionKey(today, nil)
	svc := snapshot.New(h, cobuild.DefaultRules(), snapshot.Options{Keep: 1, Pinned: func() []snapshot.Key { return []snapshot.Key{pin} }})
	ctx := context.Background()
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := svc.Projection(ctx, pin, "v1")
	if err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 3; d++ {
		if _, err := svc.Projection(ctx, snapshot.ProjectionKey(time.Date(2022, 1, d, 0, 0, 0, 0, time.UTC), nil), "v1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := svc.Cached(pin, "v1"); !ok {
		t.Fatal("three other days evicted the pinned projection (Keep 1)")
	}
	if _, ok := svc.Cached(snapshot.ProjectionKey(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), nil), "v1"); ok {
		t.Fatal("an unpinned projection outlived Keep")
	}

	h.version.Store("v2")
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	release := h.stop()
	// Held back, the build cannot finish: only the old projection can answer in time.
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	during, err := svc.Projection(wait, pin, "v2")
	if err != nil || during != first {
		release()
		t.Fatalf("while v2 is built: %p %v, want the v1 projection %p at once", during, err, first)
	}
	// A request still on v1 is answered from v1 too, without a build of its own.
	if old, err := svc.Projection(wait, pin, "v1"); err != nil || old != first {
		release()
		t.Fatalf("a request on v1: %p %v", old, err)
	}
	release()
	var fresh *snapshot.Projection
	for range 600 {
		if v, ok := svc.Cached(pin, "v2"); ok {
			fresh = v.(*snapshot.Projection)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if fresh == nil || fresh.Version != "v2" {
		t.Fatalf("the v2 projection was never built beside the old one: %v", fresh)
	}
	if _, ok := svc.Cached(pin, "v1"); ok {
		t.Error("the v1 projection is still kept after v2 replaced it")
	}
	if got, err := svc.Projection(ctx, pin, "v2"); err != nil || got != fresh {
		t.Fatalf("after the rebuild: %p %v, want %p", got, err, fresh)
	}
	// 4 days and the rebuild; the request on v1 built nothing.
	if n := h.reads.Load(); n != 5 {
		t.Errorf("%d reads of the network, want 5", n)
	}
}

// TestBuildsOfOtherDaysAreBoundedPerClient: one client may have builds of PerClient days
// that are not pinned under way; a build of another day fails at once with RATE_LIMITED,
// while another client is still served.
func TestBuildsOfOtherDaysAreBoundedPerClient(t *testing.T) {
	h := &held{Store: neo4jtest.Store(t)}
	h.version.Store("v1")
	svc := snapshot.New(h, cobuild.DefaultRules(), snapshot.Options{PerClient: 2, MaxQueued: 8})
	release := h.stop()
	defer release()
	ask := func(client string, d int) error {
		ctx, cancel := context.WithTimeout(snapshot.WithClient(context.Background(), client), 50*time.Millisecond)
		defer cancel()
		_, err := svc.Projection(ctx, snapshot.ProjectionKey(time.Date(2021, 3, d, 0, 0, 0, 0, time.UTC), nil), "v1")
		return err
	}
	for d := 1; d <= 2; d++ {
		if err := ask("a", d); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("client a, day %d: %v, want its deadline while held", d, err)
		}
	}
	if err := ask("a", 3); cobuild.ErrorCode(err) != cobuild.ERATELIMITED {
		t.Fatalf("client a, a third day: %v, want RATE_LIMITED", err)
	}
	if err := ask("a", 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client a, a day it is building already: %v, want to wait for it", err)
	}
	// Another snapshot of a day it is building counts with that day.
	ctx, cancel := context.WithTimeout(snapshot.WithClient(context.Background(), "a"), 50*time.Millisecond)
	defer cancel()
	other := snapshot.ProjectionKey(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), []cobuild.TieType{cobuild.MemberOf})
	if _, err := svc.Projection(ctx, other, "v1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client a, other ties of a day it is building: %v, want its build started", err)
	}
	if err := ask("b", 3); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client b: %v, want its build started", err)
	}
}
