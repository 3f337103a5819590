// Package rust converts images that run a Rust binary (rulebook §3.5, §4.9,
// §6): a gnu-target binary links glibc and libgcc_s dynamically and runs on
// cc-debianNN, built on a rust image of the same or an older Debian; a musl
// target links statically and runs on static-debianNN. Crates that load
// system libraries the image does not ship (libpq through diesel, sqlite
// without `bundled`, librdkafka with dynamic-linking, …) are declined by
// name. It shares the native-binary flow of the C/C++ recipe.
package rust

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/convert/native"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Recipe is the Rust recipe.
var Recipe = &convert.Recipe{
	Name:         "rust",
	Detect:       detect,
	Convert:      convertRust,
	ContextFiles: contextFiles,
}

func detect(in *convert.Input) bool {
	if in.RootBase().Scratch {
		return false // already minimal: the touch-up recipe handles it
	}
	// An image that runs an interpreter (a Python app with a Rust
	// extension, a Node app with a Rust helper) belongs to that language.
	if prog, why := in.ResolveProgram(in.CollectRuntime()); why == "" {
		if b := path.Base(prog.Argv()[0]); b != "cargo" && in.Catalog.IsInterpreter(b) {
			return false
		}
	}
	if in.StageKinds(in.Reachable()...)["rust"] {
		return true
	}
	for _, c := range in.Commands(in.Reachable()...) {
		if _, ok := parseCargo(c.Command); ok {
			return true
		}
	}
	return false
}

// cargoBuild is a cargo command that produces binaries.
type cargoBuild struct {
	Install bool
	Bins    []string
	// Triples are the --target values ("" entries are unknown).
	Triples []string
	// Profile is the output directory name: release, debug or a custom
	// profile.
	Profile string
	// TargetDir is the --target-dir value as written.
	TargetDir string
	Root      string // cargo install --root
	Zig       bool
	Line      int
	Text      string
	// Triple is the target the located binary was built for ("" = host).
	Triple string
}

var zigGlibc = regexp.MustCompile(`^(.*-gnu[a-z]*)\.(\d+\.\d+)$`)

// parseCargo recognises cargo build/install commands (also through
// cargo-auditable, cargo-zigbuild and xx-cargo).
func parseCargo(c *shell.Command) (*cargoBuild, bool) {
	if !c.Is("cargo", "xx-cargo", "cargo-zigbuild", "cross") {
		return nil, false
	}
	args := c.Args
	for len(args) > 0 && strings.HasPrefix(args[0], "+") {
		args = args[1:] // +nightly
	}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "--release" {
		args = args[1:] // --locked before the subcommand, -v, …
	}
	if len(args) > 0 && args[0] == "auditable" {
		args = args[1:]
	}
	if len(args) == 0 {
		return nil, false
	}
	b := &cargoBuild{Profile: "debug", Text: c.String()}
	switch args[0] {
	case "build", "b", "rustc":
	case "zigbuild":
		b.Zig = true
	case "install":
		b.Install, b.Profile = true, "release"
	default:
		return nil, false
	}
	if c.Is("cargo-zigbuild") {
		b.Zig = true
	}
	if b.Install {
		// cargo install builds a crate from a path, git or crates.io; a
		// published tool (cargo install cargo-chef) is still a binary.
		if _, ok := flagValue(args, "--root"); ok {
			b.Root, _ = flagValue(args, "--root")
		}
		if slices.Contains(args, "--debug") {
			b.Profile = "debug"
		}
	}
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		next := func() string {
			if i+1 < len(rest) {
				i++
				return rest[i]
			}
			return ""
		}
		switch {
		case a == "--release" || a == "-r":
			if !b.Install {
				b.Profile = "release"
			}
		case a == "--profile":
			b.Profile = profileDir(next())
		case strings.HasPrefix(a, "--profile="):
			b.Profile = profileDir(strings.TrimPrefix(a, "--profile="))
		case a == "--target":
			b.Triples = append(b.Triples, next())
		case strings.HasPrefix(a, "--target="):
			b.Triples = append(b.Triples, strings.TrimPrefix(a, "--target="))
		case a == "--target-dir":
			b.TargetDir = next()
		case strings.HasPrefix(a, "--target-dir="):
			b.TargetDir = strings.TrimPrefix(a, "--target-dir=")
		case a == "--bin":
			b.Bins = append(b.Bins, next())
		case strings.HasPrefix(a, "--bin="):
			b.Bins = append(b.Bins, strings.TrimPrefix(a, "--bin="))
		case a == "--root" || a == "-p" || a == "--package" || a == "--path" || a == "--features" || a == "-F" || a == "-j" || a == "--jobs" || a == "--manifest-path" || a == "--git" || a == "--branch" || a == "--tag" || a == "--rev" || a == "--version" || a == "--example" || a == "--config" || a == "--message-format" || a == "--color" || a == "-Z":
			next()
		}
	}
	return b, true
}

