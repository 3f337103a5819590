package analyzer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
)

func check(t *testing.T, src string, opt analyzer.Options) *analyzer.Result {
	t.Helper()
	if opt.Path == "" {
		opt.Path = "Dockerfile"
	}
	res, err := analyzer.Check(context.Background(), []byte(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rulesOf(res *analyzer.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Rule)
	}
	return out
}

func has(res *analyzer.Result, rule string, line int) bool {
	for _, f := range res.Findings {
		if f.Rule == rule && f.StartLine == line {
			return true
		}
	}
	return false
}

const rootImage = "FROM debian:latest\nUSER root\nCMD [\"/bin/true\"]\n"

func TestSuppressions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src string
		rule      string
		line      int
		want      bool
	}{
		{"none", rootImage, "RunsAsRoot", 2, true},
		{"distill above", "FROM debian:latest\n# distill ignore=RunsAsRoot needs raw sockets\nUSER root\n", "RunsAsRoot", 3, false},
		{"distill above other rule", "FROM debian:latest\n# distill ignore=LatestOrMissingTag\nUSER root\n", "RunsAsRoot", 3, true},
		{"distill file-wide", "# distill ignore-file=LatestOrMissingTag,RunsAsRoot\n" + rootImage, "RunsAsRoot", 3, false},
		{"hadolint id", "FROM debian:latest\n# hadolint ignore=DL3002\nUSER root\n", "RunsAsRoot", 3, false},
		{"hadolint global", "# hadolint global ignore=DL3007\n" + rootImage, "LatestOrMissingTag", 2, false},
		{"comment block above", "FROM debian:latest\n# distill ignore=RunsAsRoot\n# we need it\nUSER root\n", "RunsAsRoot", 4, false},
		{"blank line breaks block", "FROM debian:latest\n# distill ignore=RunsAsRoot\n\nUSER root\n", "RunsAsRoot", 4, true},
		{"buildkit check directive", "# check=skip=JSONArgsRecommended\nFROM golang:1.26-trixie AS b\nCMD go test\nFROM scratch\nCOPY --from=b /x /x\n", "JSONArgsRecommended", 3, false},
		{"buildkit rule via distill ignore", "FROM golang:1.26-trixie AS b\n# distill ignore=JSONArgsRecommended\nCMD go test\nFROM scratch\nCOPY --from=b /x /x\n", "JSONArgsRecommended", 3, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := check(t, tc.src, analyzer.Options{})
			if got := has(res, tc.rule, tc.line); got != tc.want {
				t.Errorf("%s at line %d reported = %v, want %v (findings %v)", tc.rule, tc.line, got, tc.want, rulesOf(res))
			}
		})
	}
}

