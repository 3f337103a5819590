package python

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// command is the converted ENTRYPOINT/CMD.
type command struct {
	Entrypoint, Cmd []string
}

// venvPython is the interpreter the image runs: the venv's, or "" for the
// image's own ENTRYPOINT when nothing is installed.
func (s *state) venvPython() string {
	if s.venvDir == "" {
		return ""
	}
	return s.venvDir + "/bin/python3"
}

// mapProgram converts what the original image runs to exec form on
// python3-debian13: interpreters become the venv's python, console scripts
// the venv's copy, `poetry run`/`uv run`/`pipenv run` are dropped, and
// scripts run through the interpreter (there is no /usr/bin/env).
func (s *state) mapProgram(prog *convert.Program) (*command, *convert.Result) {
	in := s.in
	if len(s.installs) > 0 && s.venvDir == "" {
		s.venvDir = "/venv"
	}
	argv := prog.Argv()
	nEP := len(prog.Entrypoint)
	implicit := false
	if in.RootBase().IsDistroless() && nEP == 0 {
		// CMD holds arguments to the image's own interpreter.
		argv = append([]string{s.img.Interpreter}, argv...)
		implicit = true
		if s.venvDir != "" {
			s.p.Note(convert.Change, "the image ran %s with distroless's own interpreter, which does not see the packages in the venv %s; it now runs %s", strings.Join(prog.Cmd, " "), s.venvDir, s.venvPython())
		}
	}
	strip := func(k int, runner string) {
		argv = argv[k:]
		nEP -= k
		if nEP < 0 {
			nEP = 0
		}
		s.p.Note(convert.Change, "`%s` is dropped from the command: the venv's programs run directly", runner)
	}
	for len(argv) > 1 {
		b := path.Base(argv[0])
		if (b == "poetry" || b == "pipenv") && argv[1] == "run" {
			strip(2, b+" run")
			continue
		}
		if b == "uv" && argv[1] == "run" {
			k := 2
			for k < len(argv) && strings.HasPrefix(argv[k], "-") {
				switch argv[k] {
				case "--no-sync", "--frozen", "--locked", "--no-dev", "--offline", "--no-project", "--active":
					k++
				default:
					return nil, convert.Declinef([]string{"run the venv's program directly (e.g. `CMD [\"python\", \"app.py\"]`) and run `distill fix` again"},
						"the image runs `uv run` with %s, which changes what uv does at start-up; distroless has no uv", argv[k])
				}
			}
			strip(k, "uv run")
			continue
		}
		break
	}
	if len(argv) == 0 {
		return nil, convert.Declinef(nil, "the image's command is only a package-manager runner with no program")
	}
	a0 := argv[0]
	b := path.Base(a0)
	exe := ""
	var rest []string
	script := false
	switch {
	case pythonExe.MatchString(b):
		exe, rest = s.venvPython(), argv[1:]
	case strings.HasSuffix(b, ".py"):
		exe, rest, script = s.venvPython(), argv, true
		s.p.Note(convert.Change, "%s is run through the interpreter: a `#!/usr/bin/env python3` script cannot start on distroless, which has no /usr/bin/env", a0)
	case s.isConsoleScript(a0):
		if s.venvDir == "" {
			return nil, convert.Declinef([]string{"install it with pip in the Dockerfile and run `distill fix` again"},
				"the image runs %s, but no pip/poetry/uv install in the Dockerfile provides it", a0)
		}
		exe, rest = s.venvDir+"/bin/"+b, argv[1:]
	default:
		return nil, convert.Declinef([]string{"run a Python program through the interpreter (`CMD [\"python\", \"app.py\"]`) or a console script installed by pip, then run `distill fix` again"},
			"the image runs %s, which distill does not recognise as the Python interpreter, a Python script or a console script installed by the project's packages", a0)
	}
	for _, ds := range in.Catalog.Python.DevServers {
		for i, w := range argv {
			if path.Base(w) == ds.Program && i+1 < len(argv) && slices.Contains(ds.Args, argv[i+1]) {
				s.p.Note(convert.Risk, "%s", ds.Advice)
			}
		}
	}
	out := &command{}
	if exe == "" {
		// Nothing installed: the image's own ENTRYPOINT (the interpreter)
		// runs CMD.
		if nEP == 0 {
			out.Cmd = rest
			return out, nil
		}
		exe = s.img.Interpreter
	}
	words := append([]string{exe}, rest...)
	ep := 1
	switch {
	case nEP == 0:
	case script:
		ep = nEP + 1
	default:
		ep = nEP
	}
	if ep > len(words) {
		ep = len(words)
	}
	out.Entrypoint = words[:ep]
	if len(words) > ep {
		out.Cmd = words[ep:]
	}
	if nEP == 0 && !prog.FromEntrypoint && !implicit {
		s.p.Note(convert.Behavior, "the program is now the ENTRYPOINT (%s): `docker run IMAGE args` passes args to it instead of replacing the command, and a Kubernetes `command:` written for the old image (e.g. [\"python\", …]) must be updated", strings.Join(out.Entrypoint, " "))
	}
	return out, nil
}

