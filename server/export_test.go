package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"cobuild"
	"cobuild/auth"
	"cobuild/neo4jtest"
	"cobuild/server"
)

// The tests of /export: each export is read back (the .xlsx with excelize, the CSV after
// its byte-order mark) and every cell compared with the GraphQL answer of the same query
// to the same caller, converted to the file's words here, apart from package export.

var (
	exportOnce sync.Once
	exportBase string
)

// exportServer is the production handler (app.Main.Handler) over the test Neo4j, served
// on a port of its own for the export tests, until the test process ends.
func exportServer(t *testing.T) string {
	t.Helper()
	exportOnce.Do(func() { exportBase = httptest.NewServer(neo4jtest.Main(t).Handler()).URL })
	if exportBase == "" {
		t.Fatal("no server")
	}
	return exportBase
}

type exportAnswer struct {
	status int
	header http.Header
	body   []byte
}

// send posts body as JSON to path with the token and returns the answer.
func sendJSON(t *testing.T, path, token string, body any) exportAnswer {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, exportServer(t)+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the answer of %s: %v", path, err)
	}
	return exportAnswer{resp.StatusCode, resp.Header, out}
}

// graphQLData is the data of /graphql's answer to the query, which must hold no error.
func graphQLData(t *testing.T, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	a := sendJSON(t, "/graphql", token, map[string]any{"query": query, "variables": vars})
	var out struct {
		Data   map[string]any    `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil || len(out.Errors) > 0 || a.status != http.StatusOK {
		t.Fatalf("/graphql answered %d %s (%v)", a.status, a.body, err)
	}
	return out.Data
}

// exported posts an export and returns its table, header row first, read back from the
// file of the format.
func exported(t *testing.T, token, format, query string, vars map[string]any) [][]string {
	t.Helper()
	a := sendJSON(t, "/export", token, map[string]any{"query": query, "variables": vars, "format": format})
	if a.status != http.StatusOK {
		t.Fatalf("/export answered %d: %s", a.status, a.body)
	}
	switch format {
	case "csv":
		if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type %q, want text/csv", ct)
		}
		if !bytes.HasPrefix(a.body, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("the CSV does not start with the UTF-8 byte-order mark: %q", a.body[:min(len(a.body), 20)])
		}
		r := csv.NewReader(bytes.NewReader(a.body[3:]))
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("read the CSV: %v", err)
		}
		if !bytes.Contains(a.body, []byte("\r\n")) {
			t.Error("the CSV's lines do not end with CRLF")
		}
		return rows
	default:
		f, err := excelize.OpenReader(bytes.NewReader(a.body))
		if err != nil {
			t.Fatalf("open the .xlsx: %v", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) != 1 {
			t.Fatalf("sheets %q, want one", sheets)
		}
		rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("read the sheet: %v", err)
		}
		// A number is a number, not text, so that Excel sums it; everything else is text.
		if len(rows) > 1 {
			for col, v := range rows[1] {
				cell, _ := excelize.CoordinatesToCellName(col+1, 2)
				typ, err := f.GetCellType(sheets[0], cell)
				if err != nil {
					t.Fatal(err)
				}
				_, numErr := strconv.ParseFloat(v, 64)
				isNumber := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset && numErr == nil
				if header := rows[0][col]; slices.Contains(numericHeaders, header) != isNumber && v != "" {
					t.Errorf("cell %s (%s) = %q is of type %v", cell, header, v, typ)
				}
			}
		}
		for i := range rows {
			for len(rows[i]) < len(rows[0]) { // excelize leaves out the empty cells that end a row
				rows[i] = append(rows[i], "")
			}
		}
		return rows
	}
}

// numericHeaders are the columns of the tests' exports that hold numbers.
var numericHeaders = []string{"从业人数", "党员人数", "纬度", "经度", "在营数", "单独建立党组织数", "覆盖率", "单独建立率", "组织数", "出生年份"}

// text is a value of a GraphQL answer as the file writes it.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return strconv.FormatInt(i, 10)
		}
		// To Excel's 15 significant digits.
		f, _ := x.Float64()
		f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
		return strconv.FormatFloat(f, 'f', -1, 64)
	case bool:
		if x {
			return "是"
		}
		return "否"
	}
	return v.(string)
}

func field(v any, path ...string) any {
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// registryRow is the registry's row of one organisation of an answer to RegistryQuery,
// in the words the import reads.
func registryRow(o any) []string {
	operating := "注销"
	if field(o, "operating") == true {
		operating = "在营"
	}
	return []string{
		text(field(o, "id")), text(field(o, "creditCode")), text(field(o, "name")),
		map[string]string{"ENTERPRISE": "企业", "SOCIAL_ORG": "社会组织", "HOSPITAL": "民办医院", "SCHOOL": "学校",
			"COMMUNITY": "社区", "DEPARTMENT": "部门", "MASS_ORG": "群团组织"}[text(field(o, "kind"))],
		text(field(o, "registeredOn")), operating,
		text(field(o, "area", "name")), text(field(o, "park", "name")), text(field(o, "community", "name")),
		text(field(o, "industry", "code")), text(field(o, "headcount")), text(field(o, "partyMembers")),
		text(field(o, "aboveScale")), text(field(o, "location", "lat")), text(field(o, "location", "lng")),
	}
}

var registryHeader = []string{"编号", "统一社会信用代码", "名称", "类型", "登记日期", "经营状态", "所在镇街", "所在园区", "所在社区",
	"行业代码", "从业人数", "党员人数", "规上企业", "纬度", "经度"}

// compare checks an exported table against the header and rows expected.
func compare(t *testing.T, got [][]string, header []string, rows [][]string) {
	t.Helper()
	if len(got) == 0 || !slices.Equal(got[0], header) {
		t.Fatalf("header row %q, want %q", got[:min(1, len(got))], header)
	}
	if len(got)-1 != len(rows) {
		t.Errorf("%d rows, want %d", len(got)-1, len(rows))
	}
	for i := 0; i < min(len(got)-1, len(rows)); i++ {
		for j := range header {
			if g, w := got[i+1][j], rows[i][j]; g != w {
				t.Errorf("row %d, %s: %q, want %q", i+1, header[j], g, w)
			}
		}
	}
}

func TestExportOfTheOrganisationRegistryInBothFormats(t *testing.T) {
	admin := neo4jtest.Token(t, auth.Admin)
	vars := map[string]any{"first": 120, "where": map[string]any{"kind": []string{"ENTERPRISE", "COMMUNITY", "HOSPITAL"}}}
	nodes := field(graphQLData(t, admin, cobuild.RegistryQuery, vars), "organizations", "nodes").([]any)
	var want [][]string
	for _, o := range nodes {
		want = append(want, registryRow(o))
	}
	kinds := map[string]bool{}
	for _, r := range want {
		kinds[r[3]] = true
	}
	if len(want) != 120 || !kinds["企业"] {
		t.Fatalf("the sample holds %d organisations of kinds %v; want 120 with enterprises", len(want), kinds)
	}
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			compare(t, exported(t, admin, format, cobuild.RegistryQuery, vars), registryHeader, want)
		})
	}
}

func TestExportReadsAListLongerThanAPageInPages(t *testing.T) {
	admin := neo4jtest.Token(t, auth.Admin)
	// The API gives at most 500 rows a page: the test reads the three pages itself.
	query := `query($first: Int, $after: String) { organizations(first: $first, after: $after, sort: {field: HEADCOUNT, direction: DESC}) {
		pageInfo { hasNextPage endCursor } nodes { id name headcount } } }`
	var want [][]string
	var after any
	for len(want) < 1234 {
		conn := field(graphQLData(t, admin, query, map[string]any{"first": min(500, 1234-len(want)), "after": after}), "organizations")
		for _, o := range field(conn, "nodes").([]any) {
			want = append(want, []string{text(field(o, "id")), text(field(o, "name")), text(field(o, "headcount"))})
		}
		after = field(conn, "pageInfo", "endCursor")
	}
	got := exported(t, admin, "csv", query, map[string]any{"first": 1234})
	compare(t, got, []string{"编号", "名称", "从业人数"}, want)
}

func TestExportOfAnAggregateInBothFormats(t *testing.T) {
	viewer := neo4jtest.Token(t, auth.Viewer)
	query := `query($asOf: Date) { coverageStats(by: [AREA, ABOVE_SCALE], asOf: $asOf) {
		total { operating coverageRate }
		groups { keys { dimension label } operating own coverageRate ownRate } } }`
	vars := map[string]any{"asOf": "2023-10-21"}
	groups := field(graphQLData(t, viewer, query, vars), "coverageStats", "groups").([]any)
	dimension := map[string]string{"AREA": "镇街", "ABOVE_SCALE": "规上与否"}
	var want [][]string
	for _, g := range groups {
		var dims, labels []string
		for _, k := range field(g, "keys").([]any) {
			dims = append(dims, dimension[text(field(k, "dimension"))])
			labels = append(labels, text(field(k, "label")))
		}
		want = append(want, []string{strings.Join(dims, "；"), strings.Join(labels, "；"), text(field(g, "operating")),
			text(field(g, "own")), text(field(g, "coverageRate")), text(field(g, "ownRate"))})
	}
	if len(want) < 10 {
		t.Fatalf("%d groups; want the towns by above-scale", len(want))
	}
	header := []string{"分组维度", "分组名称", "在营数", "单独建立党组织数", "覆盖率", "单独建立率"}
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			compare(t, exported(t, viewer, format, query, vars), header, want)
		})
	}
}

func TestAnOfficersExportHoldsOnlyTheirAreas(t *testing.T) {
	officer := neo4jtest.Token(t, auth.Officer) // of neo4jtest.OfficerArea
	admin := neo4jtest.Token(t, auth.Admin)
	areaName := text(field(graphQLData(t, admin, `query($id: ID!) { area(id: $id) { name } }`, map[string]any{"id": neo4jtest.OfficerArea}), "area", "name"))
	count := func(token string) int {
		n, _ := strconv.Atoi(text(field(graphQLData(t, token, `{ organizations { totalCount } }`, nil), "organizations", "totalCount")))
		return n
	}
	theirs, all := count(officer), count(admin)
	if theirs == 0 || theirs >= all {
		t.Fatalf("the officer reads %d organisations of %d; the test needs a part", theirs, all)
	}
	// The whole registry, without first: every organisation the officer may read, a page
	// at a time.
	got := exported(t, officer, "csv", cobuild.RegistryQuery, nil)
	if len(got)-1 != theirs {
		t.Errorf("the officer's export holds %d rows; the officer reads %d organisations (of %d)", len(got)-1, theirs, all)
	}
	for i, r := range got[1:] {
		if r[6] != areaName {
			t.Errorf("row %d (%s %s) is in %q, outside the officer's %s", i+1, r[0], r[2], r[6], areaName)
			break
		}
	}
	var want [][]string
	var after any
	for {
		conn := field(graphQLData(t, officer, `query($after: String) { organizations(first: 500, after: $after, sort: {field: NAME, direction: ASC}) {
			pageInfo { hasNextPage endCursor } nodes { id creditCode name kind registeredOn operating area { name } park { name }
			community { name } industry { code } headcount partyMembers aboveScale location { lat lng } } } }`, map[string]any{"after": after}), "organizations")
		for _, o := range field(conn, "nodes").([]any) {
			want = append(want, registryRow(o))
		}
		if field(conn, "pageInfo", "hasNextPage") != true {
			break
		}
		after = field(conn, "pageInfo", "endCursor")
	}
	compare(t, got, registryHeader, want)
}

func TestAnExportMasksWhatTheCallersAnswersMask(t *testing.T) {
	query := `{ people(first: 40) { nodes { id name gender birthYear partyMember } } }`
	for _, role := range []auth.Role{auth.Analyst, auth.Admin} {
		t.Run(string(role), func(t *testing.T) {
			token := neo4jtest.Token(t, role)
			var want [][]string
			masked := 0
			for _, p := range field(graphQLData(t, token, query, nil), "people", "nodes").([]any) {
				name := text(field(p, "name"))
				if strings.HasSuffix(name, "**") {
					masked++
				}
				want = append(want, []string{text(field(p, "id")), name, text(field(p, "gender")), text(field(p, "birthYear")), text(field(p, "partyMember"))})
			}
			if (role == auth.Analyst) != (masked == len(want)) {
				t.Fatalf("%d of %d names masked for the %s", masked, len(want), role)
			}
			got := exported(t, token, "xlsx", query, nil)
			compare(t, got, []string{"编号", "姓名", "性别", "出生年份", "党员"}, want)
		})
	}
	// A viewer reads no record at all: the export is refused as /graphql refuses it.
	viewer := neo4jtest.Token(t, auth.Viewer)
	for _, q := range []string{query, `{ programs { mentors(first: 5) { mentor { name } mentees } } }`} {
		sameError(t, viewer, q, cobuild.EFORBIDDEN)
	}
}

// sameError checks that /export answers the query as /graphql does, with an error of code.
func sameError(t *testing.T, token, query, code string) {
	t.Helper()
	g := sendJSON(t, "/graphql", token, map[string]any{"query": query})
	e := sendJSON(t, "/export", token, map[string]any{"query": query, "format": "csv"})
	// The same errors; and where /graphql says 200, as GraphQL over HTTP does for errors of
	// execution, /export's status says that no file came.
	if !bytes.Equal(e.body, g.body) || e.status == http.StatusOK || g.status != http.StatusOK && e.status != g.status {
		t.Errorf("/export answered %d %s\n/graphql answered %d %s", e.status, e.body, g.status, g.body)
	}
	if got := errorOf(t, e.body); got != code {
		t.Errorf("/export's error is %s, want %s: %s", got, code, e.body)
	}
}

func errorOf(t *testing.T, body []byte) string {
	t.Helper()
	var out struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) == 0 {
		t.Fatalf("not an answer with errors: %s", body)
	}
	code, _ := out.Errors[0].Extensions["code"].(string)
	return code
}

func TestABadExportGetsTheCodedError(t *testing.T) {
	admin := neo4jtest.Token(t, auth.Admin)
	t.Run("a query that does not validate, as /graphql answers it", func(t *testing.T) {
		sameError(t, admin, `{ organizations(first: 5) { nodes { nope } } }`, "GRAPHQL_VALIDATION_FAILED")
	})
	t.Run("a bad argument, as /graphql answers it", func(t *testing.T) {
		sameError(t, admin, `{ organizations(first: 0) { nodes { id } } }`, cobuild.EINVALID)
	})
	t.Run("a query past the cost limit, as /graphql answers it", func(t *testing.T) {
		sameError(t, admin, `{ organizations(first: 500) { nodes { coverageCandidates(first: 50) { node { id } } partyOrganizations { partyOrganization { covers { organization { coverageCandidates(first: 50) { score } } } } } } } }`, cobuild.ELIMIT)
	})
	for _, c := range []struct {
		name  string
		body  map[string]any
		code  string
		field string
	}{
		{"a query without a list", map[string]any{"query": `{ rules { goldFloor } }`}, cobuild.EINVALID, "query"},
		{"an unknown format", map[string]any{"query": `{ areas { id } }`, "format": "pdf"}, cobuild.EINVALID, "format"},
		{"no query", map[string]any{"format": "csv"}, cobuild.EINVALID, "query"},
		{"more rows than an export holds", map[string]any{"query": `{ organizations(first: 1000000) { nodes { id } } }`}, cobuild.ELIMIT, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := sendJSON(t, "/export", admin, c.body)
			var out struct {
				Errors []struct {
					Message    string         `json:"message"`
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(a.body, &out); err != nil || len(out.Errors) != 1 || a.status != http.StatusBadRequest {
				t.Fatalf("answered %d %s; want 400 with one error", a.status, a.body)
			}
			e := out.Errors[0]
			if e.Extensions["code"] != c.code || c.field != "" && e.Extensions["field"] != c.field || !strings.ContainsFunc(e.Message, isHan) {
				t.Errorf("error %s %v, want %s of field %q with a Chinese message", e.Message, e.Extensions, c.code, c.field)
			}
		})
	}
	t.Run("no token", func(t *testing.T) {
		a := sendJSON(t, "/export", "", map[string]any{"query": `{ areas { id } }`})
		if a.status != http.StatusUnauthorized || errorOf(t, a.body) != cobuild.EUNAUTHENTICATED {
			t.Errorf("answered %d %s; want 401 UNAUTHENTICATED", a.status, a.body)
		}
	})
}

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

func TestTheExportsFileName(t *testing.T) {
	admin := neo4jtest.Token(t, auth.Admin)
	q := url.Values{"query": {`{ areas { id name } }`}, "format": {"csv"}, "filename": {"镇街 名单"}}
	req, _ := http.NewRequest(http.MethodGet, exportServer(t)+"/export?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `attachment; filename="__ __.csv"; filename*=UTF-8''%E9%95%87%E8%A1%97%20%E5%90%8D%E5%8D%95.csv`
	if got := resp.Header.Get("Content-Disposition"); resp.StatusCode != http.StatusOK || got != want {
		t.Errorf("GET answered %d with Content-Disposition %q, want %q: %.200s", resp.StatusCode, got, want, body)
	}
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF编号,名称\r\n")) {
		t.Errorf("the file starts %q", body[:min(len(body), 40)])
	}
}

func TestExportUnderAnAllowList(t *testing.T) {
	h := allowListed(t, `query Extra { rules { goldFloor } }`)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	admin := neo4jtest.Token(t, auth.Admin)
	post := func(query string, vars map[string]any) exportAnswer {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars, "format": "csv"})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/export", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return exportAnswer{resp.StatusCode, resp.Header, body}
	}
	// The dashboard's worklist, without first: read a page at a time, each page a text of
	// the export's own, allowed because the worklist is.
	ops, err := server.DashboardOperations()
	if err != nil {
		t.Fatal(err)
	}
	worklist := ops[dashboard(t)["IsolatedUncovered"]]
	vars := map[string]any{"where": map[string]any{"coverage": []string{"UNCOVERED"}, "isolated": true}, "asOf": "2023-10-21"}
	a := post(worklist, vars)
	if a.status != http.StatusOK {
		t.Fatalf("the worklist's export answered %d: %.300s", a.status, a.body)
	}
	total := field(graphQLData(t, admin, worklist, map[string]any{"where": vars["where"], "asOf": "2023-10-21", "first": 1}), "organizations", "totalCount")
	if n := bytes.Count(a.body, []byte("\r\n")) - 1; strconv.Itoa(n) != text(total) || n <= 500 {
		t.Errorf("the export holds %d rows, want the worklist's %v, more than a page", n, total)
	}
	// An operation not on the list is refused, its pages too.
	for _, q := range []string{`{ organizations(first: 5) { nodes { id } } }`, `{ organizations { nodes { id } } }`} {
		if a := post(q, nil); a.status == http.StatusOK || errorOf(t, a.body) != cobuild.ENOTALLOWED {
			t.Errorf("%s: answered %d %.200s; want OPERATION_NOT_ALLOWED", q, a.status, a.body)
		}
	}
}
