// Package golang converts Go images: a static binary (CGO_ENABLED=0) on
// static-debianNN by default; cgo kept, on base (C) or cc (C++), only with
// evidence that the program needs it (rulebook §3.1).
package golang

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Recipe is the Go recipe.
var Recipe = &convert.Recipe{
	Name:         "golang",
	Detect:       detect,
	Convert:      convertGo,
	ContextFiles: []string{"go.mod", "go.sum", "*.go"},
}

func detect(in *convert.Input) bool {
	if in.RootBase().Scratch {
		return false // scratch is already minimal: the touch-up recipe handles it
	}
	if in.StageKinds(in.Reachable()...)["go"] {
		return true
	}
	for _, c := range in.Commands(in.Reachable()...) {
		if c.Is("go") && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install") {
			return true
		}
	}
	return false
}

// goMod is what the recipe reads from go.mod.
type goMod struct {
	Module   string
	Go       string // "1.22"
	Requires []string
}

func readGoMod(in *convert.Input) *goMod {
	b, ok := in.Context.Read("go.mod")
	if !ok {
		return nil
	}
	mf, err := modfile.ParseLax("go.mod", b, nil)
	if err != nil {
		return nil
	}
	m := &goMod{}
	if mf.Module != nil {
		m.Module = mf.Module.Mod.Path
	}
	if mf.Go != nil {
		m.Go = catalog.Minor(mf.Go.Version)
	}
	for _, r := range mf.Require {
		m.Requires = append(m.Requires, r.Mod.Path)
	}
	return m
}

// artifacts lists the binaries the reachable stages build.
func artifacts(in *convert.Input, mod *goMod) []convert.Artifact {
	var out []convert.Artifact
	for _, st := range in.Reachable() {
		for _, rc := range in.Commands(st) {
			s := in.Script(rc.Instruction)
			for _, gb := range s.GoBuilds() {
				if gb.Cmd != rc.Command {
					continue
				}
				wd := in.WorkdirAt(st, rc.Instruction)
				name := binaryName(gb.Packages, mod, wd)
				var p string
				switch {
				case gb.Install:
					dir := "/go/bin"
					if v, ok := rc.Getenv("GOBIN"); ok {
						dir = v
					}
					if name == "" {
						continue
					}
					p = path.Join(dir, name)
				case gb.Output == "":
					if name == "" {
						continue
					}
					p = path.Join(wd, name)
				case strings.HasSuffix(gb.Output, "/"):
					if name == "" {
						continue
					}
					p = path.Join(convert.Absolute(wd, gb.Output), name)
				default:
					p = convert.Absolute(wd, gb.Output)
				}
				if strings.Contains(p, "$") {
					continue
				}
				out = append(out, convert.Artifact{Stage: st, Path: p, Run: rc})
			}
		}
	}
	return out
}

// binaryName is the name `go build` gives the binary of a package: its
// last path element, or the module's for ".".
func binaryName(pkgs []string, mod *goMod, workdir string) string {
	if len(pkgs) > 1 {
		return ""
	}
	pkg := "."
	if len(pkgs) == 1 {
		pkg = pkgs[0]
	}
	pkg = strings.TrimSuffix(pkg, "/...")
	if pkg == "." || pkg == "./" {
		if mod != nil && mod.Module != "" {
			return path.Base(mod.Module)
		}
		return ""
	}
	if strings.HasSuffix(pkg, ".go") {
		return strings.TrimSuffix(path.Base(pkg), ".go")
	}
	base := path.Base(pkg)
	if regexp.MustCompile(`^v\d+$`).MatchString(base) {
		base = path.Base(path.Dir(pkg))
	}
	return base
}

// cgoNeed reports whether the binary needs cgo and for which language.
type cgoNeed struct {
	Need      bool
	CPlusPlus bool
	Evidence  string
}

