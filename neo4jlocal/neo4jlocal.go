// Package neo4jlocal starts a real local Neo4j Community server (5.26 LTS by
// default) for the program, its tests and CI, without Docker and without
// anything installed by hand besides a JDK 17+ and Maven.
//
// On first use the Neo4j jars are copied from Maven Central into Options.Dir,
// and a small embedded Java launcher (Launcher.java) is compiled against
// them. Start then runs that launcher in a JVM, which runs Neo4j through its
// embedded API with Bolt on 127.0.0.1 and password authentication. The JVM
// exits when Server.Close is called or when the Go process dies (the launcher
// watches its stdin for EOF), so no server is left behind.
//
// The password of user neo4j is generated at random at the first start of a
// data folder and kept in the file PasswordFile inside it. The Server
// supervises its JVM: if it dies while the Server is open, it is started again
// on the same port and data folder, and Healthy reports false meanwhile.
package neo4jlocal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults applied by Start to zero fields of Options.
const (
	DefaultDir          = ".cobuild/neo4j"
	DefaultVersion      = "5.26.30"
	DefaultPageCache    = "256m"
	DefaultHeap         = "1g"
	DefaultStartTimeout = 3 * time.Minute
)

// User is the name of the Neo4j user that Start gives the configured password.
const User = "neo4j"

// minPasswordLength is Neo4j's default dbms.security.auth_minimum_password_length.
const minPasswordLength = 8

// ErrMissingTool is wrapped by the error Start returns when java, javac or mvn
// is missing or too old.
var ErrMissingTool = errors.New("required tool missing")

// ErrDataDirLocked is wrapped by the error Start returns when another running
// Neo4j instance holds the lock on Options.DataDir.
var ErrDataDirLocked = errors.New("data directory locked by another running Neo4j instance")

// Options configures Start; zero fields get the defaults documented on each field.
type Options struct {
	// Dir is the working folder for jars, the launcher and logs; default
	// ".cobuild/neo4j". A relative Dir is resolved against the root of the Go
	// module containing the working directory (the nearest folder with a
	// go.mod), or against the working directory when there is none.
	Dir string
	// DataDir holds the database files, kept between runs; default Dir+"/data".
	// A relative DataDir is resolved like Dir.
	DataDir string
	// Version is the Neo4j version fetched from Maven Central; default "5.26.30".
	Version string
	// Port is the Bolt port on 127.0.0.1; 0 lets the OS pick a free port.
	Port int
	// PageCache is Neo4j's page cache size, e.g. "256m"; default "256m".
	PageCache string
	// Heap is the JVM heap size (-Xms and -Xmx), e.g. "1g"; default "1g".
	Heap string
	// Password is the password of user "neo4j" (at least 8 characters). When
	// empty, the one recorded in DataDir's PasswordFile is used, generated at
	// random on the first start; when set, it is given to user neo4j and
	// replaces the recorded one.
	Password string
	// Logger receives progress messages (Info) and Neo4j's output (Debug);
	// default slog.Default().
	Logger *slog.Logger
	// StartTimeout bounds the time the JVM may take to become ready, not
	// counting the first-use jar fetch and compilation; default 3 minutes.
	// It bounds each restart too.
	StartTimeout time.Duration
	// OnState, when set, is called with false when the JVM has died while the
	// Server is open, and with true once the restarted one is ready. Calls
	// come one at a time, in order, from a goroutine of the Server; OnState
	// must return soon and must not call Close. Close itself calls it not.
	OnState func(up bool)
}

var (
	versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	sizeRE    = regexp.MustCompile(`^[1-9][0-9]*[kKmMgG]?$`)
)

