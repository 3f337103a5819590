package java

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// launch is how the original image starts the JVM, taken apart.
type launch struct {
	// Java is the launcher as written: "java", "/opt/java/openjdk/bin/java".
	Java string
	// Options are the literal JVM options before -jar or the main class.
	Options []string
	// OptionVars are variables expanded among the options ($JAVA_OPTS):
	// without a shell, their value must move to JAVA_TOOL_OPTIONS.
	OptionVars []string
	// Jar is the -jar argument as written; MainClass is the main class or
	// module (-m) otherwise.
	Jar       string
	MainClass string
	Module    bool
	// ClassPath is the -cp/-classpath/--class-path value.
	ClassPath string
	// Args are the application arguments.
	Args []string
	// PassArgs is true when `docker run <image> args…` reach the
	// application: an exec-form ENTRYPOINT, or a `sh -c` wrapper that
	// forwards "$@".
	PassArgs bool
	// Shell is true when the original needed a shell (shell form or an
	// explicit sh -c).
	Shell bool
	// Substituted lists variables replaced by their ENV values.
	Substituted []string
	// Wrapper is an init wrapper (tini, dumb-init) the original ran first.
	Wrapper string
	// Entrypoint and Cmd are the instructions the command comes from.
	Entrypoint, Cmd *dockerfile.Instruction

	vars []string // variable names behind the script placeholders
}

// mode returns "jar" or "main".
func (l *launch) mode() string {
	if l.Jar != "" {
		return "jar"
	}
	return "main"
}

// valueOptions are java launcher options that take their value as the next
// word.
var valueOptions = map[string]bool{
	"-cp": true, "-classpath": true, "--class-path": true,
	"-p": true, "--module-path": true, "--upgrade-module-path": true,
	"--add-modules": true, "--add-opens": true, "--add-exports": true, "--add-reads": true,
	"--patch-module": true, "--limit-modules": true, "--enable-native-access": true,
	"--describe-module": true, "-d": true,
}

