package neo4jstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// An expansion is a cobuild.Fetch turned into one map expression evaluated for each node
// a statement returns, with nested COLLECT subqueries for the ties to follow, so that a
// node, its ties and the nodes at their other ends (to any depth the Fetch asks) come back
// in the statement that reads the node. It is how a GraphQL operation costs one statement
// instead of one per level and per kind of tie.
//
// A fetch is compiled once and kept (expansionOf): the resolvers plan a field once and
// send the same Fetch for every request of it, and building the text and the decoding
// shape anew was a tenth of the CPU time of a request for one organisation (measured).
type expansion struct {
	expr  string         // the map expression over the node bound to the variable; "" for none
	days  map[string]any // the days the expression names as parameters ($xd0, ...)
	shape *shape
	// scoped: the expression counts attendance within a scope, whose ids it names as
	// $scopeAll.
	scoped bool
}

// shape is how to read the map expression of one node.
type shape struct {
	groups     []tieGroup
	latest     *shape // what to read along with the latest evaluation; nil when not asked
	facts      []factColumn
	attendance bool
}

// tieGroup is the ties of a fetch that one subquery follows: those of one direction and
// day, and asking the same of the nodes they reach, whatever their types. Following them
// in one pattern (HAS_PARTY_ORG|COVERED_BY) expands each node once instead of once a type.
type tieGroup struct {
	column  string
	dir     cobuild.Direction
	asOf    *time.Time
	then    *cobuild.Fetch
	queries []cobuild.TieQuery
	keys    []cobuild.TieKey
	shape   *shape // of the nodes reached; nil when nothing is asked of them
}

type factColumn struct {
	column string
	day    string
}

type expansionKey struct {
	v      string
	f      *cobuild.Fetch
	scoped bool
}

// expansions keeps the compiled fetches by variable and Fetch (its pointer: a Fetch is
// never changed once sent to the store). When full it starts again.
var expansions struct {
	sync.Mutex
	m map[expansionKey]*expansion
}

const maxExpansions = 4096

// expansionOf returns the expansion of f over the node bound to v, in a read narrowed to
// a scope or of the whole graph.
func expansionOf(v string, f *cobuild.Fetch, n *narrowing) (*expansion, error) {
	if f.Empty() {
		return &expansion{}, nil
	}
	scoped := n.scope != nil
	k := expansionKey{v, f, scoped}
	keep := worthKeeping(f)
	if keep {
		expansions.Lock()
		x, ok := expansions.m[k]
		expansions.Unlock()
		if ok {
			return x, nil
		}
	}
	c := &compiler{days: map[time.Time]string{}, params: map[string]any{}, scoped: scoped}
	expr, sh, err := c.expr(v, f)
	if err != nil {
		return nil, err
	}
	x := &expansion{expr: expr, days: c.params, shape: sh, scoped: c.scopedAttendance}
	if !keep {
		return x, nil
	}
	expansions.Lock()
	if expansions.m == nil || len(expansions.m) >= maxExpansions {
		expansions.m = map[expansionKey]*expansion{}
	}
	expansions.m[k] = x
	expansions.Unlock()
	return x, nil
}

// worthKeeping reports whether a fetch is kept compiled: one that follows ties more than
// one level deep or of more than one type, as the plan of an operation does. The loaders'
// one-level fetches are made afresh for each batch and cost little to compile; keeping
// them would only push the plans out.
func worthKeeping(f *cobuild.Fetch) bool {
	if len(f.Ties) > 1 || !f.Latest.Empty() {
		return true
	}
	for _, t := range f.Ties {
		if !t.Then.Empty() {
			return true
		}
	}
	return false
}

// returning is the RETURN clause of a statement whose rows are bound to v, with the
// expansion as column x when it asks for anything; it adds the days it names, and the
// scope's ids when it counts within one, to params.
func (x *expansion) returning(v, extra string, params map[string]any, n *narrowing) string {
	ret := "RETURN " + v + extra
	if x.expr == "" {
		return ret
	}
	maps.Copy(params, x.days)
	if x.scoped {
		params["scopeAll"] = n.scope.All()
	}
	return ret + ", " + x.expr + " AS x"
}

