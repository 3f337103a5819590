// Package python converts Python images (rulebook §3.2): packages go into
// a virtualenv created in a python:3.13-slim-trixie build stage through the
// /usr/bin/python symlink (so the venv's interpreter exists in distroless),
// and the shipped stage is python3-debian13 with the venv and the
// application files copied in, run through /venv/bin/python3 or a venv
// console script.
//
// Python minors other than 3.13 follow distill's policy: 3.10–3.12 are
// upgraded as a flagged behaviour change, newer and end-of-life minors are
// declined. Dependencies that need system libraries distroless lacks, and
// runtime packages installed with apt-get, are declined with an
// alternative.
package python

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Recipe is the Python recipe.
var Recipe = &convert.Recipe{
	Name:    "python",
	Detect:  detect,
	Convert: convertPython,
	ContextFiles: []string{"requirements*.txt", "requirements/*.txt", "constraints*.txt", "pyproject.toml", "poetry.lock",
		"uv.lock", "Pipfile", "Pipfile.lock", "setup.py", "setup.cfg", ".python-version"},
}

var (
	pythonExe  = regexp.MustCompile(`^python(3(\.\d+)?)?$`)
	pipExe     = regexp.MustCompile(`^pip(3(\.\d+)?)?$`)
	versionExe = regexp.MustCompile(`^(python|pip)3\.(\d+)$`)
)

func detect(in *convert.Input) bool {
	root := in.RootBase()
	if root.Scratch {
		return false
	}
	if root.IsDistroless() {
		dl := in.Catalog.ParseDistroless(strings.TrimPrefix(root.Repository, "distroless/"), root.Tag)
		return strings.HasPrefix(dl.Family, "python")
	}
	if in.StageKinds(in.Chain...)["python"] {
		return true
	}
	if prog, why := in.ResolveProgram(in.CollectRuntime()); why == "" {
		b := path.Base(prog.Argv()[0])
		if pythonExe.MatchString(b) || b == "poetry" || b == "pipenv" || slices.Contains(in.Catalog.Python.Servers, b) {
			return true
		}
	}
	return false
}

// install is one command that installs Python packages.
type install struct {
	rc    analysis.RunCommand
	stage *dockerfile.Stage
	tool  string // pip, uv-pip, uv, poetry, pipenv
	pip   *shell.PipInstall
}

// venvCreate is a virtualenv the Dockerfile creates itself.
type venvCreate struct {
	rc    analysis.RunCommand
	stage *dockerfile.Stage
	dir   string
	tool  string // venv, uv, virtualenv
	ok    bool   // created through /usr/bin/python
	exe   string // the interpreter word as written
}

type state struct {
	in  *convert.Input
	p   *convert.Plan
	rt  *convert.Runtime
	kw  func(string) string
	img *catalog.DistrolessImage

	installs    []install
	venvStage   *dockerfile.Stage // its filesystem holds the packages
	insertStage *dockerfile.Stage // where the venv is created
	userVenv    *venvCreate
	venvDir     string
	uv          bool
	inChain     map[*dockerfile.Stage]bool
	reqs        []requirement
	proj        project
	targetDirs  []string // pip --target directories
	editables   []string // pip -e paths (absolute)
	// pkgCopies are COPY --from lines in the shipped chain that carry
	// packages installed outside a venv (site-packages, ~/.local, a
	// --prefix tree).
	pkgCopies []*dockerfile.Instruction
	venvCopy  *dockerfile.Instruction
	prefixes  []string
	rw        rewrites
	tools     []string // package managers pip installs (into the venv)
}

