package neo4jstore

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

var _ cobuild.Reader = (*Store)(nil)

// inForce is the Cypher predicate "tie v holds on $asOf".
func inForce(v string) string {
	return fmt.Sprintf("((%[1]s.since IS NULL OR %[1]s.since <= $asOf) AND (%[1]s.until IS NULL OR %[1]s.until > $asOf))", v)
}

// The coverage and isolation predicates of the organisation bound to variable o, on the
// day $asOf: the Cypher form of cobuild.Rules.CoverageOf, which the integration tests
// compare on every organisation.

func ownPredicate(o string) string {
	return "EXISTS { MATCH (" + o + ")-[r:HAS_PARTY_ORG]->() WHERE " + inForce("r") + " }"
}

func jointPredicate(o string) string {
	return "EXISTS { MATCH (" + o + ")-[r:COVERED_BY]->() WHERE " + inForce("r") + " }"
}

func workPredicate(o string) string {
	return "(EXISTS { MATCH (" + o + ")<-[r:ASSIGNED_TO]-() WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND " + inForce("r") + " }" +
		" OR EXISTS { MATCH (" + o + ")<-[r:FORMED_IN]-() WHERE r.since IS NULL OR r.since <= $asOf })"
}

// connectedPredicate holds when the organisation has a joint-building tie in force.
func connectedPredicate(o string) string {
	return "(EXISTS { MATCH (" + o + ")-[r:MEMBER_OF|CO_BUILDS_WITH|PLACED_AT|APPRENTICED_AT]-() WHERE " + inForce("r") + " }" +
		" OR EXISTS { MATCH (" + o + ")-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $asOf }" +
		" OR EXISTS { MATCH (" + o + ")<-[w:WORKS_AT]-(:Person)-[m:MENTORS]-(:Person) WHERE " + inForce("w") + " AND " + inForce("m") + " })"
}

func coveragePredicate(o string, c cobuild.CoverageStatus) string {
	switch c {
	case cobuild.CoverageOwn:
		return ownPredicate(o)
	case cobuild.CoverageJoint:
		return "(NOT " + ownPredicate(o) + " AND " + jointPredicate(o) + ")"
	case cobuild.CoverageWork:
		return "(NOT " + ownPredicate(o) + " AND NOT " + jointPredicate(o) + " AND " + workPredicate(o) + ")"
	}
	return "(NOT " + ownPredicate(o) + " AND NOT " + jointPredicate(o) + " AND NOT " + workPredicate(o) + ")"
}

// knownTies are the tie types that may be followed; a tie type becomes part of a statement
// only after this check.
var knownTies = map[string]bool{
	"LOCATED_IN": true, "IN_PARK": true, "IN_COMMUNITY": true, "IN_INDUSTRY": true, "HAS_PARTY_ORG": true,
	"COVERED_BY": true, "ASSIGNED_TO": true, "MEMBER_OF": true, "PARTY_TO": true, "CO_BUILDS_WITH": true,
	"ATTENDED": true, "HELD": true, "WORKS_AT": true, "MENTORS": true, "PLACED_AT": true, "APPRENTICED_AT": true,
	"SECONDED_TO": true, "HOLDS": true, "FORMED_IN": true, "BRANCH_OF": true, "RECOMMENDED": true,
	"HELPED_FORM": true, "DESIGNATED": true, "ON_BELT": true, "OWNS_BRAND": true, "EVALUATED": true,
}

// groupByLabel splits ids by the label of their nodes; malformed ids are an EINVALID error.
func groupByLabel(ids []string) (map[string][]string, []string, error) {
	groups := map[string][]string{}
	var labels []string
	for _, id := range ids {
		l, err := cobuild.LabelOf(id)
		if err != nil {
			return nil, nil, err
		}
		if _, ok := groups[l]; !ok {
			labels = append(labels, l)
		}
		groups[l] = append(groups[l], id)
	}
	sort.Strings(labels)
	return groups, labels, nil
}

// NodesByID implements cobuild.Reader: one statement per label among the ids, all in one
// read transaction.
func (s *Store) NodesByID(ctx context.Context, ids []string) (map[string]any, error) {
	groups, labels, err := groupByLabel(ids)
	if err != nil {
		return nil, err
	}
	v, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		out := map[string]any{}
		for _, l := range labels {
			recs, err := s.collect(ctx, tx, fmt.Sprintf("MATCH (n:%s) WHERE n.id IN $ids RETURN n", l), map[string]any{"ids": groups[l]})
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				n, _ := r.Get("n")
				node := n.(dbtype.Node)
				out[str(node.Props, "id")] = decodeNode(node)
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("load nodes: %w", err)
	}
	return v.(map[string]any), nil
}

