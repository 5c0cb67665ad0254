package imports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"cobuild"
	"cobuild/app"
	"cobuild/demo"
	"cobuild/imports"
	"cobuild/neo4jlocal"
	"cobuild/neo4jstore"
)

// The import tests write, so they run on a Neo4j of their own (the shared test database
// holds the goldens and is never written).

var (
	localOnce sync.Once
	localErr  error
	local     *app.Main
)

func openStore(t *testing.T) *app.Main {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" && os.Getenv("CI") == "" {
		t.Skip("import tests run with the integration tests (`make test`, or CI set)")
	}
	localOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cobuild-import-")
		if err != nil {
			localErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		local = &app.Main{Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
			Config: app.Config{Local: neo4jlocal.Options{DataDir: dir, Heap: "512m", PageCache: "64m"}, NoSeed: true}}
		localErr = local.Open(ctx)
	})
	if localErr != nil {
		if errors.Is(localErr, neo4jlocal.ErrMissingTool) && os.Getenv("CI") == "" {
			t.Skip(localErr)
		}
		t.Fatal(localErr)
	}
	return local
}

func TestMain(m *testing.M) {
	if os.Getenv("COBUILD_IMPORT_CHILD") != "" {
		os.Exit(child())
	}
	code := m.Run()
	if local != nil {
		local.Close()
	}
	os.Exit(code)
}

// child is the import run by TestKilledImportCompletesWhenRunAgain in a process of its
// own, so that it can be killed.
func child() int {
	ctx := context.Background()
	st, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: os.Getenv("COBUILD_IMPORT_URI"), User: "neo4j",
		Password: os.Getenv("COBUILD_IMPORT_PASSWORD"), Timeout: time.Minute}, cobuild.DefaultRules())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	var files []imports.File
	for _, p := range strings.Split(os.Getenv("COBUILD_IMPORT_FILES"), "\n") {
		files = append(files, imports.File{Path: p})
	}
	rep, err := imports.Run(ctx, st, files, imports.Options{Actor: cobuild.Actor{Subject: "child", Role: "admin"},
		ChunkRows: 300, SingleTxRows: 1000})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

