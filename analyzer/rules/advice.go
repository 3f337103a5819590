package rules

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// This file decides what final image the distroless-family rules
// recommend, so that SingleStageBuild, BuildToolchainInFinalImage and
// NonMinimalFinalImage agree with each other and with `distill fix`: when
// the converter's outlook is known it wins; otherwise the rulebook's
// decision table (distroless.md §6) is applied to what the Dockerfile
// shows.

// app is what the Dockerfile builds and runs.
type app struct {
	Lang    string // go, rust, python, node, java, dotnet, native, ruby, php, perl, server, ""
	Version string // language version when the Dockerfile shows it
	// Evidence says how the language was recognised, for messages.
	Evidence string
	// Cgo is set for Go when the Dockerfile shows the code needs cgo.
	Cgo string
	// Musl is set for Rust builds that target musl.
	Musl bool
}

// advice is the recommended final image.
type advice struct {
	Known bool // from the converter's outlook
	Fits  bool
	// Image is the proposed final image ("" when unknown or not fitting).
	Image string
	// Note qualifies the proposal ("build with CGO_ENABLED=0").
	Note string
	// Reason and Alternative explain a decline.
	Reason      string
	Alternative string
	// NotGoogle is set for .NET: the fit is Microsoft's chiseled images.
	NotGoogle bool
	App       app
	// ReportedElsewhere is set when the decline's cause has a rule of its
	// own (an entrypoint script, a process supervisor), so the final-image
	// rules need not repeat it.
	ReportedElsewhere bool
}

// finalAdvice returns the recommendation for the shipped image (memoised).
func finalAdvice(p *analysis.Pass) advice {
	return p.Memo("distroless.advice", func() any {
		a := adviseFromFile(p)
		if o := p.Outlook(); o.Known {
			a.Known = true
			a.Fits = o.Convertible
			a.Reason, a.Alternative = o.Reason, o.Alternative
			a.ReportedElsewhere = o.Recipe == "entrypoint-script"
			a.Image = o.FinalImage
			if !o.Convertible {
				a.Image, a.Note = "", ""
			}
			a.NotGoogle = a.Image != "" && !strings.HasPrefix(a.Image, cat.Distroless.Registry+"/")
		}
		return a
	}).(advice)
}

var javaMajorInTag = regexp.MustCompile(`(?:temurin|jdk|jre|corretto|openjdk|sapmachine|semeru|zulu|liberica|graalvm|java)-?(\d+)`)

// langOf reads the language and version of a base image.
func langOf(ref dockerfile.ImageRef) (lang, version string) {
	im := lookupImage(ref)
	if im == nil {
		return "", ""
	}
	tag := ref.Tag
	switch im.Kind {
	case "python":
		return "python", catalog.Minor(catalog.TagVersion(tag))
	case "node":
		return "node", catalog.Major(catalog.TagVersion(tag))
	case "java":
		if m := javaMajorInTag.FindStringSubmatch(tag); m != nil {
			return "java", m[1]
		}
		if im.Name != "maven" && im.Name != "gradle" {
			v := catalog.Major(catalog.TagVersion(tag))
			if strings.HasPrefix(tag, "1.8") {
				v = "8"
			}
			return "java", v
		}
		return "java", ""
	case "dotnet":
		return "dotnet", catalog.Minor(catalog.TagVersion(tag))
	case "go", "rust", "ruby", "php", "perl", "elixir":
		return im.Kind, catalog.TagVersion(tag)
	case "native":
		return "native", ""
	case "server", "java-server":
		return "server", ""
	}
	return "", ""
}

