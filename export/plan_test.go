package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"

	"cobuild"
	"cobuild/export"
	"cobuild/graph"
)

var schema = graph.NewExecutableSchema(graph.Config{}).Schema()

func plan(t *testing.T, req export.Request, lim export.Limits) *export.Plan {
	t.Helper()
	p, err := export.NewPlan(schema, req, lim)
	if err != nil {
		t.Fatalf("plan %q: %v", req.Query, err)
	}
	return p
}

func TestEveryLabelNamesAFieldOfTheSchema(t *testing.T) {
	for key := range cobuild.FieldLabels {
		typ, field, _ := strings.Cut(key, ".")
		d := schema.Types[typ]
		if d == nil || d.Fields.ForName(field) == nil {
			t.Errorf("FieldLabels[%q]: the schema has no field %s of type %s", key, field, typ)
		}
	}
	for value := range cobuild.KindLabels {
		if schema.Types["OrgKind"].EnumValues.ForName(value) == nil {
			t.Errorf("KindLabels[%q]: OrgKind has no such value", value)
		}
	}
}

func TestTheRegistryQueryGivesTheImportsHeadersInOrder(t *testing.T) {
	p := plan(t, export.Request{Query: cobuild.RegistryQuery}, export.Limits{})
	var want []string
	for _, c := range cobuild.RegistryColumns {
		want = append(want, c.Header)
	}
	if got := p.Headers(); !slices.Equal(got, want) {
		t.Errorf("headers of the registry:\n got %q\nwant %q", got, want)
	}
	for i, c := range p.Columns() {
		if got := strings.Join(c.Path, "."); got != cobuild.RegistryColumns[i].Field {
			t.Errorf("column %s reads %s, want %s", c.Header, got, cobuild.RegistryColumns[i].Field)
		}
	}
	if !p.Paged() {
		t.Error("the registry without first is not read page by page")
	}
}

func TestHeaders(t *testing.T) {
	for _, c := range []struct{ name, query, want string }{
		{"an alias follows the label", `{ organizations(first: 2) { nodes { name now: coverage { status } } } }`, "名称,now.覆盖状态"},
		{"a nested object's fields follow its label", `{ organizations(first: 2) { nodes { area { id kind } } } }`, "所在镇街编号,所在镇街类型"},
		{"a field without a label takes the Chinese of its description",
			`{ organizations(first: 2) { nodes { latestEvaluation { publicTotal } } } }`, "最新测评党员群众测评"},
		{"a field with neither takes its name, after a dot", `{ organizations(first: 2) { nodes { __typename } } }`, "__typename"},
		{"a fragment on a type takes the interface's labels", `{ organizations(first: 2) { nodes { ... on Enterprise { headcount } } } }`, "从业人数"},
		{"a header seen before is numbered", `{ organizations(first: 2) { nodes { coverage { status statusLabel } } } }`, "覆盖状态,覆盖状态（2）"},
		{"lists of objects join their fields", `{ organizations(first: 2) { nodes { coverageCandidates { node { name } score } } } }`, "候选覆盖方,候选覆盖方得分"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := plan(t, export.Request{Query: c.query}, export.Limits{})
			if got := strings.Join(p.Headers(), ","); got != c.want {
				t.Errorf("headers %q, want %q", got, c.want)
			}
		})
	}
}

