package cobuild

import (
	"fmt"
	"math"
)

// Rules holds every threshold and weight of the domain. DefaultRules gives the values of
// docs/domain.md; a deployment may override any of them through configuration, and every rule of
// the product reads them from here rather than from a constant of its own.
type Rules struct {
	// Tier floors, lower bounds inclusive: gold >= GoldFloor, silver >= SilverFloor,
	// bronze >= BronzeFloor, weak below.
	GoldFloor   float64 `json:"goldFloor"`
	SilverFloor float64 `json:"silverFloor"`
	BronzeFloor float64 `json:"bronzeFloor"`
	// Points per star inside each tier.
	GoldStep   float64 `json:"goldStep"`
	SilverStep float64 `json:"silverStep"`
	BronzeStep float64 `json:"bronzeStep"`
	MaxStars   int     `json:"maxStars"`
	MaxScore   float64 `json:"maxScore"`

	// DimensionMax is the maximum of each of the seven evaluation dimensions, in the order
	// of the Dimensions list.
	DimensionMax [7]float64 `json:"dimensionMax"`
	// Weights of the three evaluator groups in the final score.
	SelfWeight      float64 `json:"selfWeight"`
	PublicWeight    float64 `json:"publicWeight"`
	CommitteeWeight float64 `json:"committeeWeight"`
	// EvaluatedKinds are the kinds of party organisation evaluated in each round (the
	// branches, general branches, committees and joint branches; regional and industry
	// party organisations are not).
	EvaluatedKinds []string `json:"evaluatedKinds"`

	// An organisation with at least OwnOrgMinMembers full party members should have its
	// own party organisation; GeneralBranchMinMembers and CommitteeMinMembers are the sizes
	// at which a general branch or a committee may be formed.
	OwnOrgMinMembers        int `json:"ownOrgMinMembers"`
	GeneralBranchMinMembers int `json:"generalBranchMinMembers"`
	CommitteeMinMembers     int `json:"committeeMinMembers"`

	// Weights of a candidate coverer's score (see ScoreCandidate).
	CandidateCommunity float64 `json:"candidateCommunity"`
	CandidatePark      float64 `json:"candidatePark"`
	CandidateIndustry  float64 `json:"candidateIndustry"`
	CandidateProximity float64 `json:"candidateProximity"`
	CandidateLoad      float64 `json:"candidateLoad"`
}

// DefaultRules returns the rules stated in docs/domain.md.
func DefaultRules() Rules {
	return Rules{
		GoldFloor: 90, SilverFloor: 75, BronzeFloor: 60,
		GoldStep: 2, SilverStep: 3, BronzeStep: 3,
		MaxStars: 5, MaxScore: 100,
		DimensionMax:    [7]float64{15, 15, 15, 15, 20, 10, 10},
		SelfWeight:      0.2,
		PublicWeight:    0.3,
		CommitteeWeight: 0.5,
		EvaluatedKinds:  []string{"BRANCH", "GENERAL_BRANCH", "COMMITTEE", "JOINT_BRANCH"},

		OwnOrgMinMembers:        3,
		GeneralBranchMinMembers: 50,
		CommitteeMinMembers:     100,

		CandidateCommunity: 3,
		CandidatePark:      2,
		CandidateIndustry:  2,
		CandidateProximity: 2,
		CandidateLoad:      0.02,
	}
}

