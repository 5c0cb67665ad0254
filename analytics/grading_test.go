package analytics_test

import (
	"fmt"
	"strings"
	"testing"

	"cobuild"
	"cobuild/analytics"
)

// The helpers of this file are prefixed gr so that they cannot clash with those of the
// other test files of the package.

func grF(v float64) *float64 { return &v }
func grI(v int) *int         { return &v }

// grExactRules are the default rules with evaluator weights that binary floating point
// holds exactly (0.25, 0.25, 0.5), so that weighted dimension scores can be compared for
// equality with the shares of a line.
func grExactRules() cobuild.Rules {
	r := cobuild.DefaultRules()
	r.SelfWeight, r.PublicWeight, r.CommitteeWeight = 0.25, 0.25, 0.5
	return r
}

func grIDs(es []*analytics.Evaluation) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func grSameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// grNear builds a graded evaluation with the distances to its next star and tier given.
func grNear(id string, toStar, toTier float64) *analytics.Evaluation {
	return &analytics.Evaluation{Evaluation: &cobuild.Evaluation{ID: id, PartyOrgID: "po-" + id},
		ToNextStar: toStar, ToNextTier: toTier}
}

// grTotals builds a graded evaluation with its self and committee totals given.
func grTotals(id string, self, committee float64) *analytics.Evaluation {
	return &analytics.Evaluation{Evaluation: &cobuild.Evaluation{ID: id, PartyOrgID: "po-" + id},
		SelfTotal: self, CommitteeTotal: committee}
}

// grTier builds a graded evaluation of a party organisation with a tier and a score.
func grTier(id, po string, t cobuild.Tier, score float64) *analytics.Evaluation {
	return &analytics.Evaluation{Evaluation: &cobuild.Evaluation{ID: id, PartyOrgID: po, Score: score}, Tier: t}
}

func grWantInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if got := cobuild.ErrorCode(err); got != cobuild.EINVALID {
		t.Errorf("%s: error code %q (err %v), want %q", what, got, err, cobuild.EINVALID)
	}
}

func TestGradeGivesTierStarsDistancesAndGroupTotals(t *testing.T) {
	r := cobuild.DefaultRules()
	e := &cobuild.Evaluation{ID: "ev-1", PartyOrgID: "po-1", Round: "2023-05", Score: 62.99,
		Self:      [7]float64{1, 2, 3, 4, 5, 6, 7},        // total 28
		Public:    [7]float64{15, 15, 15, 15, 20, 10, 10}, // total 100
		Committee: [7]float64{1, 0, 0, 0, 0, 0, 2},        // total 3
	}
	g, err := analytics.Grade(r, e)
	if err != nil {
		t.Fatalf("Grade: unexpected error %v", err)
	}
	if g.Evaluation != e {
		t.Errorf("Grade keeps evaluation %p, want %p", g.Evaluation, e)
	}
	// 62.99 is bronze 1 star (60-62.99), 0.01 to the 2nd star at 63, 12.01 to silver at 75.
	if g.Tier != cobuild.TierBronze || g.TierLabel != "铜色基础型" || g.Stars != 1 {
		t.Errorf("tier %s %q stars %d, want BRONZE 铜色基础型 1", g.Tier, g.TierLabel, g.Stars)
	}
	if g.ToNextStar != 0.01 || g.ToNextTier != 12.01 {
		t.Errorf("toNextStar %v toNextTier %v, want 0.01 and 12.01", g.ToNextStar, g.ToNextTier)
	}
	if g.SelfTotal != 28 || g.PublicTotal != 100 || g.CommitteeTotal != 3 {
		t.Errorf("totals self %v public %v committee %v, want 28 100 3", g.SelfTotal, g.PublicTotal, g.CommitteeTotal)
	}
	wantKeys := []string{"LEADERSHIP_TEAM", "MEMBER_EDUCATION", "ACTIVITY_VENUES", "WORK_RULES", "WORK_RESULTS", "RESOURCES", "PUBLIC_FEEDBACK"}
	wantMax := []float64{15, 15, 15, 15, 20, 10, 10}
	if len(g.Dimensions) != 7 {
		t.Fatalf("%d dimensions, want 7", len(g.Dimensions))
	}
	for i, d := range g.Dimensions {
		if d.Key != wantKeys[i] || d.Max != wantMax[i] || d.Self != e.Self[i] || d.Public != e.Public[i] || d.Committee != e.Committee[i] {
			t.Errorf("dimension %d = %+v, want key %s max %v self %v public %v committee %v",
				i, *d, wantKeys[i], wantMax[i], e.Self[i], e.Public[i], e.Committee[i])
		}
	}
	if g.Dimensions[0].Label != "班子队伍建设" || g.Dimensions[6].Label != "群众反映情况" {
		t.Errorf("labels %q .. %q, want 班子队伍建设 .. 群众反映情况", g.Dimensions[0].Label, g.Dimensions[6].Label)
	}
}

