package neo4jstore

import (
	"fmt"
	"strings"

	"cobuild"
)

// This file holds the Cypher form of the domain's rules, each written once: the lists,
// the census, the projection and the sort by ties are all built from these fragments.
// Each takes the names of its variables and an expression of the day (a parameter such as
// $asOf, or a property such as e.roundDate), so that a fragment can sit inside another
// (nested subqueries need their own names).

// inForce is "tie r holds on the day": the Cypher form of cobuild.InForce.
func inForce(r, day string) string {
	return fmt.Sprintf("((%[1]s.since IS NULL OR %[1]s.since <= %[2]s) AND (%[1]s.until IS NULL OR %[1]s.until > %[2]s))", r, day)
}

// eventBy is "event e has taken place by the day": an event counts from its date on.
func eventBy(e, day string) string {
	return fmt.Sprintf("(%[1]s.date IS NULL OR %[1]s.date <= %[2]s)", e, day)
}

// inMentorship is "person p mentors or is mentored by someone on the day": what makes the
// person's work a joint-building tie (cobuild.JointTies).
func inMentorship(p, day string) string {
	return fmt.Sprintf("EXISTS { MATCH (%[1]s)-[m:MENTORS]-(:Person) WHERE %[2]s }", p, inForce("m", day))
}

// jointTie is how one kind of joint-building tie of an organisation is matched: the
// pattern from the organisation bound to {o} (the tie bound to {r}, the other end to {b})
// and the condition under which it counts on the day.
type jointTie struct {
	pattern string
	when    func(r, b, day string) string
}

// orgJointTies are the joint-building ties of an organisation, each counted once:
// memberships, community co-building from either end, events it held or attended (from
// their date on), placements, apprenticeships and trainings at it, and the work at it of
// people in a mentorship. The projection's ties (networkTie) are the same ties seen from
// their stored start.
var orgJointTies = []jointTie{
	{"({o})-[{r}:MEMBER_OF]->({b})", func(r, _, day string) string { return inForce(r, day) }},
	{"({o})-[{r}:CO_BUILDS_WITH]-({b})", func(r, _, day string) string { return inForce(r, day) }},
	{"({o})-[{r}:ATTENDED|HELD]->({b}:Event)", func(_, b, day string) string { return eventBy(b, day) }},
	{"({o})<-[{r}:PLACED_AT|APPRENTICED_AT|TRAINED_AT]-({b})", func(r, _, day string) string { return inForce(r, day) }},
	{"({o})<-[{r}:WORKS_AT]-({b}:Person)", func(r, b, day string) string { return inForce(r, day) + " AND " + inMentorship(b, day) }},
}

func (j jointTie) match(o, r, b, day string) string {
	p := strings.NewReplacer("{o}", o, "{r}", r, "{b}", b).Replace(j.pattern)
	return "MATCH " + p + " WHERE " + j.when(r, b, day)
}

