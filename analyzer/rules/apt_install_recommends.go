package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// AptInstallRecommends reports `apt-get install` without
// --no-install-recommends in any stage that is built.
var AptInstallRecommends = &analysis.Rule{
	Name:     "AptInstallRecommends",
	Summary:  "apt-get install without --no-install-recommends also installs every recommended package.",
	Doc:      mustDoc("AptInstallRecommends"),
	URL:      ruleURL("AptInstallRecommends"),
	Severity: analysis.Info,
	Category: analysis.Hygiene,
	Hadolint: []string{"DL3015"},
	Run:      runAptInstallRecommends,
}

// aptInstallWord matches `apt-get [options] install` on one source line;
// the match ends right after "install".
var aptInstallWord = regexp.MustCompile(`(?:^|[^\w.-])apt(?:-get)?(?:\s+-[otc]\s+\S+|\s+--target-release\s+\S+|\s+-\S+)*\s+install\b`)

const noRecommends = "--no-install-recommends"

func runAptInstallRecommends(p *analysis.Pass) {
	// Every stage that is built: recommends slow down and bloat build
	// stages too, and in the shipped image they are attack surface.
	for _, st := range p.Reachable() {
		for _, in := range st.All(dockerfile.KindRun) {
			s := script(p, in)
			if s == nil {
				continue
			}
			installs := s.AptInstalls()
			ins := map[int]string{}
			var missing []string
			for i, ai := range installs {
				if ai.NoRecommends || len(ai.Packages) == 0 {
					continue
				}
				ins[i] = " " + noRecommends
				missing = append(missing, strings.Join(ai.Packages, " "))
			}
			if len(missing) == 0 || recommendsDisabled(in) {
				continue
			}
			what := fmt.Sprintf("`apt-get install %s`", shorten(missing[0], 40))
			if len(missing) > 1 {
				what = fmt.Sprintf("%d apt-get installs", len(missing))
			}
			var f *analysis.Finding
			if p.InChain(st) {
				f = p.Reportf(analysis.SpanOf(in), "%s in %s runs %s without %s, so apt also installs every recommended package: more megabytes and more CVEs in the image for software nothing asked for; add %s",
					runAt(in), shippedStage(p, st), what, noRecommends, noRecommends)
				f.WithSeverity(analysis.Warning)
			} else {
				f = p.Reportf(analysis.SpanOf(in), "%s in build %s runs %s without %s, so apt also downloads and installs every recommended package, slowing every uncached build; add %s",
					runAt(in), st.Describe(), what, noRecommends, noRecommends)
			}
			if edits := runInsertions(in, aptInstallWord, len(installs), ins); edits != nil {
				f.WithFix("Add "+noRecommends, edits...)
			}
		}
	}
}

// recommendsDisabled reports whether apt is configured not to install
// recommends when in runs: an APT::Install-Recommends "false" setting
// written by in itself or by an earlier RUN or COPY of the stage chain
// (an apt.conf.d snippet).
func recommendsDisabled(in *dockerfile.Instruction) bool {
	for _, x := range append(chainInstructions(in.Stage, in), in) {
		if x.Kind != dockerfile.KindRun && x.Kind != dockerfile.KindCopy {
			continue
		}
		if aptRecommendsOff.MatchString(x.Original) {
			return true
		}
	}
	return false
}

var aptRecommendsOff = regexp.MustCompile(`(?i)install-recommends["']?\s*(?:=|\s)\s*["']?(?:false|0|no)\b`)

// shorten cuts s to n bytes with an ellipsis.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
