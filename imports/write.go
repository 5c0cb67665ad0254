package imports

import (
	"slices"
	"strings"
	"time"

	"cobuild"
)

// eachChunk reads a sheet's data rows again and calls fn with every ChunkRows of them.
func (im *importer) eachChunk(sp *sheetPlan, fn func(lo int, rows [][]value) error) error {
	var rows [][]value
	lo := 0
	err := im.eachRow(sp, func(sp *sheetPlan, i int, vals []value) error {
		rows = append(rows, vals)
		if len(rows) == im.o.ChunkRows {
			if err := fn(lo, rows); err != nil {
				return err
			}
			lo, rows = i+1, nil
		}
		return nil
	})
	if err != nil || len(rows) == 0 {
		return err
	}
	return fn(lo, rows)
}

// nodeProps are the properties a node sheet's row sets: those of the columns the sheet
// has (nil for an empty cell, which removes the property), and those derived from them.
func (im *importer) nodeProps(sp *sheetPlan, vals []value) map[string]any {
	k := sp.kind
	props := map[string]any{}
	for ci := range k.cols {
		c := &k.cols[ci]
		if c.prop == "" || c.computed || !sp.has[ci] {
			continue
		}
		props[c.prop] = vals[ci].any(c)
	}
	switch k.node {
	case cobuild.LabelOrganization:
		props["sector"] = string(sectorOf(cobuild.OrgKind(vals[k.colIdx("kind")].s)))
	case cobuild.LabelEvaluation:
		g := im.scoreLists(k, vals)
		for name, list := range g {
			props[name] = list
		}
		if score, ok := im.finalScore(k, vals); ok {
			props["score"] = score
		}
		if rd := k.colIdx("roundDate"); !sp.has[rd] || !vals[rd].set {
			props["roundDate"] = roundDay(vals[k.colIdx("round")].s)
		}
	}
	return props
}

// roundDay is the day of a round named without one: the last day of its month.
func roundDay(round string) time.Time {
	t, err := time.Parse("2006-01", round)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 1, -1)
}

func sectorOf(k cobuild.OrgKind) cobuild.Sector {
	switch k {
	case cobuild.OrgEnterprise:
		return cobuild.SectorEnterprise
	case cobuild.OrgSocial, cobuild.OrgHospital:
		return cobuild.SectorSocial
	}
	return cobuild.SectorPublic
}

// nodeLabels are all the labels of a row's node.
func nodeLabels(label cobuild.NodeLabel, k *kind, vals []value) []string {
	if label == cobuild.LabelOrganization {
		return []string{string(label), cobuild.OrgKind(vals[k.colIdx("kind")].s).KindLabel()}
	}
	return []string{string(label)}
}

// writeNodes creates the nodes of a chunk of rows that the graph lacks and sets the
// properties that differ on the others.
func (im *importer) writeNodes(tx Tx, sp *sheetPlan, lo int, rows [][]value) error {
	k := sp.kind
	if k.node == "" {
		return nil
	}
	type target struct {
		id     string
		label  cobuild.NodeLabel
		labels []string
		props  map[string]any
	}
	byLabel := map[cobuild.NodeLabel][]target{}
	var order []cobuild.NodeLabel
	for j, vals := range rows {
		i := lo + j
		if sp.bad[i] || sp.ids[i] == "" || sp.isDraft(i) {
			continue
		}
		label := rowLabel(k, vals)
		if _, ok := byLabel[label]; !ok {
			order = append(order, label)
		}
		byLabel[label] = append(byLabel[label], target{im.realID(sp.ids[i]), label, nodeLabels(label, k, vals), im.nodeProps(sp, vals)})
	}
	for _, label := range order {
		ts := byLabel[label]
		var ids []string
		for _, t := range ts {
			if !strings.HasPrefix(t.id, "~") {
				ids = append(ids, t.id)
			}
		}
		have, err := tx.Nodes(label, ids)
		if err != nil {
			return err
		}
		var creates, updates []NodeWrite
		for _, t := range ts {
			old, ok := have[t.id]
			if !ok {
				props := map[string]any{"id": t.id}
				for p, v := range t.props {
					if v != nil {
						props[p] = v
					}
				}
				creates = append(creates, NodeWrite{Label: label, ID: t.id, Labels: t.labels, Props: props})
				continue
			}
			set := map[string]any{}
			for p, v := range t.props {
				if !same(old.Props[p], v) {
					set[p] = v
				}
			}
			var drop []string
			for _, l := range old.Labels {
				if !slices.Contains(t.labels, l) && l != "Organization" && isKindLabel(l) {
					drop = append(drop, l)
				}
			}
			relabel := len(drop) > 0
			for _, l := range t.labels {
				relabel = relabel || !slices.Contains(old.Labels, l)
			}
			if len(set) > 0 || relabel {
				updates = append(updates, NodeWrite{Label: label, ID: t.id, Labels: t.labels, Props: set, Drop: drop})
			}
		}
		im.counts.NodesCreated[string(label)] += len(creates)
		im.counts.NodesUpdated[string(label)] += len(updates)
		if label == cobuild.LabelOrganization {
			for _, w := range creates {
				im.created[w.ID] = true
			}
			for _, w := range updates {
				im.changed = append(im.changed, w.ID)
			}
		}
		if im.o.DryRun {
			continue
		}
		if err := tx.CreateNodes(creates); err != nil {
			return err
		}
		if err := tx.UpdateNodes(updates); err != nil {
			return err
		}
	}
	return nil
}

