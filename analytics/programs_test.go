package analytics_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"cobuild"
	"cobuild/analytics"
)

// The helpers of this file are prefixed pg so that they cannot clash with those of the
// other test files of the package.

func pgDay(y int, m time.Month, d, h int) *time.Time {
	t := time.Date(y, m, d, h, 0, 0, 0, time.UTC)
	return &t
}

func pgRate(r *float64) string {
	if r == nil {
		return "nil"
	}
	return strconv.FormatFloat(*r, 'g', -1, 64)
}

func pgSameRate(got *float64, want float64) bool {
	return got != nil && math.Abs(*got-want) < 1e-12
}

func TestNewCertificationFunnelCountsInAllAndByIndustryAndPark(t *testing.T) {
	rows := []cobuild.CertificationRow{
		{ID: "c1", Certified: true, IndustryID: "ind-a", ParkID: "park-1"},
		{ID: "c2", Certified: false, IndustryID: "ind-a", ParkID: "park-1"},
		{ID: "c3", Certified: true, IndustryID: "ind-b", ParkID: "park-2"},
		{ID: "c4", Certified: false, IndustryID: "ind-a", ParkID: ""},
		{ID: "c5", Certified: false, IndustryID: "ind-c", ParkID: "park-2"},
		{ID: "c6", Certified: false, IndustryID: "ind-b", ParkID: "park-1"},
		{ID: "c7", Certified: true, IndustryID: "ind-c", ParkID: "park-3"},
	}
	names := map[string]string{"ind-a": "纺织", "ind-b": "机械", "park-1": "高新区", "park-2": "经开区"}
	f := analytics.NewCertificationFunnel(rows, names)
	// 7 reviewed, 3 certified (c1, c3, c7).
	if f.Reviewed != 7 || f.Certified != 3 || !pgSameRate(f.Rate, 3.0/7) {
		t.Errorf("funnel %d reviewed %d certified rate %s, want 7 3 3/7", f.Reviewed, f.Certified, pgRate(f.Rate))
	}
	type group struct {
		value          string // "" for no value
		label          string
		reviewed, cert int
		rate           float64
	}
	check := func(what string, dim analytics.GroupDimension, got []*analytics.FunnelGroup, want []group) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d groups, want %d", what, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			value := ""
			if g.Key.Value != nil {
				value = *g.Key.Value
			}
			if g.Key.Dimension != dim || value != w.value || (w.value == "" && g.Key.Value != nil) || g.Key.Label != w.label ||
				g.Reviewed != w.reviewed || g.Certified != w.cert || !pgSameRate(g.Rate, w.rate) {
				t.Errorf("%s %d = %s %q %q reviewed %d certified %d rate %s, want %s %q %q %d %d %v", what, i,
					g.Key.Dimension, value, g.Key.Label, g.Reviewed, g.Certified, pgRate(g.Rate), dim, w.value, w.label,
					w.reviewed, w.cert, w.rate)
			}
		}
	}
	// Most reviewed first; ind-c and ind-b tie at 2 and go by label: "ind-c" (no name, so
	// its id) sorts before "机械".
	check("by industry", analytics.ByIndustry, f.ByIndustry, []group{
		{"ind-a", "纺织", 3, 1, 1.0 / 3},
		{"ind-c", "ind-c", 2, 1, 0.5},
		{"ind-b", "机械", 2, 1, 0.5},
	})
	// park-3 and the row with no park tie at 1: "park-3" sorts before "无".
	check("by park", analytics.ByPark, f.ByPark, []group{
		{"park-1", "高新区", 3, 1, 1.0 / 3},
		{"park-2", "经开区", 2, 1, 0.5},
		{"park-3", "park-3", 1, 1, 1},
		{"", "无", 1, 0, 0},
	})
}

