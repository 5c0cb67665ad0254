package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"cobuild"
)

var _ cobuild.Aggregator = (*Store)(nil)

// partyOrgOf is the party organisation that organises the organisation bound to o on
// $asOf: its own (the first by id), else the joint, regional or industry one covering it;
// null for none.
func partyOrgOf(o string) string {
	return "coalesce(head(COLLECT { MATCH (" + o + ")-[r:HAS_PARTY_ORG]->(p:PartyOrg) WHERE " + inForce("r") + " RETURN p.id ORDER BY p.id })," +
		" head(COLLECT { MATCH (" + o + ")-[r:COVERED_BY]->(p:PartyOrg) WHERE " + inForce("r") + " RETURN p.id ORDER BY p.id }))"
}

// Mentors implements cobuild.Aggregator.
func (s *Store) Mentors(ctx context.Context, asOf time.Time) ([]cobuild.MentorRow, error) {
	recs, err := s.readRecords(ctx, `
		MATCH (m:Person)-[r:MENTORS]->(x:Person) WHERE `+inForce("r")+`
		WITH m, collect(DISTINCT x) AS xs
		RETURN m.id AS id, size(xs) AS mentees,
		  EXISTS { MATCH (m)-[r:ASSIGNED_TO {role: 'INSTRUCTOR'}]->() WHERE `+inForce("r")+` } AS instructor,
		  [x IN xs | head(COLLECT { MATCH (x)-[w:WORKS_AT]->(o:Organization) WHERE `+inForce("w")+` RETURN `+partyOrgOf("o")+` AS p ORDER BY p })] AS pos
		ORDER BY mentees DESC, id`, map[string]any{"asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("read mentors: %w", err)
	}
	out := make([]cobuild.MentorRow, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		out = append(out, cobuild.MentorRow{PersonID: str(m, "id"), Mentees: integer(m, "mentees"),
			Instructor: boolean(m, "instructor"), MenteePartyOrgs: stringList(m["pos"])})
	}
	return out, nil
}

// CertificationRows implements cobuild.Aggregator.
func (s *Store) CertificationRows(ctx context.Context) ([]cobuild.CertificationRow, error) {
	recs, err := s.readRecords(ctx, `
		MATCH (c:Certification)
		OPTIONAL MATCH (c)<-[:HOLDS]-(p:Person)
		WITH c, head(collect(p)) AS p
		RETURN c.id AS id, c.status = 'CERTIFIED' AS certified, c.reviewedOn AS reviewedOn,
		  head(COLLECT { MATCH (p)-[:WORKS_AT]->(:Organization)-[:IN_INDUSTRY]->(i:Industry) RETURN i.id }) AS industry,
		  head(COLLECT { MATCH (p)-[:WORKS_AT]->(:Organization)-[:IN_PARK]->(a:Area) RETURN a.id }) AS park
		ORDER BY id`, nil)
	if err != nil {
		return nil, fmt.Errorf("read certifications: %w", err)
	}
	out := make([]cobuild.CertificationRow, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		out = append(out, cobuild.CertificationRow{ID: str(m, "id"), Certified: boolean(m, "certified"),
			IndustryID: str(m, "industry"), ParkID: str(m, "park"), ReviewedOn: date(m, "reviewedOn")})
	}
	return out, nil
}

// MassBranchFacts implements cobuild.Aggregator.
func (s *Store) MassBranchFacts(ctx context.Context) (cobuild.MassBranchFacts, error) {
	recs, err := s.readRecords(ctx, `
		MATCH (b:MassBranch)
		OPTIONAL MATCH (b)-[:HELPED_FORM]->(p:PartyOrg)
		WITH b, p ORDER BY b.id, p.id
		RETURN count(DISTINCT b) AS formed, COUNT { ()-[:RECOMMENDED]->() } AS recommended,
		  collect(CASE WHEN p IS NOT NULL THEN {branch: b.id, partyOrg: p.id, formedOn: b.formedOn, foundedOn: p.foundedOn} END) AS followed`, nil)
	if err != nil {
		return cobuild.MassBranchFacts{}, fmt.Errorf("read mass branches: %w", err)
	}
	m := recs[0].AsMap()
	out := cobuild.MassBranchFacts{Formed: integer(m, "formed"), Recommended: integer(m, "recommended")}
	list, _ := m["followed"].([]any)
	for _, v := range list {
		f := v.(map[string]any)
		out.Followed = append(out.Followed, cobuild.BranchFollowed{BranchID: str(f, "branch"), PartyOrgID: str(f, "partyOrg"),
			FormedOn: date(f, "formedOn"), FoundedOn: date(f, "foundedOn")})
	}
	return out, nil
}

// HubRows implements cobuild.Aggregator.
func (s *Store) HubRows(ctx context.Context, asOf time.Time) ([]cobuild.HubRow, error) {
	recs, err := s.readRecords(ctx, `
		CALL () {
		  MATCH (h:Alliance) RETURN h, h.kind AS kind
		  UNION MATCH (h:RedZone) RETURN h, h.kind AS kind
		  UNION MATCH (h:Agreement) RETURN h, 'AGREEMENT' AS kind
		  UNION MATCH (h:DemoBelt) RETURN h, 'BELT' AS kind
		}
		RETURN h.id AS id, h.name AS name, kind,
		  CASE kind
		    WHEN 'AGREEMENT' THEN COUNT { MATCH (a:Area)-[r:PARTY_TO]->(h) WHERE r.since IS NULL OR r.since <= $asOf }
		    WHEN 'BELT' THEN COUNT { MATCH (:DemoSite)-[:ON_BELT]->(h) }
		    ELSE COUNT { MATCH (o:Organization)-[r:MEMBER_OF]->(h) WHERE `+inForce("r")+` } END AS members,
		  COUNT { MATCH (o:Organization)-[r:MEMBER_OF]->(h) WHERE o.aboveScale AND `+inForce("r")+` } AS aboveScale,
		  COLLECT { MATCH (o:Organization)-[r:MEMBER_OF]->(h) WHERE `+inForce("r")+` RETURN o.kind } AS memberKinds,
		  COLLECT { MATCH (h)-[:HELD|ATTENDED]->(e:Event) WHERE e.date IS NULL OR e.date <= $asOf
		            RETURN [e.kind, coalesce(e.personTimes, 0)] } AS events,
		  CASE kind
		    WHEN 'BELT' THEN COLLECT { MATCH (h)<-[:ON_BELT]-(:DemoSite)<-[:DESIGNATED]-(o:Organization) RETURN `+partyOrgOf("o")+` }
		    ELSE COLLECT { MATCH (h)<-[m:MEMBER_OF]-(o:Organization) WHERE `+inForce("m")+` RETURN `+partyOrgOf("o")+` } END AS pos
		ORDER BY kind, name, id`, map[string]any{"asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("read hubs: %w", err)
	}
	out := make([]cobuild.HubRow, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		h := cobuild.HubRow{ID: str(m, "id"), Name: str(m, "name"), Kind: str(m, "kind"), Members: integer(m, "members"),
			AboveScale: integer(m, "aboveScale"), MemberKinds: stringList(m["memberKinds"]), MemberPartyOrgs: stringList(m["pos"])}
		events, _ := m["events"].([]any)
		for _, e := range events {
			pair := e.([]any)
			kind, _ := pair[0].(string)
			pt, _ := pair[1].(int64)
			h.Events = append(h.Events, cobuild.EventRow{Kind: kind, PersonTimes: int(pt)})
		}
		out = append(out, h)
	}
	return out, nil
}

// LeadingIndustries implements cobuild.Aggregator.
func (s *Store) LeadingIndustries(ctx context.Context, asOf time.Time) ([]cobuild.LeadingIndustryRow, error) {
	recs, err := s.readRecords(ctx, `
		MATCH (i:Industry {leading: true})
		OPTIONAL MATCH (c:Alliance {kind: 'INDUSTRY_COMMITTEE'})-[:IN_INDUSTRY]->(i)
		OPTIONAL MATCH (a:Alliance {kind: 'CLUSTER_ALLIANCE'})-[:IN_INDUSTRY]->(i)
		WITH i, head(collect(DISTINCT c)) AS c, head(collect(DISTINCT a)) AS a
		CALL (i, c, a) {
		  MATCH (o:Enterprise)-[:IN_INDUSTRY]->(i) WHERE o.aboveScale
		  RETURN o.id AS firm, EXISTS { MATCH (o)-[r:MEMBER_OF]->(x:Alliance) WHERE x IN [c, a] AND `+inForce("r")+` } AS inEither
		}
		WITH i, c, a, firm, inEither ORDER BY firm
		RETURN i.id AS industry, i.code AS code, c.id AS committee, a.id AS alliance, count(firm) AS aboveScale,
		  sum(CASE WHEN inEither THEN 1 ELSE 0 END) AS inEither,
		  [f IN collect(CASE WHEN NOT inEither THEN firm END) WHERE f IS NOT NULL] AS neither
		ORDER BY code, industry`, map[string]any{"asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("read leading industries: %w", err)
	}
	out := make([]cobuild.LeadingIndustryRow, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		out = append(out, cobuild.LeadingIndustryRow{IndustryID: str(m, "industry"), CommitteeID: str(m, "committee"),
			AllianceID: str(m, "alliance"), AboveScale: integer(m, "aboveScale"), InEither: integer(m, "inEither"),
			InNeither: stringList(m["neither"])})
	}
	return out, nil
}
