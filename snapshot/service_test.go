package server_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/neo4jstore"
	"cobuild/neo4jtest"
)

// gated reads the network from the test Neo4j once the gate opens.
type gated struct {
	*neo4jstore.Store
	gate chan struct{}
}

func (g gated) NetworkTies(ctx context.Context, asOf time.Time, types []string) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	<-g.gate
	return g.Store.NetworkTies(ctx, asOf, types)
}

// TestBuildsAreSharedAndTheirQueueIsBounded asks for projections of several days while
// their reads are held back: requests for the same day share one build, builds go on
// after the request that started them gives up, and a request beyond the queue's bound
// fails at once with UNAVAILABLE instead of waiting.
func TestBuildsAreSharedAndTheirQueueIsBounded(t *testing.T) {
	g := gated{neo4jtest.Store(t), make(chan struct{})}
	svc := analytics.NewService(g, cobuild.DefaultRules())
	svc.MaxQueued = 2
	day := func(d int) time.Time { return time.Date(2021, 1, d, 0, 0, 0, 0, time.UTC) }
	impatient := func(d int) error {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		_, err := svc.Projection(ctx, day(d), nil)
		return err
	}
	if _, err := g.NetworkVersion(context.Background()); err != nil { // warm the connection pool
		t.Fatal(err)
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
	p1, err := svc.Projection(ctx, day(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p1.Graph.Nodes() == 0 {
		t.Fatal("an empty projection")
	}
	again, err := svc.Projection(ctx, day(1), nil)
	if err != nil || again != p1 {
		t.Fatalf("day 1 again: %p %v, want the cached %p", again, err, p1)
	}
	if _, err := svc.Projection(ctx, day(3), nil); err != nil {
		t.Fatalf("day 3 once the queue drained: %v", err)
	}
}
