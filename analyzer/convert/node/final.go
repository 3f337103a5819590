package node

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// install is a package install in the shipped stages.
type install struct {
	ins      *dockerfile.Instruction
	tool     string
	prodOnly bool
	frozen   bool
}

// installs returns the non-global npm/yarn/pnpm installs of the stages.
func (c *conv) installs(stages []*dockerfile.Stage) []install {
	var out []install
	for _, st := range stages {
		for _, ins := range st.All(dockerfile.KindRun) {
			s := c.in.Script(ins)
			if s == nil {
				continue
			}
			env := convert.EnvAt(st, ins)
			for _, pi := range s.NodeInstalls() {
				if pi.Global || (len(pi.Packages) > 0 && !(len(pi.Packages) == 1 && pi.Packages[0] == "dev")) {
					continue
				}
				prod := pi.ProdOnly || env["NODE_ENV"] == "production"
				if pi.Cmd.HasFlag("--include") || pi.Cmd.HasFlag("--production=false") || pi.Cmd.HasFlag("--prod=false") {
					if v, _ := pi.Cmd.Flag("--include"); v == "dev" || pi.Cmd.HasFlag("--production=false") || pi.Cmd.HasFlag("--prod=false") {
						prod = false
					}
				}
				if v, ok := pi.Cmd.Getenv("NODE_ENV"); ok && v != "production" {
					prod = pi.ProdOnly
				}
				out = append(out, install{ins: ins, tool: pi.Tool, prodOnly: prod, frozen: pi.CI})
			}
		}
	}
	return out
}

// installTool returns the package manager of the shipped stages' installs
// ("" when none or ambiguous).
func (c *conv) installTool() string {
	tools := map[string]bool{}
	for _, i := range c.installs(c.in.Chain) {
		tools[i.tool] = true
	}
	if len(tools) == 1 {
		for t := range tools {
			return t
		}
	}
	if len(tools) > 1 {
		// `if [ -f yarn.lock ]; then yarn …; elif …`: the lockfile decides.
		for _, lf := range []struct{ file, tool string }{{"pnpm-lock.yaml", "pnpm"}, {"yarn.lock", "yarn"}, {"package-lock.json", "npm"}, {"npm-shrinkwrap.json", "npm"}} {
			if tools[lf.tool] && c.hasNearPackage(lf.file) {
				return lf.tool
			}
		}
		if tool, _ := c.pkg.packageManagerTool(); tools[tool] {
			return tool
		}
	}
	return ""
}

// hasNearPackage reports whether a file (a lockfile) is in the package's
// directory or one above it (a workspace root).
func (c *conv) hasNearPackage(name string) bool {
	dir := c.pkgDir()
	for {
		if c.in.Context.Has(path.Join(dir, name)) {
			return true
		}
		if dir == "" || dir == "." {
			return false
		}
		dir = path.Dir(dir)
		if dir == "." {
			dir = ""
		}
	}
}

func (c *conv) pkgDir() string {
	if c.pkg != nil {
		return c.pkg.Dir()
	}
	return ""
}

// pruneStep returns the RUN that removes devDependencies after the build,
// or "" when the shipped stages install production dependencies only.
func (c *conv) pruneStep() (string, []convert.Note) {
	saved := c.p.Notes
	c.p.Notes = nil
	defer func() { c.p.Notes = saved }()
	cmd := c.pruneCommand()
	return cmd, c.p.Notes
}

