package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Each system's answer is turned into a canonical form per operation (sorted lists of
// "field|field" strings, counts, hops) before the answers are compared. A GraphQL answer is
// the decoded JSON of the response; a floor answer is the statement's records.

// canon is a canonical answer: the same keys for every system of an operation.
type canon map[string]any

// normaliser turns one system's raw answer into the canonical form.
type normaliser func(raw any) (canon, error)

// path follows keys (and list indices) through decoded JSON; a missing key is an error.
func path(v any, keys ...any) (any, error) {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("at %q: not an object", k)
			}
			x, ok := m[k]
			if !ok {
				return nil, fmt.Errorf("no field %q", k)
			}
			v = x
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil, fmt.Errorf("at [%d]: not a list of that length", k)
			}
			v = l[k]
		}
	}
	return v, nil
}

// must is path for answers whose shape is fixed by the query: a missing field panics and
// is reported as an unexpected answer by the caller.
func must(v any, keys ...any) any {
	x, err := path(v, keys...)
	if err != nil {
		panic(shapeError{err})
	}
	return x
}

type shapeError struct{ err error }

// list returns v as a list; null is empty.
func list(v any) []any {
	if v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		panic(shapeError{fmt.Errorf("not a list: %T", v)})
	}
	return l
}

// s formats a scalar the same way whichever system it came from.
func s(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', 9, 64)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return strconv.FormatInt(i, 10)
		}
		f, _ := x.Float64()
		return s(f)
	case dbtype.Date:
		return x.Time().Format(time.DateOnly)
	}
	return fmt.Sprint(v)
}

// rate formats a rate with 9 decimals; null stays "null".
func rate(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case json.Number:
		f, _ := x.Float64()
		return strconv.FormatFloat(f, 'f', 9, 64)
	case float64:
		return strconv.FormatFloat(x, 'f', 9, 64)
	}
	return s(v)
}

func num(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			panic(shapeError{err})
		}
		return i
	case float64:
		return int64(x)
	case nil:
		return 0
	}
	panic(shapeError{fmt.Errorf("not a number: %T", v)})
}

func join(fields ...any) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = s(f)
	}
	return strings.Join(parts, "|")
}

// sorted returns the strings made of each element, sorted.
func sorted(l []any, f func(any) string) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, f(x))
	}
	slices.Sort(out)
	return out
}

// ordered returns the strings made of each element, in the answer's order.
func ordered(l []any, f func(any) string) []string {
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, f(x))
	}
	return out
}

// one makes a list of an object or null, for a field that is a single object in cobuild
// and a list in the peer.
func one(v any) []any {
	if v == nil {
		return nil
	}
	return []any{v}
}

// record is one floor record as a map.
func record(raw any, i int) map[string]any {
	recs := raw.([]*neo4j.Record)
	if i >= len(recs) {
		panic(shapeError{fmt.Errorf("no record %d of %d", i, len(recs))})
	}
	return recs[i].AsMap()
}

func records(raw any) []map[string]any {
	recs := raw.([]*neo4j.Record)
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out
}

// hubKind is the kind of an alliance or red zone, asked under an alias for each (GraphQL
// refuses one field "kind" of two enum types in one selection).
func hubKind(h any) string {
	if k, err := path(h, "allianceKind"); err == nil {
		return s(k)
	}
	return s(must(h, "redZoneKind"))
}

func idName(x any) string { return join(must(x, "id"), must(x, "name")) }

// ---------- the operations ----------

