package neo4jstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cobuild"
	"cobuild/neo4jstore"
	"cobuild/neo4jtest"
	"cobuild/snapshot"
)

func TestMigrationsAreRecordedAndIdempotent(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("a second run applied %v again", applied)
	}
	if n := neo4jtest.Int(t, "SHOW CONSTRAINTS YIELD name WHERE name ENDS WITH '_id' RETURN count(*) AS n", nil); n < 15 {
		t.Errorf("%d id constraints, want one per label (15)", n)
	}
}

// TestCoverageFiltersAgreeWithTheRules computes every managed organisation's coverage on
// two days twice: with the Go rule over loaded facts, and with the Cypher filters that
// lists use. Both must put every organisation in the same status.
func TestCoverageFiltersAgreeWithTheRules(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	rules := s.Rules()
	for _, day := range []time.Time{time.Date(2023, 10, 21, 0, 0, 0, 0, time.UTC), time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)} {
		byStatus := map[cobuild.CoverageStatus]map[string]bool{}
		isolated := map[string]bool{}
		should := map[string]bool{}
		for _, st := range cobuild.CoverageStatuses {
			byStatus[st] = map[string]bool{}
		}
		var ids []string
		after := ""
		for {
			pg, err := s.Organizations(ctx, cobuild.OrgFilter{Sectors: []cobuild.Sector{cobuild.SectorEnterprise, cobuild.SectorSocial}, AsOf: day},
				cobuild.Sort{}, cobuild.PageArgs{First: 2000, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range pg.Items {
				ids = append(ids, o.ID)
			}
			if !pg.HasNext {
				break
			}
			after = pg.Cursors[len(pg.Cursors)-1]
		}
		for i := 0; i < len(ids); i += 2000 {
			for id, f := range factsOf(t, s, ids[i:min(i+2000, len(ids))], day) {
				c := rules.CoverageOf(f)
				byStatus[c.Status][id] = true
				if c.Isolated {
					isolated[id] = true
				}
				if c.ShouldHaveOwn {
					should[id] = true
				}
			}
		}
		managed := []cobuild.Sector{cobuild.SectorEnterprise, cobuild.SectorSocial}
		yes := true
		check := func(what string, f cobuild.OrgFilter, want map[string]bool) {
			t.Helper()
			f.Sectors, f.AsOf = managed, day
			n, err := s.CountOrganizations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(want) {
				t.Errorf("%s on %s: Cypher counts %d, the rule %d", what, day.Format(time.DateOnly), n, len(want))
			}
			if n == 0 && day.Year() == 2023 {
				t.Errorf("%s on %s: nobody; the demo data should have some", what, day.Format(time.DateOnly))
			}
		}
		for _, st := range []cobuild.CoverageStatus{cobuild.CoverageOwn, cobuild.CoverageJoint, cobuild.CoverageWork, cobuild.CoverageUncovered} {
			check(string(st), cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{st}}, byStatus[st])
		}
		check("isolated", cobuild.OrgFilter{Isolated: &yes}, isolated)
		check("should have own", cobuild.OrgFilter{ShouldHaveOwn: &yes}, should)
		both := map[string]bool{}
		for id := range isolated {
			if byStatus[cobuild.CoverageUncovered][id] {
				both[id] = true
			}
		}
		check("isolated and uncovered", cobuild.OrgFilter{Isolated: &yes, Coverage: []cobuild.CoverageStatus{cobuild.CoverageUncovered}}, both)
	}
}

// TestTheCensusAgreesWithTheFactsOfEachOrganisation builds the census of two days (a scan
// per tie type, the places read once for both) and compares every organisation's row with the facts read for it alone
// (subqueries per organisation), and its place with the list filters.
func TestTheCensusAgreesWithTheFactsOfEachOrganisation(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	svc := snapshot.New(s, s.Rules(), snapshot.Options{})
	version, err := svc.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []time.Time{time.Date(2023, 10, 21, 0, 0, 0, 0, time.UTC), time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)} {
		c, err := svc.Census(ctx, day, version)
		if err != nil {
			t.Fatal(err)
		}
		rows := c.Rows
		all, err := s.CountOrganizations(ctx, cobuild.OrgFilter{AsOf: day})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != all {
			t.Fatalf("census of %s has %d rows for %d organisations", day.Format(time.DateOnly), len(rows), all)
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		differ := 0
		for i := 0; i < len(ids); i += 2000 {
			facts := factsOf(t, s, ids[i:min(i+2000, len(ids))], day)
			for j, r := range rows[i:min(i+2000, len(ids))] {
				if got, want := fmt.Sprintf("%+v", c.FactsOf(i+j)), fmt.Sprintf("%+v", facts[r.ID]); got != want {
					if differ++; differ <= 5 {
						t.Errorf("%s on %s: census %s, alone %s", r.ID, day.Format(time.DateOnly), got, want)
					}
				}
			}
		}
		// Places: the census's park and industry counts agree with the filters.
		parks, industries := map[string]int{}, map[string]int{}
		for _, r := range rows {
			if r.ParkID != "" {
				parks[r.ParkID]++
			}
			if r.IndustryID != "" {
				industries[r.IndustryID]++
			}
		}
		if len(parks) == 0 || len(industries) == 0 {
			t.Fatalf("census has no parks or industries: %d, %d", len(parks), len(industries))
		}
		for park, n := range parks {
			got, err := s.CountOrganizations(ctx, cobuild.OrgFilter{ParkID: park, AsOf: day})
			if err != nil {
				t.Fatal(err)
			}
			if got != n {
				t.Errorf("park %s: census %d, filter %d", park, n, got)
			}
		}
		for industry, n := range industries {
			got, err := s.CountOrganizations(ctx, cobuild.OrgFilter{IndustryID: industry, AsOf: day})
			if err != nil {
				t.Fatal(err)
			}
			if got != n {
				t.Errorf("industry %s: census %d, filter %d", industry, n, got)
			}
		}
	}
}

// factsOf reads the coverage facts of organisations on a day, each with its own subqueries.
func factsOf(t *testing.T, s *neo4jstore.Store, ids []string, day time.Time) map[string]cobuild.CoverageFacts {
	t.Helper()
	f, err := s.Expand(context.Background(), ids, &cobuild.Fetch{Facts: []time.Time{day}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]cobuild.CoverageFacts{}
	for k, v := range f.Facts {
		out[k.ID] = v
	}
	return out
}
