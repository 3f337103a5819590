package analyzer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/rules"
)

// checkInvariants asserts what must hold for any Dockerfile that parses:
// no SyntaxError, no rule panicked, every finding inside the file, and
// every fix applies to the file's lines and leaves a file that parses.
func checkInvariants(t *testing.T, name string, src []byte, res *Result) {
	t.Helper()
	if res.File == nil {
		t.Fatalf("%s: no parsed file (findings: %v)", name, res.Findings)
	}
	n := len(res.File.Lines)
	for _, f := range res.Findings {
		if f.Rule == rules.SyntaxError.Name {
			t.Errorf("%s: SyntaxError: %s", name, f.Message)
		}
		if strings.Contains(f.Message, "internal error") {
			t.Errorf("%s: %s: %s", name, f.Rule, f.Message)
		}
		if f.StartLine < 1 || f.EndLine < f.StartLine || f.EndLine > n {
			t.Errorf("%s: %s finding spans %d-%d outside the file's %d lines", name, f.Rule, f.StartLine, f.EndLine, n)
		}
		if f.Fix == nil {
			continue
		}
		fixed, err := analysis.ApplyEdits(res.File.Lines, f.Fix.Edits)
		if err != nil {
			t.Errorf("%s: %s fix %q does not apply: %v", name, f.Rule, f.Fix.Message, err)
			continue
		}
		if _, err := dockerfile.Parse(name, []byte(strings.Join(fixed, "\n")+"\n"), dockerfile.Options{}); err != nil {
			t.Errorf("%s: after %s fix %q the file no longer parses: %v", name, f.Rule, f.Fix.Message, err)
		}
	}
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	files := loadCorpus(t)
	if len(files) < 40 {
		t.Errorf("corpus has %d files, want at least 40", len(files))
	}
	for _, cf := range files {
		t.Run(cf.name, func(t *testing.T) {
			t.Parallel()
			res, err := Check(t.Context(), cf.src, Options{Path: cf.name, Config: &config.Config{}})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			checkInvariants(t, cf.name, cf.src, res)
			// BuildKit's lint runs inside the engine, which drops its
			// errors; a corpus file must lint cleanly.
			if _, err := dockerfile.Lint(t.Context(), res.File, "", nil); err != nil {
				t.Errorf("BuildKit lint: %v", err)
			}
			// Every stage can be a target.
			for _, st := range res.File.Stages {
				if _, err := Check(t.Context(), cf.src, Options{Path: cf.name, Target: st.Ref()}); err != nil {
					t.Errorf("target %s: %v", st.Ref(), err)
				}
			}
		})
	}
}

func TestCorpusLongGenerated(t *testing.T) {
	t.Parallel()
	src := longDockerfile(5000)
	res, err := Check(t.Context(), src, Options{Path: "long.Dockerfile"})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, "long.Dockerfile", src, res)
	f := res.File
	if len(f.Lines) < 5000 {
		t.Errorf("generated %d lines, want at least 5000", len(f.Lines))
	}
	last := f.Instructions[len(f.Instructions)-1]
	if last.Kind != dockerfile.KindEntrypoint || last.EndLine != len(f.Lines) {
		t.Errorf("last instruction %s ends at %d, file has %d lines", last, last.EndLine, len(f.Lines))
	}
	// Each build stage copies from the one before: the target needs all.
	if got, want := len(f.Reachable(f.Stages[len(f.Stages)-1])), len(f.Stages); got != want {
		t.Errorf("%d of %d stages reachable", got, want)
	}
}

