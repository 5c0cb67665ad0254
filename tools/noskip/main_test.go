package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSkipsAndFailuresFailTheRun(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		code        int
		says        string
	}{
		{"all pass", `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"ok\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"skip","Package":"q"}
{"Action":"pass","Package":"p"}`, 0, "1 packages passed, 0 failed, 0 tests skipped"},
		{"a skipped test", `{"Action":"skip","Package":"p","Test":"TestNeo4j"}
{"Action":"pass","Package":"p"}`, 1, "SKIPPED: p TestNeo4j"},
		{"a failed test", `{"Action":"output","Package":"p","Test":"TestA","Output":"want 3, got 4\n"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"fail","Package":"p"}`, 1, "want 3, got 4"},
		{"a build failure", `{"Action":"build-fail","Package":"p"}`, 1, "FAILED: p"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code, err := check(strings.NewReader(tc.input), &out)
			if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || !strings.Contains(out.String(), tc.says) {
				t.Errorf("exit %d, output %q; want %d saying %q", code, out.String(), tc.code, tc.says)
			}
		})
	}
	if _, err := check(strings.NewReader("not json\n"), &bytes.Buffer{}); err == nil {
		t.Error("no events: no error")
	}
}
