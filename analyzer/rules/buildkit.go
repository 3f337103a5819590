package rules

import (
	"context"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// buildKitSkipped lists BuildKit rules distill does not run: they need the
// build context (.dockerignore) or real image metadata from a registry, or
// are experimental.
var buildKitSkipped = map[string]string{
	"CopyIgnoredFile":              "needs the build context's .dockerignore",
	"InvalidBaseImagePlatform":     "needs the base image's real platform from a registry",
	"InvalidDefinitionDescription": "experimental in BuildKit",
}

// buildKitHadolint maps BuildKit rules to hadolint ids with the same
// meaning, so existing `# hadolint ignore=` comments keep working.
var buildKitHadolint = map[string][]string{
	"JSONArgsRecommended":            {"DL3025"},
	"MaintainerDeprecated":           {"DL4000"},
	"WorkdirRelativePath":            {"DL3000"},
	"MultipleInstructionsDisallowed": {"DL4003", "DL4004", "DL3012"},
}

// buildKitRules adapts BuildKit's lint rules. They share one offline lint
// run per file (memoised on the pass).
func buildKitRules() []*analysis.Rule {
	var out []*analysis.Rule
	for _, br := range dockerfile.BuildKitRules() {
		if _, skip := buildKitSkipped[br.Name]; skip || br.Experimental {
			continue
		}
		name := br.Name
		url := br.URL
		if url == "" {
			url = "https://docs.docker.com/reference/build-checks/"
		}
		out = append(out, &analysis.Rule{
			Name:     name,
			Summary:  firstSentence(br.Description),
			Doc:      buildKitDoc(br, url),
			URL:      url,
			Severity: analysis.Warning,
			Category: analysis.BuildKit,
			Hadolint: buildKitHadolint[name],
			Run: func(p *analysis.Pass) {
				for _, w := range buildKitWarnings(p) {
					if w.Rule == name {
						p.Reportf(analysis.Span{StartLine: w.StartLine, EndLine: w.EndLine}, "%s", w.Message)
					}
				}
			},
		})
	}
	return out
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

func buildKitDoc(br dockerfile.BuildKitRule, url string) string {
	return "BuildKit's own check `" + br.Name + "`, run offline by distill and reported under BuildKit's name.\n\n" +
		br.Description + "\n\nSee BuildKit's documentation, with examples: " + url + "\n\n" +
		"Suppress it the BuildKit way with `# check=skip=" + br.Name + "` at the top of the Dockerfile, or the distill way with `# distill ignore=" + br.Name + "` above the instruction."
}

// buildKitWarnings runs BuildKit's linter once per file. UndefinedVar
// warnings in stages built on images whose environment distill does not
// know are dropped: without a registry, a variable the base image sets is
// indistinguishable from a typo.
func buildKitWarnings(p *analysis.Pass) []dockerfile.LintWarning {
	return p.Memo("buildkit.lint", func() any {
		target := ""
		if p.Target.Name != "" {
			target = p.Target.Name
		}
		ws, err := dockerfile.Lint(context.Background(), p.File, target, imageEnv)
		if err != nil {
			return []dockerfile.LintWarning(nil)
		}
		var out []dockerfile.LintWarning
		for _, w := range ws {
			if w.Rule == "UndefinedVar" && !envKnownAt(p.File, w.StartLine) {
				continue
			}
			out = append(out, w)
		}
		return out
	}).([]dockerfile.LintWarning)
}

// imageEnv returns the environment of base images the catalog knows.
func imageEnv(ref dockerfile.ImageRef) ([]string, bool) {
	if ref.Scratch {
		return nil, true
	}
	im := cat.LookupImage(ref.Name())
	if im == nil || im.Env == nil {
		return nil, false
	}
	return im.Env, true
}

// envKnownAt reports whether the stage containing line is built on an image
// whose environment is known.
func envKnownAt(f *dockerfile.File, line int) bool {
	for _, st := range f.Stages {
		if line >= st.From.StartLine && line <= st.EndLine() {
			_, ok := imageEnv(st.RootBase())
			return ok
		}
	}
	return false
}