func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
		if strings.HasPrefix(a, name+"=") {
			return strings.TrimPrefix(a, name+"="), true
		}
	}
	return "", false
}

func profileDir(p string) string {
	switch p {
	case "dev", "test":
		return "debug"
	case "bench":
		return "release"
	}
	return p
}

// recognizer reports the output directories of cargo builds.
func recognizer(in *convert.Input, facts *cargoFacts) native.Recognizer {
	return func(s native.Step) []native.Output {
		cb, ok := parseCargo(s.Command)
		if !ok {
			return nil
		}
		cb.Line = s.Instruction.StartLine
		env := convert.EnvAt(s.Stage, s.Instruction)
		getenv := func(k string) (string, bool) {
			if v, ok := s.Getenv(k); ok {
				return v, true
			}
			v, ok := env[k]
			return v, ok
		}
		var dirs []string
		if cb.Install {
			root := cb.Root
			if root == "" {
				if v, ok := getenv("CARGO_INSTALL_ROOT"); ok {
					root = v
				} else if v, ok := getenv("CARGO_HOME"); ok {
					root = v
				} else if v, ok := imageEnv(in, s.Stage, "CARGO_HOME"); ok {
					root = v
				} else {
					root = "/root/.cargo"
				}
			}
			if d := s.Abs(path.Join(root, "bin")); d != "" {
				dirs = append(dirs, d)
			}
		} else {
			targetDir := cb.TargetDir
			if targetDir == "" {
				if v, ok := getenv("CARGO_TARGET_DIR"); ok {
					targetDir = v
				} else if facts.Config != nil && facts.Config.Build.TargetDir != "" {
					targetDir = facts.Config.Build.TargetDir
				} else {
					targetDir = "target"
				}
			}
			triples := cb.Triples
			if len(triples) == 0 {
				if v, ok := getenv("CARGO_BUILD_TARGET"); ok {
					triples = []string{v}
				} else {
					triples = facts.configTargets()
				}
			}
			if s.Command.Is("xx-cargo") && len(triples) == 0 {
				triples = []string{"$(xx-cargo --print-target-triple)"}
			}
			if len(triples) == 0 {
				if d := s.Abs(path.Join(targetDir, cb.Profile)); d != "" {
					dirs = append(dirs, d)
				}
			}
			for _, t := range triples {
				t, ok := s.Expand(t)
				if !ok {
					continue
				}
				dirTriple := t
				if m := zigGlibc.FindStringSubmatch(t); m != nil {
					dirTriple = m[1]
				}
				if d := s.Abs(path.Join(targetDir, dirTriple, cb.Profile)); d != "" {
					c := *cb
					c.Triple = t
					dirs = append(dirs, d)
					cb = &c
				}
			}
		}
		var out []native.Output
		for _, d := range dirs {
			if len(cb.Bins) > 0 {
				for _, b := range cb.Bins {
					out = append(out, native.Output{Path: path.Join(d, b), Build: cb})
				}
				continue
			}
			out = append(out, native.Output{Path: d, Dir: true, Build: cb})
		}
		return out
	}
}

// imageEnv returns a variable the stage's base image sets (CARGO_HOME in
// the rust images), from the catalog.
func imageEnv(in *convert.Input, st *dockerfile.Stage, key string) (string, bool) {
	im := in.Image(st.RootBase())
	if im == nil {
		return "", false
	}
	for _, kv := range im.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key && v != "" {
			return v, true
		}
	}
	return "", false
}

