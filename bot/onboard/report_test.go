package onboard

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distill-bot/distill/analyzer"
)

const goSlim = "FROM golang:1.16-slim\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nEXPOSE 8080\nCMD [\"./main\"]\n"
const ruby = "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"ruby\", \"app.rb\"]\n"

func analyse(t *testing.T, p, src string) File {
	t.Helper()
	res, err := analyzer.Check(context.Background(), []byte(src), analyzer.Options{Path: p})
	if err != nil {
		t.Fatal(err)
	}
	prop, err := analyzer.Convert([]byte(src), analyzer.ConvertOptions{Path: p})
	if err != nil {
		t.Fatal(err)
	}
	return File{Path: p, Original: []byte(src), Findings: res.Findings, Proposal: prop}
}

func TestRenderAndCheckboxes(t *testing.T) {
	t.Parallel()
	r := Report{Repo: "acme/shop", Branch: "main", SHA: "0123456789abcdef0123456789abcdef01234567",
		Files: []File{analyse(t, "web/Dockerfile", ruby), analyse(t, "api/Dockerfile", goSlim), {Path: "big/Dockerfile", Problem: "the file is 2000000 bytes"}}}
	body := Render(r)
	for _, s := range []string{
		"## distill report", "found 3 Dockerfiles",
		"- [ ] `api/Dockerfile` — ", "`golang:1.16-slim` → `gcr.io/distroless/static-debian13:nonroot` <!-- distill:file \"api/Dockerfile\" -->",
		"- `web/Dockerfile` — ", "no safe conversion: ",
		"### `api/Dockerfile`", "**Expected effect:** the shipped image moves from `golang:1.16-slim`", "```diff\n",
		"Not analysed: the file is 2000000 bytes",
		"<!-- distill:report sha=0123456789abcdef0123456789abcdef01234567 -->",
	} {
		if !strings.Contains(body, s) {
			t.Errorf("report lacks %q:\n%s", s, body)
		}
	}
	if !IsReport(body) || IsReport("hello") {
		t.Error("IsReport")
	}
	if diff := cmp.Diff([]string{"api/Dockerfile"}, Boxes(body)); diff != "" {
		t.Errorf("boxes (-want +got):\n%s", diff)
	}
	if got := Checked(body); len(got) != 0 {
		t.Errorf("checked in a fresh report: %v", got)
	}
	// A user ticks the box in GitHub's editor.
	ticked := strings.Replace(body, "- [ ] `api/Dockerfile`", "- [x] `api/Dockerfile`", 1)
	if diff := cmp.Diff(map[string]bool{"api/Dockerfile": true}, Checked(ticked)); diff != "" {
		t.Errorf("checked (-want +got):\n%s", diff)
	}
	applied := Apply(body, map[string]State{"api/Dockerfile": {Checked: true, Pull: 12}})
	if !strings.Contains(applied, "- [x] `api/Dockerfile` — ") || !strings.Contains(applied, " · pull request #12 <!-- distill:file \"api/Dockerfile\" -->") {
		t.Errorf("applied:\n%s", applied)
	}
	if Apply(applied, nil) == applied {
		t.Error("Apply with no state should untick")
	}
}

func TestRenderFitsGitHubsLimit(t *testing.T) {
	t.Parallel()
	var files []File
	f := analyse(t, "x", goSlim+strings.Repeat("RUN echo "+strings.Repeat("y", 60)+"\n", 30))
	for i := 0; i < 250; i++ {
		g := f
		g.Path = "svc" + strings.Repeat("z", i%7) + "/" + string(rune('a'+i%26)) + "/Dockerfile"
		files = append(files, g)
	}
	body := Render(Report{Repo: "a/b", Branch: "main", SHA: "abc", Files: files})
	if len(body) > 65536 {
		t.Errorf("body is %d characters", len(body))
	}
	if !IsReport(body) {
		t.Error("the marker was cut")
	}
}

func TestBranch(t *testing.T) {
	t.Parallel()
	a, b := Branch(5, "api/Dockerfile"), Branch(5, "api-Dockerfile")
	if !strings.HasPrefix(a, "distill/report-5-api-dockerfile-") || a == b {
		t.Errorf("branches %q, %q", a, b)
	}
	if got := Branch(5, "../../weird name/Dockerfile"); strings.Contains(got, "..") || strings.Contains(got, " ") {
		t.Errorf("branch %q", got)
	}
}
