package rules

import (
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// BaseImageNotPinnedByDigest reports external images a build pulls by tag
// only.
var BaseImageNotPinnedByDigest = &analysis.Rule{
	Name:     "BaseImageNotPinnedByDigest",
	Summary:  "An image is pulled by tag only; tags move, digests do not.",
	Doc:      mustDoc("BaseImageNotPinnedByDigest"),
	URL:      ruleURL("BaseImageNotPinnedByDigest"),
	Severity: analysis.Info,
	Category: analysis.Hygiene,
	Run:      runBaseImageNotPinnedByDigest,
}

func runBaseImageNotPinnedByDigest(p *analysis.Pass) {
	// Opt-in: digest pinning needs a bot to keep digests fresh, so it is
	// advice only for teams that asked for it (images.pin_digest).
	if !p.Options.PinDigest {
		return
	}
	// Every stage that is built: a builder's toolchain shapes the binary as
	// much as the runtime base shapes the image. Stages BuildKit skips pull
	// nothing.
	for _, st := range p.Reachable() {
		if st.BaseStage == nil && digestMatters(st.Base) {
			p.Reportf(analysis.SpanOf(st.From), "%s is pulled by tag only: tags move (upstream republishes them for every patch and security rebuild), so two builds of the same commit can get different bases; pin the digest (%s@sha256:…) and let Renovate or Dependabot keep it fresh",
				st.Base.Familiar(), st.Base.Familiar())
		}
		for _, in := range st.Instructions {
			for _, ref := range externalRefs(p.File, in) {
				if digestMatters(ref) {
					p.Reportf(analysis.SpanOf(in), "%s in %s (line %d) is pulled by tag only: tags move, so the files copied from it can change between builds of the same commit; pin the digest (%s@sha256:…) and let Renovate or Dependabot keep it fresh",
						ref.Familiar(), in.Kind, in.StartLine, ref.Familiar())
				}
			}
		}
	}
}

// digestMatters reports whether pinning a reference by digest is the next
// step: an external image with a real tag. Untagged and :latest references
// are LatestOrMissingTag's business (pin a tag first), untagged distroless
// names the distroless rules', and references built from ARGs without
// defaults cannot be judged.
func digestMatters(ref dockerfile.ImageRef) bool {
	switch {
	case ref.Scratch, ref.Unresolved, ref.Invalid, ref.Digest != "":
		return false
	case ref.Tag == "" || ref.Tag == "latest":
		return false
	}
	// A tag that never existed cannot be pinned: NonexistentImageTag.
	if im := cat.LookupImage(ref.Name()); im != nil && !im.TagExists(ref.Tag) {
		return false
	}
	return true
}

// externalRefs returns the images a COPY --from or RUN --mount=from pulls.
func externalRefs(f *dockerfile.File, in *dockerfile.Instruction) []dockerfile.ImageRef {
	var froms []string
	switch {
	case in.Copy != nil && in.Copy.From != "":
		froms = append(froms, in.Copy.From)
	case in.Run != nil:
		for _, m := range in.Run.Mounts {
			if m.From != "" {
				froms = append(froms, m.From)
			}
		}
	}
	var out []dockerfile.ImageRef
	for _, from := range froms {
		if strings.Contains(from, "$") {
			continue
		}
		if isStageRef(in.Stage, from) {
			continue
		}
		out = append(out, dockerfile.ParseImageRef(from))
	}
	return out
}

// isStageRef reports whether a --from names a stage (rather than an image).
func isStageRef(st *dockerfile.Stage, from string) bool {
	if st == nil {
		return false
	}
	for _, d := range st.DependsOn {
		if (d.Name != "" && strings.EqualFold(d.Name, from)) || d.Ref() == from || strconv.Itoa(d.Index) == from {
			return true
		}
	}
	return false
}