func TestGradeOfAGoldAndAWeakScore(t *testing.T) {
	r := cobuild.DefaultRules()
	for _, c := range []struct {
		score          float64
		tier           cobuild.Tier
		label          string
		stars          int
		toStar, toTier float64
	}{
		{100, cobuild.TierGold, "金色示范型", 5, 0, 0},        // gold 5 stars: nothing above
		{90, cobuild.TierGold, "金色示范型", 1, 2, 0},         // gold 1 star, 2nd star at 92
		{59.99, cobuild.TierWeak, "软弱涣散", 0, 0.01, 0.01}, // weak: both the distance to 60
	} {
		g, err := analytics.Grade(r, &cobuild.Evaluation{ID: "ev", Score: c.score})
		if err != nil {
			t.Fatalf("Grade(%v): unexpected error %v", c.score, err)
		}
		if g.Tier != c.tier || g.TierLabel != c.label || g.Stars != c.stars || g.ToNextStar != c.toStar || g.ToNextTier != c.toTier {
			t.Errorf("Grade(%v) = %s %q %d★ toStar %v toTier %v, want %s %q %d★ %v %v", c.score, g.Tier, g.TierLabel,
				g.Stars, g.ToNextStar, g.ToNextTier, c.tier, c.label, c.stars, c.toStar, c.toTier)
		}
	}
}

func TestGradeOfAScoreOffTheScaleIsAnInternalError(t *testing.T) {
	for _, score := range []float64{100.01, -0.01} {
		g, err := analytics.Grade(cobuild.DefaultRules(), &cobuild.Evaluation{ID: "ev-bad", Score: score})
		if err == nil || g != nil {
			t.Fatalf("Grade(%v) = %v, %v; want nil and an error", score, g, err)
		}
		if code := cobuild.ErrorCode(err); code != cobuild.EINTERNAL {
			t.Errorf("Grade(%v) error code %q, want %q (bad data, not bad input)", score, code, cobuild.EINTERNAL)
		}
		if !strings.Contains(err.Error(), "ev-bad") {
			t.Errorf("Grade(%v) error %q does not name the evaluation ev-bad", score, err)
		}
	}
}

func TestGradeAllKeepsTheOrderAndStopsAtBadData(t *testing.T) {
	r := cobuild.DefaultRules()
	es := []*cobuild.Evaluation{{ID: "ev-b", Score: 75}, {ID: "ev-a", Score: 59}}
	gs, err := analytics.GradeAll(r, es)
	if err != nil {
		t.Fatalf("GradeAll: unexpected error %v", err)
	}
	if len(gs) != 2 {
		t.Fatalf("GradeAll gave %d, want 2", len(gs))
	}
	if gs[0].ID != "ev-b" || gs[0].Tier != cobuild.TierSilver || gs[1].ID != "ev-a" || gs[1].Tier != cobuild.TierWeak {
		t.Errorf("GradeAll = %s %s, %s %s; want ev-b SILVER, ev-a WEAK", gs[0].ID, gs[0].Tier, gs[1].ID, gs[1].Tier)
	}

	gs, err = analytics.GradeAll(r, append(es, &cobuild.Evaluation{ID: "ev-bad", Score: 101}))
	if err == nil || gs != nil {
		t.Errorf("GradeAll with a score of 101 = %v, %v; want nil and an error", gs, err)
	}

	gs, err = analytics.GradeAll(r, nil)
	if err != nil || gs == nil || len(gs) != 0 {
		t.Errorf("GradeAll(nil) = %v (nil %v), %v; want an empty list", gs, gs == nil, err)
	}
}

func TestNewGradingCountsTiersAndStarsUnderTheRules(t *testing.T) {
	r := cobuild.DefaultRules()
	r.MaxStars = 3
	ev := func(id string, t cobuild.Tier, stars int) *analytics.Evaluation {
		return &analytics.Evaluation{Evaluation: &cobuild.Evaluation{ID: id}, Tier: t, Stars: stars}
	}
	evals := []*analytics.Evaluation{
		ev("a", cobuild.TierGold, 3), ev("b", cobuild.TierGold, 1), ev("c", cobuild.TierWeak, 0),
		ev("d", cobuild.TierSilver, 2), ev("e", cobuild.TierGold, 1), ev("f", cobuild.TierWeak, 0),
	}
	g := analytics.NewGrading(r, "2023-05", evals, "", nil)
	if g.Round != "2023-05" || g.Evaluated != 6 || g.PreviousRound != nil {
		t.Errorf("round %q evaluated %d previous %v, want 2023-05 6 nil", g.Round, g.Evaluated, g.PreviousRound)
	}
	wantTiers := []analytics.TierCount{
		{Tier: cobuild.TierGold, Label: "金色示范型", Count: 3},
		{Tier: cobuild.TierSilver, Label: "银色扶优型", Count: 1},
		{Tier: cobuild.TierBronze, Label: "铜色基础型", Count: 0},
		{Tier: cobuild.TierWeak, Label: "软弱涣散", Count: 2},
	}
	if len(g.Tiers) != len(wantTiers) {
		t.Fatalf("%d tier counts, want %d", len(g.Tiers), len(wantTiers))
	}
	for i, w := range wantTiers {
		if *g.Tiers[i] != w {
			t.Errorf("tier count %d = %+v, want %+v", i, *g.Tiers[i], w)
		}
	}
	// Three stars at most: each of gold, silver and bronze from 3 stars down to 1, then weak
	// with no stars.
	wantStars := []analytics.StarCount{
		{Tier: cobuild.TierGold, Stars: 3, Count: 1}, {Tier: cobuild.TierGold, Stars: 2, Count: 0}, {Tier: cobuild.TierGold, Stars: 1, Count: 2},
		{Tier: cobuild.TierSilver, Stars: 3, Count: 0}, {Tier: cobuild.TierSilver, Stars: 2, Count: 1}, {Tier: cobuild.TierSilver, Stars: 1, Count: 0},
		{Tier: cobuild.TierBronze, Stars: 3, Count: 0}, {Tier: cobuild.TierBronze, Stars: 2, Count: 0}, {Tier: cobuild.TierBronze, Stars: 1, Count: 0},
		{Tier: cobuild.TierWeak, Stars: 0, Count: 2},
	}
	if len(g.Stars) != len(wantStars) {
		t.Fatalf("%d star counts, want %d: %v", len(g.Stars), len(wantStars), g.Stars)
	}
	for i, w := range wantStars {
		if *g.Stars[i] != w {
			t.Errorf("star count %d = %+v, want %+v", i, *g.Stars[i], w)
		}
	}
}

