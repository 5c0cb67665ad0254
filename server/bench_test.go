package server_test

import (
	"testing"
)

// Benchmarks of representative analyst operations through the whole HTTP handler on the
// seeded test database. Run with `make bench`; results are in docs/benchmarks.md.

func benchOperation(b *testing.B, query string, vars map[string]any) {
	h := api(b)
	post(b, h, query, vars) // warm caches and the connection pool
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := post(b, h, query, vars)
		if len(r.Errors) > 0 {
			b.Fatalf("query failed: %+v", r.Errors)
		}
	}
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
