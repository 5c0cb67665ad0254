package app_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"cobuild"
	"cobuild/auth"
)

// The rules of docs/domain.md, written out again here so that the grades the API gives
// are checked against an independent reading of them, not against cobuild.Rules.
var (
	dimMax  = [7]float64{15, 15, 15, 15, 20, 10, 10}
	weights = [3]float64{0.2, 0.3, 0.5}
)

// hundredthsOf is a score in whole hundredths of a point.
func hundredthsOf(x float64) int { return int(math.Round(x * 100)) }

func finalScore(groups [3][7]float64) float64 {
	total := 0.0
	for g, dims := range groups {
		sum := 0.0
		for _, v := range dims {
			sum += v
		}
		total += weights[g] * sum
	}
	return float64(hundredthsOf(total)) / 100
}

// gradeOf is the tier and stars of a score: gold from 90 (a star per 2 points), silver
// from 75 and bronze from 60 (a star per 3), weak below; stars from 1, at most 5.
func gradeOf(score float64) (string, int) {
	h := hundredthsOf(score)
	star := func(floor, step int) int { return min(5, (h-floor)/step+1) }
	switch {
	case h >= 9000:
		return "GOLD", star(9000, 200)
	case h >= 7500:
		return "SILVER", star(7500, 300)
	case h >= 6000:
		return "BRONZE", star(6000, 300)
	}
	return "WEAK", 0
}

// toNext is the points from a score to its next star and to its next tier (0 at the top).
func toNext(score float64) (float64, float64) {
	h := hundredthsOf(score)
	tier, stars := gradeOf(score)
	floors := map[string]int{"WEAK": 0, "BRONZE": 6000, "SILVER": 7500, "GOLD": 9000}
	next := map[string]int{"WEAK": 6000, "BRONZE": 7500, "SILVER": 9000}
	steps := map[string]int{"BRONZE": 300, "SILVER": 300, "GOLD": 200}
	var star, tierPts int
	if up, ok := next[tier]; ok {
		tierPts = up - h
		star = tierPts
		if tier != "WEAK" && stars < 5 {
			star = min(star, floors[tier]+stars*steps[tier]-h)
		}
	} else if stars < 5 {
		star = floors[tier] + stars*steps[tier] - h
	}
	return float64(star) / 100, float64(tierPts) / 100
}

// sheet is a party organisation's scores of the three groups, each a share of the
// dimension maxima (to a tenth of a point).
func sheet(self, public, committee float64) [3][7]float64 {
	var out [3][7]float64
	for g, f := range []float64{self, public, committee} {
		for i, m := range dimMax {
			out[g][i] = math.Round(m*f*10) / 10
		}
	}
	// A dimension of its own for each group, so that the gaps differ.
	out[2][2] = math.Round(out[2][2]*0.6*10) / 10
	out[1][5] = math.Round(out[1][5]*0.5*10) / 10
	return out
}

type row struct {
	PO     string    `json:"partyOrganizationId"`
	Group  string    `json:"group"`
	Scores []float64 `json:"scores"`
}

func rowsOf(po string, s [3][7]float64, groups ...int) []row {
	names := []string{"SELF", "PUBLIC", "COMMITTEE"}
	var out []row
	for _, g := range groups {
		out = append(out, row{po, names[g], s[g][:]})
	}
	return out
}

const enterScores = `mutation($round: String!, $rows: [ScoreRowInput!]!, $key: String) {
  enterScores(round: $round, rows: $rows, idempotencyKey: $key) {
    change { seq operation entities areas diffs { entity field before after } }
  }
}`

func decodeInto(t *testing.T, a gqlAnswer, v any) {
	t.Helper()
	if len(a.Errors) > 0 {
		t.Fatalf("errors: %+v", a.Errors)
	}
	if err := json.Unmarshal(a.Data, v); err != nil {
		t.Fatalf("%v: %s", err, a.Data)
	}
}

type roundState struct {
	EvaluationRound *struct {
		Status       string
		ToEvaluate   int
		MissingCount int
		Missing      []struct {
			PartyOrganization struct{ ID string }
			Entered, Missing  []string
		}
	}
}

