package node

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// launch is how the distroless image starts the application, on its
// ENTRYPOINT ["/nodejs/bin/node"].
type launch struct {
	// Entry, when set, overrides the image's ENTRYPOINT with
	// ["/nodejs/bin/node", Entry...]: the original passed CMD as
	// arguments to a fixed program.
	Entry []string
	// Cmd are the CMD words: node's arguments when Entry is nil.
	Cmd []string
	// Env are variables the start script set (NODE_ENV=production node …).
	Env []dockerfile.KeyValue
	// Script is the file node runs ("" for -e/-p).
	Script string
	// Init names the init wrapper the original ran (tini, dumb-init).
	Init string
}

// args returns node's arguments (Entry then Cmd).
func (l *launch) args() []string { return append(append([]string(nil), l.Entry...), l.Cmd...) }

var jsFile = regexp.MustCompile(`\.(c|m)?js$`)

// resolveLaunch works out node's arguments from the original command.
// distroless is true when the original image's ENTRYPOINT already is
// node (a distroless nodejs image): every bare word is then an argument
// of node. On the official node image, docker-entrypoint.sh runs node for
// a first word that is an option or a .js file.
func (c *conv) resolveLaunch(prog *convert.Program, distroless bool) (*launch, *convert.Result) {
	l := &launch{}
	ep, cmd := append([]string(nil), prog.Entrypoint...), append([]string(nil), prog.Cmd...)
	if len(ep) > 0 {
		ep, l.Init = c.stripInit(ep)
	}
	if len(ep) == 0 && l.Init == "" {
		cmd, l.Init = c.stripInit(cmd)
	}
	argv := append(append([]string(nil), ep...), cmd...)
	if len(argv) == 0 {
		return nil, convert.Declinef(nil, "the image runs only %s, with no program after it", l.Init)
	}
	// sh -c "<one command>": the shell only starts the command.
	if b := path.Base(argv[0]); (b == "sh" || b == "bash") && len(argv) == 3 && argv[1] == "-c" {
		sc, d := c.parseStartScript("sh -c", argv[2])
		if d != nil {
			return nil, d
		}
		words := sc.Words
		if len(words) > 1 && words[0] == "exec" {
			words = words[1:]
		}
		c.p.Note(convert.Change, "`%s -c %q` only starts `%s`: the image runs it without a shell", b, argv[2], strings.Join(words, " "))
		ep, cmd, argv = nil, words, words
		l.Env = sc.Env
	}
	fromEP := len(ep) > 0
	imageEntrypoint := c.rt.Entrypoint == nil || (l.Init != "" && len(ep) == 0)
	base := path.Base(argv[0])
	switch {
	case base == "node" || base == "nodejs":
		if fromEP && len(ep) > 1 {
			l.Entry, l.Cmd = ep[1:], cmd
		} else {
			l.Cmd = argv[1:]
		}
	case base == "npm" || base == "yarn" || base == "pnpm" || base == "npx":
		if fromEP && len(cmd) > 0 {
			return nil, convert.Declinef([]string{"put the whole command in CMD (`CMD [\"npm\", \"start\"]`) or run node directly, and run `distill fix` again"},
				"the image runs `%s` with CMD %s as extra arguments, which %s interprets in its own way; distill cannot translate that split", strings.Join(ep, " "), convert.ExecForm(cmd), base)
		}
		words, env, d := c.viaPackageManager(argv, nil, 0)
		if d != nil {
			return nil, d
		}
		l.Cmd, l.Env = words, append(l.Env, env...)
	case imageEntrypoint && (distroless || strings.HasPrefix(argv[0], "-") || jsFile.MatchString(argv[0])):
		// node runs the words (docker-entrypoint.sh or distroless).
		l.Cmd = argv
	case strings.Contains(argv[0], "node_modules/.bin/"):
		bin, d := c.resolveBin(path.Base(argv[0]), argv[1:], path.Dir(path.Dir(path.Dir(argv[0]))))
		if d != nil {
			return nil, d
		}
		c.p.Note(convert.Change, "%s is a `#!/usr/bin/env node` script, and distroless has no /usr/bin/env: node runs its JavaScript file %s instead", argv[0], bin)
		if fromEP {
			l.Entry, l.Cmd = append([]string{bin}, ep[1:]...), cmd
		} else {
			l.Cmd = append([]string{bin}, argv[1:]...)
		}
	default:
		if c.in.Catalog.NodeBin(base) != nil || slices.Contains(c.in.Catalog.Node.DevRunners, base) || slices.Contains(c.in.Catalog.Node.ProcessManagers, base) {
			bin, d := c.resolveBin(base, argv[1:], ".")
			if d != nil {
				return nil, d
			}
			if p, _ := c.rt.EnvValue("PATH"); strings.Contains(p, "node_modules/.bin") && !strings.Contains(argv[0], "/") {
				// ENV PATH puts node_modules/.bin first: the CLI is the
				// package's.
				if fromEP {
					l.Entry, l.Cmd = append([]string{bin}, ep[1:]...), cmd
				} else {
					l.Cmd = append([]string{bin}, argv[1:]...)
				}
				break
			}
		}
		if l.Cmd == nil && l.Entry == nil {
			return nil, convert.Declinef([]string{"run the application with node directly: `CMD [\"node\", \"server.js\"]`"},
				"the image runs `%s`, which is not node, npm, yarn, pnpm or npx; distroless Node.js images run JavaScript files with node only", truncate(strings.Join(argv, " "), 60))
		}
	}
	if len(prog.Substituted) > 0 {
		c.p.Note(convert.Behavior, "the command used $%s; exec form does not expand variables, so the ENV default value is written into the command and overriding %s at run time no longer changes it — have the application read it instead",
			strings.Join(prog.Substituted, ", $"), strings.Join(prog.Substituted, ", "))
	}
	script, d := c.checkNodeArgs(l.args())
	if d != nil {
		return nil, d
	}
	l.Script = script
	return l, nil
}

