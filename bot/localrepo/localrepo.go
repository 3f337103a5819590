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

// MaxPaths bounds the paths listed from one context.
const MaxPaths = 20000

// skipDirs are not part of what a conversion needs to know.
var skipDirs = map[string]bool{"target": true, "dist": true, "build": true, "__pycache__": true}

// Context reads the files the converter uses from the top of dir (the
// same selection the App makes through the API: analyzer.SelectContextFiles)
// and lists its paths (relative, slash-separated).
func Context(dir string) (*convert.RepoContext, error) {
	rc := &convert.RepoContext{Files: map[string][]byte{}}
	sizes := map[string]int64{}
	err := walk(dir, func(rel string, d fs.DirEntry) error {
		if len(rc.Paths) >= MaxPaths {
			return filepath.SkipAll
		}
		rc.Paths = append(rc.Paths, rel)
		if !strings.Contains(rel, "/") && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				sizes[rel] = info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading build context %s: %w", dir, err)
	}
	for _, name := range analyzer.SelectContextFiles(sizes) {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			rc.Files[name] = b
		}
	}
	return rc, nil
}

// WithSearch is Context plus a search of every file of the context
// (convert.RepoContext.Search): for the CLI, which has the whole checkout
// at hand and can afford to look deeper than the App.
func WithSearch(dir string) (*convert.RepoContext, error) {
	rc, err := Context(dir)
	if err != nil {
		return nil, err
	}
	rc.Search = func(glob, needle string) string {
		var found string
		walk(dir, func(rel string, d fs.DirEntry) error {
			if ok, _ := filepath.Match(glob, d.Name()); !ok || !d.Type().IsRegular() {
				return nil
			}
			if info, err := d.Info(); err != nil || info.Size() > analyzer.MaxContextFileSize {
				return nil
			}
			if b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))); err == nil && strings.Contains(string(b), needle) {
				found = rel
				return filepath.SkipAll
			}
			return nil
		})
		return found
	}
	return rc, nil
}

// walk calls f for every file under dir (relative slash path), skipping
// directories that are never part of a conversion's evidence.
func walk(dir string, f func(rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are skipped, not fatal
		}
		if d.IsDir() {
			if p != dir && (analyzer.SkippedDir(d.Name()) || skipDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		return f(filepath.ToSlash(rel), d)
	})
}
