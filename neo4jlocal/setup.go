package neo4jlocal

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"
)

//go:embed Launcher.java
var launcherSource []byte

//go:embed pom.xml.tmpl
var pomTemplateText string

var pomTemplate = template.Must(template.New("pom.xml").Parse(pomTemplateText))

// minJavaMajor is the oldest Java release Neo4j 5 runs on.
const minJavaMajor = 17

// installHint tells how to get the tools Start needs.
const installHint = `install a JDK 17+ and Maven, e.g. "apt-get install openjdk-17-jdk-headless maven" (Debian/Ubuntu) or "brew install openjdk@17 maven" (macOS)`

// completeMarker is written into a jar folder once its fetch has completed.
const completeMarker = ".cobuild-fetch-complete"

// tools holds the paths of the external programs Start runs.
type tools struct {
	java, javac string
	mvn         string // empty when Maven is not on PATH; needed only to fetch jars
}

// findTools locates java, javac and mvn and checks that Java is recent enough.
func findTools(ctx context.Context) (tools, error) {
	var t tools
	var err error
	if t.java, err = lookTool("java"); err != nil {
		return t, err
	}
	if t.javac, err = lookTool("javac"); err != nil {
		return t, err
	}
	t.mvn, _ = exec.LookPath("mvn")
	for _, tool := range []struct{ name, path string }{{"java", t.java}, {"javac", t.javac}} {
		major, err := javaMajor(ctx, tool.path)
		if err != nil {
			return t, fmt.Errorf("check %s version: %w", tool.name, err)
		}
		if major < minJavaMajor {
			return t, fmt.Errorf("%s at %s is Java %d, Neo4j needs Java %d or newer; %s: %w",
				tool.name, tool.path, major, minJavaMajor, installHint, ErrMissingTool)
		}
	}
	return t, nil
}

func lookTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found on PATH; %s: %w", name, installHint, ErrMissingTool)
	}
	return p, nil
}

// javaVersionRE matches `version "17.0.15"` (java) and `javac 17.0.15` (javac).
var javaVersionRE = regexp.MustCompile(`(?:version "|javac )([0-9]+)(?:\.([0-9]+))?`)

// javaMajor returns the major Java version of the java or javac at path.
func javaMajor(ctx context.Context, path string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-version").CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s -version: %w: %s", path, err, bytes.TrimSpace(out))
	}
	return parseJavaMajor(string(out))
}

// parseJavaMajor extracts the major version from `java -version` or
// `javac -version` output; "1.8.0" counts as 8.
func parseJavaMajor(out string) (int, error) {
	m := javaVersionRE.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no version in %q", strings.TrimSpace(out))
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, fmt.Errorf("parse version in %q: %w", strings.TrimSpace(out), err)
	}
	if major == 1 && m[2] != "" {
		major, _ = strconv.Atoi(m[2])
	}
	return major, nil
}

// prepare makes sure the jars of o.Version and the compiled launcher are in
// o.Dir, fetching and compiling them if needed, and returns their folders.
func prepare(ctx context.Context, o Options, t tools) (libDir, launcherDir string, err error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return "", "", fmt.Errorf("create dir: %w", err)
	}
	// Keep everything in Dir out of git even where the repository does not ignore it.
	ignore := filepath.Join(o.Dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(ignore, []byte("# Written by cobuild/neo4jlocal.\n*\n"), 0o644); err != nil {
			return "", "", fmt.Errorf("write %s: %w", ignore, err)
		}
	}
	// Another process (e.g. a parallel go test binary) may be preparing the same Dir.
	unlock, err := lockFile(filepath.Join(o.Dir, ".setup.lock"), func() {
		o.Logger.Info("waiting for another process that is preparing " + o.Dir)
	})
	if err != nil {
		return "", "", fmt.Errorf("lock %s: %w", o.Dir, err)
	}
	defer unlock()

	libDir = filepath.Join(o.Dir, "lib", o.Version)
	if err := fetchJars(ctx, o, t, libDir); err != nil {
		return "", "", err
	}
	launcherDir, err = compileLauncher(ctx, o, t, libDir)
	if err != nil {
		return "", "", err
	}
	return libDir, launcherDir, nil
}