func TestConfigDisablesAndOverridesSeverity(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse("c", []byte("rules:\n  disable: [LatestOrMissingTag]\n  severity:\n    RunsAsRoot: error\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	res := check(t, rootImage, analyzer.Options{Config: cfg})
	for _, f := range res.Findings {
		if f.Rule == "LatestOrMissingTag" {
			t.Errorf("disabled rule reported: %s", f.Message)
		}
		if f.Rule == "RunsAsRoot" && f.Severity != analyzer.Error {
			t.Errorf("RunsAsRoot severity = %s, want error", f.Severity)
		}
	}
	if !has(res, "RunsAsRoot", 2) {
		t.Error("RunsAsRoot missing")
	}
}

func TestTargetSelectsStages(t *testing.T) {
	t.Parallel()
	src := "FROM debian:latest AS dev\nUSER root\nFROM gcr.io/distroless/static-debian13:nonroot AS prod\nCOPY x /x\n"
	if res := check(t, src, analyzer.Options{}); has(res, "RunsAsRoot", 2) || has(res, "LatestOrMissingTag", 1) || res.Target != "prod" {
		t.Errorf("default target: unreachable dev stage analysed: %v (target %s)", rulesOf(res), res.Target)
	}
	if res := check(t, src, analyzer.Options{Target: "dev"}); !has(res, "RunsAsRoot", 2) {
		t.Errorf("--target dev: RunsAsRoot missing: %v", rulesOf(res))
	}
	cfg := &config.Config{Targets: map[string]string{"Dockerfile": "dev"}}
	if res := check(t, src, analyzer.Options{Config: cfg}); res.Target != "dev" {
		t.Errorf("config target ignored: %s", res.Target)
	}
	_, err := analyzer.Check(context.Background(), []byte(src), analyzer.Options{Target: "nope"})
	var te *analyzer.TargetError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "stages are: dev, prod") {
		t.Errorf("unknown target error = %v", err)
	}
}

func TestSyntaxErrorIsAFinding(t *testing.T) {
	t.Parallel()
	res := check(t, "FROM debian:trixie\nRUN <<EOF\necho\n", analyzer.Options{})
	if len(res.Findings) != 1 || res.Findings[0].Rule != "SyntaxError" || res.Findings[0].StartLine != 2 || res.File != nil {
		t.Fatalf("findings = %+v", res.Findings)
	}
	for _, src := range []string{"", "\n\n", "# only a comment\n", "RUN echo before from\n", "\x00\xff\xfe"} {
		res := check(t, src, analyzer.Options{})
		if len(res.Findings) != 1 || res.Findings[0].Rule != "SyntaxError" {
			t.Errorf("%q: findings = %+v", src, res.Findings)
		}
	}
}

func TestTooLarge(t *testing.T) {
	t.Parallel()
	src := "FROM debian:trixie\n" + strings.Repeat("RUN true\n", 200)
	_, err := analyzer.Check(context.Background(), []byte(src), analyzer.Options{MaxSize: 100})
	if !errors.Is(err, analyzer.ErrTooLarge) || !strings.Contains(err.Error(), "limit 100") {
		t.Fatalf("err = %v", err)
	}
}

func TestCRLFAndNoTrailingNewline(t *testing.T) {
	t.Parallel()
	src := "FROM debian:latest\r\nUSER root\r\nCMD /bin/true"
	res := check(t, src, analyzer.Options{})
	if !has(res, "RunsAsRoot", 2) || !has(res, "ShellFormCmd", 3) {
		t.Fatalf("findings = %v", rulesOf(res))
	}
}

func TestAtLeast(t *testing.T) {
	t.Parallel()
	fs := []analyzer.Finding{{Severity: analyzer.Warning}}
	for th, want := range map[string]bool{"error": false, "warning": true, "info": true, "none": false} {
		got, err := analyzer.AtLeast(fs, th)
		if err != nil || got != want {
			t.Errorf("AtLeast(%s) = %v, %v", th, got, err)
		}
	}
	if _, err := analyzer.AtLeast(fs, "fatal"); err == nil {
		t.Error("want error for unknown threshold")
	}
}

func TestIsDockerfileName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"Dockerfile": true, "dockerfile": true, "Dockerfile.prod": true, "api.Dockerfile": true, "x/y/Containerfile": true,
		"build.containerfile": true, "Dockerfile.dockerignore": false, "Dockerfile.golden": false, "README.md": false,
		"Dockerfiles": false, "my-dockerfile": false, "Dockerfile.md": false,
	} {
		if got := analyzer.IsDockerfileName(name); got != want {
			t.Errorf("IsDockerfileName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestCheckConversionIsTheConvertersProposal: the proposal a review shows
// next to the findings is the conversion the rules compared the file with,
// the same as Convert gives, and a file that does not parse is declined.
func TestCheckConversionIsTheConvertersProposal(t *testing.T) {
	ctx := context.Background()
	src := []byte("FROM golang:1.26\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n")
	res, err := analyzer.Check(ctx, src, analyzer.Options{Path: "Dockerfile"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := res.Conversion()
	if err != nil {
		t.Fatal(err)
	}
	want, err := analyzer.Convert(src, analyzer.ConvertOptions{Path: "Dockerfile"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != want.Status || string(got.Dockerfile) != string(want.Dockerfile) {
		t.Errorf("Check's conversion differs from Convert's:\n%s\nvs\n%s", got.Dockerfile, want.Dockerfile)
	}
	again, _ := res.Conversion()
	if again != got {
		t.Error("Conversion converted the file again instead of reusing the rules' conversion")
	}

	bad, err := analyzer.Check(ctx, []byte("FROM\n"), analyzer.Options{Path: "Dockerfile"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := bad.Conversion()
	if err != nil || p.Status != "declined" || !strings.Contains(p.Decline.Reason, "does not parse") {
		t.Errorf("a file that does not parse: %+v, %v", p, err)
	}
}
