package neo4jstore

import (
	"context"

	"cobuild"
)

// personRoles are the conditions under which a person holds a role on $asOf.
var personRoles = map[string]string{
	"INSTRUCTOR": "EXISTS { MATCH (n)-[r:ASSIGNED_TO {role: 'INSTRUCTOR'}]->() WHERE " + inForce("r", "$asOf") + " }",
	"LIAISON":    "EXISTS { MATCH (n)-[r:ASSIGNED_TO {role: 'LIAISON'}]->() WHERE " + inForce("r", "$asOf") + " }",
	"MENTOR":     "EXISTS { MATCH (n)-[r:MENTORS]->() WHERE " + inForce("r", "$asOf") + " }",
	// Programme roles are cumulative, as the source counts them: placed, trained or
	// seconded by the day, whether or not the placement still runs.
	"RECRUIT":      "EXISTS { MATCH (n)-[r:PLACED_AT]->() WHERE r.since IS NULL OR r.since <= $asOf }",
	"APPRENTICE":   "EXISTS { MATCH (n)-[r:APPRENTICED_AT]->() WHERE r.since IS NULL OR r.since <= $asOf }",
	"PARTY_WORKER": "EXISTS { MATCH (n)-[r:WORKS_AT]->() WHERE r.role IN ['PARTY_WORKER', 'SECRETARY'] AND " + inForce("r", "$asOf") + " }",
	"SECONDED":     "EXISTS { MATCH (n)-[r:SECONDED_TO]->() WHERE r.since IS NULL OR r.since <= $asOf }",
}

func personQuery(f cobuild.PersonFilter) (listQuery, error) {
	q := listQuery{label: cobuild.LabelPerson, match: "MATCH (n:Person)", params: map[string]any{"asOf": dateParam(f.AsOf)}}
	for _, role := range f.Roles {
		pred, ok := personRoles[role]
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
		if err := cobuild.CheckID(f.OrganizationID, cobuild.LabelOrganization); err != nil {
			return q, err
		}
		q.match = "MATCH (:Organization {id: $org})<-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT|TRAINED_AT]-(n:Person) WITH DISTINCT n"
		q.params["org"] = f.OrganizationID
	}
	q.sortField, q.sortExpr, q.sortKind = "NAME", "coalesce(n.name, '')", cobuild.SortString
	if f.ByID {
		q.sortField, q.sortExpr = "ID", "n.id"
	}
	return q, nil
}

// People implements cobuild.PeopleReader.
func (s *Store) People(ctx context.Context, f cobuild.PersonFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.Person], error) {
	q, err := personQuery(f)
	if err != nil {
		return cobuild.Page[*cobuild.Person]{}, err
	}
	return page[*cobuild.Person](ctx, s, "people", q, p, nil)
}

// CountPeople implements cobuild.PeopleReader.
func (s *Store) CountPeople(ctx context.Context, f cobuild.PersonFilter) (int, error) {
	q, err := personQuery(f)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, "people", q)
}

func certificationQuery(f cobuild.CertificationFilter) listQuery {
	q := listQuery{label: cobuild.LabelCertification, match: "MATCH (n:Certification)", params: map[string]any{}}
	if len(f.Statuses) > 0 {
		q.where = append(q.where, "n.status IN $statuses")
		q.params["statuses"] = f.Statuses
	}
	q.sortField, q.sortExpr, q.sortKind = "ID", "n.id", cobuild.SortString
	return q
}

// Certifications implements cobuild.PeopleReader.
func (s *Store) Certifications(ctx context.Context, f cobuild.CertificationFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.Certification], error) {
	return page[*cobuild.Certification](ctx, s, "certifications", certificationQuery(f), p, nil)
}

// CountCertifications implements cobuild.PeopleReader.
func (s *Store) CountCertifications(ctx context.Context, f cobuild.CertificationFilter) (int, error) {
	return s.count(ctx, "certifications", certificationQuery(f))
}

func massBranchQuery(f cobuild.MassBranchFilter) listQuery {
	q := listQuery{label: cobuild.LabelMassBranch, match: "MATCH (n:MassBranch)", params: map[string]any{}}
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
	q.sortField, q.sortExpr, q.sortKind = "ID", "n.id", cobuild.SortString
	return q
}

// MassBranches implements cobuild.PeopleReader.
func (s *Store) MassBranches(ctx context.Context, f cobuild.MassBranchFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.MassBranch], error) {
	return page[*cobuild.MassBranch](ctx, s, "mass branches", massBranchQuery(f), p, nil)
}

// CountMassBranches implements cobuild.PeopleReader.
func (s *Store) CountMassBranches(ctx context.Context, f cobuild.MassBranchFilter) (int, error) {
	return s.count(ctx, "mass branches", massBranchQuery(f))
}