// stripInit removes an init wrapper (tini, dumb-init) and its options.
func (c *conv) stripInit(words []string) ([]string, string) {
	if len(words) == 0 || !slices.Contains(c.in.Catalog.Node.InitWrappers, path.Base(words[0])) {
		return words, ""
	}
	init := path.Base(words[0])
	rest := words[1:]
	for len(rest) > 0 {
		w := rest[0]
		switch {
		case w == "--":
			return rest[1:], init
		case w == "-r" || w == "--rewrite" || w == "-p" || w == "-e" || w == "-c":
			// Options with a value (dumb-init -r s:s, tini -p SIG, -e CODE).
			if len(rest) > 1 {
				rest = rest[2:]
				continue
			}
			return nil, init
		case strings.HasPrefix(w, "-"):
			rest = rest[1:]
		default:
			return rest, init
		}
	}
	return rest, init
}

// nodeValueOptions are node options whose value is the next word.
var nodeValueOptions = map[string]bool{"-r": true, "--require": true, "--import": true, "--loader": true, "--experimental-loader": true,
	"-C": true, "--conditions": true, "--title": true, "--env-file": true, "--inspect-port": true, "--redirect-warnings": true, "--input-type": true}

// registerRunners are modules that compile TypeScript or newer syntax when
// loaded with -r/--import/--loader.
var registerRunners = []string{"ts-node", "tsx", "@babel/register", "esbuild-register", "@swc/register", "@swc-node/register", "tsconfig-paths"}

// checkNodeArgs validates node's arguments and returns the script.
func (c *conv) checkNodeArgs(args []string) (string, *convert.Result) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch {
		case a == "-e" || a == "--eval" || a == "-p" || a == "--print":
			return "", nil
		case a == "--":
			if i+1 < len(args) {
				return args[i+1], nil
			}
			return "", noScript(args)
		case nodeValueOptions[name]:
			if !hasValue {
				if i+1 >= len(args) {
					return "", noScript(args)
				}
				i++
				value = args[i]
			}
			if name == "-r" || name == "--require" || name == "--import" || strings.Contains(name, "loader") {
				if d := c.checkPreload(value); d != nil {
					return "", d
				}
			}
		case strings.HasPrefix(a, "-"):
		default:
			return a, nil
		}
	}
	return "", noScript(args)
}