// Neighbours implements cobuild.Reader.
func (s *Store) Neighbours(ctx context.Context, q cobuild.TieQuery, ids []string) (map[string][]cobuild.Neighbour, error) {
	if !knownTies[q.Type] {
		return nil, fmt.Errorf("neighbours: unknown tie type %q", q.Type)
	}
	groups, labels, err := groupByLabel(ids)
	if err != nil {
		return nil, err
	}
	pattern := map[cobuild.Direction]string{cobuild.Out: "(a)-[r:%s]->(b)", cobuild.In: "(a)<-[r:%s]-(b)", cobuild.Both: "(a)-[r:%s]-(b)"}[q.Dir]
	params := map[string]any{"asOf": nil}
	filter := ""
	if q.AsOf != nil {
		params["asOf"] = dateParam(*q.AsOf)
		filter = "WHERE " + inForce("r")
	}
	v, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		out := map[string][]cobuild.Neighbour{}
		for _, l := range labels {
			params["ids"] = groups[l]
			cypher := fmt.Sprintf("UNWIND $ids AS id MATCH (a:%s {id: id}) MATCH %s %s "+
				"RETURN id, r, b, startNode(r).id AS from, endNode(r).id AS to ORDER BY id, b.id",
				l, fmt.Sprintf(pattern, q.Type), filter)
			recs, err := s.collect(ctx, tx, cypher, params)
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				id, _ := rec.Get("id")
				r, _ := rec.Get("r")
				b, _ := rec.Get("b")
				from, _ := rec.Get("from")
				to, _ := rec.Get("to")
				out[id.(string)] = append(out[id.(string)], cobuild.Neighbour{
					Tie:  decodeTie(r.(dbtype.Relationship), from.(string), to.(string)),
					Node: decodeNode(b.(dbtype.Node)),
				})
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("follow %s ties: %w", q.Type, err)
	}
	return v.(map[string][]cobuild.Neighbour), nil
}

