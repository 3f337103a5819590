package analyzer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/rules"
)

// FuzzCheck feeds arbitrary bytes to Check. Run it with
//
//	go test -run '^$' -fuzz=FuzzCheck -fuzztime=10m ./analyzer/
//
// Properties: Check never panics or hangs (the fuzzing engine reports an
// input that runs over 10 s); it returns either a result or one of its
// documented errors (ErrTooLarge, *TargetError); no rule panics (the
// engine turns a rule panic into an "internal error" finding, which is a
// failure here); every finding lies inside the file; and every fix applies
// with analysis.ApplyEdits and, on a file that parsed, leaves a file that
// still parses. Seeds: every file of testdata/corpus and testdata/rules;
// crashers found so far live in testdata/fuzz/FuzzCheck.
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{corpusDir, "../testdata/rules"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.Add(b)
			return nil
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := Check(context.Background(), src, Options{Path: "Dockerfile"})
		if err != nil {
			var te *TargetError
			if errors.Is(err, ErrTooLarge) || errors.As(err, &te) {
				return
			}
			t.Fatalf("Check returned an undocumented error: %v", err)
		}
		if res.File == nil {
			// Unparsable: exactly one SyntaxError inside the file.
			n := max(1, strings.Count(string(src), "\n")+1)
			if len(res.Findings) != 1 || res.Findings[0].Rule != rules.SyntaxError.Name {
				t.Fatalf("unparsable file: findings %+v", res.Findings)
			}
			fd := res.Findings[0]
			if fd.StartLine < 1 || fd.EndLine < fd.StartLine || fd.EndLine > n {
				t.Fatalf("SyntaxError spans %d-%d of %d lines", fd.StartLine, fd.EndLine, n)
			}
			if strings.Contains(fd.Message, "internal parser error") {
				t.Fatalf("the parser panicked: %s", fd.Message)
			}
			return
		}
		lines := res.File.Lines
		for _, fd := range res.Findings {
			if strings.Contains(fd.Message, "internal error in rule") {
				t.Fatalf("%s", fd.Message)
			}
			if fd.StartLine < 1 || fd.EndLine < fd.StartLine || fd.EndLine > len(lines) {
				t.Fatalf("%s finding spans %d-%d of %d lines: %s", fd.Rule, fd.StartLine, fd.EndLine, len(lines), fd.Message)
			}
			if fd.Fix == nil {
				continue
			}
			fixed, err := analysis.ApplyEdits(lines, fd.Fix.Edits)
			if err != nil {
				t.Fatalf("%s fix %q does not apply: %v", fd.Rule, fd.Fix.Message, err)
			}
			out := strings.Join(fixed, "\n") + "\n"
			if res.File.CRLF {
				out = strings.Join(fixed, "\r\n") + "\r\n"
			}
			if _, err := dockerfile.Parse("Dockerfile", []byte(out), dockerfile.Options{MaxSize: len(out) + 1}); err != nil {
				t.Fatalf("after the %s fix %q the file no longer parses: %v\n--- fixed:\n%s", fd.Rule, fd.Fix.Message, err, out)
			}
		}
	})
}
