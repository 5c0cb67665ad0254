package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// Apply implements cobuild.Writer: one write transaction that takes the change log's lock,
// replays an idempotency key already used, checks the command (ids, kinds, dates, ties in
// force, the expected version, the actor's areas) before it writes anything, writes, and
// appends the change with the before and after of everything it touched. Any error rolls
// the whole transaction back.
func (s *Store) Apply(ctx context.Context, cmd cobuild.Command) (*cobuild.Change, error) {
	op, ok := operations[cmd.Op]
	if !ok {
		return nil, cobuild.Errorf(cobuild.EINVALID, "未知的操作 %q。Unknown operation %q.", cmd.Op, cmd.Op)
	}
	args, err := json.Marshal(cmd.Args)
	if err != nil {
		return nil, cobuild.Errorf(cobuild.EINVALID, "参数无法记录。The arguments cannot be recorded: %v", err)
	}
	return writeTx(ctx, s, s.timeout, func(tx neo4j.ManagedTransaction) (*cobuild.Change, error) {
		if _, err := s.lockLog(ctx, tx); err != nil {
			return nil, err
		}
		if cmd.Key != "" {
			prev, err := collect(ctx, s, tx, "MATCH (c:Change {key: $key}) RETURN c", map[string]any{"key": cmd.Key}, decodeChangeRecord)
			if err != nil {
				return nil, err
			}
			if len(prev) > 0 {
				if prev[0].Op != cmd.Op || prev[0].Args != string(args) {
					return nil, invalid("idempotencyKey", "该幂等键已用于另一项操作（第 %d 号变更）。The idempotency key was used for another operation (change %d).", prev[0].Seq, prev[0].Seq)
				}
				prev[0].Replayed = true
				return prev[0], nil
			}
		}
		w := &wtx{ctx: ctx, s: s, tx: tx, cmd: cmd, today: cobuild.Today(), areas: map[string][]string{},
			c: &cobuild.Change{Actor: cmd.Actor, Op: cmd.Op, Args: string(args), Key: cmd.Key}}
		if err := op(w); err != nil {
			return nil, err
		}
		if err := w.finish(); err != nil {
			return nil, err
		}
		if err := s.appendChange(ctx, tx, w.c); err != nil {
			return nil, err
		}
		// Every node touched carries the sequence number of the last change to it: its
		// version, which a later command may expect.
		for label, ids := range byLabel(w.c.Touched) {
			if err := s.exec(ctx, tx, "MATCH (n:"+string(label)+") WHERE n.id IN $ids SET n.version = $seq",
				map[string]any{"ids": ids, "seq": w.c.Seq}); err != nil {
				return nil, err
			}
		}
		return w.c, nil
	})
}

// operations are the commands by name: each checks its arguments and the graph, then
// writes through the wtx, which records what it touched.
var operations = map[string]func(w *wtx) error{
	"registerOrganization":      registerOrganization,
	"updateOrganization":        updateOrganization,
	"closeOrganization":         closeOrganization,
	"formPartyOrganization":     formPartyOrganization,
	"dissolvePartyOrganization": dissolvePartyOrganization,
	"coverOrganization":         coverOrganization,
	"endCoverage":               endCoverage,
	"assignPerson":              assignPerson,
	"withdrawPerson":            withdrawPerson,
	"joinHub":                   joinHub,
	"leaveHub":                  leaveHub,
	"signAgreement":             signAgreement,
	"linkCommunity":             linkCommunity,
	"unlinkCommunity":           unlinkCommunity,
	"recordEvent":               recordEvent,
	"pairMentor":                pairMentor,
	"endMentoring":              endMentoring,
	"recordCertificationReview": recordCertificationReview,
	"recordMassBranch":          recordMassBranch,
	"openRound":                 openRound,
	"enterScores":               enterScores,
	"finaliseRound":             finaliseRound,
	"setRectification":          setRectification,
}

