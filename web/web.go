// Package web serves the dashboard and GraphiQL: the pages built from web/src by Vite into
// web/dist, embedded in the binary so that they need no files, no Node.js and no internet
// at run time.
//
// The built files are committed; after changing web/src, rebuild them with
// `npm ci --prefix web && npm run build --prefix web` (see web/README.md).
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed dist
var dist embed.FS

// Prefix is where the dashboard is served; the page is built with this base path.
const Prefix = "/dashboard/"

// Content-Security-Policy of the page: it loads its own scripts and styles and talks only
// to /graphql on the same origin. Charts and the graph view set inline styles.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

// graphiqlCSP is GraphiQL's, found by trying it in Chromium (web/test/dashboard.mjs): its
// scripts, its editor's workers and its font are files of this origin, it talks only to
// /graphql here, and its icon is a data: URL. Monaco, its editor, adds <style> elements and
// style attributes as it lays text out, hence 'unsafe-inline' for styles alone; no script is
// evaluated from text and no worker is made from a blob. No page may frame it, since it
// runs operations with the user's cookies.
const graphiqlCSP = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// pages are the built HTML pages and the Content-Security-Policy each is served with.
var pages = map[string]string{"index.html": csp, "graphiql.html": graphiqlCSP}

// file is one built file, ready to serve.
type file struct {
	name  string
	body  []byte
	gzip  []byte // nil when compressing does not pay
	etag  string
	ctype string
}

// files reads and compresses the embedded files once per process.
var files = sync.OnceValues(func() (map[string]*file, error) {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	out := map[string]*file{}
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		f := &file{
			name:  p,
			body:  body,
			etag:  `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
			ctype: mime.TypeByExtension(path.Ext(p)),
		}
		if f.ctype == "" {
			f.ctype = "application/octet-stream"
		}
		if compressible(f.ctype) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body)*9/10 {
				f.gzip = buf.Bytes()
			}
		}
		out[p] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the embedded dashboard: %w", err)
	}
	for page := range pages {
		if out[page] == nil {
			return nil, fmt.Errorf("the embedded dashboard has no %s; build it with `npm run build --prefix web`", page)
		}
	}
	return out, nil
})

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

// Handler serves the dashboard under Prefix: index.html at /dashboard and /dashboard/
// (and at any other path without a file extension, so that the page owns its routes),
// the hashed files under /dashboard/assets/ with a year-long immutable cache, and 404 for
// any other file that does not exist. Only GET and HEAD are answered.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		all, err := files()
		if err != nil {
			http.Error(w, "dashboard unavailable: "+err.Error(), http.StatusInternalServerError)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, strings.TrimSuffix(Prefix, "/"))
		if !ok || (name != "" && !strings.HasPrefix(name, "/")) {
			http.NotFound(w, r)
			return
		}
		name = strings.TrimPrefix(path.Clean("/"+name), "/")
		f := all[name]
		if f == nil {
			if name != "" && (strings.HasPrefix(name, "assets/") || path.Ext(name) != "") {
				http.NotFound(w, r)
				return
			}
			f = all["index.html"]
		}
		serve(w, r, f)
	})
}

// OperationsFile is the manifest of the dashboard's GraphQL operations in web/dist, written
// by the build (persisted.ts) in the format of Apollo's persisted query manifests: each
// operation's text, name, type and id, the hex SHA-256 of the text.
const OperationsFile = "persisted-operations.json"

// Operations returns the manifest of the dashboard's operations, as the build wrote it.
func Operations() ([]byte, error) {
	all, err := files()
	if err != nil {
		return nil, err
	}
	f := all[OperationsFile]
	if f == nil {
		return nil, fmt.Errorf("the embedded dashboard has no %s; build it with `npm run build --prefix web`", OperationsFile)
	}
	return f.body, nil
}

// readOnly answers 405 to anything but GET and HEAD, and says whether r is one of them.
func readOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// GraphiQL serves GraphiQL, the page built from graphiql.html, at whatever path it is
// mounted on (its files are under /dashboard/assets/, served by Handler). Only GET and
// HEAD are answered.
func GraphiQL() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		all, err := files()
		if err != nil {
			http.Error(w, "GraphiQL unavailable: "+err.Error(), http.StatusInternalServerError)
			return
		}
		serve(w, r, all["graphiql.html"])
	})
}

func serve(w http.ResponseWriter, r *http.Request, f *file) {
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(f.name, "assets/") {
		// The names carry a hash of the content: a changed file is a new name.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if policy, ok := pages[f.name]; ok {
		h.Set("Content-Security-Policy", policy)
		h.Set("Referrer-Policy", "same-origin")
	}
	body := f.body
	etag := f.etag
	if f.gzip != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			body = f.gzip
			etag = strings.TrimSuffix(f.etag, `"`) + `-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether the request accepts gzip with a non-zero quality.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
