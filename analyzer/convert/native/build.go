package native

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// cBuild describes a C/C++ build step and what it tells about the binary.
type cBuild struct {
	// Kind is compile (a compiler driver producing an executable), make,
	// cmake, ninja or meson.
	Kind string
	// Lang is "c", "c++", or "" when the build does not say.
	Lang string
	// Static: linked with -static (glibc or musl).
	Static bool
	// StaticRuntime: -static-libstdc++ and -static-libgcc.
	StaticRuntime bool
	Musl          bool
	Links         []string // -l names
	PkgConfig     []string // pkg-config modules
	Pthread       bool
	OpenMP        bool
	// Line is the RUN instruction's first line.
	Line int
	// Text is the command, for notes.
	Text string
}

var (
	compilerName = regexp.MustCompile(`^(?:[a-z0-9_]+-)*(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|musl-gcc)(?:-\d+(?:\.\d+)*)?$`)
	cxxSource    = regexp.MustCompile(`\.(cc|cpp|cxx|c\+\+|C|cp|CPP)$`)
	pkgConfigRE  = regexp.MustCompile("(?:pkg-config|pkgconf)\\s+([^)`]*)")
)

// compilerKind returns "c", "c++" or "" for a program name.
func compilerKind(name string, env func(string) (string, bool)) (string, bool) {
	base := path.Base(name)
	if strings.HasPrefix(name, "$") {
		v := strings.Trim(strings.TrimPrefix(name, "$"), "{}")
		if val, ok := env(v); ok && val != "" && !strings.Contains(val, "$") {
			base = path.Base(strings.Fields(val)[0])
		} else {
			switch v {
			case "CC":
				return "c", true
			case "CXX":
				return "c++", true
			}
			return "", false
		}
	}
	m := compilerName.FindStringSubmatch(base)
	if m == nil {
		return "", false
	}
	switch m[1] {
	case "g++", "c++", "clang++":
		return "c++", true
	}
	return "c", true
}

// flagsOf reads linker-relevant flags from words (compiler arguments or
// LDFLAGS values).
func (b *cBuild) flagsOf(words []string) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-static" || w == "-static-pie" || w == "--static":
			b.Static = true
		case w == "-static-libstdc++":
			b.StaticRuntime = true
		case w == "-pthread" || w == "-lpthread":
			b.Pthread = true
		case w == "-fopenmp" || w == "-lgomp":
			b.OpenMP = true
		case w == "-l" && i+1 < len(words):
			b.Links = convert.AppendUnique(b.Links, words[i+1])
			i++
		case strings.HasPrefix(w, "-l") && len(w) > 2 && !strings.Contains(w, "$"):
			b.Links = convert.AppendUnique(b.Links, w[2:])
		case strings.HasPrefix(w, "-Wl,"):
			for _, part := range strings.Split(w[4:], ",") {
				if part == "-Bstatic" || part == "-static" {
					b.Static = true
				}
			}
		}
		for _, m := range pkgConfigRE.FindAllStringSubmatch(w, -1) {
			for _, f := range strings.Fields(m[1]) {
				if !strings.HasPrefix(f, "-") {
					b.PkgConfig = convert.AppendUnique(b.PkgConfig, f)
				}
			}
		}
	}
}

// envFlags applies LDFLAGS/LDLIBS/LIBS from the step and the stage's ENV.
func (b *cBuild) envFlags(s Step, extra map[string]string) {
	stageEnv := convert.EnvAt(s.Stage, s.Instruction)
	for _, k := range []string{"LDFLAGS", "LDLIBS", "LIBS", "CFLAGS", "CXXFLAGS"} {
		v, ok := extra[k]
		if !ok {
			v, ok = s.Getenv(k)
		}
		if !ok {
			v, ok = stageEnv[k]
		}
		if ok {
			b.flagsOf(strings.Fields(v))
		}
	}
	for _, k := range []string{"CC", "CXX"} {
		v, ok := extra[k]
		if !ok {
			v, ok = s.Getenv(k)
		}
		if !ok {
			v, ok = stageEnv[k]
		}
		if ok && strings.Contains(v, "musl") {
			b.Musl = true
		}
	}
}