func TestNewCertificationFunnelOfNoReview(t *testing.T) {
	f := analytics.NewCertificationFunnel(nil, nil)
	if f.Reviewed != 0 || f.Certified != 0 || f.Rate != nil {
		t.Errorf("empty funnel %d %d rate %s, want 0 0 nil", f.Reviewed, f.Certified, pgRate(f.Rate))
	}
	if f.ByIndustry == nil || f.ByPark == nil || len(f.ByIndustry)+len(f.ByPark) != 0 {
		t.Errorf("empty funnel groups %v %v, want two empty lists", f.ByIndustry, f.ByPark)
	}
}

func TestNewMassBranchFollowUpMeasuresTheDelays(t *testing.T) {
	facts := cobuild.MassBranchFacts{Formed: 102, Recommended: 52, Followed: []cobuild.BranchFollowed{
		{BranchID: "b1", PartyOrgID: "po1", FormedOn: pgDay(2022, 1, 1, 0), FoundedOn: pgDay(2022, 1, 11, 0)}, // 10 days
		{BranchID: "b2", PartyOrgID: "po2", FormedOn: nil, FoundedOn: pgDay(2022, 1, 11, 0)},                  // no delay
		{BranchID: "b3", PartyOrgID: "po3", FormedOn: pgDay(2022, 3, 1, 0), FoundedOn: pgDay(2022, 3, 3, 12)}, // 2.5 days: 2
		{BranchID: "b4", PartyOrgID: "po4", FormedOn: pgDay(2022, 3, 1, 0), FoundedOn: nil},                   // no delay
		{BranchID: "b5", PartyOrgID: "po5", FormedOn: pgDay(2022, 1, 1, 0), FoundedOn: pgDay(2022, 2, 1, 0)},  // 31 days
	}}
	m := analytics.NewMassBranchFollowUp(facts)
	// Helped form counts every party organisation followed, dated or not.
	if m.Formed != 102 || m.Recommended != 52 || m.HelpedForm != 5 {
		t.Errorf("formed %d recommended %d helped form %d, want 102 52 5", m.Formed, m.Recommended, m.HelpedForm)
	}
	want := []struct {
		branch string
		delay  int // -1 for none
	}{{"b1", 10}, {"b2", -1}, {"b3", 2}, {"b4", -1}, {"b5", 31}}
	if len(m.Followed) != len(want) {
		t.Fatalf("%d followed, want %d", len(m.Followed), len(want))
	}
	for i, w := range want {
		f := m.Followed[i]
		switch {
		case f.BranchID != w.branch:
			t.Errorf("followed %d is %s, want %s", i, f.BranchID, w.branch)
		case w.delay < 0 && f.DelayDays != nil:
			t.Errorf("followed %s delay %d, want none", f.BranchID, *f.DelayDays)
		case w.delay >= 0 && (f.DelayDays == nil || *f.DelayDays != w.delay):
			t.Errorf("followed %s delay %v, want %d", f.BranchID, f.DelayDays, w.delay)
		}
	}
	// Delays 10, 2, 31: mean 43/3, median 10 (the middle once sorted: 2, 10, 31).
	if m.MeanDelayDays == nil || math.Abs(*m.MeanDelayDays-43.0/3) > 1e-9 {
		t.Errorf("mean delay %v, want 43/3", m.MeanDelayDays)
	}
	if m.MedianDelayDays == nil || *m.MedianDelayDays != 10 {
		t.Errorf("median delay %v, want 10", m.MedianDelayDays)
	}
}