func needsCgo(in *convert.Input, a convert.Artifact, mod *goMod) cgoNeed {
	gb := buildOf(in, a)
	env := convert.EnvAt(a.Stage, a.Run.Instruction)
	cgo, set := a.Run.Getenv("CGO_ENABLED")
	if !set {
		cgo, set = env["CGO_ENABLED"]
	}
	if set && cgo == "1" {
		return cgoNeed{Need: true, Evidence: "the build sets CGO_ENABLED=1"}
	}
	if set && cgo == "0" {
		return cgoNeed{}
	}
	// cgo requires `import "C"` as its own import declaration.
	if f := in.Context.Find("*.go", `import "C"`); f != "" {
		return cgoNeed{Need: true, Evidence: fmt.Sprintf("%s imports \"C\"", f)}
	}
	if mod != nil {
		for _, r := range mod.Requires {
			if m := in.Catalog.CgoModule(r); m != nil && m.Lang != "none" {
				return cgoNeed{Need: true, CPlusPlus: m.Lang == "c++", Evidence: fmt.Sprintf("go.mod requires %s, which needs cgo", r)}
			}
		}
	}
	if gb != nil && gb.Tags != "" {
		for _, t := range strings.FieldsFunc(gb.Tags, func(r rune) bool { return r == ',' || r == ' ' }) {
			for _, ct := range in.Catalog.Go.CgoTags {
				if t == ct {
					return cgoNeed{Need: true, Evidence: fmt.Sprintf("the build uses -tags %s, which needs C code", t)}
				}
			}
		}
	}
	// C development packages installed in the build stage are evidence of
	// C dependencies.
	for _, rc := range in.Commands(a.Stage) {
		s := in.Script(rc.Instruction)
		for _, ai := range s.AptInstalls() {
			for _, p := range ai.Packages {
				if strings.HasPrefix(p, "lib") && strings.HasSuffix(p, "-dev") {
					return cgoNeed{Need: true, CPlusPlus: strings.Contains(p, "++") || strings.Contains(p, "rocksdb"), Evidence: fmt.Sprintf("the build stage installs %s", p)}
				}
			}
		}
	}
	return cgoNeed{}
}

func buildOf(in *convert.Input, a convert.Artifact) *goBuildView {
	s := in.Script(a.Run.Instruction)
	if s == nil {
		return nil
	}
	for _, gb := range s.GoBuilds() {
		if gb.Cmd == a.Run.Command {
			return &goBuildView{Tags: gb.Tags, Ldflags: gb.Ldflags, GOOS: gb.GOOS, GOARCH: gb.GOARCH}
		}
	}
	return nil
}

type goBuildView struct{ Tags, Ldflags, GOOS, GOARCH string }

var goVersion = regexp.MustCompile(`^(\d+\.\d+)`)

