// Command noskip reads the output of `go test -json` on its standard input, prints it as
// `go test` would (a line a package, and the output of the tests that fail or skip), and
// exits 1 when a test failed or was skipped: in the project's test
// command every test has what it needs (Neo4j, Chromium, Node), so a skip means a test
// that did not run, and CI must not pass on it.
//
//	go test -json ./... | go run ./tools/noskip
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	code, err := check(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "noskip:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func check(in io.Reader, out io.Writer) (int, error) {
	var skipped, failed []string
	packages, events := map[string]bool{}, 0
	held := map[string][]string{} // the output of each running test, shown if it fails or skips
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not an event (the go command's own messages): pass it through.
			fmt.Fprintln(out, sc.Text())
			continue
		}
		events++
		name := e.Package
		if e.Test != "" {
			name += " " + e.Test
		}
		if e.Output != "" {
			if e.Test != "" {
				held[name] = append(held[name], e.Output)
			} else if e.Output != "PASS\n" {
				fmt.Fprint(out, e.Output)
			}
		}
		switch e.Action {
		case "skip":
			if e.Test != "" { // a package without tests is skipped too, and is fine
				skipped = append(skipped, name)
				flush(out, held, name)
			}
		case "fail", "build-fail":
			failed = append(failed, name)
			flush(out, held, name)
		case "pass":
			if e.Test == "" {
				packages[e.Package] = true
			}
			delete(held, name)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	if events == 0 {
		return 0, fmt.Errorf("no test events on the input: pipe `go test -json` into it")
	}
	sort.Strings(skipped)
	sort.Strings(failed)
	fmt.Fprintf(out, "\n%d packages passed, %d failed, %d tests skipped\n", len(packages), len(failed), len(skipped))
	for _, s := range skipped {
		fmt.Fprintln(out, "SKIPPED:", s)
	}
	for _, f := range failed {
		fmt.Fprintln(out, "FAILED:", f)
	}
	if len(failed) > 0 || len(skipped) > 0 {
		return 1, nil
	}
	return 0, nil
}

func flush(out io.Writer, held map[string][]string, name string) {
	for _, line := range held[name] {
		fmt.Fprint(out, line)
	}
	delete(held, name)
}