var (
	placeholder = regexp.MustCompile(`DISTILLVAR(\d+)X`)
	varRef      = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*|[@*0-9])\}|([A-Za-z_][A-Za-z0-9_]*|[@*0-9]))`)
)

// initWrappers are init programs that only forward signals; the JVM runs
// fine as PID 1 without them.
var initWrappers = map[string]bool{"tini": true, "dumb-init": true, "tini-static": true}

// parseLaunch works out the java command of the shipped image. env gives
// the fixed runtime ENV values. It returns a decline reason when the
// command is not a JVM launch distill can express without a shell.
func parseLaunch(rt *convert.Runtime, env func(string) (string, bool)) (*launch, string) {
	l := &launch{Entrypoint: rt.Entrypoint, Cmd: rt.Cmd}
	words := func(ins *dockerfile.Instruction) []string {
		if ins == nil {
			return nil
		}
		if ins.Exec.Shell {
			return []string{"/bin/sh", "-c", ins.Exec.CommandLine()}
		}
		return append([]string(nil), ins.Exec.Args...)
	}
	ep, cmd := words(rt.Entrypoint), words(rt.Cmd)
	if rt.Entrypoint != nil && rt.Entrypoint.Exec.Shell {
		cmd = nil // a shell-form ENTRYPOINT ignores CMD
	}
	argv := append(append([]string(nil), ep...), cmd...)
	if len(argv) == 0 {
		return nil, "it has no CMD or ENTRYPOINT, so distill cannot tell what the image runs"
	}
	l.PassArgs = rt.Entrypoint != nil && !rt.Entrypoint.Exec.Shell
	if len(argv) > 1 && initWrappers[path.Base(argv[0])] {
		l.Wrapper = path.Base(argv[0])
		argv = argv[1:]
		if len(argv) > 0 && argv[0] == "--" {
			argv = argv[1:]
		}
		if len(ep) > 0 && len(ep) <= 2 {
			// ENTRYPOINT ["tini", "--"] + CMD: the command is CMD.
			l.PassArgs = false
		}
	}
	if len(argv) >= 3 && isShell(argv[0]) && argv[1] == "-c" {
		l.Shell = true
		var why string
		if argv, why = l.splitScript(argv[2]); why != "" {
			return nil, why
		}
		// Only an exec-form ENTRYPOINT receives `docker run` arguments.
		if rt.Entrypoint == nil || rt.Entrypoint.Exec.Shell {
			l.PassArgs = false
		}
	}
	if len(argv) > 0 && argv[0] == "exec" {
		argv = argv[1:]
	}
	if len(argv) > 0 {
		switch path.Base(argv[0]) {
		case "mvn", "mvnw", "gradle", "gradlew", "sbt", "lein":
			return nil, fmt.Sprintf("it runs `%s`, which compiles and starts the application with the build tool at start-up and needs the JDK and the build tool in the image", truncate(l.restore(strings.Join(argv, " ")), 60))
		}
	}
	if len(argv) == 0 || path.Base(argv[0]) != "java" {
		prog := ""
		if len(argv) > 0 {
			prog = l.restore(argv[0])
		}
		return nil, fmt.Sprintf("it runs `%s`, not the java launcher, so distill cannot tell which jar or class starts the application", prog)
	}
	l.Java = argv[0]
	rest := argv[1:]
	// subst replaces variables with their fixed ENV values.
	subst := func(w string) (string, string) {
		if !strings.Contains(w, "DISTILLVAR") {
			return w, ""
		}
		missing := ""
		out := placeholder.ReplaceAllStringFunc(w, func(m string) string {
			name := l.vars[atoi(placeholder.FindStringSubmatch(m)[1])]
			v, ok := env(name)
			if !ok || strings.Contains(v, "$") || strings.ContainsAny(v, " \t\"'") {
				missing = name
				return m
			}
			l.Substituted = convert.AppendUnique(l.Substituted, name)
			return v
		})
		if missing != "" {
			return "", fmt.Sprintf("`%s` uses $%s, which has no fixed value in the image, and distroless has no shell to expand it", l.restore(w), missing)
		}
		return out, ""
	}
	finish := func(args []string) (*launch, string) {
		for _, a := range args {
			v, why := subst(a)
			if why != "" {
				return nil, why
			}
			if strings.ContainsAny(v, "*?[") && l.Shell {
				return nil, fmt.Sprintf("the argument `%s` is a glob the shell expanded, and distroless has no shell", v)
			}
			l.Args = append(l.Args, v)
		}
		for _, p := range []*string{&l.Jar, &l.MainClass, &l.ClassPath} {
			v, why := subst(*p)
			if why != "" {
				return nil, why
			}
			*p = v
		}
		if l.ClassPath == "" && l.Jar == "" {
			if cp, ok := env("CLASSPATH"); ok {
				l.ClassPath = convert.EnvLiteral(cp)
			}
		}
		return l, ""
	}
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		if m := placeholder.FindStringSubmatch(w); m != nil && m[0] == w {
			// A whole word among the options: $JAVA_OPTS.
			l.OptionVars = append(l.OptionVars, l.vars[atoi(m[1])])
			continue
		}
		switch {
		case w == "-jar":
			if i+1 >= len(rest) {
				return nil, "its `java -jar` names no jar"
			}
			l.Jar = rest[i+1]
			return finish(rest[i+2:])
		case w == "-m" || w == "--module":
			if i+1 >= len(rest) {
				return nil, "its `java -m` names no module"
			}
			l.MainClass, l.Module = rest[i+1], true
			return finish(rest[i+2:])
		case strings.HasPrefix(w, "--module="):
			l.MainClass, l.Module = strings.TrimPrefix(w, "--module="), true
			return finish(rest[i+1:])
		case w == "-cp" || w == "-classpath" || w == "--class-path":
			if i+1 >= len(rest) {
				return nil, "its class path option has no value"
			}
			l.ClassPath = rest[i+1]
			i++
		case strings.HasPrefix(w, "--class-path="):
			l.ClassPath = strings.TrimPrefix(w, "--class-path=")
		case valueOptions[w]:
			if i+1 >= len(rest) {
				return nil, fmt.Sprintf("the option %s has no value", w)
			}
			for _, x := range rest[i : i+2] {
				v, why := subst(x)
				if why != "" {
					return nil, why
				}
				l.Options = append(l.Options, v)
			}
			i++
		case strings.HasPrefix(w, "-") || strings.HasPrefix(w, "@"):
			v, why := subst(w)
			if why != "" {
				return nil, why
			}
			l.Options = append(l.Options, v)
		default:
			l.MainClass = w
			return finish(rest[i+1:])
		}
	}
	return nil, "its java command names no jar or main class"
}

// restore puts the variables back into a word for messages.
func (l *launch) restore(w string) string {
	return placeholder.ReplaceAllStringFunc(w, func(m string) string {
		return "$" + l.vars[atoi(placeholder.FindStringSubmatch(m)[1])]
	})
}

func isShell(p string) bool {
	switch path.Base(p) {
	case "sh", "bash", "ash", "dash":
		return true
	}
	return false
}

// splitScript turns a `sh -c` script into words. Variables become
// placeholders the caller resolves; "$@", $* and ${0} forwarding at the
// end is recognised (docker run arguments then reach the application).
func (l *launch) splitScript(script string) ([]string, string) {
	script = strings.TrimSpace(script)
	forwards := false
	text := varRef.ReplaceAllStringFunc(script, func(m string) string {
		sm := varRef.FindStringSubmatch(m)
		name := sm[1] + sm[2]
		if strings.ContainsAny(name, "@*0123456789") && len(name) == 1 {
			forwards = true
			return "DISTILLFWD"
		}
		l.vars = append(l.vars, name)
		return fmt.Sprintf("DISTILLVAR%dX", len(l.vars)-1)
	})
	// `*` would make the line "not simple"; carry it through so the jar
	// glob can be resolved from the build files (other globs decline).
	text = strings.ReplaceAll(text, "*", "DISTILLSTAR")
	ws, ok := shell.SimpleCommand(text)
	for i := range ws {
		ws[i] = strings.ReplaceAll(ws[i], "DISTILLSTAR", "*")
	}
	if !ok {
		return nil, fmt.Sprintf("its command `%s` needs a shell (operators, redirections, command substitution, globs or variables with defaults), and distroless images have none", truncate(script, 80))
	}
	var out []string
	for i, w := range ws {
		if w == "DISTILLFWD" {
			if !allForward(ws[i:]) {
				return nil, fmt.Sprintf("its command `%s` uses positional parameters before other arguments", truncate(script, 80))
			}
			break
		}
		if strings.Contains(w, "DISTILLFWD") {
			return nil, fmt.Sprintf("its command `%s` uses positional parameters inside a word", truncate(script, 80))
		}
		out = append(out, w)
	}
	if forwards {
		l.PassArgs = true
	} else {
		l.PassArgs = false
	}
	return out, ""
}

func allForward(ws []string) bool {
	for _, w := range ws {
		if w != "DISTILLFWD" {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
