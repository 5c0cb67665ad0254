// Command cobuild serves the joint-building network over GraphQL.
//
//	cobuild serve          start the API (and a local Neo4j with the demo data if no NEO4J_URI)
//	cobuild seed           load the demo data set into Neo4j
//	cobuild neo4j exec -- CMD...   run CMD with a local Neo4j, its address in NEO4J_URI
//
// Every flag has an environment variable; see the README.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/demo"
	"cobuild/gqlmodel"
	"cobuild/loaders"
	"cobuild/neo4jlocal"
	"cobuild/neo4jstore"
	"cobuild/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cobuild:", err)
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			os.Exit(ee.ExitCode())
		}
		os.Exit(1)
	}
}

const usage = `usage: cobuild <command> [flags]

commands:
  serve       serve GraphQL (starts a local Neo4j with the demo data when NEO4J_URI is unset)
  seed        load the demo data set (into the local Neo4j when NEO4J_URI is unset)
  neo4j exec  -- CMD [ARGS...]  run a command with a local Neo4j, exporting NEO4J_URI,
              NEO4J_USER and NEO4J_PASSWORD to it
  neo4j start run the local Neo4j in the foreground until interrupted

run "cobuild <command> -h" for the flags of a command`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:])
	case "seed":
		return seed(ctx, args[1:])
	case "neo4j":
		return neo4jCmd(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Println(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

// Config is the configuration shared by the commands.
type Config struct {
	Neo4j       neo4jstore.Config
	DataDir     string
	Neo4jHeap   string
	Neo4jCache  string
	Neo4jPort   int
	RulesFile   string
	LogFormat   string
	SeedScale   int
	Seed        int64
	Addr        string
	PageDefault int
	PageMax     int
	Timeout     time.Duration
	CORSOrigins string
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// flags registers the shared flags, each defaulting to its environment variable.
func flags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Neo4j.URI, "neo4j-uri", env("NEO4J_URI", ""), "Neo4j URI, bolt:// or neo4j:// (env NEO4J_URI); empty starts a local Neo4j")
	fs.StringVar(&c.Neo4j.User, "neo4j-user", env("NEO4J_USER", "neo4j"), "Neo4j user (env NEO4J_USER)")
	fs.StringVar(&c.Neo4j.Password, "neo4j-password", env("NEO4J_PASSWORD", ""), "Neo4j password (env NEO4J_PASSWORD)")
	fs.StringVar(&c.Neo4j.Database, "neo4j-database", env("NEO4J_DATABASE", ""), "Neo4j database (env NEO4J_DATABASE); empty for the default")
	fs.DurationVar(&c.Timeout, "query-timeout", 15*time.Second, "timeout of one Neo4j transaction")
	fs.StringVar(&c.DataDir, "data-dir", env("COBUILD_DATA_DIR", ".cobuild/neo4j/data"), "local Neo4j: database folder, kept between runs (env COBUILD_DATA_DIR)")
	fs.StringVar(&c.Neo4jHeap, "neo4j-heap", env("COBUILD_NEO4J_HEAP", "1g"), "local Neo4j: JVM heap (env COBUILD_NEO4J_HEAP)")
	fs.StringVar(&c.Neo4jCache, "neo4j-pagecache", env("COBUILD_NEO4J_PAGECACHE", "256m"), "local Neo4j: page cache (env COBUILD_NEO4J_PAGECACHE)")
	fs.IntVar(&c.Neo4jPort, "neo4j-port", envInt("COBUILD_NEO4J_PORT", 0), "local Neo4j: Bolt port on 127.0.0.1, 0 for any free port (env COBUILD_NEO4J_PORT)")
	fs.StringVar(&c.RulesFile, "rules", env("COBUILD_RULES", ""), "JSON file overriding the rules' defaults (env COBUILD_RULES)")
	fs.StringVar(&c.LogFormat, "log-format", env("COBUILD_LOG_FORMAT", "text"), "text or json (env COBUILD_LOG_FORMAT)")
	fs.IntVar(&c.SeedScale, "scale", envInt("COBUILD_SEED_SCALE", 1), "demo data: 1 is the district, N multiplies the population (env COBUILD_SEED_SCALE)")
	fs.Int64Var(&c.Seed, "seed", 20231021, "demo data: random seed")
}

func (c Config) logger() *slog.Logger {
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// rules reads the rules: the defaults, overridden by the JSON file if one is given.
func (c Config) rules() (cobuild.Rules, error) {
	r := cobuild.DefaultRules()
	if c.RulesFile != "" {
		b, err := os.ReadFile(c.RulesFile)
		if err != nil {
			return r, fmt.Errorf("read rules: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return r, fmt.Errorf("rules file %s: %w", c.RulesFile, err)
		}
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("rules: %w", err)
	}
	return r, nil
}

// Main holds what the commands open, so that Close releases it in order.
type Main struct {
	Config Config
	Log    *slog.Logger
	Rules  cobuild.Rules
	Local  *neo4jlocal.Server
	Store  *neo4jstore.Store
}

// Open starts a local Neo4j when no URI is configured, connects, and applies migrations.
func (m *Main) Open(ctx context.Context) error {
	rules, err := m.Config.rules()
	if err != nil {
		return err
	}
	m.Rules = rules
	cfg := m.Config.Neo4j
	if cfg.URI == "" {
		m.Local, err = startLocal(ctx, m.Config, m.Log)
		if err != nil {
			return err
		}
		cfg.URI, cfg.User, cfg.Password = m.Local.URI(), m.Local.User(), m.Local.Password()
	}
	cfg.Timeout = m.Config.Timeout
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
	return nil
}

func startLocal(ctx context.Context, c Config, log *slog.Logger) (*neo4jlocal.Server, error) {
	return neo4jlocal.Start(ctx, neo4jlocal.Options{
		DataDir: c.DataDir, Heap: c.Neo4jHeap, PageCache: c.Neo4jCache, Port: c.Neo4jPort, Logger: log,
	})
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

// SeedIfEmpty loads the demo data set unless the database already holds it.
func (m *Main) SeedIfEmpty(ctx context.Context, force bool) error {
	start := time.Now()
	last := time.Now()
	opts := demo.Options{Seed: m.Config.Seed, Scale: m.Config.SeedScale}
	seeded, err := m.Store.SeedIfEmpty(ctx, opts, force, func(done, total int) {
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

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c Config
	flags(fs, &c)
	fs.StringVar(&c.Addr, "addr", env("COBUILD_ADDR", "127.0.0.1:8080"), "listen address (env COBUILD_ADDR)")
	fs.IntVar(&c.PageDefault, "page-default", envInt("COBUILD_PAGE_DEFAULT", 50), "rows per page when first is not given (env COBUILD_PAGE_DEFAULT)")
	fs.IntVar(&c.PageMax, "page-max", envInt("COBUILD_PAGE_MAX", 500), "largest first allowed (env COBUILD_PAGE_MAX)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", env("COBUILD_CORS_ORIGINS", ""), "comma-separated origins whose browser pages may call /graphql, such as https://dash.example.org, or * for any; empty for the same origin only (env COBUILD_CORS_ORIGINS)")
	seedFlag := fs.Bool("seed-demo", false, "seed the demo data even when NEO4J_URI is set (refused on a database holding other data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.PageDefault < 1 || c.PageMax < c.PageDefault {
		return fmt.Errorf("page sizes: need 1 <= page-default <= page-max")
	}
	m := &Main{Config: c, Log: c.logger()}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	if m.Local != nil || *seedFlag {
		if err := m.SeedIfEmpty(ctx, false); err != nil {
			return err
		}
	}
	network := analytics.NewService(m.Store, m.Rules)
	go func() {
		// Build today's network and census ahead of the first request that needs them.
		p, err := network.Projection(ctx, gqlmodel.Today(), nil)
		if err != nil {
			m.Log.Warn("prebuild network projection", "err", err)
			return
		}
		m.Log.Info("network projection built", "nodes", p.Graph.Nodes(), "ties", p.Graph.Ties(), "ms", p.BuildTime.Milliseconds())
		c, err := network.Census(ctx, gqlmodel.Today())
		if err != nil {
			m.Log.Warn("prebuild census", "err", err)
			return
		}
		m.Log.Info("census built", "organisations", len(c.Rows), "ms", c.BuildTime.Milliseconds())
	}()
	h := server.Handler(server.Config{
		Reader: m.Store, Ping: m.Store.Ping, Logger: m.Log, CORSOrigins: splitList(c.CORSOrigins),
		Settings: loaders.Settings{Rules: m.Rules, DefaultPageSize: c.PageDefault, MaxPageSize: c.PageMax,
			Network: network},
	})
	return server.Serve(ctx, c.Addr, h, func(a net.Addr) {
		m.Log.Info("cobuild is ready", "dashboard", "http://"+a.String()+"/dashboard/", "graphiql", "http://"+a.String()+"/",
			"graphql", "http://"+a.String()+"/graphql")
		fmt.Fprintf(os.Stderr, "\n  cobuild is ready: the dashboard is at http://%s/dashboard/, GraphiQL at http://%s/, the API at http://%s/graphql\n\n", a, a, a)
	})
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	var c Config
	flags(fs, &c)
	force := fs.Bool("force", false, "wipe the database and seed again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m := &Main{Config: c, Log: c.logger()}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	return m.SeedIfEmpty(ctx, *force)
}

func neo4jCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "exec" && args[0] != "start") {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("neo4j "+args[0], flag.ContinueOnError)
	var c Config
	flags(fs, &c)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	log := c.logger()
	if args[0] == "exec" && fs.NArg() == 0 {
		return errors.New("neo4j exec: give the command to run after --")
	}
	srv, err := startLocal(ctx, c, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	if args[0] == "start" {
		fmt.Fprintf(os.Stderr, "Neo4j on %s (user %s, password %s); Ctrl-C stops it\n", srv.URI(), srv.User(), srv.Password())
		<-ctx.Done()
		return nil
	}
	cmd := exec.CommandContext(ctx, fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "NEO4J_URI="+srv.URI(), "NEO4J_USER="+srv.User(), "NEO4J_PASSWORD="+srv.Password())
	return cmd.Run()
}