func convertPython(in *convert.Input) (*convert.Result, error) {
	s := &state{in: in, p: in.NewPlan(), kw: func(k string) string { return convert.Keyword(in.File, k) },
		img: in.Catalog.DistrolessImage("python3"), inChain: map[*dockerfile.Stage]bool{}}
	s.rt = s.p.Runtime
	for _, st := range in.Chain {
		s.inChain[st] = true
	}
	if s.img == nil {
		return nil, fmt.Errorf("catalog has no python3 distroless image")
	}
	root := in.RootBase()
	if !root.IsDistroless() {
		if im := in.Image(root); im == nil || im.Kind != "python" {
			return convert.Declinef([]string{
				"build on python:3.13-slim-trixie: create a venv through the /usr/bin/python symlink, install into it, and copy /venv into " + in.DistrolessRef(s.img),
				"keep " + root.Familiar() + " as the runtime in a multi-stage build",
			}, "the shipped image runs Python from %s, not from an official python image; distill converts images whose interpreter it can match to python3-debian13's (Python %s)", root.Familiar(), s.img.Version), nil
		}
	}
	if d := s.platformDecline(); d != nil {
		return d, nil
	}
	if d := s.findInstalls(); d != nil {
		return d, nil
	}
	if s.venvStage != nil {
		if vr := s.venvStage.RootBase(); in.Image(vr) == nil || in.Image(vr).Kind != "python" {
			return convert.Declinef([]string{fmt.Sprintf("build on %s: create a venv through the /usr/bin/python symlink and install into it, then run `distill fix` again", in.Catalog.PythonBuilder(s.img.Version, in.Options.Debian))},
				"the packages are installed with the Python of %s, not an official python image; distill cannot tell which interpreter (and path) the venv would record", vr.Familiar()), nil
		}
	}
	lost := s.lostPackages()
	if d := s.versionPolicy(lost); d != nil {
		return d, nil
	}
	if d := s.readContext(); d != nil {
		return d, nil
	}
	if d := s.systemPackages(); d != nil {
		return d, nil
	}
	prog, why := in.ResolveProgram(s.rt)
	if why != "" {
		return convert.Declinef([]string{"start the application with an exec-form command (`CMD [\"python\", \"app.py\"]`) and move startup logic into Python",
			"keep a python:3.13-slim-trixie runtime in a multi-stage build if the shell logic must stay"},
			"the image cannot run on distroless: %s", why), nil
	}
	cmd, d := s.mapProgram(prog)
	if d != nil {
		return d, nil
	}
	if len(prog.Substituted) > 0 {
		s.p.Note(convert.Behavior, "the command used $%s; exec form does not expand variables, so the ENV value is written into the command and overriding %s at run time no longer changes it — have the application read it instead",
			strings.Join(prog.Substituted, ", $"), strings.Join(prog.Substituted, ", "))
	}
	if d := s.prepareVenv(); d != nil {
		return d, nil
	}
	if lost != "" {
		s.p.Note(convert.Change, "%s; the venv %s is now copied into the shipped image", lost, s.venvDir)
	}
	if root.IsDistroless() {
		for _, st := range in.Chain {
			if r := st.Last(dockerfile.KindRun); r != nil {
				return convert.Declinef([]string{"move the RUN into a build stage and COPY its result (use COPY --chown/--chmod instead of chown/chmod)"},
					"line %d runs `%s` in a stage built on %s, which has no shell: the build fails", r.StartLine, truncate(r.Original, 60), root.Familiar()), nil
			}
		}
	}
	if s.inPlace() {
		return s.withPackages(s.finishInPlace(cmd))
	}
	if len(s.pkgCopies) > 0 {
		c := s.pkgCopies[0]
		return convert.Declinef([]string{"install the packages into a venv in one build stage (`python -m venv /venv`) and run the shipped stage's build steps there",
			"move the shipped stage's RUN steps into the build stage"},
			"the shipped stage both copies installed packages from another stage (line %d: `%s`) and runs build steps, so distill cannot tell which files the application needs at run time", c.StartLine, truncate(c.Original, 70)), nil
	}
	return s.withPackages(s.finishSplit(cmd))
}

// withPackages records the distributions the Dockerfile's installs name,
// so that verification can check each one reached the shipped image.
func (s *state) withPackages(res *convert.Result, err error) (*convert.Result, error) {
	if res == nil || res.Decline != nil {
		return res, err
	}
	seen := map[string]bool{}
	for _, r := range s.reqs {
		if !seen[r.Name] {
			seen[r.Name] = true
			res.Packages = append(res.Packages, r.Name)
		}
	}
	sort.Strings(res.Packages)
	return res, err
}