// withDefaults returns o with defaults filled in, Dir and DataDir made
// absolute, and every field validated.
func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.PageCache == "" {
		o.PageCache = DefaultPageCache
	}
	if o.Heap == "" {
		o.Heap = DefaultHeap
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = DefaultStartTimeout
	}

	if !versionRE.MatchString(o.Version) {
		return o, fmt.Errorf("invalid Version %q: want MAJOR.MINOR.PATCH, e.g. %q", o.Version, DefaultVersion)
	}
	if o.Port < 0 || o.Port > 65535 {
		return o, fmt.Errorf("invalid Port %d: want 0..65535", o.Port)
	}
	if !sizeRE.MatchString(o.PageCache) {
		return o, fmt.Errorf("invalid PageCache %q: want a size like %q", o.PageCache, DefaultPageCache)
	}
	if !sizeRE.MatchString(o.Heap) {
		return o, fmt.Errorf("invalid Heap %q: want a size like %q", o.Heap, DefaultHeap)
	}
	if o.Password != "" && len(o.Password) < minPasswordLength {
		return o, fmt.Errorf("invalid Password: Neo4j requires at least %d characters", minPasswordLength)
	}
	if strings.ContainsAny(o.Password, "\r\n") {
		return o, fmt.Errorf("invalid Password: it must not contain line breaks")
	}
	if o.StartTimeout < 0 {
		return o, fmt.Errorf("invalid StartTimeout %v: must not be negative", o.StartTimeout)
	}

	base, err := resolveBase()
	if err != nil {
		return o, err
	}
	o.Dir = absUnder(base, o.Dir)
	if o.DataDir == "" {
		o.DataDir = filepath.Join(o.Dir, "data")
	} else {
		o.DataDir = absUnder(base, o.DataDir)
	}
	return o, nil
}

// resolveBase returns the folder relative Dir and DataDir are resolved
// against: the module root above the working directory, else the working
// directory.
func resolveBase() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("get working directory: %w", err)
	}
	if root, ok := ModuleRoot(wd); ok {
		return root, nil
	}
	return wd, nil
}

// ModuleRoot returns the nearest folder at or above dir that contains a
// go.mod file, and false when there is none.
func ModuleRoot(dir string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		if fi, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !fi.IsDir() {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func absUnder(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// Server is a running Neo4j server started by Start. Until Close it
// supervises its JVM: one that dies is started again on the same port and
// data folder.
type Server struct {
	opts      Options // with defaults; the port is the field below
	java      string
	classpath string
	port      int // picked at the first start, kept across restarts
	password  string
	unlock    func() // releases the data folder's lock

	closing    context.Context // done once Close has begun
	beginClose context.CancelFunc
	supervised chan struct{} // closed once the supervisor has returned

	mu      sync.Mutex
	proc    *process // the running JVM; nil while it is restarted and after Close
	healthy bool

	closeOnce sync.Once
	closeErr  error
}

// process is one run of the launcher's JVM.
type process struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *tailBuffer
	ready chan int // receives the Bolt port once Neo4j is ready

	exited      chan struct{} // closed once the JVM has exited
	waitErr     error         // result of cmd.Wait, set before exited is closed
	launcherErr string        // the launcher's error line, set before exited is closed
}

// URI returns the Bolt URI of the server, "bolt://127.0.0.1:PORT".
func (s *Server) URI() string { return fmt.Sprintf("bolt://127.0.0.1:%d", s.port) }

// User returns the user name to log in with, always "neo4j".
func (s *Server) User() string { return User }

// Password returns the password of user "neo4j" in force: Options.Password
// when set, else the one recorded in the data folder's PasswordFile.
func (s *Server) Password() string { return s.password }

// Port returns the Bolt port the server listens on at 127.0.0.1; it stays the
// same across restarts.
func (s *Server) Port() int { return s.port }

// PID returns the process id of the server's JVM, or 0 while none runs (the
// JVM died and is being restarted, or the Server is closed).
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// DataDir returns the absolute path of the database folder.
func (s *Server) DataDir() string { return s.opts.DataDir }

// Healthy reports whether Neo4j runs and is ready: true when Start returns,
// false from the moment its JVM is seen dead until the restarted one is
// ready, and false once Close has begun.
func (s *Server) Healthy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.healthy
}

// closeTimeout is how long Close waits for a clean shutdown before killing the JVM.
const closeTimeout = 30 * time.Second

// Close stops supervising, shuts the server down cleanly (it closes the JVM's
// stdin, waits up to 30s, then kills it) and returns once the JVM has exited;
// a restart under way is abandoned and its JVM stopped. It is idempotent and
// safe for concurrent use, but must not be called from Options.OnState.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.shutdown() })
	return s.closeErr
}

