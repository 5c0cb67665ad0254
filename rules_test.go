package cobuild_test

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"cobuild"
)

func TestTiersAndStarsAtEveryBoundary(t *testing.T) {
	r := cobuild.DefaultRules()
	tests := []struct {
		name  string
		score float64
		tier  cobuild.Tier
		stars int
	}{
		{"zero is weak without stars", 0, cobuild.TierWeak, 0},
		{"just under bronze is weak", 59.99, cobuild.TierWeak, 0},
		{"bronze floor is one star", 60, cobuild.TierBronze, 1},
		{"bronze first star ends at 62.99", 62.99, cobuild.TierBronze, 1},
		{"bronze second star starts at 63", 63, cobuild.TierBronze, 2},
		{"bronze 69 is four stars", 69, cobuild.TierBronze, 4},
		{"bronze 72 is five stars", 72, cobuild.TierBronze, 5},
		{"bronze top 74.99 is five stars", 74.99, cobuild.TierBronze, 5},
		{"silver floor is one star", 75, cobuild.TierSilver, 1},
		{"silver fractional 77.5 is one star", 77.5, cobuild.TierSilver, 1},
		{"silver 78 is two stars", 78, cobuild.TierSilver, 2},
		{"silver 87 is five stars", 87, cobuild.TierSilver, 5},
		{"silver top 89.99 is five stars", 89.99, cobuild.TierSilver, 5},
		{"gold floor is one star", 90, cobuild.TierGold, 1},
		{"gold 91.99 is one star", 91.99, cobuild.TierGold, 1},
		{"gold 92 is two stars", 92, cobuild.TierGold, 2},
		{"gold 97.99 is four stars", 97.99, cobuild.TierGold, 4},
		{"gold 98 is five stars", 98, cobuild.TierGold, 5},
		{"perfect score is gold five stars", 100, cobuild.TierGold, 5},
		{"fractional bronze 65.7 is two stars", 65.7, cobuild.TierBronze, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tier, err := r.TierOf(tt.score)
			if err != nil {
				t.Fatal(err)
			}
			stars, err := r.StarsOf(tt.score)
			if err != nil {
				t.Fatal(err)
			}
			if tier != tt.tier || stars != tt.stars {
				t.Errorf("score %v: got %s %d stars, want %s %d stars", tt.score, tier, stars, tt.tier, tt.stars)
			}
		})
	}
}

func TestScoresOutsideTheScaleAreRefused(t *testing.T) {
	r := cobuild.DefaultRules()
	for _, s := range []float64{-0.01, 100.01, 120} {
		if _, err := r.TierOf(s); cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Errorf("score %v: got %v, want %s", s, err, cobuild.EINVALID)
		}
	}
}

func TestGradeSaysHowFarTheNextStarAndTierAre(t *testing.T) {
	r := cobuild.DefaultRules()
	tests := []struct {
		score              float64
		toNextStar, toTier float64
	}{
		{59.2, 0.8, 0.8},
		{74.5, 0.5, 0.5},
		{61, 2, 14},
		{89.1, 0.9, 0.9},
		{90.5, 1.5, 0},
		{99, 0, 0},
	}
	for _, tt := range tests {
		g, err := r.GradeOf(tt.score)
		if err != nil {
			t.Fatal(err)
		}
		if g.ToNextStar != tt.toNextStar || g.ToNextTier != tt.toTier {
			t.Errorf("score %v: to next star %v, to next tier %v; want %v, %v", tt.score, g.ToNextStar, g.ToNextTier, tt.toNextStar, tt.toTier)
		}
	}
}

func TestFinalScoreWeighsTheThreeGroups(t *testing.T) {
	r := cobuild.DefaultRules()
	full := [7]float64{15, 15, 15, 15, 20, 10, 10}
	half := [7]float64{7.5, 7.5, 7.5, 7.5, 10, 5, 5}
	got, err := r.FinalScore(full, half, full)
	if err != nil {
		t.Fatal(err)
	}
	if want := 100*0.2 + 50*0.3 + 100*0.5; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	over := full
	over[4] = 21
	if _, err := r.FinalScore(over, full, full); cobuild.ErrorCode(err) != cobuild.EINVALID {
		t.Errorf("a dimension above its maximum: got %v, want %s", err, cobuild.EINVALID)
	}
}

