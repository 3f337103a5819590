package rules

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// DependenciesLeftInBuildStage reports pip and npm installs whose packages
// land where the shipped image never copies from.
var DependenciesLeftInBuildStage = &analysis.Rule{
	Name:     "DependenciesLeftInBuildStage",
	Summary:  "Dependencies are installed in a build stage where the shipped image never copies them from.",
	Doc:      mustDoc("DependenciesLeftInBuildStage"),
	URL:      ruleURL("DependenciesLeftInBuildStage"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runDependenciesLeftInBuildStage,
}

// depInstall is a dependency install and where its packages land.
type depInstall struct {
	Stage    *dockerfile.Stage
	Run      *dockerfile.Instruction
	Tool     string // pip, npm, yarn, pnpm, uv
	Cmd      string
	Location string // absolute directory
	// System is true for the interpreter's own site-packages.
	System bool
	// Kind describes the location: "the system site-packages", "a venv",
	// "--target", "--prefix", "--user".
	Kind string
}

var pipTooling = map[string]bool{"pip": true, "setuptools": true, "wheel": true, "uv": true, "poetry": true, "pipenv": true, "virtualenv": true, "build": true, "pip-tools": true}

// pythonInstalls returns the pip installs of a stage's lineage.
func pythonInstalls(p *analysis.Pass, st *dockerfile.Stage) []depInstall {
	var out []depInstall
	venvs := map[string]bool{}
	for _, s := range stageLineage(st) {
		for _, in := range s.All(dockerfile.KindRun) {
			sc, _ := p.Script(in)
			if sc == nil {
				continue
			}
			state := stateAt(s, in)
			cwd := state.Workdir
			activated := ""
			for _, c := range sc.Commands {
				switch {
				case c.Is("cd") && len(c.Args) == 1 && !hasVar(c.Args[0]):
					cwd = absPath(cwd, c.Args[0])
				case (c.Name == "." || c.Is("source")) && len(c.Args) == 1 && strings.HasSuffix(c.Args[0], "/bin/activate"):
					activated = path.Dir(path.Dir(absPath(cwd, expandVars(c.Args[0], state.Env))))
				case venvCreate(c) != "":
					venvs[absPath(cwd, expandVars(venvCreate(c), state.Env))] = true
				}
			}
			for _, pi := range sc.PipInstalls() {
				if len(pi.Requirements) == 0 && allTooling(pi.Packages) {
					continue
				}
				d := depInstall{Stage: s, Run: in, Tool: "pip", Cmd: pi.Cmd.String()}
				if pi.UV {
					d.Tool = "uv"
				}
				env := func(k string) string {
					if v, ok := pi.Cmd.Getenv(k); ok {
						return expandVars(v, state.Env)
					}
					v, _ := state.lookup(k)
					return v
				}
				switch {
				case pi.Target != "" || env("PIP_TARGET") != "":
					t := pi.Target
					if t == "" {
						t = env("PIP_TARGET")
					}
					d.Location, d.Kind = absPath(cwd, expandVars(t, state.Env)), "--target"
				case pi.Prefix != "" || env("PIP_PREFIX") != "":
					t := pi.Prefix
					if t == "" {
						t = env("PIP_PREFIX")
					}
					d.Location, d.Kind = absPath(cwd, expandVars(t, state.Env)), "--prefix"
				case pi.User || env("PIP_USER") == "1" || strings.EqualFold(env("PIP_USER"), "true"):
					base := env("PYTHONUSERBASE")
					if base == "" {
						if !isRootUserValue(state.User) {
							continue
						}
						base = "/root/.local"
					}
					d.Location, d.Kind = base, "--user"
				default:
					venv := pipVenv(pi, state, activated, venvs, pi.Cmd)
					switch venv {
					case "?":
						continue
					case "":
						if pi.UV && !pi.Cmd.HasFlag("--system") && env("UV_SYSTEM_PYTHON") == "" {
							continue
						}
						d.System, d.Kind = true, "the system site-packages"
						d.Location = systemSitePackages(p, s)
					default:
						d.Location, d.Kind = venv, "the venv"
					}
				}
				out = append(out, d)
			}
		}
	}
	return out
}

func allTooling(pkgs []string) bool {
	for _, p := range pkgs {
		name := strings.ToLower(strings.TrimLeft(p, "-"))
		name, _, _ = strings.Cut(name, "=")
		name, _, _ = strings.Cut(name, "<")
		name, _, _ = strings.Cut(name, ">")
		name, _, _ = strings.Cut(name, "[")
		if !pipTooling[name] {
			return false
		}
	}
	return true
}

// venvCreate returns the directory a command creates a venv in, or "".
func venvCreate(c *shell.Command) string {
	args := c.Args
	switch {
	case pythonProg.MatchString(c.Base()) && len(args) >= 3 && args[0] == "-m" && (args[1] == "venv" || args[1] == "virtualenv"):
		return lastPositional(args[2:])
	case c.Is("virtualenv") && len(args) > 0:
		return lastPositional(args)
	case c.Is("uv") && len(args) > 0 && args[0] == "venv":
		if d := lastPositional(args[1:]); d != "" {
			return d
		}
		return ".venv"
	}
	return ""
}

func lastPositional(args []string) string {
	d := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			d = a
		}
	}
	return d
}

