package neo4jstore

import (
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

func str(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

func strPtr(p map[string]any, k string) *string {
	if s, ok := p[k].(string); ok {
		return &s
	}
	return nil
}

func integer(p map[string]any, k string) int {
	switch v := p[k].(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func boolean(p map[string]any, k string) bool {
	b, _ := p[k].(bool)
	return b
}

func floatPtr(p map[string]any, k string) *float64 {
	switch v := p[k].(type) {
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	}
	return nil
}

func number(p map[string]any, k string) float64 {
	if f := floatPtr(p, k); f != nil {
		return *f
	}
	return 0
}

func date(p map[string]any, k string) *time.Time {
	switch v := p[k].(type) {
	case dbtype.Date:
		t := v.Time()
		return &t
	case time.Time:
		return &v
	}
	return nil
}

func scores(p map[string]any, k string) [7]float64 {
	var out [7]float64
	list, _ := p[k].([]any)
	for i := 0; i < len(list) && i < 7; i++ {
		switch v := list[i].(type) {
		case float64:
			out[i] = v
		case int64:
			out[i] = float64(v)
		}
	}
	return out
}

// decodeNode turns a node into its domain value, chosen by the node's labels.
func decodeNode(n dbtype.Node) any {
	p := n.Props
	has := func(l string) bool {
		for _, x := range n.Labels {
			if x == l {
				return true
			}
		}
		return false
	}
	id := str(p, "id")
	switch {
	case has("Organization"):
		return &cobuild.Organization{
			ID: id, Name: str(p, "name"), Kind: cobuild.OrgKind(str(p, "kind")), Sector: cobuild.Sector(str(p, "sector")),
			CreditCode: strPtr(p, "creditCode"), Headcount: integer(p, "headcount"), PartyMembers: integer(p, "partyMembers"),
			AboveScale: boolean(p, "aboveScale"), Operating: boolean(p, "operating"), RegisteredOn: date(p, "registeredOn"),
			Lat: floatPtr(p, "lat"), Lng: floatPtr(p, "lng"),
		}
	case has("PartyOrg"):
		return &cobuild.PartyOrg{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), FoundedOn: date(p, "foundedOn"), Members: integer(p, "members")}
	case has("Alliance"):
		return &cobuild.Alliance{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), FoundedOn: date(p, "foundedOn")}
	case has("Agreement"):
		return &cobuild.Agreement{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), SignedOn: date(p, "signedOn")}
	case has("RedZone"):
		return &cobuild.RedZone{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), FoundedOn: date(p, "foundedOn")}
	case has("DemoBelt"):
		return &cobuild.DemoBelt{ID: id, Name: str(p, "name")}
	case has("DemoSite"):
		return &cobuild.DemoSite{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), DesignatedOn: date(p, "designatedOn")}
	case has("Brand"):
		return &cobuild.Brand{ID: id, Name: str(p, "name"), Kind: str(p, "kind")}
	case has("Event"):
		return &cobuild.Event{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), Date: date(p, "date"), PersonTimes: integer(p, "personTimes")}
	case has("Person"):
		return &cobuild.Person{ID: id, Name: str(p, "name"), Gender: str(p, "gender"), PartyMember: boolean(p, "partyMember"), BirthYear: integer(p, "birthYear")}
	case has("Certification"):
		return &cobuild.Certification{ID: id, Kind: str(p, "kind"), Status: str(p, "status"), ReviewedOn: date(p, "reviewedOn"), CertifiedOn: date(p, "certifiedOn")}
	case has("MassBranch"):
		return &cobuild.MassBranch{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), FormedOn: date(p, "formedOn")}
	case has("Evaluation"):
		return &cobuild.Evaluation{ID: id, Round: str(p, "round"), RoundDate: date(p, "roundDate"),
			Self: scores(p, "self"), Public: scores(p, "public"), Committee: scores(p, "committee"), Score: number(p, "score")}
	case has("Area"):
		return &cobuild.Area{ID: id, Name: str(p, "name"), Kind: str(p, "kind"), InDistrict: boolean(p, "inDistrict")}
	case has("Industry"):
		return &cobuild.Industry{ID: id, Code: str(p, "code"), Name: str(p, "name"), Leading: boolean(p, "leading")}
	}
	return nil
}

func decodeTie(r dbtype.Relationship, from, to string) cobuild.Tie {
	return cobuild.Tie{Type: r.Type, FromID: from, ToID: to, Since: date(r.Props, "since"), Until: date(r.Props, "until"),
		Role: str(r.Props, "role"), Mode: str(r.Props, "mode"), School: str(r.Props, "school")}
}

// dateParam turns a day into the parameter Neo4j compares with stored dates.
func dateParam(t time.Time) dbtype.Date {
	return dbtype.Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

// stringList keeps the strings of a Cypher list, dropping nulls.
func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
