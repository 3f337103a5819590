package python

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// rewrites collects in-place changes to RUN lines so that each instruction
// is replaced once.
type rewrites struct {
	order []*dockerfile.Instruction
	text  map[*dockerfile.Instruction]string
}

func (s *state) rewrite(ins *dockerfile.Instruction, f func(string) string) bool {
	if s.rw.text == nil {
		s.rw.text = map[*dockerfile.Instruction]string{}
	}
	cur, ok := s.rw.text[ins]
	if !ok {
		cur = ins.Original
	}
	next := f(cur)
	if next == cur {
		return false
	}
	if !ok {
		s.rw.order = append(s.rw.order, ins)
	}
	s.rw.text[ins] = next
	return true
}

func (s *state) flushRewrites() {
	for _, ins := range s.rw.order {
		if t := s.rw.text[ins]; t != ins.Original {
			s.p.Editor.Replace(ins, t)
		}
	}
}

// replaceWord replaces old where it stands as a whole shell word.
func replaceWord(text, old, new string, n int) string {
	re := regexp.MustCompile(`(^|[\s;&|(])` + regexp.QuoteMeta(old) + `([\s;&|)]|$)`)
	count := 0
	return re.ReplaceAllStringFunc(text, func(m string) string {
		if n >= 0 && count >= n {
			return m
		}
		count++
		sub := re.FindStringSubmatch(m)
		return sub[1] + new + sub[2]
	})
}

// removeFlag removes a flag (and its value) from a command line.
func removeFlag(text, flag, value string) string {
	pat := `(\s+)` + regexp.QuoteMeta(flag)
	if value != "" {
		pat += `(?:=|\s+)` + regexp.QuoteMeta(value)
	}
	re := regexp.MustCompile(pat + `(\s|$)`)
	return re.ReplaceAllString(text, "$2")
}

