package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// DistrolessEntrypointRepeated reports a CMD that repeats the interpreter
// the image's ENTRYPOINT already runs (python3, node, java -jar).
var DistrolessEntrypointRepeated = &analysis.Rule{
	Name:     "DistrolessEntrypointRepeated",
	Summary:  "CMD repeats the interpreter the distroless image's ENTRYPOINT already runs (python, node, java -jar).",
	Doc:      mustDoc("DistrolessEntrypointRepeated"),
	URL:      ruleURL("DistrolessEntrypointRepeated"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runDistrolessEntrypointRepeated,
}

func runDistrolessEntrypointRepeated(p *analysis.Pass) {
	base := finalBase(p)
	dl, ok := distrolessOf(base)
	if !ok || dl.Image == nil {
		return
	}
	rs := effectiveRun(p)
	cmd := execWords(rs.Cmd)
	if len(cmd) == 0 {
		return
	}
	ep, epDesc := rs.ImageEntrypoint, fmt.Sprintf("the ENTRYPOINT of %s", imageName(base))
	if rs.Entrypoint != nil {
		if ep = execWords(rs.Entrypoint); ep == nil {
			return
		}
		epDesc = fmt.Sprintf("the ENTRYPOINT on line %d", rs.Entrypoint.StartLine)
	}
	if len(ep) == 0 {
		return
	}
	prog := path.Base(ep[0])
	first := path.Base(cmd[0])
	wd := stateAt(p.Target, rs.Cmd).Workdir
	var strip int
	var failure string
	switch {
	case len(ep) == 1 && pythonProg.MatchString(prog):
		if pythonProg.MatchString(first) {
			strip = 1
			failure = fmt.Sprintf("python: can't open file '%s': [Errno 2] No such file or directory", path.Join(wd, cmd[0]))
		}
	case len(ep) == 1 && (prog == "node" || prog == "nodejs"):
		if first == "node" || first == "nodejs" {
			strip = 1
			failure = fmt.Sprintf("Error: Cannot find module '%s'", path.Join(wd, cmd[0]))
		}
	case len(ep) == 2 && prog == "java" && ep[1] == "-jar":
		if first == "java" {
			if len(cmd) >= 2 && cmd[1] == "-jar" {
				strip = 2
			}
			failure = "Error: Unable to access jarfile " + cmd[0]
		}
	case len(ep) == 1 && prog == "java":
		if first == "java" {
			strip = 1
			failure = "Error: Could not find or load main class " + cmd[0]
		}
	}
	if failure == "" {
		return
	}
	runs := strings.Join(append(append([]string{}, ep...), cmd...), " ")
	if strip == 0 {
		// java -jar entrypoint with a main-class command line.
		p.Reportf(analysis.SpanOf(rs.Cmd), "CMD %s starts with java, but %s is already [\"%s\"], so the container runs %q and fails with %q; to run a main class or a classpath, override the ENTRYPOINT instead: ENTRYPOINT %s",
			jsonArgs(cmd), epDesc, strings.Join(ep, "\", \""), runs, failure, jsonArgs(cmd)).
			WithFix("Run the command as the ENTRYPOINT", replaceWith(rs.Cmd, keyword(rs.Cmd, dockerfile.KindEntrypoint)+" "+jsonArgs(cmd)))
		return
	}
	rest := cmd[strip:]
	f := p.Reportf(analysis.SpanOf(rs.Cmd), "CMD %s repeats %s, which %s already runs: the container runs %q and fails with %q; CMD holds only the arguments: CMD %s",
		jsonArgs(cmd), strings.Join(cmd[:strip], " "), epDesc, runs, failure, jsonArgs(rest))
	if len(rest) > 0 {
		f.WithFix("Drop the repeated interpreter", replaceWith(rs.Cmd, keyword(rs.Cmd, dockerfile.KindCmd)+" "+jsonArgs(rest)))
	}
}
