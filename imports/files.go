package imports

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"cobuild"
)

// A tableWriter writes sheets: one CSV file each (UTF-8 with a byte order mark, which
// Excel needs to read it as UTF-8), or one worksheet each of a workbook.
type tableWriter interface {
	sheet(title string, header []string) error
	row(cells []string) error
	close() error
}

type csvWriter struct {
	dir   string
	f     *os.File
	b     *bufio.Writer
	w     *csv.Writer
	files []string
}

func (c *csvWriter) sheet(title string, header []string) error {
	if err := c.flush(); err != nil {
		return err
	}
	path := filepath.Join(c.dir, title+".csv")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	c.f, c.b = f, bufio.NewWriter(f)
	c.b.WriteString("\uFEFF")
	c.w = csv.NewWriter(c.b)
	c.files = append(c.files, path)
	return c.w.Write(header)
}

func (c *csvWriter) row(cells []string) error { return c.w.Write(cells) }

func (c *csvWriter) flush() error {
	if c.f == nil {
		return nil
	}
	c.w.Flush()
	err := c.w.Error()
	if e := c.b.Flush(); err == nil {
		err = e
	}
	if e := c.f.Close(); err == nil {
		err = e
	}
	c.f = nil
	return err
}

func (c *csvWriter) close() error { return c.flush() }

// xlsxWriter writes a workbook with excelize's stream writer, which keeps only the row
// being written in memory.
type xlsxWriter struct {
	path  string
	out   io.Writer
	wb    *excelize.File
	sw    *excelize.StreamWriter
	n     int
	first bool
}

func newXLSX(path string, out io.Writer) *xlsxWriter {
	return &xlsxWriter{path: path, out: out, wb: excelize.NewFile(), first: true}
}

func (x *xlsxWriter) sheet(title string, header []string) error {
	if err := x.flushSheet(); err != nil {
		return err
	}
	if x.first {
		if err := x.wb.SetSheetName("Sheet1", title); err != nil {
			return err
		}
		x.first = false
	} else if _, err := x.wb.NewSheet(title); err != nil {
		return err
	}
	sw, err := x.wb.NewStreamWriter(title)
	if err != nil {
		return err
	}
	x.sw, x.n = sw, 0
	_ = sw.SetColWidth(1, len(header), 16)
	return x.row(header)
}

func (x *xlsxWriter) row(cells []string) error {
	x.n++
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
	}
	cell, err := excelize.CoordinatesToCellName(1, x.n)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, vals)
}

func (x *xlsxWriter) flushSheet() error {
	if x.sw == nil {
		return nil
	}
	err := x.sw.Flush()
	x.sw = nil
	return err
}

func (x *xlsxWriter) close() error {
	if err := x.flushSheet(); err != nil {
		return err
	}
	defer x.wb.Close()
	if x.out != nil {
		return x.wb.Write(x.out)
	}
	return x.wb.SaveAs(x.path)
}

// Headers returns the Chinese headers of a kind of file, in its template's order.
func Headers(kindName string) ([]string, error) {
	k := kindByName(kindName)
	if k == nil {
		return nil, fmt.Errorf("unknown kind of file %q: one of %s", kindName, strings.Join(Kinds(), ", "))
	}
	var h []string
	for _, c := range k.cols {
		h = append(h, c.header)
	}
	return h, nil
}

