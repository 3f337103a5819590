package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// run runs one rule over src with an outlook, as the engine does when the
// converter is wired in.
func runWithOutlook(t *testing.T, r *analysis.Rule, src string, o analysis.Outlook) []*analysis.Finding {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*analysis.Finding
	opt := analysis.Options{Debian: 13, NonRoot: true, Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC),
		Outlook: func() analysis.Outlook { return o }}
	r.Run(analysis.NewPass(f, f.Stages[len(f.Stages)-1], opt, &out)(r))
	return out
}

func TestFinalImageRulesFollowTheOutlook(t *testing.T) {
	t.Parallel()
	slim := "FROM golang:1.26-trixie AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:trixie-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"
	single := "FROM golang:1.26-trixie\nRUN go build -o /app .\nENTRYPOINT [\"/app\"]\n"
	toolchain := "FROM python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n"
	declined := analysis.Outlook{Known: true, Convertible: false, Recipe: "golang", Reason: "the binary shells out to git", Alternative: "keep debian:trixie-slim"}
	converted := analysis.Outlook{Known: true, Convertible: true, Recipe: "golang", FinalImage: "gcr.io/distroless/base-debian13:nonroot"}
	cases := []struct {
		rule *analysis.Rule
		src  string
		o    analysis.Outlook
		sev  analysis.Severity
		want string
	}{
		{NonMinimalFinalImage, slim, converted, analysis.Info, "`distill fix` converts it to gcr.io/distroless/base-debian13:nonroot"},
		{NonMinimalFinalImage, slim, declined, analysis.Info, "distroless does not fit: the binary shells out to git; instead: keep debian:trixie-slim (`distill fix` declines for this reason)"},
		{SingleStageBuild, single, converted, analysis.Warning, "`distill fix` converts it to gcr.io/distroless/base-debian13:nonroot"},
		{SingleStageBuild, single, declined, analysis.Info, "distroless does not fit: the binary shells out to git"},
		{BuildToolchainInFinalImage, toolchain, declined, analysis.Info, "distroless does not fit"},
		{BuildToolchainInFinalImage, toolchain, analysis.Outlook{Known: true, Convertible: true, FinalImage: "gcr.io/distroless/python3-debian13:nonroot"}, analysis.Warning, "converts it to gcr.io/distroless/python3-debian13:nonroot"},
	}
	for _, tc := range cases {
		fs := runWithOutlook(t, tc.rule, tc.src, tc.o)
		if len(fs) != 1 {
			t.Errorf("%s: %d findings, want 1", tc.rule.Name, len(fs))
			continue
		}
		if fs[0].Severity != tc.sev || !strings.Contains(fs[0].Message, tc.want) {
			t.Errorf("%s: %s %q, want %s containing %q", tc.rule.Name, fs[0].Severity, fs[0].Message, tc.sev, tc.want)
		}
	}
}
