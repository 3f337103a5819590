package convert

import (
	"path"
	"sort"
	"strings"
)

// CopySpec is one path the distroless stage copies from the build stage
// that was the original image, at the same path.
type CopySpec struct {
	Path string
	// Writable is set when the application writes there: the copy is
	// owned by the runtime user.
	Writable bool
}

// MergeCopies returns the copies for a split: paths (files the application
// needs) and writable directories, without paths a copied parent already
// covers. A copied path that contains or lies in a writable directory is
// copied owned by the runtime user as a whole, because a second COPY
// --chown onto a directory an earlier COPY created does not reliably change
// that directory's owner. Order follows first mention.
func MergeCopies(paths, writable []string) []CopySpec {
	var all []string
	for _, p := range append(append([]string(nil), paths...), writable...) {
		if p != "" && p != "/" && !strings.Contains(p, "$") {
			all = append(all, path.Clean(p))
		}
	}
	order := map[string]int{}
	for i, p := range all {
		if _, ok := order[p]; !ok {
			order[p] = i
		}
	}
	byLen := append([]string(nil), all...)
	sort.SliceStable(byLen, func(i, j int) bool { return len(byLen[i]) < len(byLen[j]) })
	var kept []string
	for _, p := range byLen {
		covered := false
		for _, k := range kept {
			if p == k || strings.HasPrefix(p, k+"/") {
				covered = true
			}
		}
		if !covered {
			kept = append(kept, p)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return order[kept[i]] < order[kept[j]] })
	out := make([]CopySpec, 0, len(kept))
	for _, k := range kept {
		w := false
		for _, d := range writable {
			d = path.Clean(d)
			if d == k || strings.HasPrefix(d, k+"/") || strings.HasPrefix(k, d+"/") {
				w = true
			}
		}
		out = append(out, CopySpec{Path: k, Writable: w})
	}
	return out
}
