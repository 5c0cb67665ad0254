package demo

import (
	"math"
	"slices"

	"cobuild"
)

// weakDimensionWeights say how often each of the seven dimensions is an organisation's weak
// one: 活动阵地建设 and 工作保障情况 most often.
var weakDimensionWeights = []float64{1, 1.5, 3.5, 1, 1, 3, 1}

// buildEvaluations evaluates every branch, general branch, committee and joint branch in
// rounds 2022-11 and 2023-05; round 2023-05 has exactly 24 gold and 4 weak.
func (g *gen) buildEvaluations() error {
	n := len(g.evaluated)
	posOf := make([]int, len(g.pos))
	for i := range posOf {
		posOf[i] = -1
	}
	for k, p := range g.evaluated {
		posOf[p] = k
	}
	plan := make([]cobuild.Tier, n)
	isNamed := func(o int) bool {
		return o == g.named.luxshare || o == g.named.menovo || o == g.named.xuanjiu || o == g.named.renjie
	}
	// gold: the named organisations, eight demonstration points, twelve more
	var gold []int
	for _, o := range []int{g.named.luxshare, g.named.xuanjiu, g.named.renjie, g.named.menovo} {
		gold = append(gold, posOf[g.orgs[o].po])
	}
	var sites []int
	for _, o := range g.designated {
		if !isNamed(o) && g.orgs[o].po >= 0 && !slices.Contains(sites, posOf[g.orgs[o].po]) {
			sites = append(sites, posOf[g.orgs[o].po])
		}
	}
	gold = append(gold, g.take(sites, 8)...)
	for _, k := range gold {
		plan[k] = cobuild.TierGold
	}
	var big []int
	for k, p := range g.evaluated {
		if plan[k] == "" && (g.pos[p].kind == "COMMITTEE" || g.pos[p].kind == "GENERAL_BRANCH") {
			big = append(big, k)
		}
	}
	for _, k := range g.take(big, 12) {
		plan[k] = cobuild.TierGold
		gold = append(gold, k)
	}
	var small []int
	for k, p := range g.evaluated {
		po := g.pos[p]
		if plan[k] == "" && (po.kind == "BRANCH" || po.kind == "JOINT_BRANCH") && (po.owner < 0 || (!isNamed(po.owner) && !slices.Contains(g.designated, po.owner))) {
			small = append(small, k)
		}
	}
	weak := g.take(small, 4)
	for _, k := range weak {
		plan[k] = cobuild.TierWeak
	}

	// targets of both rounds
	t23, t22 := make([]float64, n), make([]float64, n)
	for k := range g.evaluated {
		switch plan[k] {
		case cobuild.TierGold:
			t23[k] = g.uniform(90.3, 96.8)
		case cobuild.TierWeak:
			t23[k] = g.uniform(53, 59.6)
		default:
			t23[k] = math.Max(60.3, math.Min(89.6, 76.5+float64(6.5*g.rng.NormFloat64())))
			plan[k] = sourceTier(math.Round(t23[k]*100) / 100)
		}
		t22[k] = math.Max(40, math.Min(99.5, t23[k]-(1.5+float64(3*g.rng.NormFloat64()))))
	}
	// tiers of round 2022-11 that the story needs; the others fall where they may
	plan22 := make([]cobuild.Tier, n)
	t23[gold[0]], t23[gold[1]] = g.uniform(98.1, 99.4), g.uniform(98.1, 99.4) // 立讯精密 and 宣酒 at five gold stars
	for j, k := range weak {
		if j < 2 {
			t22[k], plan22[k] = g.uniform(50, 59.4), cobuild.TierWeak // weak two rounds running
		} else {
			t22[k], plan22[k] = g.uniform(61, 66.5), cobuild.TierBronze // fell from bronze
		}
	}
	var lowBronze, highSilver []int
	for k := range g.evaluated {
		switch {
		case plan[k] == cobuild.TierBronze && t23[k] < 68:
			lowBronze = append(lowBronze, k)
		case plan[k] == cobuild.TierSilver && t23[k] >= 85:
			highSilver = append(highSilver, k)
		}
	}
	for _, k := range g.take(lowBronze, 6) {
		t22[k], plan22[k] = g.uniform(52, 59.4), cobuild.TierWeak // rose out of weak
	}
	for _, k := range g.take(highSilver, 3) {
		t22[k], plan22[k] = g.uniform(90.5, 93), cobuild.TierGold // fell from gold
	}

	// Scores exactly on the tier floors of round 2023-05 and a tenth of a point under them,
	// so that the figures catch a floor moved by a hundredth.
	exact := map[int]int{} // evaluation → score in tenths of a point
	byPlan := func(t cobuild.Tier, except []int) []int {
		var out []int
		for k := range g.evaluated {
			if plan[k] == t && !slices.Contains(except, k) && !slices.Contains(weak, k) {
				out = append(out, k)
			}
		}
		return out
	}
	for _, k := range g.take(gold[12:], 2) { // not the named organisations nor the sites
		exact[k] = 900
	}
	silver := g.take(byPlan(cobuild.TierSilver, highSilver), 3)
	exact[silver[0]], exact[silver[1]], exact[silver[2]] = 750, 750, 899
	bronze := g.take(byPlan(cobuild.TierBronze, nil), 3)
	exact[bronze[0]], exact[bronze[1]], exact[bronze[2]] = 600, 600, 749
	exact[weak[3]] = 599

	for k, p := range g.evaluated {
		weakDim := g.pickW(weakDimensionWeights)
		for r := 0; r < 2; r++ {
			target, want := t22[k], plan22[k]
			if r == 1 {
				target, want = t23[k], plan[k]
			}
			self, public, committee, score, err := g.scores(target, g.chance(0.012), weakDim, want)
			if tenths, ok := exact[k]; ok && r == 1 {
				self, public, committee, score, err = g.exactScores(tenths, weakDim)
			}
			if err != nil {
				return err
			}
			id := g.node("es", g.single["Evaluation"], map[string]any{
				"round": g.sv(roundNames[r]), "roundDate": g.dv(roundDates[r]),
				"self": self[:], "public": public[:], "committee": committee[:], "score": score,
			})
			g.rel("EVALUATED", g.pos[p].id, id, nil)
		}
	}
	return nil
}