// Validate returns an EINVALID error when the rules contradict themselves.
func (r Rules) Validate() error {
	if !(0 <= r.BronzeFloor && r.BronzeFloor < r.SilverFloor && r.SilverFloor < r.GoldFloor && r.GoldFloor <= r.MaxScore) {
		return Errorf(EINVALID, "tier floors must rise: 0 <= bronze < silver < gold <= max score")
	}
	if r.GoldStep <= 0 || r.SilverStep <= 0 || r.BronzeStep <= 0 || r.MaxStars < 1 {
		return Errorf(EINVALID, "star steps must be positive and max stars at least 1")
	}
	sum := 0.0
	for _, m := range r.DimensionMax {
		if m <= 0 {
			return Errorf(EINVALID, "every dimension maximum must be positive")
		}
		sum += m
	}
	if math.Abs(sum-r.MaxScore) > 1e-9 {
		return Errorf(EINVALID, "dimension maxima add up to %g, not the max score %g", sum, r.MaxScore)
	}
	if math.Abs(r.SelfWeight+r.PublicWeight+r.CommitteeWeight-1) > 1e-9 {
		return Errorf(EINVALID, "evaluator group weights must add up to 1")
	}
	if len(r.EvaluatedKinds) == 0 {
		return Errorf(EINVALID, "at least one kind of party organisation must be evaluated")
	}
	for _, k := range r.EvaluatedKinds {
		if _, known := enumLabels["PartyOrganizationKind"][k]; !known {
			return Errorf(EINVALID, "evaluated kind %q is not a kind of party organisation", k)
		}
	}
	if !(0 < r.OwnOrgMinMembers && r.OwnOrgMinMembers <= r.GeneralBranchMinMembers && r.GeneralBranchMinMembers <= r.CommitteeMinMembers) {
		return Errorf(EINVALID, "party-member thresholds must rise: own <= general branch <= committee")
	}
	return nil
}

// Tier is the three-colour class of a party organisation, plus weak below bronze.
type Tier string

// The tiers, best first.
const (
	TierGold   Tier = "GOLD"
	TierSilver Tier = "SILVER"
	TierBronze Tier = "BRONZE"
	TierWeak   Tier = "WEAK"
)

// Tiers lists every tier, best first.
var Tiers = []Tier{TierGold, TierSilver, TierBronze, TierWeak}

// hundredths turns a score into an exact count of hundredths of a point, so that boundary
// arithmetic such as 74.99 or 62.99 never suffers from binary fractions.
func hundredths(x float64) int64 { return int64(math.Round(x * 100)) }

func (r Rules) checkScore(score float64) error {
	if math.IsNaN(score) || score < 0 || hundredths(score) > hundredths(r.MaxScore) {
		return Errorf(EINVALID, "score %v is outside 0..%v", score, r.MaxScore)
	}
	return nil
}

// TierOf returns the tier of a final score, or EINVALID for a score outside 0..MaxScore.
func (r Rules) TierOf(score float64) (Tier, error) {
	if err := r.checkScore(score); err != nil {
		return "", err
	}
	s := hundredths(score)
	switch {
	case s >= hundredths(r.GoldFloor):
		return TierGold, nil
	case s >= hundredths(r.SilverFloor):
		return TierSilver, nil
	case s >= hundredths(r.BronzeFloor):
		return TierBronze, nil
	default:
		return TierWeak, nil
	}
}

// TierFloor returns the lowest score of a tier (0 for weak).
func (r Rules) TierFloor(t Tier) float64 {
	switch t {
	case TierGold:
		return r.GoldFloor
	case TierSilver:
		return r.SilverFloor
	case TierBronze:
		return r.BronzeFloor
	}
	return 0
}

// TierRange returns the scores [min, max) of a tier; max is above MaxScore for gold so that
// a perfect score is included.
func (r Rules) TierRange(t Tier) (min, max float64) {
	switch t {
	case TierGold:
		return r.GoldFloor, r.MaxScore + 1
	case TierSilver:
		return r.SilverFloor, r.GoldFloor
	case TierBronze:
		return r.BronzeFloor, r.SilverFloor
	}
	return 0, r.BronzeFloor
}

func (r Rules) step(t Tier) float64 {
	switch t {
	case TierGold:
		return r.GoldStep
	case TierSilver:
		return r.SilverStep
	case TierBronze:
		return r.BronzeStep
	}
	return 0
}

