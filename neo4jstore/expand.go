package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// An expansion turns a cobuild.Fetch into one map expression evaluated for each node a
// statement returns, with nested COLLECT subqueries for the ties to follow, so that a
// node, its ties and the nodes at their other ends (to any depth the Fetch asks) come back
// in the statement that reads the node. It is how a GraphQL operation costs one statement
// instead of one per level and per kind of tie.
type expansion struct {
	params map[string]any
	days   map[time.Time]string
	n      int
}

func newExpansion(params map[string]any) *expansion {
	return &expansion{params: params, days: map[time.Time]string{}}
}

// day returns the parameter holding a day, as it appears in a statement ($xd0).
func (x *expansion) day(t time.Time) string {
	t = cobuild.Day(t)
	if name, ok := x.days[t]; ok {
		return "$" + name
	}
	name := fmt.Sprintf("xd%d", len(x.days))
	x.days[t] = name
	x.params[name] = dateParam(t)
	return "$" + name
}

func (x *expansion) vars() (string, string) {
	x.n++
	return fmt.Sprintf("xr%d", x.n), fmt.Sprintf("xb%d", x.n)
}

var tiePatterns = map[cobuild.Direction]string{
	cobuild.Out:  "(%s)-[%s:%s]->(%s)",
	cobuild.In:   "(%s)<-[%s:%s]-(%s)",
	cobuild.Both: "(%s)-[%s:%s]-(%s)",
}

// tieGroup is the ties of a fetch that one subquery follows: those of one direction and
// day, and asking the same of the nodes they reach, whatever their types. Following them
// in one pattern (HAS_PARTY_ORG|COVERED_BY) expands each node once instead of once a type.
type tieGroup struct {
	dir     cobuild.Direction
	asOf    *time.Time
	then    *cobuild.Fetch
	queries []cobuild.TieQuery
}

// tieGroups groups the ties of a fetch, in the order of their first tie.
func tieGroups(f *cobuild.Fetch) []tieGroup {
	var out []tieGroup
	at := map[string]int{}
	for _, ft := range f.Ties {
		day := ""
		if ft.Query.AsOf != nil {
			day = ft.Query.AsOf.Format(time.DateOnly)
		}
		k := fmt.Sprintf("%d|%s|%s", ft.Query.Dir, day, fetchKey(ft.Then))
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, tieGroup{dir: ft.Query.Dir, asOf: ft.Query.AsOf, then: ft.Then})
		}
		out[i].queries = append(out[i].queries, ft.Query)
	}
	return out
}

// fetchKey describes a fetch, so that two fetches asking the same compare equal.
func fetchKey(f *cobuild.Fetch) string {
	if f.Empty() {
		return ""
	}
	var b strings.Builder
	for _, t := range f.Ties {
		fmt.Fprintf(&b, "(%s %d %v %s)", t.Query.Type, t.Query.Dir, t.Query.Key().Day, fetchKey(t.Then))
	}
	if f.Latest != nil {
		fmt.Fprintf(&b, "latest(%s)", fetchKey(f.Latest))
	}
	for _, d := range f.Facts {
		fmt.Fprintf(&b, "facts %s", d.Format(time.DateOnly))
	}
	if f.Attendance {
		b.WriteString("attendance")
	}
	return b.String()
}

