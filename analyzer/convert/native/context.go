package native

import (
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
)

// contextFiles are the build files the C/C++ recipe reads.
var contextFiles = []string{"Makefile", "makefile", "GNUmakefile", "CMakeLists.txt", "meson.build"}

// sourceFacts is what the repository says about a C/C++ program.
type sourceFacts struct {
	// Lang is "c" when only C sources exist, "c++" when any C++ source or
	// C++ build rule does, "" when unknown.
	Lang  string
	Needs Needs
	// Read lists the files the facts come from.
	Read []string
}

var (
	linkFlag       = regexp.MustCompile(`(?:^|[\s'"(])-l([A-Za-z0-9_+.-]+)`)
	findPackage    = regexp.MustCompile(`(?i)find_package\s*\(\s*([A-Za-z0-9_]+)`)
	pkgCheck       = regexp.MustCompile(`(?i)pkg_(?:check|search)_modules?\s*\(([^)]*)\)`)
	targetLink     = regexp.MustCompile(`(?is)target_link_libraries\s*\(([^)]*)\)`)
	projectLangs   = regexp.MustCompile(`(?is)project\s*\(([^)]*)\)`)
	mesonLang      = regexp.MustCompile(`(?is)project\s*\(([^)]*)\)`)
	mesonDep       = regexp.MustCompile(`dependency\s*\(\s*'([^']+)'`)
	makeUsesCXX    = regexp.MustCompile(`\$[({]CXX[)}]|\bg\+\+|\bclang\+\+|\.(cpp|cc|cxx)\b`)
	cmakeUsesCXX   = regexp.MustCompile(`(?i)\benable_language\s*\(\s*CXX|\.(cpp|cc|cxx|hpp)\b|CMAKE_CXX_STANDARD`)
	cmakeThreads   = regexp.MustCompile(`(?i)Threads::Threads|find_package\s*\(\s*Threads`)
	cmakeOpenMP    = regexp.MustCompile(`(?i)OpenMP::|find_package\s*\(\s*OpenMP`)
	cmakeStaticExe = regexp.MustCompile(`(?i)(CMAKE_EXE_LINKER_FLAGS|target_link_options|add_link_options)[^)]*[\s"(]-static(?:["'\s)]|$)`)
	// makeLinkLine is a Makefile line that links: an assignment to a
	// *LIBS/*LDFLAGS/*LDADD variable, or a recipe line running a compiler.
	makeLinkLine = regexp.MustCompile(`^\s*[A-Za-z_]*(LIBS|LDFLAGS|LDADD|LDLIBS)\s*[:+?!]?=|^\t.*(\$[({](CC|CXX|LD)[)}]|\b(gcc|g\+\+|clang|clang\+\+|cc|c\+\+)\b)`)
)