// platformDecline declines --platform values python3-debian13 is not
// published for.
func (s *state) platformDecline() *convert.Result {
	check := func(st *dockerfile.Stage) *convert.Result {
		pl := st.From.From.Platform
		if pl == "" || strings.Contains(pl, "$") {
			return nil
		}
		for _, p := range strings.Split(pl, ",") {
			parts := strings.Split(strings.TrimSpace(p), "/")
			if len(parts) < 2 {
				continue
			}
			arch := parts[1]
			if !slices.Contains(s.img.Archs, arch) {
				return convert.Declinef([]string{"Chainguard's cgr.dev/chainguard/python (free tier: :latest only — pin by digest)", "a python:3.13-slim-trixie runtime in a multi-stage build"},
					"the image is built for %s, but %s is published only for %s", p, s.in.DistrolessRef(s.img), strings.Join(s.img.Archs, ", "))
			}
		}
		return nil
	}
	for _, st := range s.in.Chain {
		if d := check(st); d != nil {
			return d
		}
	}
	return nil
}

// findInstalls collects package installs and venv creations, and picks
// the stage the venv lives in.
func (s *state) findInstalls() *convert.Result {
	in := s.in
	for _, st := range in.Reachable() {
		for _, rc := range in.Commands(st) {
			c := rc.Command
			switch {
			case c.Is("uv") && len(c.Args) > 0 && c.Args[0] == "sync":
				s.installs = append(s.installs, install{rc: rc, stage: st, tool: "uv"})
				s.uv = true
			case c.Is("uv") && len(c.Args) > 1 && c.Args[0] == "pip" && c.Args[1] == "sync":
				s.installs = append(s.installs, install{rc: rc, stage: st, tool: "uv-pip"})
				s.uv = true
			case c.Is("poetry") && len(c.Args) > 0 && (c.Args[0] == "install" || c.Args[0] == "sync"):
				s.installs = append(s.installs, install{rc: rc, stage: st, tool: "poetry"})
			case c.Is("pipenv") && len(c.Args) > 0 && (c.Args[0] == "install" || c.Args[0] == "sync"):
				s.installs = append(s.installs, install{rc: rc, stage: st, tool: "pipenv"})
			case c.Is("virtualenv"):
				if pos := c.Positionals("-p", "--python"); len(pos) > 0 {
					s.noteVenv(&venvCreate{rc: rc, stage: st, dir: convert.Absolute(in.WorkdirAt(st, rc.Instruction), pos[len(pos)-1]), tool: "virtualenv", exe: c.Name})
				}
			case c.Is("uv") && len(c.Args) > 0 && c.Args[0] == "venv":
				pos := positionalsAfter(c.Args[1:], "--python", "-p", "--prompt", "--index-url", "--seed")
				dir := ".venv"
				if len(pos) > 0 {
					dir = pos[0]
				}
				py, _ := c.Flag("--python", "-p")
				s.noteVenv(&venvCreate{rc: rc, stage: st, dir: convert.Absolute(in.WorkdirAt(st, rc.Instruction), dir), tool: "uv", exe: c.Name,
					ok: strings.HasPrefix(py, "/usr/bin/python") && hasSymlink(in, st, rc.Instruction)})
			case pythonExe.MatchString(c.Base()) && len(c.Args) >= 3 && c.Args[0] == "-m" && c.Args[1] == "venv":
				pos := c.Positionals("--prompt")[1:]
				if len(pos) == 0 {
					continue
				}
				s.noteVenv(&venvCreate{rc: rc, stage: st, dir: convert.Absolute(in.WorkdirAt(st, rc.Instruction), pos[len(pos)-1]), tool: "venv", exe: c.Name,
					ok: strings.HasPrefix(c.Name, "/usr/bin/python") && hasSymlink(in, st, rc.Instruction)})
			}
		}
		for _, ins := range st.All(dockerfile.KindRun) {
			sc := in.Script(ins)
			if sc == nil {
				continue
			}
			for _, pi := range sc.PipInstalls() {
				pi := pi
				if pi.UV {
					s.uv = true
				}
				tool := "pip"
				if pi.UV {
					tool = "uv-pip"
				}
				if onlyTools(pi) {
					for _, p := range pi.Packages {
						if r, ok := parseRequirement(p, ""); ok && (r.Name == "poetry" || r.Name == "pipenv" || r.Name == "uv") && !pi.User {
							s.tools = append(s.tools, r.Name)
						}
					}
					continue // pip install --upgrade pip / poetry: no application packages
				}
				rc := analysis.RunCommand{Instruction: ins, Command: pi.Cmd}
				s.installs = append(s.installs, install{rc: rc, stage: st, tool: tool, pip: &pi})
			}
		}
	}
	sort.SliceStable(s.installs, func(i, j int) bool {
		return s.installs[i].rc.Instruction.StartLine < s.installs[j].rc.Instruction.StartLine
	})
	if len(s.installs) == 0 {
		return nil
	}
	// Every install must land in one filesystem: one stage and the stages
	// it is built FROM.
	last := s.installs[0].stage
	for _, i := range s.installs {
		if i.stage.Index > last.Index {
			last = i.stage
		}
	}
	ancestors := map[*dockerfile.Stage]bool{}
	for st := last; st != nil; st = st.BaseStage {
		ancestors[st] = true
	}
	for _, i := range s.installs {
		if !ancestors[i.stage] {
			return convert.Declinef([]string{"install every dependency into one venv in one build stage and copy that venv"},
				"packages are installed in two unrelated stages (%s line %d and %s line %d); distill cannot merge them into one virtualenv",
				i.stage.Describe(), i.rc.Instruction.StartLine, last.Describe(), s.installs[len(s.installs)-1].rc.Instruction.StartLine)
		}
	}
	s.venvStage = last
	s.insertStage = s.installs[0].stage
	if s.userVenv != nil && !ancestors[s.userVenv.stage] {
		s.userVenv = nil
	}
	switch {
	case s.userVenv != nil:
		s.venvDir = s.userVenv.dir
	default:
		s.venvDir = "/venv"
		if s.uvSync() {
			if d := dockerfileEnv(s.insertStage, s.installs[0].rc.Instruction)["UV_PROJECT_ENVIRONMENT"]; strings.HasPrefix(d, "/") {
				s.venvDir = path.Clean(d)
			}
		}
	}
	for _, i := range s.installs {
		if i.pip == nil {
			continue
		}
		wd := in.WorkdirAt(i.stage, i.rc.Instruction)
		if i.pip.Prefix != "" && !strings.Contains(i.pip.Prefix, "$") {
			s.prefixes = append(s.prefixes, convert.Absolute(wd, i.pip.Prefix))
		}
		if i.pip.Target != "" && !strings.Contains(i.pip.Target, "$") {
			s.targetDirs = append(s.targetDirs, convert.Absolute(wd, i.pip.Target))
		}
		if i.pip.Editable {
			for _, p := range i.pip.Packages {
				if p == "." || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "./") {
					s.editables = append(s.editables, convert.Absolute(wd, p))
				}
			}
		}
	}
	// COPY --from lines in the shipped chain: the venv, or packages
	// installed elsewhere.
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy) {
			src := in.File.Stage(ins.Copy.From)
			if ins.Copy.From == "" || src == nil {
				continue
			}
			for _, p := range ins.Copy.Sources {
				switch {
				case derivesFrom(src, s.venvStage) && path.Clean(p) == s.venvDir:
					s.venvCopy = ins
				case s.isPackageLocation(p), s.venvStage != nil && derivesFrom(src, s.venvStage) && strings.HasPrefix(path.Clean(p), "/usr/local/bin/"):
					// Console scripts pip wrote to /usr/local/bin go to
					// the venv's bin directory now.
					s.pkgCopies = append(s.pkgCopies, ins)
				}
			}
		}
	}
	return nil
}