// StarsOf returns the stars of a score inside its tier: one at the tier floor, one more
// per step, at most MaxStars; a weak score has no stars.
func (r Rules) StarsOf(score float64) (int, error) {
	t, err := r.TierOf(score)
	if err != nil || t == TierWeak {
		return 0, err
	}
	stars := int((hundredths(score)-hundredths(r.TierFloor(t)))/hundredths(r.step(t))) + 1
	return min(stars, r.MaxStars), nil
}

// StarRange returns the scores [lo, hi) that earn a number of stars in a tier (0 stars
// for weak), and false when no score does.
func (r Rules) StarRange(t Tier, stars int) (lo, hi float64, ok bool) {
	tlo, thi := r.TierRange(t)
	if t == TierWeak || stars == 0 {
		return tlo, thi, t == TierWeak && stars == 0
	}
	if stars < 1 || stars > r.MaxStars {
		return 0, 0, false
	}
	lo = tlo + float64(stars-1)*r.step(t)
	if lo >= thi {
		return 0, 0, false
	}
	hi = lo + r.step(t)
	if stars == r.MaxStars || hi > thi {
		hi = thi
	}
	return lo, hi, true
}

// Grade is the tier and stars of a score, with the points still missing to the next star
// or tier (zero at the top).
type Grade struct {
	Score      float64
	Tier       Tier
	Stars      int
	ToNextStar float64
	ToNextTier float64
}

// GradeOf returns the grade of a score.
func (r Rules) GradeOf(score float64) (Grade, error) {
	t, err := r.TierOf(score)
	if err != nil {
		return Grade{}, err
	}
	stars, _ := r.StarsOf(score)
	g := Grade{Score: score, Tier: t, Stars: stars}
	s := hundredths(score)
	next := func(target float64) float64 { return float64(hundredths(target)-s) / 100 }
	switch t {
	case TierWeak:
		g.ToNextTier = next(r.BronzeFloor)
		g.ToNextStar = g.ToNextTier
	case TierGold:
		if target := r.GoldFloor + float64(stars)*r.GoldStep; stars < r.MaxStars && target <= r.MaxScore {
			g.ToNextStar = next(target)
		}
	default:
		upper := r.GoldFloor
		if t == TierBronze {
			upper = r.SilverFloor
		}
		g.ToNextTier = next(upper)
		g.ToNextStar = g.ToNextTier
		if stars < r.MaxStars {
			g.ToNextStar = math.Min(g.ToNextStar, next(r.TierFloor(t)+float64(stars)*r.step(t)))
		}
	}
	return g, nil
}

// FinalScore weighs the three evaluator groups' totals into the final score, rounded to two
// decimals. Each group's seven dimension scores must lie within the dimension maxima.
func (r Rules) FinalScore(self, public, committee [7]float64) (float64, error) {
	total := func(name string, dims [7]float64) (float64, error) {
		sum := 0.0
		for i, v := range dims {
			if math.IsNaN(v) || v < 0 || v > r.DimensionMax[i] {
				return 0, Errorf(EINVALID, "%s score of %s is %v, outside 0..%v", name, Dimensions[i].Label, v, r.DimensionMax[i])
			}
			sum += v
		}
		return sum, nil
	}
	s, err := total("self", self)
	if err != nil {
		return 0, err
	}
	p, err := total("members and public", public)
	if err != nil {
		return 0, err
	}
	c, err := total("committee", committee)
	if err != nil {
		return 0, err
	}
	// Half a hundredth rounds up: 0.5 × 1.01 + 0.5 = 1.005 is 1.01. In binary it comes out a
	// hair under (1.00499…), so the nudge; scores in hundredths and weights in hundredths
	// make every exact total a multiple of 0.0001, far from the nudge.
	return math.Round((s*r.SelfWeight+p*r.PublicWeight+c*r.CommitteeWeight)*100+1e-7) / 100, nil
}

// Dimension is one of the seven evaluation dimensions.
type Dimension struct {
	Key   string
	Label string
}

