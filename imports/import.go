package imports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"cobuild"
)

// File is one file to import: where it is, and the name to report it by (an upload's own
// name; the base of Path when empty).
type File struct {
	Path string
	Name string
}

// Options say how an import runs.
type Options struct {
	Actor cobuild.Actor
	// DryRun checks and compares with the graph but writes nothing.
	DryRun bool
	// SkipBadRows writes the good rows of files with problems; the report lists the rest.
	SkipBadRows bool
	Rules       cobuild.Rules
	// Kind names the kind of every sheet whose name does not say it (before its columns
	// are looked at).
	Kind string
	// An import of at most SingleTxRows rows is one transaction. A larger one is written in
	// transactions of ChunkRows rows and completed by a last one that records it; a run
	// that is interrupted leaves a mark, and running the same files again completes it to
	// the same graph.
	SingleTxRows, ChunkRows int
	// MaxProblems bounds the problems listed (all are counted).
	MaxProblems int
	// Progress, when set, is told each stage and how many rows it has read.
	Progress func(stage string, rows int)
}

func (o Options) withDefaults() Options {
	if o.SingleTxRows <= 0 {
		o.SingleTxRows = 20000
	}
	if o.ChunkRows <= 0 {
		o.ChunkRows = 5000
	}
	if o.MaxProblems <= 0 {
		o.MaxProblems = 1000
	}
	if o.Rules.MaxScore == 0 {
		o.Rules = cobuild.DefaultRules()
	}
	return o
}

// Problem is one thing wrong with a file, a sheet, a row or a cell.
type Problem struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"` // the sheet's row, the header being row 1
	Column string `json:"column,omitempty"`
	Code   string `json:"code"`
	// Message is in Chinese, then in English in brackets.
	Message string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" && p.Sheet != strings.TrimSuffix(p.File, filepath.Ext(p.File)) {
		b.WriteString(" [" + p.Sheet + "]")
	}
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第%d行 (row %d)", p.Row, p.Row)
	}
	if p.Column != "" {
		b.WriteString(" “" + p.Column + "”")
	}
	b.WriteString(": " + p.Code + " " + p.Message)
	return b.String()
}

// SheetReport is what an import found in one sheet.
type SheetReport struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Rows     int      `json:"rows"`
	Bad      int      `json:"bad"`
	Encoding string   `json:"encoding,omitempty"`
	Ignored  []string `json:"ignoredColumns,omitempty"` // headers of no column of the kind
}

// FileReport is what an import found in one file.
type FileReport struct {
	Name   string        `json:"name"`
	SHA256 string        `json:"sha256"`
	Sheets []SheetReport `json:"sheets"`
}

// Counts says what an import changed, or would change.
type Counts struct {
	NodesCreated map[string]int `json:"nodesCreated"` // by label
	NodesUpdated map[string]int `json:"nodesUpdated"`
	TiesCreated  map[string]int `json:"tiesCreated"` // by tie type
	TiesUpdated  map[string]int `json:"tiesUpdated"`
	TiesRemoved  map[string]int `json:"tiesRemoved"`
}

func newCounts() Counts {
	return Counts{map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}}
}

func (c Counts) clone() Counts {
	out := newCounts()
	for _, p := range [][2]map[string]int{{c.NodesCreated, out.NodesCreated}, {c.NodesUpdated, out.NodesUpdated},
		{c.TiesCreated, out.TiesCreated}, {c.TiesUpdated, out.TiesUpdated}, {c.TiesRemoved, out.TiesRemoved}} {
		for k, v := range p[0] {
			p[1][k] = v
		}
	}
	return out
}

// Total is the number of nodes and ties changed.
func (c Counts) Total() int {
	n := 0
	for _, m := range []map[string]int{c.NodesCreated, c.NodesUpdated, c.TiesCreated, c.TiesUpdated, c.TiesRemoved} {
		for _, v := range m {
			n += v
		}
	}
	return n
}

// Report is the answer of an import: what it read, every problem, and what it changed.
type Report struct {
	Files    []FileReport `json:"files"`
	Problems []Problem    `json:"problems"`
	// ProblemCount counts every problem, listed or not.
	ProblemCount int  `json:"problemCount"`
	DryRun       bool `json:"dryRun"`
	SkipBadRows  bool `json:"skipBadRows"`
	// Written is true when the import changed the graph; Seq is then its change's number.
	Written bool   `json:"written"`
	Seq     int64  `json:"seq,omitempty"`
	Resumed bool   `json:"resumed,omitempty"` // it completed an interrupted run of the same files
	Counts  Counts `json:"counts"`
	Rows    int    `json:"rows"`
	Skipped int    `json:"skipped"` // bad rows left out (SkipBadRows)
	// Drafts counts the evaluation rows entered (or, in a dry run, to be entered) as scores
	// of rounds open in cobuild; DraftSeqs are the changes that entered them.
	Drafts    int     `json:"drafts"`
	DraftSeqs []int64 `json:"draftSeqs,omitempty"`
}

