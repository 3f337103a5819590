package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// ApplyEdits applies line edits to lines (without terminators) and returns
// the new lines. Edits must not overlap; insertions (EndLine ==
// StartLine-1) at the same point keep their order.
func ApplyEdits(lines []string, edits []Edit) ([]string, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].StartLine < sorted[j].StartLine })
	var out []string
	next := 1 // next original line to copy
	for _, e := range sorted {
		if e.StartLine < 1 || e.StartLine > len(lines)+1 || e.EndLine < e.StartLine-1 || e.EndLine > len(lines) {
			return nil, fmt.Errorf("edit %d-%d outside the file (%d lines)", e.StartLine, e.EndLine, len(lines))
		}
		if e.StartLine < next {
			return nil, fmt.Errorf("overlapping edits at line %d", e.StartLine)
		}
		out = append(out, lines[next-1:e.StartLine-1]...)
		if !e.Delete {
			out = append(out, strings.Split(e.Text, "\n")...)
		}
		next = e.EndLine + 1
	}
	out = append(out, lines[next-1:]...)
	return out, nil
}
