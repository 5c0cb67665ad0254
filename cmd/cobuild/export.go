package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cobuild"
	"cobuild/app"
	"cobuild/auth"
)

// exportCmd writes the table of a query's first list to a file: through a running server's
// /export (-url, with -token), or, without -url, through the same handler opened here
// over the store (as the admin, or the -role and -area given).
func exportCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	var o options
	flags(fs, &o)
	authFlags(fs, &o)
	url := fs.String("url", env("COBUILD_URL", ""), "a running server, such as http://127.0.0.1:8080 (env COBUILD_URL); empty: open the store here")
	tok := fs.String("token", env("COBUILD_TOKEN", ""), "the bearer token sent to -url (env COBUILD_TOKEN)")
	query := fs.String("query", "", "the GraphQL query to export")
	queryFile := fs.String("query-file", "", "a file holding the query (- for standard input)")
	registry := fs.Bool("registry", false, "export the organisation registry (cobuild.RegistryQuery), in the columns the import reads")
	vars := fs.String("variables", "", "the query's variables, a JSON object")
	operation := fs.String("operation", "", "the operation to run, when the query holds several")
	list := fs.String("list", "", "the list to export, by its response keys (such as organizations.nodes); default the first list of objects")
	format := fs.String("format", "xlsx", "xlsx or csv")
	outFile := fs.String("o", "", "the file to write (- for standard output); default the name the server gives, in this folder")
	role := fs.String("role", "admin", "without -url: the role whose answers are exported")
	var areas areaList
	fs.Var(&areas, "area", "without -url: an officer's area id (ar-…); repeat or separate by commas")
	maxRows := fs.Int("export-max-rows", envInt("COBUILD_EXPORT_MAX_ROWS", 100_000), "without -url: most rows of one export (env COBUILD_EXPORT_MAX_ROWS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	body := map[string]any{"format": *format, "operationName": *operation, "list": *list}
	switch {
	case *registry:
		body["query"] = cobuild.RegistryQuery
	case *queryFile == "-":
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return fmt.Errorf("export: read the query: %w", err)
		}
		body["query"] = string(b)
	case *queryFile != "":
		b, err := os.ReadFile(*queryFile)
		if err != nil {
			return fmt.Errorf("export: read the query: %w", err)
		}
		body["query"] = string(b)
	case *query != "":
		body["query"] = *query
	default:
		return errors.New("export: give -query, -query-file or -registry")
	}
	if *vars != "" {
		var v map[string]any
		if err := json.Unmarshal([]byte(*vars), &v); err != nil {
			return fmt.Errorf("export: -variables is not a JSON object: %w", err)
		}
		body["variables"] = v
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return err
	}

	var resp *http.Response
	if *url != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(*url, "/")+"/export", bytes.NewReader(payload))
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		req.Header.Set("Content-Type", "application/json")
		if *tok != "" {
			req.Header.Set("Authorization", "Bearer "+*tok)
		}
		if resp, err = http.DefaultClient.Do(req); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	} else {
		if err := o.readAuth(); err != nil {
			return err
		}
		o.cfg.Export.MaxRows = *maxRows
		r := auth.Role(strings.ToLower(*role))
		if !r.Valid() {
			return fmt.Errorf("export: -role must be one of %v", auth.Roles)
		}
		m := &app.Main{Config: o.cfg, Log: o.logger()}
		defer m.Close()
		if err := m.Open(ctx); err != nil {
			return err
		}
		if m.Signer == nil {
			return errors.New("export: tokens come from a single sign-on here; export through a server with -url and -token")
		}
		t, err := m.Signer.Sign(auth.Principal{Subject: localUser(), Role: r, Areas: areas}, time.Hour)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		resp = inProcess(ctx, m.Handler(), payload, t)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return answerError(resp)
	}
	return save(resp, *outFile, stdout)
}

// inProcess serves one POST /export through h, its answer read as it is written.
func inProcess(ctx context.Context, h http.Handler, payload []byte, token string) *http.Response {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "/export", bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.RemoteAddr = "127.0.0.1:0"
	pr, pw := io.Pipe()
	w := &pipeWriter{header: http.Header{}, pw: pw, ready: make(chan struct{})}
	go func() {
		defer func() {
			if v := recover(); v != nil {
				// The handler stopped after its file began (http.ErrAbortHandler).
				w.writeHeader(http.StatusOK)
				pw.CloseWithError(fmt.Errorf("the export stopped before its end: %v", v))
			}
		}()
		h.ServeHTTP(w, req)
		w.writeHeader(http.StatusOK)
		pw.Close()
	}()
	<-w.ready
	return &http.Response{StatusCode: w.status, Header: w.header, Body: pr}
}

// pipeWriter is an http.ResponseWriter whose body goes into a pipe.
type pipeWriter struct {
	header http.Header
	pw     *io.PipeWriter
	status int
	ready  chan struct{}
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(status int) { w.writeHeader(status) }

func (w *pipeWriter) writeHeader(status int) {
	if w.status == 0 {
		w.status = status
		close(w.ready)
	}
}

func (w *pipeWriter) Write(b []byte) (int, error) {
	w.writeHeader(http.StatusOK)
	return w.pw.Write(b)
}

// answerError is the error of an answer other than a file: its errors' codes and messages.
func answerError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(b, &out) != nil || len(out.Errors) == 0 {
		return fmt.Errorf("export: HTTP %d: %.300s", resp.StatusCode, b)
	}
	var msgs []string
	for _, e := range out.Errors {
		msgs = append(msgs, fmt.Sprintf("%v: %s", e.Extensions["code"], e.Message))
	}
	return fmt.Errorf("export: %s", strings.Join(msgs, "; "))
}

// save writes the answer's file to name ("-": stdout; "": the name the answer gives),
// through a temporary file, so that a failed export leaves no file that looks whole.
func save(resp *http.Response, name string, stdout io.Writer) error {
	if name == "-" {
		_, err := io.Copy(stdout, resp.Body)
		return err
	}
	if name == "" {
		if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
			name = filepath.Base(params["filename"])
		}
		if name == "" || name == "." || name == "/" {
			return errors.New("export: the answer names no file; give -o")
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintln(os.Stderr, "wrote", name)
	return nil
}