// prepareVenv makes sure the packages land in a venv whose interpreter
// exists in distroless: it fixes the user's own venv or creates one, and
// rewrites installs that would bypass it.
func (s *state) prepareVenv() *convert.Result {
	if len(s.installs) == 0 {
		return nil
	}
	first := s.installs[0]
	if v := s.userVenv; v != nil {
		if !v.ok {
			switch v.tool {
			case "venv":
				s.rewrite(v.rc.Instruction, func(t string) string {
					return replaceWord(t, v.exe+" -m venv", "ln -s /usr/local/bin/python /usr/bin/python && /usr/bin/python -m venv", 1)
				})
				s.p.Note(convert.Change, "the venv %s is created with /usr/bin/python (a symlink to the builder's interpreter): a venv records the interpreter's directory, and %s exists in distroless while /usr/local/bin/python does not", v.dir, "/usr/bin/python")
			case "uv":
				if _, has := v.rc.Command.Flag("--python", "-p"); has {
					return convert.Declinef([]string{"create the venv with `uv venv --python /usr/bin/python3` after `ln -s /usr/local/bin/python3 /usr/bin/python3`"},
						"the venv %s is created by uv with an explicit interpreter that does not exist in distroless, so its python would not start there", v.dir)
				}
				s.rewrite(v.rc.Instruction, func(t string) string {
					return replaceWord(t, v.exe+" venv", "ln -s /usr/local/bin/python3 /usr/bin/python3 && "+v.exe+" venv --python /usr/bin/python3", 1)
				})
				s.p.Note(convert.Change, "the venv %s is created by uv from /usr/bin/python3 (a symlink to the builder's interpreter), the path distroless has", v.dir)
				s.p.Note(convert.Risk, "check in the build stage that `readlink %s/bin/python` starts with /usr/bin/ (uv records the interpreter it was given)", v.dir)
			default:
				return convert.Declinef([]string{"create the venv with `/usr/bin/python -m venv " + v.dir + "` after `ln -s /usr/local/bin/python /usr/bin/python`"},
					"the venv %s is created with virtualenv from the builder's /usr/local/bin interpreter, which distroless does not have", v.dir)
			}
		}
		env := dockerfileEnv(v.stage, first.rc.Instruction)
		var add []string
		if !strings.Contains(env["PATH"], v.dir+"/bin") && s.bareInstalls() {
			add = append(add, "VIRTUAL_ENV="+v.dir, `PATH="`+v.dir+`/bin:$PATH"`)
		}
		if s.uvSync() && env["UV_PROJECT_ENVIRONMENT"] != v.dir {
			add = append(add, "UV_PROJECT_ENVIRONMENT="+v.dir, "UV_PYTHON_DOWNLOADS=never")
		}
		if len(add) > 0 {
			s.p.Editor.InsertAfter(v.rc.Instruction, s.kw("ENV")+" "+strings.Join(add, " "))
			s.p.Note(convert.Change, "the build uses the venv %s for its installs (ENV %s)", v.dir, strings.Join(add, " "))
		}
	} else {
		at, chown := s.insertPoint(first)
		run := s.kw("RUN") + " ln -s /usr/local/bin/python /usr/bin/python && /usr/bin/python -m venv " + s.venvDir
		if chown != "" {
			run += " && chown -R " + chown + " " + s.venvDir
		}
		env := s.kw("ENV") + " VIRTUAL_ENV=" + s.venvDir + ` PATH="` + s.venvDir + `/bin:$PATH"`
		if s.uvSync() {
			env += " UV_PROJECT_ENVIRONMENT=" + s.venvDir + " UV_PYTHON_DOWNLOADS=never"
		}
		s.p.Editor.InsertBefore(at, run+"\n"+env)
		s.p.Note(convert.Change, "packages are installed into the venv %s (created with /usr/bin/python, a symlink to the builder's interpreter, so the venv's python exists in distroless) and the venv is copied into the final image", s.venvDir)
		if s.uvSync() {
			s.p.Note(convert.Change, "uv sync installs into %s (UV_PROJECT_ENVIRONMENT) with the image's Python, never a downloaded one (UV_PYTHON_DOWNLOADS=never)", s.venvDir)
			s.p.Note(convert.Risk, "uv reuses the existing venv %s; check in the build stage that `readlink %s/bin/python` still prints /usr/bin/python (if uv recreated the venv from /usr/local/bin, it would not start on distroless)", s.venvDir, s.venvDir)
		}
		if len(s.tools) > 0 {
			s.p.Note(convert.Risk, "%s is installed with pip into the venv %s, so it ships in the final image; install it with pipx or into a separate venv to keep the image smaller", strings.Join(s.tools, ", "), s.venvDir)
		}
	}
	// Installs that would bypass the venv.
	for _, i := range s.installs {
		ins := i.rc.Instruction
		if i.pip != nil {
			if i.pip.User {
				s.rewrite(ins, func(t string) string { return removeFlag(t, "--user", "") })
				s.p.Note(convert.Change, "line %d: `pip install --user` became a plain install: --user puts packages in ~/.local, outside the venv (pip refuses --user inside a venv)", ins.StartLine)
			}
			if i.pip.Prefix != "" {
				s.rewrite(ins, func(t string) string { return removeFlag(t, "--prefix", i.pip.Prefix) })
				s.p.Note(convert.Change, "line %d: `--prefix %s` is dropped so pip installs into the venv: a prefix tree copied to /usr/local is not on the sys.path of distroless's Debian Python", ins.StartLine, i.pip.Prefix)
			}
			if i.tool == "uv-pip" && i.rc.Command.HasFlag("--system") {
				s.rewrite(ins, func(t string) string { return replaceWord(t, "--system", "--python "+s.venvDir+"/bin/python", -1) })
				s.p.Note(convert.Change, "line %d: `uv pip install --system` installs into the venv instead (--python %s/bin/python)", ins.StartLine, s.venvDir)
			}
		}
		name := i.rc.Command.Name
		switch {
		case strings.HasPrefix(name, "/usr/local/bin/") && (pipExe.MatchString(path.Base(name)) || pythonExe.MatchString(path.Base(name))):
			repl := s.venvDir + "/bin/" + strings.TrimSuffix(versionExe.ReplaceAllString(path.Base(name), "$1"), "3")
			s.rewrite(ins, func(t string) string { return replaceWord(t, name, repl, -1) })
			s.p.Note(convert.Change, "line %d: %s is now %s: the absolute path bypassed the venv", ins.StartLine, name, repl)
		case versionExe.MatchString(path.Base(name)) && !strings.HasSuffix(path.Base(name), "."+minorOf(s.img.Version)):
			repl := versionExe.ReplaceAllString(path.Base(name), "$1")
			s.rewrite(ins, func(t string) string { return replaceWord(t, name, repl, -1) })
			s.p.Note(convert.Change, "line %d: %s is now %s: the build stage runs Python %s", ins.StartLine, name, repl, s.img.Version)
		}
		if i.tool == "pipenv" {
			s.p.Note(convert.Risk, "pipenv runs with the venv %s active (VIRTUAL_ENV); check in the build stage that `%s/bin/python -m pip list` shows the Pipfile.lock packages", s.venvDir, s.venvDir)
		}
	}
	return nil
}

