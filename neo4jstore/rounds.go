package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// Evaluation rounds held inside cobuild (docs/evaluation.md). A round opened here is a
// bookkeeping node :Round {id, round, roundDate, status, openedAt, openedBy, finalisedAt,
// finalisedBy}; the scores entered while it is open are drafts, one :RoundScore {id:
// "<round>/<po>", round, partyOrg, self, public, committee} per party organisation, tied
// to nothing, so that no read of the graph meets them. Finalising writes the Evaluation
// nodes, EVALUATED by their party organisations, as the demo's are; from then on every
// read of evaluations sees the round. A round with evaluations and no :Round node (the
// demo's) is finalised.

// groupField is the property of a draft and of an evaluation that holds a group's scores.
var groupField = map[cobuild.EvaluatorGroup]string{cobuild.GroupSelf: "self", cobuild.GroupPublic: "public", cobuild.GroupCommittee: "committee"}

// runner runs one statement and returns its records as maps.
type runner func(cypher string, params map[string]any) ([]map[string]any, error)

func (s *Store) run(ctx context.Context) runner {
	return func(cypher string, params map[string]any) ([]map[string]any, error) {
		return query(ctx, s, cypher, params, func(r *neo4j.Record) (map[string]any, error) { return r.AsMap(), nil })
	}
}

// readRound reads a round's bookkeeping and counts; nil when the round neither was
// opened nor has evaluations.
func readRound(run runner, round string) (*cobuild.EvaluationRound, error) {
	rows, err := run(`OPTIONAL MATCH (r:Round {id: $round})
		CALL { MATCH (e:Evaluation {round: $round}) RETURN count(e) AS evaluated, min(e.roundDate) AS firstDay }
		CALL { MATCH (d:RoundScore {round: $round}) RETURN count(d) AS entered }
		RETURN r.status AS status, r.roundDate AS day, r.openedAt AS openedAt, r.finalisedAt AS finalisedAt,
		  evaluated, firstDay, entered`, map[string]any{"round": round})
	if err != nil {
		return nil, fmt.Errorf("read round %s: %w", round, err)
	}
	p := propsOf(rows[0], "round "+round)
	out := &cobuild.EvaluationRound{Round: round, Evaluated: p.integer("evaluated"), Entered: p.integer("entered")}
	status := p.str("status")
	switch {
	case status != "":
		out.Status = cobuild.RoundStatus(status)
		if d := p.date("day"); d != nil {
			out.Date = *d
		}
		out.OpenedAt, out.FinalisedAt = instant(rows[0]["openedAt"]), instant(rows[0]["finalisedAt"])
	case out.Evaluated > 0:
		out.Status = cobuild.RoundFinalised
		if d := p.date("firstDay"); d != nil {
			out.Date = *d
		}
	default:
		return nil, p.err
	}
	if out.Status == cobuild.RoundFinalised && out.Entered == 0 {
		out.Entered = out.Evaluated
	}
	return out, p.err
}

func instant(v any) *time.Time {
	if t, ok := v.(time.Time); ok {
		t = t.UTC()
		return &t
	}
	return nil
}

// EvaluationRounds implements cobuild.RoundReader.
func (s *Store) EvaluationRounds(ctx context.Context) ([]cobuild.EvaluationRound, error) {
	names, err := query(ctx, s, `MATCH (r:Round) RETURN r.id AS round UNION MATCH (e:Evaluation) RETURN DISTINCT e.round AS round`, nil,
		func(r *neo4j.Record) (string, error) { return recordString(r, "round") })
	if err != nil {
		return nil, fmt.Errorf("list evaluation rounds: %w", err)
	}
	slices.Sort(names)
	slices.Reverse(names)
	out := make([]cobuild.EvaluationRound, 0, len(names))
	for _, n := range names {
		rd, err := readRound(s.run(ctx), n)
		if err != nil {
			return nil, err
		}
		if rd != nil {
			out = append(out, *rd)
		}
	}
	return out, nil
}

