package neo4jstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cobuild"
	"cobuild/fixture"
	"cobuild/neo4jtest"
	"cobuild/snapshot"
)

// loadFixture writes the drawn graph next to the demo data for the test, and takes it away
// afterwards.
func loadFixture(t *testing.T) *cobuild.Dataset {
	t.Helper()
	s := neo4jtest.Store(t)
	ds := fixture.Graph()
	var ids []string
	for _, n := range ds.Nodes {
		ids = append(ids, n.Props["id"].(string))
	}
	if err := s.Load(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
	neo4jtest.Changed(t)
	t.Cleanup(func() {
		neo4jtest.Write(t, "MATCH (n) WHERE n.id IN $ids DETACH DELETE n", map[string]any{"ids": ids})
		neo4jtest.Changed(t)
	})
	return ds
}

// TestTheCypherRulesAgreeWithTheGoRulesOnTheDrawnGraph loads the drawn graph and reads it
// back through the store's Cypher: the projection's ties, each organisation's coverage
// facts (alone and in the census) must be those the Go form of the rules finds in the
// data set (cobuild.Dataset.JointTiesOn and FactsOn), on the day of the drawing and on
// days before and after it, when other ties hold.
func TestTheCypherRulesAgreeWithTheGoRulesOnTheDrawnGraph(t *testing.T) {
	ds := loadFixture(t)
	s := neo4jtest.Store(t)
	ctx := context.Background()
	mine := func(id string) bool { return strings.Contains(id, "-9000000") }
	svc := snapshot.New(s, s.Rules(), snapshot.Options{})
	version, err := svc.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for id := range fixture.Coverage {
		orgs = append(orgs, id)
	}
	slices.Sort(orgs)
	for _, day := range []struct {
		name string
		off  int
	}{{"the day of the drawing", 0}, {"a year before", -1}, {"a year after", 1}} {
		on := fixture.Day.AddDate(day.off, 0, 0)
		t.Run(day.name, func(t *testing.T) {
			var want []string
			for _, r := range ds.JointTiesOn(on) {
				want = append(want, fmt.Sprintf("%s %s->%s", r.Type, r.From, r.To))
			}
			_, ties, err := s.NetworkTies(ctx, on, cobuild.JointTies)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tie := range ties {
				if mine(tie.From) || mine(tie.To) {
					got = append(got, fmt.Sprintf("%s %s->%s", tie.Type, tie.From, tie.To))
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("joint-building ties in force:\nCypher %v\nGo     %v", got, want)
			}
			alone, err := s.Expand(ctx, orgs, &cobuild.Fetch{Facts: []time.Time{on}})
			if err != nil {
				t.Fatal(err)
			}
			census, err := svc.Census(ctx, on, version)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range orgs {
				want := fmt.Sprintf("%+v", ds.FactsOn(id, on))
				if got := fmt.Sprintf("%+v", alone.Facts[cobuild.FactKey{ID: id, Day: on.Format(time.DateOnly)}]); got != want {
					t.Errorf("%s: the facts read alone are %s, the Go rule's %s", id, got, want)
				}
				row, ok := census.Row(id)
				if !ok {
					t.Fatalf("the census has no row for %s", id)
				}
				if got := fmt.Sprintf("%+v", census.FactsOf(row)); got != want {
					t.Errorf("%s: the census's facts are %s, the Go rule's %s", id, got, want)
				}
			}
		})
	}
}