// Operations lists the commands Apply knows.
func Operations() []string {
	out := make([]string, 0, len(operations))
	for k := range operations {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// wtx is one command's write transaction: what it read, touched and wrote so far.
type wtx struct {
	ctx   context.Context
	s     *Store
	tx    neo4j.ManagedTransaction
	cmd   cobuild.Command
	today time.Time
	c     *cobuild.Change
	// areas are the areas of each organisation touched (with the areas holding them).
	areas map[string][]string
	// explicit are areas a command is about itself (an agreement's parties).
	explicit []string
	// scopeChecked is set by a command that checked the actor's scope itself (the
	// party organisations of an evaluation round); recorded are the areas it is about,
	// which the change lists without their being checked again.
	scopeChecked bool
	recorded     []string
	// before is the coverage of the organisations touched, read before the first write.
	before  map[string]orgCoverage
	writing bool
}

func invalid(field, format string, args ...any) *cobuild.Error {
	return &cobuild.Error{Code: cobuild.EINVALID, Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"field": field}}
}

// run runs one statement of the command.
func (w *wtx) run(cypher string, params map[string]any) ([]map[string]any, error) {
	return collect(w.ctx, w.s, w.tx, cypher, params, func(r *neo4j.Record) (map[string]any, error) { return r.AsMap(), nil })
}

// Arguments.

func (w *wtx) str(k string) string {
	s, _ := w.cmd.Args[k].(string)
	return strings.TrimSpace(s)
}

func (w *wtx) has(k string) bool { return w.cmd.Args[k] != nil }

func (w *wtx) integer(k string, def int) (int, error) {
	switch v := w.cmd.Args[k].(type) {
	case nil:
		return def, nil
	case int:
		if v < 0 {
			return 0, invalid(k, "%s 不能为负数。%s cannot be negative.", k, k)
		}
		return v, nil
	}
	return 0, invalid(k, "%s 应为整数。%s must be an integer.", k, k)
}

func (w *wtx) boolean(k string, def bool) bool {
	if b, ok := w.cmd.Args[k].(bool); ok {
		return b
	}
	return def
}

// date reads a day argument ("2006-01-02"); def when absent, unless def is zero: then it
// is required.
func (w *wtx) date(k string, def time.Time) (time.Time, error) {
	s := w.str(k)
	if s == "" {
		if def.IsZero() {
			return time.Time{}, invalid(k, "缺少日期 %s。The date %s is required.", k, k)
		}
		return def, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, invalid(k, "日期 %q 格式不正确，应为 2006-01-02。The date %q is not of the form 2006-01-02.", s, s)
	}
	return d, nil
}

func (w *wtx) ids(k string) []string {
	switch v := w.cmd.Args[k].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

func (w *wtx) required(k string) (string, error) {
	s := w.str(k)
	if s == "" {
		return "", invalid(k, "缺少 %s。%s is required.", k, k)
	}
	return s, nil
}

// Reads.

// node reads the node an argument names, which must exist and have one of the labels.
func (w *wtx) node(field, id string, labels ...cobuild.NodeLabel) (map[string]any, cobuild.NodeLabel, error) {
	label, err := cobuild.LabelOf(id)
	if err != nil {
		return nil, "", invalid(field, "编号 %q 格式不正确，应形如 og-000123。The id %q is malformed: ids look like og-000123.", id, id)
	}
	if !slices.Contains(labels, label) {
		want := make([]string, len(labels))
		for i, l := range labels {
			want[i] = string(l)
		}
		return nil, "", invalid(field, "%s 是 %s，此处需要 %s。%s is a %s, where a %s is needed.", id, label, strings.Join(want, "或"), id, label, strings.Join(want, " or "))
	}
	rows, err := w.run("MATCH (n:"+string(label)+" {id: $id}) RETURN properties(n) AS p", map[string]any{"id": id})
	if err != nil {
		return nil, "", err
	}
	if len(rows) == 0 {
		return nil, "", invalid(field, "未找到 %s。No node has the id %s.", id, id)
	}
	p, _ := rows[0]["p"].(map[string]any)
	return p, label, nil
}

// org reads an organisation an argument names, of one of the kinds (any when none), and
// counts it as touched.
func (w *wtx) org(field, id string, kinds ...cobuild.OrgKind) (map[string]any, error) {
	p, _, err := w.node(field, id, cobuild.LabelOrganization)
	if err != nil {
		return nil, err
	}
	kind := cobuild.OrgKind(fmt.Sprint(p["kind"]))
	if len(kinds) > 0 && !slices.Contains(kinds, kind) {
		want := make([]string, len(kinds))
		for i, k := range kinds {
			want[i] = cobuild.Label("OrgKind", string(k))
		}
		return nil, invalid(field, "%s（%s）是%s，此处需要%s。%s is a %s, where a %s is needed.", id, p["name"],
			cobuild.Label("OrgKind", string(kind)), strings.Join(want, "或"), id, kind, strings.Join(kindNames(kinds), " or "))
	}
	return p, w.touchOrg(id)
}

func kindNames(kinds []cobuild.OrgKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// expect checks the command's expected version against an organisation's.
func (w *wtx) expect(id string, p map[string]any) error {
	if w.cmd.ExpectedVersion == nil {
		return nil
	}
	v, _ := p["version"].(int64)
	if v != *w.cmd.ExpectedVersion {
		return &cobuild.Error{Code: cobuild.ECONFLICT,
			Message: fmt.Sprintf("%s 已被他人修改（当前版本 %d，您提交的版本 %d），请刷新后重试。%s was changed by someone else (its version is %d, yours %d); reload it and try again.",
				id, v, *w.cmd.ExpectedVersion, id, v, *w.cmd.ExpectedVersion),
			Extensions: map[string]any{"id": id, "version": v, "expectedVersion": *w.cmd.ExpectedVersion}}
	}
	return nil
}

// touch counts nodes as touched by the change: their network ties or names may change.
func (w *wtx) touch(ids ...string) {
	for _, id := range ids {
		if !slices.Contains(w.c.Touched, id) {
			w.c.Touched = append(w.c.Touched, id)
			w.c.Nodes = append(w.c.Nodes, id)
		}
	}
}

// touchOrg counts an organisation as touched: its coverage and places may change. Its
// areas are read, for the actor's scope and the change's areas.
func (w *wtx) touchOrg(id string) error {
	w.touch(id)
	if slices.Contains(w.c.Orgs, id) {
		return nil
	}
	if w.writing {
		return fmt.Errorf("organisation %s touched after the first write", id)
	}
	w.c.Orgs = append(w.c.Orgs, id)
	rows, err := w.run(`MATCH (o:Organization {id: $id})
		OPTIONAL MATCH (o)-[:LOCATED_IN|IN_PARK]->(a:Area) OPTIONAL MATCH (a)-[:LOCATED_IN]->(up:Area)
		RETURN collect(DISTINCT a.id) + collect(DISTINCT up.id) AS areas`, map[string]any{"id": id})
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		for _, a := range rows[0]["areas"].([]any) {
			w.areas[id] = append(w.areas[id], a.(string))
		}
	}
	return nil
}

// orgsWhere touches the organisations a statement returns (as id).
func (w *wtx) orgsWhere(cypher string, params map[string]any) error {
	rows, err := w.run(cypher, params)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.touchOrg(r["id"].(string)); err != nil {
			return err
		}
	}
	return nil
}

// Writes.

// write is called before each write: the coverage of the organisations touched is read
// once, before the first.
func (w *wtx) write() error {
	if w.writing {
		return nil
	}
	if err := w.checkScope(); err != nil {
		return err
	}
	w.writing = true
	var err error
	w.before, err = w.coverageOf(w.c.Orgs)
	return err
}

// checkScope refuses an area officer a change about an organisation outside their areas,
// or about none at all.
func (w *wtx) checkScope() error {
	a := w.cmd.Actor
	if !a.Scoped || w.scopeChecked {
		return nil
	}
	if len(w.c.Orgs) == 0 && len(w.explicit) == 0 {
		return &cobuild.Error{Code: cobuild.EFORBIDDEN, Message: "此项变更不涉及您辖区的组织，只有管理员可以记录。The change concerns no organisation of your areas: only an admin may record it.",
			Extensions: map[string]any{"role": a.Role}}
	}
	check := func(id string, areas []string) error {
		for _, x := range areas {
			if slices.Contains(a.Areas, x) {
				return nil
			}
		}
		return &cobuild.Error{Code: cobuild.EFORBIDDEN, Message: fmt.Sprintf("%s 不在您的辖区内，您无权修改。%s lies outside your areas; you may not change it.", id, id),
			Extensions: map[string]any{"role": a.Role, "id": id}}
	}
	for _, id := range w.c.Orgs {
		if err := check(id, w.areas[id]); err != nil {
			return err
		}
	}
	for _, id := range w.explicit {
		if err := check(id, []string{id}); err != nil {
			return err
		}
	}
	return nil
}

// nextID allocates the id of a new node of a label: the log keeps a counter per prefix,
// started from the largest id in use.
func (w *wtx) nextID(label cobuild.NodeLabel) (string, error) {
	prefix := ""
	for _, l := range cobuild.Labels {
		if l.Label == label {
			prefix = l.Prefix
		}
	}
	key := "next_" + prefix
	n, err := lastID(w.run, label, prefix)
	if err != nil {
		return "", err
	}
	n++
	if err := w.s.exec(w.ctx, w.tx, "MATCH (l:ChangeLog {id: 'log'}) SET l += $next", map[string]any{"next": map[string]any{key: n}}); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%06d", prefix, n), nil
}

// lastID returns the last number given to an id of a label (prefix): the change log's
// counter, or the highest id of the label when the log has none yet. The log's lock is held.
func lastID(run func(string, map[string]any) ([]map[string]any, error), label cobuild.NodeLabel, prefix string) (int64, error) {
	rows, err := run("MATCH (l:ChangeLog {id: 'log'}) RETURN l[$key] AS n", map[string]any{"key": "next_" + prefix})
	if err != nil {
		return 0, err
	}
	if n, ok := rows[0]["n"].(int64); ok {
		return n, nil
	}
	return topID(run, label)
}

// topID returns the highest number of the ids of a label's nodes.
func topID(run func(string, map[string]any) ([]map[string]any, error), label cobuild.NodeLabel) (int64, error) {
	top, err := run("MATCH (n:"+string(label)+") RETURN coalesce(max(toInteger(substring(n.id, 3))), 0) AS top", nil)
	if err != nil {
		return 0, err
	}
	n, _ := top[0]["top"].(int64)
	return n, nil
}

// create makes a node with its labels and properties and records each property.
func (w *wtx) create(label cobuild.NodeLabel, extra string, props map[string]any) (string, error) {
	if err := w.write(); err != nil {
		return "", err
	}
	id, err := w.nextID(label)
	if err != nil {
		return "", err
	}
	labels := string(label)
	if extra != "" {
		labels += ":" + extra
	}
	if err := w.s.exec(w.ctx, w.tx, "CREATE (n:"+labels+" {id: $id}) SET n += $props", map[string]any{"id": id, "props": params(props)}); err != nil {
		return "", err
	}
	for _, k := range sortedKeys(props) {
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: id, Field: k, After: jsonOf(props[k])})
	}
	w.touch(id)
	if w.c.Entity == "" {
		w.c.Entity = id
	}
	return id, nil
}

