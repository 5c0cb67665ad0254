package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is a process the harness started; it is stopped by its PID and nothing else.
type server struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	tail *tailBuffer
}

// tailBuffer keeps the last lines a process wrote, to show when it fails.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (t *tailBuffer) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > 40 {
		t.lines = t.lines[len(t.lines)-40:]
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// start runs a server and waits until one of its output lines matches ready; the first
// group of the match is its address.
func start(ctx context.Context, name string, env []string, ready *regexp.Regexp, timeout time.Duration, argv ...string) (*server, string, error) {
	return startSettled(ctx, name, env, ready, nil, timeout, argv...)
}

// startSettled is start that, when settled is not nil, also waits (within the same
// timeout) for a line matching it after the ready line: a server may answer before it has
// finished the work it does at start, and measuring it then would measure that work.
func startSettled(ctx context.Context, name string, env []string, ready, settled *regexp.Regexp, timeout time.Duration, argv ...string) (*server, string, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = nil
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, done: make(chan struct{}), tail: &tailBuffer{}}
	logf("started %s, pid %d", name, cmd.Process.Pid)
	found := make(chan string, 1)
	settledCh := make(chan struct{})
	if settled == nil {
		close(settledCh)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		isSettled := settled == nil
		for sc.Scan() {
			line := sc.Text()
			s.tail.add(line)
			if m := ready.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
			if !isSettled && settled.MatchString(line) {
				isSettled = true
				close(settledCh)
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	var addr string
	select {
	case addr = <-found:
	case <-s.done:
		return nil, "", fmt.Errorf("%s exited before it was ready (%v):\n%s", name, cmd.ProcessState, s.tail)
	case <-t.C:
		s.stop()
		return nil, "", fmt.Errorf("%s was not ready within %s:\n%s", name, timeout, s.tail)
	case <-ctx.Done():
		s.stop()
		return nil, "", ctx.Err()
	}
	select {
	case <-settledCh:
		return s, addr, nil
	case <-s.done:
		return nil, "", fmt.Errorf("%s exited before it settled (%v):\n%s", name, cmd.ProcessState, s.tail)
	case <-t.C:
		s.stop()
		return nil, "", fmt.Errorf("%s did not settle within %s:\n%s", name, timeout, s.tail)
	case <-ctx.Done():
		s.stop()
		return nil, "", ctx.Err()
	}
}

// stop sends SIGTERM to the server's PID, and SIGKILL to the same PID if it has not exited
// within 10 seconds.
func (s *server) stop() {
	if s == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	pid := s.cmd.Process.Pid
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		logf("stopped %s, pid %d", s.name, pid)
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		logf("killed %s, pid %d (no exit 10 s after SIGTERM)", s.name, pid)
	}
}

// run runs a command to completion with its output on stderr.
func run(ctx context.Context, argv ...string) error {
	logf("running %s", strings.Join(argv, " "))
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// loopbackURL refuses any address that is not on the loopback interface: the benchmark
// sends its traffic to this machine only.
func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%q is not a loopback address (the benchmark talks to 127.0.0.1 only)", raw)
	}
	return nil
}
