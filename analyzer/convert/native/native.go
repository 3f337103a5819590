// Package native converts images that run a C or C++ program (rulebook
// §3.7): built with gcc, g++, clang, make, cmake, ninja or meson on gcc,
// buildpack-deps, Debian, Ubuntu or Alpine builders. A program linking only
// glibc runs on base-debianNN, one that needs the C++ runtime (or whose
// language distill cannot tell) on cc-debianNN, a statically linked one on
// static-debianNN. Anything else — musl-dynamic binaries, libraries the
// image does not ship, builders with a newer glibc or libstdc++ than the
// image, prebuilt binaries whose linking the Dockerfile does not show — is
// declined with what to check.
//
// The package also holds the native-binary helpers the Rust recipe shares:
// build output tracking (Collect, Candidates, Locate), builder analysis
// (BuilderOf), library needs (Needs, DevNeeds) and the common finish
// (Finish).
package native

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Recipe is the C/C++ recipe, the most generic native one: it is tried
// after the language recipes.
var Recipe = &convert.Recipe{
	Name:         "native",
	Detect:       detect,
	Convert:      convertNative,
	ContextFiles: contextFiles,
}

// otherLanguages are catalog kinds whose images build programs that are
// not C/C++ executables.
var otherLanguages = []string{"go", "rust", "python", "node", "java", "java-server", "dotnet", "ruby", "php", "perl", "elixir"}

func detect(in *convert.Input) bool {
	if in.RootBase().Scratch {
		return false
	}
	kinds := in.StageKinds(in.Reachable()...)
	for _, k := range otherLanguages {
		if kinds[k] {
			return false
		}
	}
	if hasNativeBuild(in) {
		return true
	}
	_, ok := prebuiltOf(in)
	return ok
}

// hasNativeBuild reports whether a reachable stage compiles C/C++.
func hasNativeBuild(in *convert.Input) bool {
	for _, st := range in.Reachable() {
		for _, rc := range in.Commands(st) {
			env := func(string) (string, bool) { return "", false }
			if _, ok := compilerKind(rc.Name, env); ok && !strings.HasPrefix(rc.Name, "$") {
				return true
			}
			if rc.Is("make", "gmake", "cmake", "ninja", "meson") || rc.Base() == "configure" {
				return true
			}
		}
	}
	return false
}