// parseCorpus parses one corpus file into the model.
func parseCorpus(t *testing.T, name string) *dockerfile.File {
	t.Helper()
	for _, cf := range loadCorpus(t) {
		if cf.name == name {
			f, err := dockerfile.Parse(name, cf.src, dockerfile.Options{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return f
		}
	}
	t.Fatalf("no corpus file %s", name)
	return nil
}

// instrAt returns the instruction starting at a line.
func instrAt(t *testing.T, f *dockerfile.File, line int) *dockerfile.Instruction {
	t.Helper()
	for _, in := range f.Instructions {
		if in.StartLine == line {
			return in
		}
	}
	t.Fatalf("%s: no instruction starts at line %d", f.Path, line)
	return nil
}

func wantSpan(t *testing.T, in *dockerfile.Instruction, kind dockerfile.Kind, start, end int) {
	t.Helper()
	if in.Kind != kind || in.StartLine != start || in.EndLine != end {
		t.Errorf("got %s %d-%d, want %s %d-%d", in.Kind, in.StartLine, in.EndLine, kind, start, end)
	}
}

func TestCorpusHeredocs(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "heredoc-run.Dockerfile")
	run := instrAt(t, f, 3)
	wantSpan(t, run, dockerfile.KindRun, 3, 8)
	if s, ok := run.Run.Script(); !ok || !strings.HasPrefix(s, "set -eux\napt-get update\n") {
		t.Errorf("heredoc script = %q, %v", s, ok)
	}
	quoted := instrAt(t, f, 9)
	if hs := quoted.Run.Heredocs; len(hs) != 1 || hs[0].Expand {
		t.Errorf("quoted heredoc %+v should not expand", hs)
	}

	f = parseCorpus(t, "heredoc-chomp-tabs.Dockerfile")
	run = instrAt(t, f, 3)
	wantSpan(t, run, dockerfile.KindRun, 3, 9)
	if hs := run.Run.Heredocs; len(hs) != 1 || !hs[0].Chomp {
		t.Errorf("<<-EOF heredoc = %+v, want Chomp", hs)
	}
	cp := instrAt(t, f, 10)
	wantSpan(t, cp, dockerfile.KindCopy, 10, 13)
	if hs := cp.Copy.Heredocs; len(hs) != 1 || hs[0].Name != "EOT" || cp.Copy.Dest != "/etc/motd" {
		t.Errorf("COPY <<-EOT = %+v", cp.Copy)
	}

	f = parseCorpus(t, "heredoc-multiple.Dockerfile")
	two := instrAt(t, f, 3)
	wantSpan(t, two, dockerfile.KindCopy, 3, 7)
	if len(two.Copy.Heredocs) != 2 {
		t.Errorf("COPY <<a.txt <<b.txt has %d heredocs", len(two.Copy.Heredocs))
	}
	runTwo := instrAt(t, f, 8)
	wantSpan(t, runTwo, dockerfile.KindRun, 8, 12)
	if len(runTwo.Run.Heredocs) != 2 {
		t.Errorf("RUN with two heredocs has %d", len(runTwo.Run.Heredocs))
	}

	f = parseCorpus(t, "heredoc-python.Dockerfile")
	if _, ok := instrAt(t, f, 3).Run.Script(); !ok {
		t.Error("RUN python3 <<EOF: the shell starts python3, so it is a shell script")
	}
	if _, ok := instrAt(t, f, 7).Run.Script(); ok {
		t.Error("RUN <<EOF with a python shebang is not a shell script")
	}
	if _, ok := instrAt(t, f, 11).Run.Script(); !ok {
		t.Error("RUN <<EOF with a bash shebang is a shell script")
	}
}

func TestCorpusContinuations(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "continuation-comments.Dockerfile")
	run := instrAt(t, f, 4)
	wantSpan(t, run, dockerfile.KindRun, 4, 15)
	line := run.Run.CommandLine()
	if strings.Contains(line, "TLS roots") || strings.Contains(line, "commented-out") {
		t.Errorf("comment lines leaked into the command: %q", line)
	}
	if !strings.Contains(run.Original, "# TLS roots") {
		t.Error("Original lost the comment lines")
	}
	empty := instrAt(t, f, 16)
	wantSpan(t, empty, dockerfile.KindRun, 16, 18)
	if len(f.Warnings) == 0 {
		t.Error("no parser warning for the empty continuation line")
	}

	f = parseCorpus(t, "json-multiline.Dockerfile")
	ep := instrAt(t, f, 4)
	wantSpan(t, ep, dockerfile.KindEntrypoint, 4, 8)
	if ep.Exec.Shell || strings.Join(ep.Exec.Args, " ") != "/venv/bin/python3 -m gunicorn" {
		t.Errorf("multi-line JSON ENTRYPOINT = %+v", ep.Exec)
	}

	f = parseCorpus(t, "tabs-indent.Dockerfile")
	run = instrAt(t, f, 2)
	wantSpan(t, run, dockerfile.KindRun, 2, 4)
	if env := instrAt(t, f, 5); env.KeyValues == nil || env.KeyValues.Pairs[0].Key != "TZ" {
		t.Errorf("tab-separated ENV = %+v", env.KeyValues)
	}
}

