package analytics_test

import (
	"testing"

	"cobuild"
	"cobuild/analytics"
)

// prEval grades an evaluation whose three groups give the same scores, so that each
// dimension's weighted score is that score.
func prEval(t *testing.T, dims [7]float64) *analytics.Evaluation {
	t.Helper()
	r := cobuild.DefaultRules()
	score, err := r.FinalScore(dims, dims, dims)
	if err != nil {
		t.Fatal(err)
	}
	e, err := analytics.Grade(r, &cobuild.Evaluation{ID: "es-000001", Self: dims, Public: dims, Committee: dims, Score: score})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestPromotionPlans(t *testing.T) {
	type want struct {
		points, needed float64
		tier           cobuild.Tier
		stars          int
		dims           []string // keys, widest gap first
	}
	cases := []struct {
		name       string
		dims       [7]float64
		first      string // the dimension with the widest gap
		star, tier *want
	}{
		{"bronze 1★ at 61: the next star from one dimension, silver from two",
			[7]float64{10, 10, 5, 10, 14, 6, 6}, "ACTIVITY_VENUES",
			&want{2, 2, cobuild.TierBronze, 2, []string{"ACTIVITY_VENUES"}},
			&want{14, 4, cobuild.TierSilver, 1, []string{"ACTIVITY_VENUES", "WORK_RESULTS"}}},
		{"weak at 45: the next star and tier are both bronze's floor, from two dimensions",
			[7]float64{7, 7, 7, 7, 9, 4, 4}, "WORK_RESULTS",
			&want{15, 4, cobuild.TierBronze, 1, []string{"WORK_RESULTS", "LEADERSHIP_TEAM"}},
			&want{15, 4, cobuild.TierBronze, 1, []string{"WORK_RESULTS", "LEADERSHIP_TEAM"}}},
		{"gold 5★ at 99: nothing further", [7]float64{15, 15, 15, 15, 19, 10, 10}, "WORK_RESULTS", nil, nil},
		{"gold 4★ at 97: a star from one point, no tier", [7]float64{15, 15, 15, 15, 17, 10, 10}, "WORK_RESULTS",
			&want{1, 1, cobuild.TierGold, 5, []string{"WORK_RESULTS"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := analytics.Plan(cobuild.DefaultRules(), prEval(t, c.dims))
			if len(p.Dimensions) != 7 || p.Dimensions[0].Key != c.first {
				t.Fatalf("dimensions %+v, want %s widest", p.Dimensions, c.first)
			}
			total := 0.0
			for i, d := range p.Dimensions {
				if i > 0 && d.Gap > p.Dimensions[i-1].Gap {
					t.Errorf("%s's gap %v after %v: not widest first", d.Key, d.Gap, p.Dimensions[i-1].Gap)
				}
				total += d.Gap
			}
			if score := p.Evaluation.Score; total+score < 99.99 || total+score > 100.01 {
				t.Errorf("gaps add up to %v, score %v: not the points missing to 100", total, score)
			}
			for _, x := range []struct {
				name string
				got  *analytics.PromotionTarget
				want *want
			}{{"next star", p.NextStar, c.star}, {"next tier", p.NextTier, c.tier}} {
				if (x.got == nil) != (x.want == nil) {
					t.Fatalf("%s: %+v, want %+v", x.name, x.got, x.want)
				}
				if x.got == nil {
					continue
				}
				if x.got.Points != x.want.points || x.got.Tier != x.want.tier || x.got.Stars != x.want.stars || len(x.got.Dimensions) != len(x.want.dims) {
					t.Fatalf("%s: %v points to %s %d★ over %d dimensions, want %v to %s %d★ over %v", x.name, x.got.Points, x.got.Tier, x.got.Stars,
						len(x.got.Dimensions), x.want.points, x.want.tier, x.want.stars, x.want.dims)
				}
				sum := 0.0
				for i, d := range x.got.Dimensions {
					if d.Key != x.want.dims[i] {
						t.Errorf("%s: dimension %d is %s, want %s", x.name, i, d.Key, x.want.dims[i])
					}
					if i < len(x.got.Dimensions)-1 && d.Needed != d.Gap {
						t.Errorf("%s: %s asked %v of a gap of %v before the last", x.name, d.Key, d.Needed, d.Gap)
					}
					sum += d.Needed
				}
				if last := x.got.Dimensions[len(x.got.Dimensions)-1]; last.Needed != x.want.needed || sum < x.want.points-0.001 || sum > x.want.points+0.001 {
					t.Errorf("%s: the last asks %v (want %v), all %v (want %v)", x.name, last.Needed, x.want.needed, sum, x.want.points)
				}
			}
		})
	}
}

func TestDimensionScoresAndRoundNamesAreChecked(t *testing.T) {
	r := cobuild.DefaultRules()
	for _, c := range []struct {
		dim int
		v   float64
		ok  bool
	}{{0, 0, true}, {0, 15, true}, {0, 15.01, false}, {4, 20, true}, {4, 20.5, false}, {6, -0.1, false}, {7, 1, false}} {
		if err := r.CheckDimensionScore(c.dim, c.v); (err == nil) != c.ok {
			t.Errorf("dimension %d score %v: %v, want ok %v", c.dim, c.v, err, c.ok)
		}
	}
	for _, c := range []struct {
		round string
		ok    bool
	}{{"2026-05", true}, {"2026-11", true}, {"2026-06", false}, {"26-05", false}, {"2026-5", false}, {"2026-05 ", false}} {
		if _, _, err := cobuild.ParseRound(c.round); (err == nil) != c.ok {
			t.Errorf("round %q: %v, want ok %v", c.round, err, c.ok)
		}
	}
}