func convertNative(in *convert.Input) (*convert.Result, error) {
	p := in.NewPlan()
	SupportedDebian(in, p)
	prog, why := in.ResolveProgram(p.Runtime)
	if why != "" {
		return convert.Declinef([]string{"start the program directly with an exec-form ENTRYPOINT and move the startup logic into the program (flags or environment variables)", "keep a shell-based image such as debian:trixie-slim in a multi-stage build"},
			"the image cannot run on distroless: %s", why), nil
	}
	argv0 := prog.Argv()[0]
	if in.Catalog.IsInterpreter(path.Base(argv0)) {
		return convert.Declinef([]string{"build the program in a build stage and run the binary directly with an exec-form ENTRYPOINT"},
			"the image runs %s, which is not a compiled C/C++ program, and no other recipe recognised the image", strings.Join(prog.Argv(), " ")), nil
	}
	rec := newRecognizer(in)
	outputs := Collect(in, in.Reachable(), rec.recognize)
	cands := Candidates(in, outputs, argv0, p.Runtime.Workdir)
	loc, out := Locate(in, argv0, p.Runtime.Workdir, outputs, cands)
	if loc == nil {
		if pb, ok := prebuiltOf(in); ok {
			return convertPrebuilt(in, p, prog, pb)
		}
		return convert.Declinef([]string{"build the program with an explicit output (`gcc -o /out/app …`, or `make` + `COPY --from=build /src/app /app`) and run that path"},
			"distill cannot tell which build step produces %q, the program the image runs", argv0), nil
	}
	if out.Ephemeral {
		return CacheMountDecline(out, loc.Artifact.Path), nil
	}
	b := out.Build.(*cBuild)
	builder := BuilderOf(in, out.Stage)

	lang := b.Lang
	var facts sourceFacts
	if b.Kind != "compile" {
		facts = readSources(in, b)
		if lang == "" {
			lang = facts.Lang
		}
	}
	musl := b.Musl || builder.Alpine
	if musl && !b.Static {
		return convert.Declinef([]string{
			"link the program statically (add -static to LDFLAGS, e.g. `make LDFLAGS=-static`); a static musl binary runs on " + in.Catalog.Ref("static", in.Options.Debian, "nonroot"),
			"or build on debian:" + in.Catalog.Codename(in.Options.Debian) + " with build-essential, whose glibc distroless provides",
		}, "%s is built against musl (%s) and linked dynamically: it needs the musl loader /lib/ld-musl-*.so.1, which distroless images (glibc) do not have", loc.ImagePath, muslWhy(b, builder)), nil
	}
	if b.Static {
		t := NewTarget(in, "static", true)
		if musl {
			p.Note(convert.Change, "the program is linked statically against musl (%s), so it needs no C library and runs on %s", buildWhere(b), t.Image)
		} else {
			p.Note(convert.Change, "the program is linked statically (%s), so it needs no shared libraries and runs on %s", buildWhere(b), t.Image)
			p.Note(convert.Risk, "glibc programs linked with -static still load glibc's NSS and iconv modules at run time for getaddrinfo, getpwnam and character conversion; %s has no glibc, so those calls can fail (the linker warns about them). If it warned, use %s instead", t.Image, in.Catalog.Ref("base", in.Options.Debian, "nonroot"))
		}
		if b.Kind != "compile" {
			p.Note(convert.Risk, "-static reaches the link only if the %s build passes its LDFLAGS to the linker; confirm with `file %s` in the build stage that it says \"statically linked\" — a dynamic binary fails on %s with \"no such file or directory\"", b.Kind, loc.Artifact.Path, t.Image)
		}
		return Finish(in, p, t, loc, prog)
	}

	// Dynamically linked against glibc.
	debian := in.Options.Debian
	if !builder.Known() {
		return convert.Declinef([]string{
			fmt.Sprintf("build on debian:%s (or gcc, buildpack-deps:%s) so the C library is known", in.Catalog.Codename(debian), in.Catalog.Codename(debian)),
			"check `readelf -V <binary> | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1` in the build image: it must not exceed glibc " + in.Catalog.Glibc(debian),
		}, "the program is built on %s, an image whose C library distill does not know, so it cannot tell whether the binary runs on a Debian %d distroless image", builder.Ref.Familiar(), debian), nil
	}
	var needs Needs
	needs.Add(in.Catalog.Library("glibc"), "")
	ccOnly := false
	switch {
	case lang == "c++" && b.StaticRuntime:
		p.Note(convert.Change, "the C++ runtime is linked statically (-static-libstdc++), so the program needs only glibc")
	case lang == "c++":
		needs.Add(in.Catalog.Library("libstdc++"), "C++")
		needs.Add(in.Catalog.Library("libgcc_s"), "C++")
		ccOnly = true
	case lang == "":
		ccOnly = true
	}
	if b.Pthread && lang == "c" {
		needs.Add(in.Catalog.Library("libgcc_s"), "threads: glibc loads libgcc_s.so.1 for pthread_cancel and pthread_exit")
	}
	if b.OpenMP {
		needs.Add(in.Catalog.Library("libgomp"), "OpenMP")
	}
	for _, l := range b.Links {
		if lib := in.Catalog.LibraryByLink(l); lib != nil {
			needs.Add(lib, "-l"+l+", line "+fmt.Sprint(b.Line))
		} else {
			needs.AddUnknown("lib"+l, "-l"+l+", line "+fmt.Sprint(b.Line))
		}
	}
	for _, m := range b.PkgConfig {
		if lib := in.Catalog.LibraryByPkgConfig(m); lib != nil {
			needs.Add(lib, "pkg-config "+m+", line "+fmt.Sprint(b.Line))
		} else {
			needs.AddUnknown(m, "pkg-config "+m+", line "+fmt.Sprint(b.Line))
		}
	}
	if b.Kind != "compile" {
		for _, n := range facts.Needs {
			if n.Lib != nil {
				needs.Add(n.Lib, n.Why)
			} else {
				needs.AddUnknown(n.Name, n.Why)
			}
		}
		for _, n := range DevNeeds(in, StageChain(out.Stage), nil) {
			if n.Lib != nil {
				needs.Add(n.Lib, n.Why)
			} else {
				needs.AddUnknown(n.Name, n.Why)
			}
		}
	}
	family, missing := needs.Family(GlibcFamilies(ccOnly), debian)
	if family == "" {
		t := NewTarget(in, "cc", false)
		alts := LibraryAlternatives(in, t)
		for _, m := range missing {
			if m.Lib == nil && strings.HasPrefix(m.Why, "-l") {
				alts = append(alts, fmt.Sprintf("if %s is built by the project itself as a static archive (%s.a), the binary does not load it: check with `ldd` in the build stage and convert by hand", m.Name, m.Name))
			}
		}
		return convert.Declinef(alts,
			"the program loads shared libraries that %s does not have: %s", t.Image, missing.Describe()), nil
	}
	t := NewTarget(in, family, false)

	// The builder's glibc (and libstdc++) must not be newer than the image's.
	if d := fitBuilder(in, p, builder, t, lang, b); d != nil {
		return d, nil
	}
	switch {
	case family == "base":
		p.Note(convert.Change, "the program is C linked dynamically against glibc only (%s), so it runs on %s", buildWhere(b), t.Image)
	case lang == "":
		p.Note(convert.Change, "the program is linked dynamically against glibc; distill cannot tell whether it is C or C++, so it uses %s, which also has libstdc++ and libgcc_s (%s is enough for plain C)", t.Image, in.Catalog.Ref("base", debian, "nonroot"))
	default:
		p.Note(convert.Change, "the program needs %s, so it runs on %s", describeCC(needs), t.Image)
	}
	if b.Kind != "compile" && len(facts.Read) == 0 && !in.Context.Known() && builder.FullImage() {
		p.Note(convert.Risk, "%s comes with many development libraries (libcurl, libpq, libxml2, libsqlite3, …); if the build links one of them, the program fails on %s with \"cannot open shared object file\". Check with `ldd %s` in the build stage: every library must be glibc, libstdc++, libgcc_s, libgomp, libssl/libcrypto%s",
			builder.Ref.Familiar(), t.Image, loc.Artifact.Path, zlibNote(t.Debian))
	}
	return Finish(in, p, t, loc, prog)
}