// EvaluationRound implements cobuild.RoundReader.
func (s *Store) EvaluationRound(ctx context.Context, round string) (*cobuild.EvaluationRound, error) {
	if _, _, err := cobuild.ParseRound(round); err != nil {
		return nil, err
	}
	return readRound(s.run(ctx), round)
}

// toEvaluate is the statement of the party organisations to be evaluated in a round and
// what was entered for each: of the evaluated kinds, founded by the round's day, and not
// dissolved on it (a party organisation whose every HAS_PARTY_ORG tie has ended).
const toEvaluate = `MATCH (p:PartyOrg) WHERE p.kind IN $kinds AND (p.foundedOn IS NULL OR p.foundedOn <= $day)
	AND (NOT EXISTS { MATCH (p)<-[:HAS_PARTY_ORG]-() }
	  OR EXISTS { MATCH (p)<-[h:HAS_PARTY_ORG]-() WHERE (h.since IS NULL OR h.since <= $day) AND (h.until IS NULL OR h.until > $day) })`

const enteredOf = `OPTIONAL MATCH (d:RoundScore {id: $round + '/' + p.id})
	OPTIONAL MATCH (p)-[:EVALUATED]->(e:Evaluation {round: $round})
	WITH p, d, e ORDER BY p.id
	RETURN p.id AS id, [d.self IS NOT NULL OR e IS NOT NULL, d.public IS NOT NULL OR e IS NOT NULL, d.committee IS NOT NULL OR e IS NOT NULL] AS entered`

func decodeEntry(m map[string]any) cobuild.RoundEntry {
	e := cobuild.RoundEntry{PartyOrgID: fmt.Sprint(m["id"]), Entered: []cobuild.EvaluatorGroup{}, Missing: []cobuild.EvaluatorGroup{}}
	flags, _ := m["entered"].([]any)
	for i, g := range cobuild.EvaluatorGroups {
		if i < len(flags) && flags[i] == true {
			e.Entered = append(e.Entered, g)
		} else {
			e.Missing = append(e.Missing, g)
		}
	}
	return e
}