// Blocked reports whether the import wrote nothing because of its problems.
func (r *Report) Blocked() bool { return r.ProblemCount > 0 && !r.SkipBadRows }

// A sheetPlan is one sheet of a file with its kind and columns.
type sheetPlan struct {
	file   int
	path   string
	name   string
	kind   *kind
	report *SheetReport
	colOf  []int        // per cell index: the kind's column index, or -1
	has    map[int]bool // the kind's columns present
	ids    []string     // node sheets: per data row the node's id (or a new one's symbol)
	bad    []bool       // per data row
	draft  []bool       // evaluation sheets: rows of a round open in cobuild, entered as its scores
	rowNo  []int        // per data row its row in the sheet
}

type importer struct {
	ctx     context.Context
	st      Store
	o       Options
	rep     *Report
	sheets  []*sheetPlan
	idx     *index
	claimed map[string]claim // id → the row that names it
	tieKeys map[string]int   // tie sheets: identity → row
	ordinal map[string]int64 // prefix → rows without an id so far
	hash    string
	seq     int64  // the log's last change when the graph was read
	stage   string // what the rows are read for, for Progress
	books   books  // the workbooks, open while the import runs
	bases   map[string]int64
	changed []string        // organisations that were there before and changed: their version is set
	created map[string]bool // organisations created
	counts  Counts
	// rounds are the rounds the evaluation sheets name, as cobuild holds them (nil: not
	// held); drafts the scores of the open ones, by round, with the sheet rows they come from.
	rounds map[string]*cobuild.EvaluationRound
	drafts map[string][]draftRow
}

type draftRow struct {
	sp   *sheetPlan
	i    int
	rows []cobuild.ScoreRow
}

// Run imports files: it checks every row of every file, then writes what differs from the
// graph as one batch of the change log, unless a row has a problem (and SkipBadRows is
// not set) or DryRun is set. Its error is for what stops it before or while writing (an
// unreadable store, a cancelled context); problems with the files are in the report.
func Run(ctx context.Context, st Store, files []File, o Options) (*Report, error) {
	o = o.withDefaults()
	// The rows are matched to the graph as it was before the first pass; when another
	// write came between then and the import's transaction (another import of the same
	// files, an officer's new organisation), the import starts again.
	for attempt := 1; ; attempt++ {
		rep, err := run(ctx, st, files, o)
		if errors.Is(err, errStale) && attempt < 3 {
			continue
		}
		return rep, err
	}
}

// errStale stops an import whose matching read a graph that has changed since.
var errStale = errors.New("the graph changed while the import read it")

