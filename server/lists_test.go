package server_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"cobuild/neo4jtest"
	"cobuild/resolvers"
	"cobuild/server"
)

// TestListsAgreeInMemoryAndInCypher answers the same lists twice: with the production
// wiring, which chooses, sorts and pages the rows in memory from the places and the
// census, and with resolvers that keep no snapshots, which leave everything to the store's
// Cypher. Both must give the same rows in the same order, the same cursors and the same
// totals, page after page, and each must accept the other's cursors.
func TestListsAgreeInMemoryAndInCypher(t *testing.T) {
	m := neo4jtest.Main(t)
	memory := m.Handler()
	cypher := server.Handler(server.Config{Resolvers: resolvers.New(resolvers.Config{Store: m.Store, Rules: m.Rules}),
		Ready: m.Store.Ping, Logger: slog.New(slog.DiscardHandler), Auth: m.Verifier})
	const day = `asOf: "2023-10-21"`
	for _, tc := range []struct{ name, where, sort string }{
		{"enterprises by name", `kind: [ENTERPRISE]`, ``},
		{"social organisations by name, descending", `sector: [SOCIAL]`, `{field: NAME, direction: DESC}`},
		{"a town's operating enterprises with 1-10 members", `areaId: "ar-000008", kind: [ENTERPRISE], operating: true, partyMembersMin: 1, partyMembersMax: 10`, ``},
		{"the whole district by headcount", `areaId: "ar-000001"`, `{field: HEADCOUNT, direction: DESC}`},
		{"a park's above-scale firms by party members", `parkId: "ar-000025", aboveScale: true`, `{field: PARTY_MEMBERS}`},
		{"a community's patch", `communityId: "og-000019"`, ``},
		{"an industry's medium and large firms", `industryId: "in-000001", sizeBand: [MEDIUM, LARGE]`, ``},
		{"names with 医院", `nameContains: "医院"`, ``},
		{"closed organisations", `operating: false`, ``},
		{"isolated and uncovered on a day", `coverage: [UNCOVERED], isolated: true, ` + day, ``},
		{"own or joint coverage on a day", `coverage: [OWN, JOINT], ` + day, `{field: HEADCOUNT}`},
		{"public bodies", `coverage: [NOT_MANAGED], ` + day, ``},
		{"should have their own", `shouldHaveOwn: true, ` + day, `{field: PARTY_MEMBERS, direction: DESC}`},
		{"managed organisations by joint-building ties", `sector: [ENTERPRISE, SOCIAL], ` + day, `{field: TIES, direction: DESC}`},
		{"everyone by ties, ascending", day, `{field: TIES}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sort := ""
			if tc.sort != "" {
				sort = ", sort: " + tc.sort
			}
			q := fmt.Sprintf(`query($after: String) { organizations(where: {%s}%s, first: 40, after: $after) {
				totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, tc.where, sort)
			type page struct {
				Organizations struct {
					TotalCount int
					Edges      []struct {
						Cursor string
						Node   struct{ ID string }
					}
					PageInfo struct {
						HasNextPage, HasPreviousPage bool
						StartCursor, EndCursor       *string
					}
				}
			}
			var after any
			rows := 0
			for n := 0; n < 3; n++ {
				var a, b page
				data(t, memory, q, map[string]any{"after": after}, &a)
				data(t, cypher, q, map[string]any{"after": after}, &b)
				if got, want := mustJSON(t, a), mustJSON(t, b); got != want {
					t.Fatalf("page %d differs:\nin memory %s\nin Cypher %s", n+1, got, want)
				}
				rows += len(a.Organizations.Edges)
				if n == 0 && (a.Organizations.TotalCount == 0 || len(a.Organizations.Edges) == 0) {
					t.Fatalf("the demo data has no rows for this list")
				}
				if !a.Organizations.PageInfo.HasNextPage {
					break
				}
				after = *a.Organizations.PageInfo.EndCursor
			}
			if rows == 0 {
				t.Fatal("no rows read")
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
