package rules

import (
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
)

// UnpinnedDistrolessDebian reports distroless images named without their
// -debianNN suffix.
var UnpinnedDistrolessDebian = &analysis.Rule{
	Name:     "UnpinnedDistrolessDebian",
	Summary:  "A distroless image without -debianNN moves to the next Debian release (and glibc) on its own.",
	Doc:      mustDoc("UnpinnedDistrolessDebian"),
	URL:      ruleURL("UnpinnedDistrolessDebian"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Run:      runUnpinnedDistrolessDebian,
}

func runUnpinnedDistrolessDebian(p *analysis.Pass) {
	for _, st := range baseFroms(p) {
		ref := st.Base
		dl, ok := distrolessOf(ref)
		if !ok || dl.Debian != 0 || dl.Image == nil || !dl.TagKnown {
			continue
		}
		if _, removed := removals(dl.Family); removed {
			continue // DeprecatedDistrolessImage reports it
		}
		current := cat.UnversionedDebian(now(p).Format("2006-01-02"))
		target := current
		if d := p.Options.Debian; d != 0 && dl.Image.HasDebian(d) {
			target = d
		}
		if !dl.Image.HasDebian(target) {
			target = targetDebian(p, dl.Image, 0)
		}
		pinned := dl.Family + "-debian" + strconv.Itoa(target)
		suggestion := withTag(cat.Distroless.Registry+"/"+pinned, dl.Tag)
		where := ""
		if !p.InChain(st) {
			where = " (build " + st.Describe() + ")"
		}
		msg := "%s%s has no Debian suffix: %s, and it moves again when the next Debian ships, changing glibc and every library under the app without a change to this file; pin %s"
		args := []any{imageName(ref), where, unversionedHistory(current), suggestion}
		if ref.Digest != "" {
			msg += " (the digest fixes one image, but not which Debian the next digest update brings)"
		}
		f := p.Reportf(analysis.SpanOf(st.From), msg, args...)
		if ref.Digest != "" {
			continue
		}
		if line, ok := renameDistroless(st.From, dl.Family, pinned); ok {
			f.WithFix("Pin the Debian release", analysis.Edit{StartLine: st.From.StartLine, EndLine: st.From.EndLine, Text: line})
		}
	}
}

// unversionedHistory renders the catalog's history of untagged names.
func unversionedHistory(current int) string {
	var parts []string
	prev := ""
	for _, e := range cat.Distroless.UnversionedHistory {
		switch {
		case e.Until == "":
			parts = append(parts, "Debian "+strconv.Itoa(e.Debian)+" since "+prev)
		case prev == "":
			parts = append(parts, "Debian "+strconv.Itoa(e.Debian)+" until "+e.Until)
		default:
			parts = append(parts, "Debian "+strconv.Itoa(e.Debian)+" until "+e.Until)
		}
		prev = e.Until
	}
	_ = current
	return "the untagged name meant " + strings.Join(parts, ", ")
}