func run(ctx context.Context, st Store, files []File, o Options) (*Report, error) {
	im := &importer{ctx: ctx, st: st, o: o, rep: &Report{DryRun: o.DryRun, SkipBadRows: o.SkipBadRows},
		claimed: map[string]claim{}, books: books{}, created: map[string]bool{}, rounds: map[string]*cobuild.EvaluationRound{}, drafts: map[string][]draftRow{}, tieKeys: map[string]int{}, ordinal: map[string]int64{}, counts: newCounts()}
	im.rep.Counts = im.counts
	defer im.books.close()
	defer im.fillSheets()
	if err := im.open(files); err != nil {
		return nil, err
	}
	seq, err := st.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	im.seq = seq
	if err := im.loadDirectory(); err != nil {
		return nil, err
	}
	for pi, pass := range []func(*sheetPlan, int, []value) error{im.identify, im.check} {
		im.stage = []string{"identify", "check"}[pi]
		for _, sp := range im.sheets {
			if err := im.eachRow(sp, pass); err != nil {
				return nil, err
			}
		}
	}
	for _, sp := range im.sheets {
		// Rows read, whether or not the import goes on to write.
		sp.report.Rows = len(sp.bad)
		for _, b := range sp.bad {
			if b {
				sp.report.Bad++
			}
		}
		im.rep.Rows += len(sp.bad)
	}
	// The problems in the order of the files and their rows, not of the passes.
	sort.SliceStable(im.rep.Problems, func(i, j int) bool {
		a, b := im.rep.Problems[i], im.rep.Problems[j]
		if a.File != b.File {
			return im.fileIndex(a.File) < im.fileIndex(b.File)
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		return a.Row < b.Row
	})
	if im.rep.Blocked() {
		return im.rep, nil
	}
	for _, sp := range im.sheets {
		im.rep.Skipped += sp.report.Bad
	}
	for _, ds := range im.drafts {
		im.rep.Drafts += len(ds)
	}
	im.fillSheets() // the change log records them
	if refused, err := im.enterDrafts(); err != nil || refused {
		return im.rep, err
	}
	return im.rep, im.write()
}

// enterDrafts enters the scores of rounds open in cobuild as the round's own (one change
// each, all rows or none), before the import writes anything else: a refusal (a party
// organisation of a kind not evaluated, a round finalised meanwhile) is the import's
// problem and nothing is written. The idempotency key is the files' hash and the round's,
// so importing the same files again enters nothing twice.
func (im *importer) enterDrafts() (refused bool, err error) {
	if im.o.DryRun {
		return false, nil
	}
	var rounds []string
	for r := range im.drafts {
		rounds = append(rounds, r)
	}
	sort.Strings(rounds)
	for _, r := range rounds {
		var rows []cobuild.ScoreRow
		for _, d := range im.drafts[r] {
			if !d.sp.bad[d.i] {
				rows = append(rows, d.rows...)
			}
		}
		if len(rows) == 0 {
			continue
		}
		c, err := im.st.EnterScores(im.ctx, im.o.Actor, r, rows, "import:"+im.hash[:32]+":"+r)
		if err != nil {
			code := cobuild.ErrorCode(err)
			if code != cobuild.EINVALID && code != cobuild.EFORBIDDEN {
				return false, err
			}
			d := im.drafts[r][0]
			im.problem(Problem{File: im.rep.Files[d.sp.file].Name, Sheet: d.sp.name, Code: code,
				Message: "测评轮次" + r + "的分数未能录入 (the scores of round " + r + " were refused): " + cobuild.ErrorMessage(err)})
			return true, nil
		}
		im.rep.DraftSeqs = append(im.rep.DraftSeqs, c.Seq)
		if !c.Replayed {
			// The import's own change: the graph it read is still current if no other came
			// before it.
			if c.Seq == im.seq+1 {
				im.seq = c.Seq
			} else {
				im.seq = -1
			}
		}
	}
	return false, nil
}

func (im *importer) fileIndex(name string) int {
	for i, f := range im.rep.Files {
		if f.Name == name {
			return i
		}
	}
	return len(im.rep.Files)
}

func (im *importer) problem(p Problem) {
	im.rep.ProblemCount++
	if len(im.rep.Problems) < im.o.MaxProblems {
		im.rep.Problems = append(im.rep.Problems, p)
	}
}

// open finds the sheets of every file, their kinds and columns, and hashes the files'
// bytes: an interrupted import is known again by this hash.
func (im *importer) open(files []File) error {
	h := sha256.New()
	fmt.Fprintf(h, "skip=%v kind=%s\n", im.o.SkipBadRows, im.o.Kind)
	for fi, f := range files {
		name := f.Name
		if name == "" {
			name = filepath.Base(f.Path)
		}
		fr := FileReport{Name: name}
		fh := sha256.New()
		if r, err := os.Open(f.Path); err != nil {
			return fmt.Errorf("open %s: %w", name, err)
		} else {
			_, err = io.Copy(fh, r)
			r.Close()
			if err != nil {
				return fmt.Errorf("read %s: %w", name, err)
			}
		}
		fr.SHA256 = hex.EncodeToString(fh.Sum(nil))
		fmt.Fprintf(h, "%s\n", fr.SHA256)
		im.rep.Files = append(im.rep.Files, fr)
		var plans []*sheetPlan
		err := im.books.eachSheet(f.Path, "", func(s *sheet) error {
			header, err := s.next()
			if err == io.EOF {
				return nil // an empty sheet
			}
			if err != nil {
				return err
			}
			sp := im.plan(fi, name, s, header)
			if sp != nil {
				sp.path = f.Path
				plans = append(plans, sp)
			}
			return nil
		})
		if err != nil {
			im.problem(Problem{File: name, Code: CodeBadFile, Message: "文件无法读取 (the file cannot be read): " + err.Error()})
			continue
		}
		im.sheets = append(im.sheets, plans...)
	}
	im.hash = hex.EncodeToString(h.Sum(nil))
	// Write in the order of the kinds, so that what a row names is written before it.
	order := map[*kind]int{}
	for i, k := range kinds {
		order[k] = i
	}
	sort.SliceStable(im.sheets, func(i, j int) bool { return order[im.sheets[i].kind] < order[im.sheets[j].kind] })
	return nil
}

// fillSheets writes the sheets' reports into their files' (each sheet keeps its own while
// the passes count its rows).
func (im *importer) fillSheets() {
	for i := range im.rep.Files {
		im.rep.Files[i].Sheets = nil
	}
	for _, sp := range im.sheets {
		fr := &im.rep.Files[sp.file]
		fr.Sheets = append(fr.Sheets, *sp.report)
	}
}

// normHeader folds what offices vary in a header: spaces, full-width brackets, a trailing
// colon or asterisk (a required mark).
func normHeader(h string) string {
	h = strings.TrimSpace(h)
	h = strings.NewReplacer(" ", "", "\u3000", "", "（", "(", "）", ")", "：", "", ":", "", "*", "", "＊", "").Replace(h)
	return strings.ToLower(h)
}

// plan matches a sheet to its kind, by its name or else by its header, and its cells to
// the kind's columns.
func (im *importer) plan(file int, fileName string, s *sheet, header []string) *sheetPlan {
	k := kindByName(strings.TrimSpace(s.name))
	if k == nil && im.o.Kind != "" {
		k = kindByName(im.o.Kind)
	}
	if k == nil {
		k = kindByHeader(header)
	}
	if k == nil {
		im.problem(Problem{File: fileName, Sheet: s.name, Code: CodeUnknownKind,
			Message: fmt.Sprintf("无法识别工作表“%s”的类型，请将工作表（或文件）命名为：%s (the kind of this sheet is unknown: name the sheet or file after one of: %s)",
				s.name, strings.Join(kindTitles(), "、"), strings.Join(Kinds(), ", "))})
		return nil
	}
	sp := &sheetPlan{file: file, name: s.name, kind: k, has: map[int]bool{},
		report: &SheetReport{Name: s.name, Kind: k.name, Encoding: s.encoding}}
	sp.colOf = make([]int, len(header))
	for i, h := range header {
		sp.colOf[i] = -1
		ci := k.colIndex(h)
		if ci < 0 {
			if strings.TrimSpace(h) != "" {
				sp.report.Ignored = append(sp.report.Ignored, h)
			}
			continue
		}
		if sp.has[ci] {
			im.problem(Problem{File: fileName, Sheet: s.name, Row: 1, Column: h, Code: CodeDuplicateColumn,
				Message: fmt.Sprintf("“%s”与另一列同义，只能保留一列 (this column means the same as another: keep one)", h)})
			continue
		}
		sp.has[ci] = true
		sp.colOf[i] = ci
	}
	for ci, c := range k.cols {
		if c.req && !sp.has[ci] {
			im.problem(Problem{File: fileName, Sheet: s.name, Row: 1, Column: c.header, Code: CodeMissingColumn,
				Message: fmt.Sprintf("缺少必填列“%s” (the required column %s is missing)", c.header, c.key)})
		}
	}
	return sp
}

// colIndex returns the column a header names, by its Chinese header, a synonym or its key.
func (k *kind) colIndex(h string) int {
	n := normHeader(h)
	if n == "" {
		return -1
	}
	for i, c := range k.cols {
		if n == normHeader(c.header) || n == strings.ToLower(c.key) {
			return i
		}
	}
	for i, c := range k.cols {
		for _, s := range c.syn {
			if n == normHeader(s) {
				return i
			}
		}
	}
	return -1
}

// kindByHeader returns the kind whose required columns are all in the header and which
// knows the most of its headers, when exactly one does.
func kindByHeader(header []string) *kind {
	var best *kind
	bestN, tie := 0, false
	for _, k := range kinds {
		seen := map[int]bool{}
		for _, h := range header {
			if ci := k.colIndex(h); ci >= 0 {
				seen[ci] = true
			}
		}
		ok := true
		for ci, c := range k.cols {
			if c.req && !seen[ci] {
				ok = false
			}
		}
		if !ok {
			continue
		}
		switch n := len(seen); {
		case n > bestN:
			best, bestN, tie = k, n, false
		case n == bestN:
			tie = true
		}
	}
	if tie {
		return nil
	}
	return best
}

func kindTitles() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.title
	}
	return out
}

