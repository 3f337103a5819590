package rules

import (
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// RunsAsRoot reports a shipped image whose user is root.
var RunsAsRoot = &analysis.Rule{
	Name:     "RunsAsRoot",
	Summary:  "The image runs as root; use a numeric non-root user such as distroless's 65532.",
	Doc:      mustDoc("RunsAsRoot"),
	URL:      ruleURL("RunsAsRoot"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Hadolint: []string{"DL3002"},
	Run:      runRunsAsRoot,
}

func runRunsAsRoot(p *analysis.Pass) {
	base := finalBase(p)
	if base.Unresolved {
		return
	}
	if user := p.LastFinal(dockerfile.KindUser); user != nil {
		if isRootUser(user.Value) {
			f := p.Reportf(analysis.SpanOf(user), "USER %s makes the image run as root; a compromised process then owns the container: use USER 65532:65532 (distroless's nonroot) or another numeric non-root user", user.Value)
			if dl, ok := distrolessOf(base); ok && dl.Image != nil {
				f.WithFix("Run as the distroless nonroot user", replaceWith(user, keyword(user, dockerfile.KindUser)+" 65532:65532"))
			}
		}
		return
	}
	// No USER: the base image's user applies.
	if dl, ok := distrolessOf(base); ok {
		if strings.Contains(dl.Tag, "nonroot") {
			return
		}
		f := p.Reportf(analysis.SpanOf(p.Chain[0].From), "%s runs as root (uid 0): the distroless :nonroot tag runs as uid 65532", base.Familiar())
		if p.Options.NonRoot && dl.Image != nil && base.Digest == "" {
			tag := "nonroot"
			if strings.HasPrefix(dl.Tag, "debug") {
				tag = "debug-nonroot"
			}
			newRef := base.Name() + ":" + tag
			from := p.Chain[0].From
			f.WithFix("Use the nonroot variant", replaceWith(from, strings.Replace(from.Original, from.From.Image, newRef, 1)))
		}
		return
	}
	if base.Scratch || rootlessByDefault(base) {
		return
	}
	p.Reportf(analysis.SpanOf(p.Target.From), "no USER is set, so the image runs as %s's default user, root: add a numeric non-root USER (distroless images provide 65532 with the :nonroot tag)", base.Familiar())
}

// isRootUser reports whether a USER value means uid 0.
func isRootUser(u string) bool {
	user, _, _ := strings.Cut(strings.TrimSpace(u), ":")
	return user == "root" || user == "0"
}

// rootlessByDefault reports images known to default to a non-root user.
func rootlessByDefault(ref dockerfile.ImageRef) bool {
	switch {
	case strings.HasPrefix(ref.Raw, "cgr.dev/chainguard/") && !strings.Contains(ref.Tag, "dev"):
		return true
	case ref.Registry == "mcr.microsoft.com" && strings.Contains(ref.Tag, "chiseled"):
		return true
	}
	return false
}
