package analyzertest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// ConvertCase is one directory of testdata/convert/<recipe>/<case>/:
//
//	Dockerfile        the input
//	context/          optional repository files next to it (go.mod, …)
//	options           optional "key=value" lines: target, debian, nonroot,
//	                  allow_version_change, build-arg=NAME:value
//	Dockerfile.golden the expected conversion (absent when declined)
//	notes.golden      status, recipe, final image, notes or decline
type ConvertCase struct {
	Dir     string
	Input   []byte
	Options analyzer.ConvertOptions
}

// LoadConvertCase reads a case directory.
func LoadConvertCase(t testing.TB, dir string) ConvertCase {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	c := ConvertCase{Dir: dir, Input: src}
	cfg := &config.Config{}
	c.Options = analyzer.ConvertOptions{Path: "Dockerfile", Config: cfg, Now: Now}
	if b, err := os.ReadFile(filepath.Join(dir, "options")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
			if !ok {
				continue
			}
			switch k {
			case "target":
				c.Options.Target = v
			case "debian":
				fmt.Sscan(v, &cfg.Images.Debian)
			case "nonroot":
				b := v == "true"
				cfg.Images.Nonroot = &b
			case "allow_version_change":
				b := v == "true"
				cfg.Images.AllowVersionChange = &b
			case "build-arg":
				name, val, _ := strings.Cut(v, ":")
				if c.Options.BuildArgs == nil {
					c.Options.BuildArgs = map[string]string{}
				}
				c.Options.BuildArgs[name] = val
			default:
				t.Fatalf("%s/options: unknown key %q", dir, k)
			}
		}
	}
	ctxDir := filepath.Join(dir, "context")
	if _, err := os.Stat(ctxDir); err == nil {
		rc := &convert.RepoContext{Files: map[string][]byte{}}
		err := filepath.WalkDir(ctxDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(ctxDir, p)
			rel = filepath.ToSlash(rel)
			rc.Paths = append(rc.Paths, rel)
			b, err := os.ReadFile(p)
			rc.Files[rel] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c.Options.Context = rc
	}
	return c
}

// RenderNotes renders a proposal's status, recipe, image and notes for
// notes.golden.
func RenderNotes(p *convert.Proposal) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status: %s\n", p.Status)
	if p.Recipe != "" {
		fmt.Fprintf(&b, "recipe: %s\n", p.Recipe)
	}
	if p.FinalImage != "" {
		fmt.Fprintf(&b, "final: %s\n", p.FinalImage)
	}
	if len(p.Packages) > 0 {
		fmt.Fprintf(&b, "packages: %s\n", strings.Join(p.Packages, ", "))
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "%s: %s\n", n.Kind, n.Text)
	}
	if p.Decline != nil {
		fmt.Fprintf(&b, "reason: %s\n", p.Decline.Reason)
		for _, a := range p.Decline.Alternatives {
			fmt.Fprintf(&b, "alternative: %s\n", a)
		}
	}
	return b.String()
}

// RunConvert checks every case under dir (one level of case directories)
// against its goldens and the conversion properties.
func RunConvert(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		caseDir := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			RunConvertCase(t, LoadConvertCase(t, caseDir))
		})
	}
	if n == 0 {
		t.Fatalf("no cases in %s", dir)
	}
}

// RunConvertCase checks one case.
func RunConvertCase(t *testing.T, c ConvertCase) {
	t.Helper()
	p, err := analyzer.Convert(c.Input, c.Options)
	if err != nil {
		t.Fatalf("convert: %v", err)
	}
	golden(t, filepath.Join(c.Dir, "notes.golden"), RenderNotes(p))
	checkSharedParse(t, c, p)
	dfGolden := filepath.Join(c.Dir, "Dockerfile.golden")
	switch p.Status {
	case convert.Converted:
		golden(t, dfGolden, string(p.Dockerfile))
		CheckConverted(t, c, p)
	default:
		if _, err := os.Stat(dfGolden); err == nil {
			if *Update {
				os.Remove(dfGolden)
			} else {
				t.Errorf("status %s but %s exists", p.Status, dfGolden)
			}
		}
	}
}

