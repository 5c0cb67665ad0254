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
