package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/neo4jtest"
)

// Cypher written here, apart from the store, for what the network looks like on a day.
const (
	inForceR = "(r.since IS NULL OR r.since <= $d) AND (r.until IS NULL OR r.until > $d)"
	// statusesOf are the coverage conditions of organisation o on day $d, each by its own
	// definition in docs/domain.md: own, joint, work and isolated, as columns of a WITH.
	statusesOf = `
		  EXISTS { MATCH (o)-[r:HAS_PARTY_ORG]->() WHERE ` + inForceR + ` } AS own,
		  EXISTS { MATCH (o)-[r:COVERED_BY]->() WHERE ` + inForceR + ` } AS joint,
		  (EXISTS { MATCH (o)<-[r:ASSIGNED_TO]-() WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND ` + inForceR + ` }
		   OR EXISTS { MATCH (o)<-[r:FORMED_IN]-() WHERE r.since IS NULL OR r.since <= $d }) AS work,
		  NOT EXISTS { MATCH (o)-[r:MEMBER_OF|CO_BUILDS_WITH|PLACED_AT|APPRENTICED_AT]-() WHERE ` + inForceR + ` }
		  AND NOT EXISTS { MATCH (o)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $d }
		  AND NOT EXISTS { MATCH (o)<-[w:WORKS_AT]-(:Person)-[m:MENTORS]-(:Person)
		        WHERE (w.since IS NULL OR w.since <= $d) AND (w.until IS NULL OR w.until > $d)
		          AND (m.since IS NULL OR m.since <= $d) AND (m.until IS NULL OR m.until > $d) } AS isolated`
	countsOf = `MATCH (o:Organization)
		WITH o,` + statusesOf + `
		RETURN sum(CASE WHEN own THEN 1 ELSE 0 END) AS OWN,
		       sum(CASE WHEN NOT own AND joint THEN 1 ELSE 0 END) AS JOINT,
		       sum(CASE WHEN NOT own AND NOT joint AND work THEN 1 ELSE 0 END) AS WORK,
		       sum(CASE WHEN NOT own AND NOT joint AND NOT work THEN 1 ELSE 0 END) AS UNCOVERED,
		       sum(CASE WHEN isolated THEN 1 ELSE 0 END) AS ISOLATED`
)

// countsWithout counts coverage statuses and isolated organisations on the day, in a
// transaction that first deletes the node (when id is not empty) and is then rolled back:
// a copy of the graph without the node, which is never written.
func countsWithout(t *testing.T, d neo4j.DriverWithContext, id string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	s := d.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer s.Close(ctx)
	tx, err := s.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if id != "" {
		if _, err := tx.Run(ctx, "MATCH (x {id: $id}) DETACH DELETE x", map[string]any{"id": id}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := tx.Run(ctx, countsOf, map[string]any{"d": neo4j.DateOf(mustDay(sourceDay))})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := res.Single(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for k, v := range rec.AsMap() {
		out[k] = v.(int64)
	}
	return out
}

// TestWhatIfAgreesWithTheGraphWithoutTheNode removes an alliance, a joint branch and an
// instructor, and checks each answer against the counts of a graph without the node.
func TestWhatIfAgreesWithTheGraphWithoutTheNode(t *testing.T) {
	h := api(t)
	d := neo4jtest.Driver(t)
	var ids struct {
		Alliance           struct{ ID string }
		PartyOrganizations struct{ Nodes []struct{ ID string } }
		People             struct{ Nodes []struct{ ID string } }
	}
	data(t, h, `{ alliance(name: "民办医院党建联盟") { id }
		partyOrganizations(where: {kind: [JOINT_BRANCH]}, first: 1) { nodes { id } }
		people(where: {role: [INSTRUCTOR], asOf: "2023-10-21"}, first: 1) { nodes { id } } }`, nil, &ids)
	before := countsWithout(t, d, "")
	for _, tc := range []struct {
		what, id   string
		wantLosses bool
	}{
		{"the hospital alliance", ids.Alliance.ID, false},
		{"a joint branch", ids.PartyOrganizations.Nodes[0].ID, true},
		{"an instructor", ids.People.Nodes[0].ID, false},
	} {
		t.Run(tc.what, func(t *testing.T) {
			var w struct {
				WhatIf struct {
					IslandsBefore, IslandsAfter int
					NewlyIsolated               []struct{ ID string }
					LostCoverage                []struct{ Before, After string }
				}
			}
			data(t, h, `query($id: ID!) { whatIf(remove: $id, asOf: "2023-10-21") { islandsBefore islandsAfter
				newlyIsolated { id } lostCoverage { before after } } }`, map[string]any{"id": tc.id}, &w)
			after := countsWithout(t, d, tc.id)
			if got, want := int64(len(w.WhatIf.NewlyIsolated)), after["ISOLATED"]-before["ISOLATED"]; got != want {
				t.Errorf("%d newly isolated; the graph without it has %d more isolated organisations", got, want)
			}
			moved := map[string]int64{}
			for _, c := range w.WhatIf.LostCoverage {
				moved[c.Before]--
				moved[c.After]++
			}
			for _, st := range []string{"OWN", "JOINT", "WORK", "UNCOVERED"} {
				if got, want := before[st]+moved[st], after[st]; got != want {
					t.Errorf("%s: %d before, %+d by the answer, but %d without the node", st, before[st], moved[st], want)
				}
			}
			if tc.wantLosses && len(w.WhatIf.LostCoverage) == 0 {
				t.Error("removing a joint branch lost nobody's coverage; the demo data should show some")
			}
		})
	}
}

func mustDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
