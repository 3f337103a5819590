package repoconfig_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/rules"
)

// Every ```yaml example of docs/configuration.md is a valid configuration
// (broken examples are ```text), so the reference cannot drift from the
// decoder.
func TestConfigurationDocExamples(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	var cur *strings.Builder
	for _, l := range strings.Split(string(doc), "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```yaml":
			cur = &strings.Builder{}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(l + "\n")
		}
	}
	if len(blocks) < 8 {
		t.Fatalf("found %d yaml examples", len(blocks))
	}
	for i, b := range blocks {
		if _, err := config.Parse("example", []byte(b), rules.Known); err != nil {
			t.Errorf("example %d does not parse: %v\n%s", i+1, err, b)
		}
	}
	// The error shown in the reference is the decoder's.
	_, err = config.Parse("acme/shop:.github/distill.yml", []byte("mode: review\nimages:\n  debian: 11\n"), rules.Known)
	if err == nil || !strings.Contains(string(doc), err.Error()) {
		t.Errorf("the reference's sample error is not what the decoder says: %v", err)
	}
}
