// Command gendocs writes docs/rules/<Rule>.md and docs/rules/README.md from
// the rule registry, so documentation cannot drift from the code. Run it
// with `go generate ./analyzer/rules`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/distill-bot/distill/analyzer/report"
	"github.com/distill-bot/distill/analyzer/rules"
)

func main() {
	out := flag.String("out", "docs/rules", "output directory")
	readme := flag.String("readme", "", "README whose rules section to update")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	if err := updateReadme(*readme); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	want := map[string]bool{"README.md": true}
	for _, r := range rules.All() {
		name := r.Name + ".md"
		want[name] = true
		if err := os.WriteFile(filepath.Join(out, name), []byte(rules.RenderDoc(r)), 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "README.md"), []byte(rules.RenderIndex(rules.All())), 0o644); err != nil {
		return err
	}
	// Remove pages of rules that no longer exist.
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && !want[e.Name()] {
			if err := os.Remove(filepath.Join(out, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func updateReadme(path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := report.ReplaceSection(string(b), "rules", rules.RenderReadmeTable(rules.All()))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}
