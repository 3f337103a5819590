// Package dotnet converts .NET images. Google distroless has had no .NET
// image since 2021 (#711), so the recipe moves the shipped image to
// Microsoft's Ubuntu chiseled images — distroless-style (no shell, no
// package manager, non-root) but not Google's (rulebook §3.6):
// mcr.microsoft.com/dotnet/{aspnet,runtime}:<ver>-noble-chiseled for
// framework-dependent apps, runtime-deps for self-contained and Native AOT
// ones, with the -extra variant when the app needs ICU or time zones.
package dotnet

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// projectFiles are the project files the recipe reads.
var projectFiles = []string{"*.csproj", "*/*.csproj", "src/*/*.csproj", "*.fsproj", "*/*.fsproj"}

// Recipe is the .NET recipe.
var Recipe = &convert.Recipe{
	Name:         "dotnet",
	Detect:       detect,
	Convert:      convertDotnet,
	ContextFiles: projectFiles,
}

func detect(in *convert.Input) bool {
	root := in.RootBase()
	// Already minimal: the touch-up recipe keeps chiseled and distroless
	// images as they are.
	if root.Scratch || root.IsDistroless() || strings.Contains(root.Tag, "chiseled") || strings.Contains(root.Tag, "distroless") {
		return false
	}
	if in.StageKinds(in.Chain...)["dotnet"] {
		return true
	}
	rt := in.CollectRuntime()
	if p, why := in.ResolveProgram(rt); why == "" && len(p.Argv()) > 0 && path.Base(p.Argv()[0]) == "dotnet" {
		return true
	}
	return false
}

// image families of the chiseled images.
const (
	aspnet      = "aspnet"
	runtime     = "runtime"
	runtimeDeps = "runtime-deps"
)

// conv carries one conversion.
type conv struct {
	in   *convert.Input
	p    *convert.Plan
	rt   *convert.Runtime
	prog *convert.Program
	root dockerfile.ImageRef
	// dll is the assembly `dotnet X.dll` runs ("" for an apphost).
	dll string
	// apphost is the native program the image runs ("" for dotnet X.dll).
	apphost string
	proj    *csproj
	version string
	family  string
	extra   bool
	image   string
	// writable are directories the original created or chowned.
	writable []string
	// keptRun is the first RUN that needs a shell in the shipped chain.
	keptRun *dockerfile.Instruction
}

func convertDotnet(in *convert.Input) (*convert.Result, error) {
	c := &conv{in: in, p: in.NewPlan(), root: in.RootBase()}
	c.rt = c.p.Runtime
	prog, why := in.ResolveProgram(c.rt)
	if why != "" {
		return convert.Declinef([]string{"start the application in exec form: `ENTRYPOINT [\"dotnet\", \"App.dll\"]`, with settings in environment variables or appsettings.json, and run `distill fix` again"},
			"the image cannot run on a chiseled image: %s", why), nil
	}
	c.prog = prog
	if d := c.program(); d != nil {
		return d, nil
	}
	c.proj = c.project()
	if d := c.chooseVersion(); d != nil {
		return d, nil
	}
	c.chooseFamily()
	if d := c.checkBuilder(); d != nil {
		return d, nil
	}
	removable, d := c.runs()
	if d != nil {
		return d, nil
	}
	c.chooseExtra()
	tmpl := map[string]string{aspnet: in.Catalog.Dotnet.ASPNet, runtime: in.Catalog.Dotnet.Runtime, runtimeDeps: in.Catalog.Dotnet.RuntimeDeps}[c.family]
	c.image = catalog.Expand(tmpl, map[string]string{"version": c.version})
	if c.extra {
		c.image += in.Catalog.Dotnet.ExtraSuffix
	}
	c.p.Note(convert.Change, "the image is %s, Microsoft's Ubuntu chiseled image: not Google distroless, which has had no .NET image since 2021 (GoogleContainerTools/distroless#711), but built the same way — no shell, no package manager, a non-root user", c.image)
	if c.sdkShipped() || c.keptRun != nil {
		noteDependents(in, c.p, in.Target, in.Chain)
		return c.split()
	}
	noteDependents(in, c.p, in.Target.RootFrom(), in.Chain)
	return c.inPlace(removable)
}

