// Package analyzertest runs distill rules over Dockerfiles annotated with
// expectations, in the manner of golang.org/x/tools/go/analysis/analysistest.
//
// A comment line
//
//	# want +1 "regexp" ["regexp"…]
//
// expects one finding of the rule under test per regexp, on the line N
// lines below the comment (N defaults to 1), whose message matches. A
// finding without an expectation and an expectation without a finding both
// fail the test. A line
//
//	# options: target=build debian=12 nonroot=false
//
// sets check options for the file. When <file>.golden exists, the rule's
// fixes are applied and compared with it; `go test -update` rewrites it.
package analyzertest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/config"
)

// Update rewrites golden files instead of comparing with them.
var Update = flag.Bool("update", false, "rewrite golden files")

// Now is the date rule tests run on, so that support end dates give stable
// results.
var Now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

type want struct {
	line    int
	re      *regexp.Regexp
	matched bool
}

var wantLine = regexp.MustCompile(`^\s*#\s*want(?:\s+\+(\d+))?((?:\s+"(?:[^"\\]|\\.)*")+)\s*$`)
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// Files returns the Dockerfiles of a testdata directory.
func Files(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Run checks every *.Dockerfile in dir against its annotations for rule.
func Run(t *testing.T, rule *analysis.Rule, dir string) {
	t.Helper()
	files := Files(t, dir)
	if len(files) == 0 {
		t.Fatalf("no *.Dockerfile in %s", dir)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			RunFile(t, rule, file)
		})
	}
}

// Wants parses the expectations of a file.
func Wants(t testing.TB, src []byte) []*want {
	t.Helper()
	var ws []*want
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if !strings.Contains(line, "want") {
			continue
		}
		m := wantLine.FindStringSubmatch(line)
		if m == nil {
			if strings.HasPrefix(strings.TrimSpace(line), "# want") {
				t.Fatalf("line %d: malformed want comment: %s", i+1, line)
			}
			continue
		}
		offset := 1
		if m[1] != "" {
			offset, _ = strconv.Atoi(m[1])
		}
		for _, q := range quoted.FindAllString(m[2], -1) {
			pattern, err := strconv.Unquote(q)
			if err != nil {
				t.Fatalf("line %d: bad quoted pattern %s: %v", i+1, q, err)
			}
			re, err := regexp.Compile(pattern)
			if err != nil {
				t.Fatalf("line %d: bad regexp %q: %v", i+1, pattern, err)
			}
			ws = append(ws, &want{line: i + 1 + offset, re: re})
		}
	}
	return ws
}

// Options parses a file's "# options:" line into check options.
func Options(t testing.TB, path string, src []byte) analyzer.Options {
	t.Helper()
	opt := analyzer.Options{Path: filepath.Base(path), Now: Now, Config: &config.Config{}}
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "# options:") {
			continue
		}
		for _, kv := range strings.Fields(strings.TrimPrefix(line, "# options:")) {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "target":
				opt.Target = v
			case "debian":
				d, _ := strconv.Atoi(v)
				opt.Config.Images.Debian = d
			case "nonroot":
				b := v == "true"
				opt.Config.Images.Nonroot = &b
			case "pin_digest":
				opt.Config.Images.PinDigest = v == "true"
			case "build-arg":
				name, val, _ := strings.Cut(v, ":")
				if opt.BuildArgs == nil {
					opt.BuildArgs = map[string]string{}
				}
				opt.BuildArgs[name] = val
			default:
				t.Fatalf("%s: unknown option %q", path, k)
			}
		}
	}
	return opt
}

// RunFile checks one annotated file.
func RunFile(t *testing.T, rule *analysis.Rule, file string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	wants := Wants(t, src)
	opt := Options(t, file, src)
	res, err := analyzer.Check(context.Background(), src, opt)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	nlines := strings.Count(string(src), "\n") + 1
	var fixes []analysis.Edit
	for _, f := range res.Findings {
		if f.StartLine < 1 || f.StartLine > nlines || f.EndLine < f.StartLine {
			t.Errorf("%s finding has a bad span %d-%d: %s", f.Rule, f.StartLine, f.EndLine, f.Message)
		}
		if f.Rule != rule.Name {
			continue
		}
		matched := false
		for _, w := range wants {
			if !w.matched && w.line == f.StartLine && w.re.MatchString(f.Message) {
				w.matched, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d: unexpected %s finding: %s", filepath.Base(file), f.StartLine, f.Rule, f.Message)
		}
		if f.Fix != nil {
			fixes = append(fixes, f.Fix.Edits...)
		}
	}
	for _, w := range wants {
		if !w.matched {
			t.Errorf("%s:%d: no %s finding matching %q", filepath.Base(file), w.line, rule.Name, w.re)
		}
	}
	checkGolden(t, file, src, fixes)
}

func checkGolden(t *testing.T, file string, src []byte, edits []analysis.Edit) {
	t.Helper()
	golden := file + ".golden"
	if _, err := os.Stat(golden); err != nil && !*Update {
		return
	}
	if len(edits) == 0 && !fileExists(golden) {
		return
	}
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	fixed, err := analysis.ApplyEdits(lines, edits)
	if err != nil {
		t.Fatalf("applying fixes: %v", err)
	}
	got := strings.Join(fixed, "\n") + "\n"
	if *Update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	wantB, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(wantB), got); d != "" {
		t.Errorf("fixed %s differs from %s (-want +got):\n%s", filepath.Base(file), filepath.Base(golden), d)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// String renders a want for debugging.
func (w *want) String() string { return fmt.Sprintf("line %d %q", w.line, w.re) }
