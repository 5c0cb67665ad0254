// Command import measures cobuild's import of a registry at scale beside the floor, the
// store's bulk loader writing the same nodes and ties (UNWIND ... CREATE: no reading of
// files, no checks, no matching, no comparison with the graph). It writes the demo data set
// of -scale as the registry files (区域, 行业, 组织名录: areas, industries, organisations with
// their towns, parks, communities and industries), and in each round, on the Neo4j of
// NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD), which it wipes (use a scratch database):
//
//  1. floor: wipes, loads the same nodes and ties with the store's loader;
//  2. cobuild: wipes, runs `cobuild import` on the files as a process of its own, timing it
//     and reading its peak resident memory;
//  3. again: runs the same import on the graph it made, which reads, checks and compares
//     everything and writes nothing.
//
// It prints a markdown table of rows per second and peak memory. -all writes and imports
// every kind of file, the whole data set (its floor loads all of it).
//
//	go run ./bench/import -scale 50
//	go run ./bench/import -scale 1 -all
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"time"

	"cobuild"
	"cobuild/demo"
	"cobuild/imports"
	"cobuild/neo4jstore"
)

func main() {
	scale := flag.Int("scale", 50, "demo scale (50 holds about 730,000 organisations)")
	rounds := flag.Int("rounds", 1, "rounds, each of floor, cobuild and again")
	bin := flag.String("cobuild-bin", ".cobuild/bin/cobuild", "the cobuild binary to run (built from ./cmd/cobuild when missing)")
	all := flag.Bool("all", false, "every kind of file (the whole data set), not the registry only")
	flag.Parse()
	ctx := context.Background()
	store, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Timeout: 10 * time.Minute}, cobuild.DefaultRules())
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close(ctx)
	if _, err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(*bin); err != nil {
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/cobuild").CombinedOutput(); err != nil {
			log.Fatalf("build cobuild: %v\n%s", err, out)
		}
	}
	ds, err := demo.Generate(demo.Options{Scale: *scale})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "cobuild-import-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	only := []string{"areas", "industries", "organizations"}
	floor := registry(ds)
	if *all {
		only, floor = nil, ds
	}
	files, err := imports.WriteDataset(ds, dir, "csv", "registry", only...)
	if err != nil {
		log.Fatal(err)
	}
	orgs := 0
	for _, n := range floor.Nodes {
		if n.Labels[0] == string(cobuild.LabelOrganization) {
			orgs++
		}
	}
	var size int64
	rows := 0 // the files' data rows
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		size += int64(len(b))
		rows += bytes.Count(b, []byte("\n")) - 1
	}
	log.Printf("scale %d: %d rows (%d organisations), %d ties, files %.1f MB", *scale, rows, orgs, len(floor.Rels), float64(size)/1e6)
	type result struct {
		what string
		d    time.Duration
		rss  int64 // KiB
	}
	var results []result
	for r := 0; r < *rounds; r++ {
		if err := store.Wipe(ctx); err != nil {
			log.Fatal(err)
		}
		start := time.Now()
		if err := store.Load(ctx, floor, nil); err != nil {
			log.Fatal(err)
		}
		results = append(results, result{"floor: the store's loader", time.Since(start), 0})
		log.Printf("floor %v", results[len(results)-1].d)
		if err := store.Wipe(ctx); err != nil {
			log.Fatal(err)
		}
		for _, what := range []string{"cobuild import, into an empty graph", "cobuild import again, nothing to change"} {
			d, rss := run(*bin, files)
			results = append(results, result{what, d, rss})
			log.Printf("%s %v, peak %d MiB", what, d, rss/1024)
		}
	}
	fmt.Printf("\n%d rows (%d organisations), %d ties, files %.1f MB (UTF-8 CSV)\n\n", rows, orgs, len(floor.Rels), float64(size)/1e6)
	fmt.Println("| run | time | rows per second | vs floor | peak memory of cobuild |")
	fmt.Println("|---|---:|---:|---:|---:|")
	var floorD time.Duration
	for _, x := range results {
		if x.rss == 0 {
			floorD = x.d
		}
		mem := "—"
		if x.rss > 0 {
			mem = fmt.Sprintf("%d MiB", x.rss/1024)
		}
		fmt.Printf("| %s | %.1f s | %.0f | %.2f× | %s |\n", x.what, x.d.Seconds(), float64(rows)/x.d.Seconds(), x.d.Seconds()/floorD.Seconds(), mem)
	}
}

// run imports the files with the cobuild binary and returns the time and its peak
// resident memory in KiB, as it logs it (VmHWM: the rusage of a child counts the memory of
// this process, from which it was forked).
func run(bin string, files []string) (time.Duration, int64) {
	cmd := exec.Command(bin, append([]string{"import"}, files...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("cobuild import: %v\n%s", err, out.String())
	}
	d := time.Since(start)
	var rss int64
	if m := peakLine.FindSubmatch(out.Bytes()); m != nil {
		mib, _ := strconv.ParseInt(string(m[1]), 10, 64)
		rss = mib * 1024
	}
	if n := bytes.Count(out.Bytes(), []byte("\n")); n > 0 {
		lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
		for _, l := range lines[max(0, len(lines)-8):] {
			log.Printf("  %s", l)
		}
	}
	return d, rss
}

var peakLine = regexp.MustCompile(`peakMemoryMiB=(\d+)`)

// registry is the part of a data set the registry files hold: areas, industries and
// organisations, with the ties of their rows.
func registry(ds *cobuild.Dataset) *cobuild.Dataset {
	keep := map[string]bool{}
	out := &cobuild.Dataset{}
	for _, n := range ds.Nodes {
		switch cobuild.NodeLabel(n.Labels[0]) {
		case cobuild.LabelArea, cobuild.LabelIndustry, cobuild.LabelOrganization:
			keep[n.Props["id"].(string)] = true
			out.Nodes = append(out.Nodes, n)
		}
	}
	types := []cobuild.TieType{cobuild.LocatedIn, cobuild.InPark, cobuild.InCommunity, cobuild.InIndustry}
	for _, r := range ds.Rels {
		if keep[r.From] && keep[r.To] && slices.Contains(types, r.Type) {
			out.Rels = append(out.Rels, r)
		}
	}
	return out
}