func (c *conv) pruneCommand() string {
	var full []install
	frozen := false
	for _, i := range c.installs(c.in.Chain) {
		if !i.prodOnly {
			full = append(full, i)
		}
		frozen = frozen || i.frozen
	}
	if len(full) == 0 {
		c.devDepsFromBuilders()
		return ""
	}
	run := c.kw("RUN") + " "
	lines := fmt.Sprintf("line %d", full[0].ins.StartLine)
	switch c.tool {
	case "npm":
		c.p.Note(convert.Change, "devDependencies installed at %s are removed after the build with `npm prune --omit=dev`, so only production dependencies ship", lines)
		c.devDepRisk()
		return run + "npm prune --omit=dev"
	case "pnpm":
		c.p.Note(convert.Change, "devDependencies installed at %s are removed after the build with `pnpm prune --prod`, so only production dependencies ship", lines)
		c.devDepRisk()
		return run + "pnpm prune --prod"
	case "yarn":
		if berry, _ := c.yarnBerry(); berry {
			if _, major := c.pkg.packageManagerTool(); major != "" && major >= "4" && len(major) == 1 {
				c.p.Note(convert.Change, "devDependencies installed at %s are removed after the build with `yarn workspaces focus --all --production`, so only production dependencies ship", lines)
				c.devDepRisk()
				return run + "yarn workspaces focus --all --production"
			}
			c.p.Note(convert.Risk, "devDependencies installed at %s still ship: with Yarn 4 add `RUN yarn workspaces focus --all --production` after the build (Yarn 2/3 need the workspace-tools plugin)", lines)
			return ""
		}
		cmd := "yarn install --production"
		if frozen {
			cmd += " --frozen-lockfile"
		}
		c.p.Note(convert.Change, "devDependencies installed at %s are removed after the build with `%s`, so only production dependencies ship", lines, cmd)
		c.devDepRisk()
		if c.pkg != nil {
			for _, hook := range []string{"preinstall", "install", "postinstall", "prepare"} {
				if h, ok := c.pkg.Scripts[hook]; ok {
					c.p.Note(convert.Risk, "`%s` runs the %s script `%s` again; if it needs devDependencies, add --ignore-scripts", cmd, hook, truncate(h, 50))
					break
				}
			}
		}
		return run + cmd
	}
	c.p.Note(convert.Risk, "devDependencies installed at %s still ship: distill cannot tell which package manager installs them; prune them after the build (`npm prune --omit=dev`, `yarn install --production`, `pnpm prune --prod`)", lines)
	return ""
}

func (c *conv) devDepRisk() {
	c.p.Note(convert.Risk, "if the application requires a package listed in devDependencies at run time, move it to dependencies")
}

// devDepsFromBuilders notes node_modules copied in from a stage that
// installed devDependencies.
func (c *conv) devDepsFromBuilders() {
	in := c.in
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy) {
			if ins.Copy.From == "" {
				continue
			}
			src := in.File.Stage(ins.Copy.From)
			if src == nil {
				continue
			}
			var chain []*dockerfile.Stage
			for x := src; x != nil; x = x.BaseStage {
				chain = append(chain, x)
			}
			if c.prunes(chain) {
				continue
			}
			for _, s := range ins.Copy.Sources {
				from := convert.Absolute("/", s)
				for _, i := range c.installs(chain) {
					modules := path.Join(in.WorkdirAt(i.ins.Stage, i.ins), "node_modules")
					if i.prodOnly || !inside(from, modules) {
						continue
					}
					c.p.Note(convert.Risk, "line %d copies node_modules from %s, which installs devDependencies (line %d); prune them there (`npm prune --omit=dev` after the build) to ship production dependencies only", ins.StartLine, src.Describe(), i.ins.StartLine)
					return
				}
			}
		}
	}
}

// lockfileNotes checks that frozen installs have their lockfile.
func (c *conv) lockfileNotes() {
	if !c.in.Context.Known() || c.pkg == nil {
		return
	}
	has := c.hasNearPackage
	for _, i := range c.installs(c.in.Reachable()) {
		if !i.frozen {
			continue
		}
		switch {
		case i.tool == "npm" && !has("package-lock.json") && !has("npm-shrinkwrap.json"):
			c.p.Note(convert.Risk, "line %d runs `npm ci`, which needs package-lock.json or npm-shrinkwrap.json; neither is in the build context, so the build fails", i.ins.StartLine)
		case i.tool == "yarn" && !has("yarn.lock"):
			c.p.Note(convert.Risk, "line %d installs with a frozen lockfile, but yarn.lock is not in the build context", i.ins.StartLine)
		case i.tool == "pnpm" && !has("pnpm-lock.yaml"):
			c.p.Note(convert.Risk, "line %d installs with a frozen lockfile, but pnpm-lock.yaml is not in the build context", i.ins.StartLine)
		default:
			continue
		}
		return
	}
}

