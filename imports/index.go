package imports

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"

	"cobuild"
)

// index finds nodes by id and by their keys: the graph's (its directory) and the files'
// rows read so far. A key that two nodes share is ambiguous. It holds one small record per
// node and keys that share the record's strings: at 50× it holds some 750,000
// organisations, and an import stays under 1 GiB (bench/import).
type index struct {
	entries []record
	byID    map[string]int32
	byKey   map[key]int32   // → entry, -1 when ambiguous
	multi   map[key][]int32 // the entries of an ambiguous key
	// suggested counts the look-ups that computed closest names, which are bounded: each
	// scans every name of its labels.
	suggested int
}

// record is what the index keeps of a node: what resolving a reference needs.
type record struct {
	label          cobuild.NodeLabel
	id, name, area string
}

// key is one key of a node: its label, which key (allKeys), and its value.
type key struct {
	label cobuild.NodeLabel
	which uint8
	v     string
}

func newIndex() *index {
	return &index{byID: map[string]int32{}, byKey: map[key]int32{}, multi: map[key][]int32{}}
}

func indexKey(label cobuild.NodeLabel, which, v string) key {
	return key{label, uint8(slices.Index(allKeys, which)), v}
}

// entryKey returns the value of one of the keys an entry is matched by ("" when unset).
func entryKey(e *Entry, key string) string {
	switch key {
	case "code":
		return e.Code
	case "name":
		return e.Name
	case "name|date":
		if e.Name == "" || e.Date == "" {
			return ""
		}
		return e.Name + "|" + e.Date
	case "name|year":
		if e.Name == "" || e.Year == 0 {
			return ""
		}
		return e.Name + "|" + strconv.FormatInt(e.Year, 10)
	case "owner|round":
		if e.Owner == "" || e.Round == "" {
			return ""
		}
		return e.Owner + "|" + e.Round
	case "owner|kind":
		if e.Owner == "" || e.Kind == "" {
			return ""
		}
		return e.Owner + "|" + e.Kind
	}
	return ""
}

var allKeys = []string{"code", "name", "name|date", "name|year", "owner|round", "owner|kind"}

// add registers a node and its keys; a key already another node's becomes ambiguous. A
// row's strings are copied (copy): they are slices of the whole line it was read from.
func (x *index) add(e Entry, copy bool) {
	n := int32(len(x.entries))
	clone := func(s string) string {
		if copy {
			return strings.Clone(s)
		}
		return s
	}
	r := record{label: e.Label, id: clone(e.ID), name: clone(e.Name), area: e.Area}
	if old, ok := x.byID[e.ID]; ok {
		n = old
		r.id = x.entries[n].id
		x.entries[n] = r
	} else {
		x.entries = append(x.entries, r)
		x.byID[r.id] = n
	}
	for w, which := range allKeys {
		v := entryKey(&e, which)
		if v == "" {
			continue
		}
		if v == e.Name {
			v = r.name
		} else {
			v = clone(v)
		}
		k := key{e.Label, uint8(w), v}
		if old, ok := x.byKey[k]; ok && old != n {
			if old >= 0 && x.entries[old].id == r.id {
				continue
			}
			if old >= 0 {
				x.multi[k] = []int32{old}
			}
			if !slices.Contains(x.multi[k], n) {
				x.multi[k] = append(x.multi[k], n)
			}
			x.byKey[k] = -1
			continue
		}
		x.byKey[k] = n
	}
}

// lookup returns the node of a label with a key, and whether the key is ambiguous.
func (x *index) lookup(label cobuild.NodeLabel, key, v string) (string, bool) {
	n, ok := x.byKey[indexKey(label, key, v)]
	if !ok {
		return "", false
	}
	if n < 0 {
		return "", true
	}
	return x.entries[n].id, false
}

func (x *index) has(id string) bool {
	_, ok := x.byID[id]
	return ok
}

// resolve finds the one node of the labels that a cell names: by its id, an
// organisation's credit code, an industry's code, or its name. It returns the node's id,
// or the code and message of the problem.
func (x *index) resolve(ref string, labels []cobuild.NodeLabel) (id, code, msg string) {
	return x.resolveIn(ref, labels, "")
}

