package server

import (
	"bytes"
	"net/http"
	"net/url"
	"path"
	"strings"

	"cobuild"
	"cobuild/imports"
)

// preflighted refuses a multipart request without a GraphQL-Preflight header: a browser
// sends such a header only after a CORS preflight, which another site's page does not pass.
func preflighted(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("GraphQL-Preflight") == "" {
			writeError(w, http.StatusBadRequest, cobuild.Errorf(cobuild.EINVALID, "上传文件的请求须带GraphQL-Preflight请求头。A multipart request must carry a GraphQL-Preflight header."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// importTemplate serves the template of a kind of file: /import/template/organizations.xlsx
// (or .csv), named by the kind's Chinese title.
func importTemplate(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	ext := path.Ext(file)
	kind := strings.TrimSuffix(file, ext)
	format := strings.TrimPrefix(ext, ".")
	var title string
	for _, k := range imports.Describe() {
		if k.Name == kind {
			title = k.Title
		}
	}
	if title == "" || (format != "xlsx" && format != "csv") {
		writeError(w, http.StatusNotFound, cobuild.Errorf(cobuild.ENOTFOUND, "没有这种导入模板，应如/import/template/organizations.xlsx。No such template: ask for /import/template/organizations.xlsx or .csv."))
		return
	}
	var b bytes.Buffer
	if err := imports.WriteTemplate(&b, kind, format); err != nil {
		writeError(w, http.StatusInternalServerError, cobuild.Errorf(cobuild.EINTERNAL, "模板生成失败。The template could not be written."))
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+ext+`"; filename*=UTF-8''`+url.PathEscape(title+"模板"+ext))
	w.Write(b.Bytes())
}