// connected is "organisation o has a joint-building tie in force on the day", the
// opposite of isolated.
func connected(o, day string) string {
	var ors []string
	for _, j := range orgJointTies {
		ors = append(ors, "EXISTS { "+j.match(o, "jr", "jb", day)+" }")
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// jointTieCount counts the joint-building ties of organisation o in force on the day,
// each tie once: the sort by ties.
func jointTieCount(o, day string) string {
	return jointTieCountWithin(o, day, "")
}

// jointTieCountWithin counts, as jointTieCount, the ties whose other end is in a scope,
// when within is the expression of its ids (all in scope when ""): an officer's sort by
// ties, which agrees with the degrees of the projection narrowed to the scope.
func jointTieCountWithin(o, day, within string) string {
	var terms []string
	for _, j := range orgJointTies {
		m := j.match(o, "jr", "jb", day)
		if within != "" {
			m += " AND jb.id IN " + within
		}
		terms = append(terms, "COUNT { "+m+" }")
	}
	return "(" + strings.Join(terms, " + ") + ")"
}

// networkTie is the condition under which a tie r of type t from a to b belongs to the
// projection of the day.
func networkTie(t cobuild.TieType, a, r, b, day string) (string, error) {
	switch t {
	case cobuild.MemberOf, cobuild.CoBuildsWith, cobuild.Mentors, cobuild.PlacedAt, cobuild.ApprenticedAt,
		cobuild.TrainedAt, cobuild.PartyTo, cobuild.CoveredBy, cobuild.AssignedTo:
		return inForce(r, day), nil
	case cobuild.Attended, cobuild.Held:
		return eventBy(b, day), nil
	case cobuild.WorksAt:
		// Work counts only for people in a mentorship: it is what ties a mentor's or
		// mentee's organisation into the network; everyone else's work would only add
		// leaves.
		return inForce(r, day) + " AND " + inMentorship(a, day), nil
	}
	return "", cobuild.Errorf(cobuild.EINVALID, "%q is not a tie the network follows", t)
}

// The coverage facts of an organisation: the ties in force on the day that decide its
// coverage (cobuild.Rules.CoverageOf decides from them). The per-organisation facts, the
// census and the coverage filters of lists all read these.

func ownCount(o, day string) string {
	return "COUNT { MATCH (" + o + ")-[fr:HAS_PARTY_ORG]->() WHERE " + inForce("fr", day) + " }"
}

func coverModes(o, day string) string {
	return "[(" + o + ")-[fr:COVERED_BY]->() WHERE " + inForce("fr", day) + " | fr.mode]"
}

func assignedCount(o, role, day string) string {
	return "COUNT { MATCH (" + o + ")<-[fr:ASSIGNED_TO {role: '" + role + "'}]-() WHERE " + inForce("fr", day) + " }"
}

func massCount(o, day string) string {
	return "COUNT { MATCH (" + o + ")<-[fr:FORMED_IN]-() WHERE " + inForce("fr", day) + " }"
}

// factsMap is the map of an organisation's coverage facts on the day, read by readFacts.
func factsMap(o, day string) string {
	return "{own: " + ownCount(o, day) + ", modes: " + coverModes(o, day) +
		", instructors: " + assignedCount(o, "INSTRUCTOR", day) + ", liaisons: " + assignedCount(o, "LIAISON", day) +
		", mass: " + massCount(o, day) + ", joint: " + connected(o, day) +
		", members: " + o + ".partyMembers, sector: " + o + ".sector}"
}

// readFacts decodes a factsMap.
func readFacts(m map[string]any) (cobuild.CoverageFacts, error) {
	p := propsOf(m, "coverage facts")
	f := cobuild.CoverageFacts{OwnPartyOrgs: p.integer("own"), CoveredModes: p.strings("modes"),
		Instructors: p.integer("instructors"), Liaisons: p.integer("liaisons"), MassBranches: p.integer("mass"),
		PartyMembers: p.integer("members"), Sector: cobuild.Sector(p.str("sector"))}
	if p.boolean("joint") {
		f.JointTies = 1
	}
	sortStrings(f.CoveredModes) // the census reads them in another order
	return f, p.err
}

// coverage is "organisation o has this coverage status on the day", the Cypher form of
// cobuild.Rules.CoverageOf, for lists filtered by coverage when no census is at hand.
func coverage(o string, c cobuild.CoverageStatus, day string) string {
	own := ownCount(o, day) + " > 0"
	joint := "size(" + coverModes(o, day) + ") > 0"
	work := "(" + assignedCount(o, "INSTRUCTOR", day) + " + " + assignedCount(o, "LIAISON", day) + " + " + massCount(o, day) + " > 0)"
	managed := o + ".sector IN ['ENTERPRISE', 'SOCIAL']"
	switch c {
	case cobuild.CoverageOwn:
		return "(" + managed + " AND " + own + ")"
	case cobuild.CoverageJoint:
		return "(" + managed + " AND NOT " + own + " AND " + joint + ")"
	case cobuild.CoverageWork:
		return "(" + managed + " AND NOT " + own + " AND NOT " + joint + " AND " + work + ")"
	case cobuild.CoverageUncovered:
		return "(" + managed + " AND NOT " + own + " AND NOT " + joint + " AND NOT " + work + ")"
	}
	return "(NOT " + managed + ")"
}

// partyOrgOf is the party organisation that organises organisation o on the day: its own
// (the first by id), else the joint, regional or industry one covering it; null for none.
func partyOrgOf(o, day string) string {
	return "coalesce(head(COLLECT { MATCH (" + o + ")-[pr:HAS_PARTY_ORG]->(p:PartyOrg) WHERE " + inForce("pr", day) + " RETURN p.id ORDER BY p.id })," +
		" head(COLLECT { MATCH (" + o + ")-[pr:COVERED_BY]->(p:PartyOrg) WHERE " + inForce("pr", day) + " RETURN p.id ORDER BY p.id }))"
}

// labelExpr names the domain label of node v.
func labelExpr(v string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, l := range cobuild.Labels {
		fmt.Fprintf(&b, " WHEN %s:%s THEN '%s'", v, l.Label, l.Label)
	}
	b.WriteString(" ELSE '' END")
	return b.String()
}
