package neo4jlocal

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// startOrSkip starts a server, skipping the test when java, javac or mvn is
// missing, except under CI (env CI set), where a missing tool is a failure.
func startOrSkip(t *testing.T, ctx context.Context, opts Options) *Server {
	t.Helper()
	srv, err := Start(ctx, opts)
	if errors.Is(err, ErrMissingTool) && os.Getenv("CI") == "" {
		t.Skipf("skipping (set CI to make this fail): %v", err)
	}
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return srv
}

func testLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// TestServer starts a real Neo4j in a temporary data dir (reusing the jar
// cache in the default Dir), talks to it with the Go driver, checks the data
// dir lock, restarts it on the same data, and checks the JVM is gone after Close.
func TestServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute) // the first run fetches ~120 MB
	defer cancel()
	dataDir := t.TempDir()
	opts := Options{DataDir: dataDir, Logger: testLogger(), Heap: "512m", PageCache: "64m"}

	srv := startOrSkip(t, ctx, opts)
	defer srv.Close()
	if !strings.HasPrefix(srv.URI(), "bolt://127.0.0.1:") || srv.Port() == 0 {
		t.Fatalf("URI() = %q, Port() = %d", srv.URI(), srv.Port())
	}
	if recorded, err := ReadPassword(dataDir); srv.User() != "neo4j" || err != nil || srv.Password() != recorded {
		t.Fatalf("User(), Password() = %q, %q; recorded password %q, %v", srv.User(), srv.Password(), recorded, err)
	}

	driver := connect(t, ctx, srv, srv.Password())
	res, err := neo4j.ExecuteQuery(ctx, driver, "RETURN 1 AS n", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("RETURN 1: %v", err)
	}
	if n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "n"); err != nil || n != 1 {
		t.Fatalf("RETURN 1 gave %v, %v", n, err)
	}
	_, err = neo4j.ExecuteQuery(ctx, driver, "CREATE (:CobuildTest {name: $name})",
		map[string]any{"name": "first"}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("CREATE: %v", err)
	}
	if got := readNames(t, ctx, driver); got != "first" {
		t.Fatalf("names after CREATE = %q, want %q", got, "first")
	}
	if err := driver.Close(ctx); err != nil {
		t.Errorf("driver.Close: %v", err)
	}

	// Authentication is really on: a wrong password is refused.
	bad, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.BasicAuth(srv.User(), "wrong-password", ""))
	if err != nil {
		t.Fatalf("NewDriverWithContext: %v", err)
	}
	if err := bad.VerifyConnectivity(ctx); err == nil {
		t.Errorf("connecting with a wrong password succeeded")
	}
	_ = bad.Close(ctx)

	// A second server on the same data dir must report the lock clearly.
	lockedOpts := opts
	lockedOpts.Heap = "256m"
	if other, err := Start(ctx, lockedOpts); err == nil {
		other.Close()
		t.Errorf("second Start on a data dir in use succeeded")
	} else if !errors.Is(err, ErrDataDirLocked) {
		t.Errorf("second Start on a data dir in use: got %v, want ErrDataDirLocked", err)
	} else {
		t.Logf("second Start, as expected: %v", err)
	}

	pid, port := srv.PID(), srv.Port()
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	checkGone(t, pid, port)

	// Restart on the same data: the node is still there and the password
	// (already set by the first start) still works.
	start := time.Now()
	srv2 := startOrSkip(t, ctx, opts)
	defer srv2.Close()
	t.Logf("restart took %v", time.Since(start).Round(100*time.Millisecond))
	driver2 := connect(t, ctx, srv2, srv2.Password())
	if got := readNames(t, ctx, driver2); got != "first" {
		t.Errorf("names after restart = %q, want %q", got, "first")
	}
	_ = driver2.Close(ctx)
	pid, port = srv2.PID(), srv2.Port()
	if err := srv2.Close(); err != nil {
		t.Fatalf("Close after restart: %v", err)
	}
	checkGone(t, pid, port)
}

