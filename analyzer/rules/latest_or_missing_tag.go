package rules

import (
	"github.com/distill-bot/distill/analyzer/analysis"
)

// LatestOrMissingTag reports base images without a tag or with :latest.
var LatestOrMissingTag = &analysis.Rule{
	Name:     "LatestOrMissingTag",
	Summary:  "A base image without a version tag (or :latest) changes under you.",
	Doc:      mustDoc("LatestOrMissingTag"),
	URL:      ruleURL("LatestOrMissingTag"),
	Severity: analysis.Warning,
	Category: analysis.Hygiene,
	Hadolint: []string{"DL3006", "DL3007"},
	Run:      runLatestOrMissingTag,
}

func runLatestOrMissingTag(p *analysis.Pass) {
	for _, st := range p.Reachable() {
		if st.BaseStage != nil {
			continue
		}
		ref := st.Base
		if ref.Scratch || ref.Unresolved || ref.Invalid || ref.Digest != "" {
			continue
		}
		// Distroless images are covered by UnpinnedDistrolessDebian, whose
		// problem is the missing Debian suffix, not the tag.
		if ref.IsDistroless() {
			continue
		}
		switch ref.Tag {
		case "":
			p.Reportf(analysis.SpanOf(st.From), "%s has no tag, so it means %s:latest and changes whenever upstream publishes; pin a version (and a Debian or Alpine release) for reproducible builds", ref.Name(), ref.Name())
		case "latest":
			p.Reportf(analysis.SpanOf(st.From), "%s:latest changes whenever upstream publishes; pin a version (and a Debian or Alpine release) for reproducible builds", ref.Name())
		}
	}
}
