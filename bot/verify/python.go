package verify

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Python checks (distroless.md §3.2). A venv copied from a python:3.X
// builder into python3-debian13 breaks in three classic ways: bin/python
// points at /usr/local/bin/python3 (absent in distroless), pyvenv.cfg's home
// names a directory without an interpreter, or the packages sit under
// lib/python3.12 while the interpreter is 3.13. Last, the script or module
// the command names must exist where Python will look for it.

var (
	minorInName = regexp.MustCompile(`^python([0-9]+\.[0-9]+)$`)
	libPython   = regexp.MustCompile(`^python([0-9]+\.[0-9]+)$`)
	minorInPath = regexp.MustCompile(`/python([0-9]+\.[0-9]+)(/|$)`)
	versionNum  = regexp.MustCompile(`^([0-9]+\.[0-9]+)(\.|$)`)
)

// venv is a virtual environment found in the image.
type venv struct {
	root string
	cfg  map[string]string // pyvenv.cfg
	why  string            // how it is involved: "runs the command", "on PATH", …
}

type pythonRun struct {
	prog     *step
	active   *venv  // the venv the interpreter runs in (from its path)
	others   []venv // venvs on PATH or PYTHONPATH, not active
	minor    string // interpreter minor, "" if unknown
	minorHow string
}

func (in *inspection) checkPython(prog *step) {
	run := &pythonRun{prog: prog}
	// Python finds its venv from the path it was started as, before
	// symlinks: pyvenv.cfg next to, or one level above, the executable.
	if binDir := path.Dir(prog.res.Path); path.Base(binDir) == "bin" {
		if v := in.venvAt(path.Dir(binDir)); v != nil {
			v.why = "runs the command"
			run.active = v
		}
	}
	seen := map[string]bool{}
	if run.active != nil {
		seen[run.active.root] = true
	}
	for _, d := range in.pathDirs() {
		if path.Base(d) != "bin" || !strings.HasPrefix(d, "/") {
			continue
		}
		if v := in.venvAt(path.Dir(d)); v != nil && !seen[v.root] {
			seen[v.root] = true
			v.why = "on PATH"
			run.others = append(run.others, *v)
		}
	}
	for _, d := range in.pythonPath() {
		// /venv/lib/python3.13/site-packages → /venv
		root := d
		for i := 0; i < 3 && root != "/"; i++ {
			root = path.Dir(root)
		}
		if v := in.venvAt(root); v != nil && !seen[v.root] {
			seen[v.root] = true
			v.why = "on PYTHONPATH"
			run.others = append(run.others, *v)
		}
	}

	run.minor, run.minorHow = in.interpreterMinor(prog, run.active)
	if run.active != nil {
		in.checkVenv(run, run.active)
	}
	for i := range run.others {
		in.checkVenv(run, &run.others[i])
	}
	in.checkPythonVersion(run)
	in.checkPythonMain(run)
}

func (in *inspection) pythonPath() []string {
	pp, _ := in.getenv("PYTHONPATH")
	var out []string
	for _, d := range strings.Split(pp, ":") {
		if d != "" {
			out = append(out, absPath(d, in.cwd))
		}
	}
	return out
}

