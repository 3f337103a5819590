package followup

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
)

// FilePatch is one file's conversion as a git patch (`git apply` reads
// it from the repository root).
func FilePatch(f File) string {
	diff := withNewline(convert.UnifiedDiff(f.Path, f.Original, f.Proposal.Dockerfile))
	return fmt.Sprintf("diff --git a/%s b/%s\n%s", f.Path, f.Path, diff)
}

// PatchInput is a fork's follow-up: the conversion as comments.
type PatchInput struct {
	Source Source
	// HeadRepo is the fork ("bob/shop").
	HeadRepo string
	Files    []File
	Skipped  []Skipped
	// Marker ends every comment, so distill finds its own comments again.
	Marker string
}

// PatchComments renders the fork reply: a `git apply` recipe and the full
// patch, split over as many comments as GitHub's 65,536-character limit
// needs (whole files per comment, each part applicable on its own). A
// single file too large for a comment is left out with a pointer to
// `distill fix`.
func PatchComments(in PatchInput) []string {
	var chunks []string // one fenced patch per file
	var tooLarge []string
	for _, f := range in.Files {
		p := FilePatch(f)
		fence := Fence(p)
		chunk := fmt.Sprintf("%sdiff\n%s%s\n", fence, p, fence)
		if len(chunk) > MaxBody-4000 {
			tooLarge = append(tooLarge, f.Path)
			continue
		}
		chunks = append(chunks, chunk)
	}
	intro := patchIntro(in, tooLarge)
	// Group the chunks into parts.
	var parts [][]string
	size := len(intro)
	for _, c := range chunks {
		if len(parts) == 0 || size+len(c)+len(in.Marker)+400 > MaxBody {
			parts = append(parts, nil)
			size = 400
			if len(parts) == 1 {
				size += len(intro)
			}
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], c)
		size += len(c)
	}
	if len(parts) == 0 {
		return []string{intro + "\n" + in.Marker + "\n"}
	}
	var out []string
	for i, p := range parts {
		var b strings.Builder
		if i == 0 {
			b.WriteString(intro)
		}
		if len(parts) > 1 {
			fmt.Fprintf(&b, "\n**Part %d of %d** — save as `distill-%d.patch`:\n\n", i+1, len(parts), i+1)
		} else {
			b.WriteString("\nSave this as `distill.patch`:\n\n")
		}
		b.WriteString(strings.Join(p, "\n"))
		b.WriteString("\n" + in.Marker + "\n")
		out = append(out, b.String())
	}
	return out
}

func patchIntro(in PatchInput, tooLarge []string) string {
	var b strings.Builder
	src := in.Source
	b.WriteString("## distill: distroless multi-stage builds\n\n")
	fmt.Fprintf(&b, "This pull request comes from the fork `%s`, which distill cannot push to, so the conversion of %s is here as a patch instead of a follow-up pull request.", in.HeadRepo, src.Describe())
	if src.Requester != "" {
		fmt.Fprintf(&b, " (@%s asked with %s.)", src.Requester, src.How)
	}
	b.WriteString("\n\n| Dockerfile | Final image now | Proposed final image |\n|---|---|---|\n")
	for _, f := range in.Files {
		fmt.Fprintf(&b, "| `%s` | `%s` | `%s` |\n", f.Path, OriginalImage(f), f.Proposal.FinalImage)
	}
	for _, f := range in.Files {
		if f.Verification != "" {
			fmt.Fprintf(&b, "\n**`%s` — verification:** %s\n", f.Path, f.Verification)
		}
		var risks []string
		for _, n := range f.Proposal.Notes {
			if n.Kind != convert.Change {
				risks = append(risks, n.Text)
			}
		}
		if len(risks) > 0 {
			fmt.Fprintf(&b, "\n**`%s` — behaviour changes and risks to check**\n", f.Path)
			for _, r := range risks {
				fmt.Fprintf(&b, "- %s\n", r)
			}
		}
	}
	for _, s := range in.Skipped {
		fmt.Fprintf(&b, "\n`%s` is not converted: %s\n", s.Path, s.Reason)
	}
	for _, p := range tooLarge {
		fmt.Fprintf(&b, "\nThe patch of `%s` is too large for a comment; run `distill fix --write %s` in your checkout instead.\n", p, p)
	}
	b.WriteString("\n**To apply it**, in a checkout of the pull request's branch:\n\n")
	b.WriteString("```sh\ngit apply --check distill.patch   # dry run\ngit apply distill.patch\ngit commit -am \"Convert to distroless multi-stage builds (distill)\"\ngit push\n```\n")
	b.WriteString("\nWhen the patch comes in several parts, apply each part the same way. The review's suggestions work too: a maintainer can apply them if the fork allows edits from maintainers.\n")
	return b.String()
}
