package review

import (
	"context"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/config"
)

const patchModified = `@@ -1,4 +1,5 @@
 FROM golang:1.26-trixie AS build
+RUN go build -o /out/app .
 FROM gcr.io/distroless/static-debian13
 COPY --from=build /out/app /app
-CMD /app
+CMD /app --serve`

func TestParseHunks(t *testing.T) {
	t.Parallel()
	hs, err := ParseHunks("Dockerfile", patchModified)
	if err != nil || len(hs) != 1 {
		t.Fatalf("hunks = %v, %v", hs, err)
	}
	h := hs[0]
	if h.Start != 1 || h.End != 5 || !h.Contains(1, 5) || h.Contains(5, 6) {
		t.Errorf("hunk = %+v", h)
	}
	two := "@@ -1,2 +1,2 @@\n a\n-b\n+B\n@@ -10,2 +10,3 @@\n j\n+k\n l\n"
	hs, _ = ParseHunks("f", two)
	if len(hs) != 2 || hunkFor(hs, 2, 10) != -1 || hunkFor(hs, 10, 12) != 1 || hunkFor(hs, 5, 5) != -1 {
		t.Errorf("two hunks = %+v", hs)
	}
}

func analyse(t *testing.T, path, src string) File {
	t.Helper()
	res, err := analyzer.Check(context.Background(), []byte(src), analyzer.Options{Path: path, Config: &config.Config{}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := analyzer.Convert([]byte(src), analyzer.ConvertOptions{Path: path, Config: &config.Config{}})
	if err != nil {
		t.Fatal(err)
	}
	return File{Path: path, Content: []byte(src), Findings: res.Findings, Proposal: p}
}

const modifiedSrc = "FROM golang:1.26-trixie AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian13\nCOPY --from=build /out/app /app\nCMD /app --serve\n"

func TestSuggestionsOnlyInsideHunks(t *testing.T) {
	t.Parallel()
	f := analyse(t, "Dockerfile", modifiedSrc)
	f.Status, f.Patch = "modified", patchModified
	out := Build(Input{HeadSHA: "0123456789abcdef", Files: []File{f}, CommandsEnabled: true})
	if len(out.Comments) == 0 {
		t.Fatal("no inline comments")
	}
	hs, _ := ParseHunks(f.Path, f.Patch)
	for _, c := range out.Comments {
		start := c.StartLine
		if start == 0 {
			start = c.Line
		}
		if hunkFor(hs, start, c.Line) < 0 {
			t.Errorf("comment outside the diff: %+v", c)
		}
		if c.StartLine != 0 && c.StartLine >= c.Line {
			t.Errorf("start_line must precede line: %+v", c)
		}
	}
	var sawCmdSuggestion bool
	for _, c := range out.Comments {
		if c.Line == 5 && strings.Contains(c.Body, "```suggestion\nCMD [\"/app\", \"--serve\"]\n```") {
			sawCmdSuggestion = true
		}
	}
	if !sawCmdSuggestion {
		t.Errorf("no exec-form suggestion on line 5: %+v", out.Comments)
	}
	if !strings.Contains(out.Body, "<!-- distill:review head=0123456789abcdef fingerprints=") || !strings.Contains(out.Body, "/optimize") {
		t.Errorf("body lacks the marker or the /optimize hint:\n%s", out.Body)
	}
	if h, ok := Marker(out.Body); !ok || h != "0123456789abcdef" {
		t.Errorf("Marker = %q %v", h, ok)
	}
}

func TestAddedFileGetsWholeConversion(t *testing.T) {
	t.Parallel()
	src := "FROM golang:1.16-slim\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nCMD [\"./main\"]\n"
	f := analyse(t, "svc/Dockerfile", src)
	f.Status = "added"
	f.Patch = "@@ -0,0 +1,5 @@\n+FROM golang:1.16-slim\n+WORKDIR /app\n+COPY . .\n+RUN go build -o main .\n+CMD [\"./main\"]"
	out := Build(Input{HeadSHA: "abc", Files: []File{f}})
	if len(out.Comments) != 1 {
		t.Fatalf("want one whole-file suggestion, got %d: %+v", len(out.Comments), out.Comments)
	}
	c := out.Comments[0]
	if c.StartLine != 1 || c.Line != 5 || !strings.Contains(c.Body, "FROM gcr.io/distroless/static-debian13:nonroot") || !strings.Contains(c.Body, "```suggestion") {
		t.Errorf("comment = %+v", c)
	}
}

func TestOutsideDiffGoesToBody(t *testing.T) {
	t.Parallel()
	f := analyse(t, "Dockerfile", modifiedSrc)
	f.Status, f.Patch = "modified", "@@ -2,1 +2,1 @@\n-RUN go build .\n+RUN go build -o /out/app ."
	out := Build(Input{HeadSHA: "abc", Files: []File{f}})
	for _, c := range out.Comments {
		if c.Line != 2 {
			t.Errorf("comment on line %d outside the diff", c.Line)
		}
	}
	if !strings.Contains(out.Body, "| `Dockerfile` | 5 |") {
		t.Errorf("finding on line 5 missing from the body table:\n%s", out.Body)
	}
}

func TestPreviousFindingsAreNotRepeatedAndResolvedAreNoted(t *testing.T) {
	t.Parallel()
	f := analyse(t, "Dockerfile", modifiedSrc)
	f.Status, f.Patch = "modified", patchModified
	first := Build(Input{HeadSHA: "a", Files: []File{f}})
	var prev []Previous
	for _, c := range first.Current {
		prev = append(prev, Previous{Fingerprint: c.Fingerprint, Path: c.Path, Rule: c.Rule})
	}
	prev = append(prev, Previous{Fingerprint: "deadbeef", Path: "Dockerfile", Rule: "LatestOrMissingTag"})
	second := Build(Input{HeadSHA: "b", Files: []File{f}, Previous: prev})
	if len(second.Comments) != 0 {
		t.Errorf("repeated %d comments", len(second.Comments))
	}
	if len(second.Resolved) != 1 || !strings.Contains(second.Body, "~~LatestOrMissingTag in `Dockerfile`~~") {
		t.Errorf("resolved = %+v\n%s", second.Resolved, second.Body)
	}
	if !strings.Contains(second.Body, "already reported") {
		t.Errorf("body does not list the open findings:\n%s", second.Body)
	}
}

func TestInlineCapAndBodyLimit(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	var patch strings.Builder
	b.WriteString("FROM debian:trixie-slim\n")
	patch.WriteString("@@ -0,0 +1,41 @@\n+FROM debian:trixie-slim\n")
	for i := 0; i < 40; i++ {
		b.WriteString("ADD file /x\n")
		patch.WriteString("+ADD file /x\n")
	}
	f := File{Path: "Dockerfile", Status: "modified", Content: []byte(b.String()), Patch: patch.String()}
	for i := 0; i < 40; i++ {
		f.Findings = append(f.Findings, analyzer.Finding{Rule: "AddInsteadOfCopy", Path: "Dockerfile", StartLine: i + 2, EndLine: i + 2, Severity: analysis.Info, Message: strings.Repeat("long message ", 200)})
	}
	out := Build(Input{HeadSHA: "abc", Files: []File{f}})
	if len(out.Comments) != MaxInline {
		t.Errorf("comments = %d, want %d", len(out.Comments), MaxInline)
	}
	if len(out.Body) > MaxBody || !strings.HasSuffix(out.Body, "-->\n") {
		t.Errorf("body length %d (limit %d) or marker lost", len(out.Body), MaxBody)
	}
	if len(out.Annotations) != 40 {
		t.Errorf("annotations = %d", len(out.Annotations))
	}
}

func TestCheckConclusion(t *testing.T) {
	t.Parallel()
	f := analyse(t, "Dockerfile", modifiedSrc)
	if got := Build(Input{Files: []File{f}}).Conclusion; got != "neutral" {
		t.Errorf("default conclusion = %s", got)
	}
	if got := Build(Input{Files: []File{f}, FailOn: "warning"}).Conclusion; got != "failure" {
		t.Errorf("fail_on warning conclusion = %s", got)
	}
	if got := Build(Input{Files: []File{{Path: "Dockerfile"}}}).Conclusion; got != "success" {
		t.Errorf("clean conclusion = %s", got)
	}
}

func TestSuggestionFence(t *testing.T) {
	t.Parallel()
	if got := suggestionBlock("RUN echo ```x```"); !strings.HasPrefix(got, "````suggestion") {
		t.Errorf("fence = %q", got)
	}
}
