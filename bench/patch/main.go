// Command patch measures how long a write takes to reach the snapshots: on the Neo4j of
// NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD), which it writes to (use a scratch database
// holding the demo data), it builds today's census and network, then makes -writes
// changes (an instructor assigned to each of -writes uncovered organisations) and after
// each commit times the follow that applies it in place. It prints the medians beside
// a fresh build of the same snapshots, and fails if any write caused a rebuild.
//
//	go run ./bench/patch -writes 50
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"time"

	"cobuild"
	"cobuild/neo4jstore"
	"cobuild/snapshot"
)

func main() {
	writes := flag.Int("writes", 50, "changes to make")
	flag.Parse()
	ctx := context.Background()
	rules := cobuild.DefaultRules()
	store, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD")}, rules)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close(ctx)
	today := cobuild.Today()
	key := snapshot.ProjectionKey(today, nil)
	svc := snapshot.New(store, rules, snapshot.Options{})
	build := func(s *snapshot.Service) time.Duration {
		start := time.Now()
		v, err := s.Refresh(ctx)
		if err != nil {
			log.Fatal(err)
		}
		if _, err := s.Census(ctx, today, v); err != nil {
			log.Fatal(err)
		}
		if _, err := s.Projection(ctx, key, v); err != nil {
			log.Fatal(err)
		}
		return time.Since(start)
	}
	full := build(svc)
	// As a server does after its first build (app.Main.Prebuild).
	if err := svc.Warm(ctx); err != nil {
		log.Fatal(err)
	}
	// An uncovered organisation and an instructor.
	var person string
	page, err := store.Organizations(ctx, cobuild.OrgFilter{Coverage: []cobuild.CoverageStatus{cobuild.CoverageUncovered}, AsOf: today}, cobuild.Sort{}, cobuild.PageArgs{First: *writes})
	if err != nil || len(page.Items) < *writes {
		log.Fatal("too few uncovered organisations: ", err)
	}
	people, err := store.People(ctx, cobuild.PersonFilter{Roles: []string{"INSTRUCTOR"}, AsOf: today}, cobuild.PageArgs{First: 1})
	if err != nil || len(people.Items) == 0 {
		log.Fatal("no instructor: ", err)
	}
	person = people.Items[0].ID
	builds := svc.Stats().Builds
	var commits, patches []time.Duration
	actor := cobuild.Actor{Subject: "bench", Role: "admin"}
	for i := range *writes {
		cmd := cobuild.Command{Op: "assignPerson", Actor: actor, Args: map[string]any{"personId": person, "organizationId": page.Items[i].ID, "role": "INSTRUCTOR"}}
		start := time.Now()
		if _, err := store.Apply(ctx, cmd); err != nil {
			log.Fatalf("write %d: %v", i, err)
		}
		committed := time.Now()
		if _, err := svc.Refresh(ctx); err != nil {
			log.Fatal(err)
		}
		commits = append(commits, committed.Sub(start))
		patches = append(patches, time.Since(committed))
	}
	if n := svc.Stats().Builds - builds; n != 0 {
		log.Fatalf("%d rebuilds during the writes", n)
	}
	fresh := build(snapshot.New(store, rules, snapshot.Options{}))
	med := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	fmt.Printf("| organisations | writes | commit (median) | applied to census and network after commit (median, p90) | fresh build of both |\n|---|---:|---:|---:|---:|\n")
	c, _ := svc.Census(ctx, today, mustVersion(ctx, svc))
	fmt.Printf("| %d | %d | %s | %s, %s | %s (first %s) |\n", len(c.Rows), *writes, med(commits).Round(time.Microsecond*100),
		med(patches).Round(time.Microsecond*100), patches[len(patches)*9/10].Round(time.Microsecond*100), fresh.Round(time.Millisecond), full.Round(time.Millisecond))
}

func mustVersion(ctx context.Context, s *snapshot.Service) string {
	v, err := s.Version(ctx)
	if err != nil {
		log.Fatal(err)
	}
	return v
}
