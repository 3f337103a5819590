package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// This file reads what build stages produce: Go binaries (and whether cgo
// makes them dynamic), Rust binaries, and native compiles.

// cgoState is whether cgo is on for a go build.
type cgoState int

const (
	cgoUnknown cgoState = iota
	cgoOff
	cgoOn
)

// goBuild is a `go build` / `go install` in a stage.
type goBuild struct {
	Stage *dockerfile.Stage
	Run   *dockerfile.Instruction
	Cmd   shell.GoBuild
	// Output is the absolute path (a pattern with * for variables and
	// unknown names) of the binary.
	Output string
	Cgo    cgoState
	// CgoWhy explains the cgo state: "CGO_ENABLED is not set and
	// golang:1.26 ships gcc".
	CgoWhy string
	// Musl is true when the builder is Alpine.
	Musl bool
	// Static is true when flags make the binary static although cgo is on
	// (-extldflags -static, or the netgo and osusergo tags).
	Static bool
	// CgoEvidence names something that shows the code needs cgo.
	CgoEvidence string
}

// goBuildsIn returns the go builds of a stage and the stages it is built
// FROM.
func goBuildsIn(p *analysis.Pass, st *dockerfile.Stage) []goBuild {
	var out []goBuild
	for _, s := range stageLineage(st) {
		for _, in := range s.All(dockerfile.KindRun) {
			sc, err := p.Script(in)
			if err != nil || sc == nil {
				continue
			}
			for _, gb := range sc.GoBuilds() {
				out = append(out, describeGoBuild(p, s, in, gb))
			}
		}
	}
	return out
}

var goVersionTag = regexp.MustCompile(`^\d+\.\d+`)

func describeGoBuild(p *analysis.Pass, st *dockerfile.Stage, in *dockerfile.Instruction, gb shell.GoBuild) goBuild {
	state := stateAt(st, in)
	b := goBuild{Stage: st, Run: in, Cmd: gb}
	root := st.RootBase()
	b.Musl = isMusl(root)
	b.Output = goOutput(gb, state)
	// lookup returns a variable as the go command sees it: the value,
	// whether it is known (no unresolved variables or build args), and
	// whether it is set at all.
	lookup := func(name string) (string, bool, bool) {
		if v, ok := gb.Cmd.Getenv(name); ok {
			v = expandVars(v, state.Env)
			return v, !hasVar(v), true
		}
		if state.Unset[name] {
			return "", false, true
		}
		if v, ok := state.Env[name]; ok {
			return v, !hasVar(v), true
		}
		return "", true, false
	}
	cgo, known, set := lookup("CGO_ENABLED")
	if !set {
		cgo, known, set = goEnvFile(p, st, in)
	}
	tags := strings.FieldsFunc(gb.Tags, func(r rune) bool { return r == ',' || r == ' ' })
	hasTag := func(t string) bool {
		for _, x := range tags {
			if x == t {
				return true
			}
		}
		return false
	}
	if strings.Contains(gb.Ldflags, "-extldflags") && strings.Contains(gb.Ldflags, "-static") || hasTag("netgo") && hasTag("osusergo") {
		b.Static = true
	}
	for _, t := range cat.Go.CgoTags {
		if hasTag(t) && t != "netgo" && t != "osusergo" {
			b.CgoEvidence = "the build tag " + t
		}
	}
	if strings.Contains(gb.Ldflags, "-linkmode") && strings.Contains(gb.Ldflags, "external") {
		b.CgoEvidence = "-ldflags -linkmode external"
	}
	if b.CgoEvidence == "" {
		if pkg := cCompilerInstalled(p, st, in); pkg != "" {
			b.CgoEvidence = "the C toolchain installed in " + st.Describe() + " (" + pkg + ")"
		}
	}
	switch {
	case set && !known:
		b.Cgo, b.CgoWhy = cgoUnknown, "CGO_ENABLED comes from a build argument"
		return b
	case set && cgo == "0":
		b.Cgo, b.CgoWhy = cgoOff, "CGO_ENABLED=0"
		return b
	case set && cgo == "1":
		b.Cgo, b.CgoWhy = cgoOn, "CGO_ENABLED=1"
		if b.CgoEvidence == "" {
			b.CgoEvidence = "CGO_ENABLED=1"
		}
		return b
	case set:
		b.Cgo, b.CgoWhy = cgoUnknown, "CGO_ENABLED="+cgo
		return b
	}
	// Not set: cgo is off when cross-compiling.
	goos, _, _ := lookup("GOOS")
	goarch, _, _ := lookup("GOARCH")
	buildArch := "amd64"
	if goos != "" && !hasVar(goos) && goos != "linux" {
		b.Cgo, b.CgoWhy = cgoOff, "GOOS="+goos+" cross-compiles"
		return b
	}
	if goarch != "" && !hasVar(goarch) && goarch != buildArch {
		b.Cgo, b.CgoWhy = cgoOff, "GOARCH="+goarch+" cross-compiles"
		return b
	}
	im := lookupImage(root)
	cross := ""
	if goarch != "" {
		cross = " (GOARCH=" + goarch + " disables cgo only when it differs from the builder's own architecture)"
	}
	switch {
	case im != nil && im.Kind == "go" && im.HasCCompiler(root.Tag):
		b.Cgo, b.CgoWhy = cgoOn, "CGO_ENABLED is not set and "+root.Familiar()+" ships gcc, so cgo is on"+cross
	case b.CgoEvidence != "" && strings.HasPrefix(b.CgoEvidence, "the C toolchain"):
		b.Cgo, b.CgoWhy = cgoOn, "CGO_ENABLED is not set and "+b.CgoEvidence+" turns cgo on"+cross
	case im != nil && im.Kind == "go" && goAtLeast(root.Tag, cat.Go.CgoOffWithoutCompilerSince):
		b.Cgo, b.CgoWhy = cgoOff, root.Familiar()+" has no C compiler, so cgo is off"
	default:
		b.Cgo, b.CgoWhy = cgoUnknown, "CGO_ENABLED is not set"
	}
	return b
}