// isConsoleScript reports whether the program is a console script the
// packages install: a known server, a script the project defines, or a
// program under a bin directory pip writes to.
func (s *state) isConsoleScript(a0 string) bool {
	b := path.Base(a0)
	if strings.Contains(a0, "/") {
		dir := path.Dir(a0)
		switch {
		case s.venvDir != "" && dir == s.venvDir+"/bin", dir == "/usr/local/bin", strings.HasSuffix(dir, "/.local/bin"), strings.HasSuffix(dir, "/.venv/bin"):
		default:
			return false
		}
		if len(s.installs) > 0 {
			return true
		}
	}
	return slices.Contains(s.in.Catalog.Python.Servers, b) || slices.Contains(s.proj.Scripts, b)
}

// envWithoutBypass drops PATH entries that pointed to packages outside
// the venv (~/.local/bin, the uv project .venv the build no longer uses).
func (s *state) pathEntryObsolete(e string) bool {
	e = strings.Trim(e, `"`)
	switch {
	case strings.HasSuffix(e, "/.local/bin"):
		return true
	case s.userVenv == nil && s.venvDir != "" && strings.HasSuffix(e, "/.venv/bin"):
		return true
	}
	return false
}

// fixPath removes obsolete entries from a PATH value (quotes as written
// are removed when something changes).
func (s *state) fixPath(v string) (string, []string) {
	raw := v
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		raw = v[1 : len(v)-1]
	}
	var keep, removed []string
	for _, p := range strings.Split(raw, ":") {
		if s.pathEntryObsolete(p) {
			removed = append(removed, p)
			continue
		}
		keep = append(keep, p)
	}
	if len(removed) == 0 {
		return v, nil
	}
	return strings.Join(keep, ":"), removed
}

func onlyPath(v string) bool { return v == "$PATH" || v == "${PATH}" || v == "" }

// runtimeEnv is the final stage's ENV: the original runtime ENV with
// obsolete PATH entries removed and the venv's bin directory added.
func (s *state) runtimeEnv() []dockerfile.KeyValue {
	var out []dockerfile.KeyValue
	hasVenvPath := false
	for _, kv := range s.rt.Env {
		if kv.Key == "PATH" {
			v, removed := s.fixPath(kv.Value)
			if len(removed) > 0 {
				s.p.Note(convert.Change, "PATH no longer lists %s: the packages live in the venv %s", strings.Join(removed, ", "), s.venvDir)
			}
			if onlyPath(v) {
				continue
			}
			kv.Value = v
			if s.venvDir != "" && strings.Contains(v, s.venvDir+"/bin") {
				hasVenvPath = true
			}
		}
		out = append(out, kv)
	}
	if s.venvDir != "" && !hasVenvPath {
		out = append(out, dockerfile.KeyValue{Key: "PATH", Value: s.venvDir + "/bin:$PATH"})
	}
	return out
}