// compiler holds the state of compiling one fetch: the days named so far and the number of
// variables used; scoped when the read is narrowed to a scope, and scopedAttendance once
// the expression counts attendance within it.
type compiler struct {
	params           map[string]any
	days             map[time.Time]string
	n                int
	scoped           bool
	scopedAttendance bool
}

// day returns the parameter holding a day, as it appears in a statement ($xd0).
func (c *compiler) day(t time.Time) string {
	t = cobuild.Day(t)
	if name, ok := c.days[t]; ok {
		return "$" + name
	}
	name := fmt.Sprintf("xd%d", len(c.days))
	c.days[t] = name
	c.params[name] = dateParam(t)
	return "$" + name
}

func (c *compiler) vars() (string, string) {
	c.n++
	return fmt.Sprintf("xr%d", c.n), fmt.Sprintf("xb%d", c.n)
}

var tiePatterns = map[cobuild.Direction]string{
	cobuild.Out:  "(%s)-[%s:%s]->(%s)",
	cobuild.In:   "(%s)<-[%s:%s]-(%s)",
	cobuild.Both: "(%s)-[%s:%s]-(%s)",
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
			out = append(out, tieGroup{column: fmt.Sprintf("t%d", i), dir: ft.Query.Dir, asOf: ft.Query.AsOf, then: ft.Then})
		}
		out[i].queries = append(out[i].queries, ft.Query)
		out[i].keys = append(out[i].keys, ft.Query.Key())
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

// expr is the map expression of what f asks for about the node bound to v, and the shape
// to read it by.
func (c *compiler) expr(v string, f *cobuild.Fetch) (string, *shape, error) {
	sh := &shape{groups: tieGroups(f), attendance: f.Attendance}
	var parts []string
	for i := range sh.groups {
		g := &sh.groups[i]
		var types []string
		for _, q := range g.queries {
			if !q.Type.Known() {
				return "", nil, fmt.Errorf("expand: unknown tie type %q", q.Type)
			}
			types = append(types, string(q.Type))
		}
		r, b := c.vars()
		match := fmt.Sprintf(tiePatterns[g.dir], v, r, strings.Join(types, "|"), b)
		if g.asOf != nil {
			match += " WHERE " + inForce(r, c.day(*g.asOf))
		}
		// The tie's stored start is v or b by the direction followed; for ties followed
		// either way, s says whether it is v (reading the ends' ids would cost db hits).
		item := fmt.Sprintf("{r: %[1]s, b: %[2]s, s: startNode(%[1]s) = %[3]s", r, b, v)
		if !g.then.Empty() {
			sub, subShape, err := c.expr(b, g.then)
			if err != nil {
				return "", nil, err
			}
			item += ", x: " + sub
			g.shape = subShape
		}
		parts = append(parts, fmt.Sprintf("%s: COLLECT { MATCH %s RETURN %s} }", g.column, match, item))
	}
	if f.Latest != nil {
		_, e := c.vars()
		item := "{e: " + e
		sh.latest = &shape{}
		if !f.Latest.Empty() {
			sub, subShape, err := c.expr(e, f.Latest)
			if err != nil {
				return "", nil, err
			}
			item += ", x: " + sub
			sh.latest = subShape
		}
		parts = append(parts, fmt.Sprintf("latest: COLLECT { MATCH (%[1]s)-[:EVALUATED]->(%[2]s:Evaluation) WITH %[2]s ORDER BY %[2]s.round DESC LIMIT 1 RETURN %[3]s} }", v, e, item))
	}
	for i, d := range f.Facts {
		col := fmt.Sprintf("f%d", i)
		sh.facts = append(sh.facts, factColumn{col, cobuild.Day(d).Format(time.DateOnly)})
		parts = append(parts, fmt.Sprintf("%s: %s", col, factsMap(v, c.day(d))))
	}
	if f.Attendance {
		if c.scoped {
			// Within a scope an event's attendance is that of the attendees in scope.
			_, a := c.vars()
			parts = append(parts, fmt.Sprintf("att: COUNT { MATCH (%s)<-[:ATTENDED]-(%[2]s) WHERE %[2]s.id IN $scopeAll }", v, a))
			c.scopedAttendance = true
		} else {
			parts = append(parts, fmt.Sprintf("att: COUNT { (%s)<-[:ATTENDED]-() }", v))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}", sh, nil
}

// decode reads what expr returned for the node id into out. Each node's ties of one
// query come in the order of the nodes at their other ends' ids. Within a scope (in), the
// ties to nodes outside are left out, and nothing is read of those nodes.
func (sh *shape) decode(id string, m map[string]any, out *cobuild.Fetched, in *cobuild.Scope) error {
	p := propsOf(m, "expansion of "+id)
	for _, g := range sh.groups {
		lists := map[cobuild.TieType][]cobuild.Neighbour{}
		for _, item := range p.list(g.column) {
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
			if in != nil && !in.Has(bid) {
				continue
			}
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
			if g.shape != nil {
				if err := g.shape.decode(bid, ip.mapOf("x"), out, in); err != nil {
					return err
				}
			}
			if ip.err != nil {
				return ip.err
			}
		}
		for i, q := range g.queries {
			ns := lists[q.Type]
			if ns == nil {
				ns = []cobuild.Neighbour{}
			}
			slices.SortStableFunc(ns, func(a, b cobuild.Neighbour) int { return strings.Compare(nodeID(a.Node), nodeID(b.Node)) })
			key := g.keys[i]
			if out.Ties[key] == nil {
				out.Ties[key] = map[string][]cobuild.Neighbour{}
			}
			out.Ties[key][id] = ns
		}
	}
	if sh.latest != nil {
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
			if in != nil && !in.Has(ev.ID) {
				continue
			}
			ev.PartyOrgID = id
			out.Latest[id] = ev
			out.Nodes[ev.ID] = ev
			if !sh.latest.empty() {
				if err := sh.latest.decode(ev.ID, propsOf(im, "latest").mapOf("x"), out, in); err != nil {
					return err
				}
			}
		}
	}
	for _, fc := range sh.facts {
		facts, err := readFacts(p.mapOf(fc.column))
		if err != nil {
			return err
		}
		out.Facts[cobuild.FactKey{ID: id, Day: fc.day}] = facts
	}
	if sh.attendance {
		out.Attendance[id] = p.integer("att")
	}
	return p.err
}

