package neo4jstore

import (
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// props reads the properties of a node, a relationship or a map with checked types: a
// property that is missing or null reads as the zero value, one of another type records
// an error, which err returns. Every decode of the store goes through it or through the
// record helpers below, so that data of an unexpected shape is an error, never a panic and
// never a silent zero.
type props struct {
	m    map[string]any
	what string
	err  error
}

func propsOf(m map[string]any, what string) *props { return &props{m: m, what: what} }

func (p *props) bad(k string, v any, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("decode %s: property %s is %T, not %s", p.what, k, v, want)
	}
}

func (p *props) str(k string) string {
	switch v := p.m[k].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		p.bad(k, v, "a string")
		return ""
	}
}

func (p *props) strPtr(k string) *string {
	if p.m[k] == nil {
		return nil
	}
	s := p.str(k)
	return &s
}

func (p *props) integer(k string) int {
	switch v := p.m[k].(type) {
	case nil:
		return 0
	case int64:
		return int(v)
	default:
		p.bad(k, v, "an integer")
		return 0
	}
}

func (p *props) boolean(k string) bool {
	switch v := p.m[k].(type) {
	case nil:
		return false
	case bool:
		return v
	default:
		p.bad(k, v, "a boolean")
		return false
	}
}

func (p *props) floatPtr(k string) *float64 {
	switch v := p.m[k].(type) {
	case nil:
		return nil
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	default:
		p.bad(k, v, "a number")
		return nil
	}
}

func (p *props) number(k string) float64 {
	if f := p.floatPtr(k); f != nil {
		return *f
	}
	return 0
}

func (p *props) date(k string) *time.Time {
	switch v := p.m[k].(type) {
	case nil:
		return nil
	case dbtype.Date:
		t := v.Time()
		return &t
	default:
		p.bad(k, v, "a date")
		return nil
	}
}

func (p *props) strings(k string) []string {
	switch v := p.m[k].(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			switch s := x.(type) {
			case nil:
			case string:
				out = append(out, s)
			default:
				p.bad(k, x, "a list of strings")
			}
		}
		return out
	default:
		p.bad(k, v, "a list")
		return nil
	}
}

func (p *props) scores(k string) [7]float64 {
	var out [7]float64
	list, ok := p.m[k].([]any)
	if !ok && p.m[k] != nil {
		p.bad(k, p.m[k], "a list of numbers")
	}
	for i := 0; i < len(list) && i < 7; i++ {
		switch v := list[i].(type) {
		case float64:
			out[i] = v
		case int64:
			out[i] = float64(v)
		default:
			p.bad(k, v, "a number")
		}
	}
	return out
}

func (p *props) mapOf(k string) map[string]any {
	switch v := p.m[k].(type) {
	case nil:
		return nil
	case map[string]any:
		return v
	default:
		p.bad(k, v, "a map")
		return nil
	}
}

func (p *props) list(k string) []any {
	switch v := p.m[k].(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		p.bad(k, v, "a list")
		return nil
	}
}

