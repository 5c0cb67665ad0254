package server_test

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkWorkload runs cobuild's side of the side-by-side benchmark (bench/ops/*/
// cobuild.graphql) through the whole HTTP handler and reports each operation's Neo4j db
// hits, which the side-by-side program cannot see from outside the process.
func BenchmarkWorkload(b *testing.B) {
	h := api(b)
	var first struct {
		Organizations struct{ PageInfo struct{ EndCursor string } }
	}
	for _, op := range []string{"organization", "countsByKind", "townPage", "townPage2", "mostTies", "townWorklist", "coverageByTown", "chain"} {
		q, err := os.ReadFile(filepath.Join("..", "bench", "ops", op, "cobuild.graphql"))
		if err != nil {
			b.Fatal(err)
		}
		var vars map[string]any
		if op == "townPage2" {
			vars = map[string]any{"after": first.Organizations.PageInfo.EndCursor}
		}
		if op == "townPage" {
			data(b, h, string(q), nil, &first)
		}
		b.Run(op, func(b *testing.B) { benchOperation(b, string(q), vars) })
	}
}

// BenchmarkWorkloadParallel runs one organisation with its ties from eight clients at
// once, the load of the side-by-side benchmark's concurrency 8, for profiling.
func BenchmarkWorkloadParallel(b *testing.B) {
	h := api(b)
	q, err := os.ReadFile(filepath.Join("..", "bench", "ops", "organization", "cobuild.graphql"))
	if err != nil {
		b.Fatal(err)
	}
	post(b, h, string(q), nil)
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			post(b, h, string(q), nil)
		}
	})
}
