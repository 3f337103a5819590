package analyzer

import (
	"path"
	"strings"
)

// skippedSuffixes are companions of Dockerfiles that share their names.
var skippedSuffixes = []string{".dockerignore", ".golden", ".md", ".orig", ".rej", ".bak", ".swp", "~"}

// IsDockerfileName reports whether a file name follows a Dockerfile naming
// convention: Dockerfile, Dockerfile.<suffix>, <name>.Dockerfile and the
// same for Containerfile, case-insensitively.
func IsDockerfileName(p string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/")))
	for _, s := range skippedSuffixes {
		if strings.HasSuffix(base, s) {
			return false
		}
	}
	for _, stem := range []string{"dockerfile", "containerfile"} {
		if base == stem || strings.HasPrefix(base, stem+".") || strings.HasSuffix(base, "."+stem) {
			return true
		}
	}
	return false
}

// SkippedDir reports directories discovery never descends into.
func SkippedDir(name string) bool {
	switch name {
	case ".git", "node_modules", "vendor", ".hg", ".svn":
		return true
	}
	return false
}
