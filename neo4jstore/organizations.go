package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

var _ cobuild.Reader = (*Store)(nil)

// lookup reads the one node of a label that match binds to v (or none), with what f asks
// for along with it; then, when given, runs tail (such as the order that picks one of
// several). Within a scope, it finds the node among those in scope.
func lookup[T any](ctx context.Context, s *Store, what string, label cobuild.NodeLabel, match, tail string, params map[string]any, f *cobuild.Fetch) (T, *cobuild.Fetched, error) {
	var zero T
	n, err := s.narrowing(ctx)
	if err != nil {
		return zero, nil, err
	}
	match += n.where("v", label) + " " + tail
	params = n.bind(params)
	x, err := expansionOf("v", f, n)
	if err != nil {
		return zero, nil, err
	}
	out := cobuild.NewFetched()
	rows, err := query(ctx, s, match+" "+x.returning("v", "", params, n), params, func(r *neo4j.Record) (any, error) { return expanded(r, "v", x, out, n.scope) })
	if err != nil {
		return zero, nil, fmt.Errorf("find %s: %w", what, err)
	}
	if len(rows) == 0 {
		return zero, out, nil
	}
	v, ok := rows[0].(T)
	if !ok {
		return zero, nil, fmt.Errorf("find %s: found a %T", what, rows[0])
	}
	return v, out, nil
}

// OrganizationByCreditCode implements cobuild.OrganizationReader.
func (s *Store) OrganizationByCreditCode(ctx context.Context, code string, with *cobuild.Fetch) (*cobuild.Organization, *cobuild.Fetched, error) {
	if err := cobuild.ValidateCreditCode(code); err != nil {
		return nil, nil, err
	}
	return lookup[*cobuild.Organization](ctx, s, "organisation by credit code", cobuild.LabelOrganization,
		"MATCH (v:Organization {creditCode: $code})", "", map[string]any{"code": code}, with)
}

// OrganizationByName implements cobuild.OrganizationReader.
func (s *Store) OrganizationByName(ctx context.Context, name string, with *cobuild.Fetch) (*cobuild.Organization, *cobuild.Fetched, error) {
	return lookup[*cobuild.Organization](ctx, s, "organisation by name", cobuild.LabelOrganization,
		"MATCH (v:Organization {name: $name})", "WITH v ORDER BY v.id LIMIT 1", map[string]any{"name": name}, with)
}

var orgSorts = map[string]sortKey{
	"NAME":          {"coalesce(n.name, '')", cobuild.SortString},
	"HEADCOUNT":     {"coalesce(n.headcount, 0)", cobuild.SortInt},
	"PARTY_MEMBERS": {"coalesce(n.partyMembers, 0)", cobuild.SortInt},
	"REGISTERED_ON": {"coalesce(n.registeredOn, date('1900-01-01'))", cobuild.SortDate},
	// The newest evaluation score of its own party organisations; -1 without one.
	"SCORE": {"coalesce(head(COLLECT { MATCH (n)-[:HAS_PARTY_ORG]->(:PartyOrg)-[:EVALUATED]->(e:Evaluation)" +
		" RETURN e.score ORDER BY e.round DESC, e.score DESC }), -1.0)", cobuild.SortFloat},
	// Its joint-building ties in force on the filter's day, each tie once.
	"TIES": {jointTieCount("n", "$asOf"), cobuild.SortInt},
}

// anchor is a condition of an organisation filter that names one node: the list may start
// from that node (start), which is far more selective than scanning every organisation,
// or test it of each row (test).
type anchor struct {
	id, param   string
	label       cobuild.NodeLabel
	start, test string // {n} is the organisation's label expression in start
}

