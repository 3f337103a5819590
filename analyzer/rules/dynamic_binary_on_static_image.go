package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// DynamicBinaryOnStaticImage reports dynamically linked binaries (Go with
// cgo, Rust's gnu target) copied onto distroless static or scratch, which
// have no dynamic loader. It is the rule for cgo binaries on static.
var DynamicBinaryOnStaticImage = &analysis.Rule{
	Name:     "DynamicBinaryOnStaticImage",
	Summary:  "A dynamically linked binary (Go with cgo, Rust gnu) on static or scratch fails with \"exec … no such file or directory\".",
	Doc:      mustDoc("DynamicBinaryOnStaticImage"),
	URL:      ruleURL("DynamicBinaryOnStaticImage"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runDynamicBinaryOnStaticImage,
}

// staticRuntime reports whether the shipped image has no libc: distroless
// static or scratch.
func staticRuntime(p *analysis.Pass) (string, bool) {
	root := finalBase(p)
	if root.Scratch {
		return "scratch", true
	}
	if dl, ok := distrolessOf(root); ok && dl.Image != nil && dl.Image.Runtime == "static" {
		return imageName(root), true
	}
	return "", false
}

func runDynamicBinaryOnStaticImage(p *analysis.Pass) {
	img, ok := staticRuntime(p)
	if !ok {
		return
	}
	done := map[*dockerfile.Instruction]bool{}
	for _, c := range chainCopies(p) {
		for _, gb := range goBuildsIn(p, c.From) {
			if done[gb.Run] || gb.Cgo != cgoOn || gb.Static || !copiedAny(c.Sources, gb.Output) {
				continue
			}
			done[gb.Run] = true
			libc := "glibc"
			if gb.Musl {
				libc = "musl"
			}
			f := p.Reportf(analysis.SpanOf(gb.Run), "%s (line %d) copies the Go binary built here (%s) into %s, but %s: a program that uses net, os/user or any C code links dynamically against %s, and %s has no dynamic loader, so it fails with \"exec %s: no such file or directory\"; build with CGO_ENABLED=0 (static), or keep cgo and use %s",
				copyText(c.In), c.In.StartLine, quoteShort(gb.Cmd.Cmd.String()), img, gb.CgoWhy, libc, img, c.Dest, cat.Ref("base", cat.Distroless.DefaultDebian, "nonroot"))
			if gb.CgoEvidence == "" {
				if line, ok := insertCgoOff(gb.Run); ok {
					f.WithFix("Build with CGO_ENABLED=0", analysis.Edit{StartLine: line.n, EndLine: line.n, Text: line.text})
				}
			} else {
				f.Message += fmt.Sprintf("; cgo looks needed here (%s), so %s is the safer choice", gb.CgoEvidence, cat.Ref("base", cat.Distroless.DefaultDebian, "nonroot"))
			}
		}
		for _, cb := range cargoBuildsIn(p, c.From) {
			if done[cb.Run] || cb.Static || !copiedCargo(c.Sources, cb) {
				continue
			}
			done[cb.Run] = true
			p.Reportf(analysis.SpanOf(cb.Run), "%s (line %d) copies the Rust binary built here (%s, gnu target) into %s, but it is linked dynamically against glibc and libgcc_s, and %s has no libc or dynamic loader, so it fails with \"exec %s: no such file or directory\"; use %s, or build for x86_64-unknown-linux-musl (static)",
				copyText(c.In), c.In.StartLine, quoteShort(cb.Cmd.String()), img, img, c.Dest, cat.Ref("cc", cat.Distroless.DefaultDebian, "nonroot"))
		}
	}
}

func copiedAny(sources []string, output string) bool {
	for _, s := range sources {
		if copiesOutput(s, output) {
			return true
		}
	}
	return false
}

func copiedCargo(sources []string, cb cargoBuild) bool {
	for _, s := range sources {
		if copiesCargoOutput(s, cb) {
			return true
		}
	}
	return false
}

// copyText renders a COPY for messages: `COPY --from=build /out/app`.
func copyText(in *dockerfile.Instruction) string {
	s := "COPY --from=" + in.Copy.From + " " + strings.Join(in.Copy.Sources, " ")
	if len(s) > 70 {
		s = s[:67] + "..."
	}
	return s
}

type editLine struct {
	n    int
	text string
}

var goBuildText = regexp.MustCompile(`(^|[\s;&|(])(go\s+(?:build|install)\b)`)
var safeBefore = regexp.MustCompile(`(^|&&|\|\||;|\(|\{|\bthen|\bdo|\belse|\b[A-Za-z_][A-Za-z0-9_]*=\S*|^\s*(?i:run)(\s+--\S+)*)\s*$`)

// insertCgoOff adds CGO_ENABLED=0 before the only go build of a RUN, when
// the text before it allows a prefix assignment.
func insertCgoOff(in *dockerfile.Instruction) (editLine, bool) {
	lines := in.Lines()
	hit, at := -1, 0
	for i, l := range lines {
		locs := goBuildText.FindAllStringSubmatchIndex(l, -1)
		if len(locs) == 0 {
			continue
		}
		if hit >= 0 || len(locs) > 1 {
			return editLine{}, false
		}
		hit, at = i, locs[0][4]
	}
	if hit < 0 {
		return editLine{}, false
	}
	before := lines[hit][:at]
	if !safeBefore.MatchString(before) && strings.TrimSpace(before) != "" {
		return editLine{}, false
	}
	text := lines[hit][:at] + "CGO_ENABLED=0 " + lines[hit][at:]
	return editLine{n: in.StartLine + hit, text: text}, true
}
