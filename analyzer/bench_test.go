package analyzer

import (
	"bytes"
	"context"
	"testing"
	"time"

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
// (goal: < 50 ms/op). Each also reports cpu-ns/op, the process CPU time
// per operation, which a busy shared machine distorts far less than
// wall-clock ns/op: compare ratios with it.

func BenchmarkCheck(b *testing.B) {
	files := loadCorpus(b)
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		for _, cf := range files {
			if _, err := Check(ctx, cf.src, Options{Path: cf.name}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkCheckWithoutBuildKit is Check with every rule but the BuildKit
// adapters, so BuildKit's lint never runs: distill's own cost.
func BenchmarkCheckWithoutBuildKit(b *testing.B) {
	files := loadCorpus(b)
	own := ownRules()
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		for _, cf := range files {
			if _, err := Check(ctx, cf.src, Options{Path: cf.name, Rules: own}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkParseOnly is the baseline: BuildKit's parser and instruction
// parser, nothing of distill (BuildKit is called directly here only).
func BenchmarkParseOnly(b *testing.B) {
	files := loadCorpus(b)
	b.ReportAllocs()
	cpu := processCPU()
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
	reportCPU(b, cpu)
}

// BenchmarkBuildKitLint is BuildKit's own lint alone (run once per file by
// the BuildKit rules), on files parsed outside the loop.
func BenchmarkBuildKitLint(b *testing.B) {
	parsed := parseAll(b, loadCorpus(b))
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		for _, f := range parsed {
			if _, err := dockerfile.Lint(ctx, f, "", nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkModel is distill's parse into its model (BuildKit's parsers
// included).
func BenchmarkModel(b *testing.B) {
	files := loadCorpus(b)
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		for _, cf := range files {
			if _, err := dockerfile.Parse(cf.name, cf.src, dockerfile.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkRules is every rule except the BuildKit adapters over files
// parsed outside the loop: distill's own analysis.
func BenchmarkRules(b *testing.B) {
	parsed := parseAll(b, loadCorpus(b))
	own := ownRules()
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		for _, f := range parsed {
			Run(f, f.Stages[len(f.Stages)-1], Options{Rules: own})
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkCheck5000Lines(b *testing.B) {
	src := longDockerfile(5000)
	ctx := context.Background()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if _, err := Check(ctx, src, Options{Path: "long.Dockerfile"}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkCheckWithoutBuildKit5000Lines(b *testing.B) {
	src := longDockerfile(5000)
	own := ownRules()
	ctx := context.Background()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if _, err := Check(ctx, src, Options{Path: "long.Dockerfile", Rules: own}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkParseOnly5000Lines(b *testing.B) {
	src := longDockerfile(5000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		res, err := parser.Parse(bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := instructions.Parse(res.AST, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkBuildKitLint5000Lines(b *testing.B) {
	f, err := dockerfile.Parse("long.Dockerfile", longDockerfile(5000), dockerfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if _, err := dockerfile.Lint(ctx, f, "", nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// ownRules returns every rule except the BuildKit adapters.
func ownRules() []*analysis.Rule {
	var own []*analysis.Rule
	for _, r := range rules.All() {
		if r.Category != analysis.BuildKit {
			own = append(own, r)
		}
	}
	return own
}

// reportCPU reports the process CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
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
