package limits_test

import (
	"fmt"
	"strings"
	"testing"

	"cobuild/limits"
)

// repeat returns n copies of format, each given its index.
func repeat(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

func TestCheckQueryRefusesDocumentsPastALimit(t *testing.T) {
	c := limits.Config{MaxTokens: 400, MaxFields: 50, MaxAliases: 5, MaxDepth: 4, MaxListLength: 3}.WithDefaults()
	tests := []struct {
		name, query, limit string
		value, max         int64
	}{
		{"a field repeated past the tokens", "{ rules {" + strings.Repeat(" goldFloor", 500) + " } }",
			limits.LimitTokens, 500 + 5, 400},
		{"a field repeated past the fields", "{ rules {" + strings.Repeat(" goldFloor", 60) + " } }",
			limits.LimitFields, 61, 50},
		{"aliases past the aliases", "{" + repeat(6, ` o%d: organization(id: "og-1") { id }`) + " }",
			limits.LimitAliases, 6, 5},
		{"a fragment's aliases counted at each spread",
			"{ a: organization(id: \"og-1\") { ...f } b: organization(id: \"og-2\") { ...f } } fragment f on Organization { x: id y: name }",
			limits.LimitAliases, 6, 5},
		{"selections nested past the depth", "{ organizations { nodes { area { organizations { nodes { id } } } } } }",
			limits.LimitDepth, 6, 4},
		{"depth through a fragment", "{ organizations { ...c } } fragment c on OrganizationConnection { nodes { area { organizations { nodes { id } } } } }",
			limits.LimitDepth, 6, 4},
		{"a list literal past the length", `{ evaluations(where: {tier: [GOLD, SILVER, BRONZE, WEAK]}) { totalCount } }`,
			limits.LimitListLength, 4, 3},
		{"a list in a variable's default", `query($t: [Tier!] = [GOLD, GOLD, GOLD, GOLD]) { evaluations(where: {tier: $t}) { totalCount } }`,
			limits.LimitListLength, 4, 3},
		{"fragments spread into fragments, counted without expanding them",
			"{ rules { ...f0 } }" + repeat(20, " fragment f%[1]d on Rules { ...f%[1]d_next ...f%[1]d_next }") + " fragment f20 on Rules { goldFloor }",
			limits.LimitFields, 1 + 1<<20, 50},
	}
	// The fragments case names f{i}_next; make them the next fragment.
	for i := range 20 {
		tests[len(tests)-1].query = strings.ReplaceAll(tests[len(tests)-1].query, fmt.Sprintf("f%d_next", i), fmt.Sprintf("f%d", i+1))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CheckQuery(tt.query)
			refusedWith(t, err, tt.limit, tt.value, tt.max)
		})
	}
}

func TestCheckQueryPassesWhatIsWithinTheLimits(t *testing.T) {
	c := limits.Config{MaxTokens: 400, MaxFields: 50, MaxAliases: 5, MaxDepth: 4, MaxListLength: 4}.WithDefaults()
	for _, q := range []string{
		"{ rules {" + strings.Repeat(" goldFloor", 49) + " } }",
		"{" + repeat(5, ` o%d: organization(id: "og-1") { id }`) + " }",
		"{ organizations { nodes { area { name } } } }",
		`{ evaluations(where: {tier: [GOLD, SILVER, BRONZE, WEAK]}) { totalCount } }`,
		// Introspection nests deeper than the limit; gqlparser bounds it.
		"{ __schema { types { fields { type { ofType { ofType { name } } } } } } }",
		// Not GraphQL: gqlgen reports the syntax error, not the limits.
		"{ organizations(",
		// A fragment that spreads itself: validation refuses it; counting must end.
		"{ rules { ...f } } fragment f on Rules { goldFloor ...f }",
		// A spread of a fragment that does not exist.
		"{ rules { ...nowhere } }",
	} {
		if shape, err := c.CheckQuery(q); err != nil {
			t.Errorf("refused (%+v): %v\n%s", shape, err, q)
		}
	}
}

func TestCheckQueryCountsAFragmentNoOperationSpreads(t *testing.T) {
	c := limits.Config{MaxFields: 50}.WithDefaults()
	q := "{ rules { goldFloor } } fragment unused on Rules {" + strings.Repeat(" goldFloor", 60) + " }"
	_, err := c.CheckQuery(q)
	refusedWith(t, err, limits.LimitFields, 62, 50)
}

func TestCheckVariablesRefusesLongListsAtAnyDepth(t *testing.T) {
	c := limits.Config{MaxListLength: 3}.WithDefaults()
	long := []any{"GOLD", "GOLD", "GOLD", "GOLD"}
	tests := []struct {
		name  string
		vars  map[string]any
		where string
	}{
		{"a list variable", map[string]any{"t": long}, "$t"},
		{"a list in an input object", map[string]any{"where": map[string]any{"tier": long}}, "$where.tier"},
		{"a list in a list", map[string]any{"ids": []any{long}}, "$ids[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CheckVariables(tt.vars)
			refusedWith(t, err, limits.LimitListLength, 4, 3)
			if msg := err.Error(); !strings.Contains(msg, tt.where) {
				t.Errorf("message %q does not say where the list is (%s)", msg, tt.where)
			}
		})
	}
	if err := c.CheckVariables(map[string]any{"t": long[:3], "n": 5, "s": "GOLD"}); err != nil {
		t.Errorf("three items refused: %v", err)
	}
}
