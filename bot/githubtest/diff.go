package githubtest

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// This file turns two trees into the file list of GET /pulls/{n}/files: status, counts and a `patch` in
// GitHub's shape (hunks only, no ---/+++ header, git's hunk headers with the function-context text), and
// keeps, next to each patch, the line numbers of every hunk line so review comments can be checked the
// way GitHub checks them.

// diffLineKind is the role of one line in a hunk.
type diffLineKind byte

const (
	lineContext diffLineKind = ' '
	lineAdded   diffLineKind = '+'
	lineDeleted diffLineKind = '-'
)

// diffLine is one line of a hunk with its line numbers (0 when the line does not exist on that side).
type diffLine struct {
	Kind    diffLineKind
	OldLine int
	NewLine int
	Text    string // without the leading marker and newline
}

// hunk is one @@ section of a patch.
type hunk struct {
	Header string // "@@ -a,b +c,d @@ context"
	Lines  []diffLine
}

// fileDiff is one entry of a PR's file list.
type fileDiff struct {
	Path         string
	PreviousPath string // for renames
	Status       string // added, removed, modified, renamed, changed
	SHA          string // blob SHA of the new side (of the old side for removed files)
	Mode         string
	Additions    int
	Deletions    int
	Patch        string // empty when omitted
	HasPatch     bool
	Hunks        []hunk
}

// PatchLimits bounds the per-file patches the fake includes in pulls/files, as GitHub leaves `patch` out
// for diffs that are too large. A zero field means no limit on that measure.
type PatchLimits struct {
	MaxLines int // lines of the patch (hunk headers included)
	MaxBytes int // bytes of the patch
}

// DefaultPatchLimits follows GitHub's documented diff limits (20,000 lines or 1 MB of raw diff per file).
var DefaultPatchLimits = PatchLimits{MaxLines: 20000, MaxBytes: 1 << 20}

// isBinary applies git's heuristic: a NUL byte in the first 8,000 bytes.
func isBinary(b []byte) bool {
	if len(b) > 8000 {
		b = b[:8000]
	}
	return bytes.IndexByte(b, 0) >= 0
}