func TestDefaultRulesAreValidAndContradictionsAreRefused(t *testing.T) {
	if err := cobuild.DefaultRules().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := cobuild.DefaultRules()
	bad.SilverFloor = 95
	if cobuild.ErrorCode(bad.Validate()) != cobuild.EINVALID {
		t.Error("silver above gold was accepted")
	}
	bad = cobuild.DefaultRules()
	bad.CommitteeWeight = 0.6
	if cobuild.ErrorCode(bad.Validate()) != cobuild.EINVALID {
		t.Error("weights adding up to 1.1 were accepted")
	}
}

func TestCoverageFollowsTheRules(t *testing.T) {
	r := cobuild.DefaultRules()
	firm := func(f cobuild.CoverageFacts) cobuild.CoverageFacts { f.Sector = cobuild.SectorEnterprise; return f }
	tests := []struct {
		name     string
		facts    cobuild.CoverageFacts
		status   cobuild.CoverageStatus
		isolated bool
		should   bool
	}{
		{"own party organisation wins", firm(cobuild.CoverageFacts{OwnPartyOrgs: 1, CoveredModes: []string{"JOINT"}, Instructors: 1, JointTies: 2, PartyMembers: 5}), cobuild.CoverageOwn, false, false},
		{"joint branch covers", firm(cobuild.CoverageFacts{CoveredModes: []string{"JOINT"}, JointTies: 1}), cobuild.CoverageJoint, false, false},
		{"joint cover beats an instructor, a liaison and a mass branch", firm(cobuild.CoverageFacts{CoveredModes: []string{"REGIONAL"}, Instructors: 1, Liaisons: 1, MassBranches: 1}), cobuild.CoverageJoint, true, false},
		{"industry committee covers", firm(cobuild.CoverageFacts{CoveredModes: []string{"INDUSTRY"}, JointTies: 1}), cobuild.CoverageJoint, false, false},
		{"instructor gives work coverage", firm(cobuild.CoverageFacts{Instructors: 1}), cobuild.CoverageWork, true, false},
		{"liaison gives work coverage", firm(cobuild.CoverageFacts{Liaisons: 1, JointTies: 1}), cobuild.CoverageWork, false, false},
		{"mass branch gives work coverage", firm(cobuild.CoverageFacts{MassBranches: 1, JointTies: 3}), cobuild.CoverageWork, false, false},
		{"nothing is uncovered and isolated", firm(cobuild.CoverageFacts{}), cobuild.CoverageUncovered, true, false},
		{"three members without own organisation should have one", firm(cobuild.CoverageFacts{PartyMembers: 3, CoveredModes: []string{"JOINT"}, JointTies: 1}), cobuild.CoverageJoint, false, true},
		{"two members need not", firm(cobuild.CoverageFacts{PartyMembers: 2}), cobuild.CoverageUncovered, true, false},
		{"a social organisation is managed", cobuild.CoverageFacts{Sector: cobuild.SectorSocial, PartyMembers: 4}, cobuild.CoverageUncovered, true, true},
		{"a public body is not managed, whatever it has", cobuild.CoverageFacts{Sector: cobuild.SectorPublic, OwnPartyOrgs: 1, PartyMembers: 9, JointTies: 1}, cobuild.CoverageNotManaged, false, false},
		{"a public body's isolation still counts", cobuild.CoverageFacts{Sector: cobuild.SectorPublic, PartyMembers: 9}, cobuild.CoverageNotManaged, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := r.CoverageOf(tt.facts)
			if c.Status != tt.status || c.Isolated != tt.isolated || c.ShouldHaveOwn != tt.should {
				t.Errorf("got status %s, isolated %v, should-have-own %v; want %s, %v, %v", c.Status, c.Isolated, c.ShouldHaveOwn, tt.status, tt.isolated, tt.should)
			}
			if c.Reason == "" || c.ReasonZh == "" {
				t.Errorf("no reason given: %q / %q", c.Reason, c.ReasonZh)
			}
		})
	}
}