func TestNewGradingListsFiveStarsUnderTheDefaultRules(t *testing.T) {
	g := analytics.NewGrading(cobuild.DefaultRules(), "2022-11", nil, "", nil)
	if g.Evaluated != 0 {
		t.Errorf("evaluated %d, want 0", g.Evaluated)
	}
	// 3 tiers × 5 stars + weak.
	if len(g.Stars) != 16 {
		t.Fatalf("%d star counts, want 16", len(g.Stars))
	}
	if s := g.Stars[0]; s.Tier != cobuild.TierGold || s.Stars != 5 {
		t.Errorf("first star count %+v, want GOLD 5", *s)
	}
	if s := g.Stars[4]; s.Tier != cobuild.TierGold || s.Stars != 1 {
		t.Errorf("fifth star count %+v, want GOLD 1", *s)
	}
	for i, s := range g.Stars {
		if s.Count != 0 {
			t.Errorf("star count %d = %+v, want count 0", i, *s)
		}
	}
	if len(g.Tiers) != 4 {
		t.Fatalf("%d tier counts, want 4", len(g.Tiers))
	}
}

func TestNewGradingKeepsThePreviousRoundOnlyWhenNamed(t *testing.T) {
	prev := []*analytics.Evaluation{grTier("p1", "po-1", cobuild.TierWeak, 50)}
	cur := []*analytics.Evaluation{grTier("c1", "po-1", cobuild.TierWeak, 55)}

	g := analytics.NewGrading(cobuild.DefaultRules(), "2023-05", cur, "2022-11", prev)
	if g.PreviousRound == nil || *g.PreviousRound != "2022-11" {
		t.Errorf("previous round %v, want 2022-11", g.PreviousRound)
	}
	if got := g.WeakTwoRoundsIDs(); !grSameStrings(got, []string{"po-1"}) {
		t.Errorf("weak two rounds %v, want [po-1]", got)
	}

	// No previous round: the evaluations passed for it are ignored.
	g = analytics.NewGrading(cobuild.DefaultRules(), "2022-11", cur, "", prev)
	if g.PreviousRound != nil {
		t.Errorf("previous round %q, want nil", *g.PreviousRound)
	}
	if got := g.WeakTwoRoundsIDs(); got == nil || len(got) != 0 {
		t.Errorf("weak two rounds without a previous round %v, want an empty list", got)
	}
}