// WriteTemplate writes the template of a kind of file (its headers, and a row saying what
// each column takes) as .xlsx (format "xlsx") or CSV to out.
func WriteTemplate(out io.Writer, kindName, format string) error {
	k := kindByName(kindName)
	if k == nil {
		return fmt.Errorf("unknown kind of file %q: one of %s", kindName, strings.Join(Kinds(), ", "))
	}
	h, _ := Headers(kindName)
	hint := make([]string, len(k.cols))
	for i, c := range k.cols {
		hint[i] = c.hint()
	}
	if format == "xlsx" {
		x := newXLSX("", out)
		if err := x.sheet(k.title, h); err != nil {
			return err
		}
		if err := x.row(hint); err != nil {
			return err
		}
		return x.close()
	}
	if _, err := io.WriteString(out, "\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	_ = w.Write(h)
	_ = w.Write(hint)
	w.Flush()
	return w.Error()
}

// hint says what a column takes, for a template's second row (which an import skips).
func (c *col) hint() string {
	req := "选填"
	if c.req {
		req = "必填"
	}
	var what string
	switch c.typ {
	case cID:
		what = "系统编号，新增时留空"
	case cInt:
		what = "整数"
	case cFloat:
		what = "数字"
	case cBool:
		what = "是/否"
	case cDate:
		what = "日期，如2023-05-31"
	case cEnum:
		what = strings.Join(enumChoices(c.enum), "/")
	case cRef, cRefs:
		what = labelsZh(c.labels) + "的名称或编号"
		switch {
		case hasLabel(c.labels, cobuild.LabelOrganization):
			what = labelsZh(c.labels) + "的名称、统一社会信用代码或编号"
		case hasLabel(c.labels, cobuild.LabelIndustry):
			what = "行业代码、名称或编号"
		}
		if c.typ == cRefs {
			what += "，多个以；分隔"
		}
	case cCredit:
		what = "18位统一社会信用代码"
	case cRound:
		what = "如2023-05或2023-11"
	case cScore:
		what = fmt.Sprintf("0至%g分", cobuild.DefaultRules().DimensionMax[c.dim])
	default:
		what = "文字"
	}
	if c.computed {
		req = "可不填，导入时核对"
	}
	return req + "：" + what
}

// WriteDataset writes a data set as the files a district would bring, one per kind of
// file (of the kinds named in only, or all): CSV files in dir (format "csv"), or one
// workbook dir/<name>.xlsx with a sheet per kind. Nodes keep their ids (编号); a reference is written as a district writes it: an
// organisation by its credit code, an industry by its code, anything else by its name
// when no other node has that name, else by its id. It returns the files written.
func WriteDataset(ds *cobuild.Dataset, dir, format, name string, only ...string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d := newDatasetView(ds)
	var w tableWriter
	var xlsxPath string
	cw := &csvWriter{dir: dir}
	if format == "xlsx" {
		xlsxPath = filepath.Join(dir, name+".xlsx")
		w = newXLSX(xlsxPath, nil)
	} else {
		w = cw
	}
	for _, k := range kinds {
		if len(only) > 0 && !slices.Contains(only, k.name) {
			continue
		}
		rows := d.rows(k)
		if len(rows) == 0 {
			continue
		}
		h, _ := Headers(k.name)
		if err := w.sheet(k.title, h); err != nil {
			return nil, err
		}
		for _, r := range rows {
			if err := w.row(r); err != nil {
				return nil, err
			}
		}
	}
	if err := w.close(); err != nil {
		return nil, err
	}
	if format == "xlsx" {
		return []string{xlsxPath}, nil
	}
	return cw.files, nil
}

// datasetView indexes a data set by node and tie.
type datasetView struct {
	ds     *cobuild.Dataset
	node   map[string]*cobuild.DataNode
	label  map[string]cobuild.NodeLabel
	out    map[string][]int // node id → indices of its ties leaving it
	in     map[string][]int
	unique map[string]bool // names borne by one node only
}

func newDatasetView(ds *cobuild.Dataset) *datasetView {
	d := &datasetView{ds: ds, node: map[string]*cobuild.DataNode{}, label: map[string]cobuild.NodeLabel{},
		out: map[string][]int{}, in: map[string][]int{}, unique: map[string]bool{}}
	names := map[string]int{}
	for i := range ds.Nodes {
		n := &ds.Nodes[i]
		id := n.Props["id"].(string)
		d.node[id] = n
		d.label[id] = cobuild.NodeLabel(n.Labels[0])
		if s, ok := n.Props["name"].(string); ok {
			names[s]++
		}
	}
	for s, c := range names {
		d.unique[s] = c == 1
	}
	for i, r := range ds.Rels {
		d.out[r.From] = append(d.out[r.From], i)
		d.in[r.To] = append(d.in[r.To], i)
	}
	return d
}

// ref is how a file names a node.
func (d *datasetView) ref(id string) string {
	n := d.node[id]
	switch d.label[id] {
	case cobuild.LabelOrganization:
		if cc, ok := n.Props["creditCode"].(string); ok && cc != "" {
			return cc
		}
	case cobuild.LabelIndustry:
		return n.Props["code"].(string)
	}
	if s, ok := n.Props["name"].(string); ok && d.unique[s] && !strings.ContainsAny(s, "；;、|\n") {
		return s
	}
	return id
}

func hasLabel(ls []cobuild.NodeLabel, l cobuild.NodeLabel) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// rows returns the rows of a kind of file.
func (d *datasetView) rows(k *kind) [][]string {
	var out [][]string
	if k.node != "" {
		for i := range d.ds.Nodes {
			n := &d.ds.Nodes[i]
			l := cobuild.NodeLabel(n.Labels[0])
			if k.node == "Hub" {
				if _, ok := hubLabel[fmt.Sprint(n.Props["kind"])]; !ok || (l != cobuild.LabelAlliance && l != cobuild.LabelRedZone) {
					continue
				}
			} else if l != k.node {
				continue
			}
			out = append(out, d.nodeRow(k, n))
		}
		return out
	}
	from, to := k.cols[0].labels, k.cols[1].labels
	for _, c := range k.cols {
		switch c.end {
		case "from":
			from = c.labels
		case "to":
			to = c.labels
		}
	}
	for _, r := range d.ds.Rels {
		if r.Type != k.tie || !hasLabel(from, d.label[r.From]) || !hasLabel(to, d.label[r.To]) {
			continue
		}
		row := make([]string, len(k.cols))
		for ci := range k.cols {
			c := &k.cols[ci]
			switch {
			case c.end == "from":
				row[ci] = d.ref(r.From)
			case c.end == "to":
				row[ci] = d.ref(r.To)
			case c.prop != "":
				row[ci] = cellText(c, r.Props[c.prop])
			}
		}
		out = append(out, row)
	}
	return out
}

func (d *datasetView) nodeRow(k *kind, n *cobuild.DataNode) []string {
	id := n.Props["id"].(string)
	row := make([]string, len(k.cols))
	for ci := range k.cols {
		c := &k.cols[ci]
		switch {
		case c.typ == cID:
			row[ci] = id
		case c.typ == cScore:
			if list, ok := n.Props[c.group].([]float64); ok && c.dim < len(list) {
				row[ci] = strconv.FormatFloat(list[c.dim], 'f', -1, 64)
			}
		case c.computed:
			row[ci] = cellText(c, n.Props[c.key])
		case c.prop != "":
			row[ci] = cellText(c, n.Props[c.prop])
		case c.link != nil:
			var refs []string
			ties := d.in[id]
			if c.link.out {
				ties = d.out[id]
			}
			for _, ti := range ties {
				r := d.ds.Rels[ti]
				other := r.From
				if c.link.out {
					other = r.To
				}
				if r.Type != c.link.typ || !hasLabel(c.labels, d.label[other]) {
					continue
				}
				refs = append(refs, d.ref(other))
				for _, key := range []string{c.link.since, c.link.until} {
					if key == "" {
						continue
					}
					prop := "since"
					if key == c.link.until {
						prop = "until"
					}
					pc := k.colIdx(key)
					row[pc] = cellText(&k.cols[pc], r.Props[prop])
				}
			}
			row[ci] = strings.Join(refs, "；")
		}
	}
	return row
}

// cellText writes a property as a file's cell.
func cellText(c *col, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format(time.DateOnly)
	case bool:
		if c.typ == cEnum {
			return enumLabel(c.enum, strconv.FormatBool(x))
		}
		if x {
			return "是"
		}
		return "否"
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if c.typ == cEnum {
			return enumLabel(c.enum, x)
		}
		return x
	}
	return fmt.Sprint(v)
}