// goAtLeast reports whether a golang tag's version is at least min; tags
// without a version (alpine, latest) are current releases.
func goAtLeast(tag, min string) bool {
	v := goVersionTag.FindString(tag)
	if v == "" {
		return catalog.TagVersion(tag) == ""
	}
	return catalog.CompareVersions(v, min) >= 0
}

// goEnvFile finds `go env -w CGO_ENABLED=…` before in in the stage lineage.
func goEnvFile(p *analysis.Pass, st *dockerfile.Stage, upto *dockerfile.Instruction) (string, bool, bool) {
	val, set := "", false
	for _, s := range stageLineage(st) {
		for _, in := range s.All(dockerfile.KindRun) {
			if in == upto {
				return val, true, set
			}
			sc, _ := p.Script(in)
			if sc == nil {
				continue
			}
			for _, c := range sc.Commands {
				if !c.Is("go") || len(c.Args) < 3 || c.Args[0] != "env" || c.Args[1] != "-w" {
					continue
				}
				for _, a := range c.Args[2:] {
					if v, ok := strings.CutPrefix(a, "CGO_ENABLED="); ok {
						val, set = v, true
					}
				}
			}
		}
	}
	return val, true, set
}

// cCompilerInstalled returns a C toolchain package installed (apt-get or
// apk) before in in the stage lineage, or "".
func cCompilerInstalled(p *analysis.Pass, st *dockerfile.Stage, upto *dockerfile.Instruction) string {
	for _, s := range stageLineage(st) {
		for _, in := range s.All(dockerfile.KindRun) {
			if in == upto {
				return ""
			}
			for _, pkg := range installedPackages(p, in) {
				switch pkg {
				case "gcc", "g++", "clang", "build-essential", "build-base", "musl-dev", "libc6-dev", "libc-dev":
					return pkg
				}
			}
		}
	}
	return ""
}

// installedPackages returns the packages a RUN installs with apt-get, apt
// or apk.
func installedPackages(p *analysis.Pass, in *dockerfile.Instruction) []string {
	sc, _ := p.Script(in)
	if sc == nil {
		return nil
	}
	var out []string
	for _, ai := range sc.AptInstalls() {
		out = append(out, ai.Packages...)
	}
	for _, c := range sc.Commands {
		if c.Is("apk") {
			pos := c.Positionals("-X", "--repository", "-t", "--virtual")
			if len(pos) > 0 && pos[0] == "add" {
				out = append(out, pos[1:]...)
			}
		}
	}
	return out
}

