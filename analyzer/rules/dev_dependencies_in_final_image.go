package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// DevDependenciesInFinalImage reports development dependencies that end up
// in the shipped image: installed in a stage of the image chain, or
// installed in a build stage and copied out of it.
var DevDependenciesInFinalImage = &analysis.Rule{
	Name:     "DevDependenciesInFinalImage",
	Summary:  "The shipped image contains development dependencies (devDependencies, dev requirements, dev groups).",
	Doc:      mustDoc("DevDependenciesInFinalImage"),
	URL:      ruleURL("DevDependenciesInFinalImage"),
	Severity: analysis.Warning,
	Category: analysis.Hygiene,
	Run:      runDevDependenciesInFinalImage,
}

// devInstall is one dependency install command and what it installs.
type devInstall struct {
	in   *dockerfile.Instruction
	cmd  *shell.Command
	pos  int    // command index within the RUN's script
	tool string // npm, yarn, pnpm, pip, pipenv, poetry, uv, composer
	// dev: the command installs development dependencies; explicit: it
	// asks for them by name (requirements-dev.txt, --dev, --with dev).
	dev, explicit bool
	// prunes: the command removes development dependencies installed
	// before it (npm prune --omit=dev, a production reinstall).
	prunes bool
	why    string // what makes it a dev install, for messages
	advice string // how to install production dependencies only
	dir    string // where the dependencies go; "" when unknown
}

// family groups tools that manage the same directory.
func (d *devInstall) family() string {
	switch d.tool {
	case "npm", "yarn", "pnpm":
		return "node"
	}
	return d.tool
}

func runDevDependenciesInFinalImage(p *analysis.Pass) {
	chain := depInstallsIn(p, p.Chain)
	for i := range chain {
		d := &chain[i]
		if !d.dev || toggled(d, chain) || prunedAfter(d, chain[i+1:]) {
			continue
		}
		p.Reportf(analysis.SpanOf(d.in), "%s in %s runs %s, which %s, so the shipped image carries development-only packages (test runners, linters, build tools): more size and more CVEs; %s",
			runAt(d.in), shippedStage(p, d.in.Stage), cmdText(d.cmd), d.why, d.advice)
	}
	// Dependencies installed in a build stage and copied into the image.
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindCopy) {
			from := copyFromStage(p.File, in)
			if from == nil || p.InChain(from) {
				continue
			}
			list := depInstallsIn(p, stageChain(from))
			for i := range list {
				d := &list[i]
				if !d.dev || d.dir == "" || toggled(d, list) || prunedAfter(d, list[i+1:]) || !copiesDir(in, d.dir) {
					continue
				}
				p.Reportf(analysis.SpanOf(in), "%s copies %s that %s installed with %s (line %d), which %s, so the shipped image carries development-only packages; %s in %s, or install production dependencies in a separate stage and copy those",
					copyText(in), d.dir, d.in.Stage.Describe(), cmdText(d.cmd), d.in.StartLine, d.why, lowerFirst(d.advice), d.in.Stage.Describe())
				break
			}
		}
	}
}