// RoundEntries implements cobuild.RoundReader; an officer's list holds the party
// organisations of their scope.
func (s *Store) RoundEntries(ctx context.Context, round string, missingOnly bool) ([]cobuild.RoundEntry, error) {
	rd, err := s.EvaluationRound(ctx, round)
	if err != nil {
		return nil, err
	}
	if rd == nil {
		return nil, cobuild.Errorf(cobuild.ENOTFOUND, "没有 %s 轮次。There is no round %s.", round, round)
	}
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := query(ctx, s, toEvaluate+n.and("p", cobuild.LabelPartyOrg)+"\n"+enteredOf,
		n.bind(map[string]any{"round": round, "kinds": s.rules.EvaluatedKinds, "day": dateParam(rd.Date)}),
		func(r *neo4j.Record) (map[string]any, error) { return r.AsMap(), nil })
	if err != nil {
		return nil, fmt.Errorf("read the party organisations of round %s: %w", round, err)
	}
	out := []cobuild.RoundEntry{}
	for _, m := range rows {
		e := decodeEntry(m)
		if !missingOnly || len(e.Missing) > 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// WeakList implements cobuild.RoundReader.
func (s *Store) WeakList(ctx context.Context, round string) ([]cobuild.WeakEntry, error) {
	rd, err := s.EvaluationRound(ctx, round)
	if err != nil {
		return nil, err
	}
	if rd == nil {
		return nil, cobuild.Errorf(cobuild.ENOTFOUND, "没有 %s 轮次。There is no round %s.", round, round)
	}
	if rd.Status != cobuild.RoundFinalised {
		return nil, &cobuild.Error{Code: cobuild.EINVALID, Message: fmt.Sprintf("%s 轮次尚未定级，还没有软弱涣散名单。Round %s is not finalised yet: it has no weak list.", round, round),
			Extensions: map[string]any{"field": "round"}}
	}
	rounds, err := s.EvaluationRounds(ctx)
	if err != nil {
		return nil, err
	}
	next := ""
	for _, r := range rounds { // newest first: the last finalised one after round
		if r.Round > round && r.Status == cobuild.RoundFinalised {
			next = r.Round
		}
	}
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"round": round, "next": next}
	where := s.tierPredicate("e", []cobuild.Tier{cobuild.TierWeak}, params) + n.and("p", cobuild.LabelPartyOrg)
	out, err := query(ctx, s, `MATCH (p:PartyOrg)-[:EVALUATED]->(e:Evaluation {round: $round}) WHERE `+where+`
		OPTIONAL MATCH (p)-[:EVALUATED]->(x:Evaluation {round: $next})
		RETURN p.id AS po, e, x ORDER BY e.score, e.id`, n.bind(params),
		func(r *neo4j.Record) (cobuild.WeakEntry, error) {
			po, err := recordString(r, "po")
			if err != nil {
				return cobuild.WeakEntry{}, err
			}
			en, err := recordNode(r, "e")
			if err != nil {
				return cobuild.WeakEntry{}, err
			}
			w := cobuild.WeakEntry{NextRound: next, Rectification: cobuild.RectificationNotStarted}
			if w.Evaluation, err = decodeAs[*cobuild.Evaluation](en); err != nil {
				return w, err
			}
			w.Evaluation.PartyOrgID = po
			p := propsOf(en.Props, "evaluation")
			if st := p.str("rectification"); st != "" {
				w.Rectification = cobuild.RectificationStatus(st)
			}
			w.Note = p.str("rectificationNote")
			w.UpdatedAt = instant(en.Props["rectificationAt"])
			if x, ok := r.AsMap()["x"].(dbtype.Node); ok {
				if w.Next, err = decodeAs[*cobuild.Evaluation](x); err != nil {
					return w, err
				}
				w.Next.PartyOrgID = po
			}
			return w, p.err
		})
	if err != nil {
		return nil, fmt.Errorf("read the weak list of round %s: %w", round, err)
	}
	return out, nil
}

// EnterScores implements cobuild.RoundWriter: the rows go through Apply as one command,
// enterScores, so that they are one transaction and one change of the log.
func (s *Store) EnterScores(ctx context.Context, actor cobuild.Actor, round string, rows []cobuild.ScoreRow, key string) (*cobuild.Change, error) {
	return s.Apply(ctx, cobuild.Command{Op: "enterScores", Args: map[string]any{"round": round, "rows": rows}, Key: key, Actor: actor})
}

// The commands.

func forbidden(format string, args ...any) *cobuild.Error {
	return &cobuild.Error{Code: cobuild.EFORBIDDEN, Message: fmt.Sprintf(format, args...)}
}

// isAdmin is whether the actor writes for the whole district: an admin, or cobuild itself.
func (w *wtx) isAdmin() bool { return !w.cmd.Actor.Scoped && w.cmd.Actor.Role != "officer" }

// round reads the round the argument names, which must exist.
func (w *wtx) round() (*cobuild.EvaluationRound, error) {
	name, err := w.required("round")
	if err != nil {
		return nil, err
	}
	if _, _, err := cobuild.ParseRound(name); err != nil {
		return nil, invalid("round", "%s", cobuild.ErrorMessage(err))
	}
	rd, err := readRound(w.run, name)
	if err != nil {
		return nil, err
	}
	if rd == nil {
		return nil, invalid("round", "没有 %s 轮次，请先开启。There is no round %s: open it first.", name, name)
	}
	return rd, nil
}

// touchOnly records ids as touched by the change (their version is set) without the
// follower reading their ties again: rounds, drafts and evaluations are in no network.
func (w *wtx) touchOnly(ids ...string) {
	for _, id := range ids {
		if !slices.Contains(w.c.Touched, id) {
			w.c.Touched = append(w.c.Touched, id)
		}
	}
}

func openRound(w *wtx) error {
	if !w.isAdmin() {
		return forbidden("只有管理员可以开启测评轮次。Only an admin may open an evaluation round.")
	}
	name, err := w.required("round")
	if err != nil {
		return err
	}
	y, m, err := cobuild.ParseRound(name)
	if err != nil {
		return invalid("round", "%s", cobuild.ErrorMessage(err))
	}
	day, err := w.date("roundDate", time.Date(y, m, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	if day.Year() != y || day.Month() != m {
		return invalid("roundDate", "测评日期 %s 不在 %s 轮次的月份内。The day %s is not in the month of round %s.", day.Format(time.DateOnly), name, day.Format(time.DateOnly), name)
	}
	rd, err := readRound(w.run, name)
	if err != nil {
		return err
	}
	if rd != nil {
		return invalid("round", "%s 轮次已经存在（%s）。Round %s exists already (%s).", name, cobuild.Label("RoundStatus", string(rd.Status)), name, rd.Status)
	}
	if err := w.write(); err != nil {
		return err
	}
	if err := w.s.exec(w.ctx, w.tx, `CREATE (:Round {id: $round, round: $round, roundDate: $day, status: 'OPEN', openedAt: datetime(), openedBy: $by})`,
		map[string]any{"round": name, "day": dateParam(day), "by": w.cmd.Actor.Subject}); err != nil {
		return err
	}
	w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: name, Field: "status", After: jsonOf(string(cobuild.RoundOpen))},
		cobuild.Diff{Entity: name, Field: "roundDate", After: jsonOf(day)})
	w.touchOnly(name)
	return nil
}

// scoreRows reads the rows argument: the importer's []cobuild.ScoreRow, or maps.
func (w *wtx) scoreRows() ([]cobuild.ScoreRow, error) {
	switch v := w.cmd.Args["rows"].(type) {
	case []cobuild.ScoreRow:
		return v, nil
	case nil:
		return nil, invalid("rows", "缺少评分。The rows of scores are required.")
	}
	return nil, invalid("rows", "评分格式不正确。The rows are not rows of scores.")
}

// partyOrgAreas reads the areas of party organisations: those of the organisations that
// hold them or that they cover, with the areas holding those, as a read of an officer's
// scope finds them.
func (w *wtx) partyOrgAreas(ids []string) (map[string][]string, error) {
	rows, err := w.run(`MATCH (p:PartyOrg) WHERE p.id IN $ids
		OPTIONAL MATCH (o:Organization)-[:HAS_PARTY_ORG|COVERED_BY]->(p)
		OPTIONAL MATCH (o)-[:LOCATED_IN|IN_PARK]->(a:Area) OPTIONAL MATCH (a)-[:LOCATED_IN]->(up:Area)
		RETURN p.id AS id, collect(DISTINCT a.id) + collect(DISTINCT up.id) AS areas`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		id := r["id"].(string)
		for _, a := range r["areas"].([]any) {
			out[id] = append(out[id], a.(string))
		}
	}
	return out, nil
}

// scopePartyOrgs refuses an officer party organisations outside their areas, and
// records the areas of all of them for the change.
func (w *wtx) scopePartyOrgs(ids []string, field func(id string) string) error {
	areas, err := w.partyOrgAreas(ids)
	if err != nil {
		return err
	}
	a := w.cmd.Actor
	set := map[string]bool{}
	for _, id := range ids {
		ok := !a.Scoped
		for _, x := range areas[id] {
			set[x] = true
			ok = ok || slices.Contains(a.Areas, x)
		}
		if !ok {
			return &cobuild.Error{Code: cobuild.EFORBIDDEN, Message: fmt.Sprintf("%s 不在您的辖区内，您无权为其录入评分。%s lies outside your areas; you may not score it.", id, id),
				Extensions: map[string]any{"role": a.Role, "id": id, "field": field(id)}}
		}
	}
	w.scopeChecked = true
	w.recorded = slices.Sorted(func(yield func(string) bool) {
		for x := range set {
			if !yield(x) {
				return
			}
		}
	})
	return nil
}

func enterScores(w *wtx) error {
	rd, err := w.round()
	if err != nil {
		return err
	}
	rows, err := w.scoreRows()
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return invalid("rows", "没有评分。There are no rows of scores.")
	}
	r := w.s.rules
	seen := map[[2]string]int{}
	var ids []string
	rowOf := map[string]int{}
	for i, row := range rows {
		f := fmt.Sprintf("rows.%d", i)
		if err := cobuild.CheckID(row.PartyOrgID, cobuild.LabelPartyOrg); err != nil {
			return invalid(f+".partyOrganizationId", "编号 %q 不是党组织编号（po-...）。The id %q is not a party organisation's (po-...).", row.PartyOrgID, row.PartyOrgID)
		}
		if _, ok := groupField[row.Group]; !ok {
			return invalid(f+".group", "测评主体 %q 不正确，应为 SELF、PUBLIC 或 COMMITTEE。The group %q is not SELF, PUBLIC or COMMITTEE.", row.Group, row.Group)
		}
		if len(row.Scores) != len(r.DimensionMax) {
			return invalid(f+".scores", "应有 %d 项维度得分，实有 %d 项。There must be %d dimension scores, not %d.", len(r.DimensionMax), len(row.Scores), len(r.DimensionMax), len(row.Scores))
		}
		for j, v := range row.Scores {
			if err := r.CheckDimensionScore(j, v); err != nil {
				return invalid(fmt.Sprintf("%s.scores.%d", f, j), "%s", cobuild.ErrorMessage(err))
			}
		}
		k := [2]string{row.PartyOrgID, string(row.Group)}
		if j, dup := seen[k]; dup {
			return invalid(f, "第 %d 行与第 %d 行是同一党组织同一测评主体的评分。Rows %d and %d score the same party organisation by the same group.", j, i, j, i)
		}
		seen[k] = i
		if _, ok := rowOf[row.PartyOrgID]; !ok {
			rowOf[row.PartyOrgID] = i
			ids = append(ids, row.PartyOrgID)
		}
	}
	field := func(id string) string { return fmt.Sprintf("rows.%d.partyOrganizationId", rowOf[id]) }
	found, err := w.run("MATCH (p:PartyOrg) WHERE p.id IN $ids RETURN p.id AS id, p.kind AS kind", map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	kinds := map[string]string{}
	for _, f := range found {
		kinds[f["id"].(string)] = fmt.Sprint(f["kind"])
	}
	for _, id := range ids {
		kind, ok := kinds[id]
		if !ok {
			return invalid(field(id), "未找到党组织 %s。No party organisation has the id %s.", id, id)
		}
		if !slices.Contains(r.EvaluatedKinds, kind) {
			return invalid(field(id), "%s 是%s，不参加评星定级。%s is a %s, which is not evaluated.", id, cobuild.Label("PartyOrganizationKind", kind), id, kind)
		}
	}
	if err := w.scopePartyOrgs(ids, field); err != nil {
		return err
	}
	if rd.Status == cobuild.RoundFinalised {
		if !w.isAdmin() {
			return &cobuild.Error{Code: cobuild.EFORBIDDEN, Message: fmt.Sprintf("%s 轮次已定级，只有管理员可以更改。Round %s is finalised: only an admin may alter it.", rd.Round, rd.Round),
				Extensions: map[string]any{"role": w.cmd.Actor.Role, "field": "round"}}
		}
		return alterFinalised(w, rd, rows, field)
	}
	return enterDrafts(w, rd, rows)
}

// enterDrafts writes the rows into the drafts of an open round, one statement for all.
func enterDrafts(w *wtx, rd *cobuild.EvaluationRound, rows []cobuild.ScoreRow) error {
	var draftIDs []string
	for _, row := range rows {
		draftIDs = append(draftIDs, rd.Round+"/"+row.PartyOrgID)
	}
	old, err := w.run("MATCH (d:RoundScore) WHERE d.id IN $ids RETURN d.id AS id, properties(d) AS p", map[string]any{"ids": draftIDs})
	if err != nil {
		return err
	}
	before := map[string]map[string]any{}
	for _, o := range old {
		before[o["id"].(string)], _ = o["p"].(map[string]any)
	}
	if err := w.write(); err != nil {
		return err
	}
	var params []map[string]any
	for _, row := range rows {
		id, k := rd.Round+"/"+row.PartyOrgID, groupField[row.Group]
		params = append(params, map[string]any{"id": id, "po": row.PartyOrgID, "props": map[string]any{k: row.Scores}})
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: row.PartyOrgID, Field: rd.Round + "." + k, Before: jsonOf(before[id][k]), After: jsonOf(row.Scores)})
		w.touchOnly(row.PartyOrgID)
	}
	w.touchOnly(rd.Round)
	return w.s.exec(w.ctx, w.tx, `UNWIND $rows AS r
		MERGE (d:RoundScore {id: r.id}) ON CREATE SET d.round = $round, d.partyOrg = r.po, d.createdAt = datetime()
		SET d += r.props, d.updatedAt = datetime()`, map[string]any{"rows": params, "round": rd.Round})
}