var normalisers = map[string]map[string]normaliser{
	"organization": {
		"cobuild": func(raw any) (canon, error) {
			o := must(raw, "data", "organization")
			if o == nil {
				return canon{"found": false}, nil
			}
			self := s(must(o, "id"))
			return orgCanon(o,
				one(must(o, "area")), one(must(o, "park")), one(must(o, "community")), one(must(o, "industry")),
				sorted(list(must(o, "partyOrganizations")), func(t any) string {
					p := must(t, "partyOrganization")
					return join(must(p, "id"), must(p, "name"), must(p, "kind"), must(t, "since"))
				}),
				sorted(list(must(o, "coveredBy")), func(t any) string {
					p := must(t, "partyOrganization")
					return join(must(p, "id"), must(p, "name"), must(t, "mode"), must(t, "since"))
				}),
				sorted(list(must(o, "memberships")), func(t any) string {
					h := must(t, "hub")
					return join(must(h, "id"), must(h, "name"), hubKind(h), must(t, "role"), must(t, "since"))
				}),
				sorted(list(must(o, "coBuilds")), func(t any) string {
					other := must(t, "community")
					if s(must(other, "id")) == self {
						other = must(t, "organization")
					}
					return join(must(other, "id"), must(other, "name"), must(t, "mode"), must(t, "since"))
				}),
				sorted(list(must(o, "people")), func(t any) string {
					p := must(t, "person")
					return join(must(t, "type"), must(p, "id"), must(p, "name"), must(t, "role"), must(t, "since"))
				}),
				sorted(list(must(o, "events")), func(e any) string {
					return join(must(e, "id"), must(e, "name"), must(e, "kind"), must(e, "date"))
				}),
				sorted(list(must(o, "massBranches")), func(b any) string {
					return join(must(b, "id"), must(b, "name"), must(b, "kind"))
				})), nil
		},
		"peer": func(raw any) (canon, error) {
			l := list(must(raw, "data", "organizations"))
			if len(l) == 0 {
				return canon{"found": false}, nil
			}
			o := l[0]
			edges := func(field string, f func(props, node any) string) []string {
				return sorted(list(must(o, field, "edges")), func(e any) string { return f(must(e, "properties"), must(e, "node")) })
			}
			var people []string
			for _, t := range []struct{ field, typ string }{
				{"assignedToConnection", "ASSIGNED_TO"}, {"worksAtConnection", "WORKS_AT"},
				{"placedAtConnection", "PLACED_AT"}, {"apprenticedAtConnection", "APPRENTICED_AT"},
			} {
				people = append(people, edges(t.field, func(props, p any) string {
					return join(t.typ, must(p, "id"), must(p, "name"), must(props, "role"), must(props, "since"))
				})...)
			}
			slices.Sort(people)
			events := append(list(must(o, "held")), list(must(o, "attended"))...)
			return orgCanon(o,
				list(must(o, "area")), list(must(o, "park")), list(must(o, "community")), list(must(o, "industry")),
				edges("partyOrganizationsConnection", func(props, p any) string {
					return join(must(p, "id"), must(p, "name"), must(p, "kind"), must(props, "since"))
				}),
				edges("coveredByConnection", func(props, p any) string {
					return join(must(p, "id"), must(p, "name"), must(props, "mode"), must(props, "since"))
				}),
				edges("membershipsConnection", func(props, h any) string {
					return join(must(h, "id"), must(h, "name"), hubKind(h), must(props, "role"), must(props, "since"))
				}),
				edges("coBuildsConnection", func(props, x any) string {
					return join(must(x, "id"), must(x, "name"), must(props, "mode"), must(props, "since"))
				}),
				people,
				sorted(events, func(e any) string {
					return join(must(e, "id"), must(e, "name"), must(e, "kind"), must(e, "date"))
				}),
				sorted(list(must(o, "massBranches")), func(b any) string {
					return join(must(b, "id"), must(b, "name"), must(b, "kind"))
				})), nil
		},
		"floor": func(raw any) (canon, error) {
			if len(records(raw)) == 0 {
				return canon{"found": false}, nil
			}
			o := any(record(raw, 0))
			return orgCanon(o,
				list(must(o, "area")), list(must(o, "park")), list(must(o, "community")), list(must(o, "industry")),
				sorted(list(must(o, "partyOrganizations")), func(p any) string {
					return join(must(p, "id"), must(p, "name"), must(p, "kind"), must(p, "since"))
				}),
				sorted(list(must(o, "coveredBy")), func(p any) string {
					return join(must(p, "id"), must(p, "name"), must(p, "mode"), must(p, "since"))
				}),
				sorted(list(must(o, "memberships")), func(h any) string {
					return join(must(h, "id"), must(h, "name"), must(h, "kind"), must(h, "role"), must(h, "since"))
				}),
				sorted(list(must(o, "coBuilds")), func(x any) string {
					return join(must(x, "id"), must(x, "name"), must(x, "mode"), must(x, "since"))
				}),
				sorted(list(must(o, "people")), func(p any) string {
					return join(must(p, "type"), must(p, "id"), must(p, "name"), must(p, "role"), must(p, "since"))
				}),
				sorted(list(must(o, "events")), func(e any) string {
					return join(must(e, "id"), must(e, "name"), must(e, "kind"), must(e, "date"))
				}),
				sorted(list(must(o, "massBranches")), func(b any) string {
					return join(must(b, "id"), must(b, "name"), must(b, "kind"))
				})), nil
		},
	},

	"countsByKind": {
		"cobuild": func(raw any) (canon, error) {
			c := canon{}
			for _, k := range orgKinds {
				c[k] = num(must(raw, "data", k, "totalCount"))
			}
			return c, nil
		},
		"peer": func(raw any) (canon, error) {
			c := canon{}
			for _, k := range orgKinds {
				c[k] = num(must(raw, "data", k, "aggregate", "count", "nodes"))
			}
			return c, nil
		},
		"floor": func(raw any) (canon, error) {
			r := record(raw, 0)
			c := canon{}
			for _, k := range orgKinds {
				c[k] = num(r[k])
			}
			return c, nil
		},
	},

	"townPage":  townPageNormalisers,
	"townPage2": townPageNormalisers,

	"mostTies": {
		"cobuild": func(raw any) (canon, error) {
			return canon{"organizations": ordered(list(must(raw, "data", "organizations", "nodes")), idName)}, nil
		},
		"peer": func(raw any) (canon, error) {
			return canon{"organizations": ordered(list(must(raw, "data", "organizations")), idName)}, nil
		},
		"floor": func(raw any) (canon, error) {
			rows := records(raw)
			out := make([]string, len(rows))
			for i, r := range rows {
				out[i] = idName(r)
			}
			return canon{"organizations": out}, nil
		},
	},

	"townWorklist": {
		"cobuild": func(raw any) (canon, error) {
			c := must(raw, "data", "organizations")
			return canon{"totalCount": num(must(c, "totalCount")), "first": ordered(list(must(c, "nodes")), idName)}, nil
		},
		"peer": func(raw any) (canon, error) {
			c := must(raw, "data", "organizationsConnection")
			return canon{"totalCount": num(must(c, "totalCount")),
				"first": ordered(list(must(c, "edges")), func(e any) string { return idName(must(e, "node")) })}, nil
		},
		"floor": func(raw any) (canon, error) {
			r := any(record(raw, 0))
			return canon{"totalCount": num(must(r, "totalCount")), "first": ordered(list(must(r, "nodes")), idName)}, nil
		},
	},

	"coverageByTown": {
		"cobuild": func(raw any) (canon, error) {
			return canon{"groups": sorted(list(must(raw, "data", "coverageStats", "groups")), func(g any) string {
				return join(must(g, "keys", 0, "value"), must(g, "organizations"), must(g, "operating"), must(g, "own"),
					must(g, "joint"), rate(must(g, "coverageRate")))
			})}, nil
		},
		"peer": func(raw any) (canon, error) {
			return canon{"groups": sorted(list(must(raw, "data", "coverageByArea")), func(g any) string {
				return join(must(g, "areaId"), must(g, "organizations"), must(g, "operating"), must(g, "own"),
					must(g, "joint"), rate(must(g, "coverageRate")))
			})}, nil
		},
		"floor": func(raw any) (canon, error) {
			var out []string
			for _, g := range records(raw) {
				out = append(out, join(g["areaId"], g["organizations"], g["operating"], g["own"], g["joint"], rate(g["coverageRate"])))
			}
			slices.Sort(out)
			return canon{"groups": out}, nil
		},
	},

	"chain": {
		"cobuild": func(raw any) (canon, error) {
			p := must(raw, "data", "path")
			return canon{"found": must(p, "found"), "hops": s(must(p, "hops"))}, nil
		},
		"peer": func(raw any) (canon, error) {
			p := must(raw, "data", "memberChain")
			return canon{"found": must(p, "found"), "hops": s(must(p, "hops"))}, nil
		},
		"floor": func(raw any) (canon, error) {
			r := record(raw, 0)
			return canon{"found": r["found"], "hops": s(r["hops"])}, nil
		},
	},
}