func isKindLabel(l string) bool {
	for _, k := range cobuild.OrgKinds {
		if k.KindLabel() == l {
			return true
		}
	}
	return false
}

// same reports whether a property read from the graph equals the one a row sets. A
// property the node lacks reads as its zero value (0, false, ""), as every reader of the
// graph takes it: a row giving 0 where the graph has nothing, or nothing where it has 0,
// changes nothing.
func same(old, v any) bool {
	if zero(old) && zero(v) {
		return true
	}
	switch x := v.(type) {
	case nil:
		return old == nil
	case time.Time:
		y, ok := old.(time.Time)
		return ok && y.Equal(x)
	case int64:
		switch y := old.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := old.(type) {
		case float64:
			return x == y
		case int64:
			return float64(y) == x
		}
		return false
	case []float64:
		y, ok := old.([]float64)
		return ok && slices.Equal(x, y)
	}
	return old == v
}

// wantTie is a tie a row gives.
type wantTie struct {
	at, other string
	props     map[string]any
	since     any // dated ties are told apart by it
}

// writeTies writes the ties of a chunk of rows: for a node sheet, the ties of its
// reference columns, which the row gives all of (those the graph has beyond them are
// removed); for a tie sheet, its rows' ties, created or updated and never removed.
func (im *importer) writeTies(tx Tx, sp *sheetPlan, lo int, rows [][]value) error {
	k := sp.kind
	if k.node != "" {
		for ci := range k.cols {
			c := &k.cols[ci]
			if c.link == nil || !sp.has[ci] {
				continue
			}
			if err := im.writeLinks(tx, sp, lo, rows, ci); err != nil {
				return err
			}
		}
		return nil
	}
	from, to := -1, -1
	for ci, c := range k.cols {
		switch c.end {
		case "from":
			from = ci
		case "to":
			to = ci
		}
	}
	byLabel := map[cobuild.NodeLabel][]wantTie{}
	var order []cobuild.NodeLabel
	for j, vals := range rows {
		i := lo + j
		if sp.bad[i] {
			continue
		}
		a, _, _ := im.ref(k, vals, from, vals[from].refs[0])
		b, _, _ := im.ref(k, vals, to, vals[to].refs[0])
		if a == "" || b == "" {
			continue
		}
		w := wantTie{at: im.realID(a), other: im.realID(b), props: map[string]any{}}
		for ci := range k.cols {
			c := &k.cols[ci]
			if c.prop != "" && sp.has[ci] {
				w.props[c.prop] = vals[ci].any(c)
			}
		}
		if k.dated {
			w.since = w.props["since"]
			if w.since == nil {
				delete(w.props, "since") // a row without a start leaves the tie's as it is
			}
		}
		l, _ := cobuild.LabelOf(w.at)
		if l == "" {
			l = labelOfSymbol(w.at)
		}
		if _, ok := byLabel[l]; !ok {
			order = append(order, l)
		}
		byLabel[l] = append(byLabel[l], w)
	}
	for _, l := range order {
		if err := im.diffTies(tx, k.tie, l, true, k.cols[to].labels, byLabel[l], false, k.dated); err != nil {
			return err
		}
	}
	return nil
}

