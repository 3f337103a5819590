package rules

import (
	"strconv"
	"strings"
	"time"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// DeprecatedDistrolessImage reports removed or frozen distroless images and
// tags, and images past (or near) their end of support.
var DeprecatedDistrolessImage = &analysis.Rule{
	Name:     "DeprecatedDistrolessImage",
	Summary:  "A removed or frozen distroless image or tag, or one past its end of support: it still pulls but gets no security fixes.",
	Doc:      mustDoc("DeprecatedDistrolessImage"),
	URL:      ruleURL("DeprecatedDistrolessImage"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Run:      runDeprecatedDistrolessImage,
}

// supportWarningDays is how long before an end of support date the rule
// starts to mention it.
const supportWarningDays = 180

func runDeprecatedDistrolessImage(p *analysis.Pass) {
	for _, st := range baseFroms(p) {
		ref := st.Base
		dl, ok := distrolessOf(ref)
		if !ok {
			continue
		}
		repo := strings.TrimPrefix(ref.Repository, "distroless/")
		where := ""
		if !p.InChain(st) {
			where = " (build " + st.Describe() + ")"
		}
		if r, removed := removals(repo); removed {
			reportRemoved(p, st, dl, repo, r, where)
			continue
		}
		if !dl.TagKnown {
			p.Reportf(analysis.SpanOf(st.From), "%s%s uses the tag %q, which distroless no longer updates (only %s, their -<arch> forms and per-commit tags are maintained): it still pulls, frozen with its old CVEs; use %s or %s",
				imageName(ref), where, dl.Tag, strings.Join(cat.Distroless.Tags, ", "),
				ref.Name()+":nonroot", ref.Name()+":latest")
			continue
		}
		if dl.Image == nil || dl.Debian == 0 {
			continue
		}
		end, ok := cat.EndOfSupport(dl.Image.Runtime, dl.Debian)
		if !ok {
			continue
		}
		today := now(p)
		days := int(end.Sub(today).Hours() / 24)
		if days > supportWarningDays {
			continue
		}
		newer := targetDebian(p, dl.Image, dl.Debian+1)
		if newer <= dl.Debian {
			continue
		}
		newRepo := dl.Family + "-debian" + strconv.Itoa(newer)
		suggestion := withTag(cat.Distroless.Registry+"/"+newRepo, dl.Tag)
		var f *analysis.Finding
		if days < 0 {
			f = p.Reportf(analysis.SpanOf(st.From), "%s%s reached its end of support on %s (distroless SUPPORT_POLICY.md): it still pulls but gets no security fixes; use %s (the same image on %s; binaries built for Debian %d keep working)",
				imageName(ref), where, end.Format(time.DateOnly), suggestion, describeDebian(newer), dl.Debian)
		} else {
			f = p.Reportf(analysis.SpanOf(st.From), "%s%s reaches its end of support on %s, in %d days (distroless SUPPORT_POLICY.md); plan the move to %s",
				imageName(ref), where, end.Format(time.DateOnly), days, suggestion).WithSeverity(analysis.Info)
		}
		if ref.Digest == "" && p.Options.Debian != dl.Debian {
			if line, ok := renameDistroless(st.From, repo, newRepo); ok {
				f.WithFix("Move to "+newRepo, analysis.Edit{StartLine: st.From.StartLine, EndLine: st.From.EndLine, Text: line})
			}
		}
	}
}

func reportRemoved(p *analysis.Pass, st *dockerfile.Stage, dl catalog.DistrolessRef, repo string, r catalog.Removal, where string) {
	ref := st.Base
	msg := imageName(ref) + where + " is no longer maintained: " + r.Reason + "; it still pulls, frozen with its old CVEs"
	// The replacement: a named family, or the same family on a Debian it
	// is still published for.
	var newRepo string
	dropIn := false
	caveat := ""
	switch {
	case r.Replacement != "":
		im := cat.DistrolessImage(r.Replacement)
		if im != nil {
			newRepo = r.Replacement + "-debian" + strconv.Itoa(targetDebian(p, im, 0))
			caveat = "not a drop-in: the build stage must move to the same " + langName(im.Runtime) + " major " + im.Version
		}
	case dl.Image != nil:
		newRepo = dl.Family + "-debian" + strconv.Itoa(targetDebian(p, dl.Image, dl.Debian+1))
		dropIn = true
		if r.Version != "" && dl.Image.Version != "" && r.Version != dl.Image.Version {
			dropIn = false
			caveat = "not a drop-in: it runs " + langName(dl.Image.Runtime) + " " + dl.Image.Version + " instead of " + r.Version + ", so the build stage (and its venv or packages) must move to " + dl.Image.Version + " too"
		}
	}
	var f *analysis.Finding
	switch {
	case newRepo != "":
		suggestion := withTag(cat.Distroless.Registry+"/"+newRepo, dl.Tag)
		if !dl.TagKnown {
			suggestion = cat.Distroless.Registry + "/" + newRepo + ":nonroot"
		}
		if caveat != "" {
			msg += "; use " + suggestion + " (" + caveat + ")"
		} else {
			msg += "; use " + suggestion
		}
		f = p.Reportf(analysis.SpanOf(st.From), "%s", msg)
	case r.Alternative != "":
		f = p.Reportf(analysis.SpanOf(st.From), "%s; %s", msg, r.Alternative)
	default:
		f = p.Reportf(analysis.SpanOf(st.From), "%s", msg)
	}
	if dropIn && dl.TagKnown && ref.Digest == "" {
		if line, ok := renameDistroless(st.From, repo, newRepo); ok {
			f.WithFix("Move to "+newRepo, analysis.Edit{StartLine: st.From.StartLine, EndLine: st.From.EndLine, Text: line})
		}
	}
}