// venvAt reads root/pyvenv.cfg if there is one.
func (in *inspection) venvAt(root string) *venv {
	r, err := in.fs.stat(path.Join(root, "pyvenv.cfg"), "/")
	if err != nil || r.Node.kind != kindFile {
		return nil
	}
	data, err := in.fs.readSmall(r.Node, 64<<10)
	if err != nil {
		return nil
	}
	cfg := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		cfg[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return &venv{root: root, cfg: cfg}
}

// interpreterMinor reads the interpreter's minor version from its file name
// (python3.13) after symlinks, or failing that from the venv's pyvenv.cfg.
func (in *inspection) interpreterMinor(prog *step, active *venv) (string, string) {
	cands := []string{prog.res.Real}
	for i := len(prog.res.Hops) - 1; i >= 0; i-- {
		cands = append(cands, prog.res.Hops[i].Target)
	}
	cands = append(cands, prog.res.Path)
	for _, c := range cands {
		if m := minorInName.FindStringSubmatch(path.Base(c)); m != nil {
			if c == prog.res.Real {
				return m[1], "from the interpreter " + c
			}
			return m[1], "from the name " + c
		}
	}
	if active != nil {
		for _, k := range []string{"version", "version_info"} {
			if m := versionNum.FindStringSubmatch(active.cfg[k]); m != nil {
				return m[1], "from " + active.root + "/pyvenv.cfg " + k
			}
		}
	}
	return "", ""
}

// checkVenv proves that a venv's interpreter links and home resolve.
func (in *inspection) checkVenv(run *pythonRun, v *venv) {
	subject := v.root
	var problems, facts []string
	bin := path.Join(v.root, "bin")
	names := []string{"python", "python3"}
	if run.minor != "" {
		names = append(names, "python"+run.minor)
	}
	if run.active == v {
		names = append(names, path.Base(run.prog.res.Path))
	}
	present := 0
	done := map[string]bool{}
	for _, name := range names {
		p := path.Join(bin, name)
		if done[p] {
			continue
		}
		done[p] = true
		if _, err := in.fs.resolve(p, "/", false); err != nil {
			continue // not there at all: a venv needs only one of them
		}
		present++
		r, err := in.fs.stat(p, "/")
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case r.Node.kind != kindFile:
			problems = append(problems, r.chain()+" is a "+r.Node.kind.String())
		default:
			if len(facts) == 0 {
				facts = append(facts, r.chain()+" (in image)")
			}
		}
	}
	if present == 0 {
		problems = append(problems, bin+" has no python, python3 or python"+run.minor)
	}
	if home, ok := v.cfg["home"]; !ok {
		problems = append(problems, v.root+"/pyvenv.cfg has no home")
	} else if r, err := in.fs.stat(home, "/"); err != nil {
		problems = append(problems, fmt.Sprintf("pyvenv.cfg home = %s: %s", home, trimLeadingPath(err.Error(), home)))
	} else if r.Node.kind != kindDir {
		problems = append(problems, fmt.Sprintf("pyvenv.cfg home = %s is not a directory", home))
	} else if interp := in.findInterpreterIn(r.Real, run.minor); interp == "" {
		want := "python3"
		if run.minor != "" {
			want = "python" + run.minor + " or python3"
		}
		problems = append(problems, fmt.Sprintf("pyvenv.cfg home = %s has no %s interpreter", home, want))
	} else {
		facts = append(facts, fmt.Sprintf("pyvenv.cfg home = %s has %s", home, interp))
	}
	what := "venv " + v.root + " (" + v.why + ")"
	if len(problems) > 0 {
		in.add("python-venv", Fail, subject, "%s: %s", what, strings.Join(problems, "; "))
		return
	}
	in.add("python-venv", Pass, subject, "%s: %s", what, strings.Join(facts, "; "))
}

// findInterpreterIn names the interpreter file in dir, if there is one.
func (in *inspection) findInterpreterIn(dir, minor string) string {
	names := []string{"python3", "python"}
	if minor != "" {
		names = append([]string{"python" + minor}, names...)
	}
	for _, n := range names {
		if in.fs.isFile(path.Join(dir, n), "/") {
			return n
		}
	}
	return ""
}

