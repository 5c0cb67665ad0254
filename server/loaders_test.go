package server_test

import (
	"testing"

	"cobuild/neo4jtest"
)

const deepList = `query($n: Int!) {
	organizations(first: $n, where: {sector: [ENTERPRISE], partyMembersMin: 1}) {
		nodes {
			name
			partyOrganizations { partyOrganization { name kind } since }
			memberships { hub { ... on Alliance { name kind } ... on RedZone { name } } role }
			people(types: [ASSIGNED_TO]) { person { name } role }
			latestEvaluation { round score tier stars }
			coverage { status isolated }
			industry { name }
			area { name }
		}
	}
}`

// TestListsCostQueriesByDepthNotByRows lists organisations with their party organisation,
// alliances, instructors, latest evaluation and more, and counts the Cypher statements
// sent: 100 rows must cost about as many statements as 10 rows, one per loader in the
// query. A loader gathers keys for loaders.Wait; on a busy machine a batch may be split in
// two, so the bound allows each loader two statements, far below one per row.
func TestListsCostQueriesByDepthNotByRows(t *testing.T) {
	h := api(t)
	s := neo4jtest.Store(t)
	cost := func(n int) (int64, int) {
		var d struct {
			Organizations struct{ Nodes []struct{ Name string } }
		}
		before := s.Queries()
		data(t, h, deepList, map[string]any{"n": n}, &d)
		return s.Queries() - before, len(d.Organizations.Nodes)
	}
	cost(10) // warm the driver's connection pool
	small, smallRows := cost(10)
	large, largeRows := cost(100)
	if largeRows != 100 || smallRows != 10 {
		t.Fatalf("got %d and %d rows; the demo data needs 100 enterprises with party members", largeRows, smallRows)
	}
	// The list, then one batch each: party organisations, memberships, assignments, the
	// party organisations of latestEvaluation, evaluations, coverage facts, industry, area.
	const loaders = 9
	if small > 2*loaders || large > 2*loaders {
		t.Errorf("10 rows cost %d statements and 100 rows %d; at most %d (two per loader) expected", small, large, 2*loaders)
	}
	t.Logf("statements: %d for 10 rows, %d for 100 rows", small, large)
}