func TestCorpusLineEndings(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "crlf.Dockerfile")
	if !f.CRLF {
		t.Error("CRLF not detected")
	}
	for i, l := range f.Lines {
		if strings.ContainsRune(l, '\r') {
			t.Errorf("line %d keeps a carriage return", i+1)
		}
	}
	run := instrAt(t, f, 3)
	wantSpan(t, run, dockerfile.KindRun, 3, 6)
	if strings.ContainsRune(run.Run.CommandLine(), '\r') {
		t.Errorf("command line keeps a carriage return: %q", run.Run.CommandLine())
	}
	hd := instrAt(t, f, 7)
	wantSpan(t, hd, dockerfile.KindRun, 7, 10)
	// BuildKit keeps a heredoc body byte for byte, CRLF included, and
	// hands it to the shell that way; the model must not hide that.
	if s, _ := hd.Run.Script(); s != "set -e\r\necho crlf heredoc\r\n" {
		t.Errorf("heredoc body = %q", s)
	}

	f = parseCorpus(t, "no-trailing-newline.Dockerfile")
	last := f.Instructions[len(f.Instructions)-1]
	if last.EndLine != len(f.Lines) || len(f.Lines) != 4 {
		t.Errorf("last instruction ends at %d of %d lines", last.EndLine, len(f.Lines))
	}
}

func TestCorpusEscapeToken(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "escape-backtick-windows.Dockerfile")
	if f.Escape != '`' {
		t.Errorf("escape = %q, want backtick", f.Escape)
	}
	if v, ok := f.Directive("escape"); !ok || v != "`" {
		t.Errorf("escape directive = %q, %v", v, ok)
	}
	env := instrAt(t, f, 4)
	wantSpan(t, env, dockerfile.KindEnv, 4, 5)
	if p := env.KeyValues.Pairs; len(p) != 2 || p[0].Value != `C:\app` || p[1].Value != `C:\logs` {
		t.Errorf("ENV with Windows paths = %+v", p)
	}
	run := instrAt(t, f, 7)
	wantSpan(t, run, dockerfile.KindRun, 7, 9)
	if strings.Contains(run.Run.CommandLine(), "comment inside") {
		t.Error("comment line leaked into a backtick-continued RUN")
	}
	if w := instrAt(t, f, 6); w.Value != `C:\app` {
		t.Errorf("WORKDIR = %q", w.Value)
	}

	f = parseCorpus(t, "explicit-backslash-escape.Dockerfile")
	if f.Escape != '\\' {
		t.Errorf("escape = %q, want backslash", f.Escape)
	}
}