func minorOf(v string) string {
	_, m, _ := strings.Cut(v, ".")
	return m
}

func dockerfileEnv(st *dockerfile.Stage, at *dockerfile.Instruction) map[string]string {
	return convert.EnvAt(st, at)
}

func (s *state) uvSync() bool {
	for _, i := range s.installs {
		if i.tool == "uv" {
			return true
		}
	}
	return false
}

// bareInstalls reports whether some install runs pip/poetry/pipenv by a
// bare name (so PATH decides where packages go).
func (s *state) bareInstalls() bool {
	for _, i := range s.installs {
		if !strings.Contains(i.rc.Command.Name, "/") && i.tool != "uv" {
			return true
		}
	}
	return false
}

// insertPoint returns the line the venv creation goes before: after the
// install stage's FROM, or before a non-root USER that precedes the first
// install (then the venv is handed to that user).
func (s *state) insertPoint(first install) (int, string) {
	st := s.insertStage
	var user *dockerfile.Instruction
	for _, ins := range st.Instructions {
		if ins == first.rc.Instruction {
			break
		}
		if ins.Kind == dockerfile.KindUser {
			if u, _, _ := strings.Cut(ins.Value, ":"); u == "root" || u == "0" {
				user = nil
			} else if user == nil {
				user = ins
			}
		}
	}
	if user != nil {
		return user.StartLine, user.Value
	}
	return st.From.EndLine + 1, ""
}

// inPlaceCandidate reports whether the shipped stage only assembles files,
// so its FROM can become the distroless image in place.
func (s *state) inPlaceCandidate() bool {
	in := s.in
	if len(in.Chain) != 1 {
		return false
	}
	if in.RootBase().IsDistroless() {
		return true
	}
	if s.venvStage != nil && s.inChain[s.venvStage] {
		return false
	}
	t := in.Target
	for _, ins := range t.Instructions {
		switch ins.Kind {
		case dockerfile.KindRun:
			if !in.RemovableRunWith(ins, func(pkg string) bool { return in.OnlyForHealthcheck(pkg) }) {
				return false
			}
		case dockerfile.KindOnbuild:
			return false
		}
	}
	if len(s.rt.Volumes) > 0 && in.Options.NonRoot && s.venvStage == nil {
		return false
	}
	return true
}

func (s *state) inPlace() bool { return s.inPlaceCandidate() }

// copyKeyword renders COPY in the file's casing.
func (s *state) copyLine(from, src, dst, chown string) string {
	flags := "--from=" + from
	if chown != "" {
		flags += " --chown=" + chown
	}
	return fmt.Sprintf("%s %s %s %s", s.kw("COPY"), flags, src, dst)
}