// copiesDir reports whether a COPY --from copies dir (or a directory
// containing it). dir may use * within a path segment.
func copiesDir(in *dockerfile.Instruction, dir string) bool {
	ds := strings.Split(strings.Trim(dir, "/"), "/")
	for _, src := range in.Copy.Sources {
		s := strings.Trim(joinPath("/", src), "/")
		if s == "" {
			return true // the whole filesystem
		}
		ss := strings.Split(s, "/")
		if len(ss) > len(ds) {
			continue
		}
		ok := true
		for i := range ss {
			if m, err := path.Match(ds[i], ss[i]); err != nil || !m {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// toggled reports whether a conditional dev install is one branch of a
// development/production switch (if [ "$ENV" = dev ]; then … else …): it
// asks for dev dependencies by name, or the same RUN also has a
// conditional production install of the same family.
func toggled(d *devInstall, list []devInstall) bool {
	if !d.cmd.Conditional {
		return false
	}
	if d.explicit {
		return true
	}
	for i := range list {
		o := &list[i]
		if o.in == d.in && o != d && !o.dev && o.cmd.Conditional && o.family() == d.family() {
			return true
		}
	}
	return false
}

// prunedAfter reports whether a later command removes the development
// dependencies d installed.
func prunedAfter(d *devInstall, later []devInstall) bool {
	for i := range later {
		if later[i].prunes && later[i].family() == d.family() && !later[i].cmd.Conditional {
			return true
		}
	}
	return false
}

// depInstallsIn returns the dependency installs of the stages' RUNs, in
// build order.
func depInstallsIn(p *analysis.Pass, stages []*dockerfile.Stage) []devInstall {
	var out []devInstall
	for _, st := range stages {
		for _, in := range st.All(dockerfile.KindRun) {
			out = append(out, runDepInstalls(p, in)...)
		}
	}
	return out
}

// runDepInstalls returns the dependency installs of one RUN (cached per
// pass: several stages' checks look at the same RUN).
func runDepInstalls(p *analysis.Pass, in *dockerfile.Instruction) []devInstall {
	return memoFor(p, "hygiene.depinstalls", in, func() []devInstall {
		s := script(p, in)
		if s == nil {
			return nil
		}
		var out []devInstall
		cwd, cwdOK := workdirOf(p, in)
		for i, c := range s.Commands {
			if c.Is("cd") {
				switch {
				case len(c.Args) == 1 && !strings.ContainsAny(c.Args[0], "$~`") && cwdOK:
					cwd = joinPath(cwd, c.Args[0])
				default:
					cwdOK = false
				}
				continue
			}
			dir := ""
			if cwdOK {
				dir = cwd
			}
			if d, ok := classifyInstall(p, in, c, dir); ok {
				d.pos = i
				out = append(out, d)
			}
		}
		return out
	})
}

// classifyInstall recognises a dependency install and decides whether it
// installs development dependencies. cwd is the directory it runs in (""
// when unknown).
func classifyInstall(p *analysis.Pass, in *dockerfile.Instruction, c *shell.Command, cwd string) (devInstall, bool) {
	d := devInstall{in: in, cmd: c}
	env := runEnv(p, in, c)
	in1 := func(dir string) string {
		if cwd == "" {
			return ""
		}
		return joinPath(cwd, dir)
	}
	switch {
	case c.Is("npm", "yarn", "pnpm", "corepack"):
		return classifyNode(d, c, env, in1)
	case c.Is("pipenv") && len(c.Args) > 0 && (c.Args[0] == "install" || c.Args[0] == "sync"):
		d.tool = "pipenv"
		d.dev = c.HasFlag("--dev", "-d") || truthy(env["PIPENV_DEV"])
		d.explicit = d.dev
		d.why, d.advice = "installs the [dev-packages] too", "drop --dev (pipenv install --deploy installs [packages] only)"
		switch {
		case truthy(env["PIPENV_VENV_IN_PROJECT"]):
			d.dir = in1(".venv")
		case c.HasFlag("--system"):
			d.dir = pythonSystemSite
		}
		return d, true
	case c.Is("poetry") && len(c.Args) > 0 && (c.Args[0] == "install" || c.Args[0] == "sync"):
		d.tool = "poetry"
		only, hasOnly := c.Flag("--only")
		without, _ := c.Flag("--without")
		with, _ := c.Flag("--with")
		switch {
		case hasOnly && !hasDevMarker(only):
		case c.HasFlag("--no-dev", "--only-root"):
		case hasDevMarker(without):
		default:
			d.dev = true
			d.explicit = hasDevMarker(with) || hasDevMarker(only)
		}
		d.prunes = !d.dev && (c.Args[0] == "sync" || c.HasFlag("--sync"))
		d.why, d.advice = "installs every non-optional dependency group, dev included", "use `poetry install --only main` (Poetry before 1.2: --no-dev)"
		switch {
		case truthy(env["POETRY_VIRTUALENVS_IN_PROJECT"]):
			d.dir = in1(".venv")
		case env["POETRY_VIRTUALENVS_CREATE"] != "" && !truthy(env["POETRY_VIRTUALENVS_CREATE"]):
			d.dir = pythonSystemSite
		}
		return d, true
	case c.Is("uv") && len(c.Args) > 0 && c.Args[0] == "sync":
		d.tool = "uv"
		only, hasOnly := c.Flag("--only-group")
		switch {
		case c.HasFlag("--no-dev", "--no-default-groups") || truthy(env["UV_NO_DEV"]):
		case hasOnly && !hasDevMarker(only):
		default:
			d.dev = true
			d.explicit = c.HasFlag("--only-dev") || hasDevMarker(only)
		}
		d.prunes = !d.dev && !c.HasFlag("--inexact")
		d.why, d.advice = "installs the dev dependency group too (uv sync includes it by default)", "use `uv sync --no-dev --frozen`"
		if v := env["UV_PROJECT_ENVIRONMENT"]; v != "" {
			d.dir = in1(v)
		} else {
			d.dir = in1(".venv")
		}
		return d, true
	case c.Is("composer") && len(c.Args) > 0 && c.Args[0] == "install":
		d.tool = "composer"
		d.dev = !c.HasFlag("--no-dev") && !truthy(env["COMPOSER_NO_DEV"])
		d.prunes = !d.dev
		d.why, d.advice = "installs require-dev too", "use `composer install --no-dev`"
		if v, ok := env["COMPOSER_VENDOR_DIR"]; ok && v != "" {
			d.dir = in1(v)
		} else {
			d.dir = in1("vendor")
		}
		return d, true
	}
	if s := (&shell.Script{Commands: []*shell.Command{c}}).PipInstalls(); len(s) == 1 {
		pi := s[0]
		d.tool = "pip"
		for _, r := range pi.Requirements {
			if devRequirements(r) {
				d.dev, d.explicit, d.why = true, true, "installs "+r
				break
			}
		}
		for _, pkg := range pi.Packages {
			if d.dev {
				break
			}
			if m := extrasRE.FindStringSubmatch(pkg); m != nil {
				for _, e := range strings.Split(m[1], ",") {
					if cat.IsDevMarker(strings.TrimSpace(e)) {
						d.dev, d.explicit, d.why = true, true, "installs the ["+m[1]+"] extra"
						break
					}
				}
			}
		}
		d.advice = "install only the runtime requirements in the image"
		d.dir = pipLocation(pi, env, cwd)
		return d, true
	}
	return d, false
}

// pythonSystemSite is where the python images' pip installs packages.
const pythonSystemSite = "/usr/local/lib/python*/site-packages"

// pipLocation returns where a pip install puts packages ("" unknown).
func pipLocation(pi shell.PipInstall, env map[string]string, cwd string) string {
	rel := func(p string) string {
		if strings.HasPrefix(p, "/") {
			return path.Clean(p)
		}
		if cwd == "" || strings.Contains(p, "$") {
			return ""
		}
		return joinPath(cwd, p)
	}
	switch {
	case pi.Target != "":
		return rel(pi.Target)
	case pi.Prefix != "":
		return rel(pi.Prefix)
	case pi.User:
		if h := env["HOME"]; strings.HasPrefix(h, "/") {
			return path.Join(h, ".local")
		}
		return "/root/.local"
	}
	if d := path.Dir(pi.Interpreter); strings.HasSuffix(d, "/bin") {
		if root := path.Dir(d); root != "/usr" && root != "/usr/local" && root != "/" {
			return root
		}
	}
	if v := env["VIRTUAL_ENV"]; strings.HasPrefix(v, "/") {
		return path.Clean(v)
	}
	if first, _, _ := strings.Cut(env["PATH"], ":"); strings.HasSuffix(first, "/bin") && strings.HasPrefix(first, "/") {
		if root := path.Dir(first); root != "/usr" && root != "/usr/local" && root != "/" {
			return root
		}
	}
	return pythonSystemSite
}

var extrasRE = regexp.MustCompile(`\[([^\]]+)\]$`)

// devRequirements reports whether a requirements file is for development:
// a word of its path is a dev marker (requirements-dev.txt,
// requirements/test.txt, dev-requirements.in).
func devRequirements(file string) bool {
	file = strings.TrimSuffix(strings.TrimSuffix(file, ".txt"), ".in")
	for _, w := range strings.FieldsFunc(file, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == '/' }) {
		if cat.IsDevMarker(w) {
			return true
		}
	}
	return false
}

// hasDevMarker reports whether a comma-separated list of groups names a
// development group.
func hasDevMarker(list string) bool {
	for _, g := range strings.Split(list, ",") {
		if cat.IsDevMarker(strings.TrimSpace(g)) {
			return true
		}
	}
	return false
}

// classifyNode handles npm, yarn and pnpm installs and prunes.
func classifyNode(d devInstall, c *shell.Command, env map[string]string, in1 func(string) string) (devInstall, bool) {
	tool, args := c.Base(), c.Args
	if tool == "corepack" && len(args) > 0 {
		tool, args = args[0], args[1:]
	}
	d.tool = tool
	d.dir = in1("node_modules")
	if v, ok := c.Flag("--prefix", "--cwd", "--dir", "-C"); ok && v != "" {
		d.dir = in1(path.Join(v, "node_modules"))
		if strings.HasPrefix(v, "/") {
			d.dir = path.Join(v, "node_modules")
		}
	}
	prodEnv := env["NODE_ENV"] == "production" || truthy(env["NPM_CONFIG_PRODUCTION"]) || truthy(env["npm_config_production"]) ||
		strings.Contains(env["NPM_CONFIG_OMIT"], "dev") || strings.Contains(env["npm_config_omit"], "dev") || truthy(env["YARN_PRODUCTION"])
	forcedDev := c.HasFlag("--include") && strings.Contains(flagValue(c, "--include"), "dev") || hasArg(c, "--production=false", "--prod=false", "--dev", "-D")
	prodFlag := hasArg(c, "--omit=dev", "--production", "--production=true", "--prod", "-P", "--only=production", "--only=prod") || flagValue(c, "--omit") == "dev"
	prod := !forcedDev && (prodFlag || prodEnv)
	// Prunes: npm prune --omit=dev, pnpm prune --prod, yarn workspaces
	// focus --production.
	if len(args) > 0 && (args[0] == "prune" || (tool == "yarn" && args[0] == "workspaces" && len(args) > 1 && args[1] == "focus")) {
		d.prunes = prod
		return d, d.prunes
	}
	for _, ni := range (&shell.Script{Commands: []*shell.Command{c}}).NodeInstalls() {
		if ni.Global || len(ni.Packages) > 0 {
			return d, false // adds a named package or a global tool
		}
		d.dev, d.prunes = !prod, prod
		d.explicit = forcedDev
		switch tool {
		case "npm":
			d.why, d.advice = "installs devDependencies too (no --omit=dev and NODE_ENV is not production)", "use `npm ci --omit=dev`, or run `npm prune --omit=dev` after the build"
		case "yarn":
			d.why, d.advice = "installs devDependencies too (no --production and NODE_ENV is not production)", "use `yarn install --production --frozen-lockfile` (Yarn 2+: `yarn workspaces focus --all --production`)"
		default:
			d.why, d.advice = "installs devDependencies too (no --prod and NODE_ENV is not production)", "use `pnpm install --prod --frozen-lockfile`, or run `pnpm prune --prod` after the build"
		}
		return d, true
	}
	return d, false
}

func hasArg(c *shell.Command, names ...string) bool {
	for _, a := range c.Args {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

func flagValue(c *shell.Command, name string) string {
	v, _ := c.Flag(name)
	return v
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
