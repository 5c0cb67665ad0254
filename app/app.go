// Package app wires cobuild together: the store on Neo4j (a local one started when none is
// configured), the demo seed, the snapshots, the resolvers and the HTTP server. Main is the
// one place this happens; the cobuild command and the end-to-end tests both use it, so the
// wiring under test is the production one.
package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"cobuild"
	"cobuild/demo"
	"cobuild/limits"
	"cobuild/neo4jlocal"
	"cobuild/neo4jstore"
	"cobuild/resolvers"
	"cobuild/server"
	"cobuild/snapshot"
)

// Config is the configuration of cobuild's commands.
type Config struct {
	// Neo4j says where Neo4j is; an empty URI starts a local one.
	Neo4j neo4jstore.Config
	// Local configures the local Neo4j (data folder, memory, port).
	Local neo4jlocal.Options
	// RulesFile is a JSON file overriding the rules' defaults.
	RulesFile string
	// Seed says which demo data set to load; SeedDemo loads it even into a configured
	// Neo4j (the local one is always seeded).
	Seed     demo.Options
	SeedDemo bool
	// Addr is where the server listens; port 0 picks a free one.
	Addr  string
	Pages resolvers.PageLimits
	// CORSOrigins may call /graphql from a browser (see server.Config).
	CORSOrigins []string
	// RequestTimeout bounds one GraphQL request; default 30s.
	RequestTimeout time.Duration
	// Snapshots tunes the snapshot cache; zero fields take snapshot.DefaultOptions.
	Snapshots snapshot.Options
	// Limits are the limits of one request; zero fields take limits.Default.
	Limits limits.Config
}

// Main holds what the commands open, so that Close releases it in order.
type Main struct {
	Config Config
	Log    *slog.Logger

	Rules     cobuild.Rules
	Local     *neo4jlocal.Server
	Store     *neo4jstore.Store
	Snapshots *snapshot.Service
	Resolvers *resolvers.Resolver
}

// Open reads the rules, starts a local Neo4j when no URI is configured, connects, applies
// the migrations, and builds the snapshot service and the resolvers.
func (m *Main) Open(ctx context.Context) error {
	if m.Log == nil {
		m.Log = slog.Default()
	}
	rules, err := ReadRules(m.Config.RulesFile)
	if err != nil {
		return err
	}
	m.Rules = rules
	cfg := m.Config.Neo4j
	if cfg.URI == "" {
		opts := m.Config.Local
		opts.Logger = m.Log
		m.Local, err = neo4jlocal.Start(ctx, opts)
		if err != nil {
			return err
		}
		cfg.URI, cfg.User, cfg.Password = m.Local.URI(), m.Local.User(), m.Local.Password()
	}
	m.Store, err = neo4jstore.Open(ctx, cfg, rules)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", cfg.URI, err)
	}
	applied, err := m.Store.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		m.Log.Info("schema migrations applied", "migrations", applied)
	}
	m.Snapshots = snapshot.New(m.Store, rules, m.Config.Snapshots)
	m.Resolvers = resolvers.New(resolvers.Config{Store: m.Store, Rules: rules, Snapshots: m.Snapshots, Pages: m.Config.Pages,
		Requests: m.Config.Limits})
	return nil
}

// ReadRules reads the rules: the defaults, overridden by a JSON file if one is named.
// Contradictory rules are an error.
func ReadRules(file string) (cobuild.Rules, error) {
	r := cobuild.DefaultRules()
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return r, fmt.Errorf("read rules: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return r, fmt.Errorf("rules file %s: %w", file, err)
		}
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("rules: %w", err)
	}
	return r, nil
}

// Close releases the store, then stops the local Neo4j.
func (m *Main) Close() {
	if m.Store != nil {
		m.Store.Close(context.Background())
	}
	if m.Local != nil {
		if err := m.Local.Close(); err != nil {
			m.Log.Error("stop local neo4j", "err", err)
		}
	}
}

// Handler returns the whole HTTP API over what Open opened.
func (m *Main) Handler() http.Handler {
	return server.Handler(server.Config{Resolvers: m.Resolvers, Ping: m.Store.Ping, Logger: m.Log,
		CORSOrigins: m.Config.CORSOrigins, RequestTimeout: m.Config.RequestTimeout})
}

