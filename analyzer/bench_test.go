package analyzer

import (
	"bytes"
	"context"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/rules"
)

// Benchmarks. Run them with
//
//	go test -run '^$' -bench . -benchmem ./analyzer/
//
// BenchmarkCheck and BenchmarkParseOnly process the same corpus, so their
// ratio is what distill costs on top of BuildKit's own parse (goal: ≤ 3×).
// BenchmarkBuildKitLint, BenchmarkModel and BenchmarkRules split Check into
// its parts. BenchmarkCheck5000Lines is one generated 5,000-line file
// (goal: < 50 ms/op).

func BenchmarkCheck(b *testing.B) {
	files := loadCorpus(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, cf := range files {
			if _, err := Check(ctx, cf.src, Options{Path: cf.name}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseOnly is the baseline: BuildKit's parser and instruction
// parser, nothing of distill (BuildKit is called directly here only).
func BenchmarkParseOnly(b *testing.B) {
	files := loadCorpus(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, cf := range files {
			res, err := parser.Parse(bytes.NewReader(cf.src))
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := instructions.Parse(res.AST, nil); err != nil {
				b.Fatalf("%s: %v", cf.name, err)
			}
		}
	}
}

// BenchmarkBuildKitLint is BuildKit's own lint alone (run once per file by
// the BuildKit rules), on files parsed outside the loop.
func BenchmarkBuildKitLint(b *testing.B) {
	parsed := parseAll(b, loadCorpus(b))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range parsed {
			if _, err := dockerfile.Lint(ctx, f, "", nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkModel is distill's parse into its model (BuildKit's parsers
// included).
func BenchmarkModel(b *testing.B) {
	files := loadCorpus(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, cf := range files {
			if _, err := dockerfile.Parse(cf.name, cf.src, dockerfile.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRules is every rule except the BuildKit adapters over files
// parsed outside the loop: distill's own analysis.
func BenchmarkRules(b *testing.B) {
	parsed := parseAll(b, loadCorpus(b))
	var own []*analysis.Rule
	for _, r := range rules.All() {
		if r.Category != analysis.BuildKit {
			own = append(own, r)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range parsed {
			Run(f, f.Stages[len(f.Stages)-1], Options{Rules: own})
		}
	}
}

func BenchmarkCheck5000Lines(b *testing.B) {
	src := longDockerfile(5000)
	ctx := context.Background()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(ctx, src, Options{Path: "long.Dockerfile"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseOnly5000Lines(b *testing.B) {
	src := longDockerfile(5000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := parser.Parse(bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := instructions.Parse(res.AST, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildKitLint5000Lines(b *testing.B) {
	f, err := dockerfile.Parse("long.Dockerfile", longDockerfile(5000), dockerfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dockerfile.Lint(ctx, f, "", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func parseAll(b *testing.B, files []corpusFile) []*dockerfile.File {
	b.Helper()
	var out []*dockerfile.File
	for _, cf := range files {
		f, err := dockerfile.Parse(cf.name, cf.src, dockerfile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}