func noScript(args []string) *convert.Result {
	return convert.Declinef([]string{"run a script: `CMD [\"node\", \"server.js\"]`"},
		"the image runs node without a script (`node %s`): without a terminal that starts the REPL and exits", strings.Join(args, " "))
}

// checkPreload declines modules preloaded with -r/--import that compile
// at start-up or are devDependencies.
func (c *conv) checkPreload(spec string) *convert.Result {
	if strings.HasPrefix(spec, ".") || strings.HasPrefix(spec, "/") {
		return nil
	}
	pkg := spec
	if strings.HasPrefix(pkg, "@") {
		parts := strings.SplitN(pkg, "/", 3)
		if len(parts) >= 2 {
			pkg = parts[0] + "/" + parts[1]
		}
	} else {
		pkg, _, _ = strings.Cut(pkg, "/")
	}
	if slices.Contains(registerRunners, pkg) {
		return convert.Declinef(devRunnerAlternatives(c.pkg),
			"node preloads %s, which compiles TypeScript or modern syntax at start-up; a production image should run the compiled JavaScript", spec)
	}
	if c.pkg != nil && c.pkg.devOnly(pkg) {
		return convert.Declinef([]string{fmt.Sprintf("move %s from devDependencies to dependencies and run `distill fix` again", pkg)},
			"node preloads %s, a devDependency: the converted image ships production dependencies only", spec)
	}
	return nil
}

func devRunnerAlternatives(pkg *pkgJSON) []string {
	alts := []string{"compile in the build stage (`RUN npm run build` / `tsc`) and run the output: `CMD [\"node\", \"dist/index.js\"]`, then run `distill fix` again"}
	if pkg != nil {
		for _, name := range []string{"start:prod", "start:production", "serve"} {
			if s, ok := pkg.Scripts[name]; ok {
				if sc, ok := parseScript(s); ok && len(sc.Words) > 0 && path.Base(sc.Words[0]) == "node" {
					alts = append([]string{fmt.Sprintf("start with the %s script instead (`%s`): `CMD [\"npm\", \"run\", %q]`", name, s, name)}, alts...)
					break
				}
			}
		}
	}
	return alts
}