// Run serves the API until ctx is done: it opens what Open opens (unless it is open
// already), seeds the demo data into the local Neo4j (or into a configured one with
// SeedDemo), keeps the snapshots current, builds today's ahead of the first request, and
// calls ready with the address it listens on.
func (m *Main) Run(ctx context.Context, ready func(net.Addr)) error {
	if m.Store == nil {
		if err := m.Open(ctx); err != nil {
			return err
		}
	}
	if m.Local != nil || m.Config.SeedDemo {
		if err := m.SeedIfEmpty(ctx, false); err != nil {
			return err
		}
	}
	if _, err := m.Snapshots.Refresh(ctx); err != nil {
		return fmt.Errorf("read the graph's version: %w", err)
	}
	go m.Snapshots.Watch(ctx)
	go func() {
		if err := m.Prebuild(ctx); err != nil {
			m.Log.Warn("prebuild snapshots", "err", err)
		}
	}()
	addr := m.Config.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	return server.Serve(ctx, addr, m.Handler(), ready)
}

// Prebuild builds today's network, places and census ahead of the first request that
// needs them.
func (m *Main) Prebuild(ctx context.Context) error {
	version, err := m.Snapshots.Version(ctx)
	if err != nil {
		return err
	}
	today := m.Resolvers.Today()
	p, err := m.Snapshots.Projection(ctx, snapshot.ProjectionKey(today, nil), version)
	if err != nil {
		return fmt.Errorf("network projection: %w", err)
	}
	m.Log.Info("network projection built", "nodes", p.Graph.Nodes(), "ties", p.Graph.Ties(), "ms", p.BuildTime.Milliseconds())
	c, err := m.Snapshots.Census(ctx, today, version)
	if err != nil {
		return fmt.Errorf("census: %w", err)
	}
	m.Log.Info("census built", "organisations", len(c.Rows), "ms", c.BuildTime.Milliseconds())
	return nil
}

// SeedIfEmpty loads the demo data set of the configuration unless the database holds it.
func (m *Main) SeedIfEmpty(ctx context.Context, force bool) error {
	start, last := time.Now(), time.Now()
	opts := m.Config.Seed.WithDefaults()
	seeded, err := Seed(ctx, m.Store, opts, force, func(done, total int) {
		if time.Since(last) > 3*time.Second || done == total {
			last = time.Now()
			m.Log.Info("seeding demo data", "written", done, "of", total)
		}
	})
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	if seeded {
		m.Log.Info("demo data seeded", "scale", opts.Scale, "seconds", time.Since(start).Round(100*time.Millisecond).Seconds())
	} else {
		m.Log.Info("demo data already present; not seeding")
	}
	return nil
}

// Seed seeds the demo data set unless the database already holds it: an empty database is
// seeded; an interrupted demo seed, or one of another generator version, seed or scale, is
// wiped and redone; a database holding data that cobuild did not seed is left alone with
// a CONFLICT error unless force is set. It returns whether it seeded.
func Seed(ctx context.Context, s *neo4jstore.Store, opts demo.Options, force bool, progress func(done, total int)) (bool, error) {
	info, hasData, err := s.SeedStatus(ctx)
	if err != nil {
		return false, err
	}
	opts = opts.WithDefaults()
	switch {
	case force:
	case info == nil && hasData:
		return false, cobuild.Errorf(cobuild.ECONFLICT, "the database holds data that cobuild did not seed; use an empty database, or seed -force to wipe it")
	case info != nil && info.Complete && info.Version == demo.Version && info.Seed == opts.Seed && info.Scale == opts.Scale:
		return false, nil
	}
	if hasData || info != nil {
		if err := s.Wipe(ctx); err != nil {
			return false, err
		}
	}
	ds, err := demo.Generate(opts)
	if err != nil {
		return false, fmt.Errorf("generate demo data: %w", err)
	}
	err = s.Seed(ctx, ds, neo4jstore.SeedInfo{Version: demo.Version, Seed: opts.Seed, Scale: opts.Scale}, progress)
	return err == nil, err
}