func (s *state) noteVenv(v *venvCreate) {
	if s.userVenv == nil {
		s.userVenv = v
	}
}

// onlyTools reports whether a pip install only installs packaging tools.
func onlyTools(pi shell.PipInstall) bool {
	if len(pi.Requirements) > 0 || len(pi.Packages) == 0 || pi.Editable {
		return false
	}
	for _, p := range pi.Packages {
		r, ok := parseRequirement(p, "")
		if !ok {
			return false
		}
		switch r.Name {
		case "pip", "setuptools", "wheel", "poetry", "pipenv", "uv", "pipx", "poetry-plugin-export", "pip-tools":
		default:
			return false
		}
	}
	return true
}

func positionalsAfter(args []string, valueFlags ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if slices.Contains(valueFlags, a) {
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// hasSymlink reports whether the stage (or a stage it is built FROM)
// links /usr/bin/python* before the instruction.
func hasSymlink(in *convert.Input, st *dockerfile.Stage, at *dockerfile.Instruction) bool {
	for cur := st; cur != nil; cur = cur.BaseStage {
		for _, ins := range cur.All(dockerfile.KindRun) {
			if cur == st && ins.StartLine > at.StartLine {
				break
			}
			sc := in.Script(ins)
			if sc == nil {
				continue
			}
			for _, c := range sc.Find("ln") {
				for _, a := range c.Args {
					if strings.HasPrefix(a, "/usr/bin/python") {
						return true
					}
				}
			}
		}
	}
	return false
}

// lostPackages explains, for a multi-stage file, that the shipped image
// never received the packages a build stage installed ("" otherwise).
func (s *state) lostPackages() string {
	if s.venvStage == nil || s.inChain[s.venvStage] || s.in.RootBase().IsDistroless() {
		return ""
	}
	for _, st := range s.in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy) {
			if ins.Copy.From == "" || s.in.File.Stage(ins.Copy.From) != s.venvStage {
				continue
			}
			for _, src := range ins.Copy.Sources {
				if s.isPackageLocation(src) || (s.userVenv != nil && path.Clean(src) == s.userVenv.dir) || s.isTargetDir(src) {
					return ""
				}
			}
		}
	}
	i := s.installs[0]
	return fmt.Sprintf("the original image lost its dependencies: %s (line %d) installed them into %s's site-packages, but the shipped stage copies only application files from it, so the application failed with ModuleNotFoundError at start",
		truncate(i.rc.Command.String(), 60), i.rc.Instruction.StartLine, s.venvStage.Describe())
}

