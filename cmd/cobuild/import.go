package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"cobuild"
	"cobuild/app"
	"cobuild/demo"
	"cobuild/imports"
)

// errBlocked is the exit of an import that wrote nothing because of its files' problems.
var errBlocked = errors.New("导入未写入：文件有问题，见上 (nothing was imported: the files have problems, listed above)")

// importCmd imports the district's files, or writes the template of a kind of file.
func importCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: cobuild import [flags] FILE...
       cobuild import -template KIND [-format xlsx|csv] [-o FILE]

Imports .xlsx workbooks and CSV files (UTF-8, with or without BOM, or GB18030). Each sheet's
kind is told by its name (or the file's), else by its columns; every row is checked before
anything is written, and the import is one batch of the change log. Kinds of file:
  %s

flags:
`, strings.Join(imports.Kinds(), ", "))
		fs.PrintDefaults()
	}
	var o options
	flags(fs, &o)
	dry := fs.Bool("dry-run", false, "check and report what would change, writing nothing")
	skip := fs.Bool("skip-bad-rows", false, "write the good rows of files that have bad ones (the report lists those left out)")
	kind := fs.String("kind", "", "the kind of the sheets whose name and columns do not say it")
	template := fs.String("template", "", "write the template of a kind of file instead of importing")
	format := fs.String("format", "xlsx", "template: xlsx or csv")
	out := fs.String("o", "", "template: the file to write (default <kind>.<format>)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	subject := fs.String("actor", localUser(), "who imports, as the change log records it")
	chunk := fs.Int("chunk-rows", 0, "rows per transaction of a large import (default 5000)")
	single := fs.Int("single-tx-rows", 0, "imports of at most this many rows are one transaction (default 20000)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *template != "" {
		path := *out
		if path == "" {
			path = *template + "." + *format
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := imports.WriteTemplate(f, *template, *format); err != nil {
			f.Close()
			return err
		}
		fmt.Fprintln(stdout, "wrote", path)
		return f.Close()
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("import: give the files to import")
	}
	var files []imports.File
	for _, p := range fs.Args() {
		files = append(files, imports.File{Path: p})
	}
	// An import holds the keys of every node it matches rows to (about 500 MB at 50×): a
	// soft limit makes the collector keep the heap near that rather than at twice it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
	m := &app.Main{Config: o.cfg, Log: o.logger()}
	m.Config.NoSeed = true
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	rep, err := imports.Run(ctx, m.Store, files, imports.Options{
		Actor:  cobuild.Actor{Subject: *subject, Role: "admin"},
		DryRun: *dry, SkipBadRows: *skip, Rules: m.Rules, Kind: *kind, ChunkRows: *chunk, SingleTxRows: *single,
		Progress: func(stage string, rows int) { m.Log.Info("import", "sheet", stage, "rows", rows) },
	})
	if err != nil {
		return err
	}
	if kib := peakMemory(); kib > 0 {
		m.Log.Info("import finished", "peakMemoryMiB", kib/1024)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rep)
	}
	if rep.Blocked() {
		return errBlocked
	}
	return nil
}

// printReport writes an import's report for a person.
func printReport(w io.Writer, r *imports.Report) {
	for _, f := range r.Files {
		for _, s := range f.Sheets {
			fmt.Fprintf(w, "%s [%s] %s: %d 行 rows", f.Name, s.Name, s.Kind, s.Rows)
			if s.Encoding != "" {
				fmt.Fprintf(w, ", %s", s.Encoding)
			}
			if s.Bad > 0 {
				fmt.Fprintf(w, ", %d 行有问题 bad", s.Bad)
			}
			if len(s.Ignored) > 0 {
				fmt.Fprintf(w, ", 忽略的列 ignored columns: %s", strings.Join(s.Ignored, "、"))
			}
			fmt.Fprintln(w)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintln(w, "  "+p.String())
	}
	if r.ProblemCount > len(r.Problems) {
		fmt.Fprintf(w, "  ……共%d个问题，仅列出前%d个 (%d problems, the first %d listed)\n", r.ProblemCount, len(r.Problems), r.ProblemCount, len(r.Problems))
	}
	if r.Blocked() {
		return
	}
	c := r.Counts
	line := func(what string, m map[string]int) {
		var keys []string
		for k, v := range m {
			if v > 0 {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s %s: %d\n", what, k, m[k])
		}
	}
	switch {
	case r.DryRun:
		fmt.Fprintln(w, "试运行，未写入 (dry run, nothing written); would change:")
	case r.Written:
		fmt.Fprintf(w, "已导入，变更序号%d (imported as change %d)", r.Seq, r.Seq)
		if r.Resumed {
			fmt.Fprint(w, "，续完中断的导入 (completing an interrupted import)")
		}
		fmt.Fprintln(w, ":")
	default:
		fmt.Fprintln(w, "与图中一致，无需变更 (the graph already holds all of it: nothing changed)")
	}
	line("新增节点 created", c.NodesCreated)
	line("更新节点 updated", c.NodesUpdated)
	line("新增联系 ties created", c.TiesCreated)
	line("更新联系 ties updated", c.TiesUpdated)
	line("移除联系 ties removed", c.TiesRemoved)
	if r.Skipped > 0 {
		fmt.Fprintf(w, "  跳过有问题的行 bad rows left out: %d\n", r.Skipped)
	}
}

// demoCmd writes the demo data set as the files a district brings.
func demoCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dir := fs.String("write", "", "the folder to write the files to")
	format := fs.String("format", "csv", "csv (a file per kind) or xlsx (one workbook, a sheet per kind)")
	scale := fs.Int("scale", envInt("COBUILD_SEED_SCALE", 1), "1 is the district, N multiplies the population")
	seed := fs.Int64("seed", demo.DefaultSeed, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("demo: give the folder with -write DIR")
	}
	ds, err := demo.Generate(demo.Options{Seed: *seed, Scale: *scale})
	if err != nil {
		return err
	}
	files, err := imports.WriteDataset(ds, *dir, *format, "宣州区")
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}

// peakMemory is the process's peak resident memory in KiB (VmHWM, Linux), 0 when unknown.
func peakMemory() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