// eachRow reads the data rows of a sheet again and calls fn with each, its cells read
// (cells with problems are unset; the problems are reported on the first pass only).
func (im *importer) eachRow(sp *sheetPlan, fn func(sp *sheetPlan, i int, vals []value) error) error {
	first := sp.bad == nil
	i := 0
	err := im.books.eachSheet(sp.path, sp.name, func(s *sheet) error {
		if _, err := s.next(); err != nil { // the header
			return err
		}
		line := 1
		for {
			if err := im.ctx.Err(); err != nil {
				return err
			}
			cells, err := s.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			line++
			if blank(cells) || hintRow(cells) {
				continue
			}
			if first {
				sp.bad = append(sp.bad, false)
				sp.rowNo = append(sp.rowNo, line)
				if sp.kind.node != "" {
					sp.ids = append(sp.ids, "")
				}
			}
			vals := make([]value, len(sp.kind.cols))
			for ci, raw := range cells {
				if ci >= len(sp.colOf) || sp.colOf[ci] < 0 {
					continue
				}
				c := &sp.kind.cols[sp.colOf[ci]]
				v, cerr := c.parse(raw, im.o.Rules)
				if cerr != nil {
					if first {
						im.bad(sp, i, c, cerr.code, cerr.msg)
					}
					continue
				}
				vals[sp.colOf[ci]] = v
			}
			if first {
				for ci, c := range sp.kind.cols {
					if c.req && sp.has[ci] && ci >= 0 && !vals[ci].set && !cellGiven(cells, sp.colOf, ci) {
						im.bad(sp, i, &sp.kind.cols[ci], CodeRequired, fmt.Sprintf("“%s”不能为空 (%s must not be empty)", c.header, c.key))
					}
				}
			}
			if err := fn(sp, i, vals); err != nil {
				return err
			}
			i++
			if im.o.Progress != nil && i%50000 == 0 {
				im.o.Progress(im.stage+" "+sp.kind.name, i)
			}
		}
	})
	return err
}