// program classifies what the image runs: `dotnet X.dll` or an apphost.
func (c *conv) program() *convert.Result {
	argv := c.prog.Argv()
	first := path.Base(argv[0])
	switch {
	case first == "dotnet" && len(argv) > 1 && strings.HasSuffix(strings.ToLower(argv[1]), ".dll"):
		c.dll = argv[1]
	case first == "dotnet" && len(argv) > 1 && (argv[1] == "run" || argv[1] == "watch"):
		return convert.Declinef([]string{"publish the application in a build stage (`dotnet publish -c Release -o /app`) and run `dotnet /app/App.dll`"},
			"the image runs `dotnet %s`, which compiles at start-up and needs the .NET SDK in the image", argv[1])
	case first == "dotnet":
		return convert.Declinef(nil, "the image runs `%s`, not an application assembly", strings.Join(argv, " "))
	case strings.Contains(argv[0], "/") && !strings.Contains(first, "."):
		c.apphost = argv[0]
	default:
		return convert.Declinef([]string{"run the published application directly: `ENTRYPOINT [\"dotnet\", \"App.dll\"]` or its apphost `ENTRYPOINT [\"./App\"]`"},
			"the image runs `%s`, which distill does not recognise as a .NET application", argv[0])
	}
	return nil
}

// project finds the project file of the assembly the image runs.
func (c *conv) project() *csproj {
	name := ""
	switch {
	case c.dll != "":
		name = strings.TrimSuffix(path.Base(c.dll), path.Ext(c.dll))
	case c.apphost != "":
		name = path.Base(c.apphost)
	}
	var only *csproj
	n := 0
	for _, pat := range projectFiles {
		for _, f := range c.in.Context.Match(pat) {
			b, _ := c.in.Context.Read(f)
			p := parseCsproj(f, b)
			if p == nil {
				continue
			}
			n++
			only = p
			if p.AssemblyName == name {
				return p
			}
		}
	}
	if n == 1 && name == "" {
		return only
	}
	return nil
}

var versionTag = regexp.MustCompile(`^(\d+\.\d+)`)

// imageVersion returns the .NET version an image tag names ("8.0").
func imageVersion(in *convert.Input, ref dockerfile.ImageRef) (string, bool) {
	im := in.Image(ref)
	if im == nil || im.Kind != "dotnet" {
		return "", false
	}
	return versionTag.FindString(im.LanguageVersion(ref.Tag)), true
}

// chooseVersion picks the .NET version from the shipped image (or the
// project) and applies the catalog's support list.
func (c *conv) chooseVersion() *convert.Result {
	in := c.in
	v, _ := imageVersion(in, c.root)
	if v == "" && c.proj != nil {
		v = c.proj.Version
	}
	if v == "" {
		return convert.Declinef([]string{"pin the runtime image to a .NET version (e.g. mcr.microsoft.com/dotnet/aspnet:" + in.Catalog.Dotnet.Versions[len(in.Catalog.Dotnet.Versions)-1] + ") and run `distill fix` again"},
			"distill cannot tell which .NET version %s runs", c.root.Familiar())
	}
	lts := in.Catalog.Dotnet.Versions
	switch {
	case in.Catalog.DotnetSupported(v):
	case in.Catalog.DotnetEOL(v):
		return convert.Declinef([]string{
			fmt.Sprintf("move the application to a supported .NET (%s) — the target framework and the images — then run `distill fix` again", strings.Join(lts, ", ")),
			"keep the official runtime image for now, trimmed in a multi-stage build",
		}, ".NET %s is out of support and has no chiseled image", v)
	default:
		return convert.Declinef([]string{fmt.Sprintf("use a released .NET version with an Ubuntu noble chiseled image (%s)", strings.Join(lts, ", "))},
			"distill has no chiseled image for .NET %s (only %s)", v, strings.Join(lts, ", "))
	}
	if c.proj != nil && c.proj.Version != "" && c.proj.Version != v && c.dll != "" {
		return convert.Declinef([]string{fmt.Sprintf("use the .NET %s images for the net%s project (or set <RollForward>)", c.proj.Version, c.proj.Version)},
			"%s targets .NET %s but the image runs .NET %s: a framework-dependent app does not start on another major version without RollForward", c.proj.Path, c.proj.Version, v)
	}
	c.version = v
	return nil
}