// set changes properties of a node and records those that differ.
func (w *wtx) set(label cobuild.NodeLabel, id string, old map[string]any, props map[string]any) error {
	if err := w.write(); err != nil {
		return err
	}
	changed := map[string]any{}
	for _, k := range sortedKeys(props) {
		before, after := jsonOf(old[k]), jsonOf(props[k])
		if before == after {
			continue
		}
		changed[k] = props[k]
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: id, Field: k, Before: before, After: after})
	}
	if len(changed) == 0 {
		return nil
	}
	w.touch(id)
	return w.s.exec(w.ctx, w.tx, "MATCH (n:"+string(label)+" {id: $id}) SET n += $props", map[string]any{"id": id, "props": params(changed)})
}

// tieEnd is one end of a tie: its id and label.
type tieEnd struct {
	id    string
	label cobuild.NodeLabel
}

func end(id string) tieEnd {
	l, _ := cobuild.LabelOf(id)
	return tieEnd{id, l}
}

// open makes a tie from a to b starting on since, unless one of the same type (and role,
// when byRole) still runs on or after that day: that is a tie already in force.
func (w *wtx) open(t cobuild.TieType, a, b tieEnd, since time.Time, props map[string]any, field string, byRole bool) error {
	cond := "(r.until IS NULL OR r.until > $since)"
	params0 := map[string]any{"a": a.id, "b": b.id, "since": dateParam(since)}
	if role, ok := props["role"]; ok && byRole {
		cond += " AND r.role = $role"
		params0["role"] = role
	}
	rows, err := w.run(fmt.Sprintf("MATCH (:%s {id: $a})-[r:%s]->(:%s {id: $b}) WHERE %s RETURN r.since AS since", a.label, t, b.label, cond), params0)
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		return invalid(field, "%s 与 %s 之间的 %s 关系已经存在（自 %s 起）。%s and %s are tied by %s already (since %s).",
			a.id, b.id, t, dayOf(rows[0]["since"]), a.id, b.id, t, dayOf(rows[0]["since"]))
	}
	if err := w.write(); err != nil {
		return err
	}
	all := map[string]any{"since": since.Format(time.DateOnly)}
	for k, v := range props {
		all[k] = v
	}
	if err := w.s.exec(w.ctx, w.tx, fmt.Sprintf("MATCH (a:%s {id: $a}), (b:%s {id: $b}) CREATE (a)-[r:%s]->(b) SET r += $props", a.label, b.label, t),
		map[string]any{"a": a.id, "b": b.id, "props": params(all)}); err != nil {
		return err
	}
	for _, k := range sortedKeys(all) {
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: a.id, Tie: t, Other: b.id, Field: k, After: jsonOf(all[k])})
	}
	w.touch(a.id, b.id)
	return nil
}