func TestNewMassBranchFollowUpMedianOfAnEvenCount(t *testing.T) {
	// Delays 20, 1, 8, 3: sorted 1, 3, 8, 20; median (3+8)/2 = 5.5; mean 32/4 = 8.
	start := pgDay(2023, 1, 1, 0)
	var followed []cobuild.BranchFollowed
	for _, d := range []int{20, 1, 8, 3} {
		founded := start.AddDate(0, 0, d)
		followed = append(followed, cobuild.BranchFollowed{BranchID: "b", FormedOn: start, FoundedOn: &founded})
	}
	m := analytics.NewMassBranchFollowUp(cobuild.MassBranchFacts{Followed: followed})
	if m.MeanDelayDays == nil || *m.MeanDelayDays != 8 {
		t.Errorf("mean delay %v, want 8", m.MeanDelayDays)
	}
	if m.MedianDelayDays == nil || *m.MedianDelayDays != 5.5 {
		t.Errorf("median delay %v, want 5.5", m.MedianDelayDays)
	}

	// Two delays, 4 and 1: median and mean 2.5.
	a, b := start.AddDate(0, 0, 4), start.AddDate(0, 0, 1)
	m = analytics.NewMassBranchFollowUp(cobuild.MassBranchFacts{Followed: []cobuild.BranchFollowed{
		{FormedOn: start, FoundedOn: &a}, {FormedOn: start, FoundedOn: &b}}})
	if m.MedianDelayDays == nil || *m.MedianDelayDays != 2.5 || m.MeanDelayDays == nil || *m.MeanDelayDays != 2.5 {
		t.Errorf("two delays 4 and 1: median %v mean %v, want 2.5 and 2.5", m.MedianDelayDays, m.MeanDelayDays)
	}

	// One delay of 7: median and mean 7.
	c := start.AddDate(0, 0, 7)
	m = analytics.NewMassBranchFollowUp(cobuild.MassBranchFacts{Followed: []cobuild.BranchFollowed{{FormedOn: start, FoundedOn: &c}}})
	if m.MedianDelayDays == nil || *m.MedianDelayDays != 7 || m.MeanDelayDays == nil || *m.MeanDelayDays != 7 {
		t.Errorf("one delay of 7: median %v mean %v, want 7 and 7", m.MedianDelayDays, m.MeanDelayDays)
	}
}

func TestNewMassBranchFollowUpWithoutDates(t *testing.T) {
	m := analytics.NewMassBranchFollowUp(cobuild.MassBranchFacts{Formed: 3, Followed: []cobuild.BranchFollowed{{BranchID: "b1"}}})
	if m.HelpedForm != 1 || len(m.Followed) != 1 || m.Followed[0].DelayDays != nil {
		t.Errorf("undated follow-up: helped %d followed %v, want 1 with no delay", m.HelpedForm, m.Followed)
	}
	if m.MeanDelayDays != nil || m.MedianDelayDays != nil {
		t.Errorf("undated follow-up: mean %v median %v, want nil and nil", m.MeanDelayDays, m.MedianDelayDays)
	}
	m = analytics.NewMassBranchFollowUp(cobuild.MassBranchFacts{})
	if m.Followed == nil || len(m.Followed) != 0 || m.HelpedForm != 0 || m.MeanDelayDays != nil {
		t.Errorf("no branch: followed %v helped %d mean %v, want an empty list, 0, nil", m.Followed, m.HelpedForm, m.MeanDelayDays)
	}
}

func TestTiersOfCountsTheNewestEvaluations(t *testing.T) {
	latest := map[string]*cobuild.Evaluation{
		"po1": {ID: "e1", Score: 95},    // gold
		"po2": {ID: "e2", Score: 80},    // silver
		"po3": {ID: "e3", Score: 59.99}, // weak
		"po4": {ID: "e4", Score: 101},   // off the scale: not counted
		"po5": nil,                      // no evaluation
		"po7": {ID: "e7", Score: 60},    // bronze
	}
	// po1 twice (repeats count), po6 not in the map.
	got := analytics.TiersOf(cobuild.DefaultRules(), []string{"po1", "po2", "po1", "po3", "po4", "po5", "po6", "po7"}, latest)
	want := []analytics.TierCount{
		{Tier: cobuild.TierGold, Label: "金色示范型", Count: 2},
		{Tier: cobuild.TierSilver, Label: "银色扶优型", Count: 1},
		{Tier: cobuild.TierBronze, Label: "铜色基础型", Count: 1},
		{Tier: cobuild.TierWeak, Label: "软弱涣散", Count: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("%d tier counts, want %d", len(got), len(want))
	}
	for i := range want {
		if *got[i] != want[i] {
			t.Errorf("tier count %d = %+v, want %+v", i, *got[i], want[i])
		}
	}
}
