package cobuild_test

import (
	"slices"
	"testing"

	"cobuild"
	"cobuild/fixture"
)

// TestTheDrawnGraphsCoverage applies the coverage rules to the facts of every organisation
// of the drawn graph and compares them with what the drawing says.
func TestTheDrawnGraphsCoverage(t *testing.T) {
	ds, rules := fixture.Graph(), cobuild.DefaultRules()
	for id, want := range fixture.Coverage {
		c := rules.CoverageOf(ds.FactsOn(id, fixture.Day))
		if c.Status != want {
			t.Errorf("%s: %s (%s), the drawing says %s", id, c.Status, c.Reason, want)
		}
		if c.Isolated != slices.Contains(fixture.Isolated, id) {
			t.Errorf("%s: isolated %v, the drawing says %v", id, c.Isolated, !c.Isolated)
		}
		if c.ShouldHaveOwn != slices.Contains(fixture.ShouldHaveOwn, id) {
			t.Errorf("%s: should have its own %v, the drawing says %v", id, c.ShouldHaveOwn, !c.ShouldHaveOwn)
		}
	}
	// A day before 癸's membership ended it was tied; after 子 joins, 子 is.
	if ds.FactsOn(fixture.Gui, fixture.Day.AddDate(-1, 0, 0)).JointTies == 0 {
		t.Error("癸 is isolated a year earlier, while its membership held")
	}
	if ds.FactsOn(fixture.Zi, fixture.Day.AddDate(1, 0, 0)).JointTies == 0 {
		t.Error("子 is isolated a year later, after it joined")
	}
}
