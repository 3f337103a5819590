package rules

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// The three rules about what the shipped image is built on report one
// concern per image, in this order of precedence:
//
//  1. SingleStageBuild: the image also runs the build (it subsumes 2 and 3);
//  2. BuildToolchainInFinalImage: its base is a toolchain image;
//  3. NonMinimalFinalImage: its base is a distro or slim runtime image.

type concern int

const (
	concernNone concern = iota
	concernSingleStage
	concernToolchain
	concernNonMinimal
)

// buildStep is a command in the shipped image that shows it compiles.
type buildStep struct {
	In   *dockerfile.Instruction
	What string // "go build -o /app ." or "apt-get install gcc"
	Tool string // "the Go toolchain"
}

// finalConcern decides which of the three rules reports (memoised).
func finalConcern(p *analysis.Pass) (concern, *buildStep) {
	type result struct {
		c    concern
		step *buildStep
	}
	r := p.Memo("distroless.finalConcern", func() any {
		root := finalBase(p)
		if root.Unresolved || root.Invalid || root.Scratch || root.IsDistroless() {
			return result{}
		}
		if step := buildInChain(p); step != nil {
			return result{concernSingleStage, step}
		}
		im := lookupImage(root)
		if im == nil {
			return result{}
		}
		if im.IsToolchainTag(root.Tag) {
			return result{c: concernToolchain}
		}
		if nonMinimalKind(im.Kind) && !strings.Contains(root.Tag, "chiseled") && !strings.Contains(root.Tag, "distroless") {
			return result{c: concernNonMinimal}
		}
		return result{}
	}).(result)
	return r.c, r.step
}

func nonMinimalKind(kind string) bool {
	switch kind {
	case "os", "python", "node", "java", "dotnet", "go", "rust":
		return true
	}
	return false
}

var buildScripts = map[string]bool{"build": true, "compile": true, "bundle": true, "tsc": true}

// buildInChain returns the first command in the shipped image's stages that
// compiles, or nil.
func buildInChain(p *analysis.Pass) *buildStep {
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindRun) {
			sc, _ := p.Script(in)
			if sc == nil {
				continue
			}
			for _, pkg := range installedPackages(p, in) {
				if cat.IsBuildPackage(pkg) {
					return &buildStep{In: in, What: "installs " + pkg, Tool: "the compilers and headers"}
				}
			}
			for _, c := range sc.Commands {
				var tool string
				switch {
				case c.Is("go") && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
					tool = "the Go toolchain"
				case c.Is("cargo") && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
					tool = "the Rust toolchain and the target/ directory"
				case c.Is("mvn", "mvnw", "gradle", "gradlew"):
					tool = "the JDK, " + c.Base() + " and its dependency cache"
				case c.Is("dotnet") && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "publish"):
					tool = "the .NET SDK"
				case c.Is("npm", "yarn", "pnpm") && npmBuildScript(c.Args):
					tool = "dev dependencies and build tooling"
				case c.Is("tsc", "ng", "vite", "webpack", "esbuild"):
					tool = "dev dependencies and build tooling"
				case c.Is("gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake"):
					tool = "the C toolchain"
				}
				if tool != "" {
					return &buildStep{In: in, What: "runs " + quoteShort(c.String()), Tool: tool}
				}
			}
		}
	}
	return nil
}

func npmBuildScript(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if args[0] == "run" || args[0] == "run-script" {
		return len(args) > 1 && buildScripts[strings.SplitN(args[1], ":", 2)[0]]
	}
	return buildScripts[args[0]]
}

// adviceSuffix renders the recommendation of a finding, and the severity
// it should have: rules recommend distroless only where it fits.
func adviceSuffix(p *analysis.Pass, def analysis.Severity) (string, analysis.Severity, bool) {
	a := finalAdvice(p)
	switch {
	case a.Fits && a.Image != "":
		return a.describe(false), def, true
	case a.Reason != "":
		return a.declineText(), analysis.Info, true
	}
	return "", def, false
}

// toolchainOf describes what a toolchain image carries.
func toolchainOf(kind, name string) string {
	switch kind {
	case "go":
		return "the Go toolchain and gcc"
	case "rust":
		return "rustc, cargo and gcc"
	case "java":
		if name == "maven" || name == "gradle" {
			return "a JDK and " + name
		}
		return "a full JDK (javac, jlink)"
	case "dotnet":
		return "the .NET SDK"
	case "native":
		return "gcc and the C build tools"
	case "python", "node", "ruby":
		return "gcc, make and development headers (the full " + name + " image is built on buildpack-deps)"
	}
	return "a build toolchain"
}

func stageOfLine(p *analysis.Pass, in *dockerfile.Instruction) string {
	if in.Stage != nil {
		return in.Stage.Describe()
	}
	return fmt.Sprintf("stage %d", 0)
}
