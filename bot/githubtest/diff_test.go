package githubtest

import (
	"strings"
	"testing"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
	"github.com/google/go-cmp/cmp"
)

func TestComputeHunksGitFormat(t *testing.T) {
	t.Parallel()
	old := "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nCMD [\"/app\"]\n"
	new := "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\n\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nCMD [\"/app\"]\n"
	got := renderPatch(computeHunks(old, new, 3))
	want := strings.Join([]string{
		"@@ -1,5 +1,8 @@",
		"-FROM golang:1.22",
		"+FROM golang:1.22 AS build",
		" WORKDIR /src",
		" COPY . .",
		" RUN go build -o /app",
		"+",
		"+FROM gcr.io/distroless/static",
		"+COPY --from=build /app /app",
		" CMD [\"/app\"]",
	}, "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patch (-want +got):\n%s", diff)
	}
}

func TestComputeHunksEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"added file", "", "a\nb\n", "@@ -0,0 +1,2 @@\n+a\n+b"},
		{"one-line file", "", "a\n", "@@ -0,0 +1 @@\n+a"},
		{"removed file", "a\nb\n", "", "@@ -1,2 +0,0 @@\n-a\n-b"},
		{"missing newline", "a\nb", "a\nc", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file"},
		{
			"function context and two hunks",
			// The same texts through `git diff --no-index` (a gap of 7 lines splits the hunks, 6 would not).
			"FROM a\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n",
			"FROM a\n1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\nthirteen\n",
			"@@ -3,7 +3,7 @@ FROM a\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@ -11,4 +11,4 @@ FROM a\n 10\n 11\n 12\n-13\n+thirteen",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := renderPatch(computeHunks(tt.old, tt.new, 3))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("patch (-want +got):\n%s", diff)
			}
		})
	}
}

// The patches must be real unified diffs: a maintained parser (go-gitdiff) applies them and gets the
// new file back.
func TestPatchesApplyWithGitdiff(t *testing.T) {
	t.Parallel()
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n"
	new := "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\nk\nl\n"
	patch := renderPatch(computeHunks(old, new, 3))
	text := "diff --git a/f b/f\n--- a/f\n+++ b/f\n" + patch + "\n"
	files, _, err := gitdiff.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	var out strings.Builder
	if err := gitdiff.Apply(&out, strings.NewReader(old), files[0]); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if out.String() != new {
		t.Errorf("applied = %q, want %q", out.String(), new)
	}
}

func TestFindLineSidesAndPositions(t *testing.T) {
	t.Parallel()
	fd := fileDiff{Hunks: computeHunks("a\nb\nc\n", "a\nB\nc\nd\n", 3)}
	// @@ -1,3 +1,4 @@ /  a / -b / +B / c / +d
	cases := []struct {
		side string
		line int
		ok   bool
		pos  int
	}{
		{"RIGHT", 1, true, 1}, {"RIGHT", 2, true, 3}, {"RIGHT", 4, true, 5},
		{"LEFT", 2, true, 2}, {"LEFT", 3, true, 4}, {"LEFT", 4, false, 0}, {"RIGHT", 5, false, 0},
	}
	for _, c := range cases {
		a, ok := fd.findLine(c.side, c.line)
		if ok != c.ok || (ok && a.position != c.pos) {
			t.Errorf("findLine(%s, %d) = %+v, %v; want position %d, %v", c.side, c.line, a, ok, c.pos, c.ok)
		}
	}
	if _, _, ok := fd.findPosition(6); ok {
		t.Error("position past the patch accepted")
	}
	if _, l, ok := fd.findPosition(3); !ok || l.NewLine != 2 {
		t.Errorf("position 3 = %+v, %v", l, ok)
	}
}

func TestDiffTreesStatuses(t *testing.T) {
	t.Parallel()
	s := newObjectStore()
	blob := func(c string) string { return s.putBlob([]byte(c)) }
	base := map[string]fileEntry{
		"keep":    {ModeFile, blob("same\n")},
		"mod":     {ModeFile, blob("1\n")},
		"gone":    {ModeFile, blob("bye\n")},
		"old/loc": {ModeFile, blob("moved\n")},
		"bin":     {ModeFile, blob("\x00\x01")},
	}
	head := map[string]fileEntry{
		"keep":    {ModeFile, blob("same\n")},
		"mod":     {ModeExecutable, blob("2\n")},
		"new":     {ModeFile, blob("hi\n")},
		"new/loc": {ModeFile, blob("moved\n")},
		"bin":     {ModeFile, blob("\x00\x02")},
	}
	got := diffTrees(s, base, head, DefaultPatchLimits)
	type row struct {
		Path, Prev, Status string
		Add, Del           int
		HasPatch           bool
	}
	var rows []row
	for _, f := range got {
		rows = append(rows, row{f.Path, f.PreviousPath, f.Status, f.Additions, f.Deletions, f.HasPatch})
	}
	want := []row{
		{"bin", "", "modified", 0, 0, false},
		{"gone", "", "removed", 0, 1, true},
		{"mod", "", "modified", 1, 1, true},
		{"new", "", "added", 1, 0, true},
		{"new/loc", "old/loc", "renamed", 0, 0, false},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	limited := diffTrees(s, base, head, PatchLimits{MaxLines: 2})
	for _, f := range limited {
		if f.Path == "mod" && (f.HasPatch || f.Additions != 1) {
			t.Errorf("over the limit: patch kept or counts lost: %+v", f)
		}
	}
}