// expr is the map expression of what f asks for about the node bound to v.
func (x *expansion) expr(v string, f *cobuild.Fetch) (string, error) {
	var parts []string
	for i, g := range tieGroups(f) {
		var types []string
		for _, q := range g.queries {
			if !q.Type.Known() {
				return "", fmt.Errorf("expand: unknown tie type %q", q.Type)
			}
			types = append(types, string(q.Type))
		}
		r, b := x.vars()
		match := fmt.Sprintf(tiePatterns[g.dir], v, r, strings.Join(types, "|"), b)
		if g.asOf != nil {
			match += " WHERE " + inForce(r, x.day(*g.asOf))
		}
		// The tie's stored start is v or b by the direction followed; for ties followed
		// either way, s says whether it is v (reading the ends' ids would cost db hits).
		item := fmt.Sprintf("{r: %[1]s, b: %[2]s, s: startNode(%[1]s) = %[3]s", r, b, v)
		if !g.then.Empty() {
			sub, err := x.expr(b, g.then)
			if err != nil {
				return "", err
			}
			item += ", x: " + sub
		}
		parts = append(parts, fmt.Sprintf("t%d: COLLECT { MATCH %s RETURN %s} }", i, match, item))
	}
	if f.Latest != nil {
		_, e := x.vars()
		item := "{e: " + e
		if !f.Latest.Empty() {
			sub, err := x.expr(e, f.Latest)
			if err != nil {
				return "", err
			}
			item += ", x: " + sub
		}
		parts = append(parts, fmt.Sprintf("latest: COLLECT { MATCH (%[1]s)-[:EVALUATED]->(%[2]s:Evaluation) WITH %[2]s ORDER BY %[2]s.round DESC LIMIT 1 RETURN %[3]s} }", v, e, item))
	}
	for i, d := range f.Facts {
		parts = append(parts, fmt.Sprintf("f%d: %s", i, factsMap(v, x.day(d))))
	}
	if f.Attendance {
		parts = append(parts, fmt.Sprintf("att: COUNT { (%s)<-[:ATTENDED]-() }", v))
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// decode reads what expr returned for the node id into out. Each node's ties of one
// query come in the order of the nodes at their other ends' ids.
func decode(id string, m map[string]any, f *cobuild.Fetch, out *cobuild.Fetched) error {
	p := propsOf(m, "expansion of "+id)
	for i, g := range tieGroups(f) {
		lists := map[cobuild.TieType][]cobuild.Neighbour{}
		for _, item := range p.list(fmt.Sprintf("t%d", i)) {
			im, ok := item.(map[string]any)
			if !ok {
				return fmt.Errorf("decode expansion of %s: a tie is %T", id, item)
			}
			ip := propsOf(im, "tie of "+id)
			r, rok := im["r"].(dbtype.Relationship)
			b, bok := im["b"].(dbtype.Node)
			if !rok || !bok {
				return fmt.Errorf("decode expansion of %s: tie %T to %T", id, im["r"], im["b"])
			}
			bid, _ := b.Props["id"].(string)
			from, to := id, bid
			if g.dir == cobuild.In || (g.dir == cobuild.Both && !ip.boolean("s")) {
				from, to = bid, id
			}
			tie, err := decodeTie(r, from, to)
			if err != nil {
				return err
			}
			node, err := decodeNode(b)
			if err != nil {
				return err
			}
			out.Nodes[bid] = node
			lists[tie.Type] = append(lists[tie.Type], cobuild.Neighbour{Tie: tie, Node: node})
			if !g.then.Empty() {
				if err := decode(bid, ip.mapOf("x"), g.then, out); err != nil {
					return err
				}
			}
			if ip.err != nil {
				return ip.err
			}
		}
		for _, q := range g.queries {
			ns := lists[q.Type]
			if ns == nil {
				ns = []cobuild.Neighbour{}
			}
			slices.SortStableFunc(ns, func(a, b cobuild.Neighbour) int { return strings.Compare(nodeID(a.Node), nodeID(b.Node)) })
			key := q.Key()
			if out.Ties[key] == nil {
				out.Ties[key] = map[string][]cobuild.Neighbour{}
			}
			out.Ties[key][id] = ns
		}
	}
	if f.Latest != nil {
		out.Latest[id] = nil
		for _, item := range p.list("latest") {
			im, ok := item.(map[string]any)
			e, eok := im["e"].(dbtype.Node)
			if !ok || !eok {
				return fmt.Errorf("decode expansion of %s: latest evaluation %T", id, item)
			}
			ev, err := decodeAs[*cobuild.Evaluation](e)
			if err != nil {
				return err
			}
			ev.PartyOrgID = id
			out.Latest[id] = ev
			out.Nodes[ev.ID] = ev
			if !f.Latest.Empty() {
				if err := decode(ev.ID, propsOf(im, "latest").mapOf("x"), f.Latest, out); err != nil {
					return err
				}
			}
		}
	}
	for i, d := range f.Facts {
		facts, err := readFacts(p.mapOf(fmt.Sprintf("f%d", i)))
		if err != nil {
			return err
		}
		out.Facts[cobuild.FactKey{ID: id, Day: cobuild.Day(d).Format(time.DateOnly)}] = facts
	}
	if f.Attendance {
		out.Attendance[id] = p.integer("att")
	}
	return p.err
}

// returning is the RETURN clause of a statement whose rows are bound to v, with the
// expansion of f as column x when f asks for anything.
func (x *expansion) returning(v string, f *cobuild.Fetch, extra string) (string, error) {
	ret := "RETURN " + v + extra
	if f.Empty() {
		return ret, nil
	}
	e, err := x.expr(v, f)
	if err != nil {
		return "", err
	}
	return ret + ", " + e + " AS x", nil
}

// expanded reads the node of column v of a record and, when f asks for anything, its
// expansion in column x, into out.
func expanded(r *neo4j.Record, v string, f *cobuild.Fetch, out *cobuild.Fetched) (any, error) {
	n, err := recordNode(r, v)
	if err != nil {
		return nil, err
	}
	node, err := decodeNode(n)
	if err != nil {
		return nil, err
	}
	id, _ := n.Props["id"].(string)
	out.Nodes[id] = node
	if f.Empty() {
		return node, nil
	}
	x, _, err := neo4j.GetRecordValue[map[string]any](r, "x")
	if err != nil {
		return nil, err
	}
	return node, decode(id, x, f, out)
}

// Expand implements cobuild.Reader: it reads the nodes with the given ids and what f asks
// along with them, in one statement.
func (s *Store) Expand(ctx context.Context, ids []string, f *cobuild.Fetch) (*cobuild.Fetched, error) {
	out := cobuild.NewFetched()
	if len(ids) == 0 {
		return out, nil
	}
	groups, labels, err := groupByLabel(ids)
	if err != nil {
		return nil, err
	}
	params := map[string]any{}
	var union []string
	for i, l := range labels {
		params[fmt.Sprintf("ids%d", i)] = groups[l]
		union = append(union, fmt.Sprintf("MATCH (v:%s) WHERE v.id IN $ids%d RETURN v", l, i))
	}
	x := newExpansion(params)
	ret, err := x.returning("v", f, "")
	if err != nil {
		return nil, err
	}
	cypher := "CALL () { " + strings.Join(union, " UNION ALL ") + " } " + ret
	if _, err := query(ctx, s, cypher, params, func(r *neo4j.Record) (any, error) { return expanded(r, "v", f, out) }); err != nil {
		return nil, fmt.Errorf("expand %d nodes: %w", len(ids), err)
	}
	return out, nil
}

// groupByLabel splits ids by the label of their nodes, labels in order; a malformed id is
// an EINVALID error.
func groupByLabel(ids []string) (map[cobuild.NodeLabel][]string, []cobuild.NodeLabel, error) {
	groups := map[cobuild.NodeLabel][]string{}
	var labels []cobuild.NodeLabel
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
	slices.Sort(labels)
	return groups, labels, nil
}

func sortStrings(s []string) { slices.Sort(s) }

// nodeID is the id of a domain node.
func nodeID(n any) string {
	switch n := n.(type) {
	case *cobuild.Organization:
		return n.ID
	case *cobuild.PartyOrg:
		return n.ID
	case *cobuild.Alliance:
		return n.ID
	case *cobuild.Agreement:
		return n.ID
	case *cobuild.RedZone:
		return n.ID
	case *cobuild.DemoBelt:
		return n.ID
	case *cobuild.DemoSite:
		return n.ID
	case *cobuild.Brand:
		return n.ID
	case *cobuild.Event:
		return n.ID
	case *cobuild.Person:
		return n.ID
	case *cobuild.Certification:
		return n.ID
	case *cobuild.MassBranch:
		return n.ID
	case *cobuild.Evaluation:
		return n.ID
	case *cobuild.Area:
		return n.ID
	case *cobuild.Industry:
		return n.ID
	}
	return ""
}
