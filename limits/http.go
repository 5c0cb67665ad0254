package limits

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"

	"cobuild"
)

// Body wraps a GraphQL HTTP handler so that a request larger than MaxBodyBytes (its body,
// or the query string of a GET, where the query and its variables travel) is answered
// 413 with one small LIMIT_EXCEEDED error, before anything of it is decoded. A body is
// read up to one byte past the limit and no further; a declared Content-Length past it is
// refused without reading. What fits is handed on as it came.
func (c Config) Body(next http.Handler) http.Handler {
	c = c.WithDefaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := int64(len(r.URL.RawQuery)); n > c.MaxBodyBytes {
			tooLarge(w, n, c.MaxBodyBytes)
			return
		}
		if IsMultipart(r) {
			// Files to import: bounded by MaxUploadBytes as they stream, never held whole
			// (gqlgen's multipart transport keeps what passes its memory bound on disk).
			if r.ContentLength > c.MaxUploadBytes {
				tooLarge(w, r.ContentLength, c.MaxUploadBytes)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, c.MaxUploadBytes)
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > c.MaxBodyBytes {
			tooLarge(w, r.ContentLength, c.MaxBodyBytes)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(io.LimitReader(r.Body, c.MaxBodyBytes+1))
			if err != nil {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				writeError(w, map[string]any{"code": cobuild.EINVALID}, "无法读取请求体。The request body could not be read.")
				return
			}
			if n := int64(len(body)); n > c.MaxBodyBytes {
				tooLarge(w, n, c.MaxBodyBytes)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// IsMultipart reports whether r is a multipart POST: files sent to import.
func IsMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && mt == "multipart/form-data"
}

// tooLarge answers 413 for a request of at least n bytes. The connection is closed after
// it, so that the rest of the body is not read.
func tooLarge(w http.ResponseWriter, n, limit int64) {
	e := Exceeded(LimitBodyBytes, n, limit, "")
	ext := map[string]any{"code": e.Code}
	for k, v := range e.Extensions {
		ext[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	writeError(w, ext, e.Message)
}

func writeError(w io.Writer, ext map[string]any, msg string) {
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
}
