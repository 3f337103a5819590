package rules

import (
	"github.com/distill-bot/distill/analyzer/analysis"
)

// SingleStageBuild reports a shipped image that is also where the build
// happens.
var SingleStageBuild = &analysis.Rule{
	Name:     "SingleStageBuild",
	Summary:  "The shipped image is also the build stage, so the toolchain ships with the app.",
	Doc:      mustDoc("SingleStageBuild"),
	URL:      ruleURL("SingleStageBuild"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Run:      runSingleStageBuild,
}

func runSingleStageBuild(p *analysis.Pass) {
	c, step := finalConcern(p)
	if c != concernSingleStage {
		return
	}
	st := stageOfLine(p, step.In)
	text, sev, ok := adviceSuffix(p, analysis.Warning)
	if sev == analysis.Info {
		p.Reportf(analysis.SpanOf(step.In), "%s builds and ships in one image (line %d %s): a multi-stage build would leave %s behind, but %s",
			st, step.In.StartLine, step.What, step.Tool, text).WithSeverity(analysis.Info)
		return
	}
	if !ok {
		text = "build in a separate stage and COPY --from only the result into a minimal final image"
	}
	p.Reportf(analysis.SpanOf(step.In), "%s is both the build and the shipped image: line %d %s, so %s, the sources and the build caches ship with the app; %s",
		st, step.In.StartLine, step.What, step.Tool, text)
}
