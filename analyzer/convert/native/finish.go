package native

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Target is the distroless image a native binary runs on.
type Target struct {
	// Family is static, base or cc.
	Family string
	Debian int
	Image  string
	// Static is set for a statically linked binary.
	Static bool
}

// SupportedDebian moves a conversion configured for a Debian release whose
// native images (static, base, cc) are past their end of support to the
// default release, with a note: distill does not propose images that get
// no security fixes.
func SupportedDebian(in *convert.Input, p *convert.Plan) {
	debian := in.Options.Debian
	def := in.Catalog.Distroless.DefaultDebian
	if debian == def {
		return
	}
	if eos, ok := in.Catalog.EndOfSupport("cc", debian); ok && !in.Options.Now.Before(eos.AddDate(0, 0, 1)) {
		in.Options.Debian = def
		p.Note(convert.Behavior, "images.debian is %d, but the Debian %d distroless images reached their end of support on %s and get no security fixes; the conversion uses Debian %d", debian, debian, eos.Format("2006-01-02"), def)
	}
}

// NewTarget returns the pinned distroless reference for a family.
func NewTarget(in *convert.Input, family string, static bool) Target {
	im := in.Catalog.DistrolessImage(family)
	return Target{Family: family, Debian: in.Options.Debian, Image: in.DistrolessRef(im), Static: static}
}

// Finish completes a native conversion shared by the Rust and C/C++
// recipes: it checks what the shipped image installs at run time, keeps
// relative paths working under the nonroot tag, carries the runtime files
// of a runtime stage over, and runs the shared binary conversion.
func Finish(in *convert.Input, p *convert.Plan, t Target, loc *convert.Located, prog *convert.Program) (*convert.Result, error) {
	if d := setcapDecline(in); d != nil {
		return d, nil
	}
	removable, d := checkRuntime(in, p, t)
	if d != nil {
		return d, nil
	}
	inPlace := willBeInPlace(in, p, loc, removable)
	keepRelativePaths(in, p, loc, prog, inPlace)
	if inPlace {
		if d := slashKnownDir(in, p, loc); d != nil {
			return d, nil
		}
	}
	var extra []string
	if !inPlace {
		var d *convert.Result
		extra, d = runtimeCopies(in, p, loc)
		if d != nil {
			return d, nil
		}
	}
	if t.Debian == 12 {
		if eos, ok := in.Catalog.EndOfSupport(t.Family, 12); ok {
			p.Note(convert.Risk, "%s is supported until %s; Debian 13 images are supported until a year after Debian 14", t.Image, eos.Format("2006-01-02"))
		}
	}
	res, err := p.ConvertBinary(convert.BinarySpec{Image: t.Image, Located: loc, Program: prog, ExtraCopies: extra, RemovablePackage: removable})
	if err != nil || res == nil {
		return res, err
	}
	// An image already on a distroless :nonroot tag did not run as root.
	if root := in.Target.RootBase(); root.IsDistroless() && strings.Contains(root.Tag, "nonroot") {
		kept := res.Notes[:0]
		for _, n := range res.Notes {
			if !strings.HasPrefix(n.Text, "the image ran as root") {
				kept = append(kept, n)
			}
		}
		res.Notes = kept
	}
	return res, nil
}

// willBeInPlace mirrors ConvertBinary's choice: the shipped stage keeps
// its lines and only changes FROM when it just assembles files.
func willBeInPlace(in *convert.Input, p *convert.Plan, loc *convert.Located, removable func(string) bool) bool {
	if loc.Copy == nil || len(in.Chain) != 1 {
		return false
	}
	for _, ins := range in.Target.Instructions {
		switch ins.Kind {
		case dockerfile.KindRun:
			if !in.RemovableRunWith(ins, removable) {
				return false
			}
		case dockerfile.KindShell, dockerfile.KindOnbuild, dockerfile.KindAdd:
			return false
		}
	}
	return !in.Options.NonRoot || convert.VolumesPrepared(in, p.Runtime.Volumes)
}