// Dimensions lists the seven evaluation dimensions in the order of every score list.
var Dimensions = [7]Dimension{
	{"LEADERSHIP_TEAM", "班子队伍建设"},
	{"MEMBER_EDUCATION", "党员教育管理"},
	{"ACTIVITY_VENUES", "活动阵地建设"},
	{"WORK_RULES", "工作制度建设"},
	{"WORK_RESULTS", "工作业绩情况"},
	{"RESOURCES", "工作保障情况"},
	{"PUBLIC_FEEDBACK", "群众反映情况"},
}

// CoverageStatus is how party organisation or party work reaches an organisation.
type CoverageStatus string

// The coverage statuses, strongest first.
const (
	CoverageOwn       CoverageStatus = "OWN"
	CoverageJoint     CoverageStatus = "JOINT"
	CoverageWork      CoverageStatus = "WORK"
	CoverageUncovered CoverageStatus = "UNCOVERED"
	// CoverageNotManaged is the status of a public body (a school, community, department
	// or district mass organisation): coverage concerns the managed sectors only.
	CoverageNotManaged CoverageStatus = "NOT_MANAGED"
)

// CoverageStatuses lists every status, strongest first, NOT_MANAGED last.
var CoverageStatuses = []CoverageStatus{CoverageOwn, CoverageJoint, CoverageWork, CoverageUncovered, CoverageNotManaged}

// Managed reports whether the sector's organisations are managed: their coverage,
// should-have-own and the official rates are counted.
func (s Sector) Managed() bool { return s == SectorEnterprise || s == SectorSocial }

// CoverageFacts are the ties in force on a date that decide an organisation's coverage.
type CoverageFacts struct {
	OwnPartyOrgs int // HAS_PARTY_ORG ties
	CoveredModes []string
	Instructors  int // ASSIGNED_TO, role instructor
	Liaisons     int // ASSIGNED_TO, role liaison
	MassBranches int // FORMED_IN
	JointTies    int // joint-building ties of any kind
	PartyMembers int
	// Sector is the organisation's sector; coverage concerns the managed sectors only.
	Sector Sector
}

// Coverage is the derived coverage of an organisation with the reason in words.
type Coverage struct {
	Status CoverageStatus
	// Isolated is true when the organisation has no joint-building tie in force.
	Isolated bool
	// ShouldHaveOwn is true when the organisation has enough full members for its own
	// party organisation but has none.
	ShouldHaveOwn bool
	// Reason says why, in English; ReasonZh says the same in Chinese.
	Reason, ReasonZh string
}

// CoverageOf applies the coverage rules of docs/domain.md to the facts of one
// organisation. A public body is NOT_MANAGED and never should have its own party
// organisation; its isolation is decided like anyone's.
func (r Rules) CoverageOf(f CoverageFacts) Coverage {
	c := Coverage{Isolated: f.JointTies == 0}
	switch {
	case !f.Sector.Managed():
		c.Status = CoverageNotManaged
		c.Reason, c.ReasonZh = "a public body, not a managed organisation: coverage concerns non-public enterprises and social organisations",
			"公共机构，不属于非公企业和社会组织覆盖范围"
	case f.OwnPartyOrgs > 0:
		c.Status = CoverageOwn
		c.Reason, c.ReasonZh = "has its own party organisation", "已单独建立党组织"
	case len(f.CoveredModes) > 0:
		c.Status = CoverageJoint
		c.Reason = fmt.Sprintf("covered by a %s party organisation", modeWords(f.CoveredModes[0]))
		c.ReasonZh = fmt.Sprintf("由%s党组织覆盖", modeWordsZh(f.CoveredModes[0]))
	case f.Instructors > 0 || f.Liaisons > 0 || f.MassBranches > 0:
		c.Status = CoverageWork
		switch {
		case f.Instructors > 0:
			c.Reason, c.ReasonZh = "no party organisation; a party-building instructor is assigned", "未建党组织；已选派党建指导员"
		case f.Liaisons > 0:
			c.Reason, c.ReasonZh = "no party organisation; a liaison is assigned", "未建党组织；已选派联络员"
		default:
			c.Reason, c.ReasonZh = "no party organisation; a mass-organisation branch was formed in it", "未建党组织；已建立群团组织"
		}
	default:
		c.Status = CoverageUncovered
		c.Reason = "no party organisation, instructor, liaison or mass-organisation branch"
		c.ReasonZh = "无党组织、党建指导员、联络员或群团组织"
	}
	c.ShouldHaveOwn = f.Sector.Managed() && f.OwnPartyOrgs == 0 && f.PartyMembers >= r.OwnOrgMinMembers
	if c.ShouldHaveOwn {
		c.Reason += fmt.Sprintf("; has %d full party members, so should have its own", f.PartyMembers)
		c.ReasonZh += fmt.Sprintf("；有正式党员%d名，应单独建立党组织", f.PartyMembers)
	}
	if c.Isolated {
		c.Reason += "; no joint-building tie"
		c.ReasonZh += "；无任何共建关系"
	}
	return c
}

