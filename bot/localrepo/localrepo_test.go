package localrepo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/distill-bot/distill/analyzer"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Context reads what the App would read through the API: the selected
// top-level files only, however many Go files the directory has.
func TestContextReadsTheSelection(t *testing.T) {
	files := map[string]string{"go.mod": "module x\n", "package.json": "{}", "README.md": "x", "internal/db/db.go": "package db\n"}
	for i := 0; i < 30; i++ {
		files[filepath.Join("", string(rune('a'+i%26))+string(rune('a'+i/26))+".go")] = "package main\n"
	}
	dir := writeTree(t, files)
	rc, err := Context(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Files) != analyzer.MaxContextFiles {
		t.Errorf("read %d files, want the cap %d", len(rc.Files), analyzer.MaxContextFiles)
	}
	for _, name := range []string{"go.mod", "package.json"} {
		if _, ok := rc.Files[name]; !ok {
			t.Errorf("%s not read: exact names come before globs", name)
		}
	}
	if _, ok := rc.Files["README.md"]; ok {
		t.Error("README.md read although no recipe asks for it")
	}
	if !rc.Has("internal/db/db.go") {
		t.Error("nested paths are not listed")
	}
	if rc.Search != nil {
		t.Error("Context must not search deeper than the App can")
	}
}

func TestWithSearchFindsNestedCgo(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod":                      "module x\n",
		"main.go":                     "package main\n\nimport \"x/internal/db\"\n",
		"internal/db/db.go":           "package db\n\n// #include <sqlite3.h>\nimport \"C\"\n",
		"node_modules/x/y.go":         "import \"C\"\n",
		"docs/example/unrelated.md":   "import \"C\"\n",
		"internal/db/db_test.go.orig": "import \"C\"\n",
	})
	rc, err := WithSearch(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := rc.Find("*.go", `import "C"`); got != "internal/db/db.go" {
		t.Errorf("Find = %q, want internal/db/db.go", got)
	}
	plain, _ := Context(dir)
	if got := plain.Find("*.go", `import "C"`); got != "" {
		t.Errorf("Context found %q without searching", got)
	}
}