// recognizer follows the C/C++ builds of a Dockerfile: compiler calls with
// their output, and make/cmake/ninja/meson builds with their build
// directories and install prefixes.
type recognizer struct {
	in *convert.Input
	// prefix is the install prefix configured per stage (./configure
	// --prefix, cmake -DCMAKE_INSTALL_PREFIX, meson --prefix).
	prefix map[*dockerfile.Stage]string
	// configured holds the flags of configured build directories.
	configured map[string]*cBuild
}

func newRecognizer(in *convert.Input) *recognizer {
	return &recognizer{in: in, prefix: map[*dockerfile.Stage]string{}, configured: map[string]*cBuild{}}
}

func (r *recognizer) stagePrefix(st *dockerfile.Stage) string {
	for _, s := range StageChain(st) {
		if p, ok := r.prefix[s]; ok {
			return p
		}
	}
	return "/usr/local"
}

func (r *recognizer) recognize(s Step) []Output {
	c := s.Command
	env := func(k string) (string, bool) {
		if v, ok := s.Getenv(k); ok {
			return v, true
		}
		v, ok := convert.EnvAt(s.Stage, s.Instruction)[k]
		return v, ok
	}
	b := &cBuild{Line: s.Instruction.StartLine, Text: c.String()}
	if lang, ok := compilerKind(c.Name, env); ok {
		return r.compile(s, b, lang)
	}
	vars := map[string]string{}
	var pos []string
	for _, a := range c.Args {
		if k, v, ok := strings.Cut(a, "="); ok && !strings.HasPrefix(a, "-") && k == strings.ToUpper(k) || strings.HasPrefix(a, "prefix=") {
			vars[k] = v
			continue
		}
		pos = append(pos, a)
	}
	switch {
	case c.Is("make", "gmake"):
		b.Kind = "make"
		dir := s.Dir
		if d, ok := c.Flag("-C", "--directory"); ok {
			dir = s.Abs(d)
		}
		if dir == "" {
			return nil
		}
		r.inherit(b, dir)
		b.envFlags(s, vars)
		if v, ok := vars["CC"]; ok {
			if l, ok := compilerKind(v, env); ok && l == "c++" {
				b.Lang = "c++"
			}
		}
		out := []Output{{Path: dir, Dir: true, Build: b}}
		if slices.Contains(pos, "install") {
			prefix := r.stagePrefix(s.Stage)
			if v, ok := vars["PREFIX"]; ok {
				prefix = v
			} else if v, ok := vars["prefix"]; ok {
				prefix = v
			}
			out = append(out, installDirs(vars["DESTDIR"], prefix, b)...)
		}
		return out
	case c.Is("cmake"):
		if d, ok := c.Flag("--build"); ok {
			dir := s.Abs(d)
			if dir == "" {
				return nil
			}
			b.Kind = "cmake"
			r.inherit(b, dir)
			b.envFlags(s, nil)
			return []Output{{Path: dir, Dir: true, Build: b}}
		}
		if d, ok := c.Flag("--install"); ok {
			dir := s.Abs(d)
			b.Kind = "cmake"
			r.inherit(b, dir)
			prefix := r.stagePrefix(s.Stage)
			if v, ok := c.Flag("--prefix"); ok {
				prefix = v
			}
			return installDirs("", prefix, b)
		}
		// Configure: cmake [-S src] [-B build] [src] -D…
		b.Kind = "cmake"
		build := s.Dir
		if d, ok := c.Flag("-B"); ok {
			build = s.Abs(d)
		}
		for _, a := range c.Args {
			if strings.HasPrefix(a, "-B") && len(a) > 2 {
				build = s.Abs(a[2:])
			}
			if k, v, ok := strings.Cut(strings.TrimPrefix(a, "-D"), "="); ok && strings.HasPrefix(a, "-D") {
				k, _, _ = strings.Cut(k, ":")
				switch k {
				case "CMAKE_EXE_LINKER_FLAGS":
					b.flagsOf(strings.Fields(v))
				case "CMAKE_INSTALL_PREFIX":
					r.prefix[s.Stage] = v
				case "CMAKE_CXX_COMPILER":
					b.Lang = "c++"
				}
			}
		}
		b.envFlags(s, nil)
		if build != "" {
			r.configured[build] = b
		}
		return nil
	case c.Is("ninja"):
		dir := s.Dir
		if d, ok := c.Flag("-C"); ok {
			dir = s.Abs(d)
		}
		if dir == "" {
			return nil
		}
		b.Kind = "ninja"
		r.inherit(b, dir)
		out := []Output{{Path: dir, Dir: true, Build: b}}
		if slices.Contains(c.Positionals("-C", "-j", "-f", "-l", "-k", "-t", "-d", "-w"), "install") {
			out = append(out, installDirs("", r.stagePrefix(s.Stage), b)...)
		}
		return out
	case c.Is("meson"):
		args := c.Positionals("-C", "--prefix", "-D", "--buildtype", "--default-library", "-j")
		if len(args) == 0 {
			return nil
		}
		switch args[0] {
		case "setup", "configure":
			if len(args) > 1 {
				b.Kind = "meson"
				if v, ok := c.Flag("--prefix"); ok {
					r.prefix[s.Stage] = v
				}
				if d := s.Abs(args[1]); d != "" {
					r.configured[d] = b
				}
			}
			return nil
		case "compile", "install":
			dir := s.Dir
			if d, ok := c.Flag("-C"); ok {
				dir = s.Abs(d)
			}
			if dir == "" {
				return nil
			}
			b.Kind = "meson"
			r.inherit(b, dir)
			if args[0] == "install" {
				return installDirs("", r.stagePrefix(s.Stage), b)
			}
			return []Output{{Path: dir, Dir: true, Build: b}}
		}
	case c.Base() == "configure":
		if v, ok := c.Flag("--prefix"); ok {
			r.prefix[s.Stage] = v
		}
		b.Kind = "configure"
		b.envFlags(s, vars)
		if s.Dir != "" {
			r.configured[s.Dir] = b
		}
	}
	return nil
}