// chooseFamily picks aspnet, runtime or runtime-deps.
func (c *conv) chooseFamily() {
	in := c.in
	name := ""
	if im := in.Image(c.root); im != nil {
		name = path.Base(im.Name)
	}
	native := c.apphost != "" && c.selfContained()
	switch {
	case native:
		c.family = runtimeDeps
	case name == runtimeDeps && c.apphost != "":
		c.family = runtimeDeps
	case name == runtime:
		c.family = runtime
	case name == aspnet:
		c.family = aspnet
	case c.proj != nil:
		c.family = runtime
		for _, s := range in.Catalog.Dotnet.ASPNetSDKs {
			if c.proj.SDK == s {
				c.family = aspnet
			}
		}
	default:
		// The SDK image as runtime: aspnet has both shared frameworks.
		c.family = aspnet
		c.p.Note(convert.Risk, "distill cannot tell from %s whether the app needs ASP.NET Core; it uses aspnet (which also runs console apps) — runtime is smaller if it does not", c.root.Familiar())
	}
	if name == runtimeDeps && c.family != runtimeDeps {
		c.family = runtimeDeps
	}
}

// selfContained reports whether the app is published self-contained or
// Native AOT (from the project or the publish command).
func (c *conv) selfContained() bool {
	if c.proj != nil && (c.proj.PublishAot || c.proj.SelfContained) {
		return true
	}
	for _, rc := range c.in.Commands(c.in.Reachable()...) {
		if !rc.Is("dotnet") || len(rc.Args) == 0 || rc.Args[0] != "publish" {
			continue
		}
		for _, a := range rc.Args {
			l := strings.ToLower(a)
			if l == "--self-contained" || l == "--sc" || strings.Contains(l, "publishaot=true") || strings.Contains(l, "selfcontained=true") || l == "--self-contained=true" {
				return true
			}
		}
	}
	return false
}

// publishes returns the `dotnet publish` commands of the reachable stages.
func (c *conv) publishRIDs() []string {
	var out []string
	for _, rc := range c.in.Commands(c.in.Reachable()...) {
		if !rc.Is("dotnet") || len(rc.Args) == 0 || rc.Args[0] != "publish" {
			continue
		}
		if v, ok := rc.Flag("-r", "--runtime"); ok {
			out = append(out, v)
		}
		for _, a := range rc.Args {
			if strings.HasPrefix(strings.ToLower(a), "-p:runtimeidentifier=") || strings.HasPrefix(strings.ToLower(a), "/p:runtimeidentifier=") {
				out = append(out, a[strings.Index(a, "=")+1:])
			}
		}
	}
	if c.proj != nil && c.proj.RuntimeIdentifier != "" {
		out = append(out, c.proj.RuntimeIdentifier)
	}
	return out
}

// checkBuilder declines musl builds of native code (the chiseled images
// are glibc).
func (c *conv) checkBuilder() *convert.Result {
	for _, rid := range c.publishRIDs() {
		if strings.Contains(rid, "musl") {
			return convert.Declinef([]string{fmt.Sprintf("publish for linux-x64/linux-arm64 (glibc) on %s", catalog.Expand(c.in.Catalog.Dotnet.SDK, map[string]string{"version": c.version}))},
				"the app is published for %s (musl): its native code cannot run on the glibc-based chiseled images", rid)
		}
	}
	if c.apphost == "" {
		return nil
	}
	for _, st := range c.in.Reachable() {
		if !c.in.HasCommand([]*dockerfile.Stage{st}, "dotnet") {
			continue
		}
		ref := st.RootBase()
		if im := c.in.Image(ref); im != nil && im.IsAlpine(ref.Tag) {
			return convert.Declinef([]string{
				fmt.Sprintf("build on %s (glibc) instead of Alpine", catalog.Expand(c.in.Catalog.Dotnet.SDK, map[string]string{"version": c.version})),
				"or run the framework-dependent assembly: `ENTRYPOINT [\"dotnet\", \"App.dll\"]`",
			}, "the image runs the native apphost %s built on Alpine (%s): it links musl and cannot run on the glibc-based chiseled images", c.apphost, ref.Familiar())
		}
	}
	return nil
}