// slashKnownDir adds the trailing slash to a COPY into a directory such as
// /usr/local/bin: the distroless image may not have that directory, and
// without the slash COPY would create a file with the directory's name.
func slashKnownDir(in *convert.Input, p *convert.Plan, loc *convert.Located) *convert.Result {
	c := loc.Copy
	if c == nil || strings.HasSuffix(c.Copy.Dest, "/") || len(c.Copy.Sources) != 1 || path.Clean(c.Copy.Sources[0]) != loc.Artifact.Path {
		return nil
	}
	dest := convert.Absolute(in.WorkdirAt(c.Stage, c), c.Copy.Dest)
	if dest == loc.ImagePath || !knownDirs[dest] {
		return nil
	}
	orig := strings.TrimRight(c.Original, " \t")
	if strings.Contains(orig, "\n") || !strings.HasSuffix(orig, c.Copy.Dest) {
		return convert.Declinef([]string{"write the destination with a trailing slash (" + c.Copy.Dest + "/) and run `distill fix` again"},
			"line %d copies the program into %s without a trailing slash; the distroless image may not have that directory, and distill cannot rewrite this COPY form", c.StartLine, c.Copy.Dest)
	}
	p.Editor.Replace(c, orig+"/")
	p.Note(convert.Change, "the COPY into %s gets a trailing slash: without it, COPY would create a file named %s if the distroless image lacks the directory", c.Copy.Dest, c.Copy.Dest)
	return nil
}

// builderName is the name Plan.Split gives the shipped stage when it
// becomes a build stage.
func builderName(in *convert.Input) string {
	used := map[string]bool{}
	for _, st := range in.File.Stages {
		used[st.Name] = true
	}
	name := "build"
	if in.Target.Name != "" {
		name = in.Target.Name + "-build"
	}
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("build%d", i)
	}
	return name
}

// keepRelativePaths keeps the meaning of relative paths when the image
// moves to the nonroot tag, whose WORKDIR is /home/nonroot: without a
// WORKDIR the original resolved them against /.
func keepRelativePaths(in *convert.Input, p *convert.Plan, loc *convert.Located, prog *convert.Program, inPlace bool) {
	rt := p.Runtime
	root := in.Target.RootBase()
	if !in.Options.NonRoot || rt.Workdir != "" || (root.IsDistroless() && strings.Contains(root.Tag, "nonroot")) {
		return
	}
	argv := prog.Argv()
	relProg := len(argv) > 0 && strings.Contains(argv[0], "/") && !strings.HasPrefix(argv[0], "/")
	relCopy := false
	if inPlace {
		for _, st := range in.Chain {
			for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
				if !strings.HasPrefix(ins.Copy.Dest, "/") && !strings.HasPrefix(ins.Copy.Dest, "$") {
					relCopy = true
				}
			}
		}
	}
	if !relProg && !relCopy {
		return
	}
	rt.Workdir = "/"
	if inPlace {
		p.Editor.InsertAfter(in.Target.From, convert.Keyword(in.File, "WORKDIR")+" /")
	}
	p.Note(convert.Change, "WORKDIR / keeps the relative paths of the original working: the nonroot tag would otherwise start the program in /home/nonroot")
}

// systemDirs are directories a runtime COPY must not bring over whole from
// a build stage: they hold the build image's own files.
var systemDirs = map[string]bool{"/": true, "/etc": true, "/usr": true, "/usr/bin": true, "/usr/sbin": true, "/usr/lib": true, "/usr/local": true,
	"/usr/local/bin": true, "/usr/local/lib": true, "/usr/share": true, "/bin": true, "/sbin": true, "/lib": true, "/lib64": true, "/var": true,
	"/opt": true, "/home": true, "/root": true, "/tmp": true, "/srv": true, "/run": true}

// runtimeCopies brings the files the original image had besides the
// program into the new final stage when the shipped stage becomes a build
// stage: the other COPY/ADD lines of a runtime stage, or the directories a
// program commonly reads from a source tree copied whole.
func runtimeCopies(in *convert.Input, p *convert.Plan, loc *convert.Located) ([]string, *convert.Result) {
	from := builderName(in)
	kw := convert.Keyword(in.File, "COPY")
	var out []string
	if loc.Copy == nil {
		return sourceTreeDirs(in, p, loc, from), nil
	}
	seen := map[string]bool{loc.ImagePath: true}
	dirCopy := len(loc.Copy.Copy.Sources) == 1 && path.Clean(loc.Copy.Copy.Sources[0]) != loc.Artifact.Path
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins == loc.Copy && !dirCopy {
				continue // the program itself
			}
			paths, ok := copiedPaths(in, st, ins)
			if !ok {
				return nil, convert.Declinef([]string{"copy the files to a dedicated directory (COPY config/ /app/config/) and run `distill fix` again"},
					"line %d (`%s`) adds files whose place in the image distill cannot work out, and the distroless stage must copy them explicitly", ins.StartLine, strings.TrimSpace(ins.Original))
			}
			chown := ""
			if ins.Copy.Chown != "" && in.Options.NonRoot {
				if u, _, _ := strings.Cut(ins.Copy.Chown, ":"); u != "0" && u != "root" {
					chown = " --chown=65532:65532"
				}
			}
			chmod := ""
			if ins.Copy.Chmod != "" {
				chmod = " --chmod=" + ins.Copy.Chmod
			}
			for _, pth := range paths {
				if seen[pth] {
					continue
				}
				seen[pth] = true
				out = append(out, fmt.Sprintf("%s --from=%s%s%s %s %s", kw, from, chown, chmod, pth, pth))
			}
		}
	}
	// Directories the runtime stage created with RUN are not carried over.
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindRun) {
			s := in.Script(ins)
			if s == nil || in.RemovableRun(ins) {
				continue
			}
			for _, c := range s.Commands {
				if c.Is("mkdir") {
					dirs := c.Positionals("-m", "--mode")
					if len(dirs) > 0 && !isVolume(p, dirs) {
						p.Note(convert.Risk, "line %d creates %s in the original image; the distroless image does not have it. If the program writes there, declare it as a VOLUME or create it in a build stage and COPY it with --chown=65532:65532", ins.StartLine, strings.Join(dirs, " "))
					}
				}
			}
		}
	}
	return out, nil
}

