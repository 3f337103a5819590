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

	"github.com/distill-bot/distill/analyzer/rules"
)

func main() {
	out := flag.String("out", "docs/rules", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
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
