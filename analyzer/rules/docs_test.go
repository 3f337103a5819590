package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/report"
	"github.com/distill-bot/distill/analyzer/rules"
)

// TestDocsUpToDate fails when docs/rules is stale: run
// `go generate ./analyzer/rules`.
func TestDocsUpToDate(t *testing.T) {
	dir := "../../docs/rules"
	check := func(name, want string) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("docs/rules/%s is stale or missing: run `go generate ./analyzer/rules`", name)
		}
	}
	for _, r := range rules.All() {
		check(r.Name+".md", rules.RenderDoc(r))
	}
	check("README.md", rules.RenderIndex(rules.All()))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".md")
		if name != "README" && rules.Lookup(name) == nil {
			t.Errorf("docs/rules/%s documents no rule: run `go generate ./analyzer/rules`", e.Name())
		}
	}
}

// TestReadmeRuleCatalog fails when the README's rule table is stale.
func TestReadmeRuleCatalog(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.ReplaceSection(string(b), "rules", rules.RenderReadmeTable(rules.All()))
	if err != nil {
		t.Fatal(err)
	}
	if want != string(b) {
		t.Error("README.md's rule catalog is stale: run `go generate ./analyzer/rules`")
	}
}