func (s *state) isTargetDir(src string) bool {
	for _, i := range s.installs {
		if i.pip != nil && i.pip.Target != "" && path.Clean(convert.Absolute(s.in.WorkdirAt(i.stage, i.rc.Instruction), i.pip.Target)) == path.Clean(src) {
			return true
		}
	}
	return false
}

// isPackageLocation reports whether a path holds packages installed
// outside a venv.
func (s *state) isPackageLocation(src string) bool {
	src = path.Clean(src)
	switch {
	case strings.Contains(src, "site-packages"), strings.Contains(src, "dist-packages"),
		strings.HasPrefix(src, "/usr/local/lib/python"), src == "/usr/local", src == "/usr/local/bin", src == "/usr/local/lib",
		strings.HasPrefix(src, "/root/.local"), strings.HasPrefix(src, "/home/") && strings.Contains(src, "/.local"):
		return true
	}
	for _, p := range s.prefixes {
		if src == p || strings.HasPrefix(src, p+"/") {
			return true
		}
	}
	return false
}

// versionPolicy applies distill's Python version policy to every stage on
// an official python image, and fixes Alpine builders.
func (s *state) versionPolicy(lost string) *convert.Result {
	in := s.in
	target := s.img.Version
	var upgraded []string
	for _, st := range in.Reachable() {
		if st.BaseStage != nil {
			continue
		}
		im := in.Image(st.Base)
		if im == nil || im.Kind != "python" {
			continue
		}
		tag := st.Base.Tag
		if tag == "" && st.Base.Digest != "" {
			return convert.Declinef([]string{"write the tag next to the digest (python:3.13-slim-trixie@sha256:…) so the Python version is visible, then run `distill fix` again"},
				"%s is pinned by digest only, so distill cannot tell which Python version it contains", st.Base.Familiar())
		}
		v := catalog.TagVersion(tag)
		minor := catalog.Minor(v)
		unversioned := !strings.Contains(v, ".")
		if unversioned {
			minor = in.Catalog.PythonLatest()
		}
		alternatives := []string{
			fmt.Sprintf("Chainguard's cgr.dev/chainguard/python (free tier: :latest only — pin by digest), or Ubuntu chiselled Python"),
			fmt.Sprintf("python:%s-slim in a cleaned-up multi-stage build (a venv copied into a slim runtime of the same minor)", minor),
		}
		also := ""
		if lost != "" {
			also = " Note also that " + lost + "."
		}
		switch {
		case minor == target:
		case im.IsEOL(minor):
			return convert.Declinef(append([]string{fmt.Sprintf("move the project to Python %s first (a venv on python:%s-slim-trixie), then run `distill fix` again", target, target)}, alternatives...),
				"%s is Python %s, which is end of life (the official images stopped updating it), and distroless ships only Python %s (%s): a jump of %s minors needs the project's own testing, not a Dockerfile rewrite.%s",
				st.Base.Familiar(), minor, target, in.DistrolessRef(s.img), minorDistance(minor, target), also)
		case catalog.CompareVersions(minor, target) > 0 && !unversioned:
			return convert.Declinef(alternatives,
				"%s is Python %s, newer than the Python %s that %s ships (distroless publishes one minor per Debian release); moving down a minor can break code and dependencies.%s",
				st.Base.Familiar(), minor, target, in.DistrolessRef(s.img), also)
		case !in.Options.AllowVersionChange:
			return convert.Declinef(alternatives,
				"%s is Python %s and %s ships only Python %s; version changes are disabled in the configuration (images.allow_version_change).%s",
				st.Base.Familiar(), minor, in.DistrolessRef(s.img), target, also)
		case unversioned:
			upgraded = convert.AppendUnique(upgraded, fmt.Sprintf("%s floats (it means Python %s today); the build is pinned to %s, the minor %s ships — code that needs %s-only features (or newer dependency releases) will not run", st.Base.Familiar(), minor, target, in.DistrolessRef(s.img), minor))
		case in.Catalog.PythonUpgradable(minor):
			upgraded = convert.AppendUnique(upgraded, fmt.Sprintf("%s (Python %s) is upgraded to Python %s, the only minor %s ships", st.Base.Familiar(), minor, target, in.DistrolessRef(s.img)))
		default:
			return convert.Declinef(alternatives, "%s is Python %s, which distill has no policy for; distroless ships only Python %s", st.Base.Familiar(), minor, target)
		}
		alpine := im.IsAlpine(tag)
		if alpine {
			for _, rc := range in.Commands(st) {
				if rc.Is("apk") {
					return convert.Declinef([]string{fmt.Sprintf("build on %s with apt-get instead of apk, then run `distill fix` again", in.Catalog.PythonBuilder(target, 13))},
						"%s is Alpine: its wheels and C extensions are built against musl and cannot run on distroless (glibc), and its build steps use apk (line %d), which a Debian builder does not have", st.Base.Familiar(), rc.Instruction.StartLine)
				}
			}
		}
		if s.inChain[st] && s.inPlaceCandidate() {
			continue // the shipped stage becomes the distroless image
		}
		newImage := ""
		debian, known := in.Catalog.ImageDebian(im, tag)
		switch {
		case minor != target || alpine:
			newImage = in.Catalog.PythonBuilder(target, in.Options.Debian)
			if alpine {
				s.p.Note(convert.Change, "%s is Alpine (musl): wheels built there cannot run on distroless (glibc); the stage builds on %s instead", st.Base.Familiar(), newImage)
			}
		case !known || debian > in.Options.Debian:
			newImage = in.Catalog.PythonBuilder(target, in.Options.Debian)
		case !hasCodename(in, tag) && st.Base.Digest == "":
			newImage = fmt.Sprintf("%s:%s-%s", st.Base.Name(), tag, in.Catalog.Codename(debian))
			s.p.Note(convert.Change, "%s is pinned to %s so C extensions built there keep matching python3-debian13's glibc when upstream's default Debian moves", st.Base.Familiar(), newImage)
		}
		if newImage == "" {
			continue
		}
		if im.IsToolchainTag(tag) && !alpine && minor != target {
			s.p.Note(convert.Risk, "%s had gcc and development headers; %s does not: if a dependency has no Python %s wheel, add `apt-get install -y --no-install-recommends gcc libc6-dev` to the build stage", st.Base.Familiar(), newImage, target)
		}
		if st == in.Target {
			s.p.TargetImage = newImage
		} else {
			s.p.SetBuilderImage(st, newImage)
		}
	}
	if len(upgraded) > 0 {
		s.p.Note(convert.Behavior, "PYTHON VERSION CHANGE: %s. Dependency pins without Python %s wheels are the main risk: build the image and run the tests before merging", strings.Join(upgraded, "; "), target)
	}
	return nil
}

