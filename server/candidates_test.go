package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/neo4jtest"
)

type candidate struct {
	Rank                                              int
	Score                                             float64
	Load, SharedCommunity, SharedPark, SharedIndustry int
	Hops                                              *int
	Node                                              struct{ ID, Label string }
}

const candidateFields = `rank score load sharedCommunity sharedPark sharedIndustry hops node { id label }`

// TestCandidatesForAWholeList lists uncovered organisations with their candidate coverers
// in one request: the candidates of every row are read in one batch, each row's ranking is
// the one Query.coverageCandidates gives for it alone, and the sharing counts of a
// covering party organisation agree with Cypher written here.
func TestCandidatesForAWholeList(t *testing.T) {
	h := api(t)
	s := neo4jtest.Store(t)
	const list = `{ organizations(where: {coverage: [UNCOVERED], asOf: "2023-10-21"}, first: 60) {
		nodes { id coverageCandidates(first: 3, asOf: "2023-10-21") { ` + candidateFields + ` } } } }`
	var d struct {
		Organizations struct {
			Nodes []struct {
				ID                 string
				CoverageCandidates []candidate
			}
		}
	}
	start := time.Now()
	data(t, h, list, nil, &d) // warms the projection of the day
	t.Logf("first list %v", time.Since(start))
	start = time.Now()
	before := s.Queries()
	data(t, h, list, nil, &d)
	t.Logf("second list %v", time.Since(start))
	// The list, its count-free page, and one batch of two statements (perhaps split in two).
	if n := s.Queries() - before; n > 5 {
		t.Errorf("60 rows with candidates cost %d statements, at most 5 expected", n)
	}
	rows := d.Organizations.Nodes
	if len(rows) != 60 {
		t.Fatalf("got %d uncovered organisations, want 60", len(rows))
	}
	withCandidates := 0
	for i, row := range rows {
		if len(row.CoverageCandidates) > 0 {
			withCandidates++
		}
		if i%20 != 0 {
			continue
		}
		var one struct {
			CoverageCandidates struct{ Candidates []candidate }
		}
		data(t, h, `query($id: ID!) { coverageCandidates(organization: $id, first: 3, asOf: "2023-10-21") { candidates { `+candidateFields+` } } }`,
			map[string]any{"id": row.ID}, &one)
		got, _ := json.Marshal(row.CoverageCandidates)
		want, _ := json.Marshal(one.CoverageCandidates.Candidates)
		if string(got) != string(want) {
			t.Errorf("%s: in the list %s, alone %s", row.ID, got, want)
		}
	}
	if withCandidates < len(rows)/2 {
		t.Errorf("only %d of %d uncovered organisations have a candidate", withCandidates, len(rows))
	}

	// Sharing counts of the party organisations among the candidates, counted apart.
	drv := neo4jtest.Driver(t)
	checked := 0
	for _, row := range rows {
		for _, c := range row.CoverageCandidates {
			if c.Node.Label != "PartyOrg" || checked >= 10 {
				continue
			}
			checked++
			res, err := neo4j.ExecuteQuery(context.Background(), drv, `
				MATCH (o:Organization {id: $o})
				MATCH (x:Organization)-[r:COVERED_BY]->(:PartyOrg {id: $h})
				WHERE x <> o AND `+inForceR+`
				WITH o, collect(DISTINCT x) AS xs
				RETURN size(xs) AS load,
				  size([x IN xs WHERE EXISTS { (o)-[:IN_COMMUNITY]->()<-[:IN_COMMUNITY]-(x) }]) AS sc,
				  size([x IN xs WHERE EXISTS { (o)-[:IN_PARK]->()<-[:IN_PARK]-(x) }]) AS sp,
				  size([x IN xs WHERE EXISTS { (o)-[:IN_INDUSTRY]->()<-[:IN_INDUSTRY]-(x) }]) AS si`,
				map[string]any{"o": row.ID, "h": c.Node.ID, "d": neo4j.DateOf(mustDay(sourceDay))}, neo4j.EagerResultTransformer)
			if err != nil {
				t.Fatal(err)
			}
			m := res.Records[0].AsMap()
			want := fmt.Sprint(m["load"], m["sc"], m["sp"], m["si"])
			if got := fmt.Sprint(c.Load, c.SharedCommunity, c.SharedPark, c.SharedIndustry); got != want {
				t.Errorf("%s for %s: load and sharing %s, counted apart %s", c.Node.ID, row.ID, got, want)
			}
		}
	}
	if checked == 0 {
		t.Error("no party organisation among the candidates of 60 uncovered organisations")
	}
}
