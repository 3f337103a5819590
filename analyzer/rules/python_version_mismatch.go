package rules

import (
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// PythonVersionMismatch reports Python packages built with one Python minor
// copied onto an image that runs another.
var PythonVersionMismatch = &analysis.Rule{
	Name:     "PythonVersionMismatch",
	Summary:  "Packages installed with one Python minor are copied onto an image that runs another.",
	Doc:      mustDoc("PythonVersionMismatch"),
	URL:      ruleURL("PythonVersionMismatch"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runPythonVersionMismatch,
}

var pythonInPath = regexp.MustCompile(`python(3\.\d+)`)

// runtimePython returns the Python minor the shipped image runs.
func runtimePython(p *analysis.Pass) string {
	root := finalBase(p)
	if dl, ok := distrolessOf(root); ok {
		if r, removed := removals(strings.TrimPrefix(root.Repository, "distroless/")); removed && r.Version != "" {
			return r.Version
		}
		if dl.Image != nil && dl.Image.Runtime == "python" {
			return dl.Image.Version
		}
		return ""
	}
	if lang, v := langOf(root); lang == "python" && strings.Count(v, ".") == 1 {
		return v
	}
	return ""
}

func runPythonVersionMismatch(p *analysis.Pass) {
	rv := runtimePython(p)
	if rv == "" {
		return
	}
	root := finalBase(p)
	seen := map[*dockerfile.Stage]bool{}
	for _, c := range chainCopies(p) {
		if seen[c.From] {
			continue
		}
		bv, why := "", ""
		for _, s := range c.Sources {
			if m := pythonInPath.FindStringSubmatch(s); m != nil {
				bv, why = m[1], "the path "+s
				break
			}
		}
		if bv == "" && installsPython(p, c.From) {
			bv = pythonOfStage(p, c.From)
			why = imageName(c.From.RootBase())
		}
		if bv == "" || catalog.Minor(bv) == rv {
			continue
		}
		seen[c.From] = true
		builder := catalog.Expand(cat.Python.Builder, map[string]string{"minor": rv, "codename": cat.Codename(13)})
		if d, ok := debianOf(p, root); ok {
			builder = catalog.Expand(cat.Python.Builder, map[string]string{"minor": rv, "codename": cat.Codename(d)})
		}
		p.Reportf(analysis.SpanOf(c.In), "%s brings packages installed with Python %s (%s, %s) into %s, which runs Python %s: lib/python%s/site-packages is not on Python %s's sys.path and compiled extensions are built for cp%s, so imports fail with ModuleNotFoundError; build that stage with %s (the same minor as the runtime)",
			copyText(c.In), bv, why, c.From.Describe(), imageName(root), rv, bv, rv, strings.ReplaceAll(bv, ".", ""), builder)
	}
}

// installsPython reports whether a stage lineage installs Python packages
// or creates a venv.
func installsPython(p *analysis.Pass, st *dockerfile.Stage) bool {
	if len(pythonInstalls(p, st)) > 0 {
		return true
	}
	for _, s := range stageLineage(st) {
		for _, rc := range p.Commands(s) {
			if venvCreate(rc.Command) != "" || rc.Is("poetry", "pipenv") {
				return true
			}
		}
	}
	return false
}
