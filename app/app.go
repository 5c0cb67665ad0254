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
	"path/filepath"
	"sync/atomic"
	"time"

	"cobuild"
	"cobuild/auth"
	"cobuild/demo"
	"cobuild/limits"
	"cobuild/metrics"
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
	// NoSeed serves what the database holds, even the local one, seeding nothing.
	NoSeed bool
	// Addr is where the server listens; port 0 picks a free one.
	Addr  string
	Pages resolvers.PageLimits
	// CORSOrigins may call /graphql from a browser (see server.Config).
	CORSOrigins []string
	// RequestTimeout bounds one GraphQL request; default 30s.
	RequestTimeout time.Duration
	// Drain is how long a shutdown lets requests in flight finish before stopping the
	// rest with UNAVAILABLE; default 10s.
	Drain time.Duration
	// Snapshots tunes the snapshot cache; zero fields take snapshot.DefaultOptions.
	Snapshots snapshot.Options
	// Rate bounds the requests of one client (a token's subject, or an address).
	Rate server.RateLimit
	// Auth says which tokens are accepted. With no key configured the install signs and
	// verifies with its own key, kept in the data folder (SigningKeyFile).
	Auth auth.Config
	// Persisted configures persisted queries and the allow-list (see server.PersistedQueries).
	Persisted server.PersistedQueries
	// Limits are the limits of one request; zero fields take limits.Default.
	Limits limits.Config
	// Export bounds the exports of /export (see server.ExportConfig).
	Export server.ExportConfig
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
	Metrics   *metrics.Metrics

	// prebuilt is set once today's snapshots exist: only then is the server ready.
	prebuilt atomic.Bool
	// stopping ends when a shutdown's drain time is over.
	stopping     context.Context
	stopRequests context.CancelFunc

	// Verifier checks the tokens of requests.
	Verifier *auth.Verifier
	// Signer signs tokens with the install's own key; nil when keys are configured, whose
	// tokens come from elsewhere (a single sign-on).
	Signer *auth.Signer

	stopAuth context.CancelFunc
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
	if err := m.openAuth(); err != nil {
		return err
	}
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
	snaps := m.Config.Snapshots
	if snaps.Pinned == nil {
		snaps.Pinned = m.pinned
	}
	m.Snapshots = snapshot.New(m.Store, rules, snaps)
	m.Resolvers = resolvers.New(resolvers.Config{Store: m.Store, Writer: m.Store, ChangeLog: m.Store, Importer: m.Store, Rules: rules, Snapshots: m.Snapshots, Pages: m.Config.Pages,
		Requests: m.Config.Limits})
	m.stopping, m.stopRequests = context.WithCancel(context.Background())
	m.Metrics = m.metrics()
	return nil
}

// metrics registers what the store, the snapshots and the local Neo4j count.
func (m *Main) metrics() *metrics.Metrics {
	reg := metrics.New()
	store, snaps := m.Store, m.Snapshots
	reg.Counter("cobuild_neo4j_statements_total", "Cypher statements sent to Neo4j.", func() float64 { return float64(store.Queries()) })
	reg.CounterByLabel("cobuild_neo4j_errors_total", "Cypher statements that failed, by code.", "code", store.Failures)
	reg.Gauge("cobuild_snapshots_cached", "Snapshots kept in memory.", func() float64 { return float64(snaps.Stats().Cached) })
	reg.Gauge("cobuild_snapshots_pinned", "Snapshots kept in memory that are today's, pinned.", func() float64 { return float64(snaps.Stats().Pinned) })
	reg.Gauge("cobuild_snapshot_builds_running", "Snapshot builds under way or queued.", func() float64 { return float64(snaps.Stats().Building) })
	reg.Counter("cobuild_snapshot_builds_total", "Snapshot builds done.", func() float64 { return float64(snaps.Stats().Builds) })
	reg.Counter("cobuild_snapshot_build_failures_total", "Snapshot builds that failed.", func() float64 { return float64(snaps.Stats().Failures) })
	reg.Counter("cobuild_snapshot_build_seconds_total", "Time spent building snapshots.", func() float64 { return snaps.Stats().BuildTime.Seconds() })
	reg.Counter("cobuild_snapshot_patches_total", "Steps of the change log applied to the snapshots in place.", func() float64 { return float64(snaps.Stats().Patches) })
	reg.Counter("cobuild_snapshot_patch_seconds_total", "Time spent applying changes to the snapshots in place.", func() float64 { return snaps.Stats().PatchTime.Seconds() })
	reg.Gauge("cobuild_ready", "1 when the server is ready: today's snapshots built and Neo4j answering.", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if m.Ready(ctx) != nil {
			return 0
		}
		return 1
	})
	return reg
}

// pinned names today's snapshots, which the dashboard lives on: the network, the census
// and the places they are built from.
func (m *Main) pinned() []snapshot.Key {
	if m.Resolvers == nil {
		return nil
	}
	today := m.Resolvers.Today()
	return []snapshot.Key{snapshot.ProjectionKey(today, nil), snapshot.CensusKey(today), snapshot.PlacesKey()}
}