// checkPythonVersion compares every version the image states: the
// interpreter's, each venv's lib/pythonX.Y and pyvenv.cfg version,
// PYTHONPATH entries, and the promised minor.
func (in *inspection) checkPythonVersion(run *pythonRun) {
	subject := run.prog.res.Path
	var problems, facts []string
	venvs := run.others
	if run.active != nil {
		venvs = append([]venv{*run.active}, venvs...)
	}
	if run.minor == "" {
		var evidence []string
		for _, v := range venvs {
			evidence = append(evidence, in.venvMinors(v.root)...)
		}
		sort.Strings(evidence)
		if in.exp.PythonMinor != "" || len(evidence) > 0 {
			in.add("python-version", Unknown, subject, "cannot tell the interpreter's version: %s is not named pythonX.Y and no pyvenv.cfg states one", run.prog.res.chain())
		}
		return
	}
	facts = append(facts, fmt.Sprintf("interpreter is Python %s (%s)", run.minor, run.minorHow))
	if in.exp.PythonMinor != "" && in.exp.PythonMinor != run.minor {
		problems = append(problems, fmt.Sprintf("the proposal promised Python %s", in.exp.PythonMinor))
	}
	for _, v := range venvs {
		minors := in.venvMinors(v.root)
		for _, m := range minors {
			if m != run.minor {
				problems = append(problems, fmt.Sprintf("venv %s has lib/python%s/site-packages, which Python %s does not read", v.root, m, run.minor))
			} else {
				facts = append(facts, fmt.Sprintf("venv %s has lib/python%s", v.root, m))
			}
		}
		for _, k := range []string{"version", "version_info"} {
			if m := versionNum.FindStringSubmatch(v.cfg[k]); m != nil && m[1] != run.minor {
				problems = append(problems, fmt.Sprintf("%s/pyvenv.cfg %s = %s", v.root, k, v.cfg[k]))
			}
		}
	}
	for _, d := range in.pythonPath() {
		if m := minorInPath.FindStringSubmatch(d); m != nil && m[1] != run.minor {
			problems = append(problems, fmt.Sprintf("PYTHONPATH entry %s is for Python %s", d, m[1]))
		}
	}
	if len(problems) > 0 {
		in.add("python-version", Fail, subject, "interpreter is Python %s (%s), but %s", run.minor, run.minorHow, strings.Join(problems, "; "))
		return
	}
	in.add("python-version", Pass, subject, "%s", strings.Join(facts, "; "))
}

// venvMinors lists the X.Y of every lib/pythonX.Y directory in a venv.
func (in *inspection) venvMinors(root string) []string {
	r, err := in.fs.stat(path.Join(root, "lib"), "/")
	if err != nil || r.Node.kind != kindDir {
		return nil
	}
	var out []string
	for _, name := range r.Node.list() {
		if m := libPython.FindStringSubmatch(name); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// checkPythonMain finds the script or module the interpreter is asked to
// run, the way CPython parses its command line.
func (in *inspection) checkPythonMain(run *pythonRun) {
	args := run.prog.args
	subject := run.prog.res.Path
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				in.checkPythonScript(subject, args[i+1])
			} else {
				in.add("python-main", Fail, subject, "%s is given no script after --", subject)
			}
			return
		case a == "-":
			in.add("python-main", Unknown, subject, "%s reads its program from standard input", subject)
			return
		case a == "--check-hash-based-pycs":
			i++
		case strings.HasPrefix(a, "--"):
			if a == "--help" || a == "--version" || a == "-V" {
				in.add("python-main", Fail, subject, "%s %s prints and exits", subject, a)
				return
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for j := 1; j < len(a); j++ {
				rest := a[j+1:]
				switch a[j] {
				case 'c':
					in.add("python-main", Pass, subject, "%s runs inline code (-c): no script file to check", subject)
					return
				case 'm':
					mod := rest
					if mod == "" && i+1 < len(args) {
						mod = args[i+1]
					}
					if mod == "" {
						in.add("python-main", Fail, subject, "%s -m is given no module", subject)
						return
					}
					in.checkPythonModule(run, mod)
					return
				case 'W', 'X':
					if rest == "" {
						i++
					}
					j = len(a)
				case 'h', 'V':
					in.add("python-main", Fail, subject, "%s %s prints and exits", subject, a)
					return
				}
			}
		default:
			in.checkPythonScript(subject, a)
			return
		}
	}
	in.add("python-main", Fail, subject, "%s is given no script or -m module: it would start the interactive prompt and exit at once without a terminal", subject)
}

