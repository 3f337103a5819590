package rules

import (
	"github.com/distill-bot/distill/analyzer/analysis"
)

// BuildToolchainInFinalImage reports a shipped image built on a toolchain
// image (golang, maven, full node/python, JDK tags).
var BuildToolchainInFinalImage = &analysis.Rule{
	Name:     "BuildToolchainInFinalImage",
	Summary:  "The shipped image is based on a build toolchain image (golang, maven, a JDK, full node or python).",
	Doc:      mustDoc("BuildToolchainInFinalImage"),
	URL:      ruleURL("BuildToolchainInFinalImage"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Run:      runBuildToolchainInFinalImage,
}

func runBuildToolchainInFinalImage(p *analysis.Pass) {
	if c, _ := finalConcern(p); c != concernToolchain {
		return
	}
	root := finalBase(p)
	im := lookupImage(root)
	from := p.Chain[0].From
	text, sev, ok := adviceSuffix(p, analysis.Warning)
	if !ok {
		text = "use it only in a build stage and COPY --from the result into a runtime image"
	}
	p.Reportf(analysis.SpanOf(from), "the shipped image is built on %s, a build image that carries %s the app does not need at run time; %s",
		imageName(root), toolchainOf(im.Kind, im.Name), text).WithSeverity(sev)
}