// alterFinalised changes the evaluations of a finalised round (an admin's correction):
// each row replaces its group's scores and the final score is weighed again.
func alterFinalised(w *wtx, rd *cobuild.EvaluationRound, rows []cobuild.ScoreRow, field func(string) string) error {
	var ids []string
	for _, row := range rows {
		ids = append(ids, row.PartyOrgID)
	}
	found, err := w.run(`MATCH (p:PartyOrg)-[:EVALUATED]->(e:Evaluation {round: $round}) WHERE p.id IN $ids RETURN p.id AS po, e`,
		map[string]any{"round": rd.Round, "ids": ids})
	if err != nil {
		return err
	}
	evals := map[string]*cobuild.Evaluation{}
	for _, f := range found {
		e, err := decodeAs[*cobuild.Evaluation](f["e"].(dbtype.Node))
		if err != nil {
			return err
		}
		evals[f["po"].(string)] = e
	}
	for _, id := range ids {
		if evals[id] == nil {
			return invalid(field(id), "%s 在已定级的 %s 轮次中没有测评，不能补录。%s was not evaluated in the finalised round %s: it cannot be added.", id, rd.Round, id, rd.Round)
		}
	}
	before := map[string]float64{}
	for po, e := range evals {
		before[po] = e.Score
	}
	for _, row := range rows {
		e := evals[row.PartyOrgID]
		var dims [7]float64
		copy(dims[:], row.Scores)
		old := map[cobuild.EvaluatorGroup]*[7]float64{cobuild.GroupSelf: &e.Self, cobuild.GroupPublic: &e.Public, cobuild.GroupCommittee: &e.Committee}[row.Group]
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: e.ID, Field: groupField[row.Group], Before: jsonOf(old[:]), After: jsonOf(row.Scores)})
		*old = dims
	}
	if err := w.write(); err != nil {
		return err
	}
	var params []map[string]any
	for _, po := range ids {
		e := evals[po]
		score, err := w.s.rules.FinalScore(e.Self, e.Public, e.Committee)
		if err != nil {
			return invalid(field(po), "%s", cobuild.ErrorMessage(err))
		}
		if score != before[po] {
			w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: e.ID, Field: "score", Before: jsonOf(before[po]), After: jsonOf(score)})
		}
		params = append(params, map[string]any{"id": e.ID, "self": e.Self[:], "public": e.Public[:], "committee": e.Committee[:], "score": score})
		w.touchOnly(e.ID)
		if w.c.Entity == "" {
			w.c.Entity = e.ID
		}
	}
	w.touchOnly(rd.Round)
	return w.s.exec(w.ctx, w.tx, `UNWIND $evals AS x MATCH (e:Evaluation {id: x.id})
		SET e.self = x.self, e.public = x.public, e.committee = x.committee, e.score = x.score`, map[string]any{"evals": params})
}