func labelOfSymbol(id string) cobuild.NodeLabel {
	if strings.HasPrefix(id, "~") && len(id) > 3 {
		l, _ := cobuild.LabelOf(id[1:3] + "-1")
		return l
	}
	return ""
}

// writeLinks writes the ties of one reference column of a node sheet.
func (im *importer) writeLinks(tx Tx, sp *sheetPlan, lo int, rows [][]value, ci int) error {
	k := sp.kind
	c := &k.cols[ci]
	byLabel := map[cobuild.NodeLabel][]wantTie{}
	atOf := map[cobuild.NodeLabel][]string{}
	var order []cobuild.NodeLabel
	for j, vals := range rows {
		i := lo + j
		if sp.bad[i] || sp.ids[i] == "" || sp.isDraft(i) {
			continue
		}
		at := im.realID(sp.ids[i])
		label := rowLabel(k, vals)
		if _, ok := atOf[label]; !ok {
			order = append(order, label)
		}
		atOf[label] = append(atOf[label], at)
		props := map[string]any{}
		for _, key := range []string{c.link.since, c.link.until} {
			if key == "" {
				continue
			}
			pc := k.colIdx(key)
			if sp.has[pc] {
				prop := "since"
				if key == c.link.until {
					prop = "until"
				}
				props[prop] = vals[pc].any(&k.cols[pc])
			}
		}
		for _, ref := range vals[ci].refs {
			other, _, _ := im.ref(k, vals, ci, ref)
			if other == "" {
				continue
			}
			byLabel[label] = append(byLabel[label], wantTie{at: at, other: im.realID(other), props: props})
		}
	}
	for _, l := range order {
		if err := im.diffLinks(tx, c.link, l, c.labels, atOf[l], byLabel[l]); err != nil {
			return err
		}
	}
	return nil
}

// diffLinks compares the ties of one reference column at the nodes at with those the rows
// give: it creates the missing ones, updates those whose properties differ and removes
// those the rows no longer give.
func (im *importer) diffLinks(tx Tx, ln *link, label cobuild.NodeLabel, others []cobuild.NodeLabel, at []string, want []wantTie) error {
	var ids []string
	for _, id := range at {
		if !strings.HasPrefix(id, "~") {
			ids = append(ids, id)
		}
	}
	have, err := tx.Ties(ln.typ, label, ids, ln.out, others)
	if err != nil {
		return err
	}
	type key struct{ at, other string }
	existing := map[key][]Tie{}
	for _, t := range have {
		existing[key{t.At, t.Other}] = append(existing[key{t.At, t.Other}], t)
	}
	used := map[string]bool{}
	var writes []TieWrite
	for _, w := range want {
		ts := existing[key{w.at, w.other}]
		if len(ts) == 0 {
			writes = append(writes, im.tieWrite(ln.typ, ln.out, w, "", false))
			im.counts.TiesCreated[string(ln.typ)]++
			continue
		}
		t := ts[0]
		used[t.Element] = true
		if set := changedProps(t.Props, w.props); len(set) > 0 {
			writes = append(writes, TieWrite{Type: ln.typ, Element: t.Element, Props: set})
			im.counts.TiesUpdated[string(ln.typ)]++
			im.touched(w.at, w.other)
		}
	}
	for _, t := range have {
		if !used[t.Element] {
			writes = append(writes, TieWrite{Type: ln.typ, Element: t.Element, Delete: true})
			im.counts.TiesRemoved[string(ln.typ)]++
			im.touched(t.At, t.Other)
		}
	}
	if im.o.DryRun {
		return nil
	}
	return tx.WriteTies(writes)
}

