package verify

import (
	"fmt"
	"path"
	"strings"
)

// The command check follows what runc and the kernel do with the image's
// ENTRYPOINT+CMD: find argv[0] (absolute, relative to WORKDIR, or on PATH),
// require a runnable file, and when it is a script follow its #! line to the
// interpreter, up to the kernel's nesting limit, until an ELF file is
// reached. Each program in that chain is a step; ELF steps get the loader
// checks, and the last step is the program whose language checks apply.

// maxInterpreterDepth mirrors the kernel's limit on nested #! interpreters.
const maxInterpreterDepth = 4

// binprmBufSize is how much of a script the kernel reads to find its #! line.
const binprmBufSize = 256

type step struct {
	invoked string   // as written: argv[0], a #! interpreter, or the name env looks up
	via     string   // how invoked was found: "", "PATH", "WORKDIR"
	res     resolved // the file
	elf     *elfInfo // set for ELF files
	bang    *shebang // set for scripts
	args    []string // what this program receives after its own name
}

type shebang struct {
	line   string // "#!/usr/bin/env node", as written (trimmed)
	interp string
	arg    string // the optional single argument ("" if none)
}

// commandChain is ENTRYPOINT+CMD followed to the program that runs.
type commandChain struct {
	source string // "ENTRYPOINT" or "CMD"
	argv   []string
	steps  []*step
	ok     bool // every step resolved and the last is an ELF file
	// broken is set when resolution failed with a language interpreter name
	// (e.g. a dangling /venv/bin/python3): the language checks still run on
	// it, to say precisely why.
	broken *step
}

// program is the step whose language checks apply: the last step, or the
// broken one that names an interpreter.
func (c *commandChain) program() *step {
	if c.ok && len(c.steps) > 0 {
		return c.steps[len(c.steps)-1]
	}
	return c.broken
}

func (in *inspection) checkCommand() *commandChain {
	ch := &commandChain{source: "CMD", argv: in.cfg.Cmd}
	if len(in.cfg.Entrypoint) > 0 {
		ch.source = "ENTRYPOINT"
		ch.argv = append(append([]string{}, in.cfg.Entrypoint...), in.cfg.Cmd...)
	}
	if len(ch.argv) == 0 || ch.argv[0] == "" {
		in.add("command", Fail, "", "no ENTRYPOINT or CMD: the container has nothing to run")
		return ch
	}
	subject := ch.source + " " + ch.argv[0]
	first, problem := in.locate(ch.argv[0], ch.argv[1:])
	if problem != "" {
		if first != nil {
			ch.broken = first
		}
		in.add("command", Fail, subject, "%s%s", subject, problem)
		return ch
	}
	ch.steps = append(ch.steps, first)
	if problem := in.classify(first, ch.source+" "); problem != "" {
		in.add("command", Fail, subject, "%s: %s", subject, problem)
		return ch
	}
	if first.bang != nil {
		if !in.followShebangs(ch) {
			in.add("command", Fail, subject, "%s resolves to %s (script, %s), whose interpreter does not run: see the shebang check", subject, first.res.chain(), first.bang.line)
			return ch
		}
	}
	ch.ok = true
	how := "resolves to"
	if first.via == "PATH" {
		how = "found on PATH at"
	}
	in.add("command", Pass, subject, "%s %s %s (%s)", subject, how, first.res.chain(), describeStep(first))
	return ch
}

func describeStep(s *step) string {
	switch {
	case s.elf != nil:
		return s.elf.kind()
	case s.bang != nil:
		return "script, " + s.bang.line
	}
	return "unknown format"
}

