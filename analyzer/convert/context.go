package convert

import (
	"path"
	"sort"
	"strings"
)

// RepoContext holds repository files next to the Dockerfile: the manifests
// recipes read (by path relative to the build context) and, when known,
// the list of every path in the context, used to find runtime files such
// as templates/ or static/.
type RepoContext struct {
	// Files maps context-relative paths ("go.mod", "web/package.json") to
	// their contents.
	Files map[string][]byte
	// Paths lists files in the build context, when the caller knows them.
	Paths []string
	// Dir is the build context directory relative to the repository root,
	// for messages ("" or "services/api").
	Dir string
	// Search, when the caller can read the whole context (a checkout on
	// disk), returns the first context file whose base name matches glob
	// and whose contents contain needle, or "". Without it Find searches
	// only Files.
	Search func(glob, needle string) string
}

// Find returns a context file whose base name matches glob and whose
// contents contain needle ("" when none is known to).
func (c *RepoContext) Find(glob, needle string) string {
	if c == nil {
		return ""
	}
	if c.Search != nil {
		return c.Search(glob, needle)
	}
	names := make([]string, 0, len(c.Files))
	for name := range c.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if ok, _ := path.Match(glob, path.Base(name)); ok && strings.Contains(string(c.Files[name]), needle) {
			return name
		}
	}
	return ""
}

// Read returns a file's contents.
func (c *RepoContext) Read(name string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	b, ok := c.Files[path.Clean(name)]
	return b, ok
}

// Has reports whether a path exists in the context (as a read file, a
// listed file, or a listed directory prefix).
func (c *RepoContext) Has(name string) bool {
	if c == nil {
		return false
	}
	name = path.Clean(name)
	if _, ok := c.Files[name]; ok {
		return true
	}
	for _, p := range c.Paths {
		if p == name || strings.HasPrefix(p, name+"/") {
			return true
		}
	}
	return false
}

// Known reports whether the caller provided a listing of the context.
func (c *RepoContext) Known() bool { return c != nil && len(c.Paths) > 0 }

// Match returns the read files whose names match a glob, sorted.
func (c *RepoContext) Match(pattern string) []string {
	if c == nil {
		return nil
	}
	var out []string
	for name := range c.Files {
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TopDirs returns the top-level directories of the listed context paths.
func (c *RepoContext) TopDirs() []string {
	if c == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range c.Paths {
		dir, _, ok := strings.Cut(p, "/")
		if ok && !seen[dir] {
			seen[dir] = true
			out = append(out, dir)
		}
	}
	sort.Strings(out)
	return out
}

// ContextFiles returns the union of the recipes' context file patterns.
func ContextFiles(recipes []*Recipe) []string {
	seen := map[string]bool{".dockerignore": true}
	out := []string{".dockerignore"}
	for _, r := range recipes {
		for _, p := range r.ContextFiles {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