// Ready returns nil when the server can answer: today's snapshots are built and Neo4j
// answers. Otherwise it says why not.
func (m *Main) Ready(ctx context.Context) error {
	if !m.prebuilt.Load() {
		return state("starting", "正在启动：今天的网络与统计数据尚未建好。Starting: today's network and census are being built.")
	}
	if m.Local != nil && !m.Local.Healthy() {
		return state("degraded", "降级运行：本地图数据库意外停止，正在重启；内存中的网络与统计仍可查询。Degraded: the local Neo4j stopped and is being restarted; answers from memory still work.")
	}
	if m.Store == nil {
		return state("unavailable", "no store")
	}
	if err := m.Store.Ping(ctx); err != nil {
		return state("unavailable", cobuild.ErrorMessage(err))
	}
	return nil
}

// state is an UNAVAILABLE error naming the server's state for /readyz.
func state(status, message string) error {
	return &cobuild.Error{Code: cobuild.EUNAVAILABLE, Message: message, Extensions: map[string]any{"status": status}}
}

// openAuth builds the token verifier: of the configured keys, or of the install's own
// signing key, created in the data folder at the first start.
func (m *Main) openAuth() error {
	cfg := m.Config.Auth
	cfg.Logger = m.Log
	if !cfg.Configured() {
		file, err := SigningKeyFile(m.Config.Local.DataDir)
		if err != nil {
			return err
		}
		key, created, err := auth.LoadOrCreateKey(file)
		if err != nil {
			return err
		}
		if created {
			m.Log.Info("signing key created", "file", file)
		}
		cfg.Secret = key
		m.Signer = &auth.Signer{Secret: key, Claims: cfg.Claims, Issuer: cfg.Issuer, Audience: cfg.Audience}
	}
	// The key set of a JWKS URL is fetched again until Close.
	ctx, stop := context.WithCancel(context.Background())
	v, err := auth.NewVerifier(ctx, cfg)
	if err != nil {
		stop()
		return fmt.Errorf("tokens: %w", err)
	}
	m.Verifier, m.stopAuth = v, stop
	return nil
}

// SigningKeyFile is where the install's signing key is kept: auth.KeyFile in the local
// Neo4j's data folder (default .cobuild/neo4j/data), a relative folder resolved as the
// local Neo4j resolves it, against the module root above the working directory.
func SigningKeyFile(dataDir string) (string, error) {
	if dataDir == "" {
		dataDir = filepath.Join(".cobuild", "neo4j", "data")
	}
	if !filepath.IsAbs(dataDir) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		if root, ok := neo4jlocal.ModuleRoot(wd); ok {
			wd = root
		}
		dataDir = filepath.Join(wd, dataDir)
	}
	return filepath.Join(dataDir, auth.KeyFile), nil
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
	if m.stopAuth != nil {
		m.stopAuth()
	}
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
	return server.Handler(server.Config{Resolvers: m.Resolvers, Ready: m.Ready, Logger: m.Log,
		CORSOrigins: m.Config.CORSOrigins, RequestTimeout: m.Config.RequestTimeout, Stopping: m.stopping,
		Metrics: m.Metrics, Rate: m.Config.Rate, Auth: m.Verifier, Persisted: m.Config.Persisted, Export: m.Config.Export})
}

// Run serves the API until ctx is done: it opens what Open opens (unless it is open
// already), seeds the demo data into the local Neo4j (or into a configured one with
// SeedDemo), keeps the snapshots current, and listens at once (so that /healthz answers);
// once today's snapshots are built it is ready (/readyz) and calls ready with the address
// it listens on. When ctx is done it drains (see server.Serve) and returns nil.
func (m *Main) Run(ctx context.Context, ready func(net.Addr)) error {
	if m.Store == nil {
		if err := m.Open(ctx); err != nil {
			return err
		}
	}
	if (m.Local != nil || m.Config.SeedDemo) && !m.Config.NoSeed {
		if err := m.SeedIfEmpty(ctx, false); err != nil {
			return err
		}
	}
	if _, err := m.Snapshots.Refresh(ctx); err != nil {
		return fmt.Errorf("read the graph's version: %w", err)
	}
	go m.Snapshots.Watch(ctx)
	addr := m.Config.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := server.Listen(addr)
	if err != nil {
		return err
	}
	go func() {
		// Until today's snapshots exist the server is not ready; a failed build (Neo4j
		// away) is tried again.
		for wait := time.Second; ; wait = min(2*wait, 30*time.Second) {
			err := m.Prebuild(ctx)
			if err == nil {
				break
			}
			m.Log.Warn("prebuild snapshots; trying again", "err", err, "in", wait.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		if ready != nil {
			ready(ln.Addr())
		}
	}()
	drain := m.Config.Drain
	if drain <= 0 {
		drain = 10 * time.Second
	}
	err = server.Serve(ctx, ln, m.Handler(), drain, func() {
		m.Log.Warn("drain time over; stopping the requests still running", "drain", drain)
		m.stopRequests()
	})
	m.Log.Info("server stopped")
	return err
}

// Prebuild builds today's network, places and census ahead of the first request that
// needs them; once they are built the server is ready.
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
	// The first reads of a change's rows and ties are planned by Neo4j now, not when the
	// first write comes (seconds on a fresh Neo4j).
	start := time.Now()
	if err := m.Snapshots.Warm(ctx); err != nil {
		m.Log.Warn("following the change log not warmed up", "err", err)
	} else {
		m.Log.Info("following the change log warmed up", "ms", time.Since(start).Milliseconds())
	}
	m.prebuilt.Store(true)
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
