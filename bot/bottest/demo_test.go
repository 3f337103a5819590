package bottest

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoSamplesMatchExamples keeps the demo's embedded samples identical
// to testdata/examples, which the README's check and fix commands use.
func TestDemoSamplesMatchExamples(t *testing.T) {
	root := "../../testdata/examples"
	disk := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			disk[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	demo := DemoFiles()
	for p, c := range disk {
		if demo[p] != c {
			t.Errorf("%s differs between testdata/examples and bot/bottest/demo.txtar", p)
		}
	}
	for p := range demo {
		if _, ok := disk[p]; !ok {
			t.Errorf("demo.txtar has %s, testdata/examples does not", p)
		}
	}
}

// TestDemo runs the demo and checks it shows a review with the three
// conversions and a completed check run.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := Demo(context.Background(), &out, nil); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"# Review by @distill-test[bot]", "gcr.io/distroless/static-debian13:nonroot", "gcr.io/distroless/python3-debian13:nonroot",
		"gcr.io/distroless/java21-debian13:nonroot", "```suggestion", "# Check run `distill`: completed"} {
		if !strings.Contains(s, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}