func convertRust(in *convert.Input) (*convert.Result, error) {
	p := in.NewPlan()
	native.SupportedDebian(in, p)
	facts := readCargo(in)
	prog, why := in.ResolveProgram(p.Runtime)
	if why != "" {
		alts := []string{"start the binary directly with an exec-form ENTRYPOINT and move the startup logic into the program (flags or environment variables)"}
		if len(facts.Bins) > 0 {
			alts = append(alts, fmt.Sprintf("add `ENTRYPOINT [\"/usr/local/bin/%s\"]` after copying target/release/%s there", facts.Bins[0], facts.Bins[0]))
		}
		return convert.Declinef(alts, "the image cannot run on distroless: %s", why), nil
	}
	argv := prog.Argv()
	if path.Base(argv[0]) == "cargo" {
		return convert.Declinef([]string{"build the binary with `cargo build --release` in a build stage and run target/release/<name> from a distroless stage"},
			"the image runs `cargo %s`, which compiles at start-up and needs the Rust toolchain in the image", strings.Join(argv[1:], " ")), nil
	}
	outputs := native.Collect(in, in.Reachable(), recognizer(in, facts))
	cands := native.Candidates(in, outputs, argv[0], p.Runtime.Workdir)
	loc, out := native.Locate(in, argv[0], p.Runtime.Workdir, outputs, cands)
	if loc == nil {
		return convert.Declinef([]string{"build with `cargo build --release` and copy target/release/<name> (or the `cargo install --root /out` result) to the path the image runs"},
			"distill cannot tell which cargo build produces %q, the program the image runs", argv[0]), nil
	}
	if out.Ephemeral {
		return native.CacheMountDecline(out, loc.Artifact.Path), nil
	}
	cb := out.Build.(*cargoBuild)
	if bins, ok := facts.knownBins(in.Context); ok && out.Dir && !cb.Install && path.Dir(loc.Artifact.Path) == out.Path && !slices.Contains(bins, path.Base(loc.Artifact.Path)) {
		return convert.Declinef([]string{"copy target/<profile>/<name> with one of the binary names Cargo.toml defines, then run `distill fix` again"},
			"the image runs %s, but Cargo.toml builds %s: `%s` does not produce a binary of that name", path.Base(loc.Artifact.Path), strings.Join(bins, ", "), cb.Text), nil
	}
	builder := native.BuilderOf(in, out.Stage)
	rustflags := rustFlags(in, out, facts, cb.Triple)

	musl, alpinePackaged := false, false
	switch {
	case cb.Triple != "":
		musl = strings.Contains(cb.Triple, "musl")
	case builder.Alpine:
		musl = true
		alpinePackaged = builder.Image != nil && builder.Image.Kind == "os" // alpine + apk add cargo
	case !builder.Known() && builder.Image == nil:
		return convert.Declinef([]string{
			fmt.Sprintf("build on %s so the C library is known", catalog.Expand(in.Catalog.Rust.Builder, map[string]string{"codename": in.Catalog.Codename(in.Options.Debian)})),
			"check `readelf -V <binary> | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1` in the build image: it must not exceed glibc " + in.Catalog.Glibc(in.Options.Debian),
		}, "the binary is built on %s, an image whose C library distill does not know, so it cannot tell whether it runs on a Debian %d distroless image", builder.Ref.Familiar(), in.Options.Debian), nil
	}
	cachingNote(in, p, out, cb)
	if cb.Profile == "debug" {
		p.Note(convert.Risk, "the image ships a debug build (`%s` without --release): slower and larger than a release build", cb.Text)
	}
	if musl {
		if alpinePackaged || strings.Contains(rustflags, "-crt-static") {
			why := "RUSTFLAGS turn off crt-static"
			if alpinePackaged {
				why = "Alpine's own rust package links musl dynamically"
			}
			return convert.Declinef([]string{
				"build with the official rust:1-alpine image (or `--target x86_64-unknown-linux-musl`), whose musl target links statically, without -C target-feature=-crt-static",
				"or build for the gnu target on " + catalog.Expand(in.Catalog.Rust.Builder, map[string]string{"codename": in.Catalog.Codename(in.Options.Debian)}) + " and use " + in.Catalog.Ref(in.Catalog.Rust.GnuFamily, in.Options.Debian, "nonroot"),
			}, "%s is a musl binary linked dynamically (%s): it needs the musl loader /lib/ld-musl-*.so.1, which distroless images (glibc) do not have", loc.ImagePath, why), nil
		}
		t := native.NewTarget(in, in.Catalog.Rust.MuslFamily, true)
		target := cb.Triple
		if target == "" {
			target = "the musl host target of " + builder.Ref.Familiar()
		}
		p.Note(convert.Change, "the binary is built for %s, which links statically (crt-static), so it runs on %s", target, t.Image)
		return native.Finish(in, p, t, loc, prog)
	}

	// gnu target: glibc and libgcc_s, dynamically.
	t := native.NewTarget(in, in.Catalog.Rust.GnuFamily, false)
	var needs native.Needs
	needs.Add(in.Catalog.Library("glibc"), "")
	needs.Add(in.Catalog.Library("libgcc_s"), "Rust's standard library unwinds through libgcc_s")
	present, unknown := sysCrates(in, facts)
	devNeeds := native.DevNeeds(in, native.StageChain(out.Stage), in.Catalog.RustBuildOnlyDev)
	for _, crate := range sortedKeys(present) {
		dyn, marker := linksDynamically(in, facts, crate)
		sc := in.Catalog.RustSysCrate(crate)
		lib := in.Catalog.Library(sc.Library)
		if dyn && marker == "" && sc.Probe && !devNeeds.Has(lib.Name) && !builder.HasDevFiles(in.Catalog, lib) {
			if !lib.Ships(t.Family, t.Debian) {
				p.Note(convert.Change, "%s builds its own %s statically: %s has no %s development files", crate, lib.Name, builder.Ref.Familiar(), lib.Name)
			}
			continue
		}
		switch {
		case dyn && marker != "":
			needs.Add(lib, fmt.Sprintf("%s; %s links it dynamically", present[crate], marker))
		case dyn && sc.Probe:
			needs.Add(lib, fmt.Sprintf("%s, which links the system %s because the builder has its development files", present[crate], lib.Name))
		case dyn:
			needs.Add(lib, fmt.Sprintf("%s, which links it dynamically", present[crate]))
		case !lib.Ships(t.Family, t.Debian) && marker != "":
			p.Note(convert.Change, "%s links %s statically (%s), so the image does not need it", crate, lib.Name, marker)
		}
	}
	for _, n := range devNeeds {
		if facts.Lock != nil && n.Lib != nil && !lockLinks(in, facts, n.Lib.Name) && hasCrateFor(in, n.Lib.Name) {
			p.Note(convert.Change, "%s is ignored: no crate in Cargo.lock links %s", strings.TrimPrefix(n.Why, "the build installs "), n.Lib.Name)
			continue
		}
		if n.Lib != nil {
			needs.Add(n.Lib, n.Why)
		} else {
			needs.AddUnknown(n.Name, n.Why)
		}
	}
	if strings.Contains(rustflags, "+crt-static") {
		p.Note(convert.Change, "RUSTFLAGS link the C runtime statically (+crt-static); %s runs such a binary as well", t.Image)
	}
	if missing := needs.Missing(t.Family, t.Debian); len(missing) > 0 {
		return convert.Declinef(crateAlternatives(in, t, missing),
			"the binary loads shared libraries that %s does not have: %s", t.Image, missing.Describe()), nil
	}
	if d := fitRustBuilder(in, p, builder, t, cb); d != nil {
		return d, nil
	}
	p.Note(convert.Change, "the binary is built for the gnu target, so it links glibc and libgcc_s dynamically and runs on %s (base images lack libgcc_s)", t.Image)
	switch {
	case len(facts.Read) == 0:
		p.Note(convert.Risk, "without Cargo.toml and Cargo.lock distill cannot see crates that link system libraries (pq-sys through diesel, libsqlite3-sys without `bundled`, rdkafka with dynamic-linking, …): run `ldd %s` in the build stage — every library must be in %s (glibc, libgcc_s, libstdc++, libssl/libcrypto%s)", loc.Artifact.Path, t.Image, zlibNote(t.Debian))
	case len(unknown) > 0:
		p.Note(convert.Risk, "Cargo.lock has -sys crates distill does not know (%s): if one links a system library dynamically, check `ldd` on the binary — every library must be in %s", strings.Join(unknown, ", "), t.Image)
	}
	return native.Finish(in, p, t, loc, prog)
}