// TestPasswordFile starts Neo4j four times on one data folder: made the way
// releases before per-install passwords made it (initial password
// "cobuild-local", no password file), it gets a random password of its own
// at the next start, recorded with mode 0600 and its data kept; the start
// after reuses that password; an explicit Password is used and replaces it.
func TestPasswordFile(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	dataDir := t.TempDir()
	file := filepath.Join(dataDir, PasswordFile)
	opts := Options{DataDir: dataDir, Logger: testLogger(), Heap: "512m", PageCache: "64m"}
	const published = "cobuild-local"

	legacy := opts
	legacy.Password = published
	srv := startOrSkip(t, ctx, legacy)
	if srv.Password() != published {
		t.Fatalf("Password() = %q with Options.Password %q", srv.Password(), published)
	}
	driver := connect(t, ctx, srv, published)
	if _, err := neo4j.ExecuteQuery(ctx, driver, "CREATE (:CobuildTest {name: 'kept'})", nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatalf("CREATE: %v", err)
	}
	_ = driver.Close(ctx)
	closeAndCheck(t, srv)
	if err := os.Remove(file); err != nil {
		t.Fatalf("remove the password file, as releases before it left none: %v", err)
	}

	// The folder of an earlier release gets a password of its own.
	srv = startOrSkip(t, ctx, opts)
	own := srv.Password()
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{24}$`).MatchString(own) {
		t.Errorf("generated password %q: want 24 url-safe characters", own)
	}
	checkPasswordFile(t, file, own)
	checkRefused(t, ctx, srv, published)
	driver = connect(t, ctx, srv, own)
	if got := readNames(t, ctx, driver); got != "kept" {
		t.Errorf("names after the switch to a password of its own = %q, want %q", got, "kept")
	}
	_ = driver.Close(ctx)
	closeAndCheck(t, srv)

	// The next start reuses it.
	srv = startOrSkip(t, ctx, opts)
	if srv.Password() != own {
		t.Errorf("Password() on the second start = %q, want the recorded %q", srv.Password(), own)
	}
	checkPasswordFile(t, file, own)
	_ = connect(t, ctx, srv, own).Close(ctx)
	closeAndCheck(t, srv)

	// An explicit password wins, and becomes the recorded one.
	explicit := opts
	explicit.Password = "explicit-password"
	srv = startOrSkip(t, ctx, explicit)
	if srv.Password() != explicit.Password {
		t.Errorf("Password() = %q with Options.Password %q", srv.Password(), explicit.Password)
	}
	checkPasswordFile(t, file, explicit.Password)
	checkRefused(t, ctx, srv, own)
	_ = connect(t, ctx, srv, explicit.Password).Close(ctx)
	closeAndCheck(t, srv)
}

// closeAndCheck closes srv and checks that its JVM and listener are gone.
func closeAndCheck(t *testing.T, srv *Server) {
	t.Helper()
	pid, port := srv.PID(), srv.Port()
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkGone(t, pid, port)
}

// checkPasswordFile checks that file holds want and only its owner may read it.
func checkPasswordFile(t *testing.T, file, want string) {
	t.Helper()
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatalf("password file: %v", err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("password file mode = %#o, want 0600", mode)
	}
	if got, err := ReadPassword(filepath.Dir(file)); err != nil || got != want {
		t.Errorf("ReadPassword = %q, %v; want %q", got, err, want)
	}
}

// checkRefused fails the test if user neo4j can log in with password.
func checkRefused(t *testing.T, ctx context.Context, srv *Server, password string) {
	t.Helper()
	d, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.BasicAuth(srv.User(), password, ""))
	if err != nil {
		t.Fatalf("NewDriverWithContext: %v", err)
	}
	defer d.Close(ctx)
	if err := d.VerifyConnectivity(ctx); err == nil {
		t.Errorf("logging in with the former password %q succeeded", password)
	}
}

func connect(t *testing.T, ctx context.Context, srv *Server, password string) neo4j.DriverWithContext {
	t.Helper()
	driver, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.BasicAuth(srv.User(), password, ""))
	if err != nil {
		t.Fatalf("NewDriverWithContext: %v", err)
	}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		t.Fatalf("VerifyConnectivity: %v", err)
	}
	return driver
}

func readNames(t *testing.T, ctx context.Context, driver neo4j.DriverWithContext) string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(ctx, driver,
		"MATCH (n:CobuildTest) RETURN n.name AS name ORDER BY name", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatalf("MATCH: %v", err)
	}
	var names []string
	for _, r := range res.Records {
		name, _, err := neo4j.GetRecordValue[string](r, "name")
		if err != nil {
			t.Fatalf("read name: %v", err)
		}
		names = append(names, name)
	}
	return strings.Join(names, ",")
}

// checkGone fails the test if the JVM with pid still runs or Bolt still listens.
func checkGone(t *testing.T, pid, port int) {
	t.Helper()
	if p, err := os.FindProcess(pid); err == nil {
		if err := p.Signal(syscall.Signal(0)); err == nil {
			t.Errorf("JVM pid %d still runs after Close", pid)
		}
	}
	if conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
		conn.Close()
		t.Errorf("port %d still accepts connections after Close", port)
	}
}

func TestOptionsDefaults(t *testing.T) {
	o, err := Options{}.withDefaults()
	if err != nil {
		t.Fatalf("withDefaults: %v", err)
	}
	root, ok := ModuleRoot(".")
	if !ok {
		t.Fatalf("ModuleRoot(.) found no go.mod")
	}
	if filepath.Base(root) == "neo4jlocal" {
		t.Fatalf("ModuleRoot(.) = %s, want the repository root", root)
	}
	want := Options{
		Dir:          filepath.Join(root, ".cobuild", "neo4j"),
		DataDir:      filepath.Join(root, ".cobuild", "neo4j", "data"),
		Version:      "5.26.30",
		PageCache:    "256m",
		Heap:         "1g",
		StartTimeout: 3 * time.Minute,
	}
	if o.Logger != slog.Default() {
		t.Errorf("Logger is not slog.Default()")
	}
	o.Logger = nil
	if o != want {
		t.Errorf("withDefaults() =\n%+v\nwant\n%+v", o, want)
	}

	o, err = Options{Dir: "x/y", DataDir: "/abs/data", Port: 7687}.withDefaults()
	if err != nil {
		t.Fatalf("withDefaults: %v", err)
	}
	if o.Dir != filepath.Join(root, "x", "y") || o.DataDir != "/abs/data" || o.Port != 7687 {
		t.Errorf("Dir, DataDir, Port = %q, %q, %d", o.Dir, o.DataDir, o.Port)
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"bad version", Options{Version: "5.26"}, "invalid Version"},
		{"version injection", Options{Version: "5.26.30</version>"}, "invalid Version"},
		{"negative port", Options{Port: -1}, "invalid Port"},
		{"big port", Options{Port: 65536}, "invalid Port"},
		{"bad page cache", Options{PageCache: "256 MB"}, "invalid PageCache"},
		{"bad heap", Options{Heap: "-1g"}, "invalid Heap"},
		{"short password", Options{Password: "short"}, "invalid Password"},
		{"password of two lines", Options{Password: "first-line\nsecond-line"}, "invalid Password"},
		{"negative timeout", Options{StartTimeout: -time.Second}, "invalid StartTimeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.opts.withDefaults()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("withDefaults() error = %v, want it to contain %q", err, tc.want)
			}
			if _, err := Start(context.Background(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Start() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestModuleRoot(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if root, ok := ModuleRoot(sub); !ok || root != dir {
		t.Errorf("ModuleRoot(%s) = %s, %v; want %s", sub, root, ok, dir)
	}
}

func TestParseJavaMajor(t *testing.T) {
	for out, want := range map[string]int{
		`openjdk version "17.0.15" 2025-04-15`: 17,
		`java version "1.8.0_392"`:             8,
		`openjdk version "21" 2023-09-19`:      21,
		"javac 17.0.15":                        17,
		"javac 1.8.0_392":                      8,
	} {
		got, err := parseJavaMajor(out)
		if err != nil || got != want {
			t.Errorf("parseJavaMajor(%q) = %d, %v; want %d", out, got, err, want)
		}
	}
	if _, err := parseJavaMajor("garbage"); err == nil {
		t.Errorf("parseJavaMajor(garbage) succeeded")
	}
}

func TestMissingTool(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Start(context.Background(), Options{Dir: t.TempDir()})
	if !errors.Is(err, ErrMissingTool) || !strings.Contains(err.Error(), "java not found on PATH") ||
		!strings.Contains(err.Error(), "apt-get install") {
		t.Errorf("Start without java on PATH: %v", err)
	}
}