// dockerignoreNote warns when `COPY . .` can bring a host node_modules in.
func (c *conv) dockerignoreNote() {
	in := c.in
	var copyAll *dockerfile.Instruction
	for _, st := range in.Reachable() {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From == "" && len(ins.Copy.Sources) == 1 && path.Clean(ins.Copy.Sources[0]) == "." && copyAll == nil {
				copyAll = ins
			}
		}
	}
	if copyAll == nil {
		return
	}
	b, ok := in.Context.Read(".dockerignore")
	if !ok {
		if in.Context.Known() {
			c.p.Note(convert.Risk, "there is no .dockerignore: `%s` (line %d) copies a host node_modules over the Linux install (native addons built for another OS fail); add a .dockerignore with node_modules", strings.TrimSpace(copyAll.Original), copyAll.StartLine)
		}
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "!") && strings.Contains(l, "node_modules") {
			return
		}
	}
	c.p.Note(convert.Risk, ".dockerignore does not exclude node_modules: `%s` (line %d) copies a host node_modules over the Linux install (native addons built for another OS fail); add node_modules to .dockerignore", strings.TrimSpace(copyAll.Original), copyAll.StartLine)
}

// healthcheck converts the HEALTHCHECK for the distroless image.
func (c *conv) healthcheck(hc *dockerfile.Instruction) (string, *convert.Note) {
	if hc == nil || hc.Healthcheck == nil {
		return "", nil
	}
	h := hc.Healthcheck
	if !h.None && len(h.Test) > 1 {
		var argv []string
		ok := false
		if h.Shell() {
			argv, ok = shell.SimpleCommand(h.Test[1])
		} else {
			argv, ok = h.Test[1:], true
		}
		if ok && len(argv) > 0 && (path.Base(argv[0]) == "node" || path.Base(argv[0]) == "nodejs") {
			var b strings.Builder
			b.WriteString(c.kw("HEALTHCHECK"))
			for _, f := range hc.Flags {
				b.WriteString(" " + f)
			}
			b.WriteString(" CMD " + convert.ExecForm(append([]string{c.dl.Interpreter}, argv[1:]...)))
			line := b.String()
			if line == hc.Original {
				return line, nil
			}
			return line, &convert.Note{Kind: convert.Change, Text: fmt.Sprintf("HEALTHCHECK runs %s by its absolute path in exec form: node is not on PATH in distroless and there is no shell", c.dl.Interpreter)}
		}
	}
	return c.in.ConvertHealthcheck(hc, convert.HealthProbe{Kind: "node", Interpreter: c.dl.Interpreter}, func(p string) bool { return p == c.dl.Interpreter })
}

// commonNotes are the notes every conversion gets.
func (c *conv) commonNotes(l *launch) {
	if l.Init != "" {
		c.p.Note(convert.Behavior, "%s no longer runs as PID 1 (distroless has no init): run the container with `docker run --init` or your orchestrator's equivalent to keep signal forwarding and zombie reaping", l.Init)
	} else {
		c.p.Note(convert.Risk, "node runs as PID 1: it ignores SIGTERM and SIGINT unless the application handles them (process.on('SIGTERM')), so `docker stop` waits and kills it; run with `docker run --init` or let your orchestrator handle it")
	}
	if l.Script == "node_modules/next/dist/bin/next" || strings.HasSuffix(l.Script, "/next/dist/bin/next") {
		c.p.Note(convert.Risk, "next start writes its image cache to .next/cache at run time: make .next writable by uid 65532 (COPY --chown=65532:65532) if the application uses next/image")
	}
}

// envLines merges the launch's environment into the runtime ENV.
func (c *conv) mergeEnv(env []dockerfile.KeyValue, l *launch) []dockerfile.KeyValue {
	out := append([]dockerfile.KeyValue(nil), env...)
	for _, kv := range l.Env {
		found := false
		for i := range out {
			if out[i].Key == kv.Key {
				found = true
				if out[i].Value != kv.Value {
					c.p.Note(convert.Behavior, "the start script sets %s=%s, which overrides ENV %s=%s for the application: the image now sets ENV %s=%s", kv.Key, kv.Value, kv.Key, out[i].Value, kv.Key, kv.Value)
					out[i].Value = kv.Value
				}
			}
		}
		if !found {
			out = append(out, kv)
			c.p.Note(convert.Change, "the start script sets %s=%s: the image sets it with ENV", kv.Key, kv.Value)
		}
	}
	return out
}