func driver(t *testing.T, m *app.Main) neo4j.DriverWithContext {
	t.Helper()
	d, err := neo4j.NewDriverWithContext(m.Local.URI(), neo4j.BasicAuth(m.Local.User(), m.Local.Password(), ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

func read(t *testing.T, d neo4j.DriverWithContext, cypher string, params map[string]any) []*neo4j.Record {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), d, cypher, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	return res.Records
}

func count(t *testing.T, d neo4j.DriverWithContext, cypher string, params map[string]any) int64 {
	t.Helper()
	v, _, err := neo4j.GetRecordValue[int64](read(t, d, cypher, params)[0], "n")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const domainNodes = "NOT n:ChangeLog AND NOT n:Change AND NOT n:Migration AND NOT n:Seed AND NOT n:Import"

// dump is the domain graph as sorted lines: every node with its labels and properties
// (but the bookkeeping version), every tie with its ends and properties.
func dump(t *testing.T, d neo4j.DriverWithContext) []string {
	t.Helper()
	var out []string
	canon := func(m map[string]any) string {
		delete(m, "version")
		b, err := json.Marshal(m) // maps marshal with sorted keys
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, r := range read(t, d, "MATCH (n) WHERE "+domainNodes+" RETURN labels(n) AS l, properties(n) AS p", nil) {
		m := r.AsMap()
		var ls []string
		for _, l := range m["l"].([]any) {
			ls = append(ls, l.(string))
		}
		sort.Strings(ls)
		out = append(out, strings.Join(ls, ":")+" "+canon(m["p"].(map[string]any)))
	}
	for _, r := range read(t, d, "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p", nil) {
		m := r.AsMap()
		out = append(out, fmt.Sprintf("%v -%v-> %v %s", m["a"], m["t"], m["b"], canon(m["p"].(map[string]any))))
	}
	sort.Strings(out)
	return out
}

// diff returns the first lines only one of two dumps has.
func diff(a, b []string) string {
	var only []string
	i, j := 0, 0
	for (i < len(a) || j < len(b)) && len(only) < 10 {
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			only = append(only, "- "+a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			only = append(only, "+ "+b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return strings.Join(only, "\n")
}

func run(t *testing.T, m *app.Main, o imports.Options, paths ...string) *imports.Report {
	t.Helper()
	var files []imports.File
	for _, p := range paths {
		files = append(files, imports.File{Path: p})
	}
	if o.Actor.Subject == "" {
		o.Actor = cobuild.Actor{Subject: "test", Role: "admin"}
	}
	rep, err := imports.Run(context.Background(), m.Store, files, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func problems(r *imports.Report) string {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

// The demo's files, imported into an empty graph, give the seeded graph: every node with
// its id and properties, every tie. Importing them again, or as one workbook, changes nothing.
func TestDemoFilesReproduceTheSeededGraph(t *testing.T) {
	m := openStore(t)
	d := driver(t, m)
	ctx := context.Background()
	if _, err := app.Seed(ctx, m.Store, demo.Options{}, true, nil); err != nil {
		t.Fatal(err)
	}
	seeded := dump(t, d)
	ds, err := demo.Generate(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := imports.WriteDataset(ds, dir, "csv", "宣州区")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Store.Wipe(ctx); err != nil {
		t.Fatal(err)
	}
	before := lastSeq(t, d)
	rep := run(t, m, imports.Options{}, files...)
	if rep.ProblemCount > 0 || !rep.Written {
		t.Fatalf("the demo's files did not import: %d problems\n%s", rep.ProblemCount, problems(rep))
	}
	if got := lastSeq(t, d); got != before+1 || rep.Seq != got {
		t.Errorf("the import is change %d, the log went from %d to %d: want one batch", rep.Seq, before, got)
	}
	imported := dump(t, d)
	if !slices.Equal(seeded, imported) {
		t.Fatalf("the imported graph differs from the seeded one (%d and %d lines):\n%s", len(seeded), len(imported), diff(seeded, imported))
	}
	// The log records one batch naming the files and the actor.
	rec := read(t, d, "MATCH (c:Change {seq: $seq}) RETURN c.op AS op, c.batch AS batch, c.subject AS subject, c.args AS args", map[string]any{"seq": rep.Seq})[0].AsMap()
	if rec["op"] != "import" || rec["batch"] != true || rec["subject"] != "test" || !strings.Contains(rec["args"].(string), "组织名录.csv") {
		t.Errorf("the change log records %v", rec)
	}
	t.Run("again changes nothing", func(t *testing.T) {
		seq := lastSeq(t, d)
		rep := run(t, m, imports.Options{}, files...)
		if rep.Written || rep.Counts.Total() != 0 || lastSeq(t, d) != seq {
			t.Errorf("a second import wrote %d changes (written %v)", rep.Counts.Total(), rep.Written)
		}
	})
	t.Run("the workbook says the same", func(t *testing.T) {
		wb, err := imports.WriteDataset(ds, t.TempDir(), "xlsx", "宣州区")
		if err != nil {
			t.Fatal(err)
		}
		rep := run(t, m, imports.Options{}, wb...)
		if rep.ProblemCount > 0 || rep.Written || rep.Counts.Total() != 0 {
			t.Errorf("the workbook of the same data changed %d things, %d problems\n%s", rep.Counts.Total(), rep.ProblemCount, problems(rep))
		}
		if sheets := len(rep.Files[0].Sheets); sheets != len(files) {
			t.Errorf("the workbook has %d sheets, the CSV files are %d", sheets, len(files))
		}
	})
}

// demoGraph makes sure the graph holds the district (a test run alone finds it empty).
func demoGraph(t *testing.T, m *app.Main, d neo4j.DriverWithContext) {
	t.Helper()
	if count(t, d, "MATCH (o:Organization) RETURN count(o) AS n", nil) < 15000 {
		if _, err := app.Seed(context.Background(), m.Store, demo.Options{}, true, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func lastSeq(t *testing.T, d neo4j.DriverWithContext) int64 {
	return count(t, d, "OPTIONAL MATCH (l:ChangeLog {id: 'log'}) RETURN coalesce(l.seq, 0) AS n", nil)
}

func writeCSV(t *testing.T, path string, rows [][]string, gb bool) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if gb {
		var err error
		if data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeXLSX(t *testing.T, path, sheet string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, c := range r {
			vals[j] = c
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// creditCode returns a valid credit code the demo graph does not hold (its division is
// not the district's).
func creditCode(t *testing.T, i int) string {
	t.Helper()
	c, err := cobuild.NewCreditCode('9', '1', "340100", 500+i)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// orgOf returns an enterprise of the demo graph: its id, name and credit code.
func orgOf(t *testing.T, d neo4j.DriverWithContext, skip int) (id, name, code string) {
	r := read(t, d, "MATCH (o:Enterprise) RETURN o.id AS id, o.name AS name, o.creditCode AS code ORDER BY o.id SKIP $skip LIMIT 1", map[string]any{"skip": skip})[0].AsMap()
	return r["id"].(string), r["name"].(string), r["code"].(string)
}

// A file with bad rows writes nothing, and the report names every bad row: its file, row,
// column and a stable code. Asked to skip them, the import writes the good rows only.
func TestBadRowsWriteNothingAndAreEachNamed(t *testing.T) {
	m := openStore(t)
	d := driver(t, m)
	demoGraph(t, m, d)
	dir := t.TempDir()
	idA, _, _ := orgOf(t, d, 0)
	_, _, codeB := orgOf(t, d, 1)
	fresh := creditCode(t, 1)
	wrongCheck := fresh[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", fresh[17])+1)%31])
	good := creditCode(t, 2)
	orgs := filepath.Join(dir, "组织名录.csv")
	writeCSV(t, orgs, [][]string{
		{"编号", "统一社会信用代码", "名称", "类型", "登记日期", "经营状态", "所在镇街", "行业代码", "从业人数"},
		{"", wrongCheck, "甲公司", "企业", "2021-03-01", "在营", "澄江街道", "C26", "12"},       // row 2: check character
		{"", fresh, "乙公司", "企业", "2021-03-01", "在营", "澄江街道", "C26", "12"},            // row 3: fine
		{"", fresh, "丙公司", "企业", "2021-03-01", "在营", "澄江街道", "C26", "12"},            // row 4: the same code as row 3
		{idA, codeB, "丁公司", "企业", "2021-03-01", "在营", "澄江街道", "C26", "12"},           // row 5: another's code
		{"", creditCode(t, 5), "戊公司", "企业", "2021-03-01", "在营", "澄江街", "C26", "12"},  // row 6: unknown area
		{"", creditCode(t, 6), "己公司", "企业", "2023-02-30", "在营", "澄江街道", "C26", "12"}, // row 7: no such day
		{"", creditCode(t, 7), "庚公司", "企业", "2021-03-01", "在营", "澄江街道", "C99", "12"}, // row 8: unknown industry
		{"", creditCode(t, 8), "辛公司", "企业", "2021-03-01", "在营", "澄江街道", "C26", "-5"}, // row 9: negative
		{"", creditCode(t, 9), "壬公司", "公司", "2021-03-01", "在营", "澄江街道", "C26", "12"}, // row 10: kind
		{"", creditCode(t, 10), "", "企业", "2021-03-01", "在营", "澄江街道", "C26", "12"},   // row 11: no name
		{"", good, "癸公司", "企业", "2021-03-01", "在营", "澄江街道", "C26", "12"},             // row 12: fine
	}, false)
	h, err := imports.Headers("evaluations")
	if err != nil {
		t.Fatal(err)
	}
	po := read(t, d, "MATCH (p:PartyOrg {kind: 'BRANCH'}) RETURN p.name AS n ORDER BY p.id LIMIT 1", nil)[0].AsMap()["n"].(string)
	row := []string{"", po, "2024-05", ""}
	for i := 0; i < 21; i++ {
		row = append(row, "5")
	}
	row[4] = "16" // 班子队伍建设 is worth 15
	row = append(row, "")
	evals := filepath.Join(dir, "评星定级.csv")
	writeCSV(t, evals, [][]string{h, row}, false)

	type want struct {
		file   string
		row    int
		code   string
		column string
	}
	wants := []want{
		{"组织名录.csv", 2, imports.CodeBadCreditCode, "统一社会信用代码"},
		{"组织名录.csv", 4, imports.CodeDuplicate, ""},
		{"组织名录.csv", 5, imports.CodeDuplicate, "统一社会信用代码"},
		{"组织名录.csv", 6, imports.CodeUnknown, "所在镇街"},
		{"组织名录.csv", 7, imports.CodeBadDate, "登记日期"},
		{"组织名录.csv", 8, imports.CodeUnknown, "行业代码"},
		{"组织名录.csv", 9, imports.CodeBadNumber, "从业人数"},
		{"组织名录.csv", 10, imports.CodeBadValue, "类型"},
		{"组织名录.csv", 11, imports.CodeRequired, "名称"},
		{"评星定级.csv", 2, imports.CodeOutOfRange, "自评-班子队伍建设"},
	}
	seq := lastSeq(t, d)
	nodes := count(t, d, "MATCH (n) RETURN count(n) AS n", nil)
	rep := run(t, m, imports.Options{}, orgs, evals)
	var got []want
	for _, p := range rep.Problems {
		got = append(got, want{p.File, p.Row, p.Code, p.Column})
		if !strings.Contains(p.Message, "(") || p.Message == "" {
			t.Errorf("the message of %v is not in Chinese and English: %q", p, p.Message)
		}
	}
	if !slices.Equal(got, wants) || rep.ProblemCount != len(wants) {
		t.Errorf("problems:\n got %v\nwant %v\n%s", got, wants, problems(rep))
	}
	if rep.Written || lastSeq(t, d) != seq || count(t, d, "MATCH (n) RETURN count(n) AS n", nil) != nodes {
		t.Fatalf("a file with bad rows wrote something")
	}
	// Each sheet reports the rows it read and its bad ones, though nothing was written.
	var sheets []imports.SheetReport
	for _, f := range rep.Files {
		sheets = append(sheets, f.Sheets...)
	}
	if len(sheets) != 2 || sheets[0].Rows != 11 || sheets[0].Bad != 9 || sheets[1].Rows != 1 || sheets[1].Bad != 1 || rep.Rows != 12 {
		t.Errorf("the sheets report %+v (%d rows in all), want 11 rows with 9 bad and 1 with 1", sheets, rep.Rows)
	}
	for _, p := range rep.Problems {
		if p.Row == 6 && !strings.Contains(p.Message, "澄江街道") {
			t.Errorf("an unknown area suggests no close name: %s", p.Message)
		}
	}

	t.Run("skipping the bad rows writes the good ones", func(t *testing.T) {
		rep := run(t, m, imports.Options{SkipBadRows: true}, orgs, evals)
		if !rep.Written || rep.Skipped != 10 || rep.Counts.NodesCreated["Organization"] != 2 {
			t.Fatalf("skipping: written %v, skipped %d, created %v\n%s", rep.Written, rep.Skipped, rep.Counts.NodesCreated, problems(rep))
		}
		for _, code := range []string{fresh, good} {
			if n := count(t, d, "MATCH (o:Organization:Enterprise {creditCode: $c})-[:LOCATED_IN]->(:Area {name: '澄江街道'}) RETURN count(o) AS n", map[string]any{"c": code}); n != 1 {
				t.Errorf("the good row with %s is there %d times", code, n)
			}
		}
		if n := count(t, d, "MATCH (e:Evaluation {round: '2024-05'}) RETURN count(e) AS n", nil); n != 0 {
			t.Errorf("the bad evaluation was written")
		}
	})
}

// A GB18030 CSV file with the headers offices use, and a workbook whose sheet says nothing
// of its kind, import: matched by credit code and name, new organisations numbered after
// the last, dates given as the workbook's own.
func TestGB18030AndWorkbookWithChineseHeaders(t *testing.T) {
	m := openStore(t)
	d := driver(t, m)
	demoGraph(t, m, d)
	dir := t.TempDir()
	idX, nameX, codeX := orgOf(t, d, 5)
	top := count(t, d, "MATCH (o:Organization) RETURN max(toInteger(substring(o.id, 3))) AS n", nil)
	newCode := creditCode(t, 11)
	registry := filepath.Join(dir, "企业名录.csv")
	writeCSV(t, registry, [][]string{
		{"信用代码", "单位名称", "组织类型", "成立日期", "登记状态", "镇街", "行业", "职工人数", "党员人数", "法定代表人"},
		{codeX, nameX, "非公企业", "2015年3月2日", "存续", "水阳镇", "C34", "777", "3", "张三"},
		{newCode, "宣州区新样本科技有限公司", "企业", "2024/6/1", "在营", "水阳镇", "C34", "25", "0", "李四"},
	}, true)
	rep := run(t, m, imports.Options{}, registry)
	if rep.ProblemCount > 0 || !rep.Written {
		t.Fatalf("the GB18030 registry did not import\n%s", problems(rep))
	}
	s := rep.Files[0].Sheets[0]
	if s.Encoding != "GB18030" || s.Kind != "organizations" || !slices.Equal(s.Ignored, []string{"法定代表人"}) {
		t.Errorf("the sheet was read as %+v", s)
	}
	if rep.Counts.NodesCreated["Organization"] != 1 || rep.Counts.NodesUpdated["Organization"] != 1 {
		t.Errorf("counts %+v", rep.Counts)
	}
	x := read(t, d, "MATCH (o:Organization {id: $id})-[:LOCATED_IN]->(a) RETURN o.headcount AS h, o.registeredOn AS r, a.name AS a, o.version AS v", map[string]any{"id": idX})[0].AsMap()
	if x["h"] != int64(777) || x["a"] != "水阳镇" || x["v"] != rep.Seq || fmt.Sprint(x["r"]) != "2015-03-02" {
		t.Errorf("the updated organisation reads %v", x)
	}
	if n := count(t, d, "MATCH (c:Change {seq: $seq}) WHERE $id IN c.touched RETURN count(c) AS n", map[string]any{"seq": rep.Seq, "id": idX}); n != 1 {
		t.Errorf("the import's change does not list the organisation it updated, for its history")
	}
	// New organisations are numbered after the last id, by their row.
	found := read(t, d, "MATCH (o:Organization:Enterprise {creditCode: $c, sector: 'ENTERPRISE'})-[:IN_INDUSTRY]->(:Industry {code: 'C34'}) RETURN o.id AS id",
		map[string]any{"c": newCode})
	if len(found) != 1 {
		t.Fatalf("the new organisation is %d times in the graph with its industry", len(found))
	}
	newID := found[0].AsMap()["id"].(string)
	if n, err := strconv.Atoi(newID[3:]); err != nil || int64(n) <= top {
		t.Errorf("the new organisation's id %s is not after the last, og-%06d", newID, top)
	}
	// The workbook: a coverage sheet known by its columns, a date cell, names for both ends.
	jb := read(t, d, "MATCH (p:PartyOrg {kind: 'JOINT_BRANCH'}) RETURN p.name AS n ORDER BY p.id LIMIT 1", nil)[0].AsMap()["n"].(string)
	wb := filepath.Join(dir, "导出.xlsx")
	f := excelize.NewFile()
	for i, v := range []any{"单位名称", "覆盖党组织", "方式", "覆盖日期"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue("Sheet1", cell, v)
	}
	f.SetCellValue("Sheet1", "A2", "宣州区新样本科技有限公司")
	f.SetCellValue("Sheet1", "B2", jb)
	f.SetCellValue("Sheet1", "C2", "联建")
	f.SetCellValue("Sheet1", "D2", time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC))
	if err := f.SaveAs(wb); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rep = run(t, m, imports.Options{}, wb)
	if rep.ProblemCount > 0 || rep.Counts.TiesCreated["COVERED_BY"] != 1 {
		t.Fatalf("the workbook: %+v\n%s", rep.Counts, problems(rep))
	}
	if n := count(t, d, "MATCH (:Organization {id: $id})-[c:COVERED_BY {mode: 'JOINT', since: date('2024-07-01')}]->(:PartyOrg {name: $po}) RETURN count(c) AS n",
		map[string]any{"id": newID, "po": jb}); n != 1 {
		t.Errorf("the coverage of the workbook is not in the graph")
	}
	for _, p := range []string{registry, wb} {
		if rep := run(t, m, imports.Options{}, p); rep.Written || rep.Counts.Total() != 0 {
			t.Errorf("importing %s again changed %+v", filepath.Base(p), rep.Counts)
		}
	}
	// A workbook of two sheets, re-imported without what rows may leave out: a person
	// without a birth year is found by name, a coverage without its start is the pair's.
	two := filepath.Join(dir, "两张表.xlsx")
	f = excelize.NewFile()
	f.SetSheetName("Sheet1", "人员")
	f.SetSheetRow("人员", "A1", &[]any{"姓名", "性别", "是否党员"})
	f.SetSheetRow("人员", "A2", &[]any{"测试人员甲", "男", "是"})
	f.SetSheetRow("人员", "A3", &[]any{"测试人员乙", "女", "否"})
	f.NewSheet("党组织覆盖")
	f.SetSheetRow("党组织覆盖", "A1", &[]any{"单位名称", "覆盖党组织", "方式"})
	f.SetSheetRow("党组织覆盖", "A2", &[]any{"宣州区新样本科技有限公司", jb, "联建"})
	if err := f.SaveAs(two); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rep = run(t, m, imports.Options{}, two)
	if rep.ProblemCount > 0 || rep.Counts.NodesCreated["Person"] != 2 || rep.Counts.TiesCreated["COVERED_BY"] != 0 {
		t.Fatalf("the two sheets: %+v\n%s", rep.Counts, problems(rep))
	}
	if sh := rep.Files[0].Sheets; len(sh) != 2 || sh[0].Rows != 2 || sh[1].Rows != 1 || sh[0].Kind != "people" || sh[1].Kind != "coverage" {
		t.Errorf("the workbook's sheets are reported as %+v", sh)
	}
	if rep := run(t, m, imports.Options{}, two); rep.Written || rep.Counts.Total() != 0 {
		t.Errorf("the two sheets again changed %+v", rep.Counts)
	}
	if n := count(t, d, "MATCH (:Organization {id: $id})-[c:COVERED_BY]->(:PartyOrg {name: $po}) WHERE c.since = date('2024-07-01') RETURN count(c) AS n",
		map[string]any{"id": newID, "po": jb}); n != 1 {
		t.Errorf("the coverage without a start changed the pair's: %d ties with the start", n)
	}

	// A template filled in under its row of hints: the hints are skipped.
	var tb bytes.Buffer
	if err := imports.WriteTemplate(&tb, "people", "csv"); err != nil {
		t.Fatal(err)
	}
	tb.WriteString("pe-900000777,测试人员丙,女,否,1990\n")
	tpl := filepath.Join(dir, "人员.csv")
	if err := os.WriteFile(tpl, tb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := run(t, m, imports.Options{}, tpl); rep.ProblemCount > 0 || rep.Rows != 1 || rep.Counts.NodesCreated["Person"] != 1 {
		t.Errorf("the filled template: %d rows, %+v\n%s", rep.Rows, rep.Counts, problems(rep))
	}

	// A dry run of an updated file writes nothing and says what would change.
	writeCSV(t, registry, [][]string{
		{"信用代码", "单位名称", "组织类型", "镇街", "职工人数"},
		{newCode, "宣州区新样本科技有限公司", "企业", "水阳镇", "30"},
	}, true)
	seq := lastSeq(t, d)
	rep = run(t, m, imports.Options{DryRun: true}, registry)
	if rep.Written || rep.Counts.NodesUpdated["Organization"] != 1 || rep.Counts.Total() != 1 || lastSeq(t, d) != seq {
		t.Errorf("the dry run: written %v, counts %+v", rep.Written, rep.Counts)
	}
	if n := count(t, d, "MATCH (o:Organization {id: $id}) RETURN o.headcount AS n", map[string]any{"id": newID}); n != 25 {
		t.Errorf("the dry run wrote the headcount %d", n)
	}
}

// An evaluation sheet's rows of a round held open in cobuild are entered as that round's
// scores (drafts no read sees), once however often the file is imported; the rows of a
// round cobuild does not hold are written as its evaluations, a past round imported whole.
func TestEvaluationSheetsEnterOpenRoundsAndImportPastOnes(t *testing.T) {
	m := openStore(t)
	d := driver(t, m)
	demoGraph(t, m, d)
	ctx := context.Background()
	admin := cobuild.Actor{Subject: "test", Role: "admin"}
	if _, err := m.Store.Apply(ctx, cobuild.Command{Op: "openRound", Args: map[string]any{"round": "2031-05"}, Actor: admin}); err != nil {
		t.Fatal(err)
	}
	var pos []string
	for _, r := range read(t, d, "MATCH (p:PartyOrg {kind: 'BRANCH'}) RETURN p.name AS n ORDER BY p.id LIMIT 3", nil) {
		pos = append(pos, r.AsMap()["n"].(string))
	}
	h, _ := imports.Headers("evaluations")
	row := func(po, round string, v string) []string {
		r := []string{"", po, round, ""}
		for i := 0; i < 21; i++ {
			r = append(r, v)
		}
		return append(r, "")
	}
	path := filepath.Join(t.TempDir(), "评星定级.csv")
	writeCSV(t, path, [][]string{h, row(pos[0], "2031-05", "9"), row(pos[1], "2031-05", "8"), row(pos[2], "2021-05", "7")}, false)
	evaluations := func(round string) int64 {
		return count(t, d, "MATCH (:PartyOrg)-[:EVALUATED]->(e:Evaluation {round: $r}) RETURN count(e) AS n", map[string]any{"r": round})
	}
	rep := run(t, m, imports.Options{DryRun: true}, path)
	if rep.Drafts != 2 || rep.Written || rep.Counts.NodesCreated["Evaluation"] != 1 {
		t.Fatalf("dry run: %d drafts, %+v\n%s", rep.Drafts, rep.Counts, problems(rep))
	}
	rep = run(t, m, imports.Options{}, path)
	if rep.ProblemCount > 0 || rep.Drafts != 2 || len(rep.DraftSeqs) != 1 || !rep.Written || rep.Counts.NodesCreated["Evaluation"] != 1 {
		t.Fatalf("import: %+v\n%s", rep, problems(rep))
	}
	rd, err := m.Store.EvaluationRound(ctx, "2031-05")
	if err != nil {
		t.Fatal(err)
	}
	if rd.Status != cobuild.RoundOpen || rd.Entered != 2 || evaluations("2031-05") != 0 {
		t.Errorf("the open round: %+v, %d evaluations (want 2 entered, none evaluated)", rd, evaluations("2031-05"))
	}
	if n := evaluations("2021-05"); n != 1 {
		t.Errorf("the past round has %d evaluations, want 1", n)
	}
	seq := lastSeq(t, d)
	if rep := run(t, m, imports.Options{}, path); rep.Written || lastSeq(t, d) != seq {
		t.Errorf("importing the sheet again wrote (seq %d → %d)", seq, lastSeq(t, d))
	}
}

// writeDuringRead is the store with another write made right after the import first reads
// the graph, as a second admin or an officer would.
type writeDuringRead struct {
	imports.Store
	write func()
}

func (w *writeDuringRead) Directory(ctx context.Context, labels []cobuild.NodeLabel) ([]imports.Entry, error) {
	entries, err := w.Store.Directory(ctx, labels)
	if w.write != nil {
		w.write()
		w.write = nil
	}
	return entries, err
}

// An organisation registered while an import read the graph, with the credit code of one
// of its new rows, is matched by that row when the import reads again: there is one
// organisation of that code, not two.
func TestAnImportReadsAgainWhenTheGraphChangedUnderIt(t *testing.T) {
	m := openStore(t)
	d := driver(t, m)
	demoGraph(t, m, d)
	ctx := context.Background()
	code := creditCode(t, 42)
	path := filepath.Join(t.TempDir(), "组织名录.csv")
	writeCSV(t, path, [][]string{
		{"统一社会信用代码", "名称", "类型", "所在镇街", "从业人数"},
		{code, "并发登记的公司", "企业", "水阳镇", "9"},
	}, false)
	st := &writeDuringRead{Store: m.Store, write: func() {
		if err := m.Store.Exec(ctx, `CREATE (:Organization:Enterprise {id: 'og-900000950', creditCode: $c, name: '并发登记的公司', kind: 'ENTERPRISE',
			sector: 'ENTERPRISE', headcount: 3, operating: true})`, map[string]any{"c": code}); err != nil {
			t.Error(err)
		}
	}}
	rep, err := imports.Run(ctx, st, []imports.File{{Path: path}}, imports.Options{Actor: cobuild.Actor{Subject: "test", Role: "admin"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ProblemCount > 0 || !rep.Written || rep.Counts.NodesCreated["Organization"] != 0 || rep.Counts.NodesUpdated["Organization"] != 1 {
		t.Errorf("the import: %+v\n%s", rep.Counts, problems(rep))
	}
	if n := count(t, d, "MATCH (o:Organization {creditCode: $c}) WHERE o.headcount = 9 RETURN count(o) AS n", map[string]any{"c": code}); n != 1 {
		t.Errorf("%d organisations of the code with the row's headcount, want the one registered meanwhile, updated", n)
	}
	if n := count(t, d, "MATCH (o:Organization {creditCode: $c}) RETURN count(o) AS n", map[string]any{"c": code}); n != 1 {
		t.Errorf("%d organisations of the code, want 1", n)
	}
}

// An import killed (kill -9) in the middle leaves a mark and part of its rows; run again,
// it completes to exactly the graph an uninterrupted run gives, new ids included.
func TestKilledImportCompletesWhenRunAgain(t *testing.T) {
	m := openStore(t)
	d := driver(t, m)
	ctx := context.Background()
	ds, err := demo.Generate(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := imports.WriteDataset(ds, t.TempDir(), "csv", "宣州区")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		switch filepath.Base(f) {
		case "区域.csv", "行业.csv", "联盟与红色地带.csv", "党组织.csv", "党组织覆盖.csv":
			files = append(files, f)
		case "组织名录.csv":
			files = append(files, withoutIDs(t, f))
		}
	}
	reset := func() {
		t.Helper()
		if err := m.Store.Wipe(ctx); err != nil {
			t.Fatal(err)
		}
		// New ids are numbered from the log's counters: start both runs from none.
		if err := m.Store.Exec(ctx, "MATCH (l:ChangeLog {id: 'log'}) SET l = {id: 'log', seq: l.seq}", nil); err != nil {
			t.Fatal(err)
		}
	}
	opts := imports.Options{ChunkRows: 300, SingleTxRows: 1000}
	reset()
	if rep := run(t, m, opts, files...); !rep.Written || rep.ProblemCount > 0 {
		t.Fatalf("the uninterrupted import: %s", problems(rep))
	}
	whole := dump(t, d)
	total := count(t, d, "MATCH (o:Organization) RETURN count(o) AS n", nil)
	// The same files again, in chunks too: nothing to change, and the ids it reserved are
	// given back.
	counter := func() int64 { return count(t, d, "MATCH (l:ChangeLog {id: 'log'}) RETURN l.next_og AS n", nil) }
	next, seq := counter(), lastSeq(t, d)
	if rep := run(t, m, opts, files...); rep.Written || rep.Counts.Total() != 0 || counter() != next || lastSeq(t, d) != seq ||
		count(t, d, "MATCH (i:Import) RETURN count(i) AS n", nil) != 0 {
		t.Errorf("the same large import again: written %v, %+v, next_og %d (was %d), a mark left or a change logged", rep.Written, rep.Counts, counter(), next)
	}

	// Killed once among the nodes, once among the ties.
	ties := count(t, d, "MATCH (:Organization)-[r:LOCATED_IN]->() RETURN count(r) AS n", nil)
	for _, at := range []struct {
		what string
		cond string // a count that passes the threshold once the import is there
		n    int64
	}{
		{"among the nodes", "MATCH (o:Organization) RETURN count(o) AS n", total / 4},
		{"among the ties", "MATCH (:Organization)-[r:LOCATED_IN]->() RETURN count(r) AS n", ties / 4},
	} {
		t.Run(at.what, func(t *testing.T) {
			killAndRerun(t, m, d, reset, files, opts, whole, at.cond, at.n)
		})
	}
}

// killAndRerun starts the import in a process of its own, kills it (SIGKILL) once the
// count cond gives n, checks it left part of its work, its mark and nothing in the log,
// then runs it again and compares the graph with the uninterrupted run's.
func killAndRerun(t *testing.T, m *app.Main, d neo4j.DriverWithContext, reset func(), files []string, opts imports.Options, whole []string, cond string, n int64) {
	reset()
	seq := lastSeq(t, d)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "COBUILD_IMPORT_CHILD=1", "COBUILD_IMPORT_URI="+m.Local.URI(),
		"COBUILD_IMPORT_PASSWORD="+m.Local.Password(), "COBUILD_IMPORT_FILES="+strings.Join(files, "\n"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(2 * time.Minute)
	for killed := false; !killed; {
		select {
		case err := <-done:
			t.Fatalf("the import ended before it could be killed (%v): %s", err, out.String())
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("the import did not get there within 2 minutes")
		case <-time.After(20 * time.Millisecond):
			if count(t, d, cond, nil) >= n {
				if err := cmd.Process.Kill(); err != nil { // SIGKILL
					t.Fatal(err)
				}
				<-done
				killed = true
			}
		}
	}
	if count(t, d, "MATCH (i:Import) RETURN count(i) AS n", nil) != 1 || lastSeq(t, d) != seq {
		t.Fatalf("after kill -9: want the mark, and nothing in the log")
	}
	if partial := dump(t, d); slices.Equal(whole, partial) || len(partial) == 0 {
		t.Fatalf("after kill -9: %d lines of %d, want part of the graph", len(partial), len(whole))
	}
	rep := run(t, m, opts, files...)
	if !rep.Written || !rep.Resumed {
		t.Fatalf("the second run did not complete the first: %+v", rep)
	}
	if again := dump(t, d); !slices.Equal(whole, again) {
		t.Fatalf("the completed import differs from the uninterrupted one:\n%s", diff(whole, again))
	}
	if n := count(t, d, "MATCH (i:Import) RETURN count(i) AS n", nil); n != 0 {
		t.Errorf("the mark is left")
	}
	if n := count(t, d, "MATCH (c:Change) WHERE c.seq > $seq AND c.op = 'import' RETURN count(c) AS n", map[string]any{"seq": seq}); n != 1 {
		t.Errorf("the log holds %d imports after the kill and the rerun, want 1", n)
	}
}

// withoutIDs rewrites a CSV file without its 编号 column.
func withoutIDs(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i] = rows[i][1:]
	}
	rows[0][0] = strings.TrimPrefix(rows[0][0], "\uFEFF")
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	writeCSV(t, out, rows, false)
	return out
}