// describeCC names the libraries that made the recipe pick cc, with the
// reason when it is not plain C++.
func describeCC(n Needs) string {
	var names []string
	for _, x := range n {
		switch {
		case x.Name == "glibc":
		case x.Why != "" && x.Why != "C++":
			names = convert.AppendUnique(names, x.Name+" ("+x.Why+")")
		default:
			names = convert.AppendUnique(names, x.Name)
		}
	}
	return strings.Join(names, ", ")
}

func zlibNote(debian int) string {
	if debian >= 13 {
		return ", libz or libzstd"
	}
	return ""
}

func muslWhy(b *cBuild, builder Builder) string {
	if builder.Alpine {
		return "the build stage is " + builder.Ref.Familiar()
	}
	return "line " + fmt.Sprint(b.Line)
}

func buildWhere(b *cBuild) string {
	if b.Kind == "compile" {
		return fmt.Sprintf("line %d", b.Line)
	}
	return fmt.Sprintf("%s build, line %d", b.Kind, b.Line)
}

// fitBuilder makes sure a glibc binary built on the builder runs on the
// target image: its glibc, and for C++ its libstdc++.
func fitBuilder(in *convert.Input, p *convert.Plan, b Builder, t Target, lang string, cb *cBuild) *convert.Result {
	cat := in.Catalog
	if d := FitGlibc(in, p, b, t); d != nil {
		return d
	}
	if !b.GlibcFits(cat, t.Debian) && b.Debian != 0 {
		b.Debian, b.GCC = t.Debian, cat.DebianGCC(t.Debian) // re-pinned
	}
	if t.Family == "cc" && lang != "c" && !cb.StaticRuntime && !b.CompilerFits(cat, t.Debian) {
		what := "the program is C++"
		if lang == "" {
			what = "distill cannot tell whether the program is C or C++"
		}
		return convert.Declinef([]string{
			"link the C++ runtime into the binary with -static-libstdc++ -static-libgcc and run `distill fix` again",
			fmt.Sprintf("build on debian:%s with build-essential (GCC %s, the libstdc++ of %s)", cat.Codename(t.Debian), cat.DebianGCC(t.Debian), t.Image),
		}, "%s and it is compiled by GCC %s (%s), whose libstdc++ is newer than the GCC %s one in %s: it would fail with \"version `GLIBCXX_…' not found\"",
			what, orUnknown(b.GCC), refWithTag(b.Ref), cat.DebianGCC(t.Debian), t.Image)
	}
	return nil
}