func hasCodename(in *convert.Input, tag string) bool {
	for _, w := range catalog.TagWords(tag) {
		if in.Catalog.DebianByCodename(w) != 0 {
			return true
		}
	}
	return false
}

func minorDistance(from, to string) string {
	a := strings.Split(from, ".")
	b := strings.Split(to, ".")
	if len(a) < 2 || len(b) < 2 || a[0] != b[0] {
		return "several"
	}
	var x, y int
	fmt.Sscan(a[1], &x)
	fmt.Sscan(b[1], &y)
	return fmt.Sprint(y - x)
}

// readContext reads the project files and declines dependencies that need
// system libraries, and projects that exclude the distroless Python.
func (s *state) readContext() *convert.Result {
	in, ctx := s.in, s.in.Context
	full := s.img.FullVersion
	pp, ppReqs, hasPP := readPyproject(ctx)
	if hasPP {
		s.proj.RequiresPython, s.proj.RequiresFrom = pp.Project.RequiresPython, "pyproject.toml requires-python"
		if v, ok := pp.Tool.Poetry.Dependencies["python"].(string); ok && s.proj.RequiresPython == "" {
			s.proj.RequiresPython, s.proj.RequiresFrom = v, "pyproject.toml [tool.poetry.dependencies] python"
		}
		for name := range pp.Project.Scripts {
			s.proj.Scripts = append(s.proj.Scripts, name)
		}
		for name := range pp.Tool.Poetry.Scripts {
			s.proj.Scripts = append(s.proj.Scripts, name)
		}
	}
	pfReqs, pfPython := pipfile(ctx)
	if pfPython != "" && s.proj.RequiresPython == "" {
		s.proj.RequiresPython, s.proj.RequiresFrom = "=="+pfPython+".*", "Pipfile [requires] python_version"
		if strings.Count(pfPython, ".") >= 2 {
			s.proj.RequiresPython = "==" + pfPython
		}
	}
	s.proj.PythonVersionFile = pythonVersionFile(ctx)
	if s.proj.RequiresPython != "" {
		if ok, known := satisfies(full, s.proj.RequiresPython); known && !ok {
			return convert.Declinef([]string{fmt.Sprintf("allow Python %s in %s if the project supports it, then run `distill fix` again", s.img.Version, s.proj.RequiresFrom),
				"Chainguard's cgr.dev/chainguard/python or a python:<your minor>-slim multi-stage build"},
				"%s is %q, which excludes Python %s, the only version %s ships", s.proj.RequiresFrom, s.proj.RequiresPython, full, in.DistrolessRef(s.img))
		}
	}
	if v := s.proj.PythonVersionFile; v != "" && v != s.img.Version && s.uv {
		return convert.Declinef([]string{fmt.Sprintf("set .python-version to %s (the Python distroless ships) if the project supports it, then run `distill fix` again", s.img.Version)},
			".python-version asks for Python %s, and uv follows it: in a Python %s build stage uv would look for (or download) another interpreter, and the venv would not run on %s", v, s.img.Version, in.DistrolessRef(s.img))
	}
	// Dependencies that the installs read.
	var reqs []requirement
	readReq := func(name string, st *dockerfile.Stage, at *dockerfile.Instruction) {
		for _, cand := range contextCandidates(name, in.WorkdirAt(st, at)) {
			if r, ok := readRequirements(ctx, cand, map[string]bool{}); ok {
				reqs = append(reqs, r...)
				return
			}
		}
	}
	for _, i := range s.installs {
		switch i.tool {
		case "pip", "uv-pip":
			if i.pip == nil {
				continue
			}
			for _, r := range i.pip.Requirements {
				readReq(r, i.stage, i.rc.Instruction)
			}
			for _, p := range i.pip.Packages {
				if p == "." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "-") {
					if hasPP {
						reqs = append(reqs, ppReqs...)
					}
					continue
				}
				if r, ok := parseRequirement(p, "the Dockerfile"); ok && !strings.Contains(p, "$") {
					reqs = append(reqs, r)
				}
			}
		case "uv":
			reqs = append(reqs, ppReqs...)
			reqs = append(reqs, lockPackages(ctx, "uv.lock")...)
		case "poetry":
			reqs = append(reqs, ppReqs...)
			reqs = append(reqs, lockPackages(ctx, "poetry.lock")...)
		case "pipenv":
			reqs = append(reqs, pfReqs...)
			reqs = append(reqs, pipfileLock(ctx)...)
		}
	}
	s.reqs = reqs
	if len(s.installs) > 0 && len(reqs) == 0 {
		s.p.Note(convert.Risk, "distill could not read the project's dependency list, so it could not check for packages that need system libraries distroless lacks (source-built psycopg2, mysqlclient, GDAL, non-headless OpenCV…): such an import fails at run time with \"cannot open shared object file\"")
	}
	if r, np := nativeProblem(in.Catalog, reqs); np != nil {
		alts := []string{}
		if np.Binary != "" {
			alts = append(alts, fmt.Sprintf("depend on %s instead (it does not need %s from the system), then run `distill fix` again", np.Binary, np.Needs))
		}
		alts = append(alts, fmt.Sprintf("copy the exact shared-library closure of %s from a trixie build stage into the image (see the rulebook §4.7)", np.Needs),
			"keep a python:3.13-slim-trixie runtime with the library installed")
		return convert.Declinef(alts, "the dependency %s needs %s at run time, which %s does not have (ImportError: cannot open shared object file)", describeReq(r), np.Needs, in.DistrolessRef(s.img))
	}
	return nil
}

