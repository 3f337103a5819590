package native

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Need is a shared library the binary loads at run time, and the evidence.
type Need struct {
	Lib *catalog.NativeLibrary
	// Name is the library's name, or the -dev package for libraries the
	// catalog does not know (Lib nil).
	Name string
	Why  string
}

// Needs is a set of libraries, in the order found.
type Needs []Need

// Add records a library once.
func (n *Needs) Add(lib *catalog.NativeLibrary, why string) {
	for _, x := range *n {
		if x.Lib == lib {
			return
		}
	}
	*n = append(*n, Need{Lib: lib, Name: lib.Name, Why: why})
}

// AddUnknown records a library the catalog does not know.
func (n *Needs) AddUnknown(name, why string) {
	for _, x := range *n {
		if x.Lib == nil && x.Name == name {
			return
		}
	}
	*n = append(*n, Need{Name: name, Why: why})
}

// Has reports whether a library is needed.
func (n Needs) Has(name string) bool {
	for _, x := range n {
		if x.Name == name {
			return true
		}
	}
	return false
}

// Missing returns the needs the family's image does not ship.
func (n Needs) Missing(family string, debian int) Needs {
	var out Needs
	for _, x := range n {
		if x.Lib == nil || !x.Lib.Ships(family, debian) {
			out = append(out, x)
		}
	}
	return out
}

// Describe lists needs for a message: "libpq (the build installs libpq-dev)".
func (n Needs) Describe() string {
	parts := make([]string, len(n))
	for i, x := range n {
		parts[i] = x.Name
		if x.Why != "" {
			parts[i] += " (" + x.Why + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// Family returns the first family (in order) whose image on the Debian
// release ships every needed library, or "" and what the last family
// lacks.
func (n Needs) Family(order []string, debian int) (string, Needs) {
	var missing Needs
	for _, f := range order {
		missing = n.Missing(f, debian)
		if len(missing) == 0 {
			return f, nil
		}
	}
	return "", missing
}

// PackageInstall is one package an apt-get or apk command installs.
type PackageInstall struct {
	Name  string
	Instr *dockerfile.Instruction
	Apk   bool
	// Build is set when the same command installs a compiler, build tool
	// or -dev package: then the whole command sets up a build.
	Build bool
}

// Installs returns the packages the stages install, in order.
func Installs(in *convert.Input, stages ...*dockerfile.Stage) []PackageInstall {
	var out []PackageInstall
	for _, st := range stages {
		for _, ins := range st.All(dockerfile.KindRun) {
			s := in.Script(ins)
			if s == nil {
				continue
			}
			for _, c := range s.Commands {
				pkgs, apk := installed(c)
				if len(pkgs) == 0 {
					continue
				}
				build := false
				for _, p := range pkgs {
					if in.Catalog.IsToolchainPackage(p) && !in.Catalog.IsRuntimeTool(p) {
						build = true
					}
				}
				for _, p := range pkgs {
					out = append(out, PackageInstall{Name: p, Instr: ins, Apk: apk, Build: build})
				}
			}
		}
	}
	return out
}

// installed returns the packages an apt-get/apt/apk command installs,
// without version pins.
func installed(c *shell.Command) ([]string, bool) {
	var pkgs []string
	apk := false
	switch {
	case c.Is("apt-get", "apt"):
		pos := c.Positionals("-o", "-t", "--target-release", "-c")
		if len(pos) == 0 || pos[0] != "install" {
			return nil, false
		}
		pkgs = pos[1:]
	case c.Is("apk"):
		pos := c.Positionals("-X", "--repository", "-t", "--virtual", "--root", "-p")
		if len(pos) == 0 || pos[0] != "add" {
			return nil, false
		}
		pkgs, apk = pos[1:], true
	default:
		return nil, false
	}
	var out []string
	for _, p := range pkgs {
		if strings.Contains(p, "$") || strings.HasSuffix(p, ".deb") {
			continue
		}
		p, _, _ = strings.Cut(p, "=")
		p, _, _ = strings.Cut(p, "~")
		p, _, _ = strings.Cut(p, ">")
		p, _, _ = strings.Cut(p, "<")
		out = append(out, p)
	}
	return out, apk
}

// StageChain returns a stage and the stages it is built FROM, outermost
// first.
func StageChain(st *dockerfile.Stage) []*dockerfile.Stage {
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := st; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	return chain
}

// DevNeeds returns the libraries that -dev packages installed in the
// stages provide: a build that installs libpq-dev links libpq. buildOnly
// reports -dev packages that link nothing at run time.
func DevNeeds(in *convert.Input, stages []*dockerfile.Stage, buildOnly func(string) bool) Needs {
	var n Needs
	for _, pi := range Installs(in, stages...) {
		if pi.Apk {
			continue // Alpine builds are only converted when static
		}
		if !isDev(pi.Name) || in.Catalog.IsBuildOnlyDev(pi.Name) || (buildOnly != nil && buildOnly(pi.Name)) {
			continue
		}
		why := fmt.Sprintf("the build installs %s, line %d", pi.Name, pi.Instr.StartLine)
		if lib := in.Catalog.LibraryByDev(pi.Name); lib != nil {
			n.Add(lib, why)
		} else {
			n.AddUnknown(strings.TrimSuffix(pi.Name, "-dev"), why)
		}
	}
	return n
}

func isDev(pkg string) bool {
	return strings.HasSuffix(pkg, "-dev") || pkg == "default-libmysqlclient-dev"
}

// Families are the glibc runtime families from smallest to largest.
var glibcFamilies = []string{"base", "cc"}

// GlibcFamilies returns the families to try for a glibc binary: cc only
// when the program needs the C++ runtime or libgcc_s anyway.
func GlibcFamilies(ccOnly bool) []string {
	if ccOnly {
		return glibcFamilies[1:]
	}
	return glibcFamilies
}