func isVolume(p *convert.Plan, dirs []string) bool {
	for _, d := range dirs {
		found := false
		for _, v := range p.Runtime.Volumes {
			if path.Clean(v) == path.Clean(d) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// copiedPaths returns the paths a COPY or ADD creates in the image; false
// when they cannot be known or would bring a whole system directory over.
func copiedPaths(in *convert.Input, st *dockerfile.Stage, ins *dockerfile.Instruction) ([]string, bool) {
	c := ins.Copy
	if strings.Contains(c.Dest, "$") {
		return nil, false
	}
	dest := convert.Absolute(in.WorkdirAt(st, ins), c.Dest)
	dirDest := strings.HasSuffix(c.Dest, "/") || len(c.Sources) > 1 || c.Dest == "." || len(c.Heredocs) > 0 && len(c.Sources) > 1
	var out []string
	for _, src := range c.Sources {
		var pth string
		switch {
		case strings.Contains(src, "$"):
			return nil, false
		case src == "." || src == "./" || strings.HasSuffix(src, "/") || strings.ContainsAny(src, "*?["):
			pth = dest
		case ins.Kind == dockerfile.KindAdd && isArchive(src) && !strings.Contains(src, "://"):
			pth = dest // extracted into dest
		case dirDest:
			pth = path.Join(dest, path.Base(src))
		default:
			pth = dest
		}
		if systemDirs[pth] {
			return nil, false
		}
		out = append(out, pth)
	}
	return out, true
}

func isArchive(src string) bool {
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(src, ext) {
			return true
		}
	}
	return false
}

// sourceTreeDirs handles a program built in the shipped stage itself from
// a source tree copied whole: the new image holds only the binary, plus the
// directories a program commonly reads when the listing shows them.
func sourceTreeDirs(in *convert.Input, p *convert.Plan, loc *convert.Located, from string) []string {
	var copyAll *dockerfile.Instruction
	var dest string
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From == "" && len(ins.Copy.Sources) == 1 && (ins.Copy.Sources[0] == "." || ins.Copy.Sources[0] == "./") {
				copyAll, dest = ins, convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
			}
		}
	}
	if copyAll == nil {
		return nil
	}
	if !in.Context.Known() {
		p.Note(convert.Risk, "the original image contained the whole source tree (line %d: `%s`); the new image contains only the binary. If the program reads files at run time (templates, static assets, config), add COPY lines for them", copyAll.StartLine, strings.TrimSpace(copyAll.Original))
		return nil
	}
	var out []string
	for _, d := range in.Catalog.Native.RuntimeDirs {
		if in.Context.Has(d) {
			pth := path.Join(dest, d)
			out = append(out, fmt.Sprintf("%s --from=%s %s %s", convert.Keyword(in.File, "COPY"), from, pth, pth))
			p.Note(convert.Change, "%s/ is copied too: programs commonly read it at run time", d)
		}
	}
	return out
}

// setcapDecline declines images that grant file capabilities: distroless
// cannot run setcap, and a COPY into the new stage does not carry them.
func setcapDecline(in *convert.Input) *convert.Result {
	for _, st := range in.Chain {
		for _, rc := range in.Commands(st) {
			if rc.Is("setcap") {
				return convert.Declinef([]string{
					"let the program listen on a port ≥ 1024 (e.g. 8080) so it needs no capability, then run `distill fix` again",
					"grant the capability at run time instead (docker run --cap-add, Kubernetes securityContext.capabilities.add) — a non-root process also needs ambient capabilities for that",
				}, "line %d grants file capabilities with `%s`; the distroless stage cannot RUN setcap, and a COPY from a build stage may not carry the capability (an extended attribute) over, so the program would lose the privilege it relies on (typically binding a port below 1024 as non-root)",
					rc.Instruction.StartLine, strings.TrimSpace(rc.Command.String()))
			}
		}
	}
	return nil
}

