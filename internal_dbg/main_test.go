package dbg

import (
	"context"
	"os"
	"testing"
	"time"

	"cobuild"
	"cobuild/neo4jstore"
)

func TestTiesAt(t *testing.T) {
	ctx := context.Background()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: "bolt://127.0.0.1:7700", User: "neo4j", Password: os.Getenv("PW")}, cobuild.DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		start := time.Now()
		nodes, ties, err := s.TiesAt(ctx, cobuild.Today(), cobuild.NetworkTies, []string{"pe-000001", "og-000001", "al-000001", "og-000002"})
		t.Log(len(nodes), len(ties), err, time.Since(start))
	}
	start := time.Now()
	_, err = s.PlacesOf(ctx, []string{"og-000001", "og-000002"})
	t.Log("places", err, time.Since(start))
	start = time.Now()
	_, err = s.FactsOf(ctx, cobuild.Today(), []string{"og-000001", "og-000002"})
	t.Log("facts", err, time.Since(start))
}