// detectApp reads the application's language from the shipped image's
// base, the build stages it copies from, and the commands it runs.
func detectApp(p *analysis.Pass) app {
	root := finalBase(p)
	if lang, v := langOf(root); lang != "" && lang != "native" {
		a := app{Lang: lang, Version: v, Evidence: imageName(root)}
		if lang == "go" {
			a.Cgo = goCgoEvidence(p, p.Chain[len(p.Chain)-1])
		}
		if lang == "python" && v == "" {
			a.Version = pythonOfStage(p, p.Chain[len(p.Chain)-1])
		}
		return a
	}
	// Build stages the image copies from, and the image's own stages.
	var sources []*dockerfile.Stage
	for _, c := range chainCopies(p) {
		if !stageIn(sources, c.From) {
			sources = append(sources, c.From)
		}
	}
	sources = append(sources, p.Chain...)
	for _, st := range sources {
		if gbs := goBuildsIn(p, st); len(gbs) > 0 {
			return app{Lang: "go", Evidence: "go build in " + st.Describe(), Cgo: goCgoEvidence(p, st)}
		}
	}
	for _, st := range sources {
		if cbs := cargoBuildsIn(p, st); len(cbs) > 0 {
			return app{Lang: "rust", Evidence: "cargo build in " + st.Describe(), Musl: cbs[len(cbs)-1].Static}
		}
	}
	for _, st := range sources {
		for _, s := range stageLineage(st) {
			lang, v := langOf(s.Base)
			if s.BaseStage != nil {
				continue
			}
			switch lang {
			case "java", "dotnet", "rust", "go", "python", "node":
				a := app{Lang: lang, Version: v, Evidence: imageName(s.Base) + " in " + st.Describe()}
				if lang == "go" {
					a.Cgo = goCgoEvidence(p, st)
				}
				return a
			}
		}
	}
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindRun) {
			sc, _ := p.Script(in)
			switch {
			case sc == nil:
			case len(sc.PipInstalls()) > 0:
				return app{Lang: "python", Version: pythonOfStage(p, st), Evidence: "pip install in " + st.Describe()}
			case len(sc.NodeInstalls()) > 0:
				return app{Lang: "node", Evidence: "npm install in " + st.Describe()}
			}
		}
	}
	if words, ok := effectiveRun(p).argv(); ok && len(words) > 0 {
		prog := path.Base(words[0])
		switch {
		case pythonProg.MatchString(prog):
			return app{Lang: "python", Version: pythonOfStage(p, p.Chain[len(p.Chain)-1]), Evidence: "CMD " + prog}
		case prog == "node":
			return app{Lang: "node", Evidence: "CMD node"}
		case prog == "java":
			return app{Lang: "java", Evidence: "CMD java"}
		}
	}
	for _, st := range sources {
		if rc := nativeCompile(p, st); rc != nil {
			return app{Lang: "native", Evidence: rc.Base() + " in " + st.Describe()}
		}
	}
	return app{}
}

// pythonOfStage returns the Python minor a stage runs: the python image's
// tag, or Debian's python3.
func pythonOfStage(p *analysis.Pass, st *dockerfile.Stage) string {
	root := st.RootBase()
	if lang, v := langOf(root); lang == "python" {
		return v
	}
	if im := lookupImage(root); im != nil && im.Name == "debian" {
		if d, ok := debianOf(p, root); ok {
			return cat.DebianPython3(d)
		}
	}
	return ""
}

// goCgoEvidence returns why the Go code in a stage (or the stages it
// copies from) needs cgo, or "".
func goCgoEvidence(p *analysis.Pass, st *dockerfile.Stage) string {
	for _, s := range append([]*dockerfile.Stage{st}, st.DependsOn...) {
		for _, gb := range goBuildsIn(p, s) {
			if gb.CgoEvidence != "" {
				return gb.CgoEvidence
			}
		}
	}
	return ""
}

