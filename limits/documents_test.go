package limits_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"

	"cobuild/limits"
)

// document is an operation cobuild's clients send, with the variables they send it with.
type document struct {
	name, query, vars string
}

// dashboardVariables are the largest variables the dashboard (web/src) sends with its
// operations: the CSV export of the worklist reads pages of exportPageSize (500) rows,
// the network view expands maxNodesPerCall (150) nodes at a time.
var dashboardVariables = map[string]string{
	"IsolatedUncovered": `{"where": {"sector": ["ENTERPRISE", "SOCIAL"], "coverage": ["UNCOVERED"], "isolated": true}, "first": 500, "asOf": "2023-10-21"}`,
	"EgoNetwork":        `{"id": "al-000002", "maxNodes": 150}`,
	"CoverageBy":        `{"by": ["INDUSTRY", "SIZE_BAND"]}`,
	"GradeMovement":     `{"from": "2022-11", "to": "2023-05"}`,
	"RoundProgress":     `{"round": "2026-11"}`,
	"FindOrganization":  `{"name": "医院"}`,
	// Recording work from the worklist.
	"AssignInstructor":         `{"personId": "pe-000001", "organizationId": "og-000102", "expectedVersion": 3, "idempotencyKey": "k"}`,
	"CoverByPartyOrganization": `{"organizationId": "og-000102", "partyOrganizationId": "po-000001", "mode": "JOINT", "expectedVersion": 3, "idempotencyKey": "k"}`,
	"LinkWithCommunity":        `{"organizationId": "og-000102", "communityId": "og-000019", "mode": "SHEQI", "expectedVersion": 3, "idempotencyKey": "k"}`,
	"CoverageFeed":             `{"after": 1}`,
	// Importing files: the uploads stand in the variables as the multipart request maps them.
	"ImportFiles": `{"files": ["组织名录.csv", "党组织覆盖.xlsx"], "dryRun": true}`,
}

var graphqlFence = regexp.MustCompile("(?s)```graphql\n(.*?)```")

// documents gathers every operation of the dashboard (as its build lists them in
// web/dist/persisted-operations.json), of the README, of the golden tests
// (server/testdata) and of the benchmarks (bench/ops/*/cobuild.graphql, with the
// variables of their vars.json), and the introspection query of GraphiQL.
func documents(t testing.TB) []document {
	t.Helper()
	var docs []document
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// The dashboard's operations as its build registers them (web/persisted.ts), the very
	// texts it sends.
	var manifest struct {
		Operations []struct{ Name, Body string }
	}
	if err := json.Unmarshal([]byte(read("../web/dist/persisted-operations.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	for _, op := range manifest.Operations {
		docs = append(docs, document{name: "web:" + op.Name, query: op.Body, vars: dashboardVariables[op.Name]})
	}
	for i, m := range graphqlFence.FindAllStringSubmatch(read("../README.md"), -1) {
		docs = append(docs, document{name: "README example " + string(rune('A'+i)), query: m[1]})
	}
	golden, _ := filepath.Glob("../server/testdata/*.graphql")
	for _, f := range golden {
		docs = append(docs, document{name: "server/testdata/" + filepath.Base(f), query: read(f)})
	}
	ops, _ := filepath.Glob("../bench/ops/*/cobuild.graphql")
	for _, f := range ops {
		d := document{name: "bench/ops/" + filepath.Base(filepath.Dir(f)), query: read(f)}
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(f), "vars.json")); err == nil {
			var v map[string]json.RawMessage
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			d.vars = string(v["cobuild"])
		}
		docs = append(docs, d)
	}
	// GraphiQL, at /, asks for the whole schema first.
	docs = append(docs, document{name: "introspection", query: introspection.Query})
	if len(manifest.Operations) == 0 || len(golden) == 0 || len(ops) == 0 {
		t.Fatal("the dashboard's sources, the golden tests or the benchmarks were not found")
	}
	return docs
}

// TestEveryOperationOfTheClientsPassesTheDefaultsWithRoomToSpare measures every operation
// that cobuild's own clients and documents send, and fails when one of them comes within
// half of a default limit (within three levels of the depth): limits tightened that far
// would refuse what the dashboard does.
func TestEveryOperationOfTheClientsPassesTheDefaultsWithRoomToSpare(t *testing.T) {
	c := limits.Default.WithDefaults()
	docs := documents(t)
	var web int
	type row struct {
		name string
		cost int64
	}
	var rows []row
	for _, d := range docs {
		if strings.HasPrefix(d.name, "web:") {
			web++
		}
		t.Run(d.name, func(t *testing.T) {
			shape, err := c.CheckQuery(d.query)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			op, vars := validated(t, d.query, "", d.vars)
			cost := c.Cost(op, vars)
			rows = append(rows, row{d.name, cost})
			var long []string
			for _, l := range [][3]int64{
				{int64(shape.Tokens), int64(c.MaxTokens) / 2},
				{shape.Fields, int64(c.MaxFields) / 2},
				{shape.Aliases, int64(c.MaxAliases) / 2},
				{int64(shape.Depth), int64(c.MaxDepth) - 3},
				{cost, int64(c.MaxCost) / 2},
			} {
				if l[0] > l[1] {
					long = append(long, "")
				}
			}
			if len(long) > 0 {
				t.Errorf("tokens %d, fields %d, aliases %d, depth %d, cost %d: too close to the limits %+v",
					shape.Tokens, shape.Fields, shape.Aliases, shape.Depth, cost, c)
			}
			t.Logf("tokens %d, fields %d, aliases %d, depth %d, cost %d", shape.Tokens, shape.Fields, shape.Aliases, shape.Depth, cost)
		})
	}
	if web < 8 {
		t.Errorf("found %d operations of the dashboard; the dashboard sends at least 8", web)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].cost > rows[j].cost })
	for _, r := range rows[:min(5, len(rows))] {
		t.Logf("most costly: %s %d", r.name, r.cost)
	}
}
