package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cobuild"
	"cobuild/export"
)

// ExportConfig bounds the exports of /export.
type ExportConfig struct {
	// Timeout bounds one export, all of its pages; default four times the request timeout,
	// and at least two minutes.
	Timeout time.Duration
	// MaxRows is the most rows of one export; default export.DefaultLimits.MaxRows.
	MaxRows int
}

// exportRequest is the body of POST /export, or the parameters of GET /export
// (variables and headers as JSON texts).
type exportRequest struct {
	export.Request
	// Format is xlsx (default) or csv.
	Format string `json:"format,omitempty"`
	// Filename names the file, without its extension; default the operation's name, or
	// its first root field, with the time of the export.
	Filename string `json:"filename,omitempty"`
}

// exportHandler serves /export: it runs a query through gql, the same handler as /graphql
// (persisted queries, limits, role policy, loaders, executor), with the caller's own
// principal, a page at a time, and answers with the table of its first list as a file.
// What stops the export before the file starts (a query that does not validate, a field
// the role may not read, a limit) is answered with /graphql's own errors, with a status
// other than 200 (see answer); a failure once the file has started cuts the connection,
// so that no truncated file looks whole.
func exportHandler(gql http.Handler, schema *ast.Schema, lim export.Limits, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := readExport(r)
		if err != nil {
			writeError(w, statusOf(err), asCobuild(err))
			return
		}
		format, err := export.ParseFormat(req.Format)
		if err != nil {
			writeError(w, http.StatusBadRequest, asCobuild(err))
			return
		}
		run := inProcess(gql, r, req.Request)
		plan, err := export.NewPlan(schema, req.Request, lim)
		var invalid gqlerror.List
		if errors.As(err, &invalid) {
			// The API's own answer to the query says what is wrong with it, coded as always.
			relay(w, run, req.Request, log, r)
			return
		}
		if err != nil {
			writeError(w, statusOf(err), asCobuild(err))
			return
		}
		file := &lazyFile{w: w, format: format, name: filename(req, schema, time.Now())}
		out, err := export.NewWriter(format, file)
		if err != nil {
			writeError(w, http.StatusInternalServerError, asCobuild(err))
			return
		}
		started := false
		err = plan.Run(r.Context(), run, func(rows [][]any) error {
			if !started {
				started = true
				if err := out.Header(plan.Headers()); err != nil {
					return err
				}
			}
			return out.Rows(rows)
		})
		if err == nil {
			err = out.Close()
		}
		if err == nil {
			return
		}
		if file.started {
			log.WarnContext(r.Context(), "export stopped after its file started", "err", err)
			panic(http.ErrAbortHandler)
		}
		var qe *export.QueryError
		if errors.As(err, &qe) {
			answer(w, &qe.Response)
			return
		}
		if cobuild.ErrorCode(err) == cobuild.EINTERNAL {
			log.ErrorContext(r.Context(), "export", "err", err)
		}
		writeError(w, statusOf(err), asCobuild(err))
	})
}

// readExport reads an export's parameters from the query string of a GET or the JSON
// body of a POST.
func readExport(r *http.Request) (exportRequest, error) {
	var req exportRequest
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q := r.URL.Query()
		req.Query, req.OperationName, req.List = q.Get("query"), q.Get("operationName"), q.Get("list")
		req.Format, req.Filename = q.Get("format"), q.Get("filename")
		for name, into := range map[string]any{"variables": &req.Variables, "headers": &req.Headers} {
			if v := q.Get(name); v != "" {
				if err := json.Unmarshal([]byte(v), into); err != nil {
					return req, invalidParam(name, fmt.Sprintf("参数 %s 不是 JSON 对象。The parameter %s is not a JSON object.", name, name))
				}
			}
		}
	case http.MethodPost:
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			return req, invalidParam("body", "请求体不是 JSON 对象。The request's body is not a JSON object.")
		}
	default:
		return req, &cobuild.Error{Code: cobuild.EINVALID, Message: "导出请用 GET 或 POST。Use GET or POST to export."}
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, invalidParam("query", "请给出要导出的查询（query）。Give the query to export.")
	}
	return req, nil
}

// invalidParam is BAD_USER_INPUT of one parameter of the export.
func invalidParam(field, message string) error {
	return &cobuild.Error{Code: cobuild.EINVALID, Message: message, Extensions: map[string]any{"field": field}}
}

// statusOf is the HTTP status of an error that stops an export before its file.
func statusOf(err error) int { return statusOfCode(cobuild.ErrorCode(err)) }