// fetchJars copies the Neo4j jars and their dependencies from Maven Central
// into libDir unless a marker says an earlier fetch completed.
func fetchJars(ctx context.Context, o Options, t tools, libDir string) error {
	marker := filepath.Join(libDir, completeMarker)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	if t.mvn == "" {
		return fmt.Errorf("fetch Neo4j jars: mvn not found on PATH; %s: %w", installHint, ErrMissingTool)
	}
	o.Logger.Info(fmt.Sprintf("fetching Neo4j %s jars from Maven Central (first start only, ~120 MB)…", o.Version),
		"dir", libDir)
	start := time.Now()
	// A folder without the marker is what an interrupted fetch left: redo it.
	if err := os.RemoveAll(libDir); err != nil {
		return fmt.Errorf("fetch Neo4j jars: clear %s: %w", libDir, err)
	}
	pomDir := filepath.Join(o.Dir, "maven", o.Version)
	if err := os.MkdirAll(pomDir, 0o755); err != nil {
		return fmt.Errorf("fetch Neo4j jars: %w", err)
	}
	var pom bytes.Buffer
	if err := pomTemplate.Execute(&pom, struct{ Version string }{o.Version}); err != nil {
		return fmt.Errorf("fetch Neo4j jars: render pom.xml: %w", err)
	}
	pomFile := filepath.Join(pomDir, "pom.xml")
	if err := os.WriteFile(pomFile, pom.Bytes(), 0o644); err != nil {
		return fmt.Errorf("fetch Neo4j jars: %w", err)
	}
	cmd := exec.CommandContext(ctx, t.mvn, "-q", "-B", "-Dstyle.color=never",
		"-f", pomFile,
		"org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
		"-DincludeScope=runtime",
		"-DoutputDirectory="+libDir)
	cmd.Dir = pomDir
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("fetch Neo4j jars: %w", ctx.Err())
		}
		return fmt.Errorf("fetch Neo4j jars: mvn: %w\n%s", err, lastLines(string(out), 30))
	}
	mainJar := filepath.Join(libDir, "neo4j-"+o.Version+".jar")
	if _, err := os.Stat(mainJar); err != nil {
		return fmt.Errorf("fetch Neo4j jars: mvn succeeded but %s is missing: %w", mainJar, err)
	}
	// Written last, so that an interrupted fetch is redone next time.
	stamp := fmt.Sprintf("org.neo4j:neo4j:%s fetched %s\n", o.Version, time.Now().UTC().Format(time.RFC3339))
	if err := os.WriteFile(marker, []byte(stamp), 0o644); err != nil {
		return fmt.Errorf("fetch Neo4j jars: write marker: %w", err)
	}
	o.Logger.Info("fetched Neo4j jars", "elapsed", roundDuration(time.Since(start)))
	return nil
}

// compileLauncher compiles the embedded Launcher.java against the jars in
// libDir into a folder named after the hash of the source and the Neo4j
// version, unless that folder already exists, and returns the folder.
func compileLauncher(ctx context.Context, o Options, t tools, libDir string) (string, error) {
	sum := sha256.New()
	sum.Write(launcherSource)
	sum.Write([]byte("\x00neo4j " + o.Version))
	dir := filepath.Join(o.Dir, "launcher", hex.EncodeToString(sum.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(dir, "Launcher.class")); err == nil {
		return dir, nil
	}
	o.Logger.Info("compiling launcher", "dir", dir)
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return "", fmt.Errorf("compile launcher: %w", err)
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", fmt.Errorf("compile launcher: %w", err)
	}
	src := filepath.Join(tmp, "Launcher.java")
	if err := os.WriteFile(src, launcherSource, 0o644); err != nil {
		return "", fmt.Errorf("compile launcher: %w", err)
	}
	cmd := exec.CommandContext(ctx, t.javac, "--release", strconv.Itoa(minJavaMajor), "-nowarn",
		"-cp", filepath.Join(libDir, "*"), "-d", tmp, src)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("compile launcher: javac: %w\n%s", err, lastLines(string(out), 30))
	}
	// The rename makes the folder appear complete or not at all.
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("compile launcher: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", fmt.Errorf("compile launcher: %w", err)
	}
	return dir, nil
}

// lastLines returns at most n trailing non-empty lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
