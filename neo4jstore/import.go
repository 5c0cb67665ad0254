package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
	"cobuild/imports"
)

// The store's side of an import (package imports): the keys of the graph's nodes, and
// write transactions in which the importer reads what the graph holds of its rows and
// writes what differs. Labels and tie types come from the domain's tables and are checked
// before they become part of a statement; every value is a parameter.

var _ imports.Store = (*Store)(nil)

// directoryFields are the keys read of each label's nodes, beyond id and name.
var directoryFields = map[cobuild.NodeLabel]string{
	cobuild.LabelOrganization:  "n.creditCode AS code, n.kind AS kind, head(COLLECT { MATCH (n)-[:LOCATED_IN]->(a:Area) RETURN a.id }) AS area",
	cobuild.LabelIndustry:      "n.code AS code",
	cobuild.LabelEvent:         "toString(n.date) AS date",
	cobuild.LabelPerson:        "n.birthYear AS year",
	cobuild.LabelEvaluation:    "n.round AS round, head(COLLECT { MATCH (p:PartyOrg)-[:EVALUATED]->(n) RETURN p.id }) AS owner",
	cobuild.LabelCertification: "n.kind AS kind, head(COLLECT { MATCH (p:Person)-[:HOLDS]->(n) RETURN p.id }) AS owner",
}

// Directory implements imports.Store.
func (s *Store) Directory(ctx context.Context, labels []cobuild.NodeLabel) ([]imports.Entry, error) {
	var out []imports.Entry
	for _, l := range labels {
		if err := checkLabel(string(l)); err != nil {
			return nil, err
		}
		extra := directoryFields[l]
		if extra != "" {
			extra = ", " + extra
		}
		rows, err := query(ctx, s, fmt.Sprintf("MATCH (n:%s) RETURN n.id AS id, n.name AS name%s", l, extra), nil,
			func(r *neo4j.Record) (imports.Entry, error) {
				m := r.AsMap()
				e := imports.Entry{Label: l}
				e.ID, _ = m["id"].(string)
				e.Name, _ = m["name"].(string)
				e.Code, _ = m["code"].(string)
				e.Kind, _ = m["kind"].(string)
				e.Date, _ = m["date"].(string)
				e.Year, _ = m["year"].(int64)
				e.Owner, _ = m["owner"].(string)
				e.Round, _ = m["round"].(string)
				e.Area, _ = m["area"].(string)
				return e, nil
			})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

func checkLabel(l string) error {
	if !labelPattern.MatchString(l) {
		return fmt.Errorf("import: bad label %q", l)
	}
	return nil
}

func checkTieType(t cobuild.TieType) error {
	if !t.Known() || !relTypePattern.MatchString(string(t)) {
		return fmt.Errorf("import: unknown tie type %q", t)
	}
	return nil
}

// ImportTx implements imports.Store: fn runs in one write transaction that first takes the
// change log's lock, so that no officer's write interleaves with what it reads and writes.
func (s *Store) ImportTx(ctx context.Context, timeout time.Duration, fn func(imports.Tx) error) error {
	_, err := writeTx(ctx, s, timeout, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		seq, err := s.lockLog(ctx, tx)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, fn(&importTx{s: s, ctx: ctx, tx: tx, seq: seq})
	})
	return err
}

type importTx struct {
	s   *Store
	ctx context.Context
	tx  neo4j.ManagedTransaction
	seq int64
}

func (t *importTx) Seq() int64 { return t.seq }

func (t *importTx) run(cypher string, params map[string]any) ([]map[string]any, error) {
	return collect(t.ctx, t.s, t.tx, cypher, params, func(r *neo4j.Record) (map[string]any, error) { return r.AsMap(), nil })
}

// plain turns what the driver reads into the values an import compares: days as
// time.Time, lists of numbers as []float64.
func plain(v any) any {
	switch x := v.(type) {
	case dbtype.Date:
		return x.Time()
	case []any:
		fs := make([]float64, 0, len(x))
		for _, e := range x {
			switch n := e.(type) {
			case float64:
				fs = append(fs, n)
			case int64:
				fs = append(fs, float64(n))
			default:
				return v
			}
		}
		return fs
	}
	return v
}

func plainMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = plain(v)
	}
	return out
}