// runs classifies the RUN instructions of the shipped chain: those the
// chiseled image makes unnecessary are returned; anything else declines
// (unless the shipped stage is the SDK build itself).
func (c *conv) runs() ([]*dockerfile.Instruction, *convert.Result) {
	in := c.in
	var removable []*dockerfile.Instruction
	extra := func(pkg string) bool {
		return in.Catalog.DotnetChiseledHas(pkg, true) || in.OnlyForHealthcheck(pkg) || strings.HasPrefix(pkg, "libicu")
	}
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindRun) {
			if in.RemovableRunWith(ins, extra) {
				removable = append(removable, ins)
				continue
			}
			if c.sdkShipped() {
				continue
			}
			s := in.Script(ins)
			if dirs, ok := c.directorySteps(st, ins); ok {
				c.writable = append(c.writable, dirs...)
				if c.keptRun == nil {
					c.keptRun = ins
				}
				continue
			}
			if s != nil {
				for _, ai := range s.AptInstalls() {
					for _, pkg := range ai.Packages {
						if !extra(pkg) && !in.Catalog.InDistroless(pkg) {
							return nil, convert.Declinef([]string{
								"if the application does not need " + pkg + ", remove the install and run `distill fix` again",
								"keep the official Debian-based runtime image, trimmed in a multi-stage build",
								"chiseled images can be extended with chisel slices (.NET 10+: chisel and chisel-wrapper in a build stage), if a slice for " + pkg + " exists",
							}, "the shipped image installs %s (line %d), which the chiseled image does not contain and which has no package manager to add it", pkg, ins.StartLine)
						}
					}
				}
			}
			return nil, convert.Declinef([]string{
				"move the step into a build stage and COPY its result (COPY --chown=" + fmt.Sprint(in.Catalog.Dotnet.AppUID) + ":" + fmt.Sprint(in.Catalog.Dotnet.AppUID) + " for directories the app writes)",
			}, "line %d (`%s`) runs in the shipped image, and the chiseled image has no shell", ins.StartLine, truncate(oneLine(ins.Original), 60))
		}
	}
	return removable, nil
}

// directorySteps reports whether a RUN only prepares directories (mkdir,
// chown, chmod, user creation) and returns the ones the app may write.
func (c *conv) directorySteps(st *dockerfile.Stage, ins *dockerfile.Instruction) ([]string, bool) {
	s := c.in.Script(ins)
	if s == nil || len(s.Commands) == 0 {
		return nil, false
	}
	wd := c.in.WorkdirAt(st, ins)
	var dirs []string
	for _, cmd := range s.Commands {
		switch {
		case cmd.Is("mkdir"):
			for _, d := range cmd.Positionals("-m", "--mode") {
				dirs = append(dirs, convert.Absolute(wd, d))
			}
		case cmd.Is("chown"):
			if pos := cmd.Positionals("--from", "--reference"); len(pos) > 1 {
				for _, d := range pos[1:] {
					dirs = append(dirs, convert.Absolute(wd, d))
				}
			}
		case cmd.Is("chmod", "useradd", "adduser", "groupadd", "addgroup", "true", "set"):
		default:
			return nil, false
		}
	}
	for _, d := range dirs {
		if strings.Contains(d, "$") {
			return nil, false
		}
	}
	return dirs, true
}

// whyRemovable says why a RUN the chiseled image does not need can go.
func (c *conv) whyRemovable(ins *dockerfile.Instruction) string {
	in := c.in
	var have, extra, health []string
	users := false
	for _, cmd := range in.Script(ins).Commands {
		switch {
		case cmd.Is("useradd", "adduser", "addgroup", "groupadd"):
			users = true
		case cmd.Is("apt-get", "apt", "apk"):
			pos := cmd.Positionals("-o", "-t", "--virtual")
			for i, a := range pos {
				if a != "install" && a != "add" {
					continue
				}
				for _, pkg := range pos[i+1:] {
					switch {
					case in.OnlyForHealthcheck(pkg):
						health = append(health, pkg)
					case in.Catalog.DotnetNeedsExtra(pkg) || strings.HasPrefix(pkg, "libicu"):
						extra = append(extra, pkg)
					default:
						have = append(have, pkg)
					}
				}
				break
			}
		}
	}
	var why []string
	if len(have) > 0 {
		why = append(why, strings.Join(have, ", ")+" already in the chiseled image")
	}
	if len(extra) > 0 {
		why = append(why, strings.Join(extra, ", ")+" provided by the -extra variant")
	}
	if len(health) > 0 {
		why = append(why, strings.Join(health, ", ")+" served only the HEALTHCHECK, which is dropped")
	}
	if users {
		why = append(why, fmt.Sprintf("the chiseled image's app user (uid %d) replaces the created one", in.Catalog.Dotnet.AppUID))
	}
	if len(why) == 0 {
		return "the chiseled image does not need it"
	}
	return strings.Join(why, "; ")
}

