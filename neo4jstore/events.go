package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

func eventQuery(f cobuild.EventFilter) (listQuery, error) {
	q := listQuery{label: cobuild.LabelEvent, match: "MATCH (n:Event)", params: map[string]any{}}
	if len(f.Kinds) > 0 {
		q.where = append(q.where, "n.kind IN $kinds")
		q.params["kinds"] = f.Kinds
	}
	if f.PartyID != "" {
		l, err := cobuild.LabelOf(f.PartyID)
		if err != nil {
			return q, err
		}
		switch l {
		case cobuild.LabelAlliance, cobuild.LabelAgreement, cobuild.LabelOrganization, cobuild.LabelPerson:
		default:
			return q, cobuild.Errorf(cobuild.EINVALID, "partyId %q names a %s; events are held or attended by alliances, agreements, organisations and people", f.PartyID, l)
		}
		q.match = fmt.Sprintf("MATCH (:%s {id: $party})-[:HELD|ATTENDED]->(n:Event) WITH DISTINCT n", l)
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
	q.sortField, q.sortExpr, q.sortKind = "DATE", "coalesce(n.date, date('1900-01-01'))", cobuild.SortDate
	return q, nil
}

// Events implements cobuild.EventReader: events by date.
func (s *Store) Events(ctx context.Context, f cobuild.EventFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.Event], error) {
	q, err := eventQuery(f)
	if err != nil {
		return cobuild.Page[*cobuild.Event]{}, err
	}
	return page[*cobuild.Event](ctx, s, "events", q, p, nil)
}

// CountEvents implements cobuild.EventReader.
func (s *Store) CountEvents(ctx context.Context, f cobuild.EventFilter) (int, error) {
	q, err := eventQuery(f)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, "events", q)
}

// EventTotals implements cobuild.EventReader.
func (s *Store) EventTotals(ctx context.Context, f cobuild.EventFilter) (cobuild.EventTotals, error) {
	q, err := eventQuery(f)
	if err != nil {
		return cobuild.EventTotals{}, err
	}
	n, err := s.narrowing(ctx)
	if err != nil {
		return cobuild.EventTotals{}, err
	}
	if q, err = q.narrowed(n); err != nil {
		return cobuild.EventTotals{}, err
	}
	// Within a scope, the attendance is that of the attendees in scope.
	attendance := "COUNT { (n)<-[:ATTENDED]-() }"
	if c := n.anyIn("a"); c != "" {
		attendance = "COUNT { MATCH (n)<-[:ATTENDED]-(a) WHERE " + c + " }"
	}
	rows, err := query(ctx, s, fmt.Sprintf("%s %s RETURN sum(coalesce(n.personTimes, 0)) AS pt, sum(%s) AS att",
		q.match, q.whereClause(), attendance), n.bind(q.params), func(r *neo4j.Record) (cobuild.EventTotals, error) {
		p := recordMap(r)
		return cobuild.EventTotals{PersonTimes: p.integer("pt"), Attendance: p.integer("att")}, p.err
	})
	if err != nil {
		return cobuild.EventTotals{}, fmt.Errorf("sum events: %w", err)
	}
	return rows[0], nil
}