func TestCorpusFromExpansion(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "arg-from-defaults.Dockerfile")
	want := []struct {
		raw        string
		unresolved bool
	}{
		{"golang:1.26-trixie", false},                        // ${GO_VERSION:-1.25} with GO_VERSION set
		{"docker.io/library/debian:trixie-slim", false},      // ${REGISTRY:-docker.io}, REGISTRY declared without value
		{"gcr.io/distroless/static-debian13:latest", false},  // ${VARIANT:+-$VARIANT} with VARIANT unset
		{"gcr.io/distroless/static-debian13:nonroot", false}, // ${NOT_DECLARED:-nonroot}
	}
	if len(f.Stages) != len(want) {
		t.Fatalf("%d stages", len(f.Stages))
	}
	for i, w := range want {
		if got := f.Stages[i].Base; got.Raw != w.raw || got.Unresolved != w.unresolved {
			t.Errorf("stage %d base = %q (unresolved %v), want %q (%v)", i, got.Raw, got.Unresolved, w.raw, w.unresolved)
		}
	}
	// Build args override defaults, as with docker build --build-arg.
	g, err := dockerfile.Parse("x", []byte("ARG V\nFROM alpine:${V}\nFROM debian:${V:-trixie}\n"), dockerfile.Options{BuildArgs: map[string]string{"V": "3.22"}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Stages[0].Base.Raw != "alpine:3.22" || g.Stages[1].Base.Raw != "debian:3.22" {
		t.Errorf("build-arg expansion: %q, %q", g.Stages[0].Base.Raw, g.Stages[1].Base.Raw)
	}
	g, err = dockerfile.Parse("x", []byte("ARG V\nFROM alpine:${V}\n"), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !g.Stages[0].Base.Unresolved {
		t.Errorf("an ARG without value must leave the base unresolved: %+v", g.Stages[0].Base)
	}

	f = parseCorpus(t, "cross-platform-go.Dockerfile")
	if f.Stages[0].Platform != "$BUILDPLATFORM" || f.Stages[0].Base.Raw != "golang:1.26-trixie" {
		t.Errorf("stage 0: platform %q base %q", f.Stages[0].Platform, f.Stages[0].Base.Raw)
	}
}

func TestCorpusCheckDirective(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "syntax-check-directives.Dockerfile")
	if v, ok := f.Directive("syntax"); !ok || v != "docker/dockerfile:1.7" {
		t.Errorf("syntax = %q, %v", v, ok)
	}
	if v, ok := f.Directive("check"); !ok || !strings.Contains(v, "skip=StageNameCasing") {
		t.Errorf("check = %q, %v", v, ok)
	}
	src := loadCorpusFile(t, "syntax-check-directives.Dockerfile")
	has := func(src []byte, rule string) bool {
		res, err := Check(context.Background(), src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range res.Findings {
			if fd.Rule == rule {
				return true
			}
		}
		return false
	}
	if has(src, "StageNameCasing") {
		t.Error("# check=skip=StageNameCasing is not honoured")
	}
	// Control: without the directive BuildKit reports the stage name.
	without := strings.Replace(string(src), "# check=skip=StageNameCasing,JSONArgsRecommended;error=false\n", "", 1)
	if !has([]byte(without), "StageNameCasing") {
		t.Error("StageNameCasing not reported without the directive")
	}
}

func loadCorpusFile(t *testing.T, name string) []byte {
	t.Helper()
	for _, cf := range loadCorpus(t) {
		if cf.name == name {
			return cf.src
		}
	}
	t.Fatalf("no corpus file %s", name)
	return nil
}

func TestCorpusStages(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "empty-stage.Dockerfile")
	empty := f.Stage("empty")
	if empty == nil || len(empty.Instructions) != 0 || empty.EndLine() != empty.From.StartLine {
		t.Errorf("empty stage = %+v", empty)
	}
	if deps := f.Stages[2].DependsOn; len(deps) != 1 || deps[0] != empty {
		t.Errorf("final stage depends on %v", deps)
	}

	f = parseCorpus(t, "stage-named-like-image.Dockerfile")
	app := f.Stage("app")
	if app.BaseStage == nil || app.BaseStage.Name != "node" {
		t.Errorf("FROM node must mean the stage named node, got base %+v", app.Base)
	}
	if app.RootBase().Raw != "node:22-trixie-slim" {
		t.Errorf("root base = %q", app.RootBase().Raw)
	}

	f = parseCorpus(t, "copy-from.Dockerfile")
	final := f.Stages[2]
	if len(final.DependsOn) != 2 || final.DependsOn[0].Name != "build" || final.DependsOn[1].Index != 1 {
		t.Errorf("depends on %v", final.DependsOn)
	}
	if len(final.ExternalCopies) != 2 || final.ExternalCopies[0].Repository != "astral-sh/uv" || final.ExternalCopies[1].Tag != "1.37-musl" {
		t.Errorf("external copies = %+v", final.ExternalCopies)
	}

	f = parseCorpus(t, "unreachable-stages.Dockerfile")
	prod := f.Stage("prod")
	var names []string
	for _, st := range f.Reachable(prod) {
		names = append(names, st.Ref())
	}
	if strings.Join(names, ",") != "base,build,prod" {
		t.Errorf("reachable from prod: %v", names)
	}
}

func TestCorpusInstructions(t *testing.T) {
	t.Parallel()
	f := parseCorpus(t, "onbuild.Dockerfile")
	ob := instrAt(t, f, 4)
	if ob.Kind != dockerfile.KindOnbuild || ob.Onbuild == nil || ob.Onbuild.Kind != dockerfile.KindRun || ob.Onbuild.Run == nil {
		t.Errorf("ONBUILD RUN = %+v", ob.Onbuild)
	}

	f = parseCorpus(t, "healthcheck.Dockerfile")
	if h := instrAt(t, f, 2).Healthcheck; h == nil || !h.None {
		t.Errorf("HEALTHCHECK NONE = %+v", h)
	}
	if h := instrAt(t, f, 5).Healthcheck; h == nil || h.Shell() || h.Test[0] != "CMD" {
		t.Errorf("HEALTHCHECK CMD [...] = %+v", h)
	}
	if h := instrAt(t, f, 9).Healthcheck; h == nil || !h.Shell() {
		t.Errorf("HEALTHCHECK CMD shell form = %+v", h)
	}

	f = parseCorpus(t, "legacy-env-label.Dockerfile")
	if kv := instrAt(t, f, 3).KeyValues.Pairs; len(kv) != 1 || !kv[0].Legacy || kv[0].Value != "noninteractive" {
		t.Errorf("legacy ENV = %+v", kv)
	}
	if kv := instrAt(t, f, 4).KeyValues.Pairs; kv[0].Value != "/opt/app with spaces" {
		t.Errorf("legacy ENV with spaces = %+v", kv)
	}
	if m := instrAt(t, f, 2); m.Kind != dockerfile.KindMaintainer || !strings.Contains(m.Value, "jane@example.com") {
		t.Errorf("MAINTAINER = %+v", m)
	}

	f = parseCorpus(t, "volume-expose.Dockerfile")
	if w := instrAt(t, f, 3).Words; len(w) != 2 || w[1] != "/run/postgresql" {
		t.Errorf("VOLUME JSON = %v", w)
	}
	if w := strings.Join(instrAt(t, f, 6).Words, " "); !strings.Contains(w, "53/udp") || !strings.Contains(w, "9187/tcp") {
		t.Errorf("EXPOSE = %v", w)
	}

	f = parseCorpus(t, "run-mounts.Dockerfile")
	run := instrAt(t, f, 6)
	if len(run.Run.Mounts) != 4 || run.Run.Mounts[0].Type != "secret" || run.Run.Mounts[2].Target != "/root/.cache/pip" {
		t.Errorf("mounts = %+v", run.Run.Mounts)
	}
	if off := instrAt(t, f, 11); off.Run.Network != "none" {
		t.Errorf("--network = %q", off.Run.Network)
	}

	f = parseCorpus(t, "lowercase-keywords.Dockerfile")
	if in := instrAt(t, f, 4); in.Kind != dockerfile.KindRun || in.Keyword != "run" {
		t.Errorf("lower-case RUN = %s %q", in.Kind, in.Keyword)
	}
	f = parseCorpus(t, "mixed-case-keywords.Dockerfile")
	if in := instrAt(t, f, 7); in.Kind != dockerfile.KindCopy || in.Copy.From != "Deps" {
		t.Errorf("cOpY --from=Deps = %+v", in.Copy)
	}
}

// A Dockerfile that does not parse is a finding, never an error; the
// only errors are the documented ones.
func TestCheckErrors(t *testing.T) {
	t.Parallel()
	_, err := Check(t.Context(), make([]byte, 2<<20), Options{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("large input: %v", err)
	}
	_, err = Check(t.Context(), []byte("FROM alpine AS a\n"), Options{Target: "nope"})
	var te *TargetError
	if !errors.As(err, &te) {
		t.Errorf("unknown target: %v", err)
	}
	res, err := Check(t.Context(), []byte("RUN echo\n"), Options{})
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Rule != rules.SyntaxError.Name {
		t.Errorf("no FROM: %v %+v", err, res)
	}
}