// cellGiven reports whether the row has a cell for column ci (a short row has none: its
// required cells are empty, which parse does not see).
func cellGiven(cells []string, colOf []int, ci int) bool {
	for i := range cells {
		if i < len(colOf) && colOf[i] == ci {
			return true
		}
	}
	return false
}

// hintRow reports whether a row is a template's row of hints (必填：… 选填：…), left in.
func hintRow(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !strings.HasPrefix(c, "必填：") && !strings.HasPrefix(c, "选填：") && !strings.HasPrefix(c, "可不填") {
			return false
		}
		n++
	}
	return n > 0
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// bad records a problem with row i of a sheet (c is its column, or nil).
func (im *importer) bad(sp *sheetPlan, i int, c *col, code, msg string) {
	sp.bad[i] = true
	p := Problem{File: im.rep.Files[sp.file].Name, Sheet: sp.name, Row: sp.rowNo[i], Code: code, Message: msg}
	if c != nil {
		p.Column = c.header
	}
	im.problem(p)
}

// claim is the row that names a node: its sheet (an index into the importer's sheets)
// and its row.
type claim struct{ sheet, row int32 }

func (im *importer) claimOf(sp *sheetPlan, i int) claim {
	return claim{int32(slices.Index(im.sheets, sp)), int32(sp.rowNo[i])}
}

func (im *importer) whereZh(c claim) string {
	return fmt.Sprintf("%s 第%d行", im.sheets[c.sheet].name, c.row)
}

func (im *importer) whereEn(c claim) string {
	return fmt.Sprintf("%s row %d", im.sheets[c.sheet].name, c.row)
}

// rowLabel is the label of the node of a node sheet's row.
func rowLabel(k *kind, vals []value) cobuild.NodeLabel {
	if k.node == "Hub" {
		return hubLabel[vals[k.colIdx("kind")].s]
	}
	return k.node
}

func (k *kind) colIdx(key string) int {
	for i := range k.cols {
		if k.cols[i].key == key {
			return i
		}
	}
	return -1
}

func prefixOf(l cobuild.NodeLabel) string {
	for _, x := range cobuild.Labels {
		if x.Label == l {
			return x.Prefix
		}
	}
	return ""
}

// identify is the first pass: it finds the node of every row of a node sheet (by its id,
// else by its keys in the graph and the files before it, else a new one) and registers
// the row's keys, so that later rows and sheets can name it.
func (im *importer) identify(sp *sheetPlan, i int, vals []value) error {
	k := sp.kind
	if k.node == "" {
		return nil
	}
	label := rowLabel(k, vals)
	if label == "" {
		return nil // its kind is unreadable, already reported
	}
	prefix := prefixOf(label)
	e := Entry{Label: label}
	im.fillEntry(sp, i, &e, vals)
	idc := k.colIdx("id")
	given := idc >= 0 && vals[idc].set
	id := ""
	if given {
		id = vals[idc].s
		if err := cobuild.CheckID(id, label); err != nil {
			im.bad(sp, i, &k.cols[idc], CodeBadID, fmt.Sprintf("编号“%s”不是%s的编号 (id %s does not name a %s)", id, label, id, label))
			return nil
		}
	} else {
		ord := im.ordinal[prefix]
		im.ordinal[prefix]++
		given := false // a key of the row had a value
		for _, key := range k.match {
			key, fallback := strings.CutSuffix(key, "?")
			if fallback && given {
				continue // only for rows without the keys before it
			}
			v := entryKey(&e, key)
			if v == "" {
				continue
			}
			given = true
			found, ambiguous := im.idx.lookup(label, key, v)
			if ambiguous {
				im.bad(sp, i, nil, CodeAmbiguous, fmt.Sprintf("按“%s”匹配到多个已有%s，请填写编号 (several nodes match by %s: give the id)", v, label, key))
				return nil
			}
			if found != "" {
				id = found
				break
			}
		}
		if id == "" {
			id = "~" + prefix + ":" + strconv.FormatInt(ord, 10)
		}
	}
	if prev, ok := im.claimed[id]; ok {
		im.bad(sp, i, nil, CodeDuplicate, fmt.Sprintf("与%s为同一对象（%s）(the same node as %s)", im.whereZh(prev), displayID(id), im.whereEn(prev)))
		return nil
	}
	// A credit code is one organisation's: another's in the graph or the files is a duplicate.
	if e.Code != "" && label == cobuild.LabelOrganization {
		if other, _ := im.idx.lookup(label, "code", e.Code); other != "" && other != id {
			where := "图中的" + other
			if w, ok := im.claimed[other]; ok {
				where = im.whereZh(w)
			}
			im.bad(sp, i, k.col("creditCode"), CodeDuplicate, fmt.Sprintf("统一社会信用代码%s已属于%s (credit code %s already belongs to %s)", e.Code, where, e.Code, other))
			return nil
		}
	}
	e.ID = id
	im.idx.add(e, true)
	id = im.idx.entries[im.idx.byID[id]].id // the index's copy, not a slice of the row's line
	im.claimed[id] = im.claimOf(sp, i)
	sp.ids[i] = id
	return nil
}