// resolveIn is resolve where a name that several nodes bear names the one of them that
// lies in the area (an organisation's 城西社区 is the one of its own town).
func (x *index) resolveIn(ref string, labels []cobuild.NodeLabel, area string) (id, code, msg string) {
	if l, err := cobuild.LabelOf(ref); err == nil {
		for _, want := range labels {
			if l == want {
				if x.has(ref) {
					return ref, "", ""
				}
				return "", CodeUnknown, fmt.Sprintf("：图中和文件中都没有这一编号 (no node has this id, in the graph or the files)")
			}
		}
		return "", CodeBadID, fmt.Sprintf("不是%s的编号 (is not the id of a %s)", labelsZh(labels), labelsEn(labels))
	}
	found := map[string]bool{}
	ambiguous := false
	for _, l := range labels {
		for _, key := range []string{"code", "name"} {
			if key == "code" && l != cobuild.LabelOrganization && l != cobuild.LabelIndustry {
				continue
			}
			v := ref
			if key == "code" && l == cobuild.LabelOrganization {
				v = strings.ToUpper(ref)
			}
			id, amb := x.lookup(l, key, v)
			if amb && area != "" {
				var in []string
				for _, n := range x.multi[indexKey(l, key, v)] {
					if x.entries[n].area == area {
						in = append(in, x.entries[n].id)
					}
				}
				if len(in) == 1 {
					id, amb = in[0], false
				}
			}
			if amb {
				ambiguous = true
			}
			if id != "" {
				found[id] = true
			}
		}
	}
	switch {
	case len(found) == 1 && !ambiguous:
		for id := range found {
			return id, "", ""
		}
	case len(found) > 1 || ambiguous:
		return "", CodeAmbiguous, fmt.Sprintf("对应多个%s，请改填编号或统一社会信用代码 (names more than one %s: give its id or credit code)", labelsZh(labels), labelsEn(labels))
	}
	msg = fmt.Sprintf("：图中和文件中都没有这一%s (no %s of this name, in the graph or the files)", labelsZh(labels), labelsEn(labels))
	if near := x.closest(ref, labels); len(near) > 0 {
		msg += "，是否为：" + strings.Join(near, "、") + " (did you mean: " + strings.Join(near, ", ") + ")"
	}
	return "", CodeUnknown, msg
}

// maxSuggested bounds the look-ups that suggest closest names: each scans every name.
const maxSuggested = 200

// closest returns up to three names of the labels nearest to s by edit distance, within
// a third of its length.
func (x *index) closest(s string, labels []cobuild.NodeLabel) []string {
	if x.suggested >= maxSuggested {
		return nil
	}
	x.suggested++
	type cand struct {
		name string
		d    int
	}
	limit := max(1, len([]rune(s))/3)
	var best []cand
	seen := map[string]bool{}
	for i := range x.entries {
		e := &x.entries[i]
		if e.name == "" || seen[e.name] {
			continue
		}
		ok := false
		for _, l := range labels {
			ok = ok || e.label == l
		}
		if !ok {
			continue
		}
		d := levenshtein.ComputeDistance(s, e.name)
		if d <= limit || strings.Contains(e.name, s) || strings.Contains(s, e.name) {
			seen[e.name] = true
			best = append(best, cand{e.name, d})
		}
	}
	sort.Slice(best, func(i, j int) bool {
		if best[i].d != best[j].d {
			return best[i].d < best[j].d
		}
		return best[i].name < best[j].name
	})
	var out []string
	for i := 0; i < len(best) && i < 3; i++ {
		out = append(out, best[i].name)
	}
	return out
}

var labelZh = map[cobuild.NodeLabel]string{
	cobuild.LabelArea: "区域", cobuild.LabelIndustry: "行业", cobuild.LabelOrganization: "组织", cobuild.LabelPartyOrg: "党组织",
	cobuild.LabelAlliance: "联盟", cobuild.LabelAgreement: "共建协议", cobuild.LabelRedZone: "红色地带", cobuild.LabelDemoBelt: "示范带",
	cobuild.LabelDemoSite: "示范点", cobuild.LabelBrand: "品牌", cobuild.LabelEvent: "活动", cobuild.LabelPerson: "人员",
	cobuild.LabelCertification: "认证", cobuild.LabelMassBranch: "群团组织", cobuild.LabelEvaluation: "测评",
}

func labelsZh(ls []cobuild.NodeLabel) string {
	var out []string
	for _, l := range ls {
		out = append(out, labelZh[l])
	}
	return strings.Join(out, "或")
}

func labelsEn(ls []cobuild.NodeLabel) string {
	var out []string
	for _, l := range ls {
		out = append(out, strings.ToLower(string(l)))
	}
	return strings.Join(out, " or ")
}

func sortStrings(s []string) { sort.Strings(s) }

// loadDirectory reads the keys of every node of the labels the sheets write or name.
func (im *importer) loadDirectory() error {
	need := map[cobuild.NodeLabel]bool{}
	for _, sp := range im.sheets {
		k := sp.kind
		switch k.node {
		case "":
		case "Hub":
			need[cobuild.LabelAlliance], need[cobuild.LabelRedZone] = true, true
		default:
			need[k.node] = true
		}
		for _, c := range k.cols {
			for _, l := range c.labels {
				need[l] = true
			}
		}
	}
	var labels []cobuild.NodeLabel
	for _, l := range cobuild.Labels {
		if need[l.Label] {
			labels = append(labels, l.Label)
		}
	}
	im.idx = newIndex()
	if len(labels) == 0 {
		return nil
	}
	entries, err := im.st.Directory(im.ctx, labels)
	if err != nil {
		return fmt.Errorf("read the graph's nodes: %w", err)
	}
	for _, e := range entries {
		im.idx.add(e, false)
	}
	return nil
}