// FitGlibc makes sure a binary linked against the builder's glibc runs on
// the target image: debian and buildpack-deps builders are moved to the
// image's release when newer, and pinned when their tag floats; other
// builders with a newer glibc decline.
func FitGlibc(in *convert.Input, p *convert.Plan, b Builder, t Target) *convert.Result {
	cat := in.Catalog
	if !b.GlibcFits(cat, t.Debian) {
		newImage := ""
		if b.Debian != 0 {
			newImage = b.RepinDebian(cat, t.Debian)
		}
		if newImage == "" {
			alts := []string{
				fmt.Sprintf("build on debian:%s (glibc %s), the release of %s", cat.Codename(t.Debian), cat.Glibc(t.Debian), t.Image),
				"link the program statically and use " + cat.Ref("static", t.Debian, "nonroot"),
			}
			if t.Debian < 13 {
				alts = append(alts, "use the Debian 13 images (images.debian: 13)")
			}
			return convert.Declinef(alts, "the program is built on %s (%s), whose glibc is newer than the %s of %s: it would fail with \"version `GLIBC_…' not found\"",
				refWithTag(b.Ref), b.Describe(cat), cat.Glibc(t.Debian), t.Image)
		}
		setBuilder(in, p, b, newImage)
		p.Note(convert.Change, "the build stage moves from %s to %s: a binary built against glibc %s fails on %s (glibc %s) with \"version `GLIBC_…' not found\"",
			b.Ref.Familiar(), newImage, b.Glibc, t.Image, cat.Glibc(t.Debian))
		return nil
	}
	if b.Floating() {
		newImage := b.RepinDebian(cat, b.Debian)
		if newImage != "" && newImage != b.Ref.Familiar() {
			setBuilder(in, p, b, newImage)
			p.Note(convert.Change, "the build stage is pinned to %s instead of the floating %s, so a new Debian release cannot make the binary need a newer glibc than %s has", newImage, refWithTag(b.Ref), t.Image)
		}
	}
	if b.Ubuntu != nil {
		p.Note(convert.Change, "the program is built on Ubuntu %s (%s, glibc %s, GCC %s); that glibc and libstdc++ are not newer than %s's (glibc %s, GCC %s), so the binary runs there",
			b.Ubuntu.Version, b.Ubuntu.Codename, b.Ubuntu.Glibc, b.Ubuntu.GCC, t.Image, cat.Glibc(t.Debian), cat.DebianGCC(t.Debian))
	}
	return nil
}