// close ends the tie from a to b that runs on the day before on (of the role, when given)
// by setting its until to on. None running is BAD_USER_INPUT, and so is a tie that starts
// after on.
func (w *wtx) close(t cobuild.TieType, a, b tieEnd, on time.Time, role, field string) error {
	cond := "r.until IS NULL OR r.until > $on"
	params0 := map[string]any{"a": a.id, "b": b.id, "on": dateParam(on)}
	if role != "" {
		cond = "(" + cond + ") AND r.role = $role"
		params0["role"] = role
	}
	rows, err := w.run(fmt.Sprintf("MATCH (:%s {id: $a})-[r:%s]->(:%s {id: $b}) WHERE %s RETURN elementId(r) AS rid, r.since AS since, r.until AS until", a.label, t, b.label, cond), params0)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return invalid(field, "%s 与 %s 之间没有在 %s 仍然有效的 %s 关系。No %s tie from %s to %s runs on %s.",
			a.id, b.id, on.Format(time.DateOnly), t, t, a.id, b.id, on.Format(time.DateOnly))
	}
	for _, r := range rows {
		if since, ok := r["since"].(dbtype.Date); ok && !since.Time().Before(on) {
			return invalid(field, "结束日期 %s 不晚于开始日期 %s。The end %s is not after the start %s.",
				on.Format(time.DateOnly), dayOf(since), on.Format(time.DateOnly), dayOf(since))
		}
	}
	if err := w.write(); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.s.exec(w.ctx, w.tx, "MATCH ()-[r]->() WHERE elementId(r) = $rid SET r.until = $on", map[string]any{"rid": r["rid"], "on": dateParam(on)}); err != nil {
			return err
		}
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: a.id, Tie: t, Other: b.id, Field: "until", Before: jsonOf(r["until"]), After: jsonOf(on.Format(time.DateOnly))})
	}
	w.touch(a.id, b.id)
	return nil
}

