// Command cobuild serves the joint-building network over GraphQL.
//
//	cobuild serve          start the API (and a local Neo4j with the demo data if no NEO4J_URI)
//	cobuild seed           load the demo data set into Neo4j
//	cobuild token          print a token signed with the install's key
//	cobuild export         write a query's list to .xlsx or CSV
//	cobuild neo4j exec -- CMD...   run CMD with a local Neo4j, its address in NEO4J_URI
//
// Every flag has an environment variable; see the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cobuild/app"
	"cobuild/auth"
	"cobuild/limits"
	"cobuild/neo4jlocal"
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
  import      [-dry-run] [-skip-bad-rows] FILE...  import the district's .xlsx and CSV files
              (-template KIND writes the template of a kind of file)
  demo        -write DIR [-format csv|xlsx]  write the demo data set as the files a district
              brings, for cobuild import
  token       -role R [-area ID...] [-subject S] [-ttl D]  print a token signed with the
              install's key (or the configured HMAC secret)
  export      [-url URL -token T] (-query Q | -query-file F | -registry) [-variables JSON]
              [-format xlsx|csv] [-o FILE]  write the table of a query's first list, through
              a running server or, without -url, over the store (as -role, default admin)
  neo4j exec  -- CMD [ARGS...]  run a command with a local Neo4j, exporting NEO4J_URI,
              NEO4J_USER and NEO4J_PASSWORD to it
  neo4j start run the local Neo4j in the foreground until interrupted, printing its
              address and password (kept in the data folder's neo4j-password file)

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
	case "import":
		return importCmd(ctx, args[1:], os.Stdout)
	case "demo":
		return demoCmd(args[1:], os.Stdout)
	case "token":
		return token(args[1:], os.Stdout)
	case "export":
		return exportCmd(ctx, args[1:], os.Stdout)
	case "neo4j":
		return neo4jCmd(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Println(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

// options are the flags every command shares, each defaulting to its environment variable.
type options struct {
	cfg       app.Config
	logFormat string
	// Which tokens are accepted (authFlags), read into cfg.Auth by readAuth.
	secretFile, publicKeys string
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

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

// flags registers the shared flags.
func flags(fs *flag.FlagSet, o *options) {
	c := &o.cfg
	fs.StringVar(&c.Neo4j.URI, "neo4j-uri", env("NEO4J_URI", ""), "Neo4j URI, bolt:// or neo4j:// (env NEO4J_URI); empty starts a local Neo4j")
	fs.StringVar(&c.Neo4j.User, "neo4j-user", env("NEO4J_USER", "neo4j"), "Neo4j user (env NEO4J_USER)")
	fs.StringVar(&c.Neo4j.Password, "neo4j-password", env("NEO4J_PASSWORD", ""), "Neo4j password (env NEO4J_PASSWORD)")
	fs.StringVar(&c.Neo4j.Database, "neo4j-database", env("NEO4J_DATABASE", ""), "Neo4j database (env NEO4J_DATABASE); empty for the default")
	fs.DurationVar(&c.Neo4j.Timeout, "query-timeout", 15*time.Second, "timeout of one Neo4j transaction")
	fs.StringVar(&c.Local.DataDir, "data-dir", env("COBUILD_DATA_DIR", ".cobuild/neo4j/data"), "local Neo4j: database folder, kept between runs (env COBUILD_DATA_DIR)")
	fs.StringVar(&c.Local.Heap, "neo4j-heap", env("COBUILD_NEO4J_HEAP", "1g"), "local Neo4j: JVM heap (env COBUILD_NEO4J_HEAP)")
	fs.StringVar(&c.Local.PageCache, "neo4j-pagecache", env("COBUILD_NEO4J_PAGECACHE", "256m"), "local Neo4j: page cache (env COBUILD_NEO4J_PAGECACHE)")
	fs.IntVar(&c.Local.Port, "neo4j-port", envInt("COBUILD_NEO4J_PORT", 0), "local Neo4j: Bolt port on 127.0.0.1, 0 for any free port (env COBUILD_NEO4J_PORT)")
	fs.StringVar(&c.RulesFile, "rules", env("COBUILD_RULES", ""), "JSON file overriding the rules' defaults (env COBUILD_RULES)")
	fs.StringVar(&o.logFormat, "log-format", env("COBUILD_LOG_FORMAT", "text"), "text or json (env COBUILD_LOG_FORMAT)")
	fs.IntVar(&c.Seed.Scale, "scale", envInt("COBUILD_SEED_SCALE", 1), "demo data: 1 is the district, N multiplies the population (env COBUILD_SEED_SCALE)")
	fs.Int64Var(&c.Seed.Seed, "seed", 20231021, "demo data: random seed")
}

// authFlags registers the flags of the tokens accepted.
func authFlags(fs *flag.FlagSet, o *options) {
	a := &o.cfg.Auth
	fs.StringVar(&o.secretFile, "jwt-secret-file", env("COBUILD_JWT_SECRET_FILE", ""), "file holding an HMAC secret of 32 bytes or more that tokens are signed with (env COBUILD_JWT_SECRET_FILE; or the secret itself in COBUILD_JWT_SECRET)")
	fs.StringVar(&o.publicKeys, "jwt-public-keys", env("COBUILD_JWT_PUBLIC_KEYS", ""), "comma-separated PEM files of RSA, ECDSA or Ed25519 public keys that tokens are signed with (env COBUILD_JWT_PUBLIC_KEYS)")
	fs.StringVar(&a.JWKSURL, "jwks-url", env("COBUILD_JWKS_URL", ""), "JSON Web Key Set URL of the single sign-on that signs tokens (env COBUILD_JWKS_URL)")
	fs.DurationVar(&a.JWKSRefresh, "jwks-refresh", envDuration("COBUILD_JWKS_REFRESH", time.Hour), "how often the JWKS is fetched again (env COBUILD_JWKS_REFRESH)")
	fs.StringVar(&a.Issuer, "jwt-issuer", env("COBUILD_JWT_ISSUER", ""), "when set, tokens must have this iss (env COBUILD_JWT_ISSUER)")
	fs.StringVar(&a.Audience, "jwt-audience", env("COBUILD_JWT_AUDIENCE", ""), "when set, tokens must have this aud (env COBUILD_JWT_AUDIENCE)")
	fs.StringVar(&a.Claims.Subject, "jwt-subject-claim", env("COBUILD_JWT_SUBJECT_CLAIM", "sub"), "claim naming the user (env COBUILD_JWT_SUBJECT_CLAIM)")
	fs.StringVar(&a.Claims.Role, "jwt-role-claim", env("COBUILD_JWT_ROLE_CLAIM", "role"), "claim holding the role as a string (env COBUILD_JWT_ROLE_CLAIM)")
	fs.StringVar(&a.Claims.Roles, "jwt-roles-claim", env("COBUILD_JWT_ROLES_CLAIM", "roles"), "claim holding roles as an array, the first known one winning (env COBUILD_JWT_ROLES_CLAIM)")
	fs.StringVar(&a.Claims.Areas, "jwt-areas-claim", env("COBUILD_JWT_AREAS_CLAIM", "areas"), "claim holding an officer's area ids as an array (env COBUILD_JWT_AREAS_CLAIM)")
}

// readAuth reads the keys the auth flags name into cfg.Auth.
func (o *options) readAuth() error {
	a := &o.cfg.Auth
	if v := os.Getenv("COBUILD_JWT_SECRET"); v != "" {
		a.Secret = []byte(v)
	}
	if o.secretFile != "" {
		b, err := os.ReadFile(o.secretFile)
		if err != nil {
			return fmt.Errorf("read the HMAC secret: %w", err)
		}
		a.Secret = []byte(strings.TrimSpace(string(b)))
	}
	if files := splitList(o.publicKeys); len(files) > 0 {
		keys, err := auth.ReadPublicKeys(files...)
		if err != nil {
			return err
		}
		a.PublicKeys = keys
	}
	return nil
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func (o options) logger() *slog.Logger {
	if o.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var o options
	flags(fs, &o)
	c := &o.cfg
	var cors string
	fs.StringVar(&c.Addr, "addr", env("COBUILD_ADDR", "127.0.0.1:8080"), "listen address (env COBUILD_ADDR)")
	fs.IntVar(&c.Pages.Default, "page-default", envInt("COBUILD_PAGE_DEFAULT", 50), "rows per page when first is not given (env COBUILD_PAGE_DEFAULT)")
	fs.IntVar(&c.Pages.Max, "page-max", envInt("COBUILD_PAGE_MAX", 500), "largest first allowed (env COBUILD_PAGE_MAX)")
	fs.StringVar(&cors, "cors-origins", env("COBUILD_CORS_ORIGINS", ""), "comma-separated origins whose browser pages may call /graphql, such as https://dash.example.org, or * for any; empty for the same origin only (env COBUILD_CORS_ORIGINS)")
	fs.DurationVar(&c.Snapshots.Poll, "snapshot-poll", 200*time.Millisecond, "how often the graph's version is read, so that a change made elsewhere is seen within it")
	fs.DurationVar(&c.Drain, "drain", 10*time.Second, "on SIGTERM or Ctrl-C, how long requests in flight may finish before the rest are stopped with UNAVAILABLE")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", 30*time.Second, "longest one GraphQL request may run; its Cypher stops with it")
	fs.DurationVar(&c.Export.Timeout, "export-timeout", 2*time.Minute, "longest one export (/export) may run, all of its pages")
	fs.IntVar(&c.Export.MaxRows, "export-max-rows", envInt("COBUILD_EXPORT_MAX_ROWS", 100_000), "most rows of one export; more is LIMIT_EXCEEDED (env COBUILD_EXPORT_MAX_ROWS)")
	fs.Float64Var(&c.Rate.Rate, "rate", envFloat("COBUILD_RATE", 50), "requests a second one client (a token's subject, or an address) may send to /graphql on average, 0 for no bound (env COBUILD_RATE)")
	fs.IntVar(&c.Rate.Burst, "rate-burst", envInt("COBUILD_RATE_BURST", 100), "requests one client may send at once (env COBUILD_RATE_BURST)")
	fs.BoolVar(&c.NoSeed, "no-seed", false, "seed nothing, not even into the local Neo4j: serve what the database holds")
	fs.BoolVar(&c.SeedDemo, "seed-demo", false, "seed the demo data even when NEO4J_URI is set (refused on a database holding other data)")
	authFlags(fs, &o)
	signinTTL := fs.Duration("signin-ttl", envDuration("COBUILD_SIGNIN_TTL", 12*time.Hour), "lifetime of the admin sign-in link printed at start, when the install signs its own tokens (env COBUILD_SIGNIN_TTL)")
	var allow string
	fs.StringVar(&allow, "allow-list", env("COBUILD_ALLOW_LIST", ""), "run only registered operations: \"builtin\" for the dashboard's, or a persisted query manifest file whose operations are allowed beside them; empty runs any operation (env COBUILD_ALLOW_LIST)")
	limitFlags(fs, &c.Limits)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if c.Persisted.AllowList, err = server.LoadAllowList(allow); err != nil {
		return err
	}
	if err := o.readAuth(); err != nil {
		return err
	}
	if c.Pages.Default < 1 || c.Pages.Max < c.Pages.Default {
		return fmt.Errorf("page sizes: need 1 <= page-default <= page-max")
	}
	c.CORSOrigins = splitList(cors)
	m := &app.Main{Config: *c, Log: o.logger()}
	defer m.Close()
	if c.Persisted.AllowList != nil {
		m.Log.Info("allow-list: only registered operations run", "operations", len(c.Persisted.AllowList))
	}
	return m.Run(ctx, func(a net.Addr) {
		m.Log.Info("cobuild is ready", "dashboard", "http://"+a.String()+"/dashboard/", "graphiql", "http://"+a.String()+"/",
			"graphql", "http://"+a.String()+"/graphql")
		fmt.Fprintf(os.Stderr, "\n  cobuild is ready: the dashboard is at http://%s/dashboard/, GraphiQL at http://%s/, the API at http://%s/graphql\n", a, a, a)
		if m.Signer == nil {
			fmt.Fprintf(os.Stderr, "  sign in with a token of your single sign-on at http://%s/signin\n\n", a)
			return
		}
		// The person who started the server is its admin: a link that signs them in. The
		// token is printed to the terminal only, never logged.
		t, err := m.Signer.Sign(auth.Principal{Subject: localUser(), Role: auth.Admin}, *signinTTL)
		if err != nil {
			m.Log.Error("sign-in link", "err", err)
			return
		}
		fmt.Fprintf(os.Stderr, "  sign in (admin, for %s): http://%s/signin?token=%s\n\n", signinTTL.Round(time.Minute), a, t)
	})
}

// limitFlags registers the limits of one request, each defaulting to its environment
// variable, then to limits.Default. A request past one is refused with LIMIT_EXCEEDED.
func limitFlags(fs *flag.FlagSet, l *limits.Config) {
	d := limits.Default
	fs.Int64Var(&l.MaxBodyBytes, "max-body-bytes", int64(envInt("COBUILD_MAX_BODY_BYTES", int(d.MaxBodyBytes))), "largest request body, or GET query string, in bytes; larger is 413 (env COBUILD_MAX_BODY_BYTES)")
	fs.IntVar(&l.MaxTokens, "max-tokens", envInt("COBUILD_MAX_TOKENS", d.MaxTokens), "most lexical tokens of a GraphQL document (env COBUILD_MAX_TOKENS)")
	fs.IntVar(&l.MaxFields, "max-fields", envInt("COBUILD_MAX_FIELDS", d.MaxFields), "most fields a document selects, fragments counted where spread (env COBUILD_MAX_FIELDS)")
	fs.IntVar(&l.MaxAliases, "max-aliases", envInt("COBUILD_MAX_ALIASES", d.MaxAliases), "most aliased fields of a document (env COBUILD_MAX_ALIASES)")
	fs.IntVar(&l.MaxDepth, "max-depth", envInt("COBUILD_MAX_DEPTH", d.MaxDepth), "deepest nesting of selections (env COBUILD_MAX_DEPTH)")
	fs.IntVar(&l.MaxCost, "max-cost", envInt("COBUILD_MAX_COST", d.MaxCost), "highest estimated cost of an operation: rows and lists it may fan out to, and network work (env COBUILD_MAX_COST)")
	fs.IntVar(&l.MaxListLength, "max-list-length", envInt("COBUILD_MAX_LIST_LENGTH", d.MaxListLength), "most items of a list argument or variable (env COBUILD_MAX_LIST_LENGTH)")
	fs.IntVar(&l.MaxErrors, "max-errors", envInt("COBUILD_MAX_ERRORS", d.MaxErrors), "most errors listed in one response (env COBUILD_MAX_ERRORS)")
	fs.IntVar(&l.ListSize, "cost-list-size", envInt("COBUILD_COST_LIST_SIZE", d.ListSize), "items the cost counts for a list that no argument bounds (env COBUILD_COST_LIST_SIZE)")
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

// localUser names the person running the command, for the subject of their tokens.
func localUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "local:" + u.Username
	}
	return "local"
}

// areaList collects -area flags, each one id or a comma-separated list.
type areaList []string

func (l *areaList) String() string { return strings.Join(*l, ",") }

func (l *areaList) Set(v string) error {
	*l = append(*l, splitList(v)...)
	return nil
}

// token prints a token signed with the configured HMAC secret, or with the install's own
// key (created in the data folder if it is not there yet).
func token(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	var o options
	flags(fs, &o)
	authFlags(fs, &o)
	role := fs.String("role", "", "admin, analyst, officer or viewer")
	var areas areaList
	fs.Var(&areas, "area", "an officer's area id (ar-…); repeat the flag or separate ids by commas")
	subject := fs.String("subject", localUser(), "who the token names (sub)")
	ttl := fs.Duration("ttl", 12*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token: unexpected arguments %q", fs.Args())
	}
	if err := o.readAuth(); err != nil {
		return err
	}
	r := auth.Role(strings.ToLower(*role))
	if !r.Valid() {
		return fmt.Errorf("token: -role must be one of %v", auth.Roles)
	}
	a := o.cfg.Auth
	key := a.Secret
	if len(key) == 0 {
		if a.Configured() {
			return errors.New("token: tokens come from the configured public keys or JWKS (a single sign-on); cobuild signs only with an HMAC secret or its own key")
		}
		file, err := app.SigningKeyFile(o.cfg.Local.DataDir)
		if err != nil {
			return err
		}
		if key, _, err = auth.LoadOrCreateKey(file); err != nil {
			return err
		}
	}
	s := auth.Signer{Secret: key, Claims: a.Claims, Issuer: a.Issuer, Audience: a.Audience}
	t, err := s.Sign(auth.Principal{Subject: *subject, Role: r, Areas: areas}, *ttl)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	_, err = fmt.Fprintln(out, t)
	return err
}

func seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	var o options
	flags(fs, &o)
	force := fs.Bool("force", false, "wipe the database and seed again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m := &app.Main{Config: o.cfg, Log: o.logger()}
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
	var o options
	flags(fs, &o)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "exec" && fs.NArg() == 0 {
		return errors.New("neo4j exec: give the command to run after --")
	}
	local := o.cfg.Local
	local.Logger = o.logger()
	srv, err := neo4jlocal.Start(ctx, local)
	if err != nil {
		return err
	}
	defer srv.Close()
	if args[0] == "start" {
		fmt.Fprintf(os.Stderr, "Neo4j on %s (user %s, password %s, kept in %s); Ctrl-C stops it\n",
			srv.URI(), srv.User(), srv.Password(), filepath.Join(srv.DataDir(), neo4jlocal.PasswordFile))
		<-ctx.Done()
		return nil
	}
	cmd := exec.CommandContext(ctx, fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "NEO4J_URI="+srv.URI(), "NEO4J_USER="+srv.User(), "NEO4J_PASSWORD="+srv.Password())
	return cmd.Run()
}
