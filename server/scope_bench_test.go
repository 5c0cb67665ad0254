package server_test

import (
	"context"
	"testing"

	"cobuild/neo4jtest"
	"cobuild/snapshot"
)

// BenchmarkNarrowToATown measures what an officer of a town adds once per version of the
// graph: reading the town's scope, and narrowing the day's projection and census to it
// (the whole graph's are built already).
func BenchmarkNarrowToATown(b *testing.B) {
	m := neo4jtest.Main(b)
	ctx := context.Background()
	version, err := m.Snapshots.Version(ctx)
	if err != nil {
		b.Fatal(err)
	}
	day := mustDay(sourceDay)
	p, err := m.Snapshots.Projection(ctx, snapshot.ProjectionKey(day, nil), version)
	if err != nil {
		b.Fatal(err)
	}
	c, err := m.Snapshots.Census(ctx, day, version)
	if err != nil {
		b.Fatal(err)
	}
	scope, err := m.Store.ReadScope(ctx, []string{scopeTown})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("scope", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Store.ReadScope(ctx, []string{scopeTown}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("projection", func(b *testing.B) {
		for b.Loop() {
			p.Projection.Within(scope.Has)
		}
	})
	b.Run("census", func(b *testing.B) {
		for b.Loop() {
			c.Census.Within(c.Places.Within(scope.Has))
		}
	})
}

// BenchmarkOfficerOfATown runs an officer's everyday requests as the officer of a town,
// once the town's snapshots are narrowed: the dashboard's coverage, the worklist, the
// network and a list with its ties.
func BenchmarkOfficerOfATown(b *testing.B) {
	h := as(officer(scopeTown), api(b))
	for _, op := range []struct{ name, query string }{
		{"coverageByArea", `{ coverageStats(by: [AREA], asOf: "2023-10-21") { total { coverageRate } groups { keys { label } operating own joint } } }`},
		{"worklist", `{ organizations(where: {coverage: [UNCOVERED], isolated: true, asOf: "2023-10-21"}, first: 50) { totalCount
			nodes { name coverage(asOf: "2023-10-21") { reason } coverageCandidates(first: 3, asOf: "2023-10-21") { score node { name } } } } }`},
		{"network", `{ network(asOf: "2023-10-21") { islandCount islands(first: 10) { size } brokers(first: 10) { splitsInto } bridges(first: 10) { sides } } }`},
		{"listWithTies", `{ organizations(first: 50) { totalCount nodes { name area { name } partyOrganizations { partyOrganization { name } }
			memberships { hub { ... on Alliance { name } } } people { person { name } } } } }`},
	} {
		b.Run(op.name, func(b *testing.B) {
			post(b, h, op.query, nil) // narrows the town's snapshots
			for b.Loop() {
				if r := post(b, h, op.query, nil); len(r.Errors) > 0 {
					b.Fatalf("query failed: %+v", r.Errors)
				}
			}
		})
	}
}
