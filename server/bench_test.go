package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cobuild"
	"cobuild/neo4jtest"
	"cobuild/snapshot"
)

// Benchmarks of representative analyst operations through the whole HTTP handler on the
// seeded test database. Run with `make bench`; results are in docs/benchmarks.md.

func benchOperation(b *testing.B, query string, vars map[string]any) {
	h := api(b)
	// Warm caches and the connection pool; at 50x the first request of a day may time out
	// while its projection or census is built (the build goes on): wait for it.
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(2 * time.Second) {
		r := post(b, h, query, vars)
		if len(r.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) || r.Errors[0].Extensions["code"] != "TIMEOUT" {
			b.Fatalf("query failed: %+v", r.Errors)
		}
	}
	// One profiled run gives the database hits of the operation, which do not depend on
	// the machine and so guard against regressions better than times.
	s := neo4jtest.Store(b)
	s.Profile(true)
	post(b, h, query, vars)
	hits := s.Profile(false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := post(b, h, query, vars)
		if len(r.Errors) > 0 {
			b.Fatalf("query failed: %+v", r.Errors)
		}
	}
	b.ReportMetric(float64(hits), "dbhits/op")
}

func BenchmarkOrganizationWithTies(b *testing.B) {
	benchOperation(b, `{ organization(name: "宣城仁杰医院") { name coverage { status } partyOrganizations { partyOrganization { name } }
		memberships { role } coBuilds { mode } people { role } latestEvaluation { score tier stars } } }`, nil)
}

func BenchmarkDeepListOf100(b *testing.B) {
	benchOperation(b, deepList, map[string]any{"n": 100})
}

func BenchmarkIsolatedAndUncoveredCount(b *testing.B) {
	benchOperation(b, `{ organizations(where: {coverage: [UNCOVERED], isolated: true, sector: [ENTERPRISE, SOCIAL]}, first: 50) { totalCount nodes { name } } }`, nil)
}

func BenchmarkShouldHaveOwnPage(b *testing.B) {
	benchOperation(b, `{ organizations(where: {shouldHaveOwn: true, operating: true}, sort: {field: PARTY_MEMBERS, direction: DESC}, first: 50) { totalCount nodes { name partyMembers coverage { status } } } }`, nil)
}

func BenchmarkWeakEvaluations(b *testing.B) {
	benchOperation(b, `{ evaluations(where: {round: "2023-05", tier: [WEAK]}) { totalCount nodes { score partyOrganization { name } dimensions { self committee } } } }`, nil)
}

// Network operations. The projection is cached per day and graph version, so these measure
// answering from a built projection; BenchmarkNetworkProjectionBuild measures building one.

func namedIDs(b *testing.B) (string, string, string) {
	var d struct {
		A, B, Alliance struct{ ID string }
	}
	data(b, api(b), `{ a: organization(name: "城东社区") { id } b: organization(name: "宣城仁杰医院") { id } alliance(name: "民办医院党建联盟") { id } }`, nil, &d)
	return d.A.ID, d.B.ID, d.Alliance.ID
}

func BenchmarkNetworkPathOfTheNamedChain(b *testing.B) {
	a, h, _ := namedIDs(b)
	benchOperation(b, `query($a: ID!, $b: ID!) { path(from: $a, to: $b, asOf: "2023-10-21", limit: 5) { hops count explanation } }`,
		map[string]any{"a": a, "b": h})
}

func BenchmarkNetworkIslandsBrokersBridges(b *testing.B) {
	benchOperation(b, `{ network(asOf: "2023-10-21") { islandCount islands(first: 10) { size } brokers(first: 10) { splitsInto } bridges(first: 10) { sides } } }`, nil)
}

func BenchmarkNetworkEgoOfTheAlliance(b *testing.B) {
	_, _, al := namedIDs(b)
	benchOperation(b, `query($id: ID!) { egoNetwork(id: $id, hops: 2, asOf: "2023-10-21") { nodes { distance } ties { type } truncated } }`,
		map[string]any{"id": al})
}

func BenchmarkNetworkWhatIfTheAllianceWentAway(b *testing.B) {
	_, _, al := namedIDs(b)
	benchOperation(b, `query($id: ID!) { whatIf(remove: $id, asOf: "2023-10-21") { islandsAfter newlyIsolated { id } lostCoverage { after } } }`,
		map[string]any{"id": al})
}

func BenchmarkNetworkFarFromCoverage(b *testing.B) {
	benchOperation(b, `{ network(asOf: "2023-10-21") { farFromCoverage(hops: 2) { totalCount } } }`, nil)
}

var newDays int

// nextDay is a day no benchmark has asked about yet, so that its projection or census is
// built anew.
func nextDay() time.Time {
	newDays++
	return mustDay("2022-01-01").AddDate(0, 0, newDays)
}

// BenchmarkNetworkProjectionBuild reads and builds the projection of a day not asked
// before, on the service directly: a build at 50 times the district can outlast a
// request's timeout when Neo4j's page cache is cold (it then finishes in the background).
func BenchmarkNetworkProjectionBuild(b *testing.B) {
	m := neo4jtest.Main(b)
	s, svc := m.Store, m.Snapshots
	ctx := context.Background()
	version, err := svc.Version(ctx)
	if err != nil {
		b.Fatal(err)
	}
	// The database hits of one read, profiled apart from the timed builds.
	s.Profile(true)
	if _, _, err := s.NetworkTies(ctx, nextDay(), cobuild.JointTies); err != nil {
		b.Fatal(err)
	}
	hits := s.Profile(false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Projection(ctx, snapshot.ProjectionKey(nextDay(), nil), version); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(hits), "dbhits/op")
}

// BenchmarkNetworkCandidatesForAListOf50 lists 50 uncovered organisations with their three
// best candidate coverers each: the officer's worklist.
func BenchmarkNetworkCandidatesForAListOf50(b *testing.B) {
	benchOperation(b, `{ organizations(where: {coverage: [UNCOVERED], asOf: "2023-10-21"}, first: 50) {
		nodes { id name coverageCandidates(first: 3, asOf: "2023-10-21") { rank score hops node { id name } reasons } } } }`, nil)
}

// BenchmarkCensusBuild builds the census of a day not asked before: the coverage facts of
// every organisation on the day, over the places read once per version of the graph.
func BenchmarkCensusBuild(b *testing.B) {
	m := neo4jtest.Main(b)
	s, svc := m.Store, m.Snapshots
	ctx := context.Background()
	version, err := svc.Version(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := svc.Census(ctx, nextDay(), version); err != nil { // reads the places too, once
		b.Fatal(err)
	}
	b.Logf("first census, places included: %v", time.Since(start))
	s.Profile(true)
	if _, err := s.CensusFacts(ctx, nextDay()); err != nil {
		b.Fatal(err)
	}
	hits := s.Profile(false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Census(ctx, nextDay(), version); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(hits), "dbhits/op")
}

// BenchmarkDashboardPanels runs each dashboard panel's request (testdata/dashboard_*.graphql,
// the golden operations) once the day's census and projection are built.
func BenchmarkDashboardPanels(b *testing.B) {
	files, err := filepath.Glob("testdata/dashboard_*.graphql")
	if err != nil || len(files) == 0 {
		b.Fatalf("no dashboard operations: %v", err)
	}
	for _, f := range files {
		q, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "dashboard_"), ".graphql")
		b.Run(name, func(b *testing.B) { benchOperation(b, string(q), nil) })
	}
}
