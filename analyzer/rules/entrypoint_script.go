package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// EntrypointScript reports an image that starts through a shell script.
var EntrypointScript = &analysis.Rule{
	Name:     "EntrypointScript",
	Summary:  "The container starts through a shell script, which distroless images cannot run.",
	Doc:      mustDoc("EntrypointScript"),
	URL:      ruleURL("EntrypointScript"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runEntrypointScript,
}

func runEntrypointScript(p *analysis.Pass) {
	base := finalBase(p)
	if base.Unresolved || base.Invalid {
		return
	}
	rs := effectiveRun(p)
	for _, in := range []*dockerfile.Instruction{rs.Entrypoint, rs.Cmd} {
		if in == nil || in.Exec == nil {
			continue
		}
		// A CMD is only the program when no ENTRYPOINT runs first.
		if in == rs.Cmd && (rs.Entrypoint != nil || len(rs.ImageEntrypoint) > 0) {
			continue
		}
		words := in.Exec.Args
		if in.Exec.Shell {
			words = strings.Fields(in.Exec.CommandLine())
		}
		script := scriptOf(p, words)
		if script == "" {
			continue
		}
		info := describeScript(p, script, in, rs)
		dl, onDistroless := distrolessOf(base)
		if onDistroless {
			tagNote := ""
			if strings.HasPrefix(dl.Tag, "debug") {
				// :debug has busybox's sh on PATH: `sh script` and a CMD
				// run by the image's /busybox/sh entrypoint work.
				if shell.IsShellWrapper(words[0]) && !strings.HasPrefix(words[0], "/bin/") {
					continue
				}
				tagNote = " at /bin/sh (the :debug tag has only /busybox/sh, and it is not meant for production)"
			}
			p.Reportf(analysis.SpanOf(in), "%s runs the shell script %s%s, but %s has no shell%s: the container fails with \"exec user process caused: no such file or directory\"; move that logic into the application, an init container or the orchestrator's configuration, or keep a shell-based image",
				in.Kind, script, info, imageName(base), tagNote)
			break
		}
		p.Reportf(analysis.SpanOf(in), "%s runs the shell script %s%s: distroless images have no shell, so this image cannot move to distroless as is (`distill fix` declines it); move that logic into the application, an init container or the orchestrator's configuration, or keep a shell-based image",
			in.Kind, script, info).WithSeverity(analysis.Info)
		break
	}
}

var scriptBases = map[string]bool{"docker-entrypoint": true, "entrypoint": true, "start": true, "startup": true, "run": true, "wait-for-it": true, "launch": true, "boot": true}

// scriptOf returns the shell script a command starts, or "".
func scriptOf(p *analysis.Pass, words []string) string {
	if len(words) == 0 {
		return ""
	}
	prog := words[0]
	if shell.IsShellWrapper(prog) || path.Base(prog) == "sh" {
		if len(words) < 2 || strings.HasPrefix(words[1], "-") {
			return ""
		}
		return words[1]
	}
	if hasVar(prog) {
		return ""
	}
	if strings.HasSuffix(prog, ".sh") || strings.HasSuffix(prog, ".bash") {
		return prog
	}
	// A file copied in from a .sh source, or a well-known script name
	// written by a heredoc with a shell shebang.
	if src, _, _ := scriptSource(p, prog); src != "" {
		if strings.HasSuffix(src, ".sh") || strings.HasSuffix(src, ".bash") {
			return prog
		}
	}
	if content, _ := scriptContent(p, prog); content != "" && scriptBases[strings.TrimSuffix(path.Base(prog), path.Ext(prog))] {
		first, _, _ := strings.Cut(content, "\n")
		if strings.HasPrefix(first, "#!") && shellShebang(first) {
			return prog
		}
	}
	return ""
}

func shellShebang(line string) bool {
	f := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(f) == 0 {
		return true
	}
	interp := f[0]
	if path.Base(interp) == "env" && len(f) > 1 {
		interp = f[1]
	}
	return shell.IsShellWrapper(interp)
}

// resolvesTo reports whether a COPY destination dest (absolute) provides
// the program prog as the container resolves it from workdir and PATH.
func resolvesTo(prog, dest, workdir string, srcBase string) bool {
	candidates := []string{}
	if strings.Contains(prog, "/") {
		if !path.IsAbs(prog) {
			prog = path.Join(workdir, prog)
		}
		candidates = append(candidates, path.Clean(prog))
	} else {
		for _, dir := range []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
			candidates = append(candidates, path.Join(dir, prog))
		}
	}
	for _, c := range candidates {
		if c == dest || (path.Join(dest, srcBase) == c) {
			return true
		}
	}
	return false
}