func TestStarRangesMatchStarsOf(t *testing.T) {
	for _, r := range []cobuild.Rules{cobuild.DefaultRules(), func() cobuild.Rules {
		r := cobuild.DefaultRules()
		r.GoldFloor, r.GoldStep = 92, 2.5
		return r
	}()} {
		for s := 0; s <= 10000; s++ {
			score := float64(s) / 100
			tier, _ := r.TierOf(score)
			stars, _ := r.StarsOf(score)
			lo, hi, ok := r.StarRange(tier, stars)
			if !ok || score < lo || score >= hi {
				t.Fatalf("score %v (%s, %d stars) is outside StarRange [%v, %v) ok=%v", score, tier, stars, lo, hi, ok)
			}
			g, _ := r.GradeOf(score)
			if g.ToNextStar < 0 || score+g.ToNextStar > r.MaxScore {
				t.Fatalf("score %v: to next star %v points past the top", score, g.ToNextStar)
			}
		}
	}
	if _, _, ok := cobuild.DefaultRules().StarRange(cobuild.TierGold, 6); ok {
		t.Error("six stars accepted")
	}
}

func TestCandidateScoresAddUpTheirReasons(t *testing.T) {
	r := cobuild.DefaultRules()
	branch := cobuild.Candidate{Label: "PartyOrg", Name: "联合党支部", Load: 8, SharedCommunity: 4, SharedIndustry: 2}
	score, why, whyZh := r.ScoreCandidate(branch, 2)
	// 3*4/8 + 2*2/8 + 2/2 - 0.02*8 = 1.5 + 0.5 + 1 - 0.16
	if score != 2.84 || len(why) != 4 || len(whyZh) != 4 {
		t.Errorf("got %v %q %q", score, why, whyZh)
	}
	// The Chinese reasons say the same, term for term: the same numbers in the same order.
	digits := regexp.MustCompile(`[0-9.]+`)
	for i := range why {
		en, zh := digits.FindAllString(why[i], -1), digits.FindAllString(whyZh[i], -1)
		slices.Sort(en)
		slices.Sort(zh)
		if fmt.Sprint(en) != fmt.Sprint(zh) {
			t.Errorf("reason %d: %q and %q give different numbers", i, why[i], whyZh[i])
		}
	}
	far, _, _ := r.ScoreCandidate(branch, -1)
	near, _, _ := r.ScoreCandidate(branch, 1)
	if !(near > score && score > far) {
		t.Errorf("closeness should count: 1 hop %v, 2 hops %v, none %v", near, score, far)
	}
	busy := branch
	busy.Load, busy.SharedCommunity, busy.SharedIndustry = 80, 40, 20
	if s, _, _ := r.ScoreCandidate(busy, 2); s >= score {
		t.Errorf("the same shares with ten times the load should score lower: %v vs %v", s, score)
	}
	community := cobuild.Candidate{Label: "Organization", Name: "城东社区", Load: 2, SharedCommunity: 1}
	if s, why, _ := r.ScoreCandidate(community, -1); s != 2.96 || len(why) != 2 {
		t.Errorf("own community: %v %q", s, why)
	}
}