func displayID(id string) string {
	if strings.HasPrefix(id, "~") {
		return "新增 new"
	}
	return id
}

// fillEntry sets the keys of a row's node.
func (im *importer) fillEntry(sp *sheetPlan, i int, e *Entry, vals []value) {
	k := sp.kind
	get := func(key string) value {
		if c := k.colIdx(key); c >= 0 {
			return vals[c]
		}
		return value{}
	}
	e.Name = get("name").s
	switch e.Label {
	case cobuild.LabelOrganization:
		e.Code = get("creditCode").s
		e.Area = im.resolveQuiet(get("area"), areas)
	case cobuild.LabelIndustry:
		e.Code = get("code").s
	case cobuild.LabelEvent:
		if d := get("date"); d.set {
			e.Date = d.t.Format(time.DateOnly)
		}
	case cobuild.LabelPerson:
		if y := get("birthYear"); y.set {
			e.Year = y.i
		}
	case cobuild.LabelEvaluation:
		e.Round = get("round").s
		e.Owner = im.resolveQuiet(get("partyOrg"), partyOrg)
	case cobuild.LabelCertification:
		e.Kind = get("kind").s
		e.Owner = im.resolveQuiet(get("holder"), persons)
	}
}

// resolveQuiet resolves a one-node reference, or returns "" (its problem is reported by
// the second pass).
func (im *importer) resolveQuiet(v value, labels []cobuild.NodeLabel) string {
	if !v.set || len(v.refs) != 1 {
		return ""
	}
	id, _, _ := im.idx.resolve(v.refs[0], labels)
	return id
}

// ref resolves one reference of column ci of a row, in the area of the column it is
// read within, if any.
func (im *importer) ref(k *kind, vals []value, ci int, ref string) (id, code, msg string) {
	c := &k.cols[ci]
	area := ""
	if c.within != "" {
		if wc := k.colIdx(c.within); wc >= 0 {
			if w := im.resolveQuiet(vals[wc], k.cols[wc].labels); w != "" {
				if l, _ := cobuild.LabelOf(w); l == cobuild.LabelArea {
					area = w
				} else if n, ok := im.idx.byID[w]; ok {
					area = im.idx.entries[n].area
				}
			}
		}
	}
	return im.idx.resolveIn(ref, c.labels, area)
}

// check is the second pass: every reference of every row must name exactly one node of
// the graph or of the files, an end must not come before its start, and a tie sheet must
// not name the same tie twice.
func (im *importer) check(sp *sheetPlan, i int, vals []value) error {
	k := sp.kind
	var from, to, since string
	for ci := range k.cols {
		c := &k.cols[ci]
		v := vals[ci]
		if !v.set || (c.typ != cRef && c.typ != cRefs) {
			continue
		}
		for _, ref := range v.refs {
			id, code, msg := im.ref(k, vals, ci, ref)
			if code != "" {
				im.bad(sp, i, c, code, fmt.Sprintf("“%s”%s", ref, msg))
				continue
			}
			switch c.end {
			case "from":
				from = id
			case "to":
				to = id
			}
		}
	}
	if sc, uc := k.colIdx("since"), k.colIdx("until"); sc >= 0 && uc >= 0 && vals[sc].set && vals[uc].set && !vals[uc].t.After(vals[sc].t) {
		im.bad(sp, i, &k.cols[uc], CodeDateOrder, "结束日期应晚于开始日期 (the end must come after the start)")
	}
	for _, c := range k.cols {
		if c.link != nil && c.link.since != "" && c.link.until != "" {
			s, u := vals[k.colIdx(c.link.since)], vals[k.colIdx(c.link.until)]
			if s.set && u.set && !u.t.After(s.t) {
				im.bad(sp, i, k.col(c.link.until), CodeDateOrder, "结束日期应晚于开始日期 (the end must come after the start)")
			}
		}
	}
	if k.tie != "" && from != "" && to != "" {
		if sc := k.colIdx("since"); k.dated && sc >= 0 && vals[sc].set {
			since = vals[sc].t.Format(time.DateOnly)
		}
		key := string(k.tie) + "|" + from + "|" + to + "|" + since
		if prev, ok := im.tieKeys[key]; ok {
			im.bad(sp, i, nil, CodeDuplicate, fmt.Sprintf("与第%d行为同一条记录 (the same as row %d)", prev, prev))
		} else {
			im.tieKeys[key] = sp.rowNo[i]
		}
	}
	if k.name == "evaluations" {
		im.checkScore(sp, i, vals)
		if err := im.checkRound(sp, i, vals); err != nil {
			return err
		}
	}
	return nil
}