func finaliseRound(w *wtx) error {
	if !w.isAdmin() {
		return forbidden("只有管理员可以定级。Only an admin may finalise a round.")
	}
	rd, err := w.round()
	if err != nil {
		return err
	}
	if rd.Status != cobuild.RoundOpen {
		return invalid("round", "%s 轮次已定级。Round %s is finalised already.", rd.Round, rd.Round)
	}
	r := w.s.rules
	entries, err := w.run(toEvaluate+"\n"+enteredOf, map[string]any{"round": rd.Round, "kinds": r.EvaluatedKinds, "day": dateParam(rd.Date)})
	if err != nil {
		return err
	}
	var incomplete []string
	for _, m := range entries {
		if e := decodeEntry(m); len(e.Missing) > 0 {
			incomplete = append(incomplete, e.PartyOrgID)
		}
	}
	if len(incomplete) > 0 && !w.boolean("leaveOutIncomplete", false) {
		return &cobuild.Error{Code: cobuild.EINVALID,
			Message: fmt.Sprintf("还有 %d 个党组织缺少评分（如 %s），请补齐，或选择不评定它们（leaveOutIncomplete）。%d party organisations lack scores (such as %s): enter them, or leave them out of this round (leaveOutIncomplete).",
				len(incomplete), strings.Join(incomplete[:min(3, len(incomplete))], "、"), len(incomplete), strings.Join(incomplete[:min(3, len(incomplete))], ", ")),
			Extensions: map[string]any{"field": "round", "missing": len(incomplete)}}
	}
	drafts, err := w.run(`MATCH (d:RoundScore {round: $round}) WHERE d.self IS NOT NULL AND d.public IS NOT NULL AND d.committee IS NOT NULL
		MATCH (p:PartyOrg {id: d.partyOrg})
		RETURN d.partyOrg AS po, d.self AS self, d.public AS public, d.committee AS committee ORDER BY po`, map[string]any{"round": rd.Round})
	if err != nil {
		return err
	}
	if len(drafts) == 0 {
		return invalid("round", "没有党组织录齐三类评分，无法定级。No party organisation has the scores of all three groups: there is nothing to finalise.")
	}
	var pos []string
	for _, d := range drafts {
		pos = append(pos, d["po"].(string))
	}
	if err := w.write(); err != nil {
		return err
	}
	ids, err := w.nextIDs(cobuild.LabelEvaluation, len(drafts))
	if err != nil {
		return err
	}
	var params []map[string]any
	for i, d := range drafts {
		p := propsOf(d, "draft")
		self, public, committee := p.scores("self"), p.scores("public"), p.scores("committee")
		if p.err != nil {
			return p.err
		}
		score, err := r.FinalScore(self, public, committee)
		if err != nil {
			return invalid("round", "%s 的评分不符合现行规则：%s。The scores of %s break the rules in force: %s.", pos[i], cobuild.ErrorMessage(err), pos[i], cobuild.ErrorMessage(err))
		}
		params = append(params, map[string]any{"id": ids[i], "po": pos[i], "self": self[:], "public": public[:], "committee": committee[:], "score": score})
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: ids[i], Field: "score", After: jsonOf(score)})
	}
	if err := w.s.exec(w.ctx, w.tx, `UNWIND $evals AS x MATCH (p:PartyOrg {id: x.po})
		CREATE (p)-[:EVALUATED]->(:Evaluation {id: x.id, round: $round, roundDate: $day, self: x.self, public: x.public, committee: x.committee, score: x.score})`,
		map[string]any{"evals": params, "round": rd.Round, "day": dateParam(rd.Date)}); err != nil {
		return err
	}
	if err := w.s.exec(w.ctx, w.tx, `MATCH (r:Round {id: $round}) SET r.status = 'FINALISED', r.finalisedAt = datetime(), r.finalisedBy = $by, r.evaluated = $n`,
		map[string]any{"round": rd.Round, "by": w.cmd.Actor.Subject, "n": len(params)}); err != nil {
		return err
	}
	w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: rd.Round, Field: "status", Before: jsonOf(string(cobuild.RoundOpen)), After: jsonOf(string(cobuild.RoundFinalised))})
	w.touchOnly(rd.Round)
	w.touchOnly(ids...)
	return nil
}