// chooseExtra decides whether the app needs ICU and time zones.
func (c *conv) chooseExtra() {
	in, p := c.in, c.p
	if c.family == runtimeDeps && c.proj != nil && c.proj.PublishAot && c.proj.Invariant == "true" {
		return
	}
	invEnv, invSet := c.rt.EnvValue("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT")
	invEnv = strings.ToLower(convert.EnvLiteral(invEnv))
	_, tz := c.rt.EnvValue("TZ")
	installsExtra := ""
	for _, rc := range in.Commands(in.Chain...) {
		s := in.Script(rc.Instruction)
		for _, ai := range s.AptInstalls() {
			for _, pkg := range ai.Packages {
				if in.Catalog.DotnetNeedsExtra(pkg) || strings.HasPrefix(pkg, "libicu") {
					installsExtra = pkg
				}
			}
		}
		if rc.Is("apk") {
			for _, pkg := range rc.Positionals() {
				if in.Catalog.DotnetNeedsExtra(pkg) {
					installsExtra = pkg
				}
			}
		}
	}
	alpine := false
	if im := in.Image(c.root); im != nil && im.IsAlpine(c.root.Tag) {
		alpine = true
	}
	switch {
	case tz:
		c.extra = true
		p.Note(convert.Change, "the -extra variant is used because ENV TZ needs the time zone database, which plain chiseled images do not have")
	case installsExtra != "":
		c.extra = true
		p.Note(convert.Change, "the -extra variant is used because the original installed %s (ICU/time zones); plain chiseled images have neither", installsExtra)
	case invSet && (invEnv == "true" || invEnv == "1"):
	case invSet:
		c.extra = true
		p.Note(convert.Change, "the -extra variant is used because DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=%s needs ICU", invEnv)
	case c.proj != nil && c.proj.Invariant == "true":
		p.Note(convert.Change, "%s sets InvariantGlobalization, so the plain chiseled image (no ICU, no time zones) fits", c.proj.Path)
	case c.proj != nil && c.proj.Invariant == "false":
		c.extra = true
		p.Note(convert.Change, "the -extra variant is used because %s sets InvariantGlobalization=false (the app needs ICU)", c.proj.Path)
	case alpine:
		p.Note(convert.Behavior, "the original Alpine image ran in globalization-invariant mode without time zones; the plain chiseled image behaves the same (use the -extra variant if the app needs cultures or TimeZoneInfo)")
	default:
		c.extra = true
		what := "the project file"
		if c.proj != nil {
			what = c.proj.Path
		}
		p.Note(convert.Change, "the -extra variant (ICU and time zones) is used because the original image had both and %s does not set InvariantGlobalization; if the app is culture-invariant and uses no time zones, set <InvariantGlobalization>true</InvariantGlobalization> and drop -extra for a smaller image", what)
	}
}

// sdkShipped reports whether the shipped stage is the SDK image that
// builds the app (a single-stage Dockerfile).
func (c *conv) sdkShipped() bool {
	if len(c.in.Chain) != 1 {
		return false
	}
	im := c.in.Image(c.root)
	return im != nil && im.Toolchain && c.in.HasCommand(c.in.Chain, "dotnet")
}