// checkRound sees whether an evaluation row's round is held open in cobuild: then the row
// is the party organisation's scores in it, entered as drafts, not an evaluation.
func (im *importer) checkRound(sp *sheetPlan, i int, vals []value) error {
	k := sp.kind
	round := vals[k.colIdx("round")].s
	if round == "" {
		return nil
	}
	rd, ok := im.rounds[round]
	if !ok {
		var err error
		if rd, err = im.st.EvaluationRound(im.ctx, round); err != nil {
			return err
		}
		im.rounds[round] = rd
	}
	if sp.draft == nil {
		sp.draft = make([]bool, len(sp.bad))
	}
	if rd == nil || rd.Status != cobuild.RoundOpen {
		return nil
	}
	sp.draft[i] = true
	po := im.resolveQuiet(vals[k.colIdx("partyOrg")], partyOrg)
	if strings.HasPrefix(po, "~") {
		im.bad(sp, i, k.col("partyOrg"), CodeUnknown, fmt.Sprintf("测评轮次%s正在进行，其党组织须已在系统中 (round %s is open: its party organisations must be in cobuild already)", round, round))
		return nil
	}
	g := im.scoreLists(k, vals)
	if po == "" || g == nil {
		return nil
	}
	im.drafts[round] = append(im.drafts[round], draftRow{sp, i, []cobuild.ScoreRow{
		{PartyOrgID: po, Group: cobuild.GroupSelf, Scores: g["self"]},
		{PartyOrgID: po, Group: cobuild.GroupPublic, Scores: g["public"]},
		{PartyOrgID: po, Group: cobuild.GroupCommittee, Scores: g["committee"]}}})
	return nil
}

// checkScore compares a sheet's total, when it has one, with the weighted sum.
func (im *importer) checkScore(sp *sheetPlan, i int, vals []value) {
	sc := sp.kind.colIdx("score")
	if sc < 0 || !vals[sc].set {
		return
	}
	score, ok := im.finalScore(sp.kind, vals)
	if ok && fmt.Sprintf("%.2f", score) != fmt.Sprintf("%.2f", vals[sc].f) {
		im.bad(sp, i, &sp.kind.cols[sc], CodeScoreMismatch, fmt.Sprintf("总分应为%.2f（按权重计算），表中为%g (the weighted total is %.2f, the sheet says %g)", score, vals[sc].f, score, vals[sc].f))
	}
}

// finalScore returns the three groups' scores of an evaluation row and its final score.
func (im *importer) finalScore(k *kind, vals []value) (float64, bool) {
	g := im.scoreLists(k, vals)
	if g == nil {
		return 0, false
	}
	score, err := im.o.Rules.FinalScore([7]float64(g["self"]), [7]float64(g["public"]), [7]float64(g["committee"]))
	return score, err == nil
}

func (im *importer) scoreLists(k *kind, vals []value) map[string][]float64 {
	out := map[string][]float64{"self": make([]float64, 7), "public": make([]float64, 7), "committee": make([]float64, 7)}
	for ci, c := range k.cols {
		if c.typ != cScore {
			continue
		}
		if !vals[ci].set {
			return nil
		}
		out[c.group][c.dim] = vals[ci].f
	}
	return out
}

// args is the change log's record of an import.
func (im *importer) args() string {
	type file struct {
		Name   string   `json:"name"`
		SHA256 string   `json:"sha256"`
		Kinds  []string `json:"kinds"`
		Rows   int      `json:"rows"`
	}
	var fs []file
	for _, f := range im.rep.Files {
		x := file{Name: f.Name, SHA256: f.SHA256}
		for _, s := range f.Sheets {
			x.Kinds = append(x.Kinds, s.Kind)
			x.Rows += s.Rows
		}
		fs = append(fs, x)
	}
	b, _ := json.Marshal(map[string]any{"files": fs, "counts": im.counts, "skipped": im.rep.Skipped, "resumed": im.rep.Resumed})
	return string(b)
}