func zlibNote(debian int) string {
	if debian >= 13 {
		return ", libz, libzstd"
	}
	return ""
}

// lockLinks reports whether a crate in Cargo.lock links the library.
func lockLinks(in *convert.Input, f *cargoFacts, lib string) bool {
	for _, sc := range in.Catalog.Rust.SysCrates {
		if sc.Library == lib && f.Lock[sc.Crate] {
			return true
		}
	}
	return false
}

// hasCrateFor reports whether the catalog knows a -sys crate for the
// library (so Cargo.lock can rule it out).
func hasCrateFor(in *convert.Input, lib string) bool {
	for _, sc := range in.Catalog.Rust.SysCrates {
		if sc.Library == lib {
			return true
		}
	}
	return false
}

// crateAlternatives are the ways out for a binary that needs libraries the
// image lacks: the static feature of the crate, when one exists.
func crateAlternatives(in *convert.Input, t native.Target, missing native.Needs) []string {
	var alts []string
	for _, n := range missing {
		for _, sc := range in.Catalog.Rust.SysCrates {
			if n.Lib == nil || sc.Library != n.Lib.Name {
				continue
			}
			for _, m := range sc.StaticWhen {
				if strings.Contains(m, "/") {
					alts = append(alts, fmt.Sprintf("build %s statically: enable the `%s` feature (then the binary does not load %s)", n.Lib.Name, m, n.Lib.Name))
					break
				}
			}
			if len(sc.DynamicWhen) > 0 {
				alts = append(alts, fmt.Sprintf("drop the %s feature so %s builds its own static %s", strings.Join(sc.DynamicWhen, " / "), sc.Crate, n.Lib.Name))
			}
		}
	}
	alts = append(alts, fmt.Sprintf("build for x86_64-unknown-linux-musl (rust:1-alpine) with the libraries linked statically and use %s", in.Catalog.Ref(in.Catalog.Rust.MuslFamily, t.Debian, "nonroot")))
	return append(alts, native.LibraryAlternatives(in, t)[1:]...)
}