// scores returns three groups' dimension scores (one decimal, within the maxima) whose final
// score is near target and, when want is set, of tier want. The self total exceeds the
// committee's by about 3 points, by more than 10 when inflated.
func (g *gen) scores(target float64, inflated bool, weakDim int, want cobuild.Tier) (self, public, committee [7]float64, score float64, err error) {
	a := math.Max(-2, math.Min(9, 3+float64(2*g.rng.NormFloat64())))
	if inflated && target < 84 {
		a = g.uniform(10.5, 16)
	}
	b := math.Max(-5, math.Min(6, 0.5+float64(2*g.rng.NormFloat64())))
	// near the top, keep self and public totals below 100 so that no total is clipped
	if target+a > 99.9 {
		a = float64(0.8 * (99.9 - target))
	}
	if target+b > 99.9 {
		b = float64(0.8 * (99.9 - target))
	}
	ct := int(math.Round((target - float64(0.2*a) - float64(0.3*b)) * 10))
	da, db := int(math.Round(a*10)), int(math.Round(b*10))
	var w [3][7]float64
	for grp := range w {
		for i := range w[grp] {
			w[grp][i] = 1 + float64(0.05*g.rng.NormFloat64())
		}
		if target < 75 {
			w[grp][weakDim] *= 0.7
		} else {
			w[grp][weakDim] *= 0.93
		}
	}
	for try := 0; try < 500; try++ {
		self = g.spread(ct+da, w[0])
		public = g.spread(ct+db, w[1])
		committee = g.spread(ct, w[2])
		score, err = g.rules.FinalScore(self, public, committee)
		if err != nil || want == "" {
			return
		}
		if sourceTier(score) == want {
			return
		}
		if score < sourceFloor(want) {
			ct++
		} else {
			ct--
		}
	}
	err = cobuild.Errorf(cobuild.EINTERNAL, "demo: cannot reach tier %s near %.2f", want, target)
	return
}

