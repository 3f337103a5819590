package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// CopyAllBeforeDependencyInstall reports a COPY of the whole build context
// that comes before the dependency install of the same stage.
var CopyAllBeforeDependencyInstall = &analysis.Rule{
	Name:     "CopyAllBeforeDependencyInstall",
	Summary:  "COPY . before the dependency install makes every source change re-download all dependencies.",
	Doc:      mustDoc("CopyAllBeforeDependencyInstall"),
	URL:      ruleURL("CopyAllBeforeDependencyInstall"),
	Severity: analysis.Info,
	Category: analysis.Hygiene,
	Run:      runCopyAllBeforeDependencyInstall,
}

// depStep is a dependency install that a manifest-first COPY would cache.
type depStep struct {
	in        *dockerfile.Instruction
	cmd       *shell.Command
	tool      string
	manifests []string
}

func runCopyAllBeforeDependencyInstall(p *analysis.Pass) {
	// Every stage that is built: layer caching matters most in the build
	// stages, where the installs are.
	for _, st := range p.Reachable() {
		var copyAll *dockerfile.Instruction
		installedBefore := map[string]bool{}
		var steps []depStep
		for _, in := range st.Instructions {
			switch in.Kind {
			case dockerfile.KindCopy, dockerfile.KindAdd:
				if copyAll == nil && copiesContext(in) {
					copyAll = in
				}
			case dockerfile.KindRun:
				s := script(p, in)
				if s == nil {
					continue
				}
				for _, c := range s.Commands {
					step, ok := dependencyStep(c)
					if !ok {
						continue
					}
					switch {
					case copyAll == nil:
						installedBefore[step.tool] = true
					case !installedBefore[step.tool] && !hasCacheMount(in) && !sameTool(steps, step.tool):
						step.in = in
						steps = append(steps, step)
					}
				}
			}
		}
		if copyAll == nil || len(steps) == 0 {
			continue
		}
		var installs, manifests []string
		cargoBuild := false
		for _, s := range steps {
			installs = append(installs, fmt.Sprintf("%s (line %d)", cmdText(s.cmd), s.in.StartLine))
			manifests = append(manifests, strings.Join(s.manifests, " "))
			cargoBuild = cargoBuild || (s.tool == "cargo" && len(s.cmd.Args) > 0 && s.cmd.Args[0] != "fetch")
		}
		first := strings.TrimSpace(copyAll.Lines()[0])
		run := "the install"
		if len(steps) > 1 {
			run = "the installs"
		}
		advice := fmt.Sprintf("copy %s first, run %s, and copy the rest after it", joinAnd(manifests), run)
		if cargoBuild {
			advice += " (for Rust: `cargo fetch` after copying the manifests, or cargo-chef to cache compiled dependencies)"
		}
		p.Reportf(analysis.SpanOf(copyAll), "%s (line %d) in %s copies the whole build context before %s: any source change invalidates the cached layers from here on, so every build downloads all dependencies again; %s",
			shorten(first, 40), copyAll.StartLine, st.Describe(), joinAnd(installs), advice)
	}
}

func sameTool(steps []depStep, tool string) bool {
	for _, s := range steps {
		if s.tool == tool {
			return true
		}
	}
	return false
}

// copiesContext reports whether a COPY or ADD copies the whole build
// context ("." or "./"), not from another stage or image.
func copiesContext(in *dockerfile.Instruction) bool {
	if in.Copy == nil || in.Copy.From != "" {
		return false
	}
	for _, s := range in.Copy.Sources {
		if path.Clean(s) == "." {
			return true
		}
	}
	return false
}

// dependencyStep recognises a command that installs dependencies from
// manifests: go mod download, npm ci, pip install -r, mvn
// dependency:go-offline, cargo fetch/build, bundle install, …
func dependencyStep(c *shell.Command) (depStep, bool) {
	one := &shell.Script{Commands: []*shell.Command{c}}
	arg := func(i int) string {
		if i < len(c.Args) {
			return c.Args[i]
		}
		return ""
	}
	tool := ""
	var manifests []string
	switch {
	case c.Is("go") && arg(0) == "mod" && arg(1) == "download":
		tool = "go"
	case c.Is("npm", "yarn", "pnpm", "corepack"):
		for _, ni := range one.NodeInstalls() {
			if !ni.Global && len(ni.Packages) == 0 {
				tool = ni.Tool
			}
		}
	case c.Is("pipenv") && (arg(0) == "install" || arg(0) == "sync"):
		tool = "pipenv"
	case c.Is("poetry") && (arg(0) == "install" || arg(0) == "sync"):
		tool = "poetry"
	case c.Is("uv") && arg(0) == "sync":
		tool = "uv"
	case c.Is("mvn", "mvnw"):
		for _, a := range c.Args {
			if strings.HasPrefix(a, "dependency:go-offline") || strings.HasPrefix(a, "dependency:resolve") {
				tool = "maven"
			}
		}
	case c.Is("cargo") && (arg(0) == "fetch" || arg(0) == "build" || (arg(0) == "chef" && arg(1) == "cook")):
		// cargo chef cook builds the dependencies from a recipe: the
		// cargo-chef way of caching them.
		tool = "cargo"
	case c.Is("bundle") && arg(0) == "install":
		tool = "bundler"
	case c.Is("composer") && arg(0) == "install":
		tool = "composer"
	case c.Is("dotnet") && arg(0) == "restore":
		tool = "dotnet"
	default:
		for _, pi := range one.PipInstalls() {
			if len(pi.Requirements) > 0 && !pi.UV {
				tool = "pip"
				for _, r := range pi.Requirements {
					if strings.HasPrefix(r, "/") {
						r = path.Base(r)
					}
					manifests = append(manifests, r)
				}
			}
		}
	}
	if tool == "" {
		return depStep{}, false
	}
	if manifests == nil {
		pm := cat.PackageManager(tool)
		if pm == nil {
			return depStep{}, false
		}
		manifests = pm.Manifests
	}
	return depStep{cmd: c, tool: tool, manifests: manifests}, true
}

// joinAnd joins items as "a", "a and b" or "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