func TestCoverageReasonsInBothLanguagesSayTheSame(t *testing.T) {
	r := cobuild.DefaultRules()
	for _, f := range []cobuild.CoverageFacts{
		{OwnPartyOrgs: 1, JointTies: 1, PartyMembers: 5},
		{CoveredModes: []string{"REGIONAL"}, PartyMembers: 4},
		{Instructors: 1, JointTies: 1},
		{Liaisons: 1},
		{MassBranches: 1, PartyMembers: 7},
		{},
	} {
		c := r.CoverageOf(f)
		if c.Reason == "" || c.ReasonZh == "" {
			t.Fatalf("%+v: reasons %q / %q", f, c.Reason, c.ReasonZh)
		}
		for _, p := range []struct {
			on     bool
			en, zh string
		}{
			{c.ShouldHaveOwn, "should have its own", fmt.Sprintf("有正式党员%d名，应单独建立党组织", f.PartyMembers)},
			{c.Isolated, "no joint-building tie", "无任何共建关系"},
			{c.Status == cobuild.CoverageJoint, "regional", "区域"},
		} {
			if strings.Contains(c.Reason, p.en) != p.on || strings.Contains(c.ReasonZh, p.zh) != p.on {
				t.Errorf("%+v: %q / %q, expected %v for %q", f, c.Reason, c.ReasonZh, p.on, p.en)
			}
		}
	}
}

// Every size band at its edges: the bands are [0, 10), [10, 100), [100, 300), [300, ∞).
func TestSizeBandsAtTheirEdges(t *testing.T) {
	for _, tt := range []struct {
		headcount int
		band      cobuild.SizeBand
	}{
		{0, cobuild.SizeMicro}, {9, cobuild.SizeMicro},
		{10, cobuild.SizeSmall}, {99, cobuild.SizeSmall},
		{100, cobuild.SizeMedium}, {299, cobuild.SizeMedium},
		{300, cobuild.SizeLarge}, {301, cobuild.SizeLarge}, {100000, cobuild.SizeLarge},
	} {
		if got := cobuild.SizeBandOf(tt.headcount); got != tt.band {
			t.Errorf("%d employees: %s, want %s", tt.headcount, got, tt.band)
		}
		lo, hi := tt.band.Range()
		if tt.headcount < lo || (hi != 0 && tt.headcount >= hi) {
			t.Errorf("%d employees: outside the range [%d, %d) of %s", tt.headcount, lo, hi, tt.band)
		}
	}
	if lo, hi := cobuild.SizeBand("HUGE").Range(); lo != 0 || hi != 0 {
		t.Errorf("an unknown band has range [%d, %d)", lo, hi)
	}
}

