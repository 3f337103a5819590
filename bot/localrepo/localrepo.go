// Package localrepo reads a build context from disk for the converter: the
// repository files recipes use (go.mod, package.json, pom.xml, …) and the
// list of paths. The CLI reads the user's checkout; the App reads the
// repository tarball it extracted for a verification build.
package localrepo

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/convert"
)

// Limits bound how much of a context is read.
const (
	MaxPaths = 20000
	MaxFile  = 1 << 20
)

// skipDirs are not part of what a conversion needs to know.
var skipDirs = map[string]bool{"target": true, "dist": true, "build": true, "__pycache__": true}

// Context reads the repository files the converter uses from dir and
// lists its paths (relative, slash-separated).
func Context(dir string) (*convert.RepoContext, error) {
	rc := &convert.RepoContext{Files: map[string][]byte{}}
	patterns := analyzer.ContextFiles()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are skipped, not fatal
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != dir && (analyzer.SkippedDir(d.Name()) || skipDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		}
		if len(rc.Paths) >= MaxPaths {
			return filepath.SkipAll
		}
		rc.Paths = append(rc.Paths, rel)
		if strings.Contains(rel, "/") || !d.Type().IsRegular() {
			return nil
		}
		for _, pat := range patterns {
			if ok, _ := filepath.Match(pat, rel); ok {
				if info, err := d.Info(); err == nil && info.Size() <= MaxFile {
					if b, err := os.ReadFile(p); err == nil {
						rc.Files[rel] = b
					}
				}
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading build context %s: %w", dir, err)
	}
	return rc, nil
}