// checkRuntime classifies what the shipped image installs. Packages the
// distroless image already has, and those a static binary does not need,
// become removable; tools and libraries it lacks decline the conversion.
func checkRuntime(in *convert.Input, p *convert.Plan, t Target) (func(string) bool, *convert.Result) {
	removable := map[string]bool{}
	var buildExtras []string
	cat := in.Catalog
	for _, pi := range Installs(in, in.Chain...) {
		name := pi.Name
		if pi.Build {
			// Part of a build in the shipped stage; it stays in the build
			// stage. Tools installed with the compilers are gone at run
			// time.
			if cat.IsRuntimeTool(name) && !in.OnlyForHealthcheck(name) {
				buildExtras = convert.AppendUnique(buildExtras, name)
			}
			continue
		}
		lib := cat.LibraryByRuntime(name)
		switch {
		case cat.IsToolchainPackage(name) && !cat.IsRuntimeTool(name):
			// a build dependency on a line of its own (libssl-dev, cmake)
		case lib != nil && t.Static:
			removable[name] = true
			p.Note(convert.Change, "%s (line %d) is not needed: the binary is statically linked", name, pi.Instr.StartLine)
		case lib != nil && lib.Ships(t.Family, t.Debian):
			removable[name] = true
		case lib != nil:
			return nil, libraryDecline(in, t, name, lib.Name, pi.Instr.StartLine)
		case cat.InDistroless(name) || cat.IsStaticRemovable(name):
			removable[name] = true
		case cat.IsRuntimeTool(name) && in.OnlyForHealthcheck(name):
			removable[name] = true
		case cat.IsRuntimeTool(name):
			return nil, convert.Declinef([]string{
				"if the program does not run " + name + " at run time, remove the install and run `distill fix` again",
				"keep a slim Debian image (debian:" + cat.Codename(t.Debian) + "-slim) as the runtime in a multi-stage build",
			}, "the shipped image installs %s (line %d), a tool distroless does not have; the program may depend on it at run time", name, pi.Instr.StartLine)
		case strings.HasPrefix(name, "lib"):
			return nil, libraryDecline(in, t, name, "", pi.Instr.StartLine)
		default:
			return nil, convert.Declinef([]string{
				"if the program does not need " + name + " at run time, remove the install and run `distill fix` again",
				"keep a slim Debian image (debian:" + cat.Codename(t.Debian) + "-slim) as the runtime in a multi-stage build",
			}, "the shipped image installs %s (line %d), which %s does not have and distill cannot tell whether the program needs it", name, pi.Instr.StartLine, t.Image)
		}
	}
	if len(buildExtras) > 0 {
		p.Note(convert.Risk, "%s %s installed together with the build tools; the distroless image does not have %s — if the program runs %s at run time, it will fail",
			strings.Join(buildExtras, ", "), isAre(len(buildExtras)), itThem(len(buildExtras)), itThem(len(buildExtras)))
	}
	return func(pkg string) bool { return removable[pkg] }, nil
}

func isAre(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// libraryDecline explains that the program needs a shared library the
// distroless image does not ship.
func libraryDecline(in *convert.Input, t Target, pkg, lib string, line int) *convert.Result {
	what := pkg
	if lib != "" && lib != pkg {
		what = fmt.Sprintf("%s (%s)", pkg, lib)
	}
	return convert.Declinef(LibraryAlternatives(in, t),
		"the shipped image installs the shared library %s (line %d), which %s does not have: the program would fail with \"error while loading shared libraries … cannot open shared object file\"", what, line, t.Image)
}

// LibraryAlternatives are the ways out when a program needs libraries the
// distroless image lacks.
func LibraryAlternatives(in *convert.Input, t Target) []string {
	codename := in.Catalog.Codename(t.Debian)
	return []string{
		"link the library statically (a bundled/vendored build of it, or -static) so the binary needs only what " + t.Image + " has",
		fmt.Sprintf("copy the library's exact .so closure (ldd in a %s builder) into the image by hand — the files and their dependencies must come from Debian %d", codename, t.Debian),
		"keep debian:" + codename + "-slim with the runtime package as the final image",
	}
}