// TestEvaluationRoundEnteredAndFinalisedThroughTheAPI: a round opened, scored by the
// three groups (an officer for their areas only), its missing list shrinking, its drafts
// seen by no read, finalised by an admin into a grading that the rules, read again here,
// predict; altered after that by an admin only, through the log, and seen by the other
// server; the weak list of the round before with its re-evaluation and rectification;
// the promotion plans against an independent computation.
func TestEvaluationRoundEnteredAndFinalisedThroughTheAPI(t *testing.T) {
	l := startLive(t)
	admin := l.token(t, auth.Admin)
	officer := l.token(t, auth.Officer, "ar-900000001") // 甲, 乙 and 丙: the branch po-900000001 and the joint branch po-900000002
	const round = "2026-11"
	code := func(a gqlAnswer) (string, string) {
		if len(a.Errors) == 0 {
			return "", ""
		}
		f, _ := a.Errors[0].Extensions["field"].(string)
		return a.code(), f
	}
	refused := func(name, token, query string, vars map[string]any, wantCode, wantField string) {
		t.Helper()
		before := l.lastSeq(t)
		a := l.ask(t, l.urlA, token, query, vars)
		if c, f := code(a); c != wantCode || (wantField != "" && f != wantField) {
			t.Errorf("%s: %s %q (%+v), want %s %q", name, c, f, a.Errors, wantCode, wantField)
		}
		if after := l.lastSeq(t); after != before {
			t.Errorf("%s: the log moved from %d to %d", name, before, after)
		}
	}
	// state reads the round and its whole missing list, page by page.
	state := func(url, token string) roundState {
		t.Helper()
		var s roundState
		vars := map[string]any{"r": round}
		for {
			var page roundState
			decodeInto(t, l.ask(t, url, token, `query($r: String!, $after: ID) { evaluationRound(round: $r) {
				status toEvaluate missingCount missing(first: 500, after: $after) { partyOrganization { id } entered missing } } }`, vars), &page)
			if s.EvaluationRound == nil {
				s = page
			} else if page.EvaluationRound != nil {
				s.EvaluationRound.Missing = append(s.EvaluationRound.Missing, page.EvaluationRound.Missing...)
			}
			if page.EvaluationRound == nil || len(page.EvaluationRound.Missing) < 500 {
				return s
			}
			vars["after"] = page.EvaluationRound.Missing[499].PartyOrganization.ID
		}
	}

	// Opening.
	open := `mutation($r: String!, $d: Date) { openRound(round: $r, roundDate: $d) { change { seq operation } } }`
	refused("an officer opens a round", officer, open, map[string]any{"r": round}, cobuild.EFORBIDDEN, "")
	refused("a round in July", admin, open, map[string]any{"r": "2026-07"}, cobuild.EINVALID, "round")
	refused("a day outside its month", admin, open, map[string]any{"r": round, "d": "2026-10-30"}, cobuild.EINVALID, "roundDate")
	refused("the demo's round again", admin, open, map[string]any{"r": "2023-05"}, cobuild.EINVALID, "round")
	if a := l.ask(t, l.urlA, admin, open, map[string]any{"r": round, "d": "2026-11-15"}); len(a.Errors) > 0 {
		t.Fatalf("open: %+v", a.Errors)
	}
	refused("a round opened twice", admin, open, map[string]any{"r": round}, cobuild.EINVALID, "round")

	s0 := state(l.urlA, admin)
	// The officer's list: their areas' party organisations only (po-900000001 and
	// po-900000002, and any that the random commands of the patch tests made cover an
	// organisation of 东城镇).
	so0 := state(l.urlA, officer)
	var officers []string
	for _, m := range so0.EvaluationRound.Missing {
		officers = append(officers, m.PartyOrganization.ID)
	}
	if !slices.Contains(officers, "po-900000001") || !slices.Contains(officers, "po-900000002") || so0.EvaluationRound.ToEvaluate >= s0.EvaluationRound.ToEvaluate {
		t.Errorf("the officer's round at its opening: %v of %d, the admin's %d", officers, so0.EvaluationRound.ToEvaluate, s0.EvaluationRound.ToEvaluate)
	}
	if s0.EvaluationRound == nil || s0.EvaluationRound.Status != "OPEN" || s0.EvaluationRound.ToEvaluate == 0 ||
		s0.EvaluationRound.MissingCount != s0.EvaluationRound.ToEvaluate || len(s0.EvaluationRound.Missing) != s0.EvaluationRound.MissingCount {
		t.Fatalf("opened round: %s, %d to evaluate, %d missing, %d listed", s0.EvaluationRound.Status, s0.EvaluationRound.ToEvaluate,
			s0.EvaluationRound.MissingCount, len(s0.EvaluationRound.Missing))
	}
	toEvaluate := map[string]bool{}
	for _, m := range s0.EvaluationRound.Missing {
		toEvaluate[m.PartyOrganization.ID] = true
	}
	for _, po := range []string{"po-900000001", "po-900000002"} {
		if !toEvaluate[po] {
			t.Errorf("%s is not to be evaluated", po)
		}
	}

	// The party organisations scored: the four weak ones of 2023-05 (still to be evaluated)
	// and three silver ones, by the admin; the drawing's two, by their officer.
	var prev struct {
		Weak, Silver struct {
			Nodes []struct {
				ID                string
				Score             float64
				PartyOrganization struct{ ID string }
			}
		}
	}
	decodeInto(t, l.ask(t, l.urlA, admin, `{
		weak: evaluations(where: {round: "2023-05", tier: [WEAK]}, first: 10) { nodes { id score partyOrganization { id } } }
		silver: evaluations(where: {round: "2023-05", tier: [SILVER]}, sort: {field: SCORE, direction: DESC}, first: 20) { nodes { id score partyOrganization { id } } } }`, nil), &prev)
	var weakPOs, chosen []string
	weakEval := map[string]string{}
	for _, n := range prev.Weak.Nodes {
		if toEvaluate[n.PartyOrganization.ID] {
			weakPOs = append(weakPOs, n.PartyOrganization.ID)
			weakEval[n.PartyOrganization.ID] = n.ID
		}
	}
	for _, n := range prev.Silver.Nodes {
		if toEvaluate[n.PartyOrganization.ID] && len(chosen) < 3 {
			chosen = append(chosen, n.PartyOrganization.ID)
		}
	}
	if len(weakPOs) < 2 || len(chosen) < 3 {
		t.Fatalf("too few party organisations to score: weak %v, silver %v", weakPOs, chosen)
	}
	sheets := map[string][3][7]float64{}
	shares := [][3]float64{{0.7, 0.62, 0.55}, {0.8, 0.66, 0.58}, {0.95, 0.9, 0.8}, {1, 0.97, 0.9}, {0.9, 0.8, 0.75}, {0.85, 0.7, 0.64}, {1, 1, 1}}
	all := append(append([]string{}, weakPOs...), chosen...)
	for i, po := range all {
		f := shares[i%len(shares)]
		sheets[po] = sheet(f[0], f[1], f[2])
	}
	sheets["po-900000001"] = sheet(1, 1, 1)
	sheets["po-900000002"] = sheet(0.9, 0.85, 0.7)

	// Bad rows are refused naming the row, and nothing is written.
	bad := func(mut func(r []row)) []row {
		r := rowsOf(all[0], sheets[all[0]], 0, 1)
		mut(r)
		return r
	}
	refused("a score above its dimension's maximum", admin, enterScores, map[string]any{"round": round, "rows": bad(func(r []row) {
		r[1].Scores = append([]float64{}, r[1].Scores...)
		r[1].Scores[4] = 20.5
	})}, cobuild.EINVALID, "rows.1.scores.4")
	refused("a negative score", admin, enterScores, map[string]any{"round": round, "rows": bad(func(r []row) {
		r[0].Scores = []float64{-1, 0, 0, 0, 0, 0, 0}
	})}, cobuild.EINVALID, "rows.0.scores.0")
	refused("six scores", admin, enterScores, map[string]any{"round": round, "rows": bad(func(r []row) { r[0].Scores = r[0].Scores[:6] })}, cobuild.EINVALID, "rows.0.scores")
	refused("an unknown party organisation", admin, enterScores, map[string]any{"round": round, "rows": bad(func(r []row) { r[1].PO = "po-999999999" })}, cobuild.EINVALID, "rows.1.partyOrganizationId")
	refused("the same group twice", admin, enterScores, map[string]any{"round": round, "rows": bad(func(r []row) { r[1].Group = r[0].Group })}, cobuild.EINVALID, "rows.1")
	refused("a round never opened", admin, enterScores, map[string]any{"round": "2027-05", "rows": bad(func([]row) {})}, cobuild.EINVALID, "round")
	refused("an officer scores outside their areas", officer, enterScores, map[string]any{"round": round,
		"rows": append(rowsOf("po-900000001", sheets["po-900000001"], 0), rowsOf(all[0], sheets[all[0]], 0)...)}, cobuild.EFORBIDDEN, "rows.1.partyOrganizationId")

	// The officer scores the drawing's two; the committee's first entry of po-900000002 is
	// a slip, corrected while the round is open.
	slip := sheets["po-900000002"]
	slip[2][0] = 1
	if a := l.ask(t, l.urlA, officer, enterScores, map[string]any{"round": round, "rows": append(rowsOf("po-900000001", sheets["po-900000001"], 0, 1, 2),
		rowsOf("po-900000002", slip, 0, 1, 2)...)}); len(a.Errors) > 0 {
		t.Fatalf("officer's scores: %+v", a.Errors)
	}
	var corrected struct {
		EnterScores struct {
			Change struct {
				Areas []string
				Diffs []struct{ Entity, Field, Before, After string }
			}
		}
	}
	decodeInto(t, l.ask(t, l.urlA, officer, enterScores, map[string]any{"round": round, "rows": rowsOf("po-900000002", sheets["po-900000002"], 2)}), &corrected)
	if d := corrected.EnterScores.Change.Diffs; len(d) != 1 || d[0].Entity != "po-900000002" || d[0].Field != round+".committee" || d[0].Before == d[0].After {
		t.Errorf("correction's diffs: %+v", d)
	}
	if !slices.Contains(corrected.EnterScores.Change.Areas, "ar-900000001") {
		t.Errorf("correction's areas %v lack the officer's", corrected.EnterScores.Change.Areas)
	}

	// The admin scores the others in one call; the last weak one gets its self score only.
	partial := weakPOs[len(weakPOs)-1]
	var rows []row
	for _, po := range all {
		if po == partial {
			rows = append(rows, rowsOf(po, sheets[po], 0)...)
		} else {
			rows = append(rows, rowsOf(po, sheets[po], 0, 1, 2)...)
		}
	}
	if a := l.ask(t, l.urlA, admin, enterScores, map[string]any{"round": round, "rows": rows, "key": "round-2026-11-sheet-1"}); len(a.Errors) > 0 {
		t.Fatalf("admin's scores: %+v", a.Errors)
	}
	complete := len(all) - 1 + 2
	s1 := state(l.urlA, admin)
	if got, want := s1.EvaluationRound.MissingCount, s0.EvaluationRound.MissingCount-complete; got != want {
		t.Errorf("missing after entering: %d, want %d", got, want)
	}
	for _, m := range s1.EvaluationRound.Missing {
		if m.PartyOrganization.ID == partial && (!slices.Equal(m.Entered, []string{"SELF"}) || !slices.Equal(m.Missing, []string{"PUBLIC", "COMMITTEE"})) {
			t.Errorf("%s: entered %v, missing %v", partial, m.Entered, m.Missing)
		}
		if _, scored := sheets[m.PartyOrganization.ID]; scored && m.PartyOrganization.ID != partial {
			t.Errorf("%s is missing after all three groups scored it", m.PartyOrganization.ID)
		}
	}
	// The officer's list holds their areas' only: those not scored yet.
	stillMissing := 0
	for _, po := range officers {
		if _, scored := sheets[po]; !scored || po == partial {
			stillMissing++
		}
	}
	if so := state(l.urlA, officer); so.EvaluationRound.ToEvaluate != so0.EvaluationRound.ToEvaluate || so.EvaluationRound.MissingCount != stillMissing {
		t.Errorf("the officer's round: %+v, want %d to evaluate and %d missing", so.EvaluationRound, so0.EvaluationRound.ToEvaluate, stillMissing)
	}

	// Drafts are seen by no read.
	type reads struct {
		Grading     struct{ Round string }
		Evaluations struct{ TotalCount int }
		Rounds      []struct{ Round string }
		Po          struct{ LatestEvaluation struct{ Round string } }
	}
	readsOf := func(url string) reads {
		var r reads
		decodeInto(t, l.ask(t, url, admin, `query($po: ID!) { grading { round } evaluations(where: {round: "2026-11"}) { totalCount }
			rounds { round } po: partyOrganization(id: $po) { latestEvaluation { round } } }`, map[string]any{"po": chosen[0]}), &r)
		return r
	}
	for _, url := range []string{l.urlA, l.urlB} {
		if r := readsOf(url); r.Grading.Round != "2023-05" || r.Evaluations.TotalCount != 0 || slices.ContainsFunc(r.Rounds, func(x struct{ Round string }) bool { return x.Round == round }) ||
			r.Po.LatestEvaluation.Round != "2023-05" {
			t.Errorf("%s: an open round's drafts are read: %+v", url, r)
		}
	}

	// Finalising.
	finalise := `mutation($r: String!, $leave: Boolean) { finaliseRound(round: $r, leaveOutIncomplete: $leave) { change { seq operation entities } } }`
	refused("an officer finalises", officer, finalise, map[string]any{"r": round}, cobuild.EFORBIDDEN, "")
	refused("party organisations lack scores", admin, finalise, map[string]any{"r": round}, cobuild.EINVALID, "round")
	var fin struct {
		FinaliseRound struct{ Change struct{ Seq int } }
	}
	decodeInto(t, l.ask(t, l.urlA, admin, finalise, map[string]any{"r": round, "leave": true}), &fin)
	refused("a round finalised twice", admin, finalise, map[string]any{"r": round, "leave": true}, cobuild.EINVALID, "round")

	// The grading of the new round, on both servers, is what the rules say.
	want := map[string][2]any{} // party organisation -> score, tier
	tiers := map[string]int{}
	stars := map[[2]any]int{}
	for po, s := range sheets {
		if po == partial {
			continue
		}
		score := finalScore(s)
		tier, st := gradeOf(score)
		want[po] = [2]any{score, tier}
		tiers[tier]++
		stars[[2]any{tier, st}]++
	}
	if len(tiers) < 3 {
		t.Fatalf("the sheets reach too few tiers to check: %v", tiers)
	}
	type grading struct {
		Grading struct {
			Round, PreviousRound string
			Evaluated            int
			Tiers                []struct {
				Tier  string
				Count int
			}
			Stars []struct {
				Tier         string
				Stars, Count int
			}
		}
		Evaluations struct {
			Nodes []struct {
				ID, Tier, Round   string
				Score             float64
				Stars             int
				PartyOrganization struct{ ID string }
			}
		}
	}
	gradingOf := func(url string) grading {
		var g grading
		decodeInto(t, l.ask(t, url, admin, `{ grading { round previousRound evaluated tiers { tier count } stars { tier stars count } }
			evaluations(where: {round: "2026-11"}, first: 100) { nodes { id round score tier stars partyOrganization { id } } } }`, nil), &g)
		return g
	}
	// problems lists how a server's grading differs from the one predicted.
	problems := func(url string, g grading) []string {
		var p []string
		if g.Grading.Round != round || g.Grading.PreviousRound != "2023-05" || g.Grading.Evaluated != len(want) {
			p = append(p, fmt.Sprintf("%s: grading %s (before %s) of %d, want %s of %d", url, g.Grading.Round, g.Grading.PreviousRound, g.Grading.Evaluated, round, len(want)))
		}
		for _, tc := range g.Grading.Tiers {
			if tc.Count != tiers[tc.Tier] {
				p = append(p, fmt.Sprintf("%s: %s %d, want %d", url, tc.Tier, tc.Count, tiers[tc.Tier]))
			}
		}
		for _, sc := range g.Grading.Stars {
			if sc.Count != stars[[2]any{sc.Tier, sc.Stars}] {
				p = append(p, fmt.Sprintf("%s: %s %d★ %d, want %d", url, sc.Tier, sc.Stars, sc.Count, stars[[2]any{sc.Tier, sc.Stars}]))
			}
		}
		if len(g.Evaluations.Nodes) != len(want) {
			p = append(p, fmt.Sprintf("%s: %d evaluations of %s, want %d", url, len(g.Evaluations.Nodes), round, len(want)))
		}
		for _, e := range g.Evaluations.Nodes {
			w := want[e.PartyOrganization.ID]
			_, st := gradeOf(e.Score)
			if e.Score != w[0] || e.Tier != w[1] || e.Stars != st {
				p = append(p, fmt.Sprintf("%s: %s scores %v %s %d★, want %v %s %d★", url, e.PartyOrganization.ID, e.Score, e.Tier, e.Stars, w[0], w[1], st))
			}
		}
		return p
	}
	// checkGrading reports how a server's grading differs from the one predicted: at once
	// on the server that wrote (it answers a mutation once its snapshots hold it), within
	// 5 s on the second one, which follows the log.
	checkGrading := func(url string) {
		t.Helper()
		var p []string
		wait := time.Duration(0)
		if url == l.urlB {
			wait = 5 * time.Second
		}
		for deadline := time.Now().Add(wait); ; time.Sleep(100 * time.Millisecond) {
			if p = problems(url, gradingOf(url)); len(p) == 0 || time.Now().After(deadline) {
				break
			}
		}
		for _, x := range p {
			t.Error(x)
		}
	}
	checkGrading(l.urlA)
	checkGrading(l.urlB)
	if s := state(l.urlA, admin); s.EvaluationRound.Status != "FINALISED" {
		t.Errorf("finalised round: %+v", s.EvaluationRound)
	}

	// Altering a finalised round: refused to the officer, logged for the admin, and seen by
	// both servers, whose rounds were cached before it.
	target := chosen[0]
	refused("an officer alters a finalised round", officer, enterScores, map[string]any{"round": round, "rows": rowsOf("po-900000001", sheets["po-900000001"], 0)}, cobuild.EFORBIDDEN, "round")
	refused("an admin adds to a finalised round", admin, enterScores, map[string]any{"round": round, "rows": rowsOf(partial, sheets[partial], 1)}, cobuild.EINVALID, "rows.0.partyOrganizationId")
	altered := sheets[target]
	for i, m := range dimMax {
		altered[2][i] = m // the committee's review gives full marks
	}
	var alt struct {
		EnterScores struct {
			Change struct {
				Seq       int
				Operation string
				Entities  []string
				Diffs     []struct{ Entity, Field, Before, After string }
			}
		}
	}
	decodeInto(t, l.ask(t, l.urlA, admin, enterScores, map[string]any{"round": round, "rows": rowsOf(target, altered, 2)}), &alt)
	sheets[target] = altered
	newScore := finalScore(altered)
	tier, _ := gradeOf(newScore)
	oldTier := want[target][1].(string)
	tiers[oldTier]--
	tiers[tier]++
	_, oldStars := gradeOf(want[target][0].(float64))
	stars[[2]any{oldTier, oldStars}]--
	_, st := gradeOf(newScore)
	stars[[2]any{tier, st}]++
	want[target] = [2]any{newScore, tier}
	if !slices.ContainsFunc(alt.EnterScores.Change.Diffs, func(d struct{ Entity, Field, Before, After string }) bool {
		return d.Field == "score" && d.After == fmt.Sprint(newScore)
	}) {
		t.Errorf("the alteration's diffs %+v lack the new score %v", alt.EnterScores.Change.Diffs, newScore)
	}
	var hist struct {
		History []struct{ Seq int }
	}
	decodeInto(t, l.ask(t, l.urlA, admin, `query($id: ID!) { history(id: $id) { seq } }`, map[string]any{"id": alt.EnterScores.Change.Entities[0]}), &hist)
	if len(hist.History) == 0 || hist.History[0].Seq != alt.EnterScores.Change.Seq {
		t.Errorf("history of %v: %+v, want change %d first", alt.EnterScores.Change.Entities, hist.History, alt.EnterScores.Change.Seq)
	}
	checkGrading(l.urlA)
	checkGrading(l.urlB)

	// The weak list of 2023-05: re-evaluated in 2026-11 but for the one left out.
	type weakList struct {
		WeakList []struct {
			Evaluation struct {
				ID                string
				PartyOrganization struct{ ID string }
			}
			Rectification string
			Note          *string
			NextRound     *string
			ReEvaluation  *struct{ Score float64 }
			ReachedBronze *bool
		}
	}
	weakOf := func() weakList {
		var w weakList
		decodeInto(t, l.ask(t, l.urlA, admin, `{ weakList(round: "2023-05") { evaluation { id partyOrganization { id } } rectification note nextRound reEvaluation { score } reachedBronze } }`, nil), &w)
		return w
	}
	wl := weakOf()
	if len(wl.WeakList) != len(prev.Weak.Nodes) {
		t.Errorf("weak list of %d, want %d", len(wl.WeakList), len(prev.Weak.Nodes))
	}
	for _, w := range wl.WeakList {
		po := w.Evaluation.PartyOrganization.ID
		if w.Rectification != "NOT_STARTED" || w.NextRound == nil || *w.NextRound != round {
			t.Errorf("%s: %s, next %v", po, w.Rectification, w.NextRound)
		}
		x, scored := want[po]
		switch {
		case !scored && w.ReEvaluation != nil:
			t.Errorf("%s: re-evaluated at %v without scores", po, w.ReEvaluation.Score)
		case scored && (w.ReEvaluation == nil || w.ReEvaluation.Score != x[0] || w.ReachedBronze == nil || *w.ReachedBronze != (x[1] != "WEAK")):
			t.Errorf("%s: re-evaluation %+v bronze %v, want %v %s", po, w.ReEvaluation, w.ReachedBronze, x[0], x[1])
		}
	}
	// An officer's weak list holds their areas' party organisations only: none was weak.
	var ow weakList
	decodeInto(t, l.ask(t, l.urlA, officer, `{ weakList(round: "2023-05") { evaluation { id } } }`, nil), &ow)
	if len(ow.WeakList) != 0 {
		t.Errorf("the officer's weak list: %+v, want none", ow.WeakList)
	}
	rect := `mutation($e: ID!, $s: RectificationStatus!, $n: String) { setRectification(evaluationId: $e, status: $s, note: $n) { change { seq } } }`
	refused("an officer outside the area rectifies", officer, rect, map[string]any{"e": weakEval[weakPOs[0]], "s": "IN_PROGRESS"}, cobuild.EFORBIDDEN, "")
	refused("a rectification of a silver evaluation", admin, rect, map[string]any{"e": prev.Silver.Nodes[0].ID, "s": "IN_PROGRESS"}, cobuild.EINVALID, "evaluationId")
	if a := l.ask(t, l.urlA, admin, rect, map[string]any{"e": weakEval[weakPOs[0]], "s": "IN_PROGRESS", "n": "班子调整到位"}); len(a.Errors) > 0 {
		t.Fatalf("rectify: %+v", a.Errors)
	}
	// An officer of the town of another weak one records its rectification.
	var where struct {
		PartyOrganization struct {
			Organization *struct{ Area *struct{ ID string } }
			Covers       []struct {
				Organization struct{ Area *struct{ ID string } }
			}
		}
	}
	decodeInto(t, l.ask(t, l.urlA, admin, `query($id: ID!) { partyOrganization(id: $id) {
		organization { area { id } } covers { organization { area { id } } } } }`, map[string]any{"id": weakPOs[1]}), &where)
	town := ""
	if o := where.PartyOrganization.Organization; o != nil && o.Area != nil {
		town = o.Area.ID
	} else if c := where.PartyOrganization.Covers; len(c) > 0 && c[0].Organization.Area != nil {
		town = c[0].Organization.Area.ID
	}
	if town == "" {
		t.Fatalf("%s lies in no area: %+v", weakPOs[1], where)
	}
	townOfficer := l.token(t, auth.Officer, town)
	if a := l.ask(t, l.urlA, townOfficer, rect, map[string]any{"e": weakEval[weakPOs[1]], "s": "RECTIFIED"}); len(a.Errors) > 0 {
		t.Errorf("the officer of %s rectifies %s: %+v", town, weakPOs[1], a.Errors)
	}
	refused("the town's officer rectifies another town's", townOfficer, rect, map[string]any{"e": weakEval[weakPOs[0]], "s": "RECTIFIED"}, cobuild.EFORBIDDEN, "")
	for _, w := range weakOf().WeakList {
		switch w.Evaluation.ID {
		case weakEval[weakPOs[0]]:
			if w.Rectification != "IN_PROGRESS" || w.Note == nil || *w.Note != "班子调整到位" {
				t.Errorf("rectification recorded as %s %v", w.Rectification, w.Note)
			}
		case weakEval[weakPOs[1]]:
			if w.Rectification != "RECTIFIED" {
				t.Errorf("the town officer's rectification recorded as %s", w.Rectification)
			}
		}
	}

	// Promotion plans, each against its own computation.
	var plans struct {
		PromotionPlans []struct {
			Evaluation struct {
				Score             float64
				PartyOrganization struct{ ID string }
			}
			Dimensions         []gapOut
			NextStar, NextTier *struct {
				Points     float64
				Tier       string
				Stars      int
				Dimensions []gapOut
			}
		}
	}
	decodeInto(t, l.ask(t, l.urlA, admin, `{ promotionPlans(round: "2026-11", first: 100) { evaluation { score partyOrganization { id } }
		dimensions { key weighted gap } nextStar { points tier stars dimensions { key gap needed } } nextTier { points tier stars dimensions { key gap needed } } } }`, nil), &plans)
	if len(plans.PromotionPlans) != len(want) {
		t.Errorf("%d plans, want %d", len(plans.PromotionPlans), len(want))
	}
	last := -1.0
	for _, p := range plans.PromotionPlans {
		po := p.Evaluation.PartyOrganization.ID
		gaps := planGaps(sheets[po])
		if !slices.EqualFunc(p.Dimensions, gaps, func(a, b gapOut) bool { return a.Key == b.Key && a.Gap == b.Gap && a.Weighted == b.Weighted }) {
			t.Errorf("%s: dimensions %+v, want %+v", po, p.Dimensions, gaps)
		}
		star, tierPts := toNext(p.Evaluation.Score)
		for _, c := range []struct {
			name   string
			points float64
			got    *struct {
				Points     float64
				Tier       string
				Stars      int
				Dimensions []gapOut
			}
		}{{"next star", star, p.NextStar}, {"next tier", tierPts, p.NextTier}} {
			if c.points == 0 {
				if c.got != nil {
					t.Errorf("%s: a %s at the top: %+v", po, c.name, c.got)
				}
				continue
			}
			if c.got == nil {
				t.Errorf("%s: no %s, want %v points", po, c.name, c.points)
				continue
			}
			reached, rs := gradeOf(p.Evaluation.Score + c.points)
			if c.got.Points != c.points || c.got.Tier != reached || c.got.Stars != rs {
				t.Errorf("%s: %s %v to %s %d★, want %v to %s %d★", po, c.name, c.got.Points, c.got.Tier, c.got.Stars, c.points, reached, rs)
			}
			if focus := focusOf(gaps, c.points); !slices.EqualFunc(c.got.Dimensions, focus, func(a, b gapOut) bool { return a.Key == b.Key && a.Needed == b.Needed }) {
				t.Errorf("%s: %s's dimensions %+v, want %+v", po, c.name, c.got.Dimensions, focus)
			}
		}
		near := star
		if near == 0 {
			near = 101
		}
		if near < last {
			t.Errorf("plans not nearest first: %v after %v", near, last)
		}
		last = near
	}
}