func modeWordsZh(mode string) string {
	switch mode {
	case "JOINT":
		return "联合"
	case "REGIONAL":
		return "区域"
	case "INDUSTRY":
		return "行业"
	}
	return "覆盖"
}

func modeWords(mode string) string {
	switch mode {
	case "JOINT":
		return "joint"
	case "REGIONAL":
		return "regional"
	case "INDUSTRY":
		return "industry"
	}
	return "covering"
}

// ScoreCandidate scores a candidate coverer of an organisation and says why, term by term:
// the shares of the organisations it serves that are on the same community's patch, in
// the same park and in the same industry (each times its weight; the organisation's own
// community counts fully), closeness in the network (the weight divided by the hops, none
// when no chain joins them), less a penalty per organisation it serves already. The
// reasons come in English and in Chinese, term for term.
func (r Rules) ScoreCandidate(c Candidate, hops int) (float64, []string, []string) {
	var score float64
	var why, whyZh []string
	share := func(n int) float64 {
		if c.Load == 0 {
			return 0
		}
		return float64(n) / float64(c.Load)
	}
	if c.Label == "Organization" {
		score += r.CandidateCommunity
		why = append(why, fmt.Sprintf("the organisation is on the patch of %s (+%.2f)", c.Name, r.CandidateCommunity))
		whyZh = append(whyZh, fmt.Sprintf("该组织在%s辖区内（+%.2f）", c.Name, r.CandidateCommunity))
	} else {
		for _, t := range []struct {
			n          int
			w          float64
			phrase, zh string
		}{
			{c.SharedCommunity, r.CandidateCommunity, "on the same community's patch", "在同一社区"},
			{c.SharedPark, r.CandidatePark, "in the same park", "在同一园区"},
			{c.SharedIndustry, r.CandidateIndustry, "in the same industry", "属同一行业"},
		} {
			if t.n > 0 {
				v := t.w * share(t.n)
				score += v
				why = append(why, fmt.Sprintf("%d of the %d organisations it serves are %s (+%.2f)", t.n, c.Load, t.phrase, v))
				whyZh = append(whyZh, fmt.Sprintf("所服务的%d个组织中有%d个%s（+%.2f）", c.Load, t.n, t.zh, v))
			}
		}
	}
	if hops > 0 {
		v := r.CandidateProximity / float64(hops)
		score += v
		why = append(why, fmt.Sprintf("%d ties away in the network (+%.2f)", hops, v))
		whyZh = append(whyZh, fmt.Sprintf("在共建网络中相距%d步（+%.2f）", hops, v))
	}
	if c.Load > 0 {
		v := r.CandidateLoad * float64(c.Load)
		score -= v
		why = append(why, fmt.Sprintf("already serves %d (-%.2f)", c.Load, v))
		whyZh = append(whyZh, fmt.Sprintf("已服务%d个组织（-%.2f）", c.Load, v))
	}
	return math.Round(score*100) / 100, why, whyZh
}