// CheckConverted asserts the properties every conversion must have:
// it parses; the edits reproduce it; the final stage has no shell-form
// CMD/ENTRYPOINT/RUN; converting it again changes nothing; and `check`
// reports no distroless-family rule on it.
func CheckConverted(t *testing.T, c ConvertCase, p *convert.Proposal) {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile.golden", p.Dockerfile, dockerfile.Options{BuildArgs: c.Options.BuildArgs})
	if err != nil {
		t.Fatalf("converted file does not parse: %v", err)
	}
	if err := convert.SelfCheckTarget(string(p.Dockerfile), c.Options.Target); err != nil {
		t.Errorf("self-check: %v", err)
	}
	// The shipped stage is the target (a split keeps the target's name on
	// the new distroless stage), else the last one.
	final, err := f.Target(c.Options.Target)
	if err != nil {
		t.Fatalf("converted file: %v", err)
	}
	for _, in := range final.Instructions {
		if in.Kind == dockerfile.KindRun || (in.Exec != nil && in.Exec.Shell && (in.Kind == dockerfile.KindCmd || in.Kind == dockerfile.KindEntrypoint)) {
			t.Errorf("final stage line %d: %s", in.StartLine, strings.TrimSpace(in.Original))
		}
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(c.Input), "\r\n", "\n"), "\n"), "\n")
	applied, err := analysis.ApplyEdits(lines, p.Edits)
	if err != nil {
		t.Fatalf("edits do not apply: %v", err)
	}
	if got, want := strings.Join(applied, "\n")+"\n", strings.ReplaceAll(string(p.Dockerfile), "\r\n", "\n"); got != want {
		t.Errorf("edits do not reproduce the conversion:\n%s", cmp.Diff(want, got))
	}
	p2, err := analyzer.Convert(p.Dockerfile, c.Options)
	if err != nil {
		t.Fatalf("converting the golden: %v", err)
	}
	if p2.Status != convert.Unchanged {
		t.Errorf("not idempotent: converting the result gives status %s (%s)\n%s", p2.Status, RenderNotes(p2), cmp.Diff(string(p.Dockerfile), string(p2.Dockerfile)))
	}
	res, err := analyzer.Check(context.Background(), p.Dockerfile, analyzer.Options{Path: "Dockerfile", Target: c.Options.Target, Config: c.Options.Config, BuildArgs: c.Options.BuildArgs, Now: Now})
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	for _, fd := range res.Findings {
		if fd.Category == analysis.Distroless || fd.Category == analysis.Syntax {
			t.Errorf("check on the conversion reports %s at line %d: %s", fd.Rule, fd.StartLine, fd.Message)
		}
	}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run `go test ./analyzer/... -update` to create it)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", filepath.Base(file), d)
	}
}

// checkSharedParse converts the case again from a parsed file, the way
// Check asks the converter for its outlook, and asserts that the result is
// the same and that the converter left the parsed file untouched: Check
// runs every rule on that same file afterwards.
func checkSharedParse(t *testing.T, c ConvertCase, want *convert.Proposal) {
	t.Helper()
	parse := func() *dockerfile.File {
		f, err := dockerfile.Parse(c.Options.Path, c.Input, dockerfile.Options{BuildArgs: c.Options.BuildArgs})
		if err != nil {
			return nil
		}
		return f
	}
	f, pristine := parse(), parse()
	if f == nil {
		return // Convert declined the syntax error; nothing is shared
	}
	p, err := analyzer.ConvertFile(f, c.Options)
	if err != nil {
		t.Fatalf("ConvertFile: %v", err)
	}
	if p.Status != want.Status || string(p.Dockerfile) != string(want.Dockerfile) || RenderNotes(p) != RenderNotes(want) {
		t.Errorf("ConvertFile on a parsed file differs from Convert: status %s vs %s", p.Status, want.Status)
	}
	if !reflect.DeepEqual(f, pristine) {
		t.Errorf("the converter modified the parsed Dockerfile it was given; Check shares that parse with the rules")
	}
}