// refWithTag renders an image reference with its implicit :latest.
func refWithTag(r dockerfile.ImageRef) string {
	if r.Tag == "" && r.Digest == "" {
		return r.Familiar() + ":latest"
	}
	return r.Familiar()
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// SetBuilder replaces the builder image: the shipped stage's own FROM is
// rewritten by the split, others directly. An image chosen through ARGs
// keeps them when only the tag's suffix changes.
func SetBuilder(in *convert.Input, p *convert.Plan, b Builder, image string) {
	if kept := keepArgs(in, b, image); kept != image {
		image = kept
		p.Note(convert.Risk, "the build stage's FROM keeps its build arguments (%s): a --build-arg value other than the default must name a version that has this tag", image)
	}
	if b.Stage == in.Target {
		p.TargetImage = image
		return
	}
	p.SetBuilderImage(b.Stage, image)
}

func setBuilder(in *convert.Input, p *convert.Plan, b Builder, image string) {
	SetBuilder(in, p, b, image)
}

// keepArgs rewrites a FROM written with ARGs (rust:${RUST_VERSION}-slim)
// into the new image by changing only what differs: a codename, or a
// suffix added to the tag.
func keepArgs(in *convert.Input, b Builder, image string) string {
	raw := b.Stage.From.From.Image
	if !strings.Contains(raw, "$") || b.Ref.Digest != "" {
		return image
	}
	_, newTag, ok := strings.Cut(dockerfile.ParseImageRef(image).Familiar(), ":")
	oldTag := b.Ref.Tag
	if !ok {
		return image
	}
	if strings.HasPrefix(newTag, oldTag) && oldTag != "" && dockerfile.ParseImageRef(image).Name() == b.Ref.Name() {
		return raw + newTag[len(oldTag):]
	}
	for _, w := range strings.Split(oldTag, "-") {
		if d := in.Catalog.DebianByCodename(w); d != 0 {
			for _, nw := range strings.Split(newTag, "-") {
				if nd := in.Catalog.DebianByCodename(nw); nd != 0 && strings.Count(raw, w) == 1 {
					return strings.Replace(raw, w, nw, 1)
				}
			}
		}
	}
	return image
}

// CacheMountDecline explains that the program (file, in the build stage)
// only exists inside a cache mount of the RUN that built it.
func CacheMountDecline(out *Output, file string) *convert.Result {
	return convert.Declinef([]string{"copy the binary out of the cache in the same RUN (`… && cp " + file + " /usr/local/bin/`) and COPY it from there"},
		"%s is built inside a RUN --mount=type=cache (line %d), which is gone when that RUN ends, so no later instruction can copy it", file, out.Step.Instruction.StartLine)
}

// prebuilt is a program the Dockerfile does not build: copied from the
// build context or another image, or downloaded.
type prebuilt struct {
	Instr *dockerfile.Instruction
	// How says where it comes from, for messages.
	How string
	// Source is the file name or URL.
	Source string
	Path   string
	Stage  *dockerfile.Stage
}

// prebuiltOf finds how the program the image runs got there when no build
// in the Dockerfile produced it.
func prebuiltOf(in *convert.Input) (*prebuilt, bool) {
	root := in.RootBase()
	im := in.Image(root)
	if im == nil || (im.Kind != "os" && im.Kind != "native") {
		return nil, false
	}
	for _, k := range otherLanguages {
		if in.StageKinds(in.Reachable()...)[k] {
			return nil, false
		}
	}
	rt := in.CollectRuntime()
	prog, why := in.ResolveProgram(rt)
	if why != "" || prog == nil {
		return nil, false
	}
	argv0 := prog.Argv()[0]
	if in.Catalog.IsInterpreter(path.Base(argv0)) || strings.HasSuffix(argv0, ".sh") {
		return nil, false
	}
	cands := convert.ProgramPath(rt.Workdir, argv0)
	isCand := func(p string) bool {
		for _, c := range cands {
			if c == p {
				return true
			}
		}
		return false
	}
	var found *prebuilt
	for _, st := range in.Chain {
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindCopy, dockerfile.KindAdd:
				wd := in.WorkdirAt(st, ins)
				for _, src := range ins.Copy.Sources {
					dst := convert.Absolute(wd, ins.Copy.Dest)
					if strings.HasSuffix(ins.Copy.Dest, "/") || len(ins.Copy.Sources) > 1 || ins.Copy.Dest == "." {
						dst = path.Join(dst, path.Base(src))
					}
					if !isCand(dst) {
						continue
					}
					pb := &prebuilt{Instr: ins, Source: src, Path: dst, Stage: st}
					switch {
					case ins.Copy.From != "" && in.File.Stage(ins.Copy.From) == nil:
						pb.How = "copied from the image " + ins.Copy.From + " (" + src
					case ins.Copy.From != "":
						continue // from a build stage: not prebuilt
					case strings.Contains(src, "://"):
						pb.How = "downloaded (" + src
					default:
						pb.How = "copied from the build context (" + src
					}
					found = pb
				}
			case dockerfile.KindRun:
				s := in.Script(ins)
				if s == nil {
					continue
				}
				wd := in.WorkdirAt(st, ins)
				for _, c := range s.Commands {
					var out string
					switch {
					case c.Is("curl"):
						out, _ = c.Flag("-o", "--output")
					case c.Is("wget"):
						out, _ = c.Flag("-O", "--output-document")
					}
					if out == "" || !isCand(convert.Absolute(wd, out)) {
						continue
					}
					url := ""
					for _, a := range c.Args {
						if strings.Contains(a, "://") {
							url = a
						}
					}
					found = &prebuilt{Instr: ins, How: "downloaded (" + url, Source: url, Path: convert.Absolute(wd, out), Stage: st}
				}
			}
		}
	}
	return found, found != nil
}