func (in *inspection) checkPythonScript(subject, script string) {
	r, err := in.fs.stat(script, in.cwd)
	if err != nil {
		in.add("python-main", Fail, subject, "script %s%s", script, describeMissing(script, in.cwd, err))
		return
	}
	switch r.Node.kind {
	case kindFile:
		in.add("python-main", Pass, subject, "script %s is %s", script, r.chain())
	case kindDir:
		if in.fs.isFile(path.Join(r.Real, "__main__.py"), "/") {
			in.add("python-main", Pass, subject, "script directory %s has __main__.py", r.chain())
		} else {
			in.add("python-main", Fail, subject, "script %s is a directory without __main__.py", r.chain())
		}
	default:
		in.add("python-main", Fail, subject, "script %s is a %s", r.chain(), r.Node.kind)
	}
}

// sysPath approximates sys.path for "python -m": the working directory,
// PYTHONPATH, the standard library of the base interpreter and the
// site-packages of the venv (or the system's site/dist-packages). .pth files
// are not followed.
func (in *inspection) sysPath(run *pythonRun) []string {
	dirs := []string{in.cwd}
	dirs = append(dirs, in.pythonPath()...)
	minors := []string{run.minor}
	prefix := "/usr"
	if run.prog.res.Real != "" {
		prefix = path.Dir(path.Dir(run.prog.res.Real))
	}
	if run.active != nil {
		if home, ok := run.active.cfg["home"]; ok {
			prefix = path.Dir(home)
		}
	}
	if run.minor == "" {
		minors = nil
		if run.active != nil {
			minors = in.venvMinors(run.active.root)
		}
		if r, err := in.fs.stat(path.Join(prefix, "lib"), "/"); err == nil && r.Node.kind == kindDir {
			for _, name := range r.Node.list() {
				if m := libPython.FindStringSubmatch(name); m != nil {
					minors = append(minors, m[1])
				}
			}
		}
	}
	for _, m := range minors {
		lib := path.Join(prefix, "lib", "python"+m)
		dirs = append(dirs, lib, path.Join(lib, "lib-dynload"))
		if run.active != nil {
			dirs = append(dirs, path.Join(run.active.root, "lib", "python"+m, "site-packages"))
		} else {
			dirs = append(dirs,
				path.Join(lib, "site-packages"),
				path.Join(prefix, "local", "lib", "python"+m, "dist-packages"),
				path.Join(prefix, "lib", "python3", "dist-packages"))
		}
	}
	return dirs
}

func (in *inspection) checkPythonModule(run *pythonRun, mod string) {
	subject := run.prog.res.Path
	parts := strings.Split(mod, ".")
	for _, p := range parts {
		if p == "" {
			in.add("python-main", Fail, subject, "-m %s is not a valid module name", mod)
			return
		}
	}
	dirs := dedupe(in.sysPath(run))
	for _, d := range dirs {
		base := path.Join(append([]string{d}, parts...)...)
		if in.fs.isFile(base+".py", "/") || in.fs.isFile(base+".pyc", "/") {
			in.add("python-main", Pass, subject, "-m %s: %s.py", mod, base)
			return
		}
		if in.fs.isDir(base, "/") {
			if in.fs.isFile(path.Join(base, "__main__.py"), "/") || in.fs.isFile(path.Join(base, "__main__.pyc"), "/") {
				in.add("python-main", Pass, subject, "-m %s: %s/__main__.py", mod, base)
			} else {
				in.add("python-main", Fail, subject, "-m %s: %s is a package without __main__.py, so it cannot be run with -m", mod, base)
			}
			return
		}
		if ext := in.extensionModule(path.Dir(base), path.Base(base)); ext != "" {
			in.add("python-main", Pass, subject, "-m %s: extension module %s", mod, ext)
			return
		}
	}
	in.add("python-main", Fail, subject, "-m %s: no %s.py or %s/ in %s", mod, strings.ReplaceAll(mod, ".", "/"), strings.ReplaceAll(mod, ".", "/"), strings.Join(dirs, ", "))
}

// extensionModule finds name.*.so or name.so in dir.
func (in *inspection) extensionModule(dir, name string) string {
	r, err := in.fs.stat(dir, "/")
	if err != nil || r.Node.kind != kindDir {
		return ""
	}
	for _, f := range r.Node.list() {
		if strings.HasPrefix(f, name+".") && strings.HasSuffix(f, ".so") {
			return path.Join(dir, f)
		}
	}
	return ""
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