// command returns the new ENTRYPOINT and CMD: the chiseled runtime
// images have ENTRYPOINT ["/usr/bin/dotnet"], so the app always goes in
// ENTRYPOINT; arguments that came from CMD stay there.
func (c *conv) command(resolve func(string) string) ([]string, []string) {
	prog := c.prog
	argv := prog.Argv()
	n := 1
	if c.dll != "" {
		n = 2
	}
	head := append([]string(nil), argv[:n]...)
	if c.dll != "" {
		head[0] = "dotnet"
		head[1] = resolve(head[1])
	} else {
		head[0] = resolve(head[0])
	}
	rest := argv[n:]
	if prog.FromEntrypoint && len(prog.Cmd) > 0 && len(prog.Cmd) <= len(rest) {
		ep := append(head, rest[:len(rest)-len(prog.Cmd)]...)
		return ep, append([]string(nil), prog.Cmd...)
	}
	if len(rest) == 0 {
		return head, nil
	}
	if prog.FromEntrypoint {
		return append(head, rest...), nil
	}
	return head, append([]string(nil), rest...)
}

// inPlace moves the shipped chain onto the chiseled image.
func (c *conv) inPlace(removable []*dockerfile.Instruction) (*convert.Result, error) {
	in, p, rt := c.in, c.p, c.rt
	ed := p.Editor
	rootStage := in.Target.RootFrom()
	ed.Replace(rootStage.From, fromLine(in, rootStage.From, c.image))
	p.Note(convert.Change, "the shipped image is built on %s instead of %s", c.image, c.root.Familiar())
	if c.root.Digest != "" {
		p.Note(convert.Risk, "the original runtime image was pinned by digest; pin %s by digest too", c.image)
	}
	for _, ins := range removable {
		ed.Delete(ins)
		p.Note(convert.Change, "removed `%s`: %s", truncate(oneLine(ins.Original), 70), c.whyRemovable(ins))
	}
	c.users(func(ins *dockerfile.Instruction, text string) {
		if text == "" {
			ed.Delete(ins)
		} else {
			ed.Replace(ins, text)
		}
	})
	for _, st := range in.Chain {
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindHealthcheck:
				line, note := in.ConvertHealthcheck(ins, convert.HealthProbe{}, nil)
				p.EditHealthcheck(ins, line, note)
			case dockerfile.KindShell:
				ed.Delete(ins)
				p.Note(convert.Change, "SHELL is removed: the chiseled image has no shell")
			}
		}
	}
	c.ports()
	// The command: ENTRYPOINT in exec form (the image's own is dotnet).
	ep, cmd := c.command(func(s string) string { return s })
	kw := func(k string) string { return convert.Keyword(in.File, k) }
	if !convert.IsExec(rt.Entrypoint, ep) || (cmd == nil) != (rt.Cmd == nil) || (cmd != nil && !convert.IsExec(rt.Cmd, cmd)) {
		lines := []string{kw("ENTRYPOINT") + " " + convert.ExecForm(ep)}
		if cmd != nil {
			lines = append(lines, kw("CMD")+" "+convert.ExecForm(cmd))
		}
		ed.ReplaceCommand(in.Target, rt.Entrypoint, rt.Cmd, strings.Join(lines, "\n"))
		c.noteCommand()
	}
	return p.Text(c.image)
}

// users handles USER and COPY --chown for the chiseled image's app user
// (uid 1654); edit receives a replacement text, "" to delete.
func (c *conv) users(edit func(*dockerfile.Instruction, string)) {
	in, p, rt := c.in, c.p, c.rt
	uid := fmt.Sprint(in.Catalog.Dotnet.AppUID)
	for _, st := range in.Chain {
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindUser:
				u, _, _ := strings.Cut(ins.Value, ":")
				switch {
				case u == "app" || u == "$APP_UID" || u == "${APP_UID}" || u == uid:
				case u == "root" || u == "0":
					if in.Options.NonRoot && ins == rt.UserInstr {
						edit(ins, "")
						p.Note(convert.Behavior, "USER %s is removed: the chiseled image runs as its app user (uid %s)", ins.Value, uid)
					}
				case strings.Trim(u, "0123456789") == "":
				default:
					edit(ins, convert.Keyword(in.File, "USER")+" $APP_UID")
					p.Note(convert.Behavior, "USER %s becomes USER $APP_UID (uid %s): the chiseled image has no user %s, only app", ins.Value, uid, u)
				}
			case dockerfile.KindCopy, dockerfile.KindAdd:
				if ins.Copy.Chown == "" {
					continue
				}
				u, _, _ := strings.Cut(ins.Copy.Chown, ":")
				if u == "app" || u == "root" || strings.Trim(u, "0123456789") == "" || strings.Contains(u, "APP_UID") {
					continue
				}
				edit(ins, strings.Replace(ins.Original, "--chown="+ins.Copy.Chown, "--chown="+uid+":"+uid, 1))
				p.Note(convert.Change, "line %d copies with --chown=%s:%s: user %s does not exist in the chiseled image", ins.StartLine, uid, uid, u)
			}
		}
	}
	if rt.User == "" || isRoot(rt.User) {
		p.Note(convert.Behavior, "the image ran as root; the chiseled image runs as its non-root app user (uid %s) — files the app writes must be owned by it (COPY --chown=%s:%s)", uid, uid, uid)
	}
}

