package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

var _ cobuild.Aggregator = (*Store)(nil)

// Mentors implements cobuild.Aggregator. Within a scope, mentors and mentees are the
// people in scope, their work and assignments those at organisations in scope.
func (s *Store) Mentors(ctx context.Context, asOf time.Time) ([]cobuild.MentorRow, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := query(ctx, s, `
		MATCH (m:Person)-[r:MENTORS]->(x:Person) WHERE `+inForce("r", "$asOf")+n.and("m", cobuild.LabelPerson)+n.and("x", cobuild.LabelPerson)+`
		WITH m, collect(DISTINCT x) AS xs
		RETURN m.id AS id, size(xs) AS mentees,
		  EXISTS { MATCH (m)-[r:ASSIGNED_TO {role: 'INSTRUCTOR'}]->(a) WHERE `+inForce("r", "$asOf")+n.and("a", cobuild.LabelOrganization)+` } AS instructor,
		  [x IN xs | head(COLLECT { MATCH (x)-[w:WORKS_AT]->(o:Organization) WHERE `+inForce("w", "$asOf")+n.and("o", cobuild.LabelOrganization)+` RETURN `+partyOrgOf("o", "$asOf")+` AS p ORDER BY p })] AS pos
		ORDER BY mentees DESC, id`, n.bind(map[string]any{"asOf": dateParam(asOf)}), func(r *neo4j.Record) (cobuild.MentorRow, error) {
		p := recordMap(r)
		return cobuild.MentorRow{PersonID: p.str("id"), Mentees: p.integer("mentees"), Instructor: p.boolean("instructor"),
			MenteePartyOrgs: p.strings("pos")}, p.err
	})
	if err != nil {
		return nil, fmt.Errorf("read mentors: %w", err)
	}
	return rows, nil
}

// CertificationRows implements cobuild.Aggregator. Within a scope, the certifications in
// scope, placed by their holders' work at organisations in scope.
func (s *Store) CertificationRows(ctx context.Context) ([]cobuild.CertificationRow, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := query(ctx, s, `
		MATCH (c:Certification)`+n.where("c", cobuild.LabelCertification)+`
		OPTIONAL MATCH (c)<-[:HOLDS]-(p:Person)`+n.where("p", cobuild.LabelPerson)+`
		WITH c, head(collect(p)) AS p
		RETURN c.id AS id, c.status = 'CERTIFIED' AS certified, c.reviewedOn AS reviewedOn,
		  head(COLLECT { MATCH (p)-[:WORKS_AT]->(o:Organization)-[:IN_INDUSTRY]->(i:Industry)`+n.where("o", cobuild.LabelOrganization)+` RETURN i.id }) AS industry,
		  head(COLLECT { MATCH (p)-[:WORKS_AT]->(o:Organization)-[:IN_PARK]->(a:Area)`+n.where("o", cobuild.LabelOrganization)+` RETURN a.id }) AS park
		ORDER BY id`, n.bind(nil), func(r *neo4j.Record) (cobuild.CertificationRow, error) {
		p := recordMap(r)
		return cobuild.CertificationRow{ID: p.str("id"), Certified: p.boolean("certified"), IndustryID: p.str("industry"),
			ParkID: p.str("park"), ReviewedOn: p.date("reviewedOn")}, p.err
	})
	if err != nil {
		return nil, fmt.Errorf("read certifications: %w", err)
	}
	return rows, nil
}