func (t *importTx) Nodes(label cobuild.NodeLabel, ids []string) (map[string]imports.Node, error) {
	out := map[string]imports.Node{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := checkLabel(string(label)); err != nil {
		return nil, err
	}
	rows, err := t.run(fmt.Sprintf("UNWIND $ids AS id MATCH (n:%s {id: id}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props", label),
		map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		id, _ := r["id"].(string)
		var labels []string
		for _, l := range r["labels"].([]any) {
			labels = append(labels, l.(string))
		}
		out[id] = imports.Node{Labels: labels, Props: plainMap(r["props"].(map[string]any))}
	}
	return out, nil
}

func (t *importTx) Ties(typ cobuild.TieType, at cobuild.NodeLabel, ids []string, out bool, others []cobuild.NodeLabel) ([]imports.Tie, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if err := checkTieType(typ); err != nil {
		return nil, err
	}
	if err := checkLabel(string(at)); err != nil {
		return nil, err
	}
	var conds []string
	for _, l := range others {
		if err := checkLabel(string(l)); err != nil {
			return nil, err
		}
		conds = append(conds, "m:"+string(l))
	}
	pattern := "(n)-[r:%s]->(m)"
	if !out {
		pattern = "(n)<-[r:%s]-(m)"
	}
	rows, err := t.run(fmt.Sprintf("UNWIND $ids AS id MATCH (n:%s {id: id}) MATCH "+pattern+" WHERE %s RETURN n.id AS at, m.id AS other, properties(r) AS props, elementId(r) AS e",
		at, typ, strings.Join(conds, " OR ")), map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	ties := make([]imports.Tie, 0, len(rows))
	for _, r := range rows {
		tie := imports.Tie{Props: plainMap(r["props"].(map[string]any))}
		tie.At, _ = r["at"].(string)
		tie.Other, _ = r["other"].(string)
		tie.Element, _ = r["e"].(string)
		ties = append(ties, tie)
	}
	return ties, nil
}

func (t *importTx) CreateNodes(nodes []imports.NodeWrite) error {
	groups := map[string][]map[string]any{}
	var keys []string
	for _, n := range nodes {
		for _, l := range n.Labels {
			if err := checkLabel(l); err != nil {
				return err
			}
		}
		k := strings.Join(n.Labels, ":")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], storableMap(n.Props))
	}
	for _, k := range keys {
		if err := t.s.exec(t.ctx, t.tx, fmt.Sprintf("UNWIND $rows AS row CREATE (n:%s) SET n = row", k), map[string]any{"rows": groups[k]}); err != nil {
			return fmt.Errorf("import %s nodes: %w", k, err)
		}
	}
	return nil
}

func (t *importTx) UpdateNodes(nodes []imports.NodeWrite) error {
	type group struct {
		label, relabel string
		rows           []map[string]any
	}
	groups := map[string]*group{}
	var keys []string
	for _, n := range nodes {
		for _, l := range append(append([]string{string(n.Label)}, n.Labels...), n.Drop...) {
			if err := checkLabel(l); err != nil {
				return err
			}
		}
		relabel := ""
		if len(n.Drop) > 0 {
			relabel = " REMOVE n:" + strings.Join(n.Drop, ":")
		}
		relabel += " SET n:" + strings.Join(n.Labels, ":")
		k := string(n.Label) + relabel
		g, ok := groups[k]
		if !ok {
			g = &group{label: string(n.Label), relabel: relabel}
			groups[k] = g
			keys = append(keys, k)
		}
		props := storableMap(n.Props)
		g.rows = append(g.rows, map[string]any{"id": n.ID, "props": props})
	}
	for _, k := range keys {
		g := groups[k]
		stmt := fmt.Sprintf("UNWIND $rows AS row MATCH (n:%s {id: row.id}) SET n += row.props%s", g.label, g.relabel)
		if err := t.s.exec(t.ctx, t.tx, stmt, map[string]any{"rows": g.rows}); err != nil {
			return fmt.Errorf("import %s nodes: %w", g.label, err)
		}
	}
	return nil
}