// adviseFromFile applies the decision table.
func adviseFromFile(p *analysis.Pass) advice {
	a := advice{App: detectApp(p)}
	if why := declineShape(p); why != "" {
		a.Reason = why
		a.Alternative = "keep a shell-based image (a slim official image or Alpine) in a multi-stage build, or move that logic into the application"
		return a
	}
	debian := p.Options.Debian
	if debian == 0 {
		debian = cat.Distroless.DefaultDebian
	}
	tag := ""
	if p.Options.NonRoot {
		tag = "nonroot"
	}
	ref := func(runtime, version string) string {
		im := cat.DistrolessFor(runtime, version, debian)
		d := debian
		if im == nil {
			d = cat.Distroless.DefaultDebian
			im = cat.DistrolessFor(runtime, version, d)
		}
		if im == nil {
			return ""
		}
		return cat.Ref(im.Family, d, tag)
	}
	switch a.App.Lang {
	case "go":
		a.Fits = true
		if a.App.Cgo != "" {
			a.Image = ref("base", "")
			a.Note = "not static: " + a.App.Cgo + " means cgo; " + ref("cc", "") + " if C++ libraries are linked"
		} else {
			a.Image = ref("static", "")
			a.Note = "build with CGO_ENABLED=0"
		}
	case "rust":
		a.Fits = true
		if a.App.Musl {
			a.Image = ref("static", "")
		} else {
			a.Image = ref("cc", "")
			a.Note = "the gnu target needs libgcc_s from cc"
		}
	case "native":
		a.Fits = true
		a.Image = ref("cc", "")
		a.Note = ref("base", "") + " for plain C without libstdc++"
	case "python":
		adviseVersioned(&a, "python", ref)
	case "node":
		adviseVersioned(&a, "node", ref)
	case "java":
		adviseVersioned(&a, "java", ref)
	case "dotnet":
		v := a.App.Version
		if v == "" {
			v = cat.Dotnet.Versions[len(cat.Dotnet.Versions)-1]
		}
		a.Fits, a.NotGoogle = true, true
		a.Image = catalog.Expand(cat.Dotnet.ASPNet, map[string]string{"version": v})
		a.Note = "Google distroless has no .NET image; Microsoft's chiseled images are the distroless equivalent, runtime-deps for self-contained apps"
	case "ruby", "php", "perl":
		a.Reason = "there is no distroless " + langName(a.App.Lang) + " runtime"
		a.Alternative = "use the official " + a.App.Lang + " slim or Alpine image in a multi-stage build, or Chainguard's cgr.dev/chainguard/" + a.App.Lang
	case "server":
		a.Reason = "the image is a server (" + imageName(finalBase(p)) + ") driven by its own scripts and configuration"
		a.Alternative = "keep the server image, or an unprivileged/minimal variant from its vendor"
	}
	return a
}

// adviseVersioned applies the version policy of Python, Node and Java.
func adviseVersioned(a *advice, lang string, ref func(runtime, version string) string) {
	v := a.App.Version
	name := langName(lang)
	var available []string
	for _, im := range cat.Distroless.Images {
		if im.Runtime == lang && im.Version != "" {
			available = append(available, im.Version)
		}
	}
	has := func(x string) bool {
		for _, y := range available {
			if y == x {
				return true
			}
		}
		return false
	}
	switch {
	case v == "":
		a.Fits = true
		if len(available) == 1 {
			a.Image = ref(lang, available[0])
			a.Note = "the build stage must use " + name + " " + available[0]
		} else {
			a.Image = strings.Replace(ref(lang, available[len(available)-1]), available[len(available)-1], "NN", 1)
			a.Note = "NN is your " + name + " major: " + strings.Join(available, ", ")
		}
	case has(v):
		a.Fits = true
		a.Image = ref(lang, v)
	case lang == "python" && cat.PythonUpgradable(v):
		a.Fits = true
		a.Image = ref(lang, available[0])
		a.Note = "distroless ships only Python " + available[0] + ", so the build stage moves from " + v + " to " + available[0] + "; a flagged behaviour change"
	case lang == "node" && cat.NodeUpgradeTarget(v) != "":
		up := cat.NodeUpgradeTarget(v)
		a.Fits = true
		a.Image = ref(lang, up)
		a.Note = "Node.js " + v + " has no distroless image, so build and runtime move to Node.js " + up + " together; a flagged behaviour change"
	case lang == "java" && cat.JavaDeclined(v):
		a.Reason = "there is no maintained distroless image for Java " + v + " (only " + strings.Join(available, ", ") + "), and apps on it often break on newer JVMs"
		a.Alternative = "an Eclipse Temurin " + v + " JRE image, Chainguard's jre, or a jlink'd runtime on java-base-debian13"
	case lang == "java" && slices.Contains(cat.Java.Upgradable, v):
		for _, x := range available {
			if catalog.CompareVersions(x, v) >= 0 {
				a.Fits = true
				a.Image = ref(lang, x)
				a.Note = "Java " + v + " has no distroless image; Java " + x + " runs its bytecode; a flagged behaviour change"
				return
			}
		}
	}
	if a.Fits || a.Reason != "" {
		return
	}
	switch lang {
	case "python":
		if catalog.CompareVersions(v, available[len(available)-1]) > 0 {
			a.Reason = "distroless ships only Python " + strings.Join(available, ", ") + ", and moving from " + v + " would be a downgrade"
		} else {
			a.Reason = "distroless ships only Python " + strings.Join(available, ", ") + ", and Python " + v + " is end of life"
		}
		a.Alternative = "Chainguard's python image, Ubuntu chiselled, or python:" + v + "-slim in a cleaned-up multi-stage build"
	case "node":
		a.Reason = "there is no distroless image for Node.js " + v + " (only " + strings.Join(available, ", ") + ")"
		a.Alternative = "move the app to Node.js " + cat.Node.UpgradeTo + " or keep a node:" + v + "-slim image"
	default:
		a.Reason = "there is no distroless image for " + name + " " + v + " (only " + strings.Join(available, ", ") + ")"
		a.Alternative = "an official JRE image for " + name + " " + v
	}
}