// MassBranchFacts implements cobuild.Aggregator. Within a scope, the branches in scope,
// their recommendations of people in scope and the party organisations in scope they
// helped form.
func (s *Store) MassBranchFacts(ctx context.Context) (cobuild.MassBranchFacts, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return cobuild.MassBranchFacts{}, err
	}
	recommended := "COUNT { ()-[:RECOMMENDED]->() }"
	if c := n.in("rb", cobuild.LabelMassBranch); c != "" {
		recommended = "COUNT { MATCH (rb)-[:RECOMMENDED]->(rp) WHERE " + c + n.and("rp", cobuild.LabelPerson) + " }"
	}
	rows, err := query(ctx, s, `
		MATCH (b:MassBranch)`+n.where("b", cobuild.LabelMassBranch)+`
		OPTIONAL MATCH (b)-[:HELPED_FORM]->(p:PartyOrg)`+n.where("p", cobuild.LabelPartyOrg)+`
		WITH b, p ORDER BY b.id, p.id
		RETURN count(DISTINCT b) AS formed, `+recommended+` AS recommended,
		  collect(CASE WHEN p IS NOT NULL THEN {branch: b.id, partyOrg: p.id, formedOn: b.formedOn, foundedOn: p.foundedOn} END) AS followed`, n.bind(nil),
		func(r *neo4j.Record) (cobuild.MassBranchFacts, error) {
			p := recordMap(r)
			out := cobuild.MassBranchFacts{Formed: p.integer("formed"), Recommended: p.integer("recommended")}
			for _, v := range p.list("followed") {
				m, ok := v.(map[string]any)
				if !ok {
					return out, fmt.Errorf("decode mass branches: a follow-up is %T", v)
				}
				f := propsOf(m, "mass branch follow-up")
				out.Followed = append(out.Followed, cobuild.BranchFollowed{BranchID: f.str("branch"), PartyOrgID: f.str("partyOrg"),
					FormedOn: f.date("formedOn"), FoundedOn: f.date("foundedOn")})
				if f.err != nil {
					return out, f.err
				}
			}
			return out, p.err
		})
	if err != nil {
		return cobuild.MassBranchFacts{}, fmt.Errorf("read mass branches: %w", err)
	}
	return rows[0], nil
}

// HubRows implements cobuild.Aggregator. Within a scope, the hubs in scope with their
// members, parties, sites and events in scope.
func (s *Store) HubRows(ctx context.Context, asOf time.Time) ([]cobuild.HubRow, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	member := "MATCH (o:Organization)-[r:MEMBER_OF]->(h) WHERE " + inForce("r", "$asOf") + n.and("o", cobuild.LabelOrganization)
	rows, err := query(ctx, s, `
		CALL () {
		  MATCH (h:Alliance)`+n.where("h", cobuild.LabelAlliance)+` RETURN h, h.kind AS kind
		  UNION MATCH (h:RedZone)`+n.where("h", cobuild.LabelRedZone)+` RETURN h, h.kind AS kind
		  UNION MATCH (h:Agreement)`+n.where("h", cobuild.LabelAgreement)+` RETURN h, 'AGREEMENT' AS kind
		  UNION MATCH (h:DemoBelt)`+n.where("h", cobuild.LabelDemoBelt)+` RETURN h, 'BELT' AS kind
		}
		RETURN h.id AS id, h.name AS name, kind,
		  CASE kind
		    WHEN 'AGREEMENT' THEN COUNT { MATCH (a:Area)-[r:PARTY_TO]->(h) WHERE `+inForce("r", "$asOf")+n.and("a", cobuild.LabelArea)+` }
		    WHEN 'BELT' THEN COUNT { MATCH (d:DemoSite)-[:ON_BELT]->(h)`+n.where("d", cobuild.LabelDemoSite)+` }
		    ELSE COUNT { `+member+` } END AS members,
		  COUNT { `+member+` AND o.aboveScale } AS aboveScale,
		  COLLECT { `+member+` RETURN o.kind } AS memberKinds,
		  COLLECT { MATCH (h)-[:HELD|ATTENDED]->(e:Event) WHERE `+eventBy("e", "$asOf")+n.and("e", cobuild.LabelEvent)+`
		            RETURN {kind: e.kind, personTimes: coalesce(e.personTimes, 0)} } AS events,
		  CASE kind
		    WHEN 'BELT' THEN COLLECT { MATCH (h)<-[:ON_BELT]-(d:DemoSite)<-[:DESIGNATED]-(o:Organization)`+
		n.where("o", cobuild.LabelOrganization)+n.and("d", cobuild.LabelDemoSite)+` RETURN `+partyOrgOf("o", "$asOf")+` }
		    ELSE COLLECT { `+member+` RETURN `+partyOrgOf("o", "$asOf")+` } END AS pos
		ORDER BY kind, name, id`, n.bind(map[string]any{"asOf": dateParam(asOf)}), func(r *neo4j.Record) (cobuild.HubRow, error) {
		p := recordMap(r)
		h := cobuild.HubRow{ID: p.str("id"), Name: p.str("name"), Kind: p.str("kind"), Members: p.integer("members"),
			AboveScale: p.integer("aboveScale"), MemberKinds: p.strings("memberKinds"), MemberPartyOrgs: p.strings("pos")}
		for _, e := range p.list("events") {
			m, ok := e.(map[string]any)
			if !ok {
				return h, fmt.Errorf("decode hub %s: an event is %T", h.ID, e)
			}
			ep := propsOf(m, "event of hub "+h.ID)
			h.Events = append(h.Events, cobuild.EventRow{Kind: ep.str("kind"), PersonTimes: ep.integer("personTimes")})
			if ep.err != nil {
				return h, ep.err
			}
		}
		return h, p.err
	})
	if err != nil {
		return nil, fmt.Errorf("read hubs: %w", err)
	}
	return rows, nil
}