// diffTies compares the ties of a tie sheet with the graph's: a tie is the same when its
// ends (and, for dated ties, its since) are.
func (im *importer) diffTies(tx Tx, typ cobuild.TieType, label cobuild.NodeLabel, out bool, others []cobuild.NodeLabel, want []wantTie, _ bool, dated bool) error {
	var ids []string
	seen := map[string]bool{}
	for _, w := range want {
		if !strings.HasPrefix(w.at, "~") && !seen[w.at] {
			seen[w.at] = true
			ids = append(ids, w.at)
		}
	}
	have, err := tx.Ties(typ, label, ids, out, others)
	if err != nil {
		return err
	}
	type key struct {
		at, other string
	}
	existing := map[key][]Tie{}
	for _, t := range have {
		existing[key{t.At, t.Other}] = append(existing[key{t.At, t.Other}], t)
	}
	var writes []TieWrite
	for _, w := range want {
		match := matchTie(existing[key{w.at, w.other}], dated, w.since)
		if match == nil {
			writes = append(writes, im.tieWrite(typ, out, w, "", false))
			im.counts.TiesCreated[string(typ)]++
			continue
		}
		if set := changedProps(match.Props, w.props); len(set) > 0 {
			writes = append(writes, TieWrite{Type: typ, Element: match.Element, Props: set})
			im.counts.TiesUpdated[string(typ)]++
			im.touched(w.at, w.other)
		}
	}
	if im.o.DryRun {
		return nil
	}
	return tx.WriteTies(writes)
}

// matchTie returns the tie of the graph between two ends that a row's tie is: for a dated
// tie, the one of the same start; for a row without a start, the pair's only tie, else
// the one in force (without an end), else the latest. Nil when there is none.
func matchTie(ts []Tie, dated bool, since any) *Tie {
	if len(ts) == 0 {
		return nil
	}
	if !dated {
		return &ts[0]
	}
	if since != nil {
		for i := range ts {
			if same(ts[i].Props["since"], since) {
				return &ts[i]
			}
		}
		return nil
	}
	if len(ts) == 1 {
		return &ts[0]
	}
	var open, latest *Tie
	for i := range ts {
		t := &ts[i]
		if t.Props["until"] == nil {
			if open != nil {
				open = nil
				break
			}
			open = t
		}
	}
	if open != nil {
		return open
	}
	for i := range ts {
		t := &ts[i]
		if s, ok := t.Props["since"].(time.Time); ok {
			if l, ok := latest.sinceTime(); !ok || s.After(l) {
				latest = t
			}
		}
	}
	if latest == nil {
		return &ts[0]
	}
	return latest
}

func (t *Tie) sinceTime() (time.Time, bool) {
	if t == nil {
		return time.Time{}, false
	}
	s, ok := t.Props["since"].(time.Time)
	return s, ok
}

// tieWrite is the creation of a tie seen from at; out says at is where it leaves.
func (im *importer) tieWrite(typ cobuild.TieType, out bool, w wantTie, element string, del bool) TieWrite {
	props := map[string]any{}
	for p, v := range w.props {
		if v != nil {
			props[p] = v
		}
	}
	im.touched(w.at, w.other)
	if out {
		return TieWrite{Type: typ, From: w.at, To: w.other, Props: props, Element: element, Delete: del}
	}
	return TieWrite{Type: typ, From: w.other, To: w.at, Props: props, Element: element, Delete: del}
}

func changedProps(old, want map[string]any) map[string]any {
	set := map[string]any{}
	for p, v := range want {
		if !same(old[p], v) {
			set[p] = v
		}
	}
	return set
}

// touched marks the organisations at a changed tie as changed (those the import created
// are new: no one can have read an older version of them).
func (im *importer) touched(ids ...string) {
	for _, id := range ids {
		if strings.HasPrefix(id, "og-") && !im.created[id] {
			im.changed = append(im.changed, id)
		}
	}
}

func zero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case int64:
		return x == 0
	case float64:
		return x == 0
	case bool:
		return !x
	case string:
		return x == ""
	}
	return false
}

// isDraft reports whether row i holds the scores of a round open in cobuild, which are
// entered as the round's drafts rather than written as an evaluation.
func (sp *sheetPlan) isDraft(i int) bool { return sp.draft != nil && sp.draft[i] }