// convertPrebuilt converts a prebuilt binary whose file name says it is
// static, and declines every other one with the checks to run.
func convertPrebuilt(in *convert.Input, p *convert.Plan, prog *convert.Program, pb *prebuilt) (*convert.Result, error) {
	name := strings.ToLower(path.Base(pb.Source))
	debian := in.Options.Debian
	// Tools and libraries the image installs decline first: they are
	// missing whatever the binary's linking.
	if _, d := checkRuntime(in, &convert.Plan{In: in}, NewTarget(in, "cc", false)); d != nil {
		return d, nil
	}
	if strings.Contains(name, "static") {
		loc, ok := in.LocateProgram(prog.Argv()[0], p.Runtime.Workdir, []convert.Artifact{{Stage: pb.Stage, Path: pb.Path}})
		if ok {
			t := NewTarget(in, "static", true)
			p.Note(convert.Change, "%s is a prebuilt binary whose name says it is statically linked (line %d), so it runs on %s", pb.Path, pb.Instr.StartLine, t.Image)
			p.Note(convert.Risk, "confirm with `file %s` in the original image: it must say \"statically linked\"; a dynamically linked binary fails on %s with \"no such file or directory\"", pb.Path, t.Image)
			return Finish(in, p, t, loc, prog)
		}
	}
	return convert.Declinef([]string{
		fmt.Sprintf("run `file %s` in the current image: if it says \"statically linked\", the image can be FROM %s with the same COPY and an exec-form ENTRYPOINT", pb.Path, in.Catalog.Ref("static", debian, "nonroot")),
		fmt.Sprintf("if it is dynamically linked against glibc, run `ldd %s`: when it lists only libc, libm, libpthread, libdl, librt, libssl and libcrypto, %s fits (add libstdc++, libgcc_s and libgomp for %s), provided it needs no glibc newer than %s (`readelf -V`)",
			pb.Path, in.Catalog.Ref("base", debian, "nonroot"), in.Catalog.Ref("cc", debian, "nonroot"), in.Catalog.Glibc(debian)),
		"an interpreter of /lib/ld-musl-* (built for Alpine) cannot run on distroless: use a static or glibc build of the program",
		"or build the program from source in a build stage so distill can see how it is linked",
	}, "the image runs %s, a prebuilt binary %s, line %d): the Dockerfile does not build it, so distill cannot tell whether it is statically linked or which shared libraries it loads",
		pb.Path, pb.How, pb.Instr.StartLine), nil
}