// scriptSource finds the COPY/ADD in the shipped image that provides prog
// and returns its source path, the instruction and the stage copied from
// ("" for the build context).
func scriptSource(p *analysis.Pass, prog string) (string, *dockerfile.Instruction, string) {
	var src string
	var at *dockerfile.Instruction
	var from string
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if in.Copy == nil {
				continue
			}
			state := stateAt(st, in)
			dest := expandVars(in.Copy.Dest, state.Env)
			if !path.IsAbs(dest) {
				dest = path.Join(state.Workdir, dest)
			}
			dest = path.Clean(dest)
			for _, s := range in.Copy.Sources {
				if resolvesTo(prog, dest, state.Workdir, path.Base(s)) {
					src, at, from = s, in, in.Copy.From
				}
			}
		}
	}
	return src, at, from
}

// scriptContent returns the text of a script written by a heredoc in the
// Dockerfile (COPY <<EOF /entrypoint.sh, or RUN cat > … <<EOF), if any.
func scriptContent(p *analysis.Pass, prog string) (string, *dockerfile.Instruction) {
	for _, st := range p.Reachable() {
		for _, in := range st.All(dockerfile.KindCopy, dockerfile.KindRun) {
			switch {
			case in.Copy != nil && len(in.Copy.Heredocs) > 0:
				state := stateAt(st, in)
				dest := expandVars(in.Copy.Dest, state.Env)
				if !path.IsAbs(dest) {
					dest = path.Join(state.Workdir, dest)
				}
				for _, h := range in.Copy.Heredocs {
					if resolvesTo(prog, path.Clean(dest), state.Workdir, h.Name) {
						return h.Content, in
					}
				}
			case in.Run != nil && len(in.Run.Heredocs) > 0 && strings.Contains(in.Run.CommandLine(), path.Base(prog)):
				return in.Run.Heredocs[0].Content, in
			}
		}
	}
	return "", nil
}

// describeScript says where a script comes from and what it probably does.
func describeScript(p *analysis.Pass, script string, at *dockerfile.Instruction, rs runSpec) string {
	var parts []string
	if src, in, from := scriptSource(p, script); in != nil {
		if from != "" {
			parts = append(parts, fmt.Sprintf("copied from stage %q (line %d)", from, in.StartLine))
		} else {
			parts = append(parts, fmt.Sprintf("COPY'd from %s on line %d", src, in.StartLine))
		}
	}
	var does []string
	content, hd := scriptContent(p, script)
	if content != "" {
		if hd.Kind == dockerfile.KindCopy && len(parts) == 0 {
			parts = append(parts, fmt.Sprintf("written by the heredoc on line %d", hd.StartLine))
		}
		does = append(does, scriptActions(content)...)
	}
	if len(does) == 0 {
		for _, st := range p.Chain {
			for _, in := range st.All(dockerfile.KindRun) {
				for _, pkg := range installedPackages(p, in) {
					switch pkg {
					case "gettext-base", "gettext":
						does = appendOnce(does, "probably renders config templates with envsubst (gettext is installed)")
					case "gosu", "su-exec":
						does = appendOnce(does, "probably drops privileges with "+pkg)
					case "netcat", "netcat-openbsd", "netcat-traditional", "wait-for-it":
						does = appendOnce(does, "probably waits for a dependency to come up ("+pkg+" is installed)")
					}
				}
			}
		}
		if at.Kind == dockerfile.KindEntrypoint && rs.Cmd != nil {
			does = append(does, "receives CMD as its arguments, the docker-entrypoint.sh convention of ending with exec \"$@\"")
		}
	}
	if len(does) > 0 {
		parts = append(parts, "it "+strings.Join(does, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// scriptActions summarises what a shell script does.
func scriptActions(content string) []string {
	var out []string
	sc, err := shell.Parse(content)
	if err != nil || sc == nil {
		return nil
	}
	for _, c := range sc.Commands {
		switch {
		case c.Is("envsubst"):
			out = appendOnce(out, "renders templates with envsubst")
		case c.Is("gosu", "su-exec", "su", "setpriv"):
			out = appendOnce(out, "drops privileges with "+c.Base())
		case c.Is("nc", "wait-for-it", "wait-for-it.sh", "dockerize") || c.Is("sleep") && c.Conditional:
			out = appendOnce(out, "waits for a dependency")
		case c.Is("chown", "chmod"):
			out = appendOnce(out, "fixes file permissions")
		case c.Is("sed") && c.HasFlag("-i"):
			out = appendOnce(out, "edits configuration with sed")
		case strings.Contains(c.String(), "migrate"):
			out = appendOnce(out, "runs database migrations")
		case c.Name == "$@" || c.Name == "\"$@\"":
			out = appendOnce(out, "then execs its arguments (exec \"$@\")")
		case len(c.Args) > 0 && c.Args[len(c.Args)-1] == "$@":
			out = appendOnce(out, "then starts "+c.Name)
		}
	}
	return out
}