// contextCandidates maps a path used in the image to repository paths.
func contextCandidates(name, workdir string) []string {
	var out []string
	if strings.Contains(name, "$") {
		return nil
	}
	if strings.HasPrefix(name, "/") {
		if rel := strings.TrimPrefix(name, strings.TrimSuffix(workdir, "/")+"/"); rel != name {
			out = append(out, rel)
		}
	} else {
		out = append(out, path.Clean(name))
	}
	return append(out, path.Base(name))
}

// systemPackages declines build stages that compile against libraries the
// python3 image lacks, and shipped stages that install runtime packages.
func (s *state) systemPackages() *convert.Result {
	in := s.in
	hc := func(pkg string) bool { return in.OnlyForHealthcheck(pkg) }
	for _, st := range in.Reachable() {
		for _, rc := range in.Commands(st) {
			sc := in.Script(rc.Instruction)
			for _, ai := range sc.AptInstalls() {
				if ai.Cmd != rc.Command {
					continue
				}
				for _, pkg := range ai.Packages {
					pkg = strings.SplitN(pkg, "=", 2)[0]
					if strings.Contains(pkg, "$") {
						continue
					}
					if !in.Catalog.PythonBuildPackageOK(pkg) {
						lib := in.Catalog.Python.DevRuntime[pkg]
						if lib == "" {
							lib = "the library " + pkg + " provides headers for"
						}
						return convert.Declinef([]string{
							"use a dependency that bundles the library (psycopg2-binary, psycopg[binary], opencv-python-headless, manylinux wheels) and remove " + pkg + ", then run `distill fix` again",
							fmt.Sprintf("copy the exact shared-library closure of %s from a trixie build stage into the image (rulebook §4.7)", lib),
							"keep a python:3.13-slim-trixie runtime with " + lib + " installed",
						}, "%s installs %s (line %d): a dependency is compiled against %s, which %s does not have, so the import would fail with \"cannot open shared object file\"",
							st.Describe(), pkg, rc.Instruction.StartLine, lib, in.DistrolessRef(s.img))
					}
					if !s.inChain[st] || in.Catalog.InPythonImage(pkg) || in.Catalog.IsToolchainPackage(pkg) || hc(pkg) {
						continue
					}
					if in.Catalog.IsRuntimeTool(pkg) {
						return convert.Declinef([]string{
							"if the application does not run " + pkg + " at run time, remove the install and run `distill fix` again",
							"keep python:3.13-slim-trixie as the runtime in a multi-stage build",
						}, "the shipped image installs %s (line %d), a tool distroless does not have; the application may depend on it at run time", pkg, rc.Instruction.StartLine)
					}
					return convert.Declinef([]string{
						"switch to a Python package that bundles the library (a manylinux wheel), then run `distill fix` again",
						"copy the exact shared-library closure from a trixie build stage (rulebook §4.7)",
						"keep python:3.13-slim-trixie as the runtime in a multi-stage build",
					}, "the shipped image installs %s at run time (line %d), which %s does not have", pkg, rc.Instruction.StartLine, in.DistrolessRef(s.img))
				}
			}
		}
	}
	return nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// derivesFrom reports whether st is anc or built FROM it.
func derivesFrom(st, anc *dockerfile.Stage) bool {
	for cur := st; cur != nil; cur = cur.BaseStage {
		if cur == anc {
			return true
		}
	}
	return false
}