// goOutput computes where a go build writes its binary.
func goOutput(gb shell.GoBuild, st stageState) string {
	wd := st.Workdir
	if gb.Install {
		bin := "/go/bin"
		if v, ok := st.Env["GOBIN"]; ok && v != "" {
			bin = v
		} else if v, ok := st.Env["GOPATH"]; ok && v != "" {
			bin = path.Join(v, "bin")
		}
		return path.Join(bin, "*")
	}
	out := gb.Output
	if out == "" {
		name := "*"
		if len(gb.Packages) == 1 && gb.Packages[0] != "." && !strings.Contains(gb.Packages[0], "...") {
			name = path.Base(gb.Packages[0])
		}
		return path.Join(wd, name)
	}
	out = expandVars(out, st.Env)
	out = varRef.ReplaceAllString(out, "*")
	if !path.IsAbs(out) {
		out = path.Join(wd, out)
	}
	if strings.HasSuffix(gb.Output, "/") {
		return path.Join(out, "*")
	}
	return path.Clean(out)
}

// copiesOutput reports whether a COPY source takes a build output.
func copiesOutput(src, output string) bool {
	if output == "" {
		return false
	}
	if covers(src, output) {
		return true
	}
	if ok, _ := path.Match(output, src); ok {
		return true
	}
	// A directory pattern ("/out/*") is copied by its directory.
	if strings.HasSuffix(output, "/*") && src == strings.TrimSuffix(output, "/*") {
		return true
	}
	return false
}

// cargoBuild is a cargo build or install in a stage.
type cargoBuild struct {
	Stage  *dockerfile.Stage
	Run    *dockerfile.Instruction
	Cmd    *shell.Command
	Target string // --target triple, "" for the host (gnu)
	Static bool   // musl target or +crt-static
}

func cargoBuildsIn(p *analysis.Pass, st *dockerfile.Stage) []cargoBuild {
	var out []cargoBuild
	for _, s := range stageLineage(st) {
		for _, rc := range p.Commands(s) {
			if !rc.Is("cargo") || len(rc.Args) == 0 || (rc.Args[0] != "build" && rc.Args[0] != "install" && rc.Args[0] != "auditable") {
				continue
			}
			cb := cargoBuild{Stage: s, Run: rc.Instruction, Cmd: rc.Command}
			cb.Target, _ = rc.Flag("--target")
			state := stateAt(s, rc.Instruction)
			if cb.Target == "" {
				cb.Target = state.Env["CARGO_BUILD_TARGET"]
			}
			flags, _ := rc.Getenv("RUSTFLAGS")
			if flags == "" {
				flags = state.Env["RUSTFLAGS"]
			}
			// Rust's musl targets link statically by default, also when
			// the host itself is Alpine.
			cb.Static = strings.Contains(cb.Target, "musl") || strings.Contains(flags, "crt-static") ||
				(cb.Target == "" && isMusl(s.RootBase()))
			out = append(out, cb)
		}
	}
	return out
}

// copiesCargoOutput reports whether a COPY source takes a cargo binary.
func copiesCargoOutput(src string, cb cargoBuild) bool {
	if cb.Cmd.Args[0] == "install" {
		return strings.Contains(src, "/cargo/bin") || strings.HasPrefix(src, "/usr/local/bin") || strings.HasPrefix(src, "/root/.cargo/bin")
	}
	return strings.Contains(src+"/", "/target/") || strings.HasSuffix(src, "/target")
}

// nativeCompiler returns a command in the stage lineage that compiles C or
// C++ (gcc, g++, cc, clang, make, cmake), or nil.
func nativeCompile(p *analysis.Pass, st *dockerfile.Stage) *analysis.RunCommand {
	for _, s := range stageLineage(st) {
		for _, rc := range p.Commands(s) {
			if rc.Is("gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja", "meson", "musl-gcc") {
				rc := rc
				return &rc
			}
		}
	}
	return nil
}

// dataFile reports whether a copied path is obviously not a native binary.
func dataFile(src string) bool {
	switch strings.ToLower(path.Ext(src)) {
	case ".json", ".yaml", ".yml", ".toml", ".txt", ".md", ".html", ".htm", ".css", ".js", ".mjs", ".cjs", ".map",
		".py", ".rb", ".php", ".jar", ".war", ".ear", ".class", ".conf", ".cfg", ".ini", ".xml", ".properties",
		".pem", ".crt", ".key", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf",
		".csv", ".sql", ".env", ".lock", ".sh", ".tmpl", ".tpl":
		return true
	}
	return false
}
