package rules

import (
	"path"
	"regexp"
	"strconv"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// GlibcNewerInBuilder reports native binaries or libraries built on a newer
// Debian (glibc) than the image they run on.
var GlibcNewerInBuilder = &analysis.Rule{
	Name:     "GlibcNewerInBuilder",
	Summary:  "A binary built on a newer Debian than the runtime image fails with \"GLIBC_2.xx not found\".",
	Doc:      mustDoc("GlibcNewerInBuilder"),
	URL:      ruleURL("GlibcNewerInBuilder"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runGlibcNewerInBuilder,
}

func runGlibcNewerInBuilder(p *analysis.Pass) {
	if _, static := staticRuntime(p); static {
		return
	}
	runtime := finalBase(p)
	rd, ok := debianOf(p, runtime)
	if !ok || isMusl(runtime) {
		return
	}
	reported := map[*dockerfile.Stage]bool{}
	for _, c := range chainCopies(p) {
		if reported[c.From] {
			continue
		}
		broot := c.From.RootBase()
		if isMusl(broot) {
			continue
		}
		bd, ok := debianOf(p, broot)
		if !ok || bd <= rd {
			continue
		}
		what, stdlibGo := glibcArtifact(p, c)
		if what == "" {
			continue
		}
		reported[c.From] = true
		f := p.Reportf(analysis.SpanOf(c.In), "%s (%s) copies %s from %s (%s) into %s (%s): anything linked against glibc symbols newer than %s fails at start with \"version `GLIBC_2.xx' not found\"; %s",
			copyText(c.In), c.From.Describe(), what, imageName(broot), describeDebian(bd), imageName(runtime), describeDebian(rd), cat.Glibc(rd), glibcRemedy(p, broot, runtime, rd, bd))
		if stdlibGo {
			// distroless.md §3.1: a stdlib-only cgo binary references at
			// most GLIBC_2.34; C code compiled by cgo can need newer.
			f.Message += " (a cgo binary that uses only the standard library references at most GLIBC_2.34 and usually runs; C code compiled by cgo against the newer headers does not)"
			f.WithSeverity(analysis.Warning)
		}
	}
}

// glibcArtifact says what glibc-linked thing a COPY takes ("" for none),
// and whether it is a Go cgo binary with no sign of C code.
func glibcArtifact(p *analysis.Pass, c stageCopy) (string, bool) {
	if lang, _ := langOf(c.From.RootBase()); lang == "java" {
		return "", false
	}
	for _, gb := range goBuildsIn(p, c.From) {
		if copiedAny(c.Sources, gb.Output) {
			if gb.Cgo == cgoOn && !gb.Static {
				return "a Go binary linked with cgo", gb.CgoEvidence == "" || gb.CgoEvidence == "CGO_ENABLED=1"
			}
			return "", false
		}
	}
	for _, cb := range cargoBuildsIn(p, c.From) {
		if copiedCargo(c.Sources, cb) && !cb.Static {
			return "a Rust binary", false
		}
	}
	for _, s := range c.Sources {
		if isSharedLibrary(s) {
			return "shared libraries (" + s + ")", false
		}
	}
	if rc := nativeCompile(p, c.From); rc != nil {
		for _, s := range c.Sources {
			if !dataFile(s) {
				return "native code compiled with " + rc.Base() + " (" + s + ")", false
			}
		}
	}
	return "", false
}

var sharedLibrary = regexp.MustCompile(`\.so(\.[0-9.]+)?\*?$`)

func isSharedLibrary(s string) bool { return sharedLibrary.MatchString(path.Base(s)) }

// glibcRemedy suggests a builder on the runtime's Debian, or a runtime on
// the builder's.
func glibcRemedy(p *analysis.Pass, builder, runtime dockerfile.ImageRef, rd, bd int) string {
	var opts []string
	if im := lookupImage(builder); im != nil {
		code := cat.Codename(rd)
		tag := code
		if v := catalog.TagVersion(builder.Tag); v != "" {
			tag = v + "-" + code
		}
		if im.Name == "debian" {
			tag = code
		}
		if im.TagExists(tag) {
			opts = append(opts, "build on "+im.Name+":"+tag)
		}
	}
	if dl, ok := distrolessOf(runtime); ok && dl.Image != nil && dl.Image.HasDebian(bd) {
		opts = append(opts, "run on "+withTag(cat.Distroless.Registry+"/"+dl.Family+"-debian"+strconv.Itoa(bd), dl.Tag))
	} else if im := lookupImage(runtime); im != nil && im.Name == "debian" {
		opts = append(opts, "run on debian:"+cat.Codename(bd)+"-slim")
	}
	if len(opts) == 0 {
		return "build and run on the same Debian release"
	}
	if len(opts) == 1 {
		return opts[0]
	}
	return opts[0] + ", or " + opts[1]
}