// openFrom opens a tie from the day of the argument arg (default today).
func (w *wtx) openFrom(arg string, t cobuild.TieType, a, b tieEnd, props map[string]any, field string, byRole bool) error {
	since, err := w.date(arg, w.today)
	if err != nil {
		return err
	}
	return w.open(t, a, b, since, props, field, byRole)
}

// closeOn ends a tie on the day of the argument arg, which is required.
func (w *wtx) closeOn(arg string, t cobuild.TieType, a, b tieEnd, role, field string) error {
	on, err := w.date(arg, time.Time{})
	if err != nil {
		return err
	}
	return w.close(t, a, b, on, role, field)
}

// tie makes a tie without dates of its own (HELD, ATTENDED, HOLDS, BRANCH_OF) or with
// one fixed property.
func (w *wtx) tie(t cobuild.TieType, a, b tieEnd, props map[string]any) error {
	if err := w.write(); err != nil {
		return err
	}
	if err := w.s.exec(w.ctx, w.tx, fmt.Sprintf("MATCH (a:%s {id: $a}), (b:%s {id: $b}) CREATE (a)-[r:%s]->(b) SET r += $props", a.label, b.label, t),
		map[string]any{"a": a.id, "b": b.id, "props": params(props)}); err != nil {
		return err
	}
	w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: a.id, Tie: t, Other: b.id, Field: "tie", After: "true"})
	for _, k := range sortedKeys(props) {
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: a.id, Tie: t, Other: b.id, Field: k, After: jsonOf(props[k])})
	}
	w.touch(a.id, b.id)
	return nil
}

