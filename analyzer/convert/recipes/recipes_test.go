package recipes_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/distill-bot/distill/analyzer/analyzertest"
)

// TestGoldens runs every case under testdata/convert/<recipe>/.
func TestGoldens(t *testing.T) {
	root := "../../../testdata/convert"
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			t.Run(e.Name(), func(t *testing.T) {
				analyzertest.RunConvert(t, filepath.Join(root, e.Name()))
			})
		}
	}
}