var orgKinds = []string{"ENTERPRISE", "SOCIAL_ORG", "HOSPITAL", "SCHOOL", "COMMUNITY", "DEPARTMENT", "MASS_ORG"}

func orgCanon(o any, area, park, community, industry []any, partyOrgs, coveredBy, memberships, coBuilds, people, events, massBranches []string) canon {
	return canon{
		"found": true,
		"org": join(must(o, "id"), must(o, "name"), must(o, "kind"), must(o, "creditCode"), must(o, "headcount"),
			must(o, "partyMembers")),
		"area": sorted(area, idName), "park": sorted(park, idName), "community": sorted(community, idName),
		"industry": sorted(industry, idName), "partyOrganizations": nonNil(partyOrgs), "coveredBy": nonNil(coveredBy),
		"memberships": nonNil(memberships), "coBuilds": nonNil(coBuilds), "people": nonNil(people),
		"events": nonNil(events), "massBranches": nonNil(massBranches),
	}
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// townRow is one organisation of a town page: id, name, members, own party organisations
// and memberships (sorted).
func townRow(id, name, members any, partyOrgs, memberships []string) string {
	return join(id, name, members) + "|own:" + strings.Join(partyOrgs, ";") + "|member:" + strings.Join(memberships, ";")
}

var townPageNormalisers = map[string]normaliser{
	"cobuild": func(raw any) (canon, error) {
		c := must(raw, "data", "organizations")
		rows := ordered(list(must(c, "nodes")), func(o any) string {
			return townRow(must(o, "id"), must(o, "name"), must(o, "partyMembers"),
				sorted(list(must(o, "partyOrganizations")), func(t any) string { return idName(must(t, "partyOrganization")) }),
				sorted(list(must(o, "memberships")), func(t any) string {
					return join(must(t, "role"), must(t, "hub", "id"), must(t, "hub", "name"))
				}))
		})
		return canon{"rows": rows, "hasNextPage": must(c, "pageInfo", "hasNextPage")}, nil
	},
	"peer": func(raw any) (canon, error) {
		c := must(raw, "data", "organizationsConnection")
		rows := ordered(list(must(c, "edges")), func(e any) string {
			o := must(e, "node")
			return townRow(must(o, "id"), must(o, "name"), must(o, "partyMembers"),
				sorted(list(must(o, "partyOrganizationsConnection", "edges")), func(t any) string { return idName(must(t, "node")) }),
				sorted(list(must(o, "membershipsConnection", "edges")), func(t any) string {
					return join(must(t, "properties", "role"), must(t, "node", "id"), must(t, "node", "name"))
				}))
		})
		return canon{"rows": rows, "hasNextPage": must(c, "pageInfo", "hasNextPage")}, nil
	},
	"floor": func(raw any) (canon, error) {
		recs := records(raw)
		hasNext := len(recs) > 50
		if hasNext {
			recs = recs[:50]
		}
		rows := make([]string, len(recs))
		for i, r := range recs {
			o := any(r)
			rows[i] = townRow(must(o, "id"), must(o, "name"), must(o, "partyMembers"),
				sorted(list(must(o, "partyOrganizations")), idName),
				sorted(list(must(o, "memberships")), func(h any) string { return join(must(h, "role"), must(h, "id"), must(h, "name")) }))
		}
		return canon{"rows": rows, "hasNextPage": hasNext}, nil
	},
}

// normalise runs a normaliser, turning a missing field into an error.
func normalise(f normaliser, raw any) (c canon, err error) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(shapeError)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("unexpected answer: %w", se.err)
		}
	}()
	return f(raw)
}

