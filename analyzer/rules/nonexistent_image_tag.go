package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
)

// NonexistentImageTag reports image tags (and distroless images) that never
// existed, in every stage the build needs: the pull fails.
var NonexistentImageTag = &analysis.Rule{
	Name:     "NonexistentImageTag",
	Summary:  "The image tag never existed (golang:*-slim, python:*-bookworm-slim, …), so the build cannot pull it.",
	Doc:      mustDoc("NonexistentImageTag"),
	URL:      ruleURL("NonexistentImageTag"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runNonexistentImageTag,
}

func runNonexistentImageTag(p *analysis.Pass) {
	for _, st := range baseFroms(p) {
		ref := st.Base
		where := ""
		if !p.InChain(st) {
			where = " (" + st.Describe() + ")"
		}
		if dl, ok := distrolessOf(ref); ok {
			if dl.Image == nil || dl.Debian == 0 || dl.Published {
				continue
			}
			if _, removed := removals(strings.TrimPrefix(ref.Repository, "distroless/")); removed {
				continue
			}
			var ds []string
			for _, d := range dl.Image.Debians {
				ds = append(ds, strconv.Itoa(d))
			}
			p.Reportf(analysis.SpanOf(st.From), "%s%s does not exist: %s is published only for Debian %s, so the pull fails with \"manifest unknown\"; use %s",
				imageName(ref), where, dl.Family, strings.Join(ds, " and "),
				withTag(cat.Ref(dl.Family, targetDebian(p, dl.Image, 0), ""), dl.Tag))
			continue
		}
		im := lookupImage(ref)
		if im == nil || ref.Tag == "" || im.TagExists(ref.Tag) {
			continue
		}
		msg := "%s%s does not exist: %s, so the pull fails with \"manifest unknown\""
		args := []any{imageName(ref), where, im.WhyNot}
		fixed := swappedTag(im, ref.Tag)
		if fixed != "" {
			msg += "; use " + ref.Name() + ":" + fixed
		} else if hint := tagHint(im, ref.Tag); hint != "" {
			msg += "; " + hint
		}
		f := p.Reportf(analysis.SpanOf(st.From), msg, args...)
		if fixed != "" && !strings.Contains(st.From.From.Image, "$") {
			written := st.From.From.Image
			if i := strings.LastIndex(written, ":"+ref.Tag); i >= 0 {
				newImg := written[:i] + ":" + fixed + written[i+len(ref.Tag)+1:]
				line := strings.Replace(st.From.Original, written, newImg, 1)
				f.WithFix("Use the tag that exists", analysis.Edit{StartLine: st.From.StartLine, EndLine: st.From.EndLine, Text: line})
			}
		}
	}
}

// swappedTag returns the tag with its variant words in the other order
// (python 3.12-bookworm-slim → 3.12-slim-bookworm; node 22-slim-bookworm →
// 22-bookworm-slim) when that tag exists, or "".
func swappedTag(im *catalog.Image, tag string) string {
	words := catalog.TagWords(tag)
	if len(words) < 2 {
		return ""
	}
	v := catalog.TagVersion(tag)
	n := len(words)
	swapped := append(append([]string{}, words[:n-2]...), words[n-1], words[n-2])
	cand := strings.Join(swapped, "-")
	if v != "" {
		cand = v + "-" + cand
	}
	if im.TagExists(cand) {
		return cand
	}
	return ""
}

// tagHint suggests existing tags when no swap fixes the tag.
func tagHint(im *catalog.Image, tag string) string {
	v := catalog.TagVersion(tag)
	if im.Name == "golang" && catalog.HasWord(tag, "slim") {
		hint := "drop -slim and pick a variant: golang:" + v + "-trixie, -bookworm or -alpine"
		if v != "" && len(im.Current) > 0 && !slices.Contains(im.Current, catalog.Minor(v)) {
			hint += "; Go " + v + " is not a supported release (current: " + strings.Join(im.Current, ", ") + ")"
		}
		return hint
	}
	return ""
}