func TestTheExportedList(t *testing.T) {
	for _, c := range []struct{ name, query, list, want string }{
		{"the shallowest list of objects, not a list of enums or a deeper list",
			`{ coverageStats(by: [AREA]) { by total { keys { label } } groups { operating } } }`, "", "在营数"},
		{"a connection's edges give their nodes, the cursor left out",
			`{ organizations(first: 2) { edges { cursor node { name } } } }`, "", "名称"},
		{"a list named by its keys", `{ coverageStats(by: [AREA]) { total { keys { label } } groups { operating } } }`, "coverageStats.total.keys", "名称"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := plan(t, export.Request{Query: c.query, List: c.list}, export.Limits{})
			if got := strings.Join(p.Headers(), ","); got != c.want {
				t.Errorf("headers %q, want %q", got, c.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	for _, c := range []struct{ name, query, code string }{
		{"a query without a list", `{ rules { goldFloor } }`, cobuild.EINVALID},
		{"a mutation", `mutation { assignPerson(personId: "pe-1", organizationId: "og-1", role: INSTRUCTOR) { replayed } }`, cobuild.EINVALID},
		{"more rows than an export holds", `{ organizations(first: 200000) { nodes { id } } }`, cobuild.ELIMIT},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := export.NewPlan(schema, export.Request{Query: c.query}, export.Limits{})
			if got := cobuild.ErrorCode(err); got != c.code {
				t.Errorf("error %v (code %s), want %s", err, got, c.code)
			}
		})
	}
	if _, err := export.NewPlan(schema, export.Request{Query: `{ organizations { nodes { nope } } }`}, export.Limits{}); err == nil {
		t.Error("a query that does not validate was planned")
	}
}

func TestCells(t *testing.T) {
	p := plan(t, export.Request{Query: `{ organizations(first: 1) { nodes {
		kind operating aboveScale headcount registeredOn area { name } location { lat lng }
		coverage { status } coverageCandidates { score } partyOrganizations { partyOrganization { kind } } } } }`}, export.Limits{})
	item := decode(t, `{"kind": "DEPARTMENT", "operating": false, "aboveScale": true, "headcount": 12, "registeredOn": "2019-03-01",
		"area": null, "location": {"lat": 30.95, "lng": 118.75}, "coverage": {"status": "WORK"},
		"coverageCandidates": [{"score": 2.5}, {"score": 1}], "partyOrganizations": []}`)
	got := p.Row(item)
	want := []any{"部门", "注销", "是", int64(12), "2019-03-01", nil, 30.95, 118.75, "工作覆盖", "2.5；1", nil}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cells\n got %#v\nwant %#v", got, want)
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// pages is an API of n organisations og-1..og-n in pages, checking each request as the
// executor would: the query validates, first is at most max.
func pages(t *testing.T, n, max int, asked *[]string) export.Runner {
	return func(_ context.Context, req export.Request) (*export.Response, error) {
		if _, errs := gqlparser.LoadQuery(schema, req.Query); errs != nil {
			t.Fatalf("the paged query does not validate: %v\n%s", errs, req.Query)
		}
		*asked = append(*asked, fmt.Sprint(req.Variables["cobuildExportFirst"], "/", req.Variables["cobuildExportAfter"]))
		first, _ := req.Variables["cobuildExportFirst"].(int)
		if first > max {
			return &export.Response{Status: 200, Body: []byte(`{"errors":[{"message":"too many","extensions":{"code":"BAD_USER_INPUT"}}]}`)}, nil
		}
		start := 0
		if a, ok := req.Variables["cobuildExportAfter"].(string); ok {
			fmt.Sscanf(a, "c%d", &start)
		}
		var nodes []map[string]any
		for i := start + 1; i <= min(n, start+first); i++ {
			nodes = append(nodes, map[string]any{"id": fmt.Sprintf("og-%d", i)})
		}
		end := start + len(nodes)
		conn := map[string]any{"nodes": nodes, "cobuildExportPageInfo": map[string]any{"hasNextPage": end < n, "endCursor": fmt.Sprintf("c%d", end)}}
		if strings.Contains(req.Query, "cobuildExportTotal") {
			conn["cobuildExportTotal"] = n
		}
		body, _ := json.Marshal(map[string]any{"data": map[string]any{"organizations": conn}})
		return &export.Response{Status: 200, Body: body}, nil
	}
}

func TestPaging(t *testing.T) {
	for _, c := range []struct {
		name      string
		query     string
		vars      map[string]any
		n, rows   int
		requests  string
		wantError string
	}{
		{"no first reads every row, a page at a time", `{ organizations { nodes { id } } }`, nil, 7, 7, "3/<nil> 3/c3 3/c6", ""},
		{"a first of more than a page reads that many", `query($n: Int) { organizations(first: $n) { nodes { id } } }`, map[string]any{"n": 5}, 9, 5, "3/<nil> 2/c3", ""},
		{"the list's end stops early", `{ organizations(first: 8) { nodes { id } } }`, nil, 4, 4, "3/<nil> 3/c3", ""},
		{"an after given starts there", `{ organizations(first: 4, after: "c2") { nodes { id } } }`, nil, 9, 4, "3/c2 1/c5", ""},
		{"a query of several operations and fragments sends the one it pages, with its fragments",
			`query Other { areas { ...G } } fragment F on Organization { id } fragment G on Area { id }
			 query Export($n: Int, $w: OrganizationWhere) { organizations(first: $n, where: $w) { nodes { ...F } } }`,
			map[string]any{"n": 4}, 9, 4, "3/<nil> 1/c3", ""},
		{"a list longer than the export's limit is refused at its first page", `{ organizations { nodes { id } } }`, nil, 11, 0, "3/<nil>", "LIMIT_EXCEEDED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			op := ""
			if strings.Contains(c.query, "query Export") {
				op = "Export"
			}
			p := plan(t, export.Request{Query: c.query, Variables: c.vars, OperationName: op}, export.Limits{PageMax: 3, MaxRows: 10})
			var asked []string
			var ids []string
			err := p.Run(context.Background(), pages(t, c.n, 3, &asked), func(rows [][]any) error {
				for _, r := range rows {
					ids = append(ids, r[0].(string))
				}
				return nil
			})
			if got := cobuild.ErrorCode(err); c.wantError != "" && got != c.wantError {
				t.Fatalf("error %v, want %s", err, c.wantError)
			} else if c.wantError == "" && err != nil {
				t.Fatal(err)
			}
			if len(ids) != c.rows {
				t.Errorf("%d rows, want %d: %v", len(ids), c.rows, ids)
			}
			if got := strings.Join(asked, " "); got != c.requests {
				t.Errorf("pages asked (first/after) %q, want %q", got, c.requests)
			}
		})
	}
}

func TestAPageOrLessRunsTheQueryAsItIs(t *testing.T) {
	q := `query Page($w: OrganizationWhere) { organizations(where: $w, first: 20) { nodes { id } } }`
	p := plan(t, export.Request{Query: q}, export.Limits{})
	var sent string
	err := p.Run(context.Background(), func(_ context.Context, req export.Request) (*export.Response, error) {
		sent = req.Query
		return &export.Response{Status: 200, Body: []byte(`{"data":{"organizations":{"nodes":[{"id":"og-1"}]}}}`)}, nil
	}, func([][]any) error { return nil })
	if err != nil || sent != q {
		t.Errorf("sent %q (%v), want the query as it is", sent, err)
	}
}

func TestTheAnswersErrorsStopTheExport(t *testing.T) {
	p := plan(t, export.Request{Query: `{ organizations(first: 2) { nodes { id } } }`}, export.Limits{})
	body := `{"errors":[{"message":"不可以","extensions":{"code":"FORBIDDEN"}}],"data":null}`
	err := p.Run(context.Background(), func(context.Context, export.Request) (*export.Response, error) {
		return &export.Response{Status: 200, Body: []byte(body)}, nil
	}, func([][]any) error { t.Error("rows of an answer with errors"); return nil })
	qe, ok := err.(*export.QueryError)
	if !ok || qe.Code() != cobuild.EFORBIDDEN || !bytes.Equal(qe.Body, []byte(body)) {
		t.Errorf("error %#v, want the answer's FORBIDDEN as it came", err)
	}
}
