package rules

import (
	"regexp"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// JavaOptsWithoutShell reports $JAVA_OPTS in CMD/ENTRYPOINT where no shell
// expands it.
var JavaOptsWithoutShell = &analysis.Rule{
	Name:     "JavaOptsWithoutShell",
	Summary:  "$JAVA_OPTS in CMD/ENTRYPOINT is never expanded without a shell; use JAVA_TOOL_OPTIONS.",
	Doc:      mustDoc("JavaOptsWithoutShell"),
	URL:      ruleURL("JavaOptsWithoutShell"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runJavaOptsWithoutShell,
}

var javaOptsRef = regexp.MustCompile(`\$\{?(JAVA_OPTS|JAVA_OPTIONS|JVM_OPTS)\}?`)

func runJavaOptsWithoutShell(p *analysis.Pass) {
	base := finalBase(p)
	if base.Unresolved || base.Invalid {
		return
	}
	dl, onDistroless := distrolessOf(base)
	rs := effectiveRun(p)
	for _, in := range []*dockerfile.Instruction{rs.Entrypoint, rs.Cmd} {
		if in == nil || in.Exec == nil {
			continue
		}
		line := in.Exec.CommandLine()
		m := javaOptsRef.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name := m[1]
		if in.Exec.Shell && !onDistroless {
			continue // the shell expands it
		}
		value, envIn := javaOptsValue(p, name)
		var f *analysis.Finding
		if in.Exec.Shell {
			f = p.Reportf(analysis.SpanOf(in), "%s uses $%s in shell form, but %s has no shell to expand it (the container does not even start); pass JVM flags as ENV JAVA_TOOL_OPTIONS, which the JVM reads itself (JDK_JAVA_OPTIONS for launcher flags such as --add-opens)",
				in.Kind, name, imageName(base))
		} else {
			argv, _ := rs.argv()
			var consequence string
			sev := analysis.Error
			switch javaOptsPosition(argv, m[0]) {
			case "main":
				consequence = "java takes the literal text as its main class and fails with \"Error: Could not find or load main class " + m[0] + "\""
			case "jar":
				consequence = "java -jar takes it as the jar and fails with \"Error: Unable to access jarfile " + m[0] + "\""
			default:
				consequence = "the program receives the literal text as an argument and the JVM flags never apply"
				sev = analysis.Warning
			}
			f = p.Reportf(analysis.SpanOf(in), "%s %s passes \"%s\" literally: exec form does no variable expansion, so %s; set the flags as ENV JAVA_TOOL_OPTIONS, which the JVM reads itself (JDK_JAVA_OPTIONS for launcher flags such as --add-opens)",
				in.Kind, jsonArgs(in.Exec.Args), m[0], consequence).WithSeverity(sev)
		}
		if envIn == nil {
			f.Message += "; the value is not set in the Dockerfile, so set JAVA_TOOL_OPTIONS where " + name + " is set today (the run configuration)"
			continue
		}
		// Fix: rename the ENV and drop the reference.
		envLine, ok := renameEnvKey(envIn, name, "JAVA_TOOL_OPTIONS")
		if !ok {
			continue
		}
		words := dropRef(in, m[0])
		if words == nil {
			continue
		}
		if in.Kind == dockerfile.KindCmd && onDistroless && rs.Entrypoint == nil {
			words, _ = stripImageEntrypoint(dl.Image, words)
		}
		if len(words) == 0 {
			continue
		}
		_ = value
		f.WithFix("Move the flags to JAVA_TOOL_OPTIONS",
			analysis.Edit{StartLine: envIn.StartLine, EndLine: envIn.EndLine, Text: envLine},
			replaceWith(in, keyword(in, in.Kind)+" "+jsonArgs(words)))
	}
}

// javaOptsValue finds the ENV in the shipped image that sets name.
func javaOptsValue(p *analysis.Pass, name string) (string, *dockerfile.Instruction) {
	var value string
	var at *dockerfile.Instruction
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindEnv) {
			for _, kv := range in.KeyValues.Pairs {
				switch kv.Key {
				case name:
					value, at = kv.Value, in
				case "JAVA_TOOL_OPTIONS":
					return "", nil // merging is the user's call
				}
			}
		}
	}
	return value, at
}

// renameEnvKey renames an ENV key in the instruction's text.
func renameEnvKey(in *dockerfile.Instruction, from, to string) (string, bool) {
	re := regexp.MustCompile(`(^|\s)` + from + `([=\s])`)
	if len(re.FindAllStringIndex(in.Original, -1)) != 1 {
		return "", false
	}
	return re.ReplaceAllString(in.Original, "${1}"+to+"${2}"), true
}

// dropRef returns the command's words without the variable reference, or
// nil when the reference is not a word of its own or the command is not
// simple.
func dropRef(in *dockerfile.Instruction, ref string) []string {
	var words []string
	if in.Exec.Shell {
		line := strings.Replace(in.Exec.CommandLine(), ref, "", 1)
		w, ok := shell.SimpleCommand(line)
		if !ok {
			return nil
		}
		return w
	}
	found := false
	for _, w := range in.Exec.Args {
		if w == ref && !found {
			found = true
			continue
		}
		words = append(words, w)
	}
	if !found {
		return nil
	}
	return words
}

// javaOptsPosition says where ref sits in a java command line: "main"
// (java reads it as the main class), "jar" (right after -jar), or "" (an
// argument of the app, or not a java command).
func javaOptsPosition(argv []string, ref string) string {
	seenJava := false
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if !seenJava {
			if strings.Contains(a, ref) {
				return ""
			}
			seenJava = a == "java" || strings.HasSuffix(a, "/java")
			continue
		}
		if strings.Contains(a, ref) {
			return "main"
		}
		switch {
		case a == "-jar":
			if i+1 < len(argv) && strings.Contains(argv[i+1], ref) {
				return "jar"
			}
			return ""
		case a == "-cp" || a == "-classpath" || a == "--class-path" || a == "-p" || a == "--module-path":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return ""
		}
	}
	return ""
}