// Each of the contradictions Validate knows is refused on its own, and its edge allowed.
func TestEveryContradictionOfTheRulesIsRefused(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*cobuild.Rules)
		valid bool
	}{
		{"negative bronze floor", func(r *cobuild.Rules) { r.BronzeFloor = -1 }, false},
		{"bronze floor at zero", func(r *cobuild.Rules) { r.BronzeFloor = 0 }, true},
		{"bronze floor at silver", func(r *cobuild.Rules) { r.BronzeFloor = r.SilverFloor }, false},
		{"silver floor at gold", func(r *cobuild.Rules) { r.SilverFloor = r.GoldFloor }, false},
		{"gold floor above the max score", func(r *cobuild.Rules) { r.GoldFloor = r.MaxScore + 1 }, false},
		{"gold floor at the max score", func(r *cobuild.Rules) { r.GoldFloor = r.MaxScore }, true},
		{"gold step zero", func(r *cobuild.Rules) { r.GoldStep = 0 }, false},
		{"silver step negative", func(r *cobuild.Rules) { r.SilverStep = -1 }, false},
		{"bronze step zero", func(r *cobuild.Rules) { r.BronzeStep = 0 }, false},
		{"no stars", func(r *cobuild.Rules) { r.MaxStars = 0 }, false},
		{"one star", func(r *cobuild.Rules) { r.MaxStars = 1 }, true},
		{"a dimension maximum of zero", func(r *cobuild.Rules) { r.DimensionMax[6] = 0; r.DimensionMax[5] = 20 }, false},
		{"dimension maxima adding up to 101", func(r *cobuild.Rules) { r.DimensionMax[0] = 16 }, false},
		{"dimension maxima adding up to 99", func(r *cobuild.Rules) { r.DimensionMax[0] = 14 }, false},
		{"dimension maxima moved between dimensions", func(r *cobuild.Rules) { r.DimensionMax[0], r.DimensionMax[1] = 10, 20 }, true},
		{"weights adding up to 1.1", func(r *cobuild.Rules) { r.CommitteeWeight = 0.6 }, false},
		{"weights adding up to 0.9", func(r *cobuild.Rules) { r.CommitteeWeight = 0.4 }, false},
		{"weights moved between groups", func(r *cobuild.Rules) { r.SelfWeight, r.PublicWeight = 0.3, 0.2 }, true},
		{"own organisation from zero members", func(r *cobuild.Rules) { r.OwnOrgMinMembers = 0 }, false},
		{"own organisation above a general branch", func(r *cobuild.Rules) { r.OwnOrgMinMembers = r.GeneralBranchMinMembers + 1 }, false},
		{"own organisation at a general branch", func(r *cobuild.Rules) { r.OwnOrgMinMembers = r.GeneralBranchMinMembers }, true},
		{"general branch above a committee", func(r *cobuild.Rules) { r.GeneralBranchMinMembers = r.CommitteeMinMembers + 1 }, false},
		{"general branch at a committee", func(r *cobuild.Rules) { r.GeneralBranchMinMembers = r.CommitteeMinMembers }, true},
		{"no kind evaluated", func(r *cobuild.Rules) { r.EvaluatedKinds = nil }, false},
		{"an unknown kind evaluated", func(r *cobuild.Rules) { r.EvaluatedKinds = []string{"BRANCH", "CLUB"} }, false},
		{"regional party organisations evaluated too", func(r *cobuild.Rules) { r.EvaluatedKinds = append(r.EvaluatedKinds, "REGIONAL") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cobuild.DefaultRules()
			tt.edit(&r)
			err := r.Validate()
			switch {
			case tt.valid && err != nil:
				t.Errorf("refused: %v", err)
			case !tt.valid && cobuild.ErrorCode(err) != cobuild.EINVALID:
				t.Errorf("got %v, want %s", err, cobuild.EINVALID)
			}
		})
	}
}

// The final score is rounded to hundredths, half away from zero, not truncated.
func TestFinalScoresAreRoundedToHundredths(t *testing.T) {
	r := cobuild.DefaultRules()
	dims := func(first float64) [7]float64 { return [7]float64{first, 0, 0, 0, 0, 0, 0} }
	for _, tt := range []struct {
		self, public, committee float64
		want                    float64
	}{
		// 0.2*1 + 0.3*1 + 0.5*1.01 = 1.005 → 1.01 (truncating gives 1.00)
		{1, 1, 1.01, 1.01},
		// 0.2*0.01 + 0.3*0.01 + 0.5*0.01 = 0.01
		{0.01, 0.01, 0.01, 0.01},
		// 0.2*0.03 = 0.006 → 0.01
		{0.03, 0, 0, 0.01},
		// 0.2*0.02 = 0.004 → 0
		{0.02, 0, 0, 0},
		// 0.2*12.34 + 0.3*5.67 + 0.5*8.91 = 2.468 + 1.701 + 4.455 = 8.624 → 8.62
		{12.34, 5.67, 8.91, 8.62},
		// 0.2*14.99 + 0.3*14.99 + 0.5*14.97 = 14.98 exactly
		{14.99, 14.99, 14.97, 14.98},
	} {
		got, err := r.FinalScore(dims(tt.self), dims(tt.public), dims(tt.committee))
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("self %v, public %v, committee %v: %v, want %v", tt.self, tt.public, tt.committee, got, tt.want)
		}
	}
	for i, bad := range []float64{-0.01, math.NaN()} {
		d := dims(1)
		d[3] = bad
		for group := 0; group < 3; group++ {
			args := [3][7]float64{dims(1), dims(1), dims(1)}
			args[group] = d
			if _, err := r.FinalScore(args[0], args[1], args[2]); cobuild.ErrorCode(err) != cobuild.EINVALID {
				t.Errorf("case %d, group %d: %v, want %s", i, group, err, cobuild.EINVALID)
			}
		}
	}
}