// CoverageFacts implements cobuild.Reader.
func (s *Store) CoverageFacts(ctx context.Context, ids []string, asOf time.Time) (map[string]cobuild.CoverageFacts, error) {
	recs, err := s.readRecords(ctx, `
		UNWIND $ids AS id MATCH (o:Organization {id: id})
		RETURN id, o.partyMembers AS members,
		  COUNT { MATCH (o)-[r:HAS_PARTY_ORG]->() WHERE `+inForce("r")+` } AS own,
		  [(o)-[r:COVERED_BY]->() WHERE `+inForce("r")+` | r.mode] AS modes,
		  COUNT { MATCH (o)<-[r:ASSIGNED_TO {role: 'INSTRUCTOR'}]-() WHERE `+inForce("r")+` } AS instructors,
		  COUNT { MATCH (o)<-[r:ASSIGNED_TO {role: 'LIAISON'}]-() WHERE `+inForce("r")+` } AS liaisons,
		  COUNT { MATCH (o)<-[r:FORMED_IN]-() WHERE r.since IS NULL OR r.since <= $asOf } AS mass,
		  CASE WHEN `+connectedPredicate("o")+` THEN 1 ELSE 0 END AS joint`,
		map[string]any{"ids": ids, "asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("load coverage facts: %w", err)
	}
	out := map[string]cobuild.CoverageFacts{}
	for _, r := range recs {
		m := r.AsMap()
		f := cobuild.CoverageFacts{
			OwnPartyOrgs: int(m["own"].(int64)), Instructors: int(m["instructors"].(int64)),
			Liaisons: int(m["liaisons"].(int64)), MassBranches: int(m["mass"].(int64)), JointTies: int(m["joint"].(int64)),
			PartyMembers: integer(m, "members"),
		}
		modes, _ := m["modes"].([]any)
		for _, mode := range modes {
			s, _ := mode.(string)
			f.CoveredModes = append(f.CoveredModes, s)
		}
		slices.Sort(f.CoveredModes) // the census reads them in another order
		out[m["id"].(string)] = f
	}
	return out, nil
}

// LatestEvaluations implements cobuild.Reader.
func (s *Store) LatestEvaluations(ctx context.Context, partyOrgIDs []string) (map[string]*cobuild.Evaluation, error) {
	recs, err := s.readRecords(ctx, `
		UNWIND $ids AS id MATCH (p:PartyOrg {id: id})-[:EVALUATED]->(e:Evaluation)
		WITH id, e ORDER BY e.round DESC
		WITH id, collect(e)[0] AS e RETURN id, e`, map[string]any{"ids": partyOrgIDs})
	if err != nil {
		return nil, fmt.Errorf("load latest evaluations: %w", err)
	}
	out := map[string]*cobuild.Evaluation{}
	for _, r := range recs {
		id, _ := r.Get("id")
		e, _ := r.Get("e")
		ev := decodeNode(e.(dbtype.Node)).(*cobuild.Evaluation)
		ev.PartyOrgID = id.(string)
		out[id.(string)] = ev
	}
	return out, nil
}

// Attendance implements cobuild.Reader.
func (s *Store) Attendance(ctx context.Context, eventIDs []string) (map[string]int, error) {
	recs, err := s.readRecords(ctx, `UNWIND $ids AS id MATCH (e:Event {id: id})
		RETURN id, COUNT { (e)<-[:ATTENDED]-() } AS n`, map[string]any{"ids": eventIDs})
	if err != nil {
		return nil, fmt.Errorf("count attendance: %w", err)
	}
	out := map[string]int{}
	for _, r := range recs {
		m := r.AsMap()
		out[m["id"].(string)] = int(m["n"].(int64))
	}
	return out, nil
}

func (s *Store) oneOrganization(ctx context.Context, cypher string, params map[string]any) (*cobuild.Organization, error) {
	recs, err := s.readRecords(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	n, _ := recs[0].Get("n")
	return decodeNode(n.(dbtype.Node)).(*cobuild.Organization), nil
}

// OrganizationByCreditCode implements cobuild.Reader; a malformed code is EINVALID and an
// unknown one is nil.
func (s *Store) OrganizationByCreditCode(ctx context.Context, code string) (*cobuild.Organization, error) {
	if err := cobuild.ValidateCreditCode(code); err != nil {
		return nil, err
	}
	return s.oneOrganization(ctx, "MATCH (n:Organization {creditCode: $code}) RETURN n", map[string]any{"code": code})
}

// OrganizationByName implements cobuild.Reader: the organisation with exactly this name
// (the first by id if several share it), nil if none.
func (s *Store) OrganizationByName(ctx context.Context, name string) (*cobuild.Organization, error) {
	return s.oneOrganization(ctx, "MATCH (n:Organization {name: $name}) RETURN n ORDER BY n.id LIMIT 1", map[string]any{"name": name})
}

var orgSorts = map[string]sortKey{
	"NAME":          {"coalesce(n.name, '')", kindString},
	"HEADCOUNT":     {"coalesce(n.headcount, 0)", kindInt},
	"PARTY_MEMBERS": {"coalesce(n.partyMembers, 0)", kindInt},
	"REGISTERED_ON": {"coalesce(n.registeredOn, date('1900-01-01'))", kindDate},
	// The newest evaluation score of its own party organisations; -1 without one.
	"SCORE": {"coalesce(head(COLLECT { MATCH (n)-[:HAS_PARTY_ORG]->(:PartyOrg)-[:EVALUATED]->(e:Evaluation)" +
		" RETURN e.score ORDER BY e.round DESC, e.score DESC }), -1.0)", kindFloat},
	// Joint-building ties in force on the filter's day, mentor links included.
	"TIES": {"(COUNT { MATCH (n)-[r:MEMBER_OF|CO_BUILDS_WITH|PLACED_AT|APPRENTICED_AT]-() WHERE " + inForce("r") + " }" +
		" + COUNT { MATCH (n)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $asOf }" +
		" + COUNT { MATCH (n)<-[w:WORKS_AT]-(:Person)-[m:MENTORS]-(:Person) WHERE " + inForce("w") + " AND " + inForce("m") + " })", kindInt},
}

// orgQuery turns a filter into the match and predicates of a list of organisations.
func (s *Store) orgQuery(ctx context.Context, f cobuild.OrgFilter) (listQuery, error) {
	q := listQuery{match: "MATCH (n:Organization)", params: map[string]any{"asOf": dateParam(f.AsOf)}}
	add := func(pred string, name string, v any) {
		q.where = append(q.where, pred)
		if name != "" {
			q.params[name] = v
		}
	}
	if len(f.Kinds) > 0 {
		add("n.kind IN $kinds", "kinds", f.Kinds)
	}
	if len(f.Sectors) > 0 {
		add("n.sector IN $sectors", "sectors", f.Sectors)
	}
	related := []struct {
		id, label, pattern, param string
	}{
		{f.AreaID, "Area", "EXISTS { MATCH (n)-[:LOCATED_IN]->(:Area)-[:LOCATED_IN*0..1]->(:Area {id: $areaId}) }", "areaId"},
		{f.ParkID, "Area", "EXISTS { MATCH (n)-[:IN_PARK]->(:Area {id: $parkId}) }", "parkId"},
		{f.CommunityID, "Organization", "EXISTS { MATCH (n)-[:IN_COMMUNITY]->(:Organization {id: $communityId}) }", "communityId"},
		{f.IndustryID, "Industry", "EXISTS { MATCH (n)-[:IN_INDUSTRY]->(:Industry {id: $industryId}) }", "industryId"},
		{f.CoveredByID, "PartyOrg", "EXISTS { MATCH (n)-[r:COVERED_BY]->(:PartyOrg {id: $coveredById}) WHERE " + inForce("r") + " }", "coveredById"},
	}
	for _, rel := range related {
		if rel.id == "" {
			continue
		}
		if err := cobuild.CheckID(rel.id, rel.label); err != nil {
			return q, err
		}
		add(rel.pattern, rel.param, rel.id)
	}
	if f.MemberOfID != "" {
		l, err := cobuild.LabelOf(f.MemberOfID)
		if err != nil {
			return q, err
		}
		if l != "Alliance" && l != "RedZone" {
			return q, cobuild.Errorf(cobuild.EINVALID, "memberOfId %q names a %s, not an alliance or red zone", f.MemberOfID, l)
		}
		add(fmt.Sprintf("EXISTS { MATCH (n)-[r:MEMBER_OF]->(:%s {id: $memberOfId}) WHERE %s }", l, inForce("r")), "memberOfId", f.MemberOfID)
	}
	if f.AboveScale != nil {
		add("n.aboveScale = $aboveScale", "aboveScale", *f.AboveScale)
	}
	if f.Operating != nil {
		add("n.operating = $operating", "operating", *f.Operating)
	}
	if len(f.SizeBands) > 0 {
		var ors []string
		for _, b := range f.SizeBands {
			switch b {
			case cobuild.SizeMicro:
				ors = append(ors, "n.headcount < 10")
			case cobuild.SizeSmall:
				ors = append(ors, "(n.headcount >= 10 AND n.headcount < 100)")
			case cobuild.SizeMedium:
				ors = append(ors, "(n.headcount >= 100 AND n.headcount < 300)")
			case cobuild.SizeLarge:
				ors = append(ors, "n.headcount >= 300")
			}
		}
		add("("+strings.Join(ors, " OR ")+")", "", nil)
	}
	if f.PartyMembersMin != nil {
		add("n.partyMembers >= $pmMin", "pmMin", *f.PartyMembersMin)
	}
	if f.PartyMembersMax != nil {
		add("n.partyMembers <= $pmMax", "pmMax", *f.PartyMembersMax)
	}
	if f.IDs != nil {
		add("n.id IN $ids", "ids", f.IDs)
	}
	if len(f.Coverage) > 0 {
		var ors []string
		for _, c := range f.Coverage {
			ors = append(ors, coveragePredicate("n", c))
		}
		add("("+strings.Join(ors, " OR ")+")", "", nil)
	}
	if f.Isolated != nil {
		if *f.Isolated {
			add("NOT "+connectedPredicate("n"), "", nil)
		} else {
			add(connectedPredicate("n"), "", nil)
		}
	}
	if f.ShouldHaveOwn != nil {
		pred := "(n.partyMembers >= $ownMin AND NOT " + ownPredicate("n") + ")"
		if !*f.ShouldHaveOwn {
			pred = "NOT " + pred
		}
		add(pred, "ownMin", s.rules.OwnOrgMinMembers)
	}
	if len(f.Tiers) > 0 {
		round := f.Round
		if round == "" {
			var err error
			if round, err = s.newestRound(ctx); err != nil {
				return q, err
			}
		}
		// The party organisation that was its own on the day of the round.
		add("EXISTS { MATCH (n)-[h:HAS_PARTY_ORG]->(:PartyOrg)-[:EVALUATED]->(e:Evaluation {round: $round}) "+
			"WHERE (h.since IS NULL OR h.since <= e.roundDate) AND (h.until IS NULL OR h.until > e.roundDate) AND "+
			s.tierPredicate("e", f.Tiers, q.params)+" }", "round", round)
	}
	if f.NameContains != "" {
		add("n.name CONTAINS $name", "name", f.NameContains)
	}
	return q, nil
}

// Organizations implements cobuild.Reader.
func (s *Store) Organizations(ctx context.Context, f cobuild.OrgFilter, srt cobuild.Sort, p cobuild.PageArgs) (cobuild.Page[*cobuild.Organization], error) {
	q, err := s.orgQuery(ctx, f)
	if err == nil {
		err = q.sortBy(orgSorts, srt, "NAME")
	}
	return listPage[*cobuild.Organization](ctx, s, "organisations", q, err, p, nil)
}

// CountOrganizations implements cobuild.Reader.
func (s *Store) CountOrganizations(ctx context.Context, f cobuild.OrgFilter) (int, error) {
	q, err := s.orgQuery(ctx, f)
	return s.countOf(ctx, q, err)
}

// tierPredicate is "evaluation e has one of these tiers", as score ranges from the rules.
func (s *Store) tierPredicate(e string, tiers []cobuild.Tier, params map[string]any) string {
	var ors []string
	for i, t := range tiers {
		lo, hi := s.rules.TierRange(t)
		params[fmt.Sprintf("tierLo%d", i)], params[fmt.Sprintf("tierHi%d", i)] = lo, hi
		ors = append(ors, fmt.Sprintf("(%[1]s.score >= $tierLo%[2]d AND %[1]s.score < $tierHi%[2]d)", e, i))
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

func (s *Store) newestRound(ctx context.Context) (string, error) {
	recs, err := s.readRecords(ctx, "MATCH (e:Evaluation) RETURN max(e.round) AS r", nil)
	if err != nil {
		return "", err
	}
	r, _ := recs[0].Get("r")
	round, _ := r.(string)
	return round, nil
}

func (s *Store) partyOrgQuery(ctx context.Context, f cobuild.PartyOrgFilter) (listQuery, error) {
	q := listQuery{match: "MATCH (n:PartyOrg)", params: map[string]any{}}
	if len(f.Kinds) > 0 {
		q.where = append(q.where, "n.kind IN $kinds")
		q.params["kinds"] = f.Kinds
	}
	if f.NameContains != "" {
		q.where = append(q.where, "n.name CONTAINS $name")
		q.params["name"] = f.NameContains
	}
	if len(f.Tiers) > 0 {
		round := f.Round
		if round == "" {
			var err error
			if round, err = s.newestRound(ctx); err != nil {
				return q, err
			}
		}
		q.params["round"] = round
		q.where = append(q.where, "EXISTS { MATCH (n)-[:EVALUATED]->(e:Evaluation {round: $round}) WHERE "+s.tierPredicate("e", f.Tiers, q.params)+" }")
	}
	return q, nil
}

// PartyOrgs implements cobuild.Reader.
func (s *Store) PartyOrgs(ctx context.Context, f cobuild.PartyOrgFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.PartyOrg], error) {
	q, err := s.partyOrgQuery(ctx, f)
	q.sortField, q.sortExpr, q.sortKind = "NAME", "coalesce(n.name, '')", kindString
	return listPage[*cobuild.PartyOrg](ctx, s, "party organisations", q, err, p, nil)
}

// CountPartyOrgs implements cobuild.Reader.
func (s *Store) CountPartyOrgs(ctx context.Context, f cobuild.PartyOrgFilter) (int, error) {
	q, err := s.partyOrgQuery(ctx, f)
	return s.countOf(ctx, q, err)
}

func (s *Store) evaluationQuery(f cobuild.EvaluationFilter) (listQuery, error) {
	q := listQuery{match: "MATCH (po:PartyOrg)-[:EVALUATED]->(n:Evaluation)", params: map[string]any{}, returns: ", po.id AS po"}
	if f.Round != "" {
		q.where = append(q.where, "n.round = $round")
		q.params["round"] = f.Round
	}
	if len(f.Tiers) > 0 {
		q.where = append(q.where, s.tierPredicate("n", f.Tiers, q.params))
	}
	if f.ScoreMin != nil {
		q.where = append(q.where, "n.score >= $scoreMin")
		q.params["scoreMin"] = *f.ScoreMin
	}
	if f.ScoreMax != nil {
		q.where = append(q.where, "n.score <= $scoreMax")
		q.params["scoreMax"] = *f.ScoreMax
	}
	if f.PartyOrgID != "" {
		if err := cobuild.CheckID(f.PartyOrgID, "PartyOrg"); err != nil {
			return q, err
		}
		q.where = append(q.where, "po.id = $po")
		q.params["po"] = f.PartyOrgID
	}
	if len(f.Stars) > 0 {
		// Stars are a function of the score; the rule lives in Go, so the predicate lists
		// the score ranges of every tier and star asked for (0 stars is weak).
		var ors []string
		i := 0
		for _, star := range f.Stars {
			if star < 0 || star > s.rules.MaxStars {
				return q, cobuild.Errorf(cobuild.EINVALID, "stars must be between 0 (weak) and %d", s.rules.MaxStars)
			}
			for _, t := range cobuild.Tiers {
				lo, hi, ok := s.rules.StarRange(t, star)
				if !ok {
					continue
				}
				q.params[fmt.Sprintf("starLo%d", i)], q.params[fmt.Sprintf("starHi%d", i)] = lo, hi
				ors = append(ors, fmt.Sprintf("(n.score >= $starLo%[1]d AND n.score < $starHi%[1]d)", i))
				i++
			}
		}
		if len(ors) == 0 {
			ors = append(ors, "false")
		}
		q.where = append(q.where, "("+strings.Join(ors, " OR ")+")")
	}
	return q, nil
}

var evaluationSorts = map[string]sortKey{
	"SCORE": {"coalesce(n.score, 0.0)", kindFloat},
	"ROUND": {"coalesce(n.round, '')", kindString},
}

// Evaluations implements cobuild.Reader.
func (s *Store) Evaluations(ctx context.Context, f cobuild.EvaluationFilter, srt cobuild.Sort, p cobuild.PageArgs) (cobuild.Page[*cobuild.Evaluation], error) {
	q, err := s.evaluationQuery(f)
	if err == nil {
		err = q.sortBy(evaluationSorts, srt, "SCORE")
	}
	return listPage(ctx, s, "evaluations", q, err, p, func(r *neo4j.Record, e *cobuild.Evaluation) {
		po, _ := r.Get("po")
		e.PartyOrgID, _ = po.(string)
	})
}

// CountEvaluations implements cobuild.Reader.
func (s *Store) CountEvaluations(ctx context.Context, f cobuild.EvaluationFilter) (int, error) {
	q, err := s.evaluationQuery(f)
	return s.countOf(ctx, q, err)
}

// Rounds implements cobuild.Reader.
func (s *Store) Rounds(ctx context.Context) ([]cobuild.Round, error) {
	recs, err := s.readRecords(ctx, `MATCH (e:Evaluation)
		RETURN e.round AS round, min(e.roundDate) AS date, count(*) AS n ORDER BY round DESC`, nil)
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	var out []cobuild.Round
	for _, r := range recs {
		m := r.AsMap()
		rd := cobuild.Round{Round: str(m, "round"), Evaluated: integer(m, "n")}
		if d := date(m, "date"); d != nil {
			rd.Date = *d
		}
		out = append(out, rd)
	}
	return out, nil
}

// RoundEvaluations implements cobuild.Reader.
func (s *Store) RoundEvaluations(ctx context.Context, rounds []string) ([]*cobuild.Evaluation, error) {
	recs, err := s.readRecords(ctx, `MATCH (p:PartyOrg)-[:EVALUATED]->(e:Evaluation) WHERE e.round IN $rounds
		RETURN p.id AS po, e ORDER BY e.id`, map[string]any{"rounds": rounds})
	if err != nil {
		return nil, fmt.Errorf("read the evaluations of rounds %v: %w", rounds, err)
	}
	out := make([]*cobuild.Evaluation, 0, len(recs))
	for _, r := range recs {
		po, _ := r.Get("po")
		e, _ := r.Get("e")
		ev := decodeNode(e.(dbtype.Node)).(*cobuild.Evaluation)
		ev.PartyOrgID, _ = po.(string)
		out = append(out, ev)
	}
	return out, nil
}

func eventQuery(f cobuild.EventFilter) (listQuery, error) {
	q := listQuery{match: "MATCH (n:Event)", params: map[string]any{}}
	if len(f.Kinds) > 0 {
		q.where = append(q.where, "n.kind IN $kinds")
		q.params["kinds"] = f.Kinds
	}
	if f.PartyID != "" {
		l, err := cobuild.LabelOf(f.PartyID)
		if err != nil {
			return q, err
		}
		if l != "Alliance" && l != "Agreement" && l != "Organization" && l != "Person" {
			return q, cobuild.Errorf(cobuild.EINVALID, "partyId %q names a %s; events are held or attended by alliances, agreements, organisations and people", f.PartyID, l)
		}
		q.where = append(q.where, fmt.Sprintf("EXISTS { MATCH (n)<-[:HELD|ATTENDED]-(:%s {id: $party}) }", l))
		q.params["party"] = f.PartyID
	}
	if f.From != nil {
		q.where = append(q.where, "n.date >= $from")
		q.params["from"] = dateParam(*f.From)
	}
	if f.To != nil {
		q.where = append(q.where, "n.date <= $to")
		q.params["to"] = dateParam(*f.To)
	}
	q.sortField, q.sortExpr, q.sortKind = "DATE", "coalesce(n.date, date('1900-01-01'))", kindDate
	return q, nil
}

// Events implements cobuild.Reader: events by date.
func (s *Store) Events(ctx context.Context, f cobuild.EventFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.Event], error) {
	q, err := eventQuery(f)
	return listPage[*cobuild.Event](ctx, s, "events", q, err, p, nil)
}

// CountEvents implements cobuild.Reader.
func (s *Store) CountEvents(ctx context.Context, f cobuild.EventFilter) (int, error) {
	q, err := eventQuery(f)
	return s.countOf(ctx, q, err)
}

// EventTotals implements cobuild.Reader.
func (s *Store) EventTotals(ctx context.Context, f cobuild.EventFilter) (cobuild.EventTotals, error) {
	q, err := eventQuery(f)
	if err != nil {
		return cobuild.EventTotals{}, err
	}
	recs, err := s.readRecords(ctx, fmt.Sprintf("%s %s RETURN sum(coalesce(n.personTimes, 0)) AS pt, sum(COUNT { (n)<-[:ATTENDED]-() }) AS att",
		q.match, q.whereClause()), q.params)
	if err != nil {
		return cobuild.EventTotals{}, fmt.Errorf("sum events: %w", err)
	}
	m := recs[0].AsMap()
	return cobuild.EventTotals{PersonTimes: integer(m, "pt"), Attendance: integer(m, "att")}, nil
}

var personRolePredicates = map[string]string{
	"INSTRUCTOR": "EXISTS { MATCH (n)-[r:ASSIGNED_TO {role: 'INSTRUCTOR'}]->() WHERE " + inForce("r") + " }",
	"LIAISON":    "EXISTS { MATCH (n)-[r:ASSIGNED_TO {role: 'LIAISON'}]->() WHERE " + inForce("r") + " }",
	"MENTOR":     "EXISTS { MATCH (n)-[r:MENTORS]->() WHERE " + inForce("r") + " }",
	// Programme roles are cumulative, as the source counts them: placed, trained or
	// seconded by the day, whether or not the placement still runs.
	"RECRUIT":      "EXISTS { MATCH (n)-[r:PLACED_AT]->() WHERE r.since IS NULL OR r.since <= $asOf }",
	"APPRENTICE":   "EXISTS { MATCH (n)-[r:APPRENTICED_AT]->() WHERE r.since IS NULL OR r.since <= $asOf }",
	"PARTY_WORKER": "EXISTS { MATCH (n)-[r:WORKS_AT]->() WHERE r.role IN ['PARTY_WORKER', 'SECRETARY'] AND " + inForce("r") + " }",
	"SECONDED":     "EXISTS { MATCH (n)-[r:SECONDED_TO]->() WHERE r.since IS NULL OR r.since <= $asOf }",
}

func personQuery(f cobuild.PersonFilter) (listQuery, error) {
	q := listQuery{match: "MATCH (n:Person)", params: map[string]any{"asOf": dateParam(f.AsOf)}}
	for _, role := range f.Roles {
		pred, ok := personRolePredicates[role]
		if !ok {
			return q, cobuild.Errorf(cobuild.EINVALID, "unknown person role %q", role)
		}
		q.where = append(q.where, pred)
	}
	if f.NameContains != "" {
		q.where = append(q.where, "n.name CONTAINS $name")
		q.params["name"] = f.NameContains
	}
	if f.OrganizationID != "" {
		if err := cobuild.CheckID(f.OrganizationID, "Organization"); err != nil {
			return q, err
		}
		q.where = append(q.where, "EXISTS { MATCH (n)-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT]->(:Organization {id: $org}) }")
		q.params["org"] = f.OrganizationID
	}
	q.sortField, q.sortExpr, q.sortKind = "NAME", "coalesce(n.name, '')", kindString
	return q, nil
}

// People implements cobuild.Reader.
func (s *Store) People(ctx context.Context, f cobuild.PersonFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.Person], error) {
	q, err := personQuery(f)
	return listPage[*cobuild.Person](ctx, s, "people", q, err, p, nil)
}

// CountPeople implements cobuild.Reader.
func (s *Store) CountPeople(ctx context.Context, f cobuild.PersonFilter) (int, error) {
	q, err := personQuery(f)
	return s.countOf(ctx, q, err)
}

func certificationQuery(f cobuild.CertificationFilter) listQuery {
	q := listQuery{match: "MATCH (n:Certification)", params: map[string]any{}}
	if len(f.Statuses) > 0 {
		q.where = append(q.where, "n.status IN $statuses")
		q.params["statuses"] = f.Statuses
	}
	q.sortField, q.sortExpr, q.sortKind = "ID", "n.id", kindString
	return q
}

// Certifications implements cobuild.Reader.
func (s *Store) Certifications(ctx context.Context, f cobuild.CertificationFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.Certification], error) {
	return listPage[*cobuild.Certification](ctx, s, "certifications", certificationQuery(f), nil, p, nil)
}