type gapOut struct {
	Key                   string
	Weighted, Gap, Needed float64
}

// planGaps is each dimension's weighted score and gap to its maximum, widest first (ties
// in the order of the dimensions).
func planGaps(s [3][7]float64) []gapOut {
	keys := []string{"LEADERSHIP_TEAM", "MEMBER_EDUCATION", "ACTIVITY_VENUES", "WORK_RULES", "WORK_RESULTS", "RESOURCES", "PUBLIC_FEEDBACK"}
	var out []gapOut
	for i, m := range dimMax {
		w := float64(hundredthsOf(weights[0]*s[0][i]+weights[1]*s[1][i]+weights[2]*s[2][i])) / 100
		out = append(out, gapOut{Key: keys[i], Weighted: w, Gap: float64(hundredthsOf(m-w)) / 100})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Gap > out[j].Gap })
	return out
}

// focusOf is the fewest dimensions, widest gap first, whose gaps hold the points.
func focusOf(gaps []gapOut, points float64) []gapOut {
	var out []gapOut
	left := hundredthsOf(points)
	for _, g := range gaps {
		if left <= 0 || g.Gap <= 0 {
			break
		}
		n := min(hundredthsOf(g.Gap), left)
		left -= n
		g.Needed = float64(n) / 100
		out = append(out, g)
	}
	return out
}

