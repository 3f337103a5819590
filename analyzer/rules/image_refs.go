package rules

import (
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// baseFroms returns the FROM instructions of reachable stages that name an
// external image (not an earlier stage).
func baseFroms(p *analysis.Pass) []*dockerfile.Stage {
	var out []*dockerfile.Stage
	for _, st := range p.Reachable() {
		if st.BaseStage != nil || st.Base.Unresolved || st.Base.Invalid || st.Base.Scratch {
			continue
		}
		out = append(out, st)
	}
	return out
}

// removals returns every removal entry matching a distroless name, merged:
// the first reason, and the first replacement, alternative and version
// given by any entry.
func removals(name string) (catalog.Removal, bool) {
	var r catalog.Removal
	found := false
	for _, x := range cat.Distroless.Removed {
		if ok, _ := path.Match(x.Name, name); !ok {
			continue
		}
		if !found {
			r.Name, r.Since, r.Reason = x.Name, x.Since, x.Reason
			found = true
		}
		if r.Replacement == "" {
			r.Replacement = x.Replacement
		}
		if r.Alternative == "" {
			r.Alternative = x.Alternative
		}
		if r.Version == "" {
			r.Version = x.Version
		}
	}
	return r, found
}

// targetDebian picks the Debian release to move a family to: the
// configured one when the family is published there and it is not older
// than min, else the newest release the family is published for.
func targetDebian(p *analysis.Pass, im *catalog.DistrolessImage, min int) int {
	if d := p.Options.Debian; d != 0 && d >= min && im.HasDebian(d) {
		return d
	}
	best := 0
	for _, d := range im.Debians {
		if d > best {
			best = d
		}
	}
	return best
}

// renameDistroless returns the FROM line with the distroless repository
// renamed to newRepo (path after gcr.io/distroless/), keeping registry, tag
// and everything else as written; ok is false when the image is written
// with variables.
func renameDistroless(from *dockerfile.Instruction, oldRepo, newRepo string) (string, bool) {
	img := from.From.Image
	if strings.Contains(img, "$") {
		return "", false
	}
	i := strings.Index(img, "distroless/"+oldRepo)
	if i < 0 {
		return "", false
	}
	rest := img[i+len("distroless/"+oldRepo):]
	if rest != "" && rest[0] != ':' && rest[0] != '@' {
		return "", false
	}
	newImg := img[:i] + "distroless/" + newRepo + rest
	line := strings.Replace(from.Original, img, newImg, 1)
	if line == from.Original {
		return "", false
	}
	return line, true
}

// withTag renders "repo:tag" or "repo" for latest.
func withTag(repo, tag string) string {
	if tag == "" || tag == "latest" {
		return repo
	}
	return repo + ":" + tag
}