func (s *Server) shutdown() error {
	s.beginClose()
	<-s.supervised // from here on only Close touches proc
	defer s.unlock()
	s.mu.Lock()
	p := s.proc
	s.proc, s.healthy = nil, false
	s.mu.Unlock()
	if p == nil {
		// It died, and the restart under way was abandoned with its JVM stopped.
		s.opts.Logger.Info("Neo4j stopped while it was being restarted", "uri", s.URI())
		return nil
	}
	select {
	case <-p.exited:
		if p.waitErr != nil && !isSignalExit(p.waitErr) {
			return fmt.Errorf("close neo4j: server had already exited: %v; last output:\n%s", p.waitErr, p.out.String())
		}
		return nil
	default:
	}
	start := time.Now()
	s.opts.Logger.Info("stopping Neo4j", "uri", s.URI())
	if !p.stop(closeTimeout) {
		return fmt.Errorf("close neo4j: no clean shutdown within %v, killed pid %d", closeTimeout, p.cmd.Process.Pid)
	}
	if p.waitErr != nil && !isSignalExit(p.waitErr) {
		return fmt.Errorf("close neo4j: %v; last output:\n%s", p.waitErr, p.out.String())
	}
	s.opts.Logger.Info("Neo4j stopped", "elapsed", roundDuration(time.Since(start)))
	return nil
}

// stop closes the JVM's stdin, which makes the launcher shut Neo4j down and
// exit, waits up to timeout for that, then kills the JVM. It returns once the
// JVM has exited, reporting whether it exited without being killed.
func (p *process) stop(timeout time.Duration) bool {
	_ = p.stdin.Close()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.exited:
		return true
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.exited
		return false
	}
}

// isSignalExit reports whether the JVM exited because of SIGINT or SIGTERM
// (status 130 or 143), which its shutdown hook handles cleanly.
func isSignalExit(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	code := ee.ExitCode()
	return code == 130 || code == 143
}

// Exit statuses of Launcher.java.
const (
	exitLocked = 3
)

// Lines Launcher.java prints on stdout.
const (
	readyPrefix = "COBUILD-NEO4J-READY "
	errorPrefix = "COBUILD-NEO4J-ERROR "
)

// lockFileName is the file in the data folder that a Server keeps locked from
// Start to Close, restarts included, so that no other Start touches the
// folder's password file or takes the folder while its JVM is down.
const lockFileName = "cobuild.lock"

// Start starts Neo4j as configured by opts and blocks until Bolt accepts
// connections, ctx is done, or StartTimeout passes; on failure nothing is
// left running. On first use it fetches the jars and compiles the launcher.
// ctx only bounds the start: cancelling it later does not stop the server.
func Start(ctx context.Context, opts Options) (*Server, error) {
	begin := time.Now()
	o, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("start neo4j: %w", err)
	}
	tools, err := findTools(ctx)
	if err != nil {
		return nil, fmt.Errorf("start neo4j: %w", err)
	}
	libDir, launcherDir, err := prepare(ctx, o, tools)
	if err != nil {
		return nil, fmt.Errorf("start neo4j: %w", err)
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("start neo4j: create data dir: %w", err)
	}
	unlock, ok, err := tryLockFile(filepath.Join(o.DataDir, lockFileName))
	if err != nil {
		return nil, fmt.Errorf("start neo4j: lock data dir: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("start neo4j: data dir %s is in use by another running Neo4j instance; stop it or use another DataDir: %w",
			o.DataDir, ErrDataDirLocked)
	}
	password, err := resolvePassword(o.DataDir, o.Password, o.Logger)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("start neo4j: %w", err)
	}

	s := &Server{
		opts:       o,
		java:       tools.java,
		classpath:  filepath.Join(libDir, "*") + string(os.PathListSeparator) + launcherDir,
		password:   password,
		unlock:     unlock,
		supervised: make(chan struct{}),
	}
	s.closing, s.beginClose = context.WithCancel(context.Background())
	o.Logger.Info("starting Neo4j", "version", o.Version, "data", o.DataDir)
	p, port, err := s.run(ctx, o.Port)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("start neo4j: %w", err)
	}
	s.port, s.proc, s.healthy = port, p, true
	o.Logger.Info(fmt.Sprintf("Neo4j ready on %s in %s", s.URI(), roundDuration(time.Since(begin))),
		"passwordFile", filepath.Join(o.DataDir, PasswordFile))
	go s.supervise()
	return s, nil
}