// TestScoreSheetOfTheWholeDistrictInOneTransaction: the store function an importer of
// evaluation sheets calls takes every row of a round at once, as one change of the log,
// and finalising evaluates them all; a round older than the newest leaves the newest as
// it was. It logs how long each took.
func TestScoreSheetOfTheWholeDistrictInOneTransaction(t *testing.T) {
	l := startLive(t)
	ctx := t.Context()
	adminActor := cobuild.Actor{Subject: "sheet-importer", Role: "admin"}
	const round = "2022-05"
	if _, err := l.a.Store.Apply(ctx, cobuild.Command{Op: "openRound", Args: map[string]any{"round": round}, Actor: adminActor}); err != nil {
		t.Fatal(err)
	}
	entries, err := l.a.Store.RoundEntries(ctx, round, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 100 {
		t.Fatalf("%d party organisations to evaluate in %s", len(entries), round)
	}
	var rows []cobuild.ScoreRow
	for i, e := range entries {
		s := sheet(0.5+float64(i%50)/100, 0.6+float64(i%40)/100, 0.55+float64(i%45)/100)
		for g, name := range cobuild.EvaluatorGroups {
			rows = append(rows, cobuild.ScoreRow{PartyOrgID: e.PartyOrgID, Group: name, Scores: s[g][:]})
		}
	}
	before := l.lastSeq(t)
	start := time.Now()
	c, err := l.a.Store.EnterScores(ctx, adminActor, round, rows, "sheet-2022-05")
	if err != nil {
		t.Fatal(err)
	}
	entered := time.Since(start)
	if c.Seq != before+1 || l.lastSeq(t) != before+1 {
		t.Errorf("%d rows made changes %d..%d, want one", len(rows), before+1, l.lastSeq(t))
	}
	again, err := l.a.Store.EnterScores(ctx, adminActor, round, rows, "sheet-2022-05")
	if err != nil || !again.Replayed || again.Seq != c.Seq {
		t.Errorf("the sheet sent again: %+v %v, want change %d replayed", again, err, c.Seq)
	}
	if missing, err := l.a.Store.RoundEntries(ctx, round, true); err != nil || len(missing) != 0 {
		t.Errorf("missing after the whole sheet: %d %v", len(missing), err)
	}
	start = time.Now()
	if _, err := l.a.Store.Apply(ctx, cobuild.Command{Op: "finaliseRound", Args: map[string]any{"round": round}, Actor: adminActor}); err != nil {
		t.Fatal(err)
	}
	finalised := time.Since(start)
	rd, err := l.a.Store.EvaluationRound(ctx, round)
	if err != nil || rd.Status != cobuild.RoundFinalised || rd.Evaluated != len(entries) {
		t.Errorf("round %s: %+v %v, want %d evaluated", round, rd, err, len(entries))
	}
	var g struct {
		Grading struct{ Round string }
		Old     struct{ Evaluated int }
	}
	decodeInto(t, l.ask(t, l.urlA, l.token(t, auth.Admin), `{ grading { round } old: grading(round: "2022-05") { evaluated } }`, nil), &g)
	if g.Grading.Round == round || g.Old.Evaluated != len(entries) {
		t.Errorf("grading after an old round: newest %s, %s evaluated %d, want %d", g.Grading.Round, round, g.Old.Evaluated, len(entries))
	}
	t.Logf("%d rows of %d party organisations entered in one transaction in %s, finalised in %s", len(rows), len(entries), entered.Round(time.Millisecond), finalised.Round(time.Millisecond))
}
