package resolvers

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"cobuild"
	"cobuild/auth"
	"cobuild/graph/model"
	"cobuild/imports"
)

// importFiles imports uploaded files: each is written to a temporary file first, since an
// import reads its files more than once (it checks every row before it writes one).
func (r *Resolver) importFiles(ctx context.Context, files []*graphql.Upload, dryRun, skip bool, kind string) (*imports.Report, error) {
	if p := auth.FromContext(ctx); p == nil || p.Role != auth.Admin {
		return nil, cobuild.Errorf(cobuild.EFORBIDDEN, "只有管理员可以导入文件。Only admins may import files.")
	}
	if r.importer == nil {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "此服务器只读。This server only reads.")
	}
	if len(files) == 0 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "请选择要导入的文件。Give the files to import.")
	}
	dir, err := os.MkdirTemp("", "cobuild-upload-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var in []imports.File
	for i, f := range files {
		// Each file in a folder of its own under its own name: a CSV file's sheet is named,
		// and its kind told, by its file name.
		name := uploadName(f.Filename)
		sub := filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(sub, 0o700); err != nil {
			return nil, err
		}
		path := filepath.Join(sub, name)
		out, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(out, f.File)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, cobuild.Errorf(cobuild.EINVALID, "文件“%s”未能完整上传。The file %s did not arrive whole.", f.Filename, f.Filename)
		}
		in = append(in, imports.File{Path: path, Name: name})
	}
	rep, err := imports.Run(ctx, r.importer, in, imports.Options{Actor: actorOf(ctx), DryRun: dryRun, SkipBadRows: skip, Rules: r.rules, Kind: kind})
	if err != nil {
		return nil, err
	}
	if rep.Written && r.snapshots != nil {
		// A batch makes the snapshots be built again: wait until this server follows it,
		// so that the next request reads the imported graph.
		r.snapshots.Await(ctx, rep.Seq)
	}
	return rep, nil
}

// uploadName is the name an uploaded file is kept and reported under: the base name of the
// name the client gave, nothing of a path (a browser on Windows may send C:\…\名录.csv);
// "upload" with its extension when that leaves no name.
func uploadName(filename string) string {
	name := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(filename, `\`, "/")))
	if name == "/" || name == "." {
		return "upload" + filepath.Ext(filename)
	}
	return name
}

// importCounts lists what an import changed, in a stable order.
func importCounts(c imports.Counts) []*model.ImportCount {
	var out []*model.ImportCount
	for _, g := range []struct {
		change model.ImportChange
		m      map[string]int
	}{{model.ImportChangeNodeCreated, c.NodesCreated}, {model.ImportChangeNodeUpdated, c.NodesUpdated},
		{model.ImportChangeTieCreated, c.TiesCreated}, {model.ImportChangeTieUpdated, c.TiesUpdated}, {model.ImportChangeTieRemoved, c.TiesRemoved}} {
		var keys []string
		for k, n := range g.m {
			if n > 0 {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, &model.ImportCount{Change: g.change, Of: k, Count: g.m[k]})
		}
	}
	if out == nil {
		out = []*model.ImportCount{}
	}
	return out
}

func importKinds() []*model.ImportKind {
	var out []*model.ImportKind
	for _, k := range imports.Describe() {
		m := &model.ImportKind{Name: k.Name, Title: k.Title}
		for _, c := range k.Columns {
			syn := c.Synonyms
			if syn == nil {
				syn = []string{}
			}
			m.Columns = append(m.Columns, &model.ImportColumn{Header: c.Header, Key: c.Key, Synonyms: syn, Required: c.Required, Hint: c.Hint})
		}
		out = append(out, m)
	}
	return out
}