// summary describes a canonical answer in a few words, for the "same answers" table.
func summary(op string, c canon) string {
	if f, ok := c["found"].(bool); ok && !f && op == "organization" {
		return "not found"
	}
	switch op {
	case "organization":
		n := 0
		for _, k := range []string{"partyOrganizations", "coveredBy", "memberships", "coBuilds", "people", "events", "massBranches"} {
			n += len(c[k].([]string))
		}
		return fmt.Sprintf("%s, %d ties", strings.SplitN(c["org"].(string), "|", 3)[1], n)
	case "countsByKind":
		var parts []string
		for _, k := range orgKinds {
			parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
		}
		return strings.Join(parts, ", ")
	case "townPage", "townPage2":
		rows := c["rows"].([]string)
		first, last := "", ""
		if len(rows) > 0 {
			first, last = strings.SplitN(rows[0], "|", 2)[0], strings.SplitN(rows[len(rows)-1], "|", 2)[0]
		}
		return fmt.Sprintf("%d rows %s…%s, hasNextPage %v", len(rows), first, last, c["hasNextPage"])
	case "mostTies":
		rows := c["organizations"].([]string)
		if len(rows) == 0 {
			return "0 rows"
		}
		return fmt.Sprintf("%d rows, first %s, last %s", len(rows), strings.SplitN(rows[0], "|", 2)[0], strings.SplitN(rows[len(rows)-1], "|", 2)[0])
	case "townWorklist":
		return fmt.Sprintf("total %d, %d rows", c["totalCount"], len(c["first"].([]string)))
	case "coverageByTown":
		return fmt.Sprintf("%d groups", len(c["groups"].([]string)))
	case "chain":
		return fmt.Sprintf("found %v, hops %s", c["found"], c["hops"])
	}
	return ""
}