func isRoot(u string) bool {
	user, _, _ := strings.Cut(u, ":")
	return user == "root" || user == "0"
}

// ports writes the notes about the listening port.
func (c *conv) ports() {
	p, rt := c.p, c.rt
	def := c.in.Catalog.Dotnet.HTTPPort
	urls, hasURLs := rt.EnvValue("ASPNETCORE_URLS")
	hp, hasHP := rt.EnvValue("ASPNETCORE_HTTP_PORTS")
	urls, hp = convert.EnvLiteral(urls), convert.EnvLiteral(hp)
	low := func(s string) bool {
		for _, m := range regexp.MustCompile(`:(\d+)`).FindAllStringSubmatch(":"+s, -1) {
			var n int
			fmt.Sscan(m[1], &n)
			if n > 0 && n < 1024 {
				return true
			}
		}
		return false
	}
	switch {
	case hasURLs && low(urls), hasHP && low(hp):
		p.Note(convert.Risk, "the app listens below 1024 (%s) but now runs as a non-root user: Docker ≥ 20.10 and containerd 2 allow it, CRI-O, rootless Podman and --network host do not — consider port %s, the .NET default", strings.TrimSpace(urls+" "+hp), def)
	case !hasURLs && !hasHP && c.family != runtimeDeps:
		for _, e := range rt.Expose {
			if strings.TrimSuffix(e, "/tcp") == "80" {
				p.Note(convert.Risk, "EXPOSE 80 is stale: since .NET 8 the images listen on %s (ASPNETCORE_HTTP_PORTS), before and after the conversion — expose %s", def, def)
			}
		}
	}
}

// noteCommand explains the new command.
func (c *conv) noteCommand() {
	if c.prog.ShellForm {
		c.p.Note(convert.Change, "the command is now in exec form: the chiseled image has no shell")
	}
	if !c.prog.FromEntrypoint {
		c.p.Note(convert.Change, "the application starts from ENTRYPOINT: the chiseled runtime image's own ENTRYPOINT is dotnet, which would otherwise receive the command as arguments")
	}
	if len(c.prog.Substituted) > 0 {
		c.p.Note(convert.Behavior, "the command used $%s; exec form does not expand variables, so the ENV value is written into the command", strings.Join(c.prog.Substituted, ", $"))
	}
}

