package server_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/neo4jtest"
)

type orgPage struct {
	Organizations struct {
		Nodes    []struct{ ID, Name string }
		PageInfo struct {
			HasNextPage bool
			EndCursor   string
		}
		TotalCount int
	}
}

const pageQuery = `query($after: String, $first: Int, $sort: OrganizationSort) {
	organizations(where: {kind: [HOSPITAL]}, first: $first, after: $after, sort: $sort) {
		nodes { id name } pageInfo { hasNextPage endCursor } totalCount } }`

// hospitalOrder reads the hospitals with plain Cypher and orders them as the sort says,
// ties broken by id: a missing headcount counts as 0, a missing registration day as the
// earliest.
func hospitalOrder(t *testing.T, field string, desc bool) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t),
		`MATCH (o:Organization {kind: 'HOSPITAL'}) RETURN o.id AS id, o.name AS name, o.headcount AS headcount, toString(o.registeredOn) AS registered`,
		nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id, key string
		n       int64
	}
	var rows []row
	for _, r := range res.Records {
		m := r.AsMap()
		x := row{id: m["id"].(string)}
		switch field {
		case "NAME":
			x.key, _ = m["name"].(string)
		case "HEADCOUNT":
			x.n, _ = m["headcount"].(int64)
		case "REGISTERED_ON":
			x.key, _ = m["registered"].(string)
		}
		rows = append(rows, x)
	}
	slices.SortFunc(rows, func(a, b row) int {
		c := cmp.Compare(a.n, b.n)
		if c == 0 {
			c = strings.Compare(a.key, b.key)
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		return c
	})
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.id)
	}
	return ids
}

func TestPagesCoverEveryRowOnceInOrder(t *testing.T) {
	h := api(t)
	for _, sort := range []map[string]any{{"field": "NAME"}, {"field": "HEADCOUNT", "direction": "DESC"}, {"field": "REGISTERED_ON"}} {
		seen := map[string]bool{}
		var order []string
		var after any
		total, pages := 0, 0
		for {
			var p orgPage
			data(t, h, pageQuery, map[string]any{"after": after, "first": 3, "sort": sort}, &p)
			total = p.Organizations.TotalCount
			for _, n := range p.Organizations.Nodes {
				if seen[n.ID] {
					t.Fatalf("sort %v: %s came twice", sort, n.ID)
				}
				seen[n.ID] = true
				order = append(order, n.ID)
			}
			pages++
			if !p.Organizations.PageInfo.HasNextPage {
				break
			}
			after = p.Organizations.PageInfo.EndCursor
		}
		if len(seen) != total || total == 0 {
			t.Errorf("sort %v: pages gave %d rows, totalCount %d", sort, len(seen), total)
		}
		if pages < 2 {
			t.Errorf("sort %v: only %d page(s); the test needs several", sort, pages)
		}
		want := hospitalOrder(t, sort["field"].(string), sort["direction"] == "DESC")
		if !slices.Equal(order, want) {
			t.Errorf("sort %v: pages in the order %v, want %v", sort, order, want)
		}
	}
}

// TestAPageDoesNotShiftWhenRowsAreInsertedBeforeIt inserts rows that sort before the
// cursor and checks that the next page is the same as before: cursors are keys, not
// offsets.
func TestAPageDoesNotShiftWhenRowsAreInsertedBeforeIt(t *testing.T) {
	h := api(t)
	var first, before, after orgPage
	data(t, h, pageQuery, map[string]any{"first": 4}, &first)
	cursor := first.Organizations.PageInfo.EndCursor
	data(t, h, pageQuery, map[string]any{"first": 4, "after": cursor}, &before)

	neo4jtest.Write(t, `UNWIND range(1, 3) AS i
		CREATE (:Organization:Hospital {id: 'og-99999000' + i, name: '!插入医院' + i, kind: 'HOSPITAL', sector: 'SOCIAL', headcount: 1, partyMembers: 0})`, nil)
	neo4jtest.Changed(t)
	t.Cleanup(func() {
		neo4jtest.Write(t, `MATCH (o:Organization) WHERE o.name STARTS WITH '!插入医院' DETACH DELETE o`, nil)
		neo4jtest.Changed(t)
	})
	data(t, h, pageQuery, map[string]any{"first": 4, "after": cursor}, &after)
	if len(before.Organizations.Nodes) == 0 {
		t.Fatal("the second page is empty; the test needs more hospitals")
	}
	for i := range before.Organizations.Nodes {
		if before.Organizations.Nodes[i].ID != after.Organizations.Nodes[i].ID {
			t.Fatalf("page shifted after inserts: before %v, after %v", before.Organizations.Nodes, after.Organizations.Nodes)
		}
	}
	if after.Organizations.TotalCount != before.Organizations.TotalCount+3 {
		t.Errorf("totalCount %d after 3 inserts, was %d", after.Organizations.TotalCount, before.Organizations.TotalCount)
	}
}