func convertGo(in *convert.Input) (*convert.Result, error) {
	p := in.NewPlan()
	prog, why := in.ResolveProgram(p.Runtime)
	if why != "" {
		return convert.Declinef([]string{"move the startup logic into the Go program (flags or environment variables) and use an exec-form ENTRYPOINT", "keep a shell-based image such as debian:trixie-slim in a multi-stage build"},
			"the image cannot run on distroless: %s", why), nil
	}
	argv := prog.Argv()
	if path.Base(argv[0]) == "go" {
		return convert.Declinef([]string{"build the binary with `go build -o /out/app` in a build stage and run /out/app"},
			"the image runs `go %s`, which compiles at start-up and needs the Go toolchain in the image", strings.Join(argv[1:], " ")), nil
	}
	mod := readGoMod(in)
	arts := artifacts(in, mod)
	loc, ok := in.LocateProgram(argv[0], p.Runtime.Workdir, arts)
	if !ok {
		return convert.Declinef([]string{"build the binary with an explicit output path (`go build -o /out/app ./cmd/app`) and run that path"},
			"distill cannot tell which `go build` produces %q, the program the image runs", argv[0]), nil
	}
	if d := runtimeToolsDecline(in); d != nil {
		return d, nil
	}
	builder := loc.Artifact.Stage
	need := needsCgo(in, loc.Artifact, mod)
	builderRef := builder.RootBase()
	builderImg := in.Image(builderRef)
	builderDebian, knownDebian := in.Catalog.ImageDebian(builderImg, builderRef.Tag)
	alpine := builderImg != nil && builderImg.IsAlpine(builderRef.Tag)

	runtimeDebian := in.Options.Debian
	family := "static"
	if need.Need {
		family = "base"
		if need.CPlusPlus {
			family = "cc"
		}
		if alpine {
			return convert.Declinef([]string{"build on golang:<version>-trixie (glibc) instead of Alpine so the cgo binary can run on base-debian13", "or drop the cgo dependency and build with CGO_ENABLED=0"},
				"the Go binary needs cgo (%s) and is built on Alpine: it links musl, which distroless (glibc) cannot run", need.Evidence), nil
		}
	}
	image := in.DistrolessRef(in.Catalog.DistrolessImage(family))

	// The builder image: a tag that never existed, or no usable version,
	// moves to a current Go on the runtime's Debian release.
	newBuilder := ""
	version := goVersion.FindString(builderRef.Tag)
	if builderImg != nil && builderImg.Kind == "go" {
		codename := in.Catalog.Codename(runtimeDebian)
		current := builderImg.Current[0]
		if mod != nil && catalog.CompareVersions(mod.Go, current) > 0 {
			current = mod.Go
		}
		switch {
		case !builderImg.TagExists(builderRef.Tag):
			newBuilder = fmt.Sprintf("golang:%s-%s", current, codename)
			p.Note(convert.Behavior, "%s never existed (%s); the build uses %s, a supported Go release (Go 1 compatibility keeps older code building; run go vet and the tests)", builderRef.Familiar(), builderImg.WhyNot, newBuilder)
		case builderRef.Tag == "" || builderRef.Tag == "latest":
			newBuilder = fmt.Sprintf("golang:%s-%s", current, codename)
			p.Note(convert.Change, "the builder is pinned to %s instead of the floating %s", newBuilder, builderRef.Familiar())
		case need.Need && knownDebian && builderDebian > runtimeDebian:
			newBuilder = fmt.Sprintf("golang:%s-%s", version, codename)
			p.Note(convert.Change, "the builder is pinned to Debian %d (%s) so the cgo binary's glibc is not newer than %s's", runtimeDebian, newBuilder, image)
		case need.Need && !strings.Contains(builderRef.Tag, "-") && version != "":
			if codename := in.Catalog.Codename(builderDebian); codename != "" && knownDebian {
				newBuilder = fmt.Sprintf("golang:%s-%s", version, codename)
				p.Note(convert.Change, "the builder is pinned to %s so a change of upstream's default Debian cannot break the cgo binary", newBuilder)
			}
		}
		if version != "" && catalog.CompareVersions(version, builderImg.Current[0]) < 0 && newBuilder == "" {
			p.Note(convert.Risk, "Go %s is no longer supported upstream; consider golang:%s-%s", version, builderImg.Current[0], in.Catalog.Codename(runtimeDebian))
		}
	}
	if newBuilder != "" {
		if builder == in.Target {
			p.TargetImage = newBuilder
		} else {
			p.SetBuilderImage(builder.RootFrom(), newBuilder)
		}
	}

	// Static by default: CGO_ENABLED=0 right before the build.
	if need.Need {
		p.Note(convert.Change, "cgo stays on (%s), so the binary is dynamically linked against glibc and runs on %s", need.Evidence, image)
	} else if cgo, set := cgoSetting(in, loc.Artifact); !set || cgo != "0" {
		p.Editor.InsertBefore(loc.Artifact.Run.Instruction.StartLine, convert.Keyword(in.File, "ENV")+" CGO_ENABLED=0")
		p.Note(convert.Change, "the Go build runs with CGO_ENABLED=0, so the binary is static and runs on %s (a cgo binary there fails with \"exec /app: no such file or directory\")", image)
	}
	if bv := buildOf(in, loc.Artifact); bv != nil && bv.Ldflags == "" {
		p.Note(convert.Risk, "consider `go build -trimpath -ldflags=\"-s -w\"` for a reproducible, about 25%% smaller binary")
	}
	spec := convert.BinarySpec{Image: image, Located: loc, Program: prog,
		RemovablePackage: func(pkg string) bool { return in.OnlyForHealthcheck(pkg) }}
	spec.ExtraCopies = runtimeFiles(in, p, loc)
	return p.ConvertBinary(spec)
}