// nextIDs allocates the ids of n new nodes of a label at once.
func (w *wtx) nextIDs(label cobuild.NodeLabel, n int) ([]string, error) {
	first, err := w.nextID(label)
	if err != nil {
		return nil, err
	}
	out := []string{first}
	if n <= 1 {
		return out[:n], nil
	}
	prefix, start := first[:3], 0
	if _, err := fmt.Sscanf(first[3:], "%d", &start); err != nil {
		return nil, fmt.Errorf("allocate ids after %s: %w", first, err)
	}
	for i := 1; i < n; i++ {
		out = append(out, fmt.Sprintf("%s%06d", prefix, start+i))
	}
	key := "next_" + strings.TrimSuffix(prefix, "-")
	if err := w.s.exec(w.ctx, w.tx, "MATCH (l:ChangeLog {id: 'log'}) SET l += $next", map[string]any{"next": map[string]any{key: int64(start + n - 1)}}); err != nil {
		return nil, err
	}
	return out, nil
}

func setRectification(w *wtx) error {
	id := w.str("evaluationId")
	p, _, err := w.node("evaluationId", id, cobuild.LabelEvaluation)
	if err != nil {
		return err
	}
	status := cobuild.RectificationStatus(w.str("status"))
	if !slices.Contains(cobuild.RectificationStatuses, status) {
		return invalid("status", "整改状态 %q 不正确。The rectification status %q is not known.", status, status)
	}
	e := propsOf(p, "evaluation "+id)
	tier, err := w.s.rules.TierOf(e.number("score"))
	if err != nil || e.err != nil {
		return fmt.Errorf("grade evaluation %s: %v %v", id, err, e.err)
	}
	if tier != cobuild.TierWeak {
		return invalid("evaluationId", "%s 的得分 %v 不属软弱涣散，无需整改。%s scores %v, which is not weak: there is nothing to rectify.", id, e.number("score"), id, e.number("score"))
	}
	owner, err := w.run("MATCH (p:PartyOrg)-[:EVALUATED]->(:Evaluation {id: $id}) RETURN p.id AS id", map[string]any{"id": id})
	if err != nil {
		return err
	}
	if len(owner) == 0 {
		return fmt.Errorf("evaluation %s has no party organisation", id)
	}
	if err := w.scopePartyOrgs([]string{owner[0]["id"].(string)}, func(string) string { return "evaluationId" }); err != nil {
		return err
	}
	props := map[string]any{"rectification": string(status), "rectificationNote": w.str("note")}
	if err := w.write(); err != nil {
		return err
	}
	before := e.str("rectification")
	if before == "" {
		before = string(cobuild.RectificationNotStarted)
	}
	w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: id, Field: "rectification", Before: jsonOf(before), After: jsonOf(string(status))})
	if note := w.str("note"); note != e.str("rectificationNote") {
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: id, Field: "rectificationNote", Before: jsonOf(p["rectificationNote"]), After: jsonOf(note)})
	}
	w.touchOnly(id, owner[0]["id"].(string))
	w.c.Entity = id
	return w.s.exec(w.ctx, w.tx, "MATCH (e:Evaluation {id: $id}) SET e += $props, e.rectificationAt = datetime()", map[string]any{"id": id, "props": props})
}