// exactScores returns scores whose three group totals are all tenths/10, so that the final
// score is exactly that whatever the weights (they add up to 1).
func (g *gen) exactScores(tenths, weakDim int) (self, public, committee [7]float64, score float64, err error) {
	var w [7]float64
	for i := range w {
		w[i] = 1
	}
	w[weakDim] = 0.8
	self = g.spread(tenths, w)
	public, committee = self, self
	score, err = g.rules.FinalScore(self, public, committee)
	if err == nil && math.Round(score*10) != float64(tenths) {
		err = cobuild.Errorf(cobuild.EINTERNAL, "demo: exact score %d tenths came out %v", tenths, score)
	}
	return
}

// The tiers of the source (gold from 90, silver from 75, bronze from 60, weak below),
// written here and not read from the rules the API applies: the generator aims its scores
// at the source's tiers, so the figures test the API's tier rules instead of agreeing with
// them by construction.
var sourceFloors = []struct {
	tier  cobuild.Tier
	floor float64
}{{cobuild.TierGold, 90}, {cobuild.TierSilver, 75}, {cobuild.TierBronze, 60}, {cobuild.TierWeak, 0}}

// sourceTier is the source's tier of a final score (in hundredths, so 74.99 is bronze).
func sourceTier(score float64) cobuild.Tier {
	for _, f := range sourceFloors {
		if math.Round(score*100) >= f.floor*100 {
			return f.tier
		}
	}
	return cobuild.TierWeak
}

// sourceFloor is the lowest score of a tier of the source.
func sourceFloor(t cobuild.Tier) float64 {
	for _, f := range sourceFloors {
		if f.tier == t {
			return f.floor
		}
	}
	return 0
}

// spread shares a total of tenths of a point over the seven dimensions in proportion to
// their maxima times the weights, never above a maximum, and returns one-decimal scores.
func (g *gen) spread(total int, w [7]float64) [7]float64 {
	var maxT [7]int
	sumMax := 0
	for i, m := range g.rules.DimensionMax {
		maxT[i] = int(math.Round(m * 10))
		sumMax += maxT[i]
	}
	total = max(0, min(total, sumMax))
	var out [7]int
	var capped [7]bool
	remaining := total
	for {
		sw := 0.0
		for i := range w {
			if !capped[i] {
				sw += float64(float64(maxT[i]) * w[i])
			}
		}
		changed := false
		for i := range w {
			if !capped[i] && float64(remaining)*float64(maxT[i])*w[i]/sw >= float64(maxT[i]) {
				capped[i], out[i] = true, maxT[i]
				remaining -= maxT[i]
				changed = true
			}
		}
		if !changed || sw == 0 {
			break
		}
	}
	sw := 0.0
	for i := range w {
		if !capped[i] {
			sw += float64(float64(maxT[i]) * w[i])
		}
	}
	var frac [7]float64
	given := 0
	for i := range w {
		if capped[i] {
			continue
		}
		x := float64(remaining) * float64(maxT[i]) * w[i] / sw
		out[i] = int(math.Floor(x))
		frac[i] = x - float64(out[i])
		given += out[i]
	}
	for left := remaining - given; left > 0; left-- {
		best := -1
		for i := range w {
			if !capped[i] && out[i] < maxT[i] && (best < 0 || frac[i] > frac[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out[best]++
		frac[best] = -1
	}
	var res [7]float64
	for i, v := range out {
		res[i] = float64(v) / 10
	}
	return res
}