// CountCertifications implements cobuild.Reader.
func (s *Store) CountCertifications(ctx context.Context, f cobuild.CertificationFilter) (int, error) {
	return s.count(ctx, certificationQuery(f))
}

func massBranchQuery(f cobuild.MassBranchFilter) listQuery {
	q := listQuery{match: "MATCH (n:MassBranch)", params: map[string]any{}}
	if len(f.Kinds) > 0 {
		q.where = append(q.where, "n.kind IN $kinds")
		q.params["kinds"] = f.Kinds
	}
	if f.Recommended != nil {
		pred := "EXISTS { (n)-[:RECOMMENDED]->() }"
		if !*f.Recommended {
			pred = "NOT " + pred
		}
		q.where = append(q.where, pred)
	}
	if f.HelpedForm != nil {
		pred := "EXISTS { (n)-[:HELPED_FORM]->() }"
		if !*f.HelpedForm {
			pred = "NOT " + pred
		}
		q.where = append(q.where, pred)
	}
	q.sortField, q.sortExpr, q.sortKind = "ID", "n.id", kindString
	return q
}

// MassBranches implements cobuild.Reader.
func (s *Store) MassBranches(ctx context.Context, f cobuild.MassBranchFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.MassBranch], error) {
	return listPage[*cobuild.MassBranch](ctx, s, "mass branches", massBranchQuery(f), nil, p, nil)
}