// pipVenv returns the venv a pip install writes to, "" for the system
// site-packages, or "?" when it cannot be told.
func pipVenv(pi shell.PipInstall, state stageState, activated string, venvs map[string]bool, c *shell.Command) string {
	interp := expandVars(pi.Interpreter, state.Env)
	if strings.Contains(interp, "/") {
		dir := path.Dir(interp)
		switch dir {
		case "/usr/local/bin", "/usr/bin", "/bin":
			return ""
		}
		if hasVar(dir) {
			return "?"
		}
		if path.Base(dir) == "bin" {
			return path.Dir(dir)
		}
		return "?"
	}
	if pi.UV {
		if v, ok := c.Getenv("VIRTUAL_ENV"); ok {
			return expandVars(v, state.Env)
		}
		if v, ok := state.lookup("VIRTUAL_ENV"); ok && v != "" {
			return v
		}
		return ""
	}
	if activated != "" {
		return activated
	}
	pathVar, ok := c.Getenv("PATH")
	if ok {
		pathVar = expandVars(pathVar, state.Env)
	} else {
		pathVar = state.Env["PATH"]
	}
	for _, dir := range strings.Split(pathVar, ":") {
		if hasVar(dir) {
			return "?"
		}
		if path.Base(dir) != "bin" {
			continue
		}
		root := path.Dir(dir)
		if venvs[root] || root == state.Env["VIRTUAL_ENV"] {
			return root
		}
		switch dir {
		case "/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin":
			return ""
		}
	}
	return ""
}

// systemSitePackages returns where a stage's system pip installs.
func systemSitePackages(p *analysis.Pass, st *dockerfile.Stage) string {
	minor := pythonOfStage(p, st)
	if minor == "" {
		return "/usr/local/lib"
	}
	if lang, _ := langOf(st.RootBase()); lang == "python" {
		return "/usr/local/lib/python" + minor + "/site-packages"
	}
	return "/usr/local/lib/python" + minor + "/dist-packages"
}

func absPath(cwd, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(cwd, p)
}

// nodeInstalls returns the npm/yarn/pnpm installs of a stage's lineage.
func nodeInstalls(p *analysis.Pass, st *dockerfile.Stage) []depInstall {
	var out []depInstall
	for _, s := range stageLineage(st) {
		for _, in := range s.All(dockerfile.KindRun) {
			sc, _ := p.Script(in)
			if sc == nil {
				continue
			}
			state := stateAt(s, in)
			installs := sc.NodeInstalls()
			if len(installs) == 0 {
				continue
			}
			for _, ni := range installs {
				if ni.Global {
					continue
				}
				cwd := state.Workdir
				for _, c := range sc.Commands {
					if c == ni.Cmd {
						break
					}
					if c.Is("cd") && len(c.Args) == 1 && !hasVar(c.Args[0]) {
						cwd = absPath(cwd, c.Args[0])
					}
				}
				if prefix, ok := ni.Cmd.Flag("--prefix", "--cwd", "-C", "--dir"); ok && prefix != "" {
					cwd = absPath(cwd, expandVars(prefix, state.Env))
				}
				out = append(out, depInstall{Stage: s, Run: in, Tool: ni.Tool, Cmd: ni.Cmd.String(), Location: path.Join(cwd, "node_modules"), Kind: "node_modules"})
			}
		}
	}
	return out
}

// finalRuns reports whether the shipped image runs a language.
func finalRuns(p *analysis.Pass, lang string) bool {
	root := finalBase(p)
	if l, _ := langOf(root); l == lang {
		return true
	}
	if dl, ok := distrolessOf(root); ok && dl.Image != nil && dl.Image.Runtime == lang {
		return true
	}
	words, ok := effectiveRun(p).argv()
	if !ok || len(words) == 0 {
		return false
	}
	prog := path.Base(words[0])
	switch lang {
	case "python":
		return pythonProg.MatchString(prog) || slices.Contains(cat.Python.Servers, prog) || strings.Contains(words[0], "venv/bin/")
	case "node":
		return prog == "node" || prog == "nodejs"
	}
	return false
}

