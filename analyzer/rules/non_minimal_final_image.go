package rules

import (
	"github.com/distill-bot/distill/analyzer/analysis"
)

// NonMinimalFinalImage reports a shipped image on a distro base (debian,
// ubuntu, alpine, slim language images, JRE images) where a distroless image
// fits.
var NonMinimalFinalImage = &analysis.Rule{
	Name:     "NonMinimalFinalImage",
	Summary:  "The shipped image is a full distribution (shell, package manager) where a distroless image fits.",
	Doc:      mustDoc("NonMinimalFinalImage"),
	URL:      ruleURL("NonMinimalFinalImage"),
	Severity: analysis.Info,
	Category: analysis.Distroless,
	Run:      runNonMinimalFinalImage,
}

func runNonMinimalFinalImage(p *analysis.Pass) {
	if c, _ := finalConcern(p); c != concernNonMinimal {
		return
	}
	a := finalAdvice(p)
	root := finalBase(p)
	from := p.Chain[0].From
	switch {
	case a.Fits && a.Image != "":
		what := "a shell, a package manager and OS packages"
		if a.NotGoogle {
			p.Reportf(analysis.SpanOf(from), "%s ships %s that a %s app does not need; %s", imageName(root), what, langName(a.App.Lang), a.describe(true))
			return
		}
		p.Reportf(analysis.SpanOf(from), "%s ships %s that the %s app does not need at run time (each one CVE surface); %s",
			imageName(root), what, langName(a.App.Lang), a.describe(true))
	case a.Known && a.Reason != "" && !a.ReportedElsewhere:
		// Only when the converter ran: say why distill does not propose
		// distroless here.
		p.Reportf(analysis.SpanOf(from), "%s is not minimal, but %s", imageName(root), a.declineText())
	}
}
