package rules

import (
	"path"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// MuslArtifactOnGlibc reports native artifacts built on Alpine (musl) and
// copied onto a glibc image.
var MuslArtifactOnGlibc = &analysis.Rule{
	Name:     "MuslArtifactOnGlibc",
	Summary:  "Native code built on Alpine (musl) copied onto a glibc image fails to load.",
	Doc:      mustDoc("MuslArtifactOnGlibc"),
	URL:      ruleURL("MuslArtifactOnGlibc"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runMuslArtifactOnGlibc,
}

func runMuslArtifactOnGlibc(p *analysis.Pass) {
	if _, static := staticRuntime(p); static {
		return // DynamicBinaryOnStaticImage
	}
	runtime := finalBase(p)
	if runtime.Unresolved || runtime.Invalid || isMusl(runtime) {
		return
	}
	if _, ok := debianOf(p, runtime); !ok {
		if im := lookupImage(runtime); im == nil || !im.Ubuntu {
			return
		}
	}
	reported := map[*dockerfile.Stage]bool{}
	for _, c := range chainCopies(p) {
		broot := c.From.RootBase()
		if reported[c.From] || !isMusl(broot) {
			continue
		}
		what, sev := muslArtifact(p, c)
		if what == "" {
			continue
		}
		reported[c.From] = true
		p.Reportf(analysis.SpanOf(c.In), "%s copies %s from %s, built on %s with musl, into %s, which has glibc: %s; build that stage on the Debian variant of the image (never mix Alpine-built artifacts with glibc)",
			copyText(c.In), what, c.From.Describe(), imageName(broot), imageName(runtime), muslConsequence(what)).WithSeverity(sev)
	}
}

// muslArtifact says what musl-linked thing a COPY takes.
func muslArtifact(p *analysis.Pass, c stageCopy) (string, analysis.Severity) {
	for _, gb := range goBuildsIn(p, c.From) {
		if copiedAny(c.Sources, gb.Output) {
			if gb.Cgo == cgoOn && !gb.Static {
				return "a Go binary linked with cgo", analysis.Error
			}
			return "", 0
		}
	}
	if rc := nativeCompile(p, c.From); rc != nil {
		for _, s := range c.Sources {
			if !dataFile(s) && !isNodeOrPython(s) {
				return "native code compiled with " + rc.Base(), analysis.Error
			}
		}
	}
	for _, s := range c.Sources {
		if isSharedLibrary(s) {
			return "shared libraries (" + s + ")", analysis.Error
		}
	}
	for _, s := range c.Sources {
		switch {
		case path.Base(s) == "node_modules" || covers(s, stateAt(c.From, nil).Workdir+"/node_modules") && hasNodeInstall(p, c.From):
			return "node_modules", analysis.Warning
		case isPythonEnv(p, c.From, s):
			return "Python packages (" + s + ")", analysis.Warning
		}
	}
	return "", 0
}

func isNodeOrPython(s string) bool {
	b := path.Base(s)
	return b == "node_modules" || b == "site-packages" || b == "venv" || b == ".venv"
}

func hasNodeInstall(p *analysis.Pass, st *dockerfile.Stage) bool {
	for _, s := range stageLineage(st) {
		for _, in := range s.All(dockerfile.KindRun) {
			if sc, _ := p.Script(in); sc != nil && len(sc.NodeInstalls()) > 0 {
				return true
			}
		}
	}
	return false
}

// isPythonEnv reports whether a copied path holds packages pip installed in
// the stage.
func isPythonEnv(p *analysis.Pass, st *dockerfile.Stage, src string) bool {
	for _, inst := range pythonInstalls(p, st) {
		if covers(src, inst.Location) || covers(inst.Location, src) {
			return true
		}
	}
	return false
}

func muslConsequence(what string) string {
	switch what {
	case "node_modules":
		return "native addons (.node files) built or downloaded for musl fail to load with \"Error loading shared library\" (pure-JavaScript packages are fine)"
	}
	if len(what) > 6 && what[:6] == "Python" {
		return "compiled extensions from musllinux wheels fail to import, and a venv's python points at Alpine's interpreter"
	}
	return "it needs musl's loader /lib/ld-musl-x86_64.so.1, which is not there, so it fails with \"no such file or directory\""
}