func (t *importTx) WriteTies(ties []imports.TieWrite) error {
	type createKey struct {
		typ      cobuild.TieType
		from, to cobuild.NodeLabel
	}
	creates := map[createKey][]map[string]any{}
	var ckeys []createKey
	var updates, deletes []map[string]any
	for _, w := range ties {
		if err := checkTieType(w.Type); err != nil {
			return err
		}
		switch {
		case w.Delete:
			deletes = append(deletes, map[string]any{"e": w.Element})
		case w.Element != "":
			updates = append(updates, map[string]any{"e": w.Element, "props": storableMap(w.Props)})
		default:
			fl, err := cobuild.LabelOf(w.From)
			if err != nil {
				return err
			}
			tl, err := cobuild.LabelOf(w.To)
			if err != nil {
				return err
			}
			k := createKey{w.Type, fl, tl}
			if _, ok := creates[k]; !ok {
				ckeys = append(ckeys, k)
			}
			creates[k] = append(creates[k], map[string]any{"from": w.From, "to": w.To, "props": storableMap(w.Props)})
		}
	}
	if len(deletes) > 0 {
		if err := t.s.exec(t.ctx, t.tx, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.e DELETE r", map[string]any{"rows": deletes}); err != nil {
			return fmt.Errorf("import: remove ties: %w", err)
		}
	}
	if len(updates) > 0 {
		if err := t.s.exec(t.ctx, t.tx, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.e SET r += row.props", map[string]any{"rows": updates}); err != nil {
			return fmt.Errorf("import: update ties: %w", err)
		}
	}
	sort.Slice(ckeys, func(i, j int) bool {
		a, b := ckeys[i], ckeys[j]
		return string(a.typ)+string(a.from)+string(a.to) < string(b.typ)+string(b.from)+string(b.to)
	})
	for _, k := range ckeys {
		rows := creates[k]
		got, err := t.run(fmt.Sprintf(`UNWIND $rows AS row
			MATCH (a:%s {id: row.from}) MATCH (b:%s {id: row.to})
			CREATE (a)-[r:%s]->(b) SET r = row.props RETURN count(r) AS n`, k.from, k.to, k.typ), map[string]any{"rows": rows})
		if err != nil {
			return fmt.Errorf("import %s ties: %w", k.typ, err)
		}
		if n, _ := got[0]["n"].(int64); int(n) != len(rows) {
			return fmt.Errorf("import %s ties: %d of %d found both their ends", k.typ, n, len(rows))
		}
	}
	return nil
}

// Begin implements imports.Tx. The mark, an :Import node, keeps the first number of every
// block of ids reserved, so that a rerun of an interrupted import gives its new nodes the
// ids the first run gave them.
func (t *importTx) Begin(hash string, counts map[string]int64) (map[string]int64, bool, error) {
	rows, err := t.run("MATCH (m:Import {id: $hash}) RETURN m.bases AS bases", map[string]any{"hash": hash})
	if err != nil {
		return nil, false, err
	}
	if len(rows) > 0 {
		bases := map[string]int64{}
		s, _ := rows[0]["bases"].(string)
		if err := json.Unmarshal([]byte(s), &bases); err != nil {
			return nil, false, fmt.Errorf("import mark: %w", err)
		}
		return bases, true, nil
	}
	bases := map[string]int64{}
	next := map[string]any{}
	for prefix, n := range counts {
		cur, err := t.counter(prefix)
		if err != nil {
			return nil, false, err
		}
		bases[prefix] = cur
		next["next_"+prefix] = cur + n
	}
	b, _ := json.Marshal(bases)
	e, _ := json.Marshal(next)
	if err := t.s.exec(t.ctx, t.tx, "MATCH (l:ChangeLog {id: 'log'}) SET l += $next", map[string]any{"next": next}); err != nil {
		return nil, false, err
	}
	if err := t.s.exec(t.ctx, t.tx, "CREATE (:Import {id: $hash, bases: $bases, ends: $ends, startedAt: datetime()})",
		map[string]any{"hash": hash, "bases": string(b), "ends": string(e)}); err != nil {
		return nil, false, err
	}
	return bases, false, nil
}