var errRollback = errors.New("roll back")

// write is the third pass: sheet by sheet in chunks of rows, it reads what the graph holds
// of the rows' nodes and ties, and writes what differs. Nodes are written before ties, so
// that a tie may name a node of any sheet.
func (im *importer) write() error {
	total := 0
	for _, sp := range im.sheets {
		sp.report.Rows = len(sp.bad)
		total += len(sp.bad)
	}
	prefixes := []string{}
	for p := range im.ordinal {
		prefixes = append(prefixes, p)
	}
	for _, sp := range im.sheets {
		if sp.kind.node != "" {
			for _, id := range sp.ids {
				if id != "" && !strings.HasPrefix(id, "~") {
					if p := id[:2]; !slices.Contains(prefixes, p) {
						prefixes = append(prefixes, p)
					}
				}
			}
		}
	}
	sort.Strings(prefixes)
	timeout := 10 * time.Minute
	if total <= im.o.SingleTxRows {
		err := im.st.ImportTx(im.ctx, timeout, func(tx Tx) error {
			if tx.Seq() != im.seq {
				return errStale
			}
			im.counts = newCounts()
			im.changed, im.created = nil, map[string]bool{}
			if !im.o.DryRun {
				bases, resumed, err := tx.Begin(im.hash, im.ordinal)
				if err != nil {
					return err
				}
				im.bases, im.rep.Resumed = bases, resumed
			}
			for pi, phase := range []func(Tx, *sheetPlan, int, [][]value) error{im.writeNodes, im.writeTies} {
				im.stage = []string{"nodes", "ties"}[pi]
				for _, sp := range im.sheets {
					if err := im.eachChunk(sp, func(lo int, rows [][]value) error { return phase(tx, sp, lo, rows) }); err != nil {
						return err
					}
				}
			}
			im.rep.Counts = im.counts
			if im.o.DryRun || (im.counts.Total() == 0 && !im.rep.Resumed) {
				return errRollback
			}
			seq, err := tx.Finish(im.hash, im.o.Actor, im.args(), im.changed, prefixes)
			im.rep.Seq, im.rep.Written = seq, err == nil
			return err
		})
		if errors.Is(err, errRollback) {
			return nil
		}
		return err
	}
	// A large import: a mark, transactions of ChunkRows rows, and the record last.
	if !im.o.DryRun {
		if err := im.st.ImportTx(im.ctx, timeout, func(tx Tx) error {
			if tx.Seq() != im.seq {
				return errStale
			}
			bases, resumed, err := tx.Begin(im.hash, im.ordinal)
			im.bases, im.rep.Resumed = bases, resumed
			return err
		}); err != nil {
			return err
		}
	}
	for pi, phase := range []func(Tx, *sheetPlan, int, [][]value) error{im.writeNodes, im.writeTies} {
		im.stage = []string{"nodes", "ties"}[pi]
		for _, sp := range im.sheets {
			err := im.eachChunk(sp, func(lo int, rows [][]value) error {
				counts, changed := im.counts.clone(), len(im.changed)
				err := im.st.ImportTx(im.ctx, timeout, func(tx Tx) error {
					// A transaction tried again counts again from the chunk's start.
					im.counts, im.changed = counts.clone(), im.changed[:changed]
					if err := phase(tx, sp, lo, rows); err != nil {
						return err
					}
					if im.o.DryRun {
						return errRollback
					}
					return nil
				})
				if errors.Is(err, errRollback) {
					return nil
				}
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	im.rep.Counts = im.counts
	if im.o.DryRun {
		return nil
	}
	return im.st.ImportTx(im.ctx, timeout, func(tx Tx) error {
		if im.counts.Total() == 0 && !im.rep.Resumed {
			return tx.Abandon(im.hash)
		}
		seq, err := tx.Finish(im.hash, im.o.Actor, im.args(), im.changed, prefixes)
		im.rep.Seq, im.rep.Written = seq, err == nil
		return err
	})
}

// realID turns the symbol of a new node into its id, from the block reserved for the
// import; in a dry run it stays a symbol.
func (im *importer) realID(id string) string {
	if !strings.HasPrefix(id, "~") || im.bases == nil {
		return id
	}
	prefix, n, _ := strings.Cut(id[1:], ":")
	ord, _ := strconv.ParseInt(n, 10, 64)
	return fmt.Sprintf("%s-%06d", prefix, im.bases[prefix]+ord+1)
}
