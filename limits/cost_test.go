package limits_test

import (
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"

	"cobuild/limits"
)

// The costs below are worked by hand from the rules of limits.Config.Cost under the
// defaults: a field costs 1 plus its price's Work (Query.organizations: 10); a list costs
// its items times its selections; a connection's nodes cost first (default 50) times
// theirs; an unbounded list holds 10 items.
func TestCost(t *testing.T) {
	tests := []struct {
		name, query, vars string
		want              int64
	}{
		{"a page of ids is its rows, its nodes field and the list",
			`{ organizations(first: 10) { nodes { id } } }`, "",
			1 + 10 + (1 + 10*1)},
		{"a connection without first counts the default page",
			`{ organizations { nodes { id } } }`, "",
			1 + 10 + (1 + 50*1)},
		{"totalCount and pageInfo are counted once, not per row",
			`{ organizations(first: 10) { totalCount pageInfo { hasNextPage } nodes { id } } }`, "",
			1 + 10 + 1 + (1 + 1) + (1 + 10*1)},
		{"edges are counted as nodes are",
			`{ organizations(first: 10) { edges { cursor node { id } } } }`, "",
			1 + 10 + (1 + 10*(1+(1+1)))},
		{"a connection inside a connection multiplies",
			`{ organizations(first: 10) { nodes { area { organizations(first: 20) { nodes { id } } } } } }`, "",
			// Area.organizations: 1 + (1 + 20*1) = 22; area: 23; outer nodes: 1 + 10*23.
			1 + 10 + (1 + 10*(1+(1+(1+20*1))))},
		{"the first of a variable is honoured",
			`query($n: Int) { organizations(first: $n) { nodes { id } } }`, `{"n": 5}`,
			1 + 10 + (1 + 5*1)},
		{"a variable not given leaves the default page",
			`query($n: Int) { organizations(first: $n) { nodes { id } } }`, "",
			1 + 10 + (1 + 50*1)},
		{"a variable's own default is honoured",
			`query($n: Int = 7) { organizations(first: $n) { nodes { id } } }`, "",
			1 + 10 + (1 + 7*1)},
		{"a named fragment counts where it is spread, with the page of its place",
			`{ organizations(first: 10) { ...page } } fragment page on OrganizationConnection { nodes { id name } }`, "",
			1 + 10 + (1 + 10*2)},
		{"a fragment spread twice counts twice",
			`{ a: organizations(first: 10) { ...page } b: organizations(first: 20) { ...page } }
			 fragment page on OrganizationConnection { nodes { id } }`, "",
			(1 + 10 + (1 + 10*1)) + (1 + 10 + (1 + 20*1))},
		{"inline fragments count every type condition",
			`{ organization(id: "og-000001") { ... on Enterprise { id name } ... on Hospital { id } } }`, "",
			1 + 3},
		{"an unbounded list holds ListSize items",
			`{ organization(id: "og-000001") { memberships { since } } }`, "",
			1 + (1 + 10*1)},
		{"a hub's members are counted by the hundred",
			`{ alliances { memberships { since } } }`, "",
			1 + 10*(1+100*1)},
		{"a list's own first sizes it, or its schema default",
			`{ network { islands(first: 5) { size } brokers { degree } } }`, "",
			1 + 100 + (1 + 200 + 5*1) + (1 + 500 + 50*1)},
		{"an ego network counts its nodes and ties by maxNodes",
			`{ egoNetwork(id: "al-000002", maxNodes: 1000) { nodes { distance } ties { type } } }`, "",
			1 + 100 + (1 + 1000*1) + (1 + 1000*1)},
		{"an ego network without maxNodes counts the default 500",
			`{ egoNetwork(id: "al-000002") { nodes { node { id } } } }`, "",
			1 + 100 + (1 + 500*(1+1))},
		{"a path counts limit chains of at most 12 steps",
			`{ path(from: "og-000019", to: "og-000102", limit: 4) { paths { steps { sentence } } } }`, "",
			1 + 500 + (1 + 4*(1+12*1))},
		{"candidates of each row of a page are searched for each row",
			`{ organizations(first: 10) { nodes { coverageCandidates { rank } } } }`, "",
			1 + 10 + (1 + 10*(1+20+3*1))},
		{"a negative first counts nothing (the resolver refuses it)",
			`{ organizations(first: -5) { nodes { id } } }`, "",
			1 + 10 + 1},
		{"__typename costs one",
			`{ organizations(first: 2) { __typename nodes { __typename } } }`, "",
			1 + 10 + 1 + (1 + 2*1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cost(t, tt.query, tt.vars); got != tt.want {
				t.Errorf("cost %d, want %d", got, tt.want)
			}
		})
	}
}

func TestIntrospectionCostsItsFieldsOnly(t *testing.T) {
	// GraphiQL's query reads the whole schema: some 200 fields, each read from memory.
	got := cost(t, introspection.Query, "")
	if got > 300 {
		t.Errorf("introspection costs %d; it reads the schema in memory and should cost its fields", got)
	}
}

func TestNestedConnectionsSaturateRatherThanOverflow(t *testing.T) {
	q := `{ organizations(first: 500) { nodes { area { organizations(first: 500) { nodes { area {
		organizations(first: 500) { nodes { area { organizations(first: 500) { nodes { area {
		organizations(first: 500) { nodes { area { organizations(first: 500) { nodes { area {
		organizations(first: 500) { nodes { id } } } } } } } } } } } } } } } } } } } } }`
	got := cost(t, q, "")
	if got <= int64(limits.Default.MaxCost) {
		t.Errorf("seven nested pages of 500 cost %d: not past the limit, the sum overflowed", got)
	}
}