func (sh *shape) empty() bool {
	return len(sh.groups) == 0 && sh.latest == nil && len(sh.facts) == 0 && !sh.attendance
}

// expanded reads the node of column v of a record and, when the expansion asks for
// anything, what it read along with it in column x, into out; within a scope (in), what it
// read of nodes outside is left out (the statement keeps the node of v in scope).
func expanded(r *neo4j.Record, v string, x *expansion, out *cobuild.Fetched, in *cobuild.Scope) (any, error) {
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
	if x.expr == "" {
		return node, nil
	}
	m, _, err := neo4j.GetRecordValue[map[string]any](r, "x")
	if err != nil {
		return nil, err
	}
	return node, x.shape.decode(id, m, out, in)
}

// Expand implements cobuild.Reader: it reads the nodes with the given ids and what f asks
// along with them, in one statement.
//
// Within a scope, the ids outside are missing, as ids of no node are.
func (s *Store) Expand(ctx context.Context, ids []string, f *cobuild.Fetch) (*cobuild.Fetched, error) {
	out := cobuild.NewFetched()
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	if n.scope != nil {
		for _, id := range ids {
			if _, err := cobuild.LabelOf(id); err != nil {
				return nil, err
			}
		}
		ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !n.scope.Has(id) })
	}
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
	x, err := expansionOf("v", f, n)
	if err != nil {
		return nil, err
	}
	cypher := "CALL () { " + strings.Join(union, " UNION ALL ") + " } " + x.returning("v", "", params, n)
	if _, err := query(ctx, s, cypher, params, func(r *neo4j.Record) (any, error) { return expanded(r, "v", x, out, n.scope) }); err != nil {
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