// decodeNode turns a node into its domain value, chosen by the node's labels; a node of
// no known label is an error.
func decodeNode(n dbtype.Node) (any, error) {
	p := propsOf(n.Props, "node")
	id := p.str("id")
	p.what = "node " + id
	var v any
	switch mainLabel(n.Labels) {
	case cobuild.LabelOrganization:
		v = &cobuild.Organization{
			ID: id, Name: p.str("name"), Kind: cobuild.OrgKind(p.str("kind")), Sector: cobuild.Sector(p.str("sector")),
			CreditCode: p.strPtr("creditCode"), Headcount: p.integer("headcount"), PartyMembers: p.integer("partyMembers"),
			AboveScale: p.boolean("aboveScale"), Operating: p.boolean("operating"), RegisteredOn: p.date("registeredOn"),
			Lat: p.floatPtr("lat"), Lng: p.floatPtr("lng"), Version: int64(p.integer("version")),
		}
	case cobuild.LabelPartyOrg:
		v = &cobuild.PartyOrg{ID: id, Name: p.str("name"), Kind: p.str("kind"), FoundedOn: p.date("foundedOn"), Members: p.integer("members")}
	case cobuild.LabelAlliance:
		v = &cobuild.Alliance{ID: id, Name: p.str("name"), Kind: p.str("kind"), FoundedOn: p.date("foundedOn")}
	case cobuild.LabelAgreement:
		v = &cobuild.Agreement{ID: id, Name: p.str("name"), Kind: p.str("kind"), SignedOn: p.date("signedOn")}
	case cobuild.LabelRedZone:
		v = &cobuild.RedZone{ID: id, Name: p.str("name"), Kind: p.str("kind"), FoundedOn: p.date("foundedOn")}
	case cobuild.LabelDemoBelt:
		v = &cobuild.DemoBelt{ID: id, Name: p.str("name")}
	case cobuild.LabelDemoSite:
		v = &cobuild.DemoSite{ID: id, Name: p.str("name"), Kind: p.str("kind"), DesignatedOn: p.date("designatedOn")}
	case cobuild.LabelBrand:
		v = &cobuild.Brand{ID: id, Name: p.str("name"), Kind: p.str("kind")}
	case cobuild.LabelEvent:
		v = &cobuild.Event{ID: id, Name: p.str("name"), Kind: p.str("kind"), Date: p.date("date"), PersonTimes: p.integer("personTimes")}
	case cobuild.LabelPerson:
		v = &cobuild.Person{ID: id, Name: p.str("name"), Gender: p.str("gender"), PartyMember: p.boolean("partyMember"), BirthYear: p.integer("birthYear")}
	case cobuild.LabelCertification:
		v = &cobuild.Certification{ID: id, Kind: p.str("kind"), Status: p.str("status"), ReviewedOn: p.date("reviewedOn"), CertifiedOn: p.date("certifiedOn")}
	case cobuild.LabelMassBranch:
		v = &cobuild.MassBranch{ID: id, Name: p.str("name"), Kind: p.str("kind"), FormedOn: p.date("formedOn")}
	case cobuild.LabelEvaluation:
		v = &cobuild.Evaluation{ID: id, Round: p.str("round"), RoundDate: p.date("roundDate"),
			Self: p.scores("self"), Public: p.scores("public"), Committee: p.scores("committee"), Score: p.number("score")}
	case cobuild.LabelArea:
		v = &cobuild.Area{ID: id, Name: p.str("name"), Kind: p.str("kind"), InDistrict: p.boolean("inDistrict")}
	case cobuild.LabelIndustry:
		v = &cobuild.Industry{ID: id, Code: p.str("code"), Name: p.str("name"), Leading: p.boolean("leading")}
	default:
		return nil, fmt.Errorf("decode node %s: no known label among %v", id, n.Labels)
	}
	return v, p.err
}

// decodeAs decodes a node that must be a T.
func decodeAs[T any](n dbtype.Node) (T, error) {
	var zero T
	v, err := decodeNode(n)
	if err != nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("decode node: %T is not a %T", v, zero)
	}
	return t, nil
}

// mainLabel is the domain label among a node's labels.
func mainLabel(labels []string) cobuild.NodeLabel {
	for _, l := range labels {
		for _, known := range cobuild.Labels {
			if string(known.Label) == l {
				return known.Label
			}
		}
	}
	return ""
}

func decodeTie(r dbtype.Relationship, from, to string) (cobuild.Tie, error) {
	p := propsOf(r.Props, "tie "+r.Type)
	t := cobuild.Tie{Type: cobuild.TieType(r.Type), FromID: from, ToID: to, Since: p.date("since"), Until: p.date("until"),
		Role: p.str("role"), Mode: p.str("mode")}
	return t, p.err
}

// The record helpers read one column of a record with a checked type; a null reads as
// the zero value.

func recordNode(r *neo4j.Record, key string) (dbtype.Node, error) {
	n, _, err := neo4j.GetRecordValue[dbtype.Node](r, key)
	return n, err
}

func recordString(r *neo4j.Record, key string) (string, error) {
	s, _, err := neo4j.GetRecordValue[string](r, key)
	return s, err
}

func recordInt(r *neo4j.Record, key string) (int, error) {
	n, _, err := neo4j.GetRecordValue[int64](r, key)
	return int(n), err
}

func recordMap(r *neo4j.Record) *props { return propsOf(r.AsMap(), "record") }

// dateParam turns a day into the parameter Neo4j compares with stored dates.
func dateParam(t time.Time) dbtype.Date {
	return dbtype.Date(cobuild.Day(t))
}