// rustFlags returns the RUSTFLAGS a build sees (environment, stage ENV and
// .cargo/config.toml).
func rustFlags(in *convert.Input, out *native.Output, f *cargoFacts, triple string) string {
	var parts []string
	env := convert.EnvAt(out.Stage, out.Step.Instruction)
	keys := []string{"RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS"}
	if triple != "" {
		keys = append(keys, "CARGO_TARGET_"+strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(triple))+"_RUSTFLAGS")
	}
	for _, k := range keys {
		if v, ok := out.Step.Getenv(k); ok {
			parts = append(parts, v)
		} else if v, ok := env[k]; ok {
			parts = append(parts, v)
		}
	}
	parts = append(parts, f.configRustflags(triple))
	return strings.Join(parts, " ")
}

// fitRustBuilder makes sure the gnu binary's glibc is not newer than the
// image's: rust images are pinned to (or moved to) the runtime's Debian
// release; other builders go through the shared Debian checks.
func fitRustBuilder(in *convert.Input, p *convert.Plan, b native.Builder, t native.Target, cb *cargoBuild) *convert.Result {
	cat := in.Catalog
	if m := zigGlibc.FindStringSubmatch(cb.Triple); m != nil && cb.Zig {
		if catalog.CompareVersions(m[2], cat.Glibc(t.Debian)) <= 0 {
			p.Note(convert.Change, "cargo zigbuild targets glibc %s, which %s (glibc %s) satisfies whatever the build image is", m[2], t.Image, cat.Glibc(t.Debian))
			return nil
		}
	}
	codename := cat.Codename(t.Debian)
	if b.Alpine {
		return convert.Declinef([]string{"build for the musl target on " + b.Ref.Familiar() + " (static) and use " + cat.Ref(cat.Rust.MuslFamily, t.Debian, "nonroot"),
			"or build for the gnu target on " + catalog.Expand(cat.Rust.Builder, map[string]string{"codename": codename})},
			"the binary is built for a gnu target on %s (Alpine), so distill cannot tell which glibc it links", b.Ref.Familiar())
	}
	if b.Image != nil && b.Image.Name == "rust" {
		tag := b.Ref.Tag
		slim := tag == "slim" || catalog.HasWord(tag, "slim")
		version := catalog.TagVersion(tag)
		if version == "" {
			version = "1"
		}
		rustTag := func(codename string) string {
			t := "rust:" + version
			if slim {
				t += "-slim"
			}
			return t + "-" + codename
		}
		switch {
		case !b.Image.TagExists(tag):
			newImage := rustTag(codename)
			setBuilder(in, p, b, newImage)
			p.Note(convert.Behavior, "%s never existed (%s); the build uses %s", b.Ref.Familiar(), b.Image.WhyNot, newImage)
			return nil
		case b.Ref.Digest != "" && !b.GlibcFits(cat, t.Debian):
			return convert.Declinef([]string{"pin the builder to the digest of " + rustTag(codename)},
				"the builder %s is pinned by digest to a Debian %d image; a binary built there needs glibc %s, newer than %s's %s", b.Ref.Familiar(), b.Debian, b.Glibc, t.Image, cat.Glibc(t.Debian))
		case !b.GlibcFits(cat, t.Debian):
			newImage := rustTag(codename)
			setBuilder(in, p, b, newImage)
			p.Note(convert.Change, "the builder moves from %s (Debian %d, glibc %s) to %s: a binary built there fails on %s (glibc %s) with \"version `GLIBC_2.39' not found\"-style errors",
				b.Ref.Familiar(), b.Debian, b.Glibc, newImage, t.Image, cat.Glibc(t.Debian))
			return nil
		case b.Ref.Digest == "" && !hasCodename(cat, tag) && (catalog.TagVersion(tag) == "" || tag == "1" || strings.HasPrefix(tag, "1-")):
			newImage := rustTag(cat.Codename(b.Debian))
			setBuilder(in, p, b, newImage)
			p.Note(convert.Change, "the builder is pinned to %s instead of the floating %s, so upstream moving rust:1 to a newer Debian cannot make the binary need a newer glibc than %s has", newImage, refWithTag(b.Ref), t.Image)
			return nil
		}
		return nil
	}
	if b.Image != nil && (b.Image.Name == "debian" || b.Image.Name == "buildpack-deps") {
		return native.FitGlibc(in, p, b, t)
	}
	if b.Image != nil && b.Debian != 0 && !hasCodename(cat, b.Ref.Tag) && b.Ref.Digest == "" && b.GlibcFits(cat, t.Debian) {
		p.Note(convert.Risk, "the builder tag %s names no Debian release: if upstream moves it to a release newer than Debian %d, the binary will need a newer glibc than %s has — prefer a tag that names %s", refWithTag(b.Ref), t.Debian, t.Image, codename)
	}
	if !b.Known() {
		return convert.Declinef([]string{
			fmt.Sprintf("build on %s so the glibc is known", catalog.Expand(cat.Rust.Builder, map[string]string{"codename": codename})),
			"check `readelf -V <binary> | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1` in the build image: it must not exceed glibc " + cat.Glibc(t.Debian),
		}, "the binary is built on %s, an image whose glibc distill does not know, so it cannot tell whether it runs on %s", b.Ref.Familiar(), t.Image)
	}
	if !b.GlibcFits(cat, t.Debian) {
		return convert.Declinef([]string{
			fmt.Sprintf("build on %s, the Debian release of %s", catalog.Expand(cat.Rust.Builder, map[string]string{"codename": codename}), t.Image),
			"use the Debian 13 images (images.debian: 13)",
		}, "the binary is built on %s (%s), whose glibc is newer than %s's %s: it would fail with \"version `GLIBC_…' not found\"", b.Ref.Familiar(), b.Describe(cat), t.Image, cat.Glibc(t.Debian))
	}
	return nil
}