// CountMassBranches implements cobuild.Reader.
func (s *Store) CountMassBranches(ctx context.Context, f cobuild.MassBranchFilter) (int, error) {
	return s.count(ctx, massBranchQuery(f))
}

var hubLabels = map[string]bool{"Alliance": true, "Agreement": true, "RedZone": true, "DemoBelt": true,
	"DemoSite": true, "Brand": true, "Area": true, "Industry": true}

var propName = regexp.MustCompile(`^[a-z][A-Za-z]*$`)

// Hubs implements cobuild.Reader.
func (s *Store) Hubs(ctx context.Context, label string, match map[string]any) ([]any, error) {
	if !hubLabels[label] {
		return nil, fmt.Errorf("hubs: %q is not a small label", label)
	}
	for k := range match {
		if !propName.MatchString(k) {
			return nil, fmt.Errorf("hubs: bad property name %q", k)
		}
	}
	if match == nil {
		match = map[string]any{}
	}
	recs, err := s.readRecords(ctx, fmt.Sprintf("MATCH (n:%s) WHERE all(k IN keys($match) WHERE n[k] = $match[k]) RETURN n ORDER BY n.name, n.id", label),
		map[string]any{"match": match})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", label, err)
	}
	out := make([]any, 0, len(recs))
	for _, r := range recs {
		n, _ := r.Get("n")
		out = append(out, decodeNode(n.(dbtype.Node)))
	}
	return out, nil
}

// HubByName implements cobuild.Reader; nil when no node has the name.
func (s *Store) HubByName(ctx context.Context, label, name string) (any, error) {
	if !hubLabels[label] {
		return nil, fmt.Errorf("hub by name: %q is not a small label", label)
	}
	recs, err := s.readRecords(ctx, fmt.Sprintf("MATCH (n:%s {name: $name}) RETURN n ORDER BY n.id LIMIT 1", label), map[string]any{"name": name})
	if err != nil {
		return nil, fmt.Errorf("find %s by name: %w", label, err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	n, _ := recs[0].Get("n")
	return decodeNode(n.(dbtype.Node)), nil
}