// orgQuery turns a filter into the match and predicates of a list of organisations. The
// match starts from the most selective node the filter names (an alliance, a party
// organisation, a community, a park, an area, an industry), else from the kind's label;
// the other conditions are tested of the rows found.
func (s *Store) orgQuery(ctx context.Context, f cobuild.OrgFilter) (listQuery, error) {
	q := listQuery{label: cobuild.LabelOrganization, params: map[string]any{"asOf": dateParam(f.AsOf)}}
	add := func(pred string, name string, v any) {
		q.where = append(q.where, pred)
		if name != "" {
			q.params[name] = v
		}
	}
	label := "Organization"
	if len(f.Kinds) == 1 {
		label += ":" + f.Kinds[0].KindLabel()
	} else if len(f.Kinds) > 1 {
		add("n.kind IN $kinds", "kinds", f.Kinds)
	}
	memberLabel := cobuild.LabelAlliance
	if f.MemberOfID != "" {
		l, err := cobuild.LabelOf(f.MemberOfID)
		if err != nil {
			return q, err
		}
		if l != cobuild.LabelAlliance && l != cobuild.LabelRedZone {
			return q, cobuild.Errorf(cobuild.EINVALID, "memberOfId %q names a %s, not an alliance or red zone", f.MemberOfID, l)
		}
		memberLabel = l
	}
	anchors := []anchor{
		{f.MemberOfID, "memberOfId", memberLabel,
			"MATCH (:" + string(memberLabel) + " {id: $memberOfId})<-[ar:MEMBER_OF]-(n:{n}) WHERE " + inForce("ar", "$asOf") + " WITH DISTINCT n",
			"EXISTS { MATCH (n)-[ar:MEMBER_OF]->(:" + string(memberLabel) + " {id: $memberOfId}) WHERE " + inForce("ar", "$asOf") + " }"},
		{f.CoveredByID, "coveredById", cobuild.LabelPartyOrg,
			"MATCH (:PartyOrg {id: $coveredById})<-[ar:COVERED_BY]-(n:{n}) WHERE " + inForce("ar", "$asOf") + " WITH DISTINCT n",
			"EXISTS { MATCH (n)-[ar:COVERED_BY]->(:PartyOrg {id: $coveredById}) WHERE " + inForce("ar", "$asOf") + " }"},
		{f.CommunityID, "communityId", cobuild.LabelOrganization,
			"MATCH (:Organization {id: $communityId})<-[:IN_COMMUNITY]-(n:{n})",
			"EXISTS { MATCH (n)-[:IN_COMMUNITY]->(:Organization {id: $communityId}) }"},
		{f.ParkID, "parkId", cobuild.LabelArea,
			"MATCH (:Area {id: $parkId})<-[:IN_PARK]-(n:{n})",
			"EXISTS { MATCH (n)-[:IN_PARK]->(:Area {id: $parkId}) }"},
		{f.AreaID, "areaId", cobuild.LabelArea,
			"MATCH (:Area {id: $areaId})<-[:LOCATED_IN*0..1]-(:Area)<-[:LOCATED_IN]-(n:{n})",
			"EXISTS { MATCH (n)-[:LOCATED_IN]->(:Area)-[:LOCATED_IN*0..1]->(:Area {id: $areaId}) }"},
		{f.IndustryID, "industryId", cobuild.LabelIndustry,
			"MATCH (:Industry {id: $industryId})<-[:IN_INDUSTRY]-(n:{n})",
			"EXISTS { MATCH (n)-[:IN_INDUSTRY]->(:Industry {id: $industryId}) }"},
	}
	for _, a := range anchors {
		if a.id == "" {
			continue
		}
		if err := cobuild.CheckID(a.id, a.label); err != nil {
			return q, err
		}
		q.params[a.param] = a.id
		if q.match == "" {
			q.match = strings.ReplaceAll(a.start, "{n}", label)
		} else {
			q.where = append(q.where, a.test)
		}
	}
	if q.match == "" {
		q.match = "MATCH (n:" + label + ")"
	}
	if len(f.Sectors) > 0 {
		add("n.sector IN $sectors", "sectors", f.Sectors)
	}
	if f.AboveScale != nil {
		add("n.aboveScale = $aboveScale", "aboveScale", *f.AboveScale)
	}
	if f.Operating != nil {
		add("n.operating = $operating", "operating", *f.Operating)
	}
	if len(f.SizeBands) > 0 {
		var ors []string
		for i, b := range f.SizeBands {
			lo, hi := b.Range()
			cond := fmt.Sprintf("coalesce(n.headcount, 0) >= $band%dLo", i)
			q.params[fmt.Sprintf("band%dLo", i)] = lo
			if hi > 0 {
				cond += fmt.Sprintf(" AND coalesce(n.headcount, 0) < $band%dHi", i)
				q.params[fmt.Sprintf("band%dHi", i)] = hi
			}
			ors = append(ors, "("+cond+")")
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
			ors = append(ors, coverage("n", c, "$asOf"))
		}
		add("("+strings.Join(ors, " OR ")+")", "", nil)
	}
	if f.Isolated != nil {
		if *f.Isolated {
			add("NOT "+connected("n", "$asOf"), "", nil)
		} else {
			add(connected("n", "$asOf"), "", nil)
		}
	}
	if f.ShouldHaveOwn != nil {
		pred := "(n.sector IN ['ENTERPRISE', 'SOCIAL'] AND n.partyMembers >= $ownMin AND " + ownCount("n", "$asOf") + " = 0)"
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
		add("EXISTS { MATCH (n)-[h:HAS_PARTY_ORG]->(:PartyOrg)-[:EVALUATED]->(e:Evaluation {round: $round}) WHERE "+
			inForce("h", "e.roundDate")+" AND "+s.tierPredicate("e", f.Tiers, q.params)+" }", "round", round)
	}
	if f.NameContains != "" {
		add("n.name CONTAINS $name", "name", f.NameContains)
	}
	return q, nil
}

// Organizations implements cobuild.OrganizationReader.
func (s *Store) Organizations(ctx context.Context, f cobuild.OrgFilter, srt cobuild.Sort, p cobuild.PageArgs) (cobuild.Page[*cobuild.Organization], error) {
	q, err := s.orgQuery(ctx, f)
	if err == nil {
		err = q.sortBy(orgSorts, srt, "NAME")
	}
	if err != nil {
		return cobuild.Page[*cobuild.Organization]{}, err
	}
	n, err := s.narrowing(ctx)
	if err != nil {
		return cobuild.Page[*cobuild.Organization]{}, err
	}
	if q.sortField == "TIES" && n.scope != nil {
		// Within a scope the ties counted are those to nodes in scope.
		q.sortExpr = jointTieCountWithin("n", "$asOf", "$scopeAll")
		q.params["scopeAll"] = n.scope.All()
	}
	return page[*cobuild.Organization](ctx, s, "organisations", q, p, nil)
}

// CountOrganizations implements cobuild.OrganizationReader. A filter of one kind and
// nothing else is counted from Neo4j's count of the kind's label, without reading a node.
func (s *Store) CountOrganizations(ctx context.Context, f cobuild.OrgFilter) (int, error) {
	q, err := s.orgQuery(ctx, f)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, "organisations", q)
}
