package neo4jlocal

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
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
	if !srv.Healthy() {
		t.Errorf("Healthy() = false right after Start")
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
	if srv.Healthy() || srv.PID() != 0 {
		t.Errorf("after Close: Healthy() = %v, PID() = %d; want false, 0", srv.Healthy(), srv.PID())
	}

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

// TestSupervision kills the JVM with SIGKILL twice: the first time the Server
// starts it again on the same port with the same data, reporting unhealthy
// meanwhile; the second time it is closed while the restart is under way,
// which must leave no JVM and no listener.
func TestSupervision(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	dataDir := t.TempDir()
	states := make(chan bool, 10)
	opts := Options{DataDir: dataDir, Logger: testLogger(), Heap: "512m", PageCache: "64m",
		OnState: func(up bool) { states <- up }}
	srv := startOrSkip(t, ctx, opts)
	defer srv.Close()
	port, pid := srv.Port(), srv.PID()
	driver := connect(t, ctx, srv, srv.Password())
	defer driver.Close(ctx)
	if _, err := neo4j.ExecuteQuery(ctx, driver, "CREATE (:CobuildTest {name: 'before'})", nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatalf("CREATE: %v", err)
	}

	kill(t, pid)
	if up := nextState(t, states); up {
		t.Fatalf("OnState(true) first after the JVM was killed, want OnState(false)")
	}
	// A restart waits restartMinBackoff and then takes seconds: still down.
	if srv.Healthy() || srv.PID() != 0 {
		t.Errorf("while the JVM is down: Healthy() = %v, PID() = %d; want false, 0", srv.Healthy(), srv.PID())
	}
	if up := nextState(t, states); !up {
		t.Fatalf("OnState(false) twice: the JVM is not back")
	}
	if !srv.Healthy() {
		t.Errorf("Healthy() = false once OnState(true) was called")
	}
	if srv.Port() != port || srv.PID() == 0 || srv.PID() == pid {
		t.Errorf("after the restart: Port() = %d, PID() = %d; want port %d and a new JVM (killed %d)", srv.Port(), srv.PID(), port, pid)
	}
	checkProcessGone(t, pid)
	// The driver opened before the death is the one the app keeps: it must work again.
	if got := readNames(t, ctx, driver); got != "before" {
		t.Errorf("names after the restart = %q, want %q", got, "before")
	}

	// Close while the JVM is being restarted.
	pid = srv.PID()
	kill(t, pid)
	if up := nextState(t, states); up {
		t.Fatalf("OnState(true) first after the JVM was killed again, want OnState(false)")
	}
	restarting := waitForRestartingJVM(t, srv, dataDir, pid)
	t.Logf("closing while JVM %d is being started in place of %d", restarting, pid)
	if err := srv.Close(); err != nil {
		t.Errorf("Close during a restart: %v", err)
	}
	checkGone(t, pid, port)
	if restarting != 0 {
		checkProcessGone(t, restarting)
	}
	if left, ok := launchersOn(dataDir); ok && len(left) > 0 {
		t.Errorf("JVMs %v still run on %s after Close", left, dataDir)
	}
	if srv.Healthy() {
		t.Errorf("Healthy() = true after Close")
	}
	select {
	case up := <-states:
		t.Errorf("OnState(%v) after the second kill; want no call, as Close came first", up)
	default:
	}
}

// nextState returns the next OnState call, failing the test when none comes
// within the time a start may take.
func nextState(t *testing.T, states <-chan bool) bool {
	t.Helper()
	select {
	case up := <-states:
		return up
	case <-time.After(DefaultStartTimeout + time.Minute):
		t.Fatalf("no OnState call within %v", DefaultStartTimeout+time.Minute)
		return false
	}
}

// kill sends SIGKILL to the JVM with pid, as the OOM killer would.
func kill(t *testing.T, pid int) {
	t.Helper()
	p, err := os.FindProcess(pid)
	if err != nil {
		t.Fatalf("find JVM %d: %v", pid, err)
	}
	if err := p.Kill(); err != nil {
		t.Fatalf("kill JVM %d: %v", pid, err)
	}
}

// waitForRestartingJVM returns the pid of the launcher JVM the Server starts
// on dataDir in place of the killed one, once it runs; 0 when processes cannot
// be listed here, or when the restart completed before it was seen.
func waitForRestartingJVM(t *testing.T, srv *Server, dataDir string, killed int) int {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		pids, ok := launchersOn(dataDir)
		if !ok {
			t.Logf("cannot list processes here; closing without waiting for the restart's JVM")
			return 0
		}
		for _, p := range pids {
			if p != killed {
				return p
			}
		}
		if srv.Healthy() {
			t.Logf("the restart completed before its JVM was seen")
			return 0
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no JVM restarted on %s within a minute", dataDir)
	return 0
}

// launchersOn returns the pids of the processes running the launcher on
// dataDir, read from /proc; ok is false where there is no /proc.
func launchersOn(dataDir string) (pids []int, ok bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue // gone meanwhile, or not ours to read
		}
		args := strings.Split(string(b), "\x00")
		if slices.Contains(args, "Launcher") && slices.Contains(args, dataDir) {
			pids = append(pids, pid)
		}
	}
	return pids, true
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
	checkProcessGone(t, pid)
	if conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
		conn.Close()
		t.Errorf("port %d still accepts connections after Close", port)
	}
}

// checkProcessGone fails the test if the process with pid still runs.
func checkProcessGone(t *testing.T, pid int) {
	t.Helper()
	if p, err := os.FindProcess(pid); err == nil {
		if err := p.Signal(syscall.Signal(0)); err == nil {
			t.Errorf("JVM pid %d still runs", pid)
		}
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
	if !reflect.DeepEqual(o, want) {
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
