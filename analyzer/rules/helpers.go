package rules

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// finalBase returns the external image the shipped image is built on.
func finalBase(p *analysis.Pass) dockerfile.ImageRef {
	return p.Target.RootBase()
}

// distrolessOf interprets a reference as a Google distroless image.
func distrolessOf(ref dockerfile.ImageRef) (catalog.DistrolessRef, bool) {
	if !ref.IsDistroless() {
		return catalog.DistrolessRef{}, false
	}
	return cat.ParseDistroless(strings.TrimPrefix(ref.Repository, "distroless/"), ref.Tag), true
}

// jsonArgs renders words as an exec-form JSON array with double quotes.
func jsonArgs(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		b, _ := json.Marshal(w)
		// json.Marshal escapes <, > and & for HTML; Dockerfiles do not
		// need that and users should read their command as written.
		s := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
		parts[i] = s
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// replaceWith returns an edit that replaces an instruction's lines.
func replaceWith(in *dockerfile.Instruction, text string) analysis.Edit {
	return analysis.Edit{StartLine: in.StartLine, EndLine: in.EndLine, Text: text}
}

var pythonProg = regexp.MustCompile(`^python(3(\.\d+)?)?$`)

// stripImageEntrypoint removes from words what a distroless image's own
// ENTRYPOINT already runs: python3 for python3-*, node for nodejs*, and
// java -jar for java*. It reports whether it removed anything.
func stripImageEntrypoint(im *catalog.DistrolessImage, words []string) ([]string, bool) {
	if im == nil || len(words) == 0 {
		return words, false
	}
	prog := path.Base(words[0])
	switch im.Runtime {
	case "python":
		if pythonProg.MatchString(prog) {
			return words[1:], true
		}
	case "node":
		if prog == "node" || prog == "nodejs" {
			return words[1:], true
		}
	case "java":
		if prog == "java" && len(words) >= 2 && words[1] == "-jar" {
			return words[2:], true
		}
	}
	return words, false
}

// keyword returns the instruction keyword in the file's own casing.
func keyword(in *dockerfile.Instruction, k dockerfile.Kind) string {
	if in.Keyword != "" && in.Keyword == strings.ToLower(in.Keyword) {
		return strings.ToLower(string(k))
	}
	return string(k)
}