// readSources gathers what the context says about the program's language
// and libraries. The facts apply to builds (make, cmake, …) whose own
// command line does not say.
func readSources(in *convert.Input, b *cBuild) sourceFacts {
	var f sourceFacts
	ctx := in.Context
	lang := ""
	setCXX := func() { lang = "c++" }
	if ctx.Known() {
		hasC, hasCXX := false, false
		for _, p := range ctx.Paths {
			switch {
			case cxxSource.MatchString(p) || strings.HasSuffix(p, ".hpp"):
				hasCXX = true
			case strings.HasSuffix(p, ".c"):
				hasC = true
			}
		}
		switch {
		case hasCXX:
			lang = "c++"
		case hasC:
			lang = "c"
		}
	}
	for _, name := range contextFiles {
		data, ok := ctx.Read(name)
		if !ok {
			continue
		}
		text := string(data)
		f.Read = append(f.Read, name)
		switch {
		case strings.EqualFold(path.Ext(name), ".txt"): // CMakeLists.txt
			if cmakeUsesCXX.MatchString(text) {
				setCXX()
			} else if m := projectLangs.FindStringSubmatch(text); m != nil && lang == "" {
				up := strings.ToUpper(m[1])
				if strings.Contains(up, "CXX") {
					setCXX()
				} else if regexp.MustCompile(`\bC\b`).MatchString(up) {
					lang = "c"
				}
			}
			if cmakeThreads.MatchString(text) {
				b.Pthread = true
			}
			if cmakeOpenMP.MatchString(text) {
				b.OpenMP = true
			}
			if cmakeStaticExe.MatchString(text) {
				b.Static = true
			}
			for _, m := range findPackage.FindAllStringSubmatch(text, -1) {
				if lib := in.Catalog.LibraryByCMake(m[1]); lib != nil {
					f.Needs.Add(lib, "find_package("+m[1]+") in "+name)
				}
			}
			for _, m := range pkgCheck.FindAllStringSubmatch(text, -1) {
				fields := strings.Fields(m[1])
				for _, mod := range fields[1:] {
					if mod == "REQUIRED" || mod == "QUIET" || mod == "IMPORTED_TARGET" || mod == "GLOBAL" {
						continue
					}
					mod, _, _ = strings.Cut(mod, ">")
					mod, _, _ = strings.Cut(mod, "=")
					if lib := in.Catalog.LibraryByPkgConfig(mod); lib != nil {
						f.Needs.Add(lib, "pkg_check_modules("+mod+") in "+name)
					}
				}
			}
			for _, m := range targetLink.FindAllStringSubmatch(text, -1) {
				fields := strings.Fields(m[1])
				for _, w := range fields[1:] {
					switch {
					case w == "PRIVATE" || w == "PUBLIC" || w == "INTERFACE" || strings.HasPrefix(w, "$"):
					case strings.Contains(w, "::"):
						pkg, _, _ := strings.Cut(w, "::")
						if lib := in.Catalog.LibraryByCMake(pkg); lib != nil {
							f.Needs.Add(lib, w+" in "+name)
						}
					default:
						if lib := in.Catalog.LibraryByLink(strings.TrimPrefix(w, "-l")); lib != nil {
							f.Needs.Add(lib, w+" in "+name)
						}
					}
				}
			}
		case name == "meson.build":
			if m := mesonLang.FindStringSubmatch(text); m != nil && lang == "" {
				if strings.Contains(m[1], "'cpp'") {
					setCXX()
				} else if strings.Contains(m[1], "'c'") {
					lang = "c"
				}
			}
			for _, m := range mesonDep.FindAllStringSubmatch(text, -1) {
				switch m[1] {
				case "threads":
					b.Pthread = true
				case "openmp":
					b.OpenMP = true
				default:
					if lib := in.Catalog.LibraryByPkgConfig(m[1]); lib != nil {
						f.Needs.Add(lib, "dependency('"+m[1]+"') in "+name)
					}
				}
			}
		default: // Makefile
			if makeUsesCXX.MatchString(text) {
				setCXX()
			}
			tmp := &cBuild{}
			for _, line := range strings.Split(text, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "#") || !makeLinkLine.MatchString(line) {
					continue
				}
				for _, m := range linkFlag.FindAllStringSubmatch(line, -1) {
					tmp.Links = convert.AppendUnique(tmp.Links, m[1])
				}
				tmp.flagsOf(strings.Fields(line))
			}
			b.Pthread = b.Pthread || tmp.Pthread
			b.OpenMP = b.OpenMP || tmp.OpenMP
			b.Static = b.Static || tmp.Static
			b.StaticRuntime = b.StaticRuntime || tmp.StaticRuntime
			for _, l := range tmp.Links {
				if lib := in.Catalog.LibraryByLink(l); lib != nil {
					f.Needs.Add(lib, "-l"+l+" in "+name)
				} else {
					f.Needs.AddUnknown("lib"+l, "-l"+l+" in "+name)
				}
			}
			for _, mod := range tmp.PkgConfig {
				if lib := in.Catalog.LibraryByPkgConfig(mod); lib != nil {
					f.Needs.Add(lib, "pkg-config "+mod+" in "+name)
				} else {
					f.Needs.AddUnknown(mod, "pkg-config "+mod+" in "+name)
				}
			}
		}
	}
	f.Lang = lang
	return f
}
