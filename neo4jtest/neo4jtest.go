// Package neo4jtest gives integration tests a store on the test Neo4j, migrated and seeded
// with the demo data set. The test Neo4j is the one named by NEO4J_URI; `make test` starts
// a local one and sets it. Without NEO4J_URI a test is skipped, unless CI is set: then it
// fails, so that CI never passes by skipping.
package neo4jtest

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
	"cobuild/demo"
	"cobuild/neo4jstore"
)

var (
	once     sync.Once
	shared   *neo4jstore.Store
	setupErr error
)

// DemoOptions are the options of the data set the tests run on: the district (scale 1),
// or the scale in COBUILD_TEST_SCALE for benchmarks at a larger scale.
var DemoOptions = demo.Options{Seed: demo.DefaultSeed, Scale: testScale()}

func testScale() int {
	if n, err := strconv.Atoi(os.Getenv("COBUILD_TEST_SCALE")); err == nil && n > 0 {
		return n
	}
	return 1
}

// Store returns the shared store of the test process, seeded with the demo data.
func Store(t testing.TB) *neo4jstore.Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but NEO4J_URI is not: integration tests must run against Neo4j (use `make test`)")
		}
		t.Skip("NEO4J_URI is not set; `make test` starts a local Neo4j for the integration tests")
	}
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cfg := neo4jstore.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
			Database: os.Getenv("NEO4J_DATABASE"), Timeout: time.Minute}
		shared, setupErr = neo4jstore.Open(ctx, cfg, cobuild.DefaultRules())
		if setupErr != nil {
			return
		}
		if _, setupErr = shared.Migrate(ctx); setupErr != nil {
			return
		}
		_, setupErr = shared.SeedIfEmpty(ctx, DemoOptions, false, nil)
	})
	if setupErr != nil {
		t.Fatalf("set up the test Neo4j at %s: %v", uri, setupErr)
	}
	return shared
}

// Driver returns a driver of its own on the test Neo4j, for tests that check the store
// against Cypher written independently (and may roll back what they try).
func Driver(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	Store(t)
	d, err := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"), neo4j.BasicAuth(os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}