// split turns the shipped stage into a build stage and appends the
// chiseled stage: for a single-stage SDK build it copies the published
// output; for a runtime stage with RUN steps that prepare directories it
// copies what the stage assembled, the directories owned by the app user.
func (c *conv) split() (*convert.Result, error) {
	in, p, rt := c.in, c.p, c.rt
	wd := rt.Workdir
	if wd == "" {
		wd = "/"
	}
	var paths []string
	why := ""
	if c.sdkShipped() {
		var target string
		if c.dll != "" {
			target = convert.Absolute(wd, c.dll)
		} else {
			target = convert.Absolute(wd, c.apphost)
		}
		out := c.publishDir(path.Dir(target))
		if out == "" {
			return convert.Declinef([]string{"publish to an explicit directory (`dotnet publish -c Release -o /app/publish`) and run the app from there"},
				"distill cannot tell which `dotnet publish` output holds %s", target), nil
		}
		paths = append(paths, out)
		why = "the SDK stage stays as build stage %s; the chiseled stage copies only the published output %s"
	} else {
		for _, st := range in.Chain {
			for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
				dst := convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
				if strings.Contains(dst, "$") {
					return convert.Declinef(nil, "line %d copies to %s, a path distill cannot resolve", ins.StartLine, ins.Copy.Dest), nil
				}
				paths = append(paths, dst)
			}
		}
		why = fmt.Sprintf("line %d (`%s`) needs a shell, so the runtime stage stays as build stage %%s; the chiseled stage copies from it only %%s", c.keptRun.StartLine, truncate(oneLine(c.keptRun.Original), 50))
	}
	copies := convert.MergeCopies(paths, c.writable)
	n := len(p.Notes)
	p.Split("")
	fs := p.FinalStage(c.image)
	p.Notes = p.Notes[:n] // the distroless user notes do not apply
	uid := fmt.Sprint(in.Catalog.Dotnet.AppUID)
	var what []string
	for _, cp := range copies {
		line := fmt.Sprintf("%s --from=%s", convert.Keyword(in.File, "COPY"), p.BuilderRef)
		if cp.Writable {
			line += " --chown=" + uid + ":" + uid
		}
		fs.Copies = append(fs.Copies, line+" "+cp.Path+" "+cp.Path)
		what = append(what, cp.Path)
	}
	// Users: the chiseled default (app) unless the original was numeric.
	fs.User = ""
	if rt.NumericNonRootUser() {
		fs.User = rt.User
	}
	c.users(func(*dockerfile.Instruction, string) {})
	if hc := rt.Healthcheck; hc != nil {
		line, note := in.ConvertHealthcheck(hc, convert.HealthProbe{}, nil)
		fs.Healthcheck = line
		if note != nil {
			p.Notes = append(p.Notes, *note)
		}
	}
	c.ports()
	ep, cmd := c.command(func(s string) string { return convert.Absolute(wd, s) })
	fs.Entrypoint, fs.Cmd = ep, cmd
	p.Note(convert.Change, why, p.BuilderRef, strings.Join(what, ", "))
	c.noteCommand()
	return p.Finish(fs)
}

// publishDir returns the `dotnet publish` output directory that contains
// dir (the directory of the assembly the image runs).
func (c *conv) publishDir(dir string) string {
	in := c.in
	for _, rc := range in.Commands(in.Chain...) {
		if !rc.Is("dotnet") || len(rc.Args) == 0 || rc.Args[0] != "publish" {
			continue
		}
		o, ok := rc.Flag("-o", "--output")
		if !ok || o == "" || strings.Contains(o, "$") {
			continue
		}
		abs := convert.Absolute(in.WorkdirAt(rc.Instruction.Stage, rc.Instruction), o)
		if abs == dir {
			return abs
		}
	}
	if path.Base(dir) == "publish" && !strings.Contains(dir, "$") {
		return dir
	}
	return ""
}

// fromLine renders a FROM with a new image, keeping flags and the name.
func fromLine(in *convert.Input, from *dockerfile.Instruction, image string) string {
	parts := []string{convert.Keyword(in.File, "FROM")}
	parts = append(parts, from.Flags...)
	parts = append(parts, image)
	if from.From.Name != "" {
		parts = append(parts, convert.Keyword(in.File, "AS"), from.From.Name)
	}
	return strings.Join(parts, " ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// oneLine renders an instruction's text on one line for notes: line
// continuations and runs of blanks become single spaces.
func oneLine(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		if w != "\\" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// noteDependents warns about stages outside the shipped chain built FROM
// a stage that now starts from the chiseled image, when they run RUN
// steps.
func noteDependents(in *convert.Input, p *convert.Plan, base *dockerfile.Stage, chain []*dockerfile.Stage) {
	inChain := map[*dockerfile.Stage]bool{}
	for _, s := range chain {
		inChain[s] = true
	}
	for _, st := range in.File.Stages {
		if inChain[st] || len(st.All(dockerfile.KindRun)) == 0 {
			continue
		}
		seen := map[*dockerfile.Stage]bool{}
		for b := st.BaseStage; b != nil && !seen[b]; b = b.BaseStage {
			seen[b] = true
			if b == base {
				p.Note(convert.Risk, "%s is built FROM %s, which now starts from the chiseled image: its RUN steps have no shell there — build it FROM a stage with a shell", st.Describe(), base.Describe())
				break
			}
		}
	}
}