func runDependenciesLeftInBuildStage(p *analysis.Pass) {
	copies := chainCopies(p)
	// The shipped image's own installs put dependencies where they run.
	chainInstalls := map[string]bool{}
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindRun) {
			if sc, _ := p.Script(in); sc != nil {
				if len(sc.PipInstalls()) > 0 {
					chainInstalls["python"] = true
				}
				if len(sc.NodeInstalls()) > 0 {
					chainInstalls["node"] = true
				}
			}
		}
	}
	seenStage := map[*dockerfile.Stage]bool{}
	var installs []depInstall
	for _, c := range copies {
		if seenStage[c.From] {
			continue
		}
		seenStage[c.From] = true
		if finalRuns(p, "python") && !chainInstalls["python"] {
			installs = append(installs, pythonInstalls(p, c.From)...)
		}
		if finalRuns(p, "node") && !chainInstalls["node"] {
			installs = append(installs, nodeInstalls(p, c.From)...)
		}
	}
	// When the image gets a language's dependencies from one stage, other
	// installs of that language (a full install for building) are fine.
	provided := map[bool]bool{} // python? → provided
	for _, d := range installs {
		if copiedLocation(copies, d) {
			provided[d.Kind != "node_modules"] = true
		}
	}
	done := map[*dockerfile.Instruction]bool{}
	for _, d := range installs {
		if done[d.Run] || provided[d.Kind != "node_modules"] {
			continue
		}
		done[d.Run] = true
		reportLeftBehind(p, d, copies)
	}
}

// copiedLocation reports whether any COPY in the shipped image takes the
// install location (or part of it) from a stage that contains it.
func copiedLocation(copies []stageCopy, d depInstall) bool {
	for _, c := range copies {
		if !stageIn(stageLineage(c.From), d.Stage) {
			continue
		}
		for _, s := range c.Sources {
			if covers(s, d.Location) || covers(d.Location, s) {
				return true
			}
		}
	}
	return false
}

func reportLeftBehind(p *analysis.Pass, d depInstall, copies []stageCopy) {
	var taken []string
	var firstCopy *dockerfile.Instruction
	for _, c := range copies {
		if !stageIn(stageLineage(c.From), d.Stage) {
			continue
		}
		if firstCopy == nil {
			firstCopy = c.In
		}
		taken = append(taken, c.Sources...)
	}
	from := d.Stage.Ref()
	copied := fmt.Sprintf("copies only %s from it (line %d)", shortList(taken, 3), firstCopy.StartLine)
	switch d.Tool {
	case "pip", "uv":
		var remedy string
		switch {
		case d.System:
			remedy = fmt.Sprintf("install into a venv (python -m venv /venv, then /venv/bin/pip install …) and COPY --from=%s /venv /venv", from)
			if l, _ := langOf(finalBase(p)); l == "python" {
				remedy += fmt.Sprintf(", or pip install --prefix=/install and COPY --from=%s /install /usr/local", from)
			}
		case d.Kind == "--target":
			remedy = fmt.Sprintf("COPY --from=%s %s %s and put it on PYTHONPATH", from, d.Location, d.Location)
		default:
			remedy = fmt.Sprintf("COPY --from=%s %s %s", from, d.Location, d.Location)
		}
		p.Reportf(analysis.SpanOf(d.Run), "%s installs into %s (%s) of %s, but the shipped image %s: the packages stay behind and the app fails with ModuleNotFoundError; %s",
			quoteShort(d.Cmd), d.Location, d.Kind, d.Stage.Describe(), copied, remedy)
	default:
		remedy := fmt.Sprintf("COPY --from=%s %s (production dependencies only: npm ci --omit=dev in that stage)", from, d.Location)
		if bundles(p, d.Stage) {
			p.Reportf(analysis.SpanOf(d.Run), "%s installs into %s of %s, but the shipped image %s: that works only if the build bundles every dependency (esbuild, webpack, ncc, Next.js standalone); output of tsc or babel needs node_modules and fails with \"Cannot find module\"; if so, %s",
				quoteShort(d.Cmd), d.Location, d.Stage.Describe(), copied, remedy).WithSeverity(analysis.Info)
			return
		}
		p.Reportf(analysis.SpanOf(d.Run), "%s installs into %s of %s, but the shipped image %s: the packages stay behind and require() fails with \"Cannot find module\"; %s",
			quoteShort(d.Cmd), d.Location, d.Stage.Describe(), copied, remedy)
	}
}

// bundles reports whether a stage lineage runs a build script that may
// bundle dependencies.
func bundles(p *analysis.Pass, st *dockerfile.Stage) bool {
	for _, s := range stageLineage(st) {
		for _, rc := range p.Commands(s) {
			if (rc.Is("npm", "yarn", "pnpm") && npmBuildScript(rc.Args)) || rc.Is("esbuild", "webpack", "ncc", "next", "vite", "tsc", "nest") {
				return true
			}
		}
	}
	return false
}