// viaPackageManager resolves `npm start`, `yarn <script>`, `pnpm run
// <script>` and `npx <bin>` to node's arguments. extra are arguments
// passed on to the script.
func (c *conv) viaPackageManager(argv, extra []string, depth int) ([]string, []dockerfile.KeyValue, *convert.Result) {
	if depth > 4 {
		return nil, nil, convert.Declinef(nil, "the package.json scripts call each other too deeply")
	}
	tool := path.Base(argv[0])
	args := argv[1:]
	cmdline := strings.Join(argv, " ")
	unsupported := func() *convert.Result {
		return convert.Declinef([]string{"run the application with node directly: `CMD [\"node\", \"server.js\"]`"},
			"the image runs `%s`: distroless has no %s, and distill translates only `npm start`, `npm run <script>`, `yarn <script>`, `pnpm <script>` and `npx <cli>`", truncate(cmdline, 60), tool)
	}
	var name string
	var rest []string
	switch tool {
	case "npm":
		for len(args) > 0 && (args[0] == "--silent" || args[0] == "-s" || args[0] == "--quiet" || args[0] == "-q" || strings.HasPrefix(args[0], "--loglevel=")) {
			args = args[1:]
		}
		if len(args) == 0 {
			return nil, nil, unsupported()
		}
		switch args[0] {
		case "start":
			name, rest = "start", args[1:]
		case "run", "run-script", "rum", "urn":
			if len(args) < 2 {
				return nil, nil, unsupported()
			}
			name, rest = args[1], args[2:]
		case "exec", "x":
			return c.viaNpx(args[1:], extra)
		default:
			return nil, nil, unsupported()
		}
		// npm passes only the words after -- to the script.
		for len(rest) > 0 && (rest[0] == "--silent" || rest[0] == "-s" || rest[0] == "--if-present") {
			rest = rest[1:]
		}
		if len(rest) > 0 {
			if rest[0] != "--" {
				return nil, nil, unsupported()
			}
			rest = rest[1:]
		}
	case "yarn", "pnpm":
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return nil, nil, unsupported()
		}
		switch {
		case args[0] == "run" || args[0] == "run-script":
			if len(args) < 2 {
				return nil, nil, unsupported()
			}
			name, rest = args[1], args[2:]
		case args[0] == "node" && tool == "yarn":
			if d := c.yarnPnP(); d != nil {
				return nil, nil, d
			}
			c.p.Note(convert.Change, "`yarn node` only starts node; there is no yarn in distroless, so the image runs node directly")
			return append(args[1:], extra...), nil, nil
		case args[0] == "exec" || args[0] == "dlx":
			return c.viaNpx(args[1:], extra)
		default:
			name, rest = args[0], args[1:]
			if c.pkg != nil {
				if _, ok := c.pkg.Scripts[name]; !ok && name != "start" {
					return nil, nil, unsupported()
				}
			}
		}
		if len(rest) > 0 && rest[0] == "--" {
			rest = rest[1:]
		}
		if tool == "yarn" {
			if d := c.yarnPnP(); d != nil {
				return nil, nil, d
			}
		}
	case "npx":
		return c.viaNpx(args, extra)
	default:
		return nil, nil, unsupported()
	}
	rest = append(rest, extra...)
	script, d := c.script(tool, name)
	if d != nil {
		return nil, nil, d
	}
	sc, d := c.parseStartScript(name, script)
	if d != nil {
		return nil, nil, d
	}
	words := sc.Words
	env := sc.Env
	// cross-env sets variables portably: translate them to ENV.
	if path.Base(words[0]) == "cross-env" {
		words = words[1:]
		for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
			k, v, _ := strings.Cut(words[0], "=")
			env = append(env, dockerfile.KeyValue{Key: k, Value: v})
			words = words[1:]
		}
		if len(words) == 0 {
			return nil, nil, convert.Declinef(nil, "the %s script runs only cross-env", name)
		}
	}
	if !c.defaultStart {
		c.p.Note(convert.Change, "`%s` runs the package.json %s script `%s`; there is no %s in distroless, so the image runs that command directly (npm_* variables such as npm_package_version are no longer set)", cmdline, name, script, tool)
	}
	first := path.Base(words[0])
	switch {
	case first == "node" || first == "nodejs":
		return append(words[1:], rest...), env, nil
	case first == "npm" || first == "yarn" || first == "pnpm" || first == "npx":
		w, e, d := c.viaPackageManager(words, rest, depth+1)
		return w, append(env, e...), d
	default:
		bin, d := c.resolveBin(first, words[1:], ".")
		if d != nil {
			return nil, nil, d
		}
		return append(append([]string{bin}, words[1:]...), rest...), env, nil
	}
}

// viaNpx resolves `npx [--yes] <cli> args`.
func (c *conv) viaNpx(args, extra []string) ([]string, []dockerfile.KeyValue, *convert.Result) {
	for len(args) > 0 && (args[0] == "--yes" || args[0] == "-y" || args[0] == "--no-install" || args[0] == "--no" || args[0] == "-q" || args[0] == "--quiet" || args[0] == "--") {
		args = args[1:]
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return nil, nil, convert.Declinef([]string{"run the application with node directly: `CMD [\"node\", \"server.js\"]`"},
			"the image runs npx with options distill does not translate")
	}
	name := args[0]
	if n, _, ok := strings.Cut(name, "@"); ok && n != "" {
		name = n
	}
	if name == "node" {
		return append(args[1:], extra...), nil, nil
	}
	bin, d := c.resolveBin(name, args[1:], ".")
	if d != nil {
		return nil, nil, d
	}
	c.p.Note(convert.Change, "npx %s runs %s from node_modules; there is no npx in distroless, so node runs it directly", name, bin)
	return append(append([]string{bin}, args[1:]...), extra...), nil, nil
}