// locate finds argv[0] as runc does: a name with a slash is a path
// (relative ones against WORKDIR), a bare name is searched on the image's
// PATH for an executable regular file. On failure the returned step (if
// any) still records what was asked, for the language checks; the problem
// is written to follow the name ("/app" + ": not in image").
func (in *inspection) locate(name string, args []string) (*step, string) {
	st := &step{invoked: name, args: args}
	if strings.Contains(name, "/") {
		if !strings.HasPrefix(name, "/") {
			st.via = "WORKDIR"
		}
		r, err := in.fs.stat(name, in.cwd)
		if err != nil {
			st.res = resolved{Path: absPath(name, in.cwd)}
			return st, describeMissing(name, in.cwd, err)
		}
		st.res = r
		return st, ""
	}
	st.via = "PATH"
	dirs := in.pathDirs()
	notExec := ""
	for _, d := range dirs {
		if d == "" {
			d = in.cwd
		}
		r, err := in.fs.stat(path.Join(d, name), in.cwd)
		if err != nil || r.Node.kind != kindFile {
			continue
		}
		if !in.canAccess(r.Node, accessExec) {
			if notExec == "" {
				notExec = r.chain()
			}
			continue
		}
		r.Path = absPath(path.Join(d, name), in.cwd)
		st.res = r
		return st, ""
	}
	st.res = resolved{Path: name}
	if notExec != "" {
		return st, fmt.Sprintf(" not found on PATH %s (%s exists but is not executable by %s)", strings.Join(dirs, ":"), notExec, in.userLabel())
	}
	return st, fmt.Sprintf(" not found on PATH %s", strings.Join(dirs, ":"))
}

func absPath(p, cwd string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	return path.Join(cwd, p)
}

// describeMissing renders a resolution failure to follow the name it is
// about ("ENTRYPOINT /app" + ": not in image"), noting WORKDIR for relative
// paths because that is where they were looked up.
func describeMissing(name, cwd string, err error) string {
	msg := err.Error()
	if !strings.HasPrefix(name, "/") {
		return fmt.Sprintf(" (relative to WORKDIR %s): %s", cwd, msg)
	}
	// err starts with the path, which the caller has just written.
	return strings.TrimPrefix(msg, path.Clean(name))
}

// fullMissing is describeMissing for a detail that has not named the path.
func fullMissing(name, cwd string, err error) string {
	if !strings.HasPrefix(name, "/") {
		return fmt.Sprintf("%s (relative to WORKDIR %s): %v", name, cwd, err)
	}
	return err.Error()
}

// classify reads the file a step resolved to and records whether it is an
// ELF file or a script; the returned problem explains why it cannot run.
func (in *inspection) classify(st *step, what string) string {
	n := st.res.Node
	name := st.res.chain()
	switch n.kind {
	case kindDir:
		return name + " is a directory"
	case kindFile:
	default:
		return name + " is a " + n.kind.String()
	}
	if !in.canAccess(n, accessExec) {
		return fmt.Sprintf("%s is not executable by %s (mode %04o, owner %d:%d)", name, in.userLabel(), uint32(n.mode.Perm()), n.uid, n.gid)
	}
	head, err := in.fs.readHead(n, binprmBufSize)
	if err != nil {
		return fmt.Sprintf("reading %s: %v", name, err)
	}
	switch {
	case strings.HasPrefix(string(head), "\x7fELF"):
		info, err := in.elfAt(st.res)
		if err != nil {
			return fmt.Sprintf("%s is not a valid ELF file: %v", name, err)
		}
		if problem := in.archMismatch(info); problem != "" {
			return name + ": " + problem
		}
		st.elf = info
	case strings.HasPrefix(string(head), "#!"):
		if !in.canAccess(n, accessRead) {
			return fmt.Sprintf("%s is a script its interpreter cannot read as %s (mode %04o)", name, in.userLabel(), uint32(n.mode.Perm()))
		}
		b, problem := parseShebang(head)
		if problem != "" {
			return name + ": " + problem
		}
		st.bang = b
	case n.size == 0:
		return name + " is empty (exec format error)"
	default:
		return name + " is neither ELF nor a #! script (exec format error)"
	}
	return ""
}

func (in *inspection) userLabel() string {
	if !in.user.known {
		return "the image user"
	}
	return fmt.Sprintf("uid %d", in.user.uid)
}

// archMismatch reports an ELF file for another machine than the image's.
func (in *inspection) archMismatch(info *elfInfo) string {
	arch, _ := elfArch(info.Machine)
	if in.arch == "" || arch == in.arch {
		return ""
	}
	return fmt.Sprintf("ELF for %v but the image is %s (exec format error)", info.Machine, in.arch)
}