// LeadingIndustries implements cobuild.Aggregator. Within a scope, every leading
// industry (industries are reference data) with its committee and alliance when they are
// in scope, counting its above-scale enterprises in scope (none, when it has none there).
func (s *Store) LeadingIndustries(ctx context.Context, asOf time.Time) ([]cobuild.LeadingIndustryRow, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	// Within a scope an industry may have no above-scale firm: an optional match keeps its
	// row, with none (OPTIONAL CALL would too, but only from Neo4j 5.24).
	firms := "MATCH"
	if n.scope != nil {
		firms = "OPTIONAL MATCH"
	}
	rows, err := query(ctx, s, `
		MATCH (i:Industry {leading: true})
		OPTIONAL MATCH (c:Alliance {kind: 'INDUSTRY_COMMITTEE'})-[:IN_INDUSTRY]->(i)`+n.where("c", cobuild.LabelAlliance)+`
		OPTIONAL MATCH (a:Alliance {kind: 'CLUSTER_ALLIANCE'})-[:IN_INDUSTRY]->(i)`+n.where("a", cobuild.LabelAlliance)+`
		WITH i, head(collect(DISTINCT c)) AS c, head(collect(DISTINCT a)) AS a
		CALL (i, c, a) {
		  `+firms+` (o:Enterprise)-[:IN_INDUSTRY]->(i) WHERE o.aboveScale`+n.and("o", cobuild.LabelOrganization)+`
		  RETURN o.id AS firm, EXISTS { MATCH (o)-[r:MEMBER_OF]->(x:Alliance) WHERE x IN [c, a] AND `+inForce("r", "$asOf")+` } AS inEither
		}
		WITH i, c, a, firm, inEither ORDER BY firm
		RETURN i.id AS industry, i.code AS code, c.id AS committee, a.id AS alliance, count(firm) AS aboveScale,
		  sum(CASE WHEN inEither THEN 1 ELSE 0 END) AS inEither,
		  [f IN collect(CASE WHEN NOT inEither THEN firm END) WHERE f IS NOT NULL] AS neither
		ORDER BY code, industry`, n.bind(map[string]any{"asOf": dateParam(asOf)}), func(r *neo4j.Record) (cobuild.LeadingIndustryRow, error) {
		p := recordMap(r)
		return cobuild.LeadingIndustryRow{IndustryID: p.str("industry"), CommitteeID: p.str("committee"), AllianceID: p.str("alliance"),
			AboveScale: p.integer("aboveScale"), InEither: p.integer("inEither"), InNeither: p.strings("neither")}, p.err
	})
	if err != nil {
		return nil, fmt.Errorf("read leading industries: %w", err)
	}
	return rows, nil
}