// script returns a package.json script, declining when package.json is
// unknown, the script is missing, or npm would also run pre/post scripts.
func (c *conv) script(tool, name string) (string, *convert.Result) {
	if c.pkg == nil {
		return "", convert.Declinef([]string{
			fmt.Sprintf("tell distill the start command: replace `%s %s` with the command of the script, e.g. `CMD [\"node\", \"dist/index.js\"]`, and run `distill fix` again", tool, name),
			"run `distill fix` where it can read package.json (the repository checkout)",
		}, "the image runs the package.json %q script through %s, but package.json is not available to distill, so it cannot tell what the script runs; distroless has no %s", name, tool, tool)
	}
	s, ok := c.pkg.Scripts[name]
	if !ok {
		// npm's default start script is `node server.js` when server.js
		// exists next to package.json.
		if name == "start" && tool == "npm" && c.in.Context.Has(path.Join(c.pkg.Dir(), "server.js")) {
			c.p.Note(convert.Change, "package.json has no start script, so `npm start` runs npm's default `node server.js`; there is no npm in distroless, so the image runs it directly")
			c.defaultStart = true
			return "node server.js", nil
		}
		return "", convert.Declinef([]string{"add the script to package.json or run node directly in CMD"},
			"the image runs the %q script, which %s does not define", name, c.pkg.Path)
	}
	for _, hook := range []string{"pre" + name, "post" + name} {
		if h, ok := c.pkg.Scripts[hook]; ok {
			return "", convert.Declinef([]string{
				fmt.Sprintf("move `%s` into the image build (a RUN step) or into the application, and run `distill fix` again", h),
			}, "`%s %s` also runs the %s script `%s`, which distill cannot run without %s", tool, name, hook, truncate(h, 60), tool)
		}
	}
	return s, nil
}

var scriptVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// parseStartScript accepts a script that is one simple command; $VAR
// references to ENV with a fixed value are substituted (noted).
func (c *conv) parseStartScript(name, script string) (scriptCommand, *convert.Result) {
	what := fmt.Sprintf("the package.json %s script", name)
	if name == "sh -c" {
		what = "the `sh -c` command"
	}
	decline := func(why string) *convert.Result {
		return convert.Declinef([]string{
			fmt.Sprintf("reduce %s to a single command (`node dist/main.js`), moving other steps into the image build or the application, and run `distill fix` again", what),
			"or run node directly in an exec-form CMD",
		}, "%s `%s` %s; distroless has no shell to run it", what, truncate(script, 70), why)
	}
	if sc, ok := parseScript(script); ok {
		return sc, nil
	}
	if !strings.Contains(script, "$") {
		return scriptCommand{}, decline("uses shell operators (&&, ;, |, redirections) or patterns")
	}
	var subst []string
	missing := ""
	replaced := scriptVar.ReplaceAllStringFunc(script, func(m string) string {
		v := scriptVar.FindStringSubmatch(m)[1]
		if val, ok := c.rt.EnvValue(v); ok && !strings.Contains(val, "$") {
			subst = append(subst, v)
			return val
		}
		missing = v
		return m
	})
	if missing != "" {
		return scriptCommand{}, decline(fmt.Sprintf("reads $%s, which the Dockerfile does not set to a fixed value", missing))
	}
	sc, ok := parseScript(replaced)
	if !ok {
		return scriptCommand{}, decline("uses shell operators (&&, ;, |, redirections) or patterns")
	}
	c.p.Note(convert.Behavior, "%s reads $%s; the image sets it with ENV, so its value is written into the command and overriding it at run time no longer changes the command — have the application read it instead", what, strings.Join(subst, ", $"))
	return sc, nil
}

// yarnPnP declines Yarn Berry projects that use Plug'n'Play: `yarn`
// injects the .pnp.cjs loader that a plain node command lacks.
func (c *conv) yarnPnP() *convert.Result {
	berry, linker := c.yarnBerry()
	if !berry || linker == "node-modules" || linker == "pnpm" {
		return nil
	}
	why := "with Plug'n'Play (.yarnrc.yml sets no nodeLinker, and pnp is the default)"
	if linker == "" {
		why = "and may use Plug'n'Play (distill cannot read a .yarnrc.yml with nodeLinker)"
	}
	return convert.Declinef([]string{"set `nodeLinker: node-modules` in .yarnrc.yml so node can resolve packages without Yarn, and run `distill fix` again"},
		"the project uses Yarn Berry %s: yarn starts node with its .pnp.cjs loader, and without it node cannot resolve the packages", why)
}

