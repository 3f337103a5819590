// Package node converts Node.js images (npm, Yarn classic and berry, pnpm)
// to the distroless nodejs<major>-debianNN images (rulebook §3.4, §4):
//
//   - The user's stages stay as written; the shipped stage either gets the
//     distroless image in place (when it only assembles files) or becomes
//     a build stage, and a distroless stage copies the application
//     directory from it. Dependencies installed with devDependencies are
//     pruned after the build so only production dependencies ship.
//   - The command runs on the image's own ENTRYPOINT (/nodejs/bin/node):
//     `node x.js`, `npm start` and friends become `CMD ["x.js"]`, with
//     `npm start` resolved through package.json (context); scripts with
//     shell logic, development runners and process managers are declined.
//   - Builder and runtime share the Node.js major; majors without a
//     distroless image move together to the next one, as a flagged
//     behaviour change; Alpine (musl) builders move to Debian.
package node

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Recipe is the Node.js recipe.
var Recipe = &convert.Recipe{
	Name:    "node",
	Detect:  detect,
	Convert: convertNode,
	ContextFiles: []string{"package.json", "*/package.json", "*/*/package.json",
		"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".yarnrc.yml"},
}

// nodePrograms are the commands that mean a Node.js application.
var nodePrograms = map[string]bool{"node": true, "nodejs": true, "npm": true, "npx": true, "yarn": true, "pnpm": true}

func detect(in *convert.Input) bool {
	root := in.RootBase()
	if root.Scratch {
		return false
	}
	if root.IsDistroless() {
		return strings.HasPrefix(distrolessName(root), "nodejs")
	}
	if im := in.Image(root); im != nil && im.Kind == "node" {
		return true
	}
	// Another base image running node: declined with a precise reason.
	if prog, why := in.ResolveProgram(in.CollectRuntime()); why == "" {
		return nodePrograms[path.Base(prog.Argv()[0])]
	}
	return false
}

func distrolessName(ref dockerfile.ImageRef) string {
	return strings.TrimPrefix(ref.Repository, "distroless/")
}

// conv holds the state of one conversion.
type conv struct {
	in   *convert.Input
	p    *convert.Plan
	rt   *convert.Runtime
	kw   func(string) string
	pkg  *pkgJSON
	tool string // npm, yarn, pnpm: the package manager of the shipped install

	// major is the Node.js major of the final image; image its reference.
	major string
	image string
	dl    *catalog.DistrolessImage
	// appDir holds the application in the shipped image.
	appDir string
	// outside are files the shipped chain copies outside appDir.
	outside []string
	// chowned is true when the original made the application directory
	// writable for its (non-root) user.
	chowned bool

	// targetFix is the new image of the shipped stage when it becomes a
	// build stage.
	targetFix *builderFix
	argEdits  map[string]string
	deleted   []*dockerfile.Instruction
	// upgraded is true when the runtime's major changed (already noted).
	upgraded bool
	// shipInPlace is true when the shipped stage gets the distroless
	// image in place.
	shipInPlace bool
	// defaultStart is true when `npm start` fell back to `node server.js`.
	defaultStart bool
	// portMap maps privileged ports to the ports the image now uses;
	// portEnv are the ENV keys that set them.
	portMap map[string]string
	portEnv []string
}

func convertNode(in *convert.Input) (*convert.Result, error) {
	root := in.RootBase()
	if root.IsDistroless() {
		return convertDistrolessFinal(in)
	}
	if im := in.Image(root); im == nil || im.Kind != "node" {
		return convert.Declinef([]string{
			"build and run on the official node image (node:22-bookworm as the builder) and run `distill fix` again",
		}, "the image runs Node.js installed on %s, so distill cannot tell its major version or how node_modules were built; the distroless image must match the major exactly", root.Familiar()), nil
	}
	c := &conv{in: in, p: in.NewPlan()}
	c.rt = c.p.Runtime
	c.kw = func(k string) string { return convert.Keyword(in.File, k) }
	return c.run()
}

func (c *conv) run() (*convert.Result, error) {
	in := c.in
	if d := c.movePrivilegedPorts(); d != nil {
		return d, nil
	}
	prog, why := in.ResolveProgram(c.rt)
	if why != "" {
		alt := "move the startup logic into the application (configuration, environment) and use an exec-form CMD such as `CMD [\"node\", \"server.js\"]`"
		if c.rt.Cmd == nil && c.rt.Entrypoint == nil {
			alt = "add the command that starts the application, such as `CMD [\"node\", \"server.js\"]`, and run `distill fix` again"
		}
		return convert.Declinef([]string{alt}, "the image cannot run on distroless: %s", why), nil
	}
	c.pkg = c.packageJSON(in.Target, c.rt.Workdir)

	// The Node.js major: the shipped chain's image decides.
	rootStage := in.Target.RootFrom()
	major, d := c.majorOf(rootStage)
	if d != nil {
		return d, nil
	}
	target, d := c.targetMajor(major, rootStage.Base)
	if d != nil {
		return d, nil
	}
	c.major = target
	c.dl = in.Catalog.DistrolessImage("nodejs" + target)
	if c.dl == nil {
		return convert.Declinef(nil, "there is no distroless image for Node.js %s", target), nil
	}
	c.image = in.DistrolessRef(c.dl)
	if d := c.checkPlatforms(); d != nil {
		return d, nil
	}
	if major != target {
		c.upgraded = true
		c.p.Note(convert.Behavior, "Node.js %s has no distroless image (%s); the build and the runtime move together to Node.js %s (%s): test the application on %s before merging, and update `engines` and CI if they pin %s",
			major, c.why(major), target, c.image, target, major)
	}

	l, d := c.resolveLaunch(prog, false)
	if d != nil {
		return d, nil
	}
	if d := c.checkLaunchPorts(l); d != nil {
		return d, nil
	}
	if d := c.checkNativePackages(); d != nil {
		return d, nil
	}
	if d := c.checkRuntimePackages(); d != nil {
		return d, nil
	}
	if d := c.checkNativeBuildLibs(); d != nil {
		return d, nil
	}
	if d := c.locateApp(); d != nil {
		return d, nil
	}
	if d := c.checkScriptLocation(l); d != nil {
		return d, nil
	}

	// Builders: same major as the runtime, Debian (glibc) instead of
	// Alpine, pinned to their Debian release.
	c.shipInPlace = c.inPlace()
	if d := c.fixBuilders(); d != nil {
		return d, nil
	}
	c.tool = c.installTool()
	c.lockfileNotes()
	c.dockerignoreNote()
	c.platformNotes()

	if c.shipInPlace {
		return c.convertInPlace(l)
	}
	return c.convertSplit(l)
}

// why explains why a major has no distroless image.
func (c *conv) why(major string) string {
	if r := c.in.Catalog.ParseDistroless("nodejs"+major+"-debian13", "").Removed; r != nil {
		return r.Reason
	}
	return fmt.Sprintf("distroless publishes Node.js %s only", strings.Join(c.in.Catalog.NodeMajors(), ", "))
}

// targetMajor applies the major-version policy (rulebook §1.7, §3.4).
func (c *conv) targetMajor(major string, ref dockerfile.ImageRef) (string, *convert.Result) {
	in := c.in
	if in.Catalog.DistrolessImage("nodejs"+major) != nil {
		return major, nil
	}
	up := in.Catalog.NodeUpgradeTarget(major)
	if up == "" {
		alts := []string{
			fmt.Sprintf("move the application to Node.js %s (build on node:%s-bookworm) and run `distill fix` again", in.Catalog.Node.UpgradeTo, in.Catalog.Node.UpgradeTo),
			fmt.Sprintf("keep a slim image for Node.js %s: node:%s-bookworm-slim in a multi-stage build, or Chainguard's node image", major, major),
		}
		if catalog.CompareVersions(major, in.Catalog.NodeMajors()[len(in.Catalog.NodeMajors())-1]) > 0 {
			return "", convert.Declinef(alts[1:], "%s uses Node.js %s, newer than any distroless Node.js image (%s); moving it to an older major is a downgrade distill does not make",
				ref.Familiar(), major, strings.Join(in.Catalog.NodeMajors(), ", "))
		}
		return "", convert.Declinef(alts, "%s uses Node.js %s, which is end-of-life and has no distroless image; moving it to Node.js %s is too large a jump to make automatically",
			ref.Familiar(), major, in.Catalog.Node.UpgradeTo)
	}
	if !in.Options.AllowVersionChange {
		return "", convert.Declinef([]string{
			fmt.Sprintf("allow version changes (images.allow_version_change) to let distill move the build and runtime to Node.js %s", up),
			fmt.Sprintf("keep a slim image for Node.js %s: node:%s-bookworm-slim in a multi-stage build", major, major),
		}, "%s uses Node.js %s, which has no distroless image (%s), and version changes are not allowed by the configuration", ref.Familiar(), major, c.why(major))
	}
	return up, nil
}

// checkPlatforms declines builds for platforms the image does not support.
func (c *conv) checkPlatforms() *convert.Result {
	for _, st := range c.in.Reachable() {
		p := st.From.From.Platform
		if p == "" || strings.Contains(p, "$") {
			continue
		}
		arch := strings.TrimPrefix(p, "linux/")
		arch, _, _ = strings.Cut(arch, "/")
		ok := false
		for _, a := range c.dl.Archs {
			if a == arch {
				ok = true
			}
		}
		if !ok {
			return convert.Declinef([]string{"build for a platform the image supports (" + strings.Join(c.dl.Archs, ", ") + ")"},
				"%s is not published for %s (line %d)", c.image, p, st.From.StartLine)
		}
	}
	return nil
}

// checkNativePackages declines addons that load system libraries.
func (c *conv) checkNativePackages() *convert.Result {
	var names []string
	if c.pkg != nil {
		for n := range c.pkg.Dependencies {
			names = append(names, n)
		}
		for n := range c.pkg.Optional {
			names = append(names, n)
		}
	}
	for _, rc := range c.in.Commands(c.in.Reachable()...) {
		s := c.in.Script(rc.Instruction)
		for _, pi := range s.NodeInstalls() {
			if pi.Cmd == rc.Command && !pi.Global {
				for _, p := range pi.Packages {
					names = append(names, packageName(p))
				}
			}
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if np := c.in.Catalog.NodeNative(n); np != nil && np.Needs != "" {
			return convert.Declinef([]string{
				"keep a Debian slim runtime (node:" + c.major + "-bookworm-slim) that installs " + np.Needs + " with apt-get",
				"replace " + n + " with a package that bundles what it needs",
			}, "the application depends on %s, which needs %s at run time; distroless has no package manager to install it", n, np.Needs)
		}
	}
	return nil
}

// packageName strips a version from an npm install argument
// ("express@4" → express, "@scope/pkg@1" → @scope/pkg).
func packageName(arg string) string {
	if strings.HasPrefix(arg, "@") {
		if i := strings.Index(arg[1:], "@"); i >= 0 {
			return arg[:i+1]
		}
		return arg
	}
	n, _, _ := strings.Cut(arg, "@")
	return n
}

// checkRuntimePackages declines shipped images that install system
// packages the application may need at run time.
func (c *conv) checkRuntimePackages() *convert.Result {
	in := c.in
	for _, st := range in.Chain {
		for _, rc := range in.Commands(st) {
			var pkgs []string
			switch {
			case rc.Is("apt-get", "apt"):
				pos := rc.Positionals("-o", "-t", "--target-release", "-c")
				if len(pos) > 0 && pos[0] == "install" {
					pkgs = pos[1:]
				}
			case rc.Is("apk"):
				pkgs = apkPackages(rc.Args)
			}
			for _, pkg := range pkgs {
				pkg, _, _ = strings.Cut(pkg, "=")
				if c.harmlessPackage(pkg) {
					continue
				}
				return convert.Declinef([]string{
					"if the application does not use " + pkg + " at run time, remove the install and run `distill fix` again",
					"keep node:" + c.major + "-bookworm-slim as the runtime in a multi-stage build",
				}, "the shipped image installs %s (line %d), which distroless does not have; the application may need it at run time", pkg, rc.Instruction.StartLine)
			}
		}
	}
	return nil
}

// harmlessPackage reports whether a system package installed in the
// shipped image is not needed by the converted one: already in
// distroless, an init wrapper, a health-check tool, or a build tool for
// native addons (node-gyp needs python3, make and a C++ compiler).
func (c *conv) harmlessPackage(pkg string) bool {
	cat := c.in.Catalog
	switch {
	case strings.HasPrefix(pkg, "lib") && strings.HasSuffix(pkg, "-dev"):
		// Headers of a library native addons link against: the library
		// must be in the image at run time.
		return slices.Contains(c.in.Catalog.Node.LinkedDevPackages, pkg)
	case cat.InDistroless(pkg), cat.IsToolchainPackage(pkg), slices.Contains(cat.Node.InitWrappers, pkg):
		return true
	case (pkg == "curl" || pkg == "wget") && c.in.OnlyForHealthcheck(pkg):
		return true
	case pkg == "python3" || pkg == "python3-minimal" || pkg == "libc6-compat" || pkg == "gcompat" || pkg == "build-base" || pkg == "musl-dev":
		return true
	case pkg == "libcap2-bin" || pkg == "libcap":
		// Provides setcap, which runs at build time (noted).
		return c.in.HasCommand(c.in.Chain, "setcap")
	}
	return false
}

// apkPackages returns the packages of an `apk add` command.
func apkPackages(args []string) []string {
	var out []string
	add := false
	skip := false
	for _, a := range args {
		switch {
		case skip:
			skip = false
		case a == "--virtual" || a == "-t" || a == "--repository" || a == "-X" || a == "--root" || a == "-p":
			skip = true
		case strings.HasPrefix(a, "-"):
		case !add:
			if a != "add" {
				return nil
			}
			add = true
		default:
			out = append(out, a)
		}
	}
	return out
}

// inPlace reports whether the shipped stage only assembles files, so its
// FROM can become the distroless image directly.
func (c *conv) inPlace() bool {
	in := c.in
	if len(in.Chain) != 1 {
		return false
	}
	for _, ins := range in.Target.Instructions {
		switch ins.Kind {
		case dockerfile.KindRun, dockerfile.KindShell, dockerfile.KindOnbuild:
			return false
		}
	}
	if in.Options.NonRoot && len(c.rt.Volumes) > 0 {
		return false // writable directories are prepared in a build stage
	}
	for _, st := range in.File.Stages {
		if st.BaseStage == in.Target {
			return false // a later stage builds on it and may RUN
		}
	}
	return true
}

// platformNotes warns about steps whose effect does not reach the
// distroless image or is built for the wrong machine.
func (c *conv) platformNotes() {
	in := c.in
	for _, st := range in.Reachable() {
		if strings.Contains(st.From.From.Platform, "BUILDPLATFORM") && stageInstallsNodeModules(in, st) {
			c.p.Note(convert.Risk, "%s installs node_modules with --platform=%s: native addons are downloaded or compiled for the build machine, not the target platform; install dependencies in a stage without --platform (or rebuild them) when building for another architecture", st.Describe(), st.From.From.Platform)
		}
	}
	for _, rc := range in.Commands(in.Chain...) {
		if rc.Is("setcap") {
			if len(c.portMap) > 0 {
				c.p.Note(convert.Change, "line %d gives node a capability with setcap so it can bind a port below 1024; capabilities do not carry over to %s's own node binary, and the application now listens above 1023 instead", rc.Instruction.StartLine, c.image)
			} else {
				c.p.Note(convert.Risk, "line %d sets file capabilities with setcap; they do not carry over to %s's own node binary", rc.Instruction.StartLine, c.image)
			}
			return
		}
	}
}

// checkNativeBuildLibs declines builds that install library headers for
// native addons: the addon then needs the library at run time.
func (c *conv) checkNativeBuildLibs() *convert.Result {
	in := c.in
	for _, st := range in.Reachable() {
		var chain []*dockerfile.Stage
		for x := st; x != nil; x = x.BaseStage {
			chain = append(chain, x)
		}
		if !stageInstallsNodeModules(in, st) {
			continue
		}
		for _, x := range chain {
			for _, rc := range in.Commands(x) {
				for _, ai := range in.Script(rc.Instruction).AptInstalls() {
					if ai.Cmd != rc.Command {
						continue
					}
					for _, pkg := range ai.Packages {
						pkg, _, _ = strings.Cut(pkg, "=")
						if strings.HasPrefix(pkg, "lib") && strings.HasSuffix(pkg, "-dev") && !slices.Contains(c.in.Catalog.Node.LinkedDevPackages, pkg) {
							lib := strings.TrimSuffix(strings.TrimPrefix(pkg, "lib"), "-dev")
							return convert.Declinef([]string{
								"if no dependency builds against " + pkg + ", remove the install and run `distill fix` again",
								"keep node:" + c.major + "-bookworm-slim with the runtime library installed as the runtime image",
							}, "%s installs %s (line %d): native addons built against it load lib%s at run time, which distroless does not have", x.Describe(), pkg, rc.Instruction.StartLine, lib)
						}
					}
				}
			}
		}
	}
	return nil
}

var portEnvKey = regexp.MustCompile(`^([A-Z0-9_]*_)?PORT$`)

// movePrivilegedPorts moves ports below 1024 that a non-root image cannot
// bind everywhere (rulebook §4.4) to 8000+port, when an ENV variable
// (PORT, HTTP_PORT…) sets the port the application listens on; other
// privileged ports are declined.
func (c *conv) movePrivilegedPorts() *convert.Result {
	if !c.in.Options.NonRoot {
		return nil
	}
	low := c.rt.PrivilegedPorts()
	if len(low) == 0 {
		return nil
	}
	c.portMap = map[string]string{}
	for _, p := range low {
		num, proto, _ := strings.Cut(p, "/")
		key := ""
		for _, kv := range c.rt.Env {
			if portEnvKey.MatchString(kv.Key) && strings.Trim(kv.Value, `"'`) == num {
				key = kv.Key
			}
		}
		if key == "" {
			return convert.Declinef([]string{
				"make the application listen on a port above 1023 (for example 8080, read from ENV PORT), update EXPOSE, and run `distill fix` again",
				"set images.nonroot: false to keep running as root, which can bind any port",
			}, "the image listens on port %s (EXPOSE %s) and distroless runs it as uid 65532, which cannot bind ports below 1024 on CRI-O, rootless Podman or with --network host; no ENV variable sets the port, so distill cannot move it", num, p)
		}
		n, _ := strconv.Atoi(num)
		moved := strconv.Itoa(8000 + n)
		c.portMap[num] = moved
		for i := range c.rt.Env {
			if c.rt.Env[i].Key == key {
				c.rt.Env[i].Value = moved
			}
		}
		c.portEnv = append(c.portEnv, key)
		newPort := moved
		if proto != "" {
			newPort += "/" + proto
		}
		for i, e := range c.rt.Expose {
			if e == p {
				c.rt.Expose[i] = newPort
			}
		}
		c.p.Note(convert.Behavior, "the application now listens on port %s instead of %s (ENV %s=%s, EXPOSE %s): as uid 65532 it cannot bind ports below 1024 on CRI-O, rootless Podman or with --network host; publish it with -p %s:%s and update Services and probes that target port %s", moved, num, key, moved, newPort, num, moved, num)
	}
	return nil
}

// checkLaunchPorts declines a command that still names a moved port.
func (c *conv) checkLaunchPorts(l *launch) *convert.Result {
	for old := range c.portMap {
		for _, a := range l.args() {
			if a == old || strings.HasSuffix(a, ":"+old) || strings.HasSuffix(a, "="+old) {
				return convert.Declinef([]string{"read the port from ENV PORT in the application (or pass a port above 1023) and run `distill fix` again"},
					"the command passes port %s (%q) to the application, and distroless runs it as uid 65532, which cannot bind ports below 1024 everywhere", old, a)
			}
		}
	}
	return nil
}