// parseShebang splits a #! line as Linux does: the interpreter ends at the
// first blank, and the rest (trimmed) is one optional argument.
func parseShebang(head []byte) (*shebang, string) {
	line := string(head[2:])
	nl := strings.IndexByte(line, '\n')
	if nl < 0 {
		if len(head) >= binprmBufSize {
			return nil, fmt.Sprintf("#! line longer than %d bytes", binprmBufSize)
		}
	} else {
		line = line[:nl]
	}
	line = strings.TrimRight(line, " \t\r")
	line = strings.TrimLeft(line, " \t")
	if line == "" {
		return nil, "empty #! line"
	}
	interp, arg, _ := strings.Cut(line, " ")
	if i := strings.IndexByte(interp, '\t'); i >= 0 {
		interp, arg = interp[:i], interp[i+1:]+" "+arg
	}
	return &shebang{line: "#!" + line, interp: interp, arg: strings.Trim(arg, " \t")}, ""
}

// followShebangs walks from a script to the program that finally runs,
// reporting one shebang check per script. It returns whether the chain
// ends in an ELF file.
func (in *inspection) followShebangs(ch *commandChain) bool {
	for depth := 0; ; depth++ {
		cur := ch.steps[len(ch.steps)-1]
		if cur.bang == nil {
			return true
		}
		script := cur.res.Path
		if depth >= maxInterpreterDepth {
			in.add("shebang", Fail, script, "%s: more than %d nested #! interpreters", script, maxInterpreterDepth)
			return false
		}
		b := cur.bang
		args := []string{}
		if b.arg != "" {
			args = append(args, b.arg)
		}
		args = append(append(args, script), cur.args...)
		next := &step{invoked: b.interp, args: args}
		r, err := in.fs.stat(b.interp, in.cwd)
		if err != nil {
			next.res = resolved{Path: absPath(b.interp, in.cwd)}
			if languageOf(next) != langNone {
				ch.broken = next
			}
			in.add("shebang", Fail, script, "%s: %s: %s", script, b.line, fullMissing(b.interp, in.cwd, err))
			return false
		}
		next.res = r
		ch.steps = append(ch.steps, next)
		if problem := in.classify(next, ""); problem != "" {
			in.add("shebang", Fail, script, "%s: %s: %s", script, b.line, problem)
			return false
		}
		if next.elf != nil && isEnv(next) {
			target, problem := in.envTarget(next)
			if problem != "" {
				in.add("shebang", Fail, script, "%s: %s: %s", script, b.line, problem)
				return false
			}
			ch.steps = append(ch.steps, target)
			if problem := in.classify(target, ""); problem != "" {
				in.add("shebang", Fail, script, "%s: %s: %s", script, b.line, problem)
				return false
			}
			in.add("shebang", Pass, script, "%s: %s: %s finds %s on PATH at %s (%s)", script, b.line, r.Real, target.invoked, target.res.chain(), describeStep(target))
			continue
		}
		in.add("shebang", Pass, script, "%s: %s resolves to %s (%s)", script, b.line, r.chain(), describeStep(next))
	}
}

func isEnv(st *step) bool {
	return path.Base(st.res.Real) == "env" || path.Base(st.res.Path) == "env"
}

// envTarget finds the program /usr/bin/env would run: the first argument
// that is not an option or a NAME=value assignment, looked up on PATH.
// "-S" splits its argument into words first, as coreutils env does.
func (in *inspection) envTarget(env *step) (*step, string) {
	args := env.args
	var words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-S" || a == "--split-string":
			if i+1 < len(args) {
				words = append(words, strings.Fields(args[i+1])...)
				words = append(words, args[i+2:]...)
			}
			i = len(args)
		case strings.HasPrefix(a, "-S"):
			words = append(words, strings.Fields(a[2:])...)
			words = append(words, args[i+1:]...)
			i = len(args)
		default:
			words = append(words, a)
		}
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-u" || w == "--unset" || w == "-C" || w == "--chdir":
			i++
		case w == "-i" || w == "-" || w == "--ignore-environment" || w == "-0" || w == "--null":
		case strings.HasPrefix(w, "-"):
		case strings.Contains(w, "="):
		default:
			st, problem := in.locate(w, words[i+1:])
			if problem != "" {
				return nil, w + problem
			}
			return st, ""
		}
	}
	return nil, env.res.Path + " has no program to run"
}