func statusOfCode(code string) int {
	switch code {
	case cobuild.EINVALID, cobuild.ELIMIT, "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
		return http.StatusBadRequest
	case cobuild.EUNAUTHENTICATED:
		return http.StatusUnauthorized
	case cobuild.EFORBIDDEN, cobuild.ENOTALLOWED:
		return http.StatusForbidden
	case cobuild.ENOTFOUND:
		return http.StatusNotFound
	case cobuild.ECONFLICT:
		return http.StatusConflict
	case cobuild.ERATELIMITED:
		return http.StatusTooManyRequests
	case cobuild.ETIMEOUT:
		return http.StatusGatewayTimeout
	case cobuild.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// asCobuild is err as a *cobuild.Error, its message hidden unless it is one.
func asCobuild(err error) *cobuild.Error {
	var e *cobuild.Error
	if errors.As(err, &e) {
		return e
	}
	return &cobuild.Error{Code: cobuild.ErrorCode(err), Message: cobuild.ErrorMessage(err)}
}

// relay answers with the API's answer to req as it came.
func relay(w http.ResponseWriter, run export.Runner, req export.Request, log *slog.Logger, r *http.Request) {
	resp, err := run(r.Context(), req)
	if err != nil {
		log.ErrorContext(r.Context(), "export", "err", err)
		writeError(w, http.StatusInternalServerError, asCobuild(err))
		return
	}
	answer(w, resp)
}

// answer writes an answer of the API as it came, but for its status: an answer of errors
// that /graphql gives with 200 (as GraphQL over HTTP does) is no file, and its status says
// so, from its first error's code, so that a download never saves it as one.
func answer(w http.ResponseWriter, resp *export.Response) {
	for _, k := range []string{"Content-Type", "WWW-Authenticate", "Retry-After"} {
		if v := resp.Header.Get(k); v != "" {
			w.Header().Set(k, v)
		}
	}
	status := resp.Status
	if status == http.StatusOK {
		var out struct {
			Errors []struct {
				Extensions struct {
					Code string `json:"code"`
				} `json:"extensions"`
			} `json:"errors"`
		}
		code := cobuild.EINTERNAL
		if json.Unmarshal(resp.Body, &out) == nil && len(out.Errors) > 0 {
			code = out.Errors[0].Extensions.Code
		}
		status = statusOfCode(code)
	}
	w.WriteHeader(status)
	w.Write(resp.Body)
}

// inProcess runs each request through gql as a POST /graphql of the same caller: the
// principal, share and deadline of r's context; a request other than original is one of
// its pages.
func inProcess(gql http.Handler, r *http.Request, original export.Request) export.Runner {
	return func(ctx context.Context, req export.Request) (*export.Response, error) {
		body, err := json.Marshal(map[string]any{"query": req.Query, "variables": req.Variables, "operationName": req.OperationName})
		if err != nil {
			return nil, fmt.Errorf("encode the request: %w", err)
		}
		if req.Query != original.Query {
			// The export's pages of the operation (export.Plan): an allow-list that has the
			// operation takes them (see allowList).
			ctx = context.WithValue(ctx, pagedKey{}, paged{of: original.Query, query: req.Query})
		}
		sub, err := http.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		sub.Header.Set("Content-Type", "application/json")
		if a := r.Header.Get("Accept"); a != "" && !strings.Contains(a, "spreadsheet") && !strings.Contains(a, "text/csv") {
			sub.Header.Set("Accept", a)
		}
		sub.RemoteAddr = r.RemoteAddr
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		gql.ServeHTTP(rec, sub)
		return &export.Response{Status: rec.status, Header: rec.header, Body: rec.body.Bytes()}, nil
	}
}

// recorder keeps an answer in memory.
type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

// lazyFile starts the download's headers at its first byte, so that what fails before
// can still be answered as an error.
type lazyFile struct {
	w       http.ResponseWriter
	format  export.Format
	name    string
	started bool
}

func (f *lazyFile) Write(b []byte) (int, error) {
	if !f.started {
		f.started = true
		h := f.w.Header()
		h.Set("Content-Type", f.format.ContentType())
		h.Set("Content-Disposition", contentDisposition(f.name+"."+string(f.format)))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		f.w.WriteHeader(http.StatusOK)
	}
	return f.w.Write(b)
}

// filename is the export's file name, without its extension: the one asked, cleaned, or
// the operation's name (else its first root field) and the time.
func filename(req exportRequest, schema *ast.Schema, now time.Time) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`/\"*:<>?|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(req.Filename))
	if name == "" {
		name = req.OperationName
		if name == "" {
			name = firstRootField(req.Query)
		}
		name += "_" + now.Format("20060102-150405")
	}
	for len(name) > 200 || !utf8.ValidString(name) {
		name = name[:len(name)-1]
	}
	return name
}

// firstRootField is the name of the first field of a query's text, "export" when none.
func firstRootField(q string) string {
	i := strings.IndexByte(q, '{')
	if i < 0 {
		return "export"
	}
	rest := strings.TrimLeft(q[i+1:], " \t\r\n")
	end := strings.IndexFunc(rest, func(r rune) bool { return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) })
	if end <= 0 {
		return "export"
	}
	return rest[:end]
}

// contentDisposition names an attachment by an ASCII fallback and, for any other
// character, RFC 5987's UTF-8 filename*.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	var enc strings.Builder
	for _, b := range []byte(name) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, enc.String())
}