// diffTrees computes the file list between two flattened trees.
func diffTrees(store *objectStore, base, head map[string]fileEntry, limits PatchLimits) []fileDiff {
	var added, removed []string
	var out []fileDiff
	for p, h := range head {
		b, ok := base[p]
		switch {
		case !ok:
			added = append(added, p)
		case b.SHA != h.SHA:
			out = append(out, fileDiffFor(store, p, "", "modified", b, h, limits))
		case b.Mode != h.Mode:
			out = append(out, fileDiff{Path: p, Status: "changed", SHA: h.SHA, Mode: h.Mode})
		}
	}
	for p := range base {
		if _, ok := head[p]; !ok {
			removed = append(removed, p)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	// Rename detection for identical content: pair each added file with a removed file of the same blob.
	usedRemoved := map[string]bool{}
	for _, a := range added {
		renamedFrom := ""
		for _, r := range removed {
			if !usedRemoved[r] && base[r].SHA == head[a].SHA {
				renamedFrom = r
				break
			}
		}
		if renamedFrom != "" {
			usedRemoved[renamedFrom] = true
			out = append(out, fileDiff{Path: a, PreviousPath: renamedFrom, Status: "renamed", SHA: head[a].SHA, Mode: head[a].Mode})
			continue
		}
		out = append(out, fileDiffFor(store, a, "", "added", fileEntry{}, head[a], limits))
	}
	for _, r := range removed {
		if usedRemoved[r] {
			continue
		}
		out = append(out, fileDiffFor(store, r, "", "removed", base[r], fileEntry{}, limits))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func blobBytes(store *objectStore, sha string) []byte {
	if sha == "" {
		return nil
	}
	if o, ok := store.get(sha); ok && o.kind == kindBlob {
		return o.raw
	}
	return nil
}

func fileDiffFor(store *objectStore, p, prev, status string, b, h fileEntry, limits PatchLimits) fileDiff {
	fd := fileDiff{Path: p, PreviousPath: prev, Status: status, SHA: h.SHA, Mode: h.Mode}
	if status == "removed" {
		fd.SHA, fd.Mode = b.SHA, b.Mode
	}
	oldB, newB := blobBytes(store, b.SHA), blobBytes(store, h.SHA)
	if b.Mode == ModeSubmodule || h.Mode == ModeSubmodule {
		// A submodule's "content" is a commit id; GitHub shows a one-line "Subproject commit" diff.
		if b.SHA != "" {
			oldB = []byte("Subproject commit " + b.SHA + "\n")
		}
		if h.SHA != "" {
			newB = []byte("Subproject commit " + h.SHA + "\n")
		}
	}
	if isBinary(oldB) || isBinary(newB) {
		return fd // binary: counts stay 0 and there is no patch, as on GitHub
	}
	hunks := computeHunks(string(oldB), string(newB), 3)
	for _, h := range hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case lineAdded:
				fd.Additions++
			case lineDeleted:
				fd.Deletions++
			}
		}
	}
	patch := renderPatch(hunks)
	lines := strings.Count(patch, "\n") + 1
	if (limits.MaxBytes > 0 && len(patch) > limits.MaxBytes) || (limits.MaxLines > 0 && lines > limits.MaxLines) {
		return fd // too large: GitHub omits the patch but keeps the counts
	}
	fd.Patch, fd.HasPatch, fd.Hunks = patch, patch != "", hunks
	return fd
}

// computeHunks diffs two texts with go-udiff and re-expresses its hunks with git's numbering.
func computeHunks(oldText, newText string, context int) []hunk {
	if oldText == newText {
		return nil
	}
	edits := udiff.Lines(oldText, newText)
	u, err := udiff.ToUnifiedDiff("a", "b", oldText, edits, context)
	if err != nil {
		// The edits come from the same texts, so they are consistent; treat a failure as "no diff".
		return nil
	}
	oldLines := strings.SplitAfter(oldText, "\n")
	var out []hunk
	for _, uh := range u.Hunks {
		h := hunk{}
		oldNo, newNo := uh.FromLine, uh.ToLine
		oldCount, newCount := 0, 0
		for _, l := range uh.Lines {
			text := strings.TrimSuffix(l.Content, "\n")
			noEOL := !strings.HasSuffix(l.Content, "\n")
			switch l.Kind {
			case udiff.Delete:
				h.Lines = append(h.Lines, diffLine{Kind: lineDeleted, OldLine: oldNo, Text: text})
				oldNo++
				oldCount++
			case udiff.Insert:
				h.Lines = append(h.Lines, diffLine{Kind: lineAdded, NewLine: newNo, Text: text})
				newNo++
				newCount++
			default:
				h.Lines = append(h.Lines, diffLine{Kind: lineContext, OldLine: oldNo, NewLine: newNo, Text: text})
				oldNo++
				newNo++
				oldCount++
				newCount++
			}
			if noEOL {
				h.Lines[len(h.Lines)-1].Text += "\n\\ No newline at end of file"
			}
		}
		h.Header = fmt.Sprintf("@@ -%s +%s @@", hunkRange(uh.FromLine, oldCount), hunkRange(uh.ToLine, newCount))
		if fn := funcContext(oldLines, uh.FromLine); fn != "" {
			h.Header += " " + fn
		}
		out = append(out, h)
	}
	return out
}

// hunkRange formats one side of a hunk header as git does: "l" for one line, "l,n" otherwise, and the
// line before the hunk for an empty side ("0,0" for an empty file).
func hunkRange(start, count int) string {
	switch count {
	case 1:
		return fmt.Sprintf("%d", start)
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// funcContext mimics git's default function-context heuristic: the nearest line above the hunk (in the
// old file) that starts with a letter, '_' or '$', trimmed of trailing space and cut to 80 bytes.
// GitHub shows this text after the closing @@.
func funcContext(oldLines []string, fromLine int) string {
	for i := fromLine - 2; i >= 0; i-- {
		l := strings.TrimRight(oldLines[i], " \t\r\n")
		if l == "" {
			continue
		}
		c := l[0]
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' {
			if len(l) > 80 {
				l = l[:80]
			}
			return l
		}
	}
	return ""
}

// renderPatch writes hunks in the form of the `patch` field: headers and lines, "\n"-separated, with no
// trailing newline (GitHub's patch strings end without one).
func renderPatch(hunks []hunk) string {
	var b strings.Builder
	for i, h := range hunks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h.Header)
		for _, l := range h.Lines {
			b.WriteByte('\n')
			b.WriteByte(byte(l.Kind))
			b.WriteString(l.Text)
		}
	}
	return b.String()
}

// anchor is a validated position of a review comment in a file's patch.
type anchor struct {
	hunk     int // index in fileDiff.Hunks
	index    int // index of the line in the hunk
	position int // GitHub's legacy "position": lines below the first @@ header
}

// findLine locates (side, line) among the lines a comment may sit on: added or context lines on the
// RIGHT (new) side, deleted or context lines on the LEFT (old) side.
func (fd *fileDiff) findLine(side string, line int) (anchor, bool) {
	pos := 0
	for hi, h := range fd.Hunks {
		if hi > 0 {
			pos++ // later hunk headers count as lines for "position"
		}
		for li, l := range h.Lines {
			pos++
			switch side {
			case "RIGHT":
				if l.Kind != lineDeleted && l.NewLine == line {
					return anchor{hunk: hi, index: li, position: pos}, true
				}
			case "LEFT":
				if l.Kind != lineAdded && l.OldLine == line {
					return anchor{hunk: hi, index: li, position: pos}, true
				}
			}
		}
	}
	return anchor{}, false
}

// findPosition maps a legacy position to its line and side; positions on hunk headers are invalid.
func (fd *fileDiff) findPosition(position int) (anchor, diffLine, bool) {
	pos := 0
	for hi, h := range fd.Hunks {
		if hi > 0 {
			pos++
			if pos == position {
				return anchor{}, diffLine{}, false
			}
		}
		for li, l := range h.Lines {
			pos++
			if pos == position {
				return anchor{hunk: hi, index: li, position: pos}, l, true
			}
		}
	}
	return anchor{}, diffLine{}, false
}

// diffHunkUpTo is the `diff_hunk` GitHub stores with a review comment: the hunk header and the hunk's
// lines up to and including the commented one.
func (fd *fileDiff) diffHunkUpTo(a anchor) string {
	h := fd.Hunks[a.hunk]
	var b strings.Builder
	b.WriteString(h.Header)
	for _, l := range h.Lines[:a.index+1] {
		b.WriteByte('\n')
		b.WriteByte(byte(l.Kind))
		b.WriteString(l.Text)
	}
	return b.String()
}