// appPaths are the directories and files the final image needs from the
// build stage: everything the shipped chain copied in, and WORKDIR.
func (s *state) appPaths() ([]string, *convert.Result) {
	in := s.in
	set := map[string]bool{}
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From != "" && in.File.Stage(ins.Copy.From) == nil {
				continue // an external image's files
			}
			wd := in.WorkdirAt(st, ins)
			dst := convert.Absolute(wd, ins.Copy.Dest)
			if strings.Contains(dst, "$") {
				return nil, convert.Declinef([]string{"use literal destination paths in COPY"}, "line %d copies to %s, a path distill cannot resolve", ins.StartLine, ins.Copy.Dest)
			}
			if dst == "/" {
				return nil, convert.Declinef([]string{"copy the application into its own directory (`WORKDIR /app` before `COPY . .`) and run `distill fix` again"},
					"line %d copies the application into /, and distill cannot copy the whole root filesystem into the distroless image", ins.StartLine)
			}
			set[dst] = true
		}
	}
	if s.rt.Workdir != "" && s.rt.Workdir != "/" {
		set[s.rt.Workdir] = true
	}
	for _, e := range s.editables {
		set[e] = true
	}
	for _, t := range s.targetDirs {
		set[t] = true
	}
	var all []string
	for p := range set {
		if s.venvDir != "" && (p == s.venvDir || strings.HasPrefix(p, s.venvDir+"/")) {
			continue
		}
		all = append(all, p)
	}
	sort.Strings(all)
	var out []string
	for _, p := range all {
		covered := false
		for _, q := range out {
			if strings.HasPrefix(p, q+"/") {
				covered = true
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *state) healthcheck(hc *dockerfile.Instruction) (string, *convert.Note) {
	interp := s.venvPython()
	if interp == "" {
		interp = s.img.Interpreter
	}
	return s.in.ConvertHealthcheck(hc, convert.HealthProbe{Kind: "python", Interpreter: interp}, func(p string) bool {
		return p == interp || (s.venvDir != "" && strings.HasPrefix(p, s.venvDir+"/bin/"))
	})
}

// finishSplit turns the shipped stage into a build stage and appends the
// distroless stage.
func (s *state) finishSplit(cmd *command) (*convert.Result, error) {
	in, p := s.in, s.p
	paths, d := s.appPaths()
	if d != nil {
		return d, nil
	}
	if p.Runtime.Shell != nil {
		p.Note(convert.Change, "SHELL is not carried over: distroless has no shell")
	}
	s.flushRewrites()
	p.Split(p.TargetImage)
	image := in.DistrolessRef(s.img)
	fs := p.FinalStage(image)
	fs.Env = s.runtimeEnv()
	if s.venvDir != "" {
		from := p.BuilderRef
		if !s.inChain[s.venvStage] {
			from = s.venvStage.Ref()
		}
		fs.Copies = append(fs.Copies, s.copyLine(from, s.venvDir, s.venvDir, ""))
	}
	for _, pth := range paths {
		fs.Copies = append(fs.Copies, s.copyLine(p.BuilderRef, pth, pth, ""))
	}
	if in.Options.NonRoot {
		for _, v := range p.Runtime.Volumes {
			p.Editor.InsertAfter(in.Target.Instructions[len(in.Target.Instructions)-1], fmt.Sprintf("%s mkdir -p %s", s.kw("RUN"), v))
			fs.Copies = append(fs.Copies, s.copyLine(p.BuilderRef, v, v, "65532:65532"))
		}
	}
	if len(paths) > 0 {
		p.Note(convert.Change, "the final image gets the venv and the application files (%s) from the build stage, not the compilers and caches", strings.Join(paths, ", "))
		if in.Options.NonRoot {
			p.Note(convert.Risk, "%s is owned by root and read-only for uid 65532: if the application writes there (uploads, SQLite, caches), create that directory in the build stage and COPY it with --chown=65532:65532", strings.Join(paths, ", "))
		}
	}
	if line, note := s.healthcheck(p.Runtime.Healthcheck); line != "" || note != nil {
		fs.Healthcheck = line
		if note != nil {
			p.Notes = append(p.Notes, *note)
		}
	}
	fs.Entrypoint, fs.Cmd = cmd.Entrypoint, cmd.Cmd
	return p.Finish(fs)
}

// finishInPlace rewrites the shipped stage, which only assembles files,
// into the distroless stage.
func (s *state) finishInPlace(cmd *command) (*convert.Result, error) {
	in, p, ed := s.in, s.p, s.p.Editor
	t := in.Target
	root := in.RootBase()
	image := in.DistrolessRef(s.img)
	switch {
	case root.IsDistroless():
		dl := in.Catalog.ParseDistroless(strings.TrimPrefix(root.Repository, "distroless/"), root.Tag)
		keep := root.Digest != "" || (dl.Published && dl.Removed == nil && dl.TagKnown && !strings.HasPrefix(dl.Tag, "debug") &&
			(!in.Options.NonRoot || strings.Contains(dl.Tag, "nonroot")))
		if keep {
			image = root.Familiar()
			break
		}
		ed.Replace(t.From, strings.Replace(t.From.Original, t.From.From.Image, image, 1))
		switch {
		case dl.Removed != nil:
			p.Note(convert.Change, "%s → %s: %s", root.Familiar(), image, dl.Removed.Reason)
		case dl.Debian == 0:
			p.Note(convert.Change, "%s → %s: untagged distroless names silently moved between Debian releases; pinning the release keeps the image from changing under you", root.Familiar(), image)
		case strings.HasPrefix(dl.Tag, "debug"):
			p.Note(convert.Behavior, "the :%s tag contains busybox and is not meant for production; the image now uses %s", dl.Tag, image)
		default:
			p.Note(convert.Change, "%s → %s", root.Familiar(), image)
		}
		if in.Options.NonRoot && !strings.Contains(dl.Tag, "nonroot") {
			p.Note(convert.Behavior, "the image ran as root (uid 0); :nonroot runs as uid 65532 with WORKDIR /home/nonroot — files the app writes must be owned by 65532")
		}
	default:
		ed.Replace(t.From, s.fromLine(t.From, image))
		p.Note(convert.Change, "the shipped stage runs on %s instead of %s", image, root.Familiar())
	}
	if !root.IsDistroless() {
		p.FinalStage(image) // user and port notes
	}
	// Where new COPY lines go: before the first COPY/ADD, else before the
	// first runtime instruction, else at the end.
	var anchor *dockerfile.Instruction
	for _, ins := range t.Instructions {
		if ins.Kind == dockerfile.KindCopy || ins.Kind == dockerfile.KindAdd {
			anchor = ins
			break
		}
	}
	if anchor == nil {
		for _, ins := range t.Instructions {
			switch ins.Kind {
			case dockerfile.KindExpose, dockerfile.KindUser, dockerfile.KindHealthcheck, dockerfile.KindCmd, dockerfile.KindEntrypoint, dockerfile.KindVolume, dockerfile.KindStopSignal:
				if anchor == nil {
					anchor = ins
				}
			}
		}
	}
	var inserts []string
	if s.venvDir != "" && s.venvCopy == nil {
		inserts = append(inserts, s.copyLine(s.venvStage.Ref(), s.venvDir, s.venvDir, ""))
	}
	// Writable volume directories, owned by the nonroot user, after the
	// stage's own COPY lines so nothing copied later resets them.
	var volumeCopies []string
	var lastCopy *dockerfile.Instruction
	for _, ins := range t.All(dockerfile.KindCopy, dockerfile.KindAdd) {
		lastCopy = ins
	}
	if in.Options.NonRoot && !root.IsDistroless() && s.venvStage != nil {
		for _, v := range p.Runtime.Volumes {
			ed.InsertAfter(s.venvStage.Instructions[len(s.venvStage.Instructions)-1], fmt.Sprintf("%s mkdir -p %s", s.kw("RUN"), v))
			volumeCopies = append(volumeCopies, s.copyLine(s.venvStage.Ref(), v, v, "65532:65532"))
		}
	}
	if lastCopy == nil {
		inserts = append(inserts, volumeCopies...)
		volumeCopies = nil
	}
	// PATH: the venv's bin directory, without entries that pointed to
	// packages outside it.
	hasVenvPath := false
	for _, ins := range t.All(dockerfile.KindEnv) {
		changed := false
		var pairs []string
		for _, kv := range ins.KeyValues.Pairs {
			if kv.Key == "PATH" {
				v, removed := s.fixPath(kv.Value)
				if len(removed) > 0 {
					changed = true
					p.Note(convert.Change, "PATH no longer lists %s: the packages live in the venv %s", strings.Join(removed, ", "), s.venvDir)
					if onlyPath(v) {
						continue
					}
					kv.Value = v
				}
				if s.venvDir != "" && strings.Contains(kv.Value, s.venvDir+"/bin") {
					hasVenvPath = true
				}
			}
			pairs = append(pairs, kv.Key+"="+convert.QuoteEnv(kv.Value))
		}
		if changed {
			if len(pairs) == 0 {
				ed.Delete(ins)
			} else {
				ed.Replace(ins, s.kw("ENV")+" "+strings.Join(pairs, " "))
			}
		}
	}
	if s.venvDir != "" && !hasVenvPath && !root.IsDistroless() {
		inserts = append(inserts, s.kw("ENV")+" "+"PATH="+convert.QuoteEnv(s.venvDir+"/bin:$PATH"))
	}
	if len(inserts) > 0 {
		if anchor != nil {
			ed.InsertBefore(anchor.StartLine, strings.Join(inserts, "\n"))
		} else {
			ed.InsertAfter(t.Instructions[len(t.Instructions)-1], strings.Join(inserts, "\n"))
		}
	}
	if len(volumeCopies) > 0 {
		ed.InsertAfter(lastCopy, strings.Join(volumeCopies, "\n"))
	}
	for _, c := range s.pkgCopies {
		ed.Delete(c)
		p.Note(convert.Change, "removed `%s`: it copied packages installed outside a venv, which distroless's Debian Python does not search (it reads dist-packages, not site-packages); the venv replaces it", truncate(c.Original, 70))
	}
	for _, ins := range t.Instructions {
		switch ins.Kind {
		case dockerfile.KindRun:
			ed.Delete(ins)
			p.Note(convert.Change, "removed `%s`: distroless already has CA certificates and time zones, and its nonroot user replaces a created one", truncate(ins.Original, 70))
		case dockerfile.KindUser:
			switch {
			case p.Runtime.NumericNonRootUser() && ins == p.Runtime.UserInstr:
			case in.Options.NonRoot:
				ed.Delete(ins)
			}
		case dockerfile.KindShell:
			ed.Delete(ins)
			p.Note(convert.Change, "SHELL is removed: distroless has no shell")
		case dockerfile.KindHealthcheck:
			line, note := s.healthcheck(ins)
			p.EditHealthcheck(ins, line, note)
		}
	}
	s.flushRewrites()
	s.placeCommand(cmd)
	return p.Text(image)
}

// placeCommand writes ENTRYPOINT and CMD into the shipped stage, touching
// only what differs.
func (s *state) placeCommand(cmd *command) {
	t, ed, rt := s.in.Target, s.p.Editor, s.p.Runtime
	render := func(kind string, words []string) string {
		if words == nil {
			return ""
		}
		return s.kw(kind) + " " + convert.ExecForm(words)
	}
	epLine, cmdLine := render("ENTRYPOINT", cmd.Entrypoint), render("CMD", cmd.Cmd)
	var ep, cm *dockerfile.Instruction
	if rt.Entrypoint != nil && rt.Entrypoint.Stage == t {
		ep = rt.Entrypoint
	}
	if rt.Cmd != nil && rt.Cmd.Stage == t {
		cm = rt.Cmd
	}
	last := t.Instructions[len(t.Instructions)-1]
	switch {
	case ep != nil && epLine == "":
		ed.Delete(ep)
	case ep != nil && epLine != ep.Original:
		ed.Replace(ep, epLine)
	case ep == nil && epLine != "":
		if cm != nil {
			ed.InsertBefore(cm.StartLine, epLine)
		} else {
			ed.InsertAfter(last, epLine)
		}
	}
	switch {
	case cm != nil && cmdLine == "":
		ed.Delete(cm)
	case cm != nil && cmdLine != cm.Original:
		ed.Replace(cm, cmdLine)
	case cm == nil && cmdLine != "":
		ed.InsertAfter(last, cmdLine)
	}
	if (ep != nil && ep.Exec.Shell) || (cm != nil && cm.Exec.Shell) {
		s.p.Note(convert.Change, "the command is now in exec form: distroless has no /bin/sh")
	}
}

// fromLine renders the shipped stage's FROM with a new image, keeping its
// flags and name.
func (s *state) fromLine(from *dockerfile.Instruction, image string) string {
	parts := []string{s.kw("FROM")}
	parts = append(parts, from.Flags...)
	parts = append(parts, image)
	if from.From.Name != "" {
		parts = append(parts, s.kw("AS"), from.From.Name)
	}
	return strings.Join(parts, " ")
}