// cgoSetting returns the CGO_ENABLED value the build command sees.
func cgoSetting(in *convert.Input, a convert.Artifact) (string, bool) {
	if v, ok := a.Run.Getenv("CGO_ENABLED"); ok {
		return v, true
	}
	if gb := buildOf(in, a); gb != nil && (gb.GOOS != "" || gb.GOARCH != "") {
		// Cross-compiling disables cgo unless CGO_ENABLED=1 says otherwise.
		return "0", true
	}
	v, ok := convert.EnvAt(a.Stage, a.Run.Instruction)["CGO_ENABLED"]
	return v, ok
}

// runtimeToolsDecline declines images that install tools the application
// may run at run time (curl, git, ffmpeg…), which distroless lacks.
func runtimeToolsDecline(in *convert.Input) *convert.Result {
	for _, st := range in.Chain {
		for _, rc := range in.Commands(st) {
			s := in.Script(rc.Instruction)
			for _, ai := range s.AptInstalls() {
				for _, pkg := range ai.Packages {
					if in.Catalog.IsRuntimeTool(pkg) && !in.OnlyForHealthcheck(pkg) {
						return convert.Declinef([]string{
							"if the application does not run " + pkg + " at run time, remove the install and run `distill fix` again",
							"keep debian:trixie-slim as the runtime in a multi-stage build",
						}, "the shipped image installs %s (line %d), a tool distroless does not have; the application may depend on it at run time", pkg, rc.Instruction.StartLine)
					}
				}
			}
		}
	}
	return nil
}

// runtimeDirs are directories a Go web application commonly reads at run
// time when they sit next to main.go.
var runtimeDirs = []string{"templates", "static", "public", "assets", "web", "views", "migrations", "locales", "i18n", "config", "configs"}

// runtimeFiles copies runtime directories the original image contained
// (through `COPY . <dir>`) into the final stage when the repository
// listing shows them; without a listing it says what to check.
func runtimeFiles(in *convert.Input, p *convert.Plan, loc *convert.Located) []string {
	var copyAll *dockerfile.Instruction
	var dest string
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From == "" && len(ins.Copy.Sources) == 1 && (ins.Copy.Sources[0] == "." || ins.Copy.Sources[0] == "./") {
				copyAll, dest = ins, convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
			}
		}
	}
	if copyAll == nil || loc.Copy != nil {
		return nil
	}
	if !in.Context.Known() {
		p.Note(convert.Risk, "the original image contained the whole source tree (line %d: `%s`); the new image contains only the binary. If the program reads files at run time (templates, static assets, config), add COPY lines for them", copyAll.StartLine, strings.TrimSpace(copyAll.Original))
		return nil
	}
	var out []string
	from := p.BuilderRef
	if from == "" {
		from = loc.Artifact.Stage.Ref()
	}
	for _, d := range runtimeDirs {
		if in.Context.Has(d) {
			pth := path.Join(dest, d)
			out = append(out, fmt.Sprintf("%s --from=%s %s %s", convert.Keyword(in.File, "COPY"), from, pth, pth))
			p.Note(convert.Change, "%s/ is copied too: programs commonly read it at run time", d)
		}
	}
	return out
}