// convertSplit turns the shipped stage into a build stage and appends the
// distroless stage, which copies the application directory from it.
func (c *conv) convertSplit(l *launch) (*convert.Result, error) {
	in := c.in
	writable := c.writableDirs()
	c.dropInitInstalls()
	dependents, d := c.dependents()
	if d != nil {
		return d, nil
	}
	var tail []string
	prune, notes := c.pruneStep()
	switch {
	case prune != "" && len(dependents) > 0:
		c.p.Note(convert.Risk, "devDependencies still ship: %s builds on this stage and may need them; prune them in a stage of their own to ship production dependencies only", dependents[0].Describe())
	case prune != "":
		tail = append(tail, prune)
		fallthrough
	default:
		c.p.Notes = append(c.p.Notes, notes...)
	}
	var volumes []string
	if in.Options.NonRoot {
		for _, v := range c.rt.Volumes {
			if !strings.Contains(v, "$") {
				volumes = append(volumes, v)
			}
		}
		if len(volumes) > 0 {
			tail = append(tail, c.kw("RUN")+" mkdir -p "+strings.Join(volumes, " "))
		}
	}
	if len(tail) > 0 {
		last := in.Target.From
		if n := len(in.Target.Instructions); n > 0 {
			last = in.Target.Instructions[n-1]
		}
		c.p.Editor.InsertAfter(last, strings.Join(tail, "\n"))
	}
	if c.targetFix != nil {
		c.p.TargetImage = c.fromText(in.Target, c.targetFix.image)
	}
	c.applyArgEdits()
	c.p.Split(c.p.TargetImage)
	c.renameReferences(dependents)
	fs := c.finalStage()
	if fs.Workdir == "" {
		fs.Workdir = "/"
		c.p.Note(convert.Change, "WORKDIR / keeps the original working directory (distroless :nonroot starts in /home/nonroot)")
	}
	fs.Env = c.mergeEnv(fs.Env, l)
	from := c.p.BuilderRef
	copyLine := func(chown bool, p string) string {
		flag := ""
		if chown {
			flag = " --chown=" + c.owner()
		}
		return fmt.Sprintf("%s --from=%s%s %s %s", c.kw("COPY"), from, flag, p, p)
	}
	chownApp := c.chowned && in.Options.NonRoot
	for _, w := range writable {
		if w == c.appDir && in.Options.NonRoot {
			chownApp = true // the application directory is itself a VOLUME
		}
	}
	fs.Copies = append(fs.Copies, copyLine(chownApp, c.appDir))
	c.p.Note(convert.Change, "the image runs on %s and contains %s from the build stage %s (application, node_modules and build output); the build tools stay behind", c.image, c.appDir, from)
	if chownApp {
		c.p.Note(convert.Change, "%s is owned by %s, as the original gave it to its application user, so the application can still write there", c.appDir, c.owner())
	}
	for _, o := range c.outside {
		fs.Copies = append(fs.Copies, copyLine(false, o))
	}
	var writes []string
	if in.Options.NonRoot {
		for _, w := range writable {
			if chownApp && inside(c.appDir, w) {
				continue
			}
			fs.Copies = append(fs.Copies, copyLine(true, w))
			writes = append(writes, w)
		}
	}
	if len(writes) > 0 {
		c.p.Note(convert.Change, "%s %s copied owned by %s so the application can write there", strings.Join(writes, ", "), isAre(len(writes)), c.owner())
	}
	line, note := c.healthcheck(c.rt.Healthcheck)
	fs.Healthcheck = line
	if note != nil {
		c.p.Notes = append(c.p.Notes, *note)
	}
	if l.Entry != nil {
		fs.Entrypoint = append([]string{c.dl.Interpreter}, l.Entry...)
		if len(l.Cmd) > 0 {
			fs.Cmd = l.Cmd
		}
	} else {
		fs.Cmd = l.Cmd
	}
	c.commandNote(l)
	c.commonNotes(l)
	return c.tidy(c.p.Finish(fs))
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// commandNote explains the new command.
func (c *conv) commandNote(l *launch) {
	if l.Entry != nil {
		c.p.Note(convert.Change, "ENTRYPOINT runs %s, which is not on PATH in distroless, by its absolute path, so CMD still passes arguments to %s", c.dl.Interpreter, l.Entry[len(l.Entry)-1])
		return
	}
	c.p.Note(convert.Change, "CMD %s runs on the image's ENTRYPOINT [%q]: distroless Node.js images have no shell, npm or node on PATH", convert.ExecForm(l.Cmd), c.dl.Interpreter)
}

// convertInPlace puts the distroless image into the shipped stage, which
// only assembles files.
func (c *conv) convertInPlace(l *launch) (*convert.Result, error) {
	in, t, ed := c.in, c.in.Target, c.p.Editor
	c.p.InPlace = true
	c.applyArgEdits()
	from := []string{c.kw("FROM")}
	from = append(from, t.From.Flags...)
	from = append(from, c.image)
	if t.From.From.Name != "" {
		from = append(from, c.kw("AS"), t.From.From.Name)
	}
	fromText := strings.Join(from, " ")
	if c.rt.Workdir == "" {
		fromText += "\n" + c.kw("WORKDIR") + " /"
		c.p.Note(convert.Change, "WORKDIR / keeps the original working directory (distroless :nonroot starts in /home/nonroot)")
	}
	ed.Replace(t.From, fromText)
	c.p.Note(convert.Change, "the shipped stage runs on %s instead of %s", c.image, t.Base.Familiar())
	c.devDepsFromBuilders()
	_ = c.finalStage() // records the user and port notes
	var lastCmd *dockerfile.Instruction
	for _, ins := range t.Instructions {
		switch ins.Kind {
		case dockerfile.KindEnv:
			if line := c.movedEnvLine(ins); line != "" {
				ed.Replace(ins, line)
			}
		case dockerfile.KindExpose:
			if line := c.movedExposeLine(ins); line != "" {
				ed.Replace(ins, line)
			}
		case dockerfile.KindUser:
			if !(c.rt.NumericNonRootUser() && ins == c.rt.UserInstr) && in.Options.NonRoot {
				ed.Delete(ins)
			}
		case dockerfile.KindCopy, dockerfile.KindAdd:
			if ch := ins.Copy.Chown; ch != "" && !numericOwner(ch) && !isRoot(ch) {
				ed.Replace(ins, replaceChown(ins, c.owner()))
				u, _, _ := strings.Cut(ch, ":")
				c.p.Note(convert.Change, "line %d copies with --chown=%s instead of --chown=%s: distroless has no user %s, and %s is the user the application runs as", ins.StartLine, c.owner(), ch, u, c.owner())
			}
		case dockerfile.KindHealthcheck:
			if ins != c.rt.Healthcheck {
				ed.Delete(ins)
				continue
			}
			line, note := c.healthcheck(ins)
			if note != nil {
				c.p.Notes = append(c.p.Notes, *note)
			}
			switch {
			case line == "":
				ed.Delete(ins)
			case line != ins.Original:
				ed.Replace(ins, line)
			}
		case dockerfile.KindCmd, dockerfile.KindEntrypoint:
			if ins != c.rt.Cmd && ins != c.rt.Entrypoint {
				ed.Delete(ins)
				continue
			}
			if lastCmd == nil || ins.StartLine > lastCmd.StartLine {
				lastCmd = ins
			}
		}
	}
	c.placeCommand(l, lastCmd, t)
	c.commandNote(l)
	c.commonNotes(l)
	return c.tidy(c.p.Text(c.image))
}

// placeCommand edits the shipped stage's ENTRYPOINT and CMD into the
// launch's exec form, adding ENV lines the start script set. lastCmd is
// the later of the two (nil when the stage has neither); t is the stage
// to append to.
func (c *conv) placeCommand(l *launch, lastCmd *dockerfile.Instruction, t *dockerfile.Stage) {
	ed := c.p.Editor
	var ep, cmd string
	if l.Entry != nil {
		ep = c.kw("ENTRYPOINT") + " " + convert.ExecForm(append([]string{c.dl.Interpreter}, l.Entry...))
	}
	if l.Entry == nil || len(l.Cmd) > 0 {
		cmd = c.kw("CMD") + " " + convert.ExecForm(l.Cmd)
	}
	var envLines []string
	for _, kv := range c.mergeEnv(c.rt.Env, l) {
		if v, ok := c.rt.EnvValue(kv.Key); ok && v == kv.Value {
			continue
		}
		envLines = append(envLines, c.kw("ENV")+" "+kv.Key+"="+convert.QuoteEnv(kv.Value))
	}
	rtEP, rtCmd := c.rt.Entrypoint, c.rt.Cmd
	place := func(ins *dockerfile.Instruction, text string) {
		if ins == lastCmd && len(envLines) > 0 {
			lines := append([]string(nil), envLines...)
			if text != "" {
				lines = append(lines, text)
			}
			text = strings.Join(lines, "\n")
		}
		switch {
		case text == "":
			ed.Delete(ins)
		case text != ins.Original:
			ed.Replace(ins, text)
		}
	}
	if rtEP != nil {
		place(rtEP, ep)
	}
	if rtCmd != nil {
		place(rtCmd, cmd)
	}
	var add []string
	if lastCmd == nil {
		add = append(add, envLines...)
	}
	if rtEP == nil && ep != "" {
		add = append(add, ep)
	}
	if rtCmd == nil && cmd != "" {
		add = append(add, cmd)
	}
	if len(add) > 0 {
		last := t.From
		if n := len(t.Instructions); n > 0 {
			last = t.Instructions[n-1]
		}
		ed.InsertAfter(last, strings.Join(add, "\n"))
	}
}

func numericOwner(v string) bool {
	for _, r := range strings.ReplaceAll(v, ":", "") {
		if r < '0' || r > '9' {
			return false
		}
	}
	return v != ""
}

// finalStage prepares the distroless stage (and the framework's user,
// port and volume notes), saying which user the node image had.
func (c *conv) finalStage() *convert.FinalStage {
	n := len(c.p.Notes)
	fs := c.p.FinalStage(c.image)
	u, _, _ := strings.Cut(c.rt.User, ":")
	if slices.Contains(c.in.Catalog.Node.ImageUsers, u) && u != "root" {
		for i := n; i < len(c.p.Notes); i++ {
			if strings.HasPrefix(c.p.Notes[i].Text, "USER "+c.rt.User+" ") {
				c.p.Notes[i].Text = fmt.Sprintf("USER %s is the node image's own user, which distroless does not have; the app now runs as uid 65532 (nonroot), and files it writes must be owned by 65532", c.rt.User)
			}
		}
	}
	return fs
}

// dependents returns the later stages that build on the shipped stage or
// copy from it by name: after the split they must name the build stage.
func (c *conv) dependents() ([]*dockerfile.Stage, *convert.Result) {
	t := c.in.Target
	var out []*dockerfile.Stage
	for _, st := range c.in.File.Stages[t.Index+1:] {
		uses := st.BaseStage == t
		for _, ins := range st.Instructions {
			if ins.Copy != nil && ins.Copy.From != "" && strings.EqualFold(ins.Copy.From, t.Name) {
				uses = true
			}
			if ins.Run != nil {
				for _, m := range ins.Run.Mounts {
					if m.From != "" && t.Name != "" && strings.EqualFold(m.From, t.Name) {
						return nil, convert.Declinef([]string{"mount a build stage instead of the shipped stage, or move " + st.Describe() + " before it"},
							"%s mounts the shipped stage %q (line %d), which becomes a distroless stage without a shell", st.Describe(), t.Name, ins.StartLine)
					}
				}
			}
		}
		if uses {
			out = append(out, st)
		}
	}
	return out, nil
}

// renameReferences points later stages at the build stage.
func (c *conv) renameReferences(stages []*dockerfile.Stage) {
	t := c.in.Target
	for _, st := range stages {
		if st.BaseStage == t {
			parts := []string{c.kw("FROM")}
			parts = append(parts, st.From.Flags...)
			parts = append(parts, c.p.BuilderRef)
			if st.From.From.Name != "" {
				parts = append(parts, c.kw("AS"), st.From.From.Name)
			}
			c.p.Editor.Replace(st.From, strings.Join(parts, " "))
		}
		for _, ins := range st.Instructions {
			if ins.Copy != nil && strings.EqualFold(ins.Copy.From, t.Name) && t.Name != "" {
				c.p.Editor.Replace(ins, strings.Replace(ins.Original, "--from="+ins.Copy.From, "--from="+c.p.BuilderRef, 1))
			}
		}
		how := "copies from"
		if st.BaseStage == t {
			how = "builds on"
		}
		c.p.Note(convert.Change, "%s now %s %s, the former shipped stage, because %q names the distroless stage", st.Describe(), how, c.p.BuilderRef, t.Name)
	}
}

// dropInitInstalls removes RUNs of the shipped stage that only install an
// init wrapper or a health-check tool: the build stage does not need them.
func (c *conv) dropInitInstalls() {
	in := c.in
	done := map[*dockerfile.Instruction]bool{}
	for _, d := range c.deleted {
		done[d] = true
	}
	extra := func(pkg string) bool {
		return slices.Contains(in.Catalog.Node.InitWrappers, pkg) || ((pkg == "curl" || pkg == "wget") && in.OnlyForHealthcheck(pkg))
	}
	for _, ins := range in.Target.All(dockerfile.KindRun) {
		if done[ins] || !in.RemovableRunWith(ins, extra) {
			continue
		}
		users := false
		for _, cmd := range in.Script(ins).Commands {
			if cmd.Is("adduser", "addgroup", "useradd", "groupadd") {
				users = true
			}
		}
		if users {
			continue
		}
		c.p.Editor.Delete(ins)
		c.deleted = append(c.deleted, ins)
		c.p.Note(convert.Change, "removed `%s` (line %d): the distroless image does not run it, and the build does not need it", truncate(strings.TrimSpace(ins.Original), 60), ins.StartLine)
	}
}

// tidy collapses the runs of blank lines that removed instructions leave
// behind, when the original file had none.
func (c *conv) tidy(res *convert.Result, err error) (*convert.Result, error) {
	if err != nil || res == nil || res.Dockerfile == "" {
		return res, err
	}
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	for i := 1; i < len(c.in.File.Lines); i++ {
		if blank(c.in.File.Lines[i]) && blank(c.in.File.Lines[i-1]) {
			return res, nil
		}
	}
	lines := strings.Split(res.Dockerfile, "\n")
	var out []string
	for i, l := range lines {
		if blank(l) && len(out) > 0 && blank(out[len(out)-1]) && i < len(lines)-1 {
			continue
		}
		out = append(out, l)
	}
	res.Dockerfile = strings.Join(out, "\n")
	return res, nil
}

// prunes reports whether the stages remove devDependencies after an
// install (npm prune --omit=dev, pnpm prune --prod, a production install,
// yarn workspaces focus --production).
func (c *conv) prunes(stages []*dockerfile.Stage) bool {
	for _, rc := range c.in.Commands(stages...) {
		switch {
		case rc.Is("npm", "pnpm") && len(rc.Args) > 0 && rc.Args[0] == "prune":
			return true
		case rc.Is("yarn") && len(rc.Args) > 1 && rc.Args[0] == "workspaces" && rc.Args[1] == "focus" && rc.HasFlag("--production"):
			return true
		}
	}
	for _, i := range c.installs(stages) {
		if i.prodOnly {
			return true
		}
	}
	return false
}

// owner is the --chown value for files the application writes: the
// numeric user the image keeps, or the distroless nonroot user.
func (c *conv) owner() string {
	if c.rt.NumericNonRootUser() {
		if strings.Contains(c.rt.User, ":") {
			return c.rt.User
		}
		return c.rt.User + ":" + c.rt.User
	}
	uid := c.in.Catalog.Distroless.NonrootUID
	return fmt.Sprintf("%d:%d", uid, uid)
}

// movedEnvLine rewrites an ENV that sets a moved port ("" when unchanged).
func (c *conv) movedEnvLine(ins *dockerfile.Instruction) string {
	changed := false
	var parts []string
	for _, kv := range ins.KeyValues.Pairs {
		v := kv.Value
		if slices.Contains(c.portEnv, kv.Key) {
			if m, ok := c.portMap[strings.Trim(v, `"'`)]; ok {
				v, changed = m, true
			}
		}
		parts = append(parts, kv.Key+"="+convert.QuoteEnv(v))
	}
	if !changed {
		return ""
	}
	return c.kw("ENV") + " " + strings.Join(parts, " ")
}

// movedExposeLine rewrites an EXPOSE of a moved port ("" when unchanged).
func (c *conv) movedExposeLine(ins *dockerfile.Instruction) string {
	changed := false
	var words []string
	for _, w := range ins.Words {
		num, proto, hasProto := strings.Cut(w, "/")
		if m, ok := c.portMap[num]; ok {
			w, changed = m, true
			if hasProto {
				w += "/" + proto
			}
		}
		words = append(words, w)
	}
	if !changed {
		return ""
	}
	return c.kw("EXPOSE") + " " + strings.Join(words, " ")
}
