// Package rules holds every distill rule, one per file, and the registry
// that lists them (all.go). Rules about the shipped image look only at the
// stages that end up in it (pass.Chain); build-stage rules look at
// pass.Builders. BuildKit's own lint rules are adapted in buildkit.go and
// reported under BuildKit's names and URLs.
package rules

import (
	"embed"
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
)

//go:embed doc/*.md
var docs embed.FS

// mustDoc returns the markdown documentation of a rule from doc/<name>.md,
// the single source for `distill rules`, `/distill explain` and the
// generated docs/rules pages.
func mustDoc(name string) string {
	b, err := docs.ReadFile("doc/" + name + ".md")
	if err != nil {
		panic(fmt.Sprintf("rule %s has no doc/%s.md", name, name))
	}
	return strings.TrimSpace(string(b))
}

// DocsURL is where rule documentation is published in the repository.
const DocsURL = "https://github.com/distill-bot/distill/blob/main/docs/rules/"

func ruleURL(name string) string { return DocsURL + name + ".md" }

// cat is the shared, read-only catalog.
var cat = catalog.Default()
