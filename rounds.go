package cobuild

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"time"
)

// Evaluation rounds (评星定级) are held inside cobuild: a round is opened, each party
// organisation's seven dimension scores are entered by the three evaluator groups, and an
// admin finalises it. Only a finalised round has Evaluation nodes: the drafts of an open
// round are kept apart, so that every read of evaluations (grading, movement, latest
// evaluation, tier filters) sees finalised rounds only (docs/evaluation.md).

// RoundStatus says where a round stands.
type RoundStatus string

// The statuses of a round.
const (
	RoundOpen      RoundStatus = "OPEN"
	RoundFinalised RoundStatus = "FINALISED"
)

// EvaluatorGroup is one of the three groups that score a party organisation.
type EvaluatorGroup string

// The evaluator groups, in the order of the rules' weights.
const (
	GroupSelf      EvaluatorGroup = "SELF"      // 组织自评
	GroupPublic    EvaluatorGroup = "PUBLIC"    // 党员群众测评
	GroupCommittee EvaluatorGroup = "COMMITTEE" // 党(工)委复评
)

// EvaluatorGroups lists the groups in the order of the rules' weights.
var EvaluatorGroups = []EvaluatorGroup{GroupSelf, GroupPublic, GroupCommittee}

// RectificationStatus is how far a weak party organisation's rectification (整改) went.
type RectificationStatus string

// The rectification statuses; an evaluation with none recorded is NOT_STARTED.
const (
	RectificationNotStarted RectificationStatus = "NOT_STARTED"
	RectificationInProgress RectificationStatus = "IN_PROGRESS"
	RectificationRectified  RectificationStatus = "RECTIFIED"
)

// RectificationStatuses lists every rectification status, in the order of the work.
var RectificationStatuses = []RectificationStatus{RectificationNotStarted, RectificationInProgress, RectificationRectified}

var roundName = regexp.MustCompile(`^(\d{4})-(05|11)$`)

// ParseRound checks a round's name, "YYYY-05" or "YYYY-11" (rounds are held each May and
// November), and returns its year and month; anything else is EINVALID.
func ParseRound(round string) (int, time.Month, error) {
	m := roundName.FindStringSubmatch(round)
	if m == nil {
		return 0, 0, Errorf(EINVALID, "轮次 %q 格式不正确，应为 YYYY-05 或 YYYY-11。The round %q is not of the form YYYY-05 or YYYY-11.", round, round)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	return y, time.Month(mo), nil
}

// ScoreRow is one evaluator group's seven dimension scores of one party organisation in
// a round: a row of an evaluation sheet.
type ScoreRow struct {
	PartyOrgID string         `json:"partyOrganizationId"`
	Group      EvaluatorGroup `json:"group"`
	Scores     []float64      `json:"scores"`
}

// CheckDimensionScore returns an EINVALID error when a score of dimension i is outside
// 0..its maximum.
func (r Rules) CheckDimensionScore(i int, v float64) error {
	if i < 0 || i >= len(r.DimensionMax) {
		return Errorf(EINVALID, "没有第 %d 个维度。There is no dimension %d.", i+1, i+1)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || hundredths(v) > hundredths(r.DimensionMax[i]) {
		return Errorf(EINVALID, "%s的得分 %v 超出 0–%v。The score of %s (%s) is %v, outside 0..%v.",
			Dimensions[i].Label, v, r.DimensionMax[i], Dimensions[i].Key, Dimensions[i].Label, v, r.DimensionMax[i])
	}
	return nil
}

// EvaluationRound is a round with where it stands. The rounds the demo seeded, which
// have evaluations but no bookkeeping of their own, are finalised.
type EvaluationRound struct {
	Round       string
	Date        time.Time
	Status      RoundStatus
	OpenedAt    *time.Time
	FinalisedAt *time.Time
	// Evaluated counts its evaluations (none while open); Entered counts the party
	// organisations with at least one group's scores entered (drafts of an open round,
	// or those evaluated once finalised).
	Evaluated, Entered int
}

// RoundEntry is one party organisation to be evaluated in a round with the groups whose
// scores were entered and those still missing.
type RoundEntry struct {
	PartyOrgID string
	Entered    []EvaluatorGroup
	Missing    []EvaluatorGroup
}

// WeakEntry is one weak party organisation of a finalised round (软弱涣散), with its
// rectification and its evaluation in the next finalised round (nil when not evaluated
// again yet).
type WeakEntry struct {
	Evaluation    *Evaluation
	Rectification RectificationStatus
	Note          string
	UpdatedAt     *time.Time
	NextRound     string
	Next          *Evaluation
}

// RoundReader reads evaluation rounds: their status, who is missing, the weak list.
type RoundReader interface {
	// EvaluationRounds lists every round, open or finalised, newest first.
	EvaluationRounds(ctx context.Context) ([]EvaluationRound, error)
	// EvaluationRound returns a round (nil if none); a malformed name is EINVALID.
	EvaluationRound(ctx context.Context, round string) (*EvaluationRound, error)
	// RoundEntries lists the party organisations to be evaluated in a round (of the
	// kinds of Rules.EvaluatedKinds, founded by its day and not dissolved), in id order,
	// with the groups entered and missing; only those missing a group when missingOnly.
	// A round that does not exist is ENOTFOUND.
	RoundEntries(ctx context.Context, round string, missingOnly bool) ([]RoundEntry, error)
	// WeakList lists the weak evaluations of a finalised round, by score, with their
	// rectification and their evaluation in the next finalised round.
	WeakList(ctx context.Context, round string) ([]WeakEntry, error)
}

// RoundWriter is what an importer of evaluation sheets calls: many rows in one
// transaction, which is one change of the log.
type RoundWriter interface {
	// EnterScores enters (or corrects) the rows of a round as the actor, all or none:
	// EINVALID with the field of the first bad row (rows.3.scores.2), EFORBIDDEN for a
	// party organisation outside an officer's areas or a finalised round altered by
	// anyone but an admin. key is an idempotency key ("" for none).
	EnterScores(ctx context.Context, actor Actor, round string, rows []ScoreRow, key string) (*Change, error)
}