func TestTierCountsListsEveryTierBestFirst(t *testing.T) {
	got := analytics.TierCounts(map[cobuild.Tier]int{cobuild.TierWeak: 1, cobuild.TierGold: 2})
	want := []analytics.TierCount{
		{Tier: cobuild.TierGold, Label: "金色示范型", Count: 2},
		{Tier: cobuild.TierSilver, Label: "银色扶优型", Count: 0},
		{Tier: cobuild.TierBronze, Label: "铜色基础型", Count: 0},
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
	if got := analytics.TierCounts(nil); len(got) != 4 || got[0].Count != 0 || got[3].Tier != cobuild.TierWeak {
		t.Errorf("TierCounts(nil) = %v, want four zero counts, GOLD to WEAK", got)
	}
}

func TestBoundedTakesTheDefaultAndRejectsValuesOutsideTheBounds(t *testing.T) {
	for _, c := range []struct {
		v       *int
		want    int
		invalid bool
	}{
		{nil, 7, false},    // absent: the default, even outside the bounds
		{grI(1), 0, true},  // just under lo
		{grI(2), 2, false}, // lo
		{grI(3), 3, false}, // inside
		{grI(5), 5, false}, // hi
		{grI(6), 0, true},  // just over hi
		{grI(-4), 0, true}, // far under
		{grI(99), 0, true}, // far over
	} {
		got, err := analytics.Bounded("first", c.v, 7, 2, 5)
		name := "nil"
		if c.v != nil {
			name = fmt.Sprint(*c.v)
		}
		if c.invalid {
			grWantInvalid(t, "Bounded("+name+") in 2..5", err)
			if err != nil && !strings.Contains(err.Error(), "first") {
				t.Errorf("Bounded(%s) error %q does not name the argument", name, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Bounded(%s) in 2..5 default 7 = %d, %v; want %d", name, got, err, c.want)
		}
	}
}

// grNearEvals are evaluations with hand-set distances; the comment gives each one's gap
// (the distance to its next star or tier, whichever is nearer and not zero).
func grNearEvals() []*analytics.Evaluation {
	return []*analytics.Evaluation{
		grNear("j", 1, 1),        // bronze 74, 5★: 1 to silver (same as the next star); gap 1
		grNear("c", 1.8, 0),      // gold 92.2: 1.8 to the next star, no next tier; gap 1.8
		grNear("a", 0.5, 0.5),    // weak 59.5: 0.5 to bronze; gap 0.5
		grNear("b", 0, 0),        // gold 5★: nothing above; never listed
		grNear("d", 1, 0),        // gold 91: 1 to the next star; gap 1
		grNear("e", 2.5, 2.5),    // silver 87.5, 5★: 2.5 to gold; gap 2.5
		grNear("f", 2, 14),       // silver 76: 2 to the next star, 14 to gold; gap 2
		grNear("g", 0, 0.25),     // no star to gain, 0.25 to the next tier; gap 0.25
		grNear("h", 0.01, 12.01), // bronze 62.99: gap 0.01
		grNear("i", 1.01, 0),     // gold: 1.01 to the next star; gap 1.01
	}
}

func TestNearNextListsTheClosestWithinThePoints(t *testing.T) {
	g := analytics.NewGrading(cobuild.DefaultRules(), "2023-05", grNearEvals(), "", nil)
	for _, c := range []struct {
		name   string
		points *float64
		first  *int
		want   []string
	}{
		// Default 1 point: gaps 0.01, 0.25, 0.5 and the two of exactly 1 (by id); not 1.01.
		{"defaults", nil, nil, []string{"h", "g", "a", "d", "j"}},
		{"points 2", grF(2), nil, []string{"h", "g", "a", "d", "j", "i", "c", "f"}},
		{"points 1.01", grF(1.01), nil, []string{"h", "g", "a", "d", "j", "i"}},
		{"points 0.99", grF(0.99), nil, []string{"h", "g", "a"}},
		{"points 0", grF(0), nil, []string{}},
		{"points 100", grF(100), nil, []string{"h", "g", "a", "d", "j", "i", "c", "f", "e"}},
		{"first 2", nil, grI(2), []string{"h", "g"}},
		{"first 0", nil, grI(0), []string{}},
		{"first 1000", nil, grI(1000), []string{"h", "g", "a", "d", "j"}},
	} {
		got, err := g.NearNext(c.points, c.first)
		if err != nil {
			t.Errorf("%s: unexpected error %v", c.name, err)
			continue
		}
		if ids := grIDs(got); !grSameStrings(ids, c.want) {
			t.Errorf("%s: NearNext = %v, want %v", c.name, ids, c.want)
		}
	}
}

func TestNearNextListsFiftyByDefault(t *testing.T) {
	var evals []*analytics.Evaluation
	for i := 50; i >= 0; i-- {
		evals = append(evals, grNear(fmt.Sprintf("w%02d", i), 0.5, 0.5))
	}
	g := analytics.NewGrading(cobuild.DefaultRules(), "r", evals, "", nil)
	got, err := g.NearNext(nil, nil)
	if err != nil {
		t.Fatalf("NearNext: unexpected error %v", err)
	}
	// 51 at the same gap: the first 50 by id, w00 to w49.
	if len(got) != 50 {
		t.Fatalf("NearNext listed %d of 51, want 50", len(got))
	}
	if got[0].ID != "w00" || got[49].ID != "w49" {
		t.Errorf("NearNext runs %s..%s, want w00..w49", got[0].ID, got[49].ID)
	}
}

func TestNearNextRejectsBadArguments(t *testing.T) {
	g := analytics.NewGrading(cobuild.DefaultRules(), "r", grNearEvals(), "", nil)
	for _, c := range []struct {
		name   string
		points *float64
		first  *int
	}{
		{"points -0.01", grF(-0.01), nil},
		{"points 100.01", grF(100.01), nil},
		{"points -5", grF(-5), nil},
		{"first -1", nil, grI(-1)},
		{"first 1001", nil, grI(1001)},
	} {
		got, err := g.NearNext(c.points, c.first)
		grWantInvalid(t, "NearNext "+c.name, err)
		if got != nil {
			t.Errorf("NearNext %s listed %v, want nil", c.name, grIDs(got))
		}
	}
}

// grPullEvals, under grExactRules and the default line of 75, whose shares of the line are
// 11.25 for the four dimensions of 15, 15 for the one of 20 and 7.5 for the two of 10.
// Each group's score is given as self/public/committee, weighted 0.25/0.25/0.5.
func grPullEvals() []*analytics.Evaluation {
	ev := func(id string, score float64, self, public, committee [7]float64) *analytics.Evaluation {
		return &analytics.Evaluation{Evaluation: &cobuild.Evaluation{ID: id, Score: score, Self: self, Public: public, Committee: committee}}
	}
	var zero [7]float64
	return []*analytics.Evaluation{
		// Above the line and at it: not counted, however low their dimensions.
		ev("above", 80, zero, zero, zero),
		ev("at", 75, zero, zero, zero),
		// Weighted, dimension by dimension: 11.25 (equal to its share: no pull), 8 (3.25 short),
		// 0 (11.25 short), 15 (none), 10 (5 short), 1 (6.5 short), 7.375 (0.125 short).
		ev("e3", 50,
			[7]float64{11.25, 4, 0, 15, 20, 1, 7.375},
			[7]float64{11.25, 8, 0, 15, 0, 1, 7.375},
			[7]float64{11.25, 10, 0, 15, 10, 1, 7.375}),
		// Weighted: 11.25 (none), 11.5 (none), 10 (1.25 short), 15 (none), 12 (3 short), 10
		// (none), 10 (none).
		ev("e4", 74.99,
			[7]float64{11.25, 12, 10, 15, 0, 10, 10},
			[7]float64{11.25, 12, 10, 15, 20, 10, 10},
			[7]float64{11.25, 11, 10, 15, 14, 10, 10}),
	}
}

func TestDimensionPullsCountsTheDimensionsUnderTheirShareOfTheLine(t *testing.T) {
	g := analytics.NewGrading(grExactRules(), "r", grPullEvals(), "", nil)
	got, err := g.DimensionPulls(nil)
	if err != nil {
		t.Fatalf("DimensionPulls: unexpected error %v", err)
	}
	// Most pulls first, ties in dimension order: ACTIVITY_VENUES 2 (mean of 11.25 and 1.25),
	// WORK_RESULTS 2 (mean of 5 and 3), MEMBER_EDUCATION 1, RESOURCES 1, PUBLIC_FEEDBACK 1
	// (0.125 rounded half up to 0.13), LEADERSHIP_TEAM 0, WORK_RULES 0.
	want := []analytics.DimensionPull{
		{Key: "ACTIVITY_VENUES", Label: "活动阵地建设", Count: 2, MeanShortfall: 6.25},
		{Key: "WORK_RESULTS", Label: "工作业绩情况", Count: 2, MeanShortfall: 4},
		{Key: "MEMBER_EDUCATION", Label: "党员教育管理", Count: 1, MeanShortfall: 3.25},
		{Key: "RESOURCES", Label: "工作保障情况", Count: 1, MeanShortfall: 6.5},
		{Key: "PUBLIC_FEEDBACK", Label: "群众反映情况", Count: 1, MeanShortfall: 0.13},
		{Key: "LEADERSHIP_TEAM", Label: "班子队伍建设", Count: 0, MeanShortfall: 0},
		{Key: "WORK_RULES", Label: "工作制度建设", Count: 0, MeanShortfall: 0},
	}
	if len(got) != len(want) {
		t.Fatalf("%d dimension pulls, want %d", len(got), len(want))
	}
	for i := range want {
		if *got[i] != want[i] {
			t.Errorf("pull %d = %+v, want %+v", i, *got[i], want[i])
		}
	}
}

func TestDimensionPullsUnderTheDefaultWeights(t *testing.T) {
	// Weighted 0.2×self + 0.3×public + 0.5×committee: WORK_RESULTS 0.2×20 + 0.3×10 + 0.5×10
	// = 12, 3 under its share 15; RESOURCES 0.2×10 + 0.3×10 + 0.5×0 = 5, 2.5 under 7.5. All
	// the others are at their maximum.
	ev := &analytics.Evaluation{Evaluation: &cobuild.Evaluation{ID: "x", Score: 70,
		Self:      [7]float64{15, 15, 15, 15, 20, 10, 10},
		Public:    [7]float64{15, 15, 15, 15, 10, 10, 10},
		Committee: [7]float64{15, 15, 15, 15, 10, 0, 10}}}
	g := analytics.NewGrading(cobuild.DefaultRules(), "r", []*analytics.Evaluation{ev}, "", nil)
	got, err := g.DimensionPulls(grF(75))
	if err != nil {
		t.Fatalf("DimensionPulls: unexpected error %v", err)
	}
	if len(got) != 7 {
		t.Fatalf("%d dimension pulls, want 7", len(got))
	}
	if got[0].Key != "WORK_RESULTS" || got[0].Count != 1 || got[0].MeanShortfall != 3 {
		t.Errorf("first pull %+v, want WORK_RESULTS 1 shortfall 3", *got[0])
	}
	if got[1].Key != "RESOURCES" || got[1].Count != 1 || got[1].MeanShortfall != 2.5 {
		t.Errorf("second pull %+v, want RESOURCES 1 shortfall 2.5", *got[1])
	}
	if got[2].Key != "LEADERSHIP_TEAM" || got[2].Count != 0 {
		t.Errorf("third pull %+v, want LEADERSHIP_TEAM 0", *got[2])
	}
}

func TestDimensionPullsBelowAnotherLine(t *testing.T) {
	g := analytics.NewGrading(grExactRules(), "r", grPullEvals(), "", nil)
	// Below 50 nothing is under the line (the lowest score is exactly 50): every dimension
	// at 0, in dimension order.
	got, err := g.DimensionPulls(grF(50))
	if err != nil {
		t.Fatalf("DimensionPulls(50): unexpected error %v", err)
	}
	if len(got) != 7 {
		t.Fatalf("%d dimension pulls, want 7", len(got))
	}
	for i, p := range got {
		if p.Key != cobuild.Dimensions[i].Key || p.Count != 0 || p.MeanShortfall != 0 {
			t.Errorf("pull %d below 50 = %+v, want %s 0 0", i, *p, cobuild.Dimensions[i].Key)
		}
	}
	// Below 100 (valid, the top of the scale) with only the "above" evaluation, all zero:
	// every dimension is short by its whole maximum.
	g = analytics.NewGrading(grExactRules(), "r", grPullEvals()[:1], "", nil)
	got, err = g.DimensionPulls(grF(100))
	if err != nil {
		t.Fatalf("DimensionPulls(100): unexpected error %v", err)
	}
	if len(got) != 7 {
		t.Fatalf("%d dimension pulls, want 7", len(got))
	}
	maxima := []float64{15, 15, 15, 15, 20, 10, 10}
	for i, p := range got {
		if p.Key != cobuild.Dimensions[i].Key || p.Count != 1 || p.MeanShortfall != maxima[i] {
			t.Errorf("pull %d below 100 = %+v, want %s 1 %v", i, *p, cobuild.Dimensions[i].Key, maxima[i])
		}
	}
	// Below 0 (valid): nothing is under it.
	got, err = g.DimensionPulls(grF(0))
	if err != nil || len(got) != 7 || got[0].Count != 0 {
		t.Errorf("DimensionPulls(0) = %v, %v; want seven zero counts", got, err)
	}
}

func TestDimensionPullsRejectsALineOffTheScale(t *testing.T) {
	g := analytics.NewGrading(grExactRules(), "r", grPullEvals(), "", nil)
	for _, below := range []float64{-0.01, 100.01} {
		got, err := g.DimensionPulls(grF(below))
		grWantInvalid(t, fmt.Sprintf("DimensionPulls(%v)", below), err)
		if got != nil {
			t.Errorf("DimensionPulls(%v) = %v, want nil", below, got)
		}
	}
}

func grGapEvals() []*analytics.Evaluation {
	return []*analytics.Evaluation{
		grTotals("a", 80, 70),       // gap exactly 10
		grTotals("b", 90.5, 78.125), // gap 12.375, rounded half up to 12.38
		grTotals("e", 85, 70),       // gap 15
		grTotals("d", 60, 70),       // committee ahead: -10
		grTotals("c", 95, 80),       // gap 15, ties with e: c first by id
		grTotals("f", 70.25, 60.24), // gap 10.01
	}
}

func TestSelfOverCommitteeListsTheWidestGapsFirst(t *testing.T) {
	g := analytics.NewGrading(cobuild.DefaultRules(), "r", grGapEvals(), "", nil)
	for _, c := range []struct {
		name   string
		points *float64
		first  *int
		ids    []string
		gaps   []float64
	}{
		{"defaults", nil, nil, []string{"c", "e", "b", "f"}, []float64{15, 15, 12.38, 10.01}},
		{"points 9.99", grF(9.99), nil, []string{"c", "e", "b", "f", "a"}, []float64{15, 15, 12.38, 10.01, 10}},
		{"points 12", grF(12), nil, []string{"c", "e", "b"}, []float64{15, 15, 12.38}},
		{"points 15", grF(15), nil, []string{}, []float64{}},
		{"points 0", grF(0), nil, []string{"c", "e", "b", "f", "a"}, []float64{15, 15, 12.38, 10.01, 10}},
		{"points 100", grF(100), nil, []string{}, []float64{}},
		{"first 1", nil, grI(1), []string{"c"}, []float64{15}},
		{"first 0", nil, grI(0), []string{}, []float64{}},
	} {
		got, err := g.SelfOverCommittee(c.points, c.first)
		if err != nil {
			t.Errorf("%s: unexpected error %v", c.name, err)
			continue
		}
		if len(got) != len(c.ids) {
			t.Errorf("%s: %d gaps, want %d", c.name, len(got), len(c.ids))
			continue
		}
		for i, s := range got {
			if s.Evaluation.ID != c.ids[i] || s.Gap != c.gaps[i] {
				t.Errorf("%s: gap %d = %s %v, want %s %v", c.name, i, s.Evaluation.ID, s.Gap, c.ids[i], c.gaps[i])
			}
		}
	}
}

func TestSelfOverCommitteeListsFiftyByDefault(t *testing.T) {
	var evals []*analytics.Evaluation
	for i := 0; i <= 50; i++ {
		evals = append(evals, grTotals(fmt.Sprintf("s%02d", 50-i), 90, 70))
	}
	g := analytics.NewGrading(cobuild.DefaultRules(), "r", evals, "", nil)
	got, err := g.SelfOverCommittee(nil, nil)
	if err != nil {
		t.Fatalf("SelfOverCommittee: unexpected error %v", err)
	}
	if len(got) != 50 {
		t.Fatalf("SelfOverCommittee listed %d of 51, want 50", len(got))
	}
	if got[0].Evaluation.ID != "s00" || got[49].Evaluation.ID != "s49" || got[0].Gap != 20 {
		t.Errorf("SelfOverCommittee runs %s..%s gap %v, want s00..s49 gap 20", got[0].Evaluation.ID, got[49].Evaluation.ID, got[0].Gap)
	}
}

func TestSelfOverCommitteeRejectsBadArguments(t *testing.T) {
	g := analytics.NewGrading(cobuild.DefaultRules(), "r", grGapEvals(), "", nil)
	for _, c := range []struct {
		name   string
		points *float64
		first  *int
	}{
		{"points -0.01", grF(-0.01), nil},
		{"points 100.01", grF(100.01), nil},
		{"first -1", nil, grI(-1)},
		{"first 1001", nil, grI(1001)},
	} {
		got, err := g.SelfOverCommittee(c.points, c.first)
		grWantInvalid(t, "SelfOverCommittee "+c.name, err)
		if got != nil {
			t.Errorf("SelfOverCommittee %s = %v, want nil", c.name, got)
		}
	}
}

func TestWeakTwoRoundsIDsListsTheWeakInBothRoundsOnce(t *testing.T) {
	prev := []*analytics.Evaluation{
		grTier("p1", "po-1", cobuild.TierWeak, 50),
		grTier("p2", "po-2", cobuild.TierWeak, 40),
		grTier("p3", "po-3", cobuild.TierBronze, 61),
		grTier("p5", "po-5", cobuild.TierWeak, 59.99),
		grTier("p6", "po-6", cobuild.TierGold, 95),
	}
	cur := []*analytics.Evaluation{
		grTier("c5", "po-5", cobuild.TierWeak, 30),
		grTier("c2", "po-2", cobuild.TierBronze, 60), // weak before, bronze now
		grTier("c1", "po-1", cobuild.TierWeak, 55),
		grTier("c3", "po-3", cobuild.TierWeak, 45), // weak now, bronze before
		grTier("c4", "po-4", cobuild.TierWeak, 10), // not evaluated before
		grTier("c5b", "po-5", cobuild.TierWeak, 31),
		grTier("c6", "po-6", cobuild.TierSilver, 80),
	}
	g := analytics.NewGrading(cobuild.DefaultRules(), "2023-05", cur, "2022-11", prev)
	if got := g.WeakTwoRoundsIDs(); !grSameStrings(got, []string{"po-1", "po-5"}) {
		t.Errorf("WeakTwoRoundsIDs = %v, want [po-1 po-5]", got)
	}
}

func grMove(po string, bt cobuild.Tier, bs float64, at cobuild.Tier, as float64) (*analytics.Evaluation, *analytics.Evaluation) {
	return grTier("b-"+po, po, bt, bs), grTier("m-"+po, po, at, as)
}

func TestNewGradeMovementComparesTheTiersOfBothRounds(t *testing.T) {
	G, S, B, W := cobuild.TierGold, cobuild.TierSilver, cobuild.TierBronze, cobuild.TierWeak
	var before, after []*analytics.Evaluation
	add := func(po string, bt cobuild.Tier, bs float64, at cobuild.Tier, as float64) {
		b, a := grMove(po, bt, bs, at, as)
		before, after = append(before, b), append(after, a)
	}
	// Tier ranks: gold 0, silver 1, bronze 2, weak 3. steps = after rank - before rank.
	add("k", G, 95, S, 80)                                // fell 1, -15 (ties with j; j first by id)
	add("a", G, 99, B, 60)                                // fell 2, -39
	add("c", B, 61, W, 59)                                // fell 1, -2
	add("e", W, 30, G, 91)                                // rose 3 (steps -3), +61
	add("l", B, 62, S, 80)                                // rose 1, +18 (ties with i)
	add("b", S, 76, W, 40)                                // fell 2, -36
	add("d", S, 80, S, 85)                                // stayed silver
	add("f", B, 70, S, 76)                                // rose 1, +6
	add("h", W, 58, B, 60)                                // rose 1, +2
	add("j", G, 95, S, 80)                                // fell 1, -15
	add("g", W, 50, S, 75)                                // rose 2, +25
	add("i", B, 62, S, 80)                                // rose 1, +18
	before = append(before, grTier("b-x", "po-x", G, 92)) // only before
	// Only after, and first, so that the comparison goes on past it.
	after = append([]*analytics.Evaluation{grTier("m-y", "po-y", W, 20)}, after...)

	m := analytics.NewGradeMovement("2022-11", "2023-05", before, after)
	if m.From != "2022-11" || m.To != "2023-05" || m.Compared != 12 {
		t.Errorf("movement %s→%s compared %d, want 2022-11→2023-05 12", m.From, m.To, m.Compared)
	}
	moves := func(ms []*analytics.Move) []string {
		var out []string
		for _, mv := range ms {
			out = append(out, mv.After.ID)
			if mv.Before.PartyOrgID != mv.After.PartyOrgID {
				t.Errorf("move pairs %s with %s", mv.Before.PartyOrgID, mv.After.PartyOrgID)
			}
		}
		return out
	}
	// Fell: most steps first, then the biggest drop, then by id.
	if got, want := moves(m.Fell), []string{"m-a", "m-b", "m-j", "m-k", "m-c"}; !grSameStrings(got, want) {
		t.Errorf("fell %v, want %v", got, want)
	}
	// Rose: most steps first, then the biggest rise, then by id.
	if got, want := moves(m.Rose), []string{"m-e", "m-g", "m-i", "m-l", "m-f", "m-h"}; !grSameStrings(got, want) {
		t.Errorf("rose %v, want %v", got, want)
	}
	if len(m.Fell) > 0 && m.Fell[0].Before.ID != "b-a" {
		t.Errorf("first fall's before %s, want b-a", m.Fell[0].Before.ID)
	}
	want := map[[2]cobuild.Tier]int{
		{G, B}: 1, {G, S}: 2, {S, W}: 1, {S, S}: 1, {B, W}: 1, {B, S}: 3, {W, G}: 1, {W, S}: 1, {W, B}: 1,
	}
	if len(m.Matrix) != 16 {
		t.Fatalf("matrix of %d, want 16", len(m.Matrix))
	}
	tiers := []cobuild.Tier{G, S, B, W}
	for i, tr := range m.Matrix {
		f, to := tiers[i/4], tiers[i%4]
		if tr.From != f || tr.To != to || tr.Count != want[[2]cobuild.Tier{f, to}] {
			t.Errorf("matrix %d = %+v, want %s→%s %d", i, *tr, f, to, want[[2]cobuild.Tier{f, to}])
		}
	}
}

func TestNewGradeMovementOrdersByScoreChangeInsideASteps(t *testing.T) {
	G, S, B, W := cobuild.TierGold, cobuild.TierSilver, cobuild.TierBronze, cobuild.TierWeak
	var before, after []*analytics.Evaluation
	add := func(po string, bt cobuild.Tier, bs float64, at cobuild.Tier, as float64) {
		b, a := grMove(po, bt, bs, at, as)
		before, after = append(before, b), append(after, a)
	}
	// Falls of 1 step whose drops rank otherwise than the sums of their scores.
	add("p", S, 76, B, 74) // -2
	add("q", G, 99, S, 75) // -24
	add("r", B, 61, W, 1)  // -60
	add("s", S, 89, B, 60) // -29
	// Rises of 1 step likewise.
	add("t", W, 59, B, 74)  // +15
	add("u", W, 1, B, 60)   // +59
	add("v", S, 75, G, 100) // +25
	add("w", B, 74, S, 75)  // +1
	m := analytics.NewGradeMovement("r1", "r2", before, after)
	ids := func(ms []*analytics.Move) []string {
		var out []string
		for _, mv := range ms {
			out = append(out, mv.After.ID)
		}
		return out
	}
	if got, want := ids(m.Fell), []string{"m-r", "m-s", "m-q", "m-p"}; !grSameStrings(got, want) {
		t.Errorf("fell %v, want %v", got, want)
	}
	if got, want := ids(m.Rose), []string{"m-u", "m-v", "m-t", "m-w"}; !grSameStrings(got, want) {
		t.Errorf("rose %v, want %v", got, want)
	}
}

func TestNewGradeMovementOfNothing(t *testing.T) {
	m := analytics.NewGradeMovement("a", "b", nil, []*analytics.Evaluation{grTier("m", "po", cobuild.TierGold, 95)})
	if m.Compared != 0 || m.Fell == nil || m.Rose == nil || len(m.Fell)+len(m.Rose) != 0 {
		t.Errorf("movement with no party organisation in both: compared %d fell %v rose %v, want 0 and two empty lists",
			m.Compared, m.Fell, m.Rose)
	}
	if len(m.Matrix) != 16 {
		t.Fatalf("matrix of %d, want 16", len(m.Matrix))
	}
	for i, tr := range m.Matrix {
		if tr.Count != 0 {
			t.Errorf("matrix %d = %+v, want 0", i, *tr)
		}
	}
}