// run starts a JVM with Bolt on port (0: any free one) and waits until Neo4j
// is ready, returning the port it listens on; when ctx is done, StartTimeout
// passes or the JVM exits first, it stops the JVM and fails.
func (s *Server) run(ctx context.Context, port int) (*process, int, error) {
	p, err := s.spawn(port)
	if err != nil {
		return nil, 0, err
	}
	timer := time.NewTimer(s.opts.StartTimeout)
	defer timer.Stop()
	var failure error
	select {
	case bound := <-p.ready:
		return p, bound, nil
	case <-p.exited:
		failure = s.exitError(p)
	case <-ctx.Done():
		failure = fmt.Errorf("waiting for Neo4j to become ready: %w", ctx.Err())
	case <-timer.C:
		failure = fmt.Errorf("not ready after %v; last output:\n%s", s.opts.StartTimeout, p.out.String())
	}
	p.stop(10 * time.Second) // during a start the launcher exits at once on EOF
	return nil, 0, failure
}

// spawn starts the launcher's JVM with Bolt on port and the goroutines that
// read its output and wait for its exit.
func (s *Server) spawn(port int) (*process, error) {
	o := s.opts
	args := append(jvmArgs(o.Heap), "-cp", s.classpath, "Launcher", o.DataDir, strconv.Itoa(port), o.PageCache)
	cmd := exec.Command(s.java, args...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), "COBUILD_NEO4J_PASSWORD="+s.password)
	setProcessGroup(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run java: %w", err)
	}

	p := &process{
		cmd:    cmd,
		stdin:  stdin,
		out:    newTailBuffer(40),
		ready:  make(chan int, 1),
		exited: make(chan struct{}),
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() {
		defer readers.Done()
		forEachLine(stdout, func(line string) {
			switch {
			case strings.HasPrefix(line, readyPrefix):
				if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, readyPrefix))); err == nil {
					p.ready <- n
				}
			case strings.HasPrefix(line, errorPrefix):
				p.launcherErr = strings.TrimPrefix(line, errorPrefix)
			default:
				p.out.Add(line)
				o.Logger.Debug("neo4j: " + line)
			}
		})
	}()
	go func() {
		defer readers.Done()
		forEachLine(stderr, func(line string) {
			p.out.Add(line)
			o.Logger.Debug("neo4j: " + line)
		})
	}()
	go func() {
		readers.Wait() // Wait must not run before the pipes are drained
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// exitError describes a JVM that exited before it was ready.
func (s *Server) exitError(p *process) error {
	var ee *exec.ExitError
	if errors.As(p.waitErr, &ee) && ee.ExitCode() == exitLocked {
		return fmt.Errorf("data dir %s is in use by another running Neo4j instance; stop it or use another DataDir (%s): %w",
			s.opts.DataDir, p.launcherErr, ErrDataDirLocked)
	}
	msg := p.launcherErr
	if msg == "" {
		msg = fmt.Sprint(p.waitErr)
	}
	return fmt.Errorf("JVM exited before Neo4j was ready: %s\nlast output:\n%s\n(more in %s)",
		msg, p.out.String(), filepath.Join(s.opts.DataDir, "logs", "debug.log"))
}

// Bounds of the wait before each attempt to restart a JVM that died: it
// starts at restartMinBackoff and doubles after each failed attempt.
const (
	restartMinBackoff = 500 * time.Millisecond
	restartMaxBackoff = 10 * time.Second
)

// supervise waits for the JVM to exit and, unless Close has begun, restarts
// it; it returns once Close has begun.
func (s *Server) supervise() {
	defer close(s.supervised)
	for {
		s.mu.Lock()
		p := s.proc
		s.mu.Unlock()
		select {
		case <-s.closing.Done():
			return
		case <-p.exited:
		}
		if s.closing.Err() != nil {
			return // Close has begun; it reports how the JVM ended
		}
		s.mu.Lock()
		s.proc, s.healthy = nil, false
		s.mu.Unlock()
		status := "exit status 0"
		if p.waitErr != nil {
			status = p.waitErr.Error()
		}
		s.opts.Logger.Error("Neo4j exited unexpectedly; restarting it on the same port",
			"uri", s.URI(), "pid", p.cmd.Process.Pid, "status", status, "output", p.out.String())
		if s.opts.OnState != nil {
			s.opts.OnState(false)
		}
		if !s.restart() {
			return
		}
	}
}

// restart starts the JVM again on the same port, waiting before each attempt
// with a backoff doubling from restartMinBackoff to restartMaxBackoff, until
// an attempt succeeds (it returns true) or Close begins (false).
func (s *Server) restart() bool {
	down := time.Now()
	wait := restartMinBackoff
	for attempt := 1; ; attempt++ {
		timer := time.NewTimer(wait)
		select {
		case <-s.closing.Done():
			timer.Stop()
			return false
		case <-timer.C:
		}
		s.opts.Logger.Info("restarting Neo4j", "uri", s.URI(), "attempt", attempt)
		p, _, err := s.run(s.closing, s.port)
		if err != nil {
			if s.closing.Err() != nil {
				return false
			}
			wait = min(2*wait, restartMaxBackoff)
			s.opts.Logger.Error("restart of Neo4j failed", "uri", s.URI(), "attempt", attempt, "retryIn", wait, "err", err)
			continue
		}
		s.mu.Lock()
		s.proc, s.healthy = p, true
		s.mu.Unlock()
		if s.closing.Err() != nil {
			return false // Close stops it
		}
		s.opts.Logger.Info("Neo4j is back", "uri", s.URI(), "pid", p.cmd.Process.Pid,
			"down", roundDuration(time.Since(down)), "attempts", attempt)
		if s.opts.OnState != nil {
			s.opts.OnState(true)
		}
		return true
	}
}

// jvmArgs returns the JVM options: heap size plus what Neo4j 5 needs on Java 17+.
func jvmArgs(heap string) []string {
	return []string{
		"-Xms" + heap,
		"-Xmx" + heap,
		"-XX:+UseG1GC",
		"-XX:-OmitStackTraceInFastThrow",
		"-Djdk.nio.maxCachedBufferSize=1024",
		"-Dio.netty.tryReflectionSetAccessible=true",
		"-Dlog4j2.disable.jmx=true",
		"--add-opens", "java.base/java.nio=ALL-UNNAMED",
		"--add-opens", "java.base/java.io=ALL-UNNAMED",
		"--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
	}
}

// forEachLine calls fn with each line read from r until EOF or a read error.
func forEachLine(r io.Reader, fn func(string)) {
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, err := br.ReadString('\n')
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			fn(line)
		}
		if err != nil {
			return
		}
	}
}

// tailBuffer keeps the last lines of the JVM's output, without stack frames.
type tailBuffer struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (t *tailBuffer) Add(line string) {
	if strings.HasPrefix(strings.TrimSpace(line), "at ") || strings.HasPrefix(strings.TrimSpace(line), "... ") {
		return // stack frames crowd out the messages that matter
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// roundDuration rounds d for log messages, e.g. 12.3s.
func roundDuration(d time.Duration) time.Duration {
	return d.Round(100 * time.Millisecond)
}
