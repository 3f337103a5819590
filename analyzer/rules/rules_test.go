package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/analyzertest"
	"github.com/distill-bot/distill/analyzer/rules"
)

const testdata = "../../testdata/rules"

func TestRules(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.Name, func(t *testing.T) {
			analyzertest.Run(t, r, filepath.Join(testdata, r.Name))
		})
	}
}

// TestRegistry is the registry's analysis.Validate: every rule has a valid
// name, docs with bad and good examples, a severity, and testdata with at
// least one positive and one negative case.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
		if seen[strings.ToLower(r.Name)] {
			t.Errorf("duplicate rule name %s", r.Name)
		}
		seen[strings.ToLower(r.Name)] = true
		if r.Category != analysis.BuildKit {
			for _, section := range []string{"## Bad", "## Good"} {
				if !strings.Contains(r.Doc, section) {
					t.Errorf("%s: doc has no %q section", r.Name, section)
				}
			}
		}
		files := analyzertest.Files(t, filepath.Join(testdata, r.Name))
		var positive, negative bool
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "# want ") {
				positive = true
			} else {
				negative = true
			}
		}
		if !positive || !negative {
			t.Errorf("%s: testdata/rules/%s needs at least one case with `# want` and one without (positive %v, negative %v)", r.Name, r.Name, positive, negative)
		}
	}
	entries, err := os.ReadDir(testdata)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && rules.Lookup(e.Name()) == nil {
			t.Errorf("testdata/rules/%s has no rule", e.Name())
		}
	}
}