func hasCodename(c *catalog.Catalog, tag string) bool {
	for _, w := range strings.Split(tag, "-") {
		if c.DebianByCodename(w) != 0 {
			return true
		}
	}
	return false
}

func refWithTag(r dockerfile.ImageRef) string {
	if r.Tag == "" && r.Digest == "" {
		return r.Familiar() + ":latest"
	}
	return r.Familiar()
}

func setBuilder(in *convert.Input, p *convert.Plan, b native.Builder, image string) {
	native.SetBuilder(in, p, b, image)
}

// cachingNote suggests caching dependencies when the build copies the
// whole source before its first cargo command.
func cachingNote(in *convert.Input, p *convert.Plan, out *native.Output, cb *cargoBuild) {
	if out.Step.Instruction.Run != nil {
		for _, m := range out.Step.Instruction.Run.Mounts {
			if m.Type == "cache" {
				return
			}
		}
	}
	for _, st := range native.StageChain(out.Stage) {
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindRun:
				if ins == out.Step.Instruction {
					return
				}
				if s := in.Script(ins); s != nil {
					for _, c := range s.Commands {
						if c.Is("cargo") && len(c.Args) > 0 && (c.Args[0] == "fetch" || c.Args[0] == "build" || c.Args[0] == "chef") {
							return // dependencies are built or fetched before the source arrives
						}
					}
				}
			case dockerfile.KindCopy:
				if ins.Copy.From != "" {
					continue
				}
				for _, s := range ins.Copy.Sources {
					if s == "." || s == "./" || strings.TrimSuffix(s, "/") == "src" {
						p.Note(convert.Risk, "line %d copies the source before the first cargo command, so every change rebuilds all dependencies: copy Cargo.toml and Cargo.lock first and build the dependencies in their own layer (cargo-chef), or use RUN --mount=type=cache for /usr/local/cargo/registry and the target directory (then copy the binary out in the same RUN)", ins.StartLine)
						return
					}
				}
			}
		}
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