func langName(lang string) string {
	switch lang {
	case "go":
		return "Go"
	case "python":
		return "Python"
	case "node":
		return "Node.js"
	case "java":
		return "Java"
	case "rust":
		return "Rust"
	case "dotnet":
		return ".NET"
	case "ruby":
		return "Ruby"
	case "php":
		return "PHP"
	case "perl":
		return "Perl"
	case "native":
		return "C/C++"
	}
	return lang
}

// declineShape returns why the image's shape rules distroless out (a shell
// script or a process supervisor as the entrypoint), or "".
func declineShape(p *analysis.Pass) string {
	rs := effectiveRun(p)
	for _, in := range []*dockerfile.Instruction{rs.Entrypoint, rs.Cmd} {
		if in == nil || in.Exec == nil {
			continue
		}
		words := in.Exec.Args
		if in.Exec.Shell {
			words = strings.Fields(in.Exec.CommandLine())
		}
		if len(words) == 0 {
			continue
		}
		if s := scriptOf(p, words); s != "" {
			return "the container starts through the shell script " + s
		}
		if cat.IsSupervisor(path.Base(words[0])) {
			return "the container runs several processes under " + path.Base(words[0])
		}
	}
	return ""
}

// describeAdvice renders the recommendation for a message: "distill fix
// proposes gcr.io/distroless/static-debian13:nonroot (build with
// CGO_ENABLED=0)".
func (a advice) describe(swapOnly bool) string {
	var b strings.Builder
	switch {
	case a.Known:
		b.WriteString("`distill fix` converts it to " + a.Image)
	case swapOnly:
		b.WriteString("use " + a.Image + " as the final image")
	default:
		b.WriteString(copyWhat(a.App.Lang) + " into " + a.Image)
	}
	if a.Note != "" {
		b.WriteString(" (" + a.Note + ")")
	}
	if !a.Known {
		b.WriteString("; `distill fix` proposes the multi-stage file")
	}
	return b.String()
}

// copyWhat says what a multi-stage build copies into the final image.
func copyWhat(lang string) string {
	switch lang {
	case "go", "rust", "native":
		return "build in a separate stage and copy only the binary"
	case "python":
		return "install into a venv in a build stage and copy the venv and the app"
	case "node":
		return "install and build in a separate stage and copy node_modules (production only) and the app"
	case "java":
		return "build in a separate stage and copy only the jar"
	case "dotnet":
		return "publish in a separate stage and copy the output"
	}
	return "build in a separate stage and copy only the build output"
}

// declineText renders a decline for a message.
func (a advice) declineText() string {
	s := "distroless does not fit: " + a.Reason
	if a.Alternative != "" {
		s += "; instead: " + a.Alternative
	}
	if a.Known {
		s += " (`distill fix` declines for this reason)"
	}
	return s
}