// counter returns the last number given to an id of a prefix (lastID).
func (t *importTx) counter(prefix string) (int64, error) {
	l, err := cobuild.LabelOf(prefix + "-1")
	if err != nil {
		return 0, err
	}
	return lastID(t.run, l, prefix)
}

func (t *importTx) top(prefix string) (int64, error) {
	l, err := cobuild.LabelOf(prefix + "-1")
	if err != nil {
		return 0, err
	}
	return topID(t.run, l)
}

// maxTouched bounds the ids an import's change lists as touched.
const maxTouched = 10000

// Finish implements imports.Tx.
func (t *importTx) Finish(hash string, actor cobuild.Actor, args string, changed []string, prefixes []string) (int64, error) {
	byLabel := map[cobuild.NodeLabel][]string{}
	seen := map[string]bool{}
	var touched []string
	for _, id := range changed {
		if seen[id] {
			continue
		}
		seen[id] = true
		touched = append(touched, id)
		if l, err := cobuild.LabelOf(id); err == nil {
			byLabel[l] = append(byLabel[l], id)
		}
	}
	c := &cobuild.Change{Actor: actor, Op: "import", Args: args, Batch: true}
	// history(id:) finds the change by the ids it touched: those of an import that changed
	// a few organisations (a whole registry would make one change too large to read).
	if len(touched) <= maxTouched {
		sort.Strings(touched)
		c.Touched = touched
	}
	if err := t.s.appendChange(t.ctx, t.tx, c); err != nil {
		return 0, err
	}
	for l, ids := range byLabel {
		for lo := 0; lo < len(ids); lo += 20000 {
			if err := t.s.exec(t.ctx, t.tx, fmt.Sprintf("UNWIND $ids AS id MATCH (n:%s {id: id}) SET n.version = $seq", l),
				map[string]any{"ids": ids[lo:min(lo+20000, len(ids))], "seq": c.Seq}); err != nil {
				return 0, err
			}
		}
	}
	next := map[string]any{}
	for _, p := range prefixes {
		cur, err := t.counter(p)
		if err != nil {
			return 0, err
		}
		top, err := t.top(p)
		if err != nil {
			return 0, err
		}
		next["next_"+p] = max(cur, top)
	}
	if err := t.s.exec(t.ctx, t.tx, "MATCH (l:ChangeLog {id: 'log'}) SET l += $next", map[string]any{"next": next}); err != nil {
		return 0, err
	}
	return c.Seq, t.s.exec(t.ctx, t.tx, "MATCH (m:Import {id: $hash}) DELETE m", map[string]any{"hash": hash})
}

// Abandon implements imports.Tx. The ids the mark reserved go back to the counters when
// no write has taken any since: an import that changed nothing leaves nothing.
func (t *importTx) Abandon(hash string) error {
	rows, err := t.run("MATCH (m:Import {id: $hash}) RETURN m.bases AS bases, m.ends AS ends", map[string]any{"hash": hash})
	if err != nil || len(rows) == 0 {
		return err
	}
	var bases, ends map[string]int64
	b, _ := rows[0]["bases"].(string)
	e, _ := rows[0]["ends"].(string)
	if json.Unmarshal([]byte(b), &bases) == nil && json.Unmarshal([]byte(e), &ends) == nil {
		back := map[string]any{}
		for prefix, base := range bases {
			key := "next_" + prefix
			cur, err := t.run("MATCH (l:ChangeLog {id: 'log'}) RETURN l[$key] AS n", map[string]any{"key": key})
			if err != nil {
				return err
			}
			if n, ok := cur[0]["n"].(int64); ok && n == ends[key] {
				back[key] = base
			}
		}
		if len(back) > 0 {
			if err := t.s.exec(t.ctx, t.tx, "MATCH (l:ChangeLog {id: 'log'}) SET l += $back", map[string]any{"back": back}); err != nil {
				return err
			}
		}
	}
	return t.s.exec(t.ctx, t.tx, "MATCH (m:Import {id: $hash}) DELETE m", map[string]any{"hash": hash})
}
