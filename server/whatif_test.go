package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/neo4jtest"
)

// oracleWithout decides every organisation's coverage and isolation on the source day in
// a transaction that first deletes the node (when id is not empty) and is then rolled
// back: a copy of the graph without the node, which is never written.
func oracleWithout(t *testing.T, d neo4j.DriverWithContext, id string) map[string]*oracleOrg {
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
	return coverageOracle(t, txRows(t, ctx, tx), mustDay(sourceDay))
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
	before := oracleWithout(t, d, "")
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
					LostCoverage                []struct {
						Organization  struct{ ID string }
						Before, After string
					}
				}
			}
			data(t, h, `query($id: ID!) { whatIf(remove: $id, asOf: "2023-10-21") { islandsBefore islandsAfter
				newlyIsolated { id } lostCoverage { organization { id } before after } } }`, map[string]any{"id": tc.id}, &w)
			after := oracleWithout(t, d, tc.id)
			var gotIsolated, wantIsolated []string
			for _, o := range w.WhatIf.NewlyIsolated {
				gotIsolated = append(gotIsolated, o.ID)
			}
			var gotLost, wantLost []string
			for _, c := range w.WhatIf.LostCoverage {
				gotLost = append(gotLost, c.Organization.ID+" "+c.Before+" "+c.After)
			}
			for id, b := range before {
				a, ok := after[id]
				if !ok {
					continue // the node removed
				}
				if !b.isolated && a.isolated {
					wantIsolated = append(wantIsolated, id)
				}
				if a.status != b.status {
					wantLost = append(wantLost, id+" "+b.status+" "+a.status)
				}
			}
			slices.Sort(gotIsolated)
			slices.Sort(wantIsolated)
			slices.Sort(gotLost)
			slices.Sort(wantLost)
			if !slices.Equal(gotIsolated, wantIsolated) {
				t.Errorf("newly isolated %v; without the node the oracle finds %v", gotIsolated, wantIsolated)
			}
			if !slices.Equal(gotLost, wantLost) {
				t.Errorf("lost coverage %v; without the node the oracle finds %v", gotLost, wantLost)
			}
			if tc.wantLosses && len(wantLost) == 0 {
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
