package recipes_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/analyzertest"
)

// BenchmarkConvert converts every golden input once per iteration (with
// its repository context and options), the work `distill fix` and each
// review do per Dockerfile.
//
//	go test -run '^$' -bench Convert -benchmem ./analyzer/convert/recipes/
func BenchmarkConvert(b *testing.B) {
	root := "../../../testdata/convert"
	var cases []analyzertest.ConvertCase
	recipes, err := os.ReadDir(root)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range recipes {
		dirs, _ := os.ReadDir(filepath.Join(root, r.Name()))
		for _, d := range dirs {
			if d.IsDir() {
				cases = append(cases, analyzertest.LoadConvertCase(b, filepath.Join(root, r.Name(), d.Name())))
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range cases {
			if _, err := analyzer.Convert(c.Input, c.Options); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(cases)), "files/op")
}