// inherit copies the flags of the configure step of a build directory.
func (r *recognizer) inherit(b *cBuild, dir string) {
	if conf, ok := r.configured[dir]; ok {
		b.Static = b.Static || conf.Static
		b.StaticRuntime = b.StaticRuntime || conf.StaticRuntime
		b.Musl = b.Musl || conf.Musl
		if b.Lang == "" {
			b.Lang = conf.Lang
		}
		for _, l := range conf.Links {
			b.Links = convert.AppendUnique(b.Links, l)
		}
	}
}

func installDirs(destdir, prefix string, b *cBuild) []Output {
	if strings.Contains(prefix, "$") || !strings.HasPrefix(prefix, "/") {
		return nil
	}
	root := path.Join("/", destdir, prefix)
	return []Output{{Path: path.Join(root, "bin"), Dir: true, Build: b}, {Path: path.Join(root, "sbin"), Dir: true, Build: b}}
}

// compile handles a compiler driver call.
func (r *recognizer) compile(s Step, b *cBuild, lang string) []Output {
	c := s.Command
	b.Kind, b.Lang = "compile", lang
	if strings.Contains(c.Name, "musl") {
		b.Musl = true
	}
	out := ""
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case a == "-c" || a == "-E" || a == "-S" || a == "-shared" || a == "-M" || a == "-MM" || a == "--version" || a == "-v" || a == "-dumpmachine" || a == "-dumpversion":
			return nil
		case a == "-o" && i+1 < len(c.Args):
			out = c.Args[i+1]
			i++
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			out = a[2:]
		case cxxSource.MatchString(a):
			b.Lang = "c++"
		}
	}
	b.flagsOf(c.Args)
	b.envFlags(s, nil)
	if slices.Contains(b.Links, "stdc++") {
		b.Lang = "c++"
	}
	if out == "" {
		out = "a.out"
	}
	p := s.Abs(out)
	if p == "" {
		return nil
	}
	return []Output{{Path: p, Build: b}}
}
