package review

import (
	"fmt"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// Hunk is the new-side line range of one diff hunk and the lines in it that
// a review comment may anchor to (added and context lines, side RIGHT).
type Hunk struct {
	Start, End int // inclusive new-side line numbers covered
	right      map[int]bool
}

// Contains reports whether lines start..end all lie on the RIGHT side of
// this hunk.
func (h Hunk) Contains(start, end int) bool {
	if start < h.Start || end > h.End {
		return false
	}
	for l := start; l <= end; l++ {
		if !h.right[l] {
			return false
		}
	}
	return true
}

// ParseHunks parses a file's `patch` field from the pull request files API
// (hunks only, no file headers) with go-gitdiff.
func ParseHunks(path, patch string) ([]Hunk, error) {
	if strings.TrimSpace(patch) == "" {
		return nil, nil
	}
	text := fmt.Sprintf("--- a/%s\n+++ b/%s\n%s", path, path, patch)
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	files, _, err := gitdiff.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parsing the patch of %s: %w", path, err)
	}
	var out []Hunk
	for _, f := range files {
		for _, frag := range f.TextFragments {
			h := Hunk{Start: int(frag.NewPosition), End: int(frag.NewPosition) - 1, right: map[int]bool{}}
			line := int(frag.NewPosition)
			for _, l := range frag.Lines {
				if l.New() {
					h.right[line] = true
					h.End = line
					line++
				}
			}
			out = append(out, h)
		}
	}
	return out, nil
}

// hunkFor returns the hunk that contains start..end, or -1.
func hunkFor(hunks []Hunk, start, end int) int {
	for i, h := range hunks {
		if h.Contains(start, end) {
			return i
		}
	}
	return -1
}