// finish reads the coverage after the writes and records what moved, and the areas.
func (w *wtx) finish() error {
	if !w.writing {
		// A command that writes nothing still takes the scope check.
		if err := w.write(); err != nil {
			return err
		}
	}
	after, err := w.coverageOf(w.c.Orgs)
	if err != nil {
		return err
	}
	for _, id := range w.c.Orgs {
		a, ok := after[id]
		if !ok {
			continue
		}
		b, had := w.before[id]
		if !had {
			// A new organisation: it was nothing before.
			b = orgCoverage{cov: cobuild.Coverage{Status: cobuild.CoverageNotManaged}}
			if a.cov.Status != cobuild.CoverageNotManaged {
				b.cov = cobuild.Coverage{Status: cobuild.CoverageUncovered, Isolated: true}
			}
		}
		for _, k := range cobuild.CoverageEvents(b.cov, a.cov) {
			w.c.Coverage = append(w.c.Coverage, cobuild.CoverageEvent{Kind: k, OrgID: id, OrgName: a.name, AreaID: a.area,
				Areas: w.areas[id], Before: b.cov.Status, After: a.cov.Status, WasIsolated: b.cov.Isolated, Isolated: a.cov.Isolated})
		}
	}
	set := map[string]bool{}
	for _, id := range w.c.Orgs {
		for _, a := range w.areas[id] {
			set[a] = true
		}
	}
	for _, a := range w.explicit {
		set[a] = true
	}
	for _, a := range w.recorded {
		set[a] = true
	}
	w.c.Areas = slices.Sorted(func(yield func(string) bool) {
		for a := range set {
			if !yield(a) {
				return
			}
		}
	})
	if w.c.Org == "" && len(w.c.Orgs) > 0 {
		w.c.Org = w.c.Orgs[0]
	}
	return nil
}

type orgCoverage struct {
	name, area string
	cov        cobuild.Coverage
}

// coverageOf reads the coverage today of organisations.
func (w *wtx) coverageOf(ids []string) (map[string]orgCoverage, error) {
	out := map[string]orgCoverage{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := w.run(`MATCH (o:Organization) WHERE o.id IN $ids
		RETURN o.id AS id, o.name AS name, head(COLLECT { MATCH (o)-[:LOCATED_IN]->(a:Area) RETURN a.id }) AS area, `+factsMap("o", "$asOf")+` AS facts`,
		map[string]any{"ids": ids, "asOf": dateParam(w.today)})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		m, _ := r["facts"].(map[string]any)
		f, err := readFacts(m)
		if err != nil {
			return nil, err
		}
		area, _ := r["area"].(string)
		name, _ := r["name"].(string)
		out[r["id"].(string)] = orgCoverage{name: name, area: area, cov: w.s.rules.CoverageOf(f)}
	}
	return out, nil
}

// Helpers.

// params turns the values of a command's properties into Neo4j parameters: days become
// dates.
func params(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok && isDateField(k) {
			if d, err := time.Parse(time.DateOnly, s); err == nil {
				out[k] = dateParam(d)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func isDateField(k string) bool {
	return k == "since" || k == "until" || k == "on" || k == "date" || strings.HasSuffix(k, "On")
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// jsonOf is a value as JSON for a diff; "" for none. Neo4j dates are written as days.
func jsonOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case dbtype.Date:
		v = x.Time().Format(time.DateOnly)
	case time.Time:
		v = x.Format(time.DateOnly)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return strconv.Quote(fmt.Sprint(v))
	}
	return string(b)
}

func dayOf(v any) string {
	if d, ok := v.(dbtype.Date); ok {
		return d.Time().Format(time.DateOnly)
	}
	return "?"
}

// byLabel groups ids by the label their prefix names.
func byLabel(ids []string) map[cobuild.NodeLabel][]string {
	out := map[cobuild.NodeLabel][]string{}
	for _, id := range ids {
		if l, err := cobuild.LabelOf(id); err == nil {
			out[l] = append(out[l], id)
		}
	}
	return out
}