// yarnBerry reports whether the project uses Yarn 2+ and its nodeLinker.
func (c *conv) yarnBerry() (bool, string) {
	dir := ""
	if c.pkg != nil {
		dir = c.pkg.Dir()
	}
	if b, ok := c.in.Context.Read(path.Join(dir, ".yarnrc.yml")); ok {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if ok && strings.TrimSpace(k) == "nodeLinker" {
				return true, strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
		return true, "pnp"
	}
	if tool, major := c.pkg.packageManagerTool(); tool == "yarn" && major != "" && major != "1" {
		return true, ""
	}
	for _, st := range c.in.Reachable() {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			for _, s := range ins.Copy.Sources {
				if path.Base(s) == ".yarnrc.yml" || path.Base(s) == ".yarn" {
					return true, ""
				}
			}
		}
		for _, rc := range c.in.Commands(st) {
			if rc.Is("yarn") && (rc.HasFlag("--immutable") || (len(rc.Args) > 1 && rc.Args[0] == "set" && rc.Args[1] == "version")) {
				return true, ""
			}
		}
	}
	return false, ""
}

// resolveBin turns a node_modules/.bin CLI (a `#!/usr/bin/env node`
// script, which cannot run without /usr/bin/env) into the JS file node
// runs. dir is the package directory relative to WORKDIR.
func (c *conv) resolveBin(name string, args []string, dir string) (string, *convert.Result) {
	cat := c.in.Catalog
	if slices.Contains(cat.Node.ProcessManagers, name) || cat.IsSupervisor(name) {
		return "", convert.Declinef([]string{"run one node process per container and let the orchestrator restart it: `CMD [\"node\", \"server.js\"]`"},
			"the application starts under %s, a process manager: distroless runs one program and has no shell for the processes it would start", name)
	}
	if slices.Contains(cat.Node.DevRunners, name) {
		return "", convert.Declinef(devRunnerAlternatives(c.pkg),
			"the application starts with %s, a development tool that compiles or serves sources at start-up; a production image runs the built JavaScript with node", name)
	}
	pkgName, rel := name, ""
	b := cat.NodeBin(name)
	if b != nil {
		pkgName, rel = b.Package, b.Path
	}
	if c.pkg != nil {
		if dep, ok := c.in.Context.Read(path.Join(c.pkg.Dir(), "node_modules", pkgName, "package.json")); ok {
			if p := parsePkgJSON("", dep); p != nil {
				if r, ok := p.binPath(name); ok {
					rel = r
				}
			}
		}
	}
	if rel == "" {
		return "", convert.Declinef([]string{
			fmt.Sprintf("run the CLI's JavaScript file with node, e.g. `CMD [\"node\", \"node_modules/%s/<file from its package.json bin>\"]`, and run `distill fix` again", pkgName),
		}, "the application starts with %s, a `#!/usr/bin/env node` script from node_modules/.bin; distroless has no /usr/bin/env and distill does not know which JavaScript file it runs", name)
	}
	if b != nil && len(b.Subcommands) > 0 && (len(args) == 0 || !slices.Contains(b.Subcommands, args[0])) {
		sub := ""
		if len(args) > 0 {
			sub = " " + args[0]
		}
		return "", convert.Declinef([]string{fmt.Sprintf("build in the image and start the production server (`%s %s`)", name, b.Subcommands[0])},
			"the application starts with `%s%s`, which is not the production server", name, sub)
	}
	if c.pkg != nil && c.pkg.devOnly(pkgName) {
		return "", convert.Declinef([]string{fmt.Sprintf("move %s from devDependencies to dependencies and run `distill fix` again", pkgName)},
			"%s comes from %s, a devDependency: the converted image ships production dependencies only", name, pkgName)
	}
	return path.Join(dir, "node_modules", pkgName, rel), nil
}
