package rules

import (
	"path"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// ShellInDistrolessStage reports shell use in a stage built on a distroless
// image: shell-form RUN, sh -c in exec form, shell-form HEALTHCHECK and
// SHELL instructions naming a shell the image does not have.
var ShellInDistrolessStage = &analysis.Rule{
	Name:     "ShellInDistrolessStage",
	Summary:  "A stage built on distroless uses a shell (RUN, sh -c, HEALTHCHECK CMD-SHELL, SHELL) that the image does not have.",
	Doc:      mustDoc("ShellInDistrolessStage"),
	URL:      ruleURL("ShellInDistrolessStage"),
	Severity: analysis.Error,
	Category: analysis.Distroless,
	Run:      runShellInDistrolessStage,
}

// shellExists reports whether a shell program exists in a distroless image:
// only :debug tags have one, busybox's, at /busybox/sh and on PATH as sh.
func shellExists(prog string, debug bool) bool {
	if !debug {
		return false
	}
	return prog == "/busybox/sh" || prog == "sh" || prog == "/busybox/ash" || prog == "ash"
}

func runShellInDistrolessStage(p *analysis.Pass) {
	rs := effectiveRun(p)
	health := p.LastFinal(dockerfile.KindHealthcheck)
	for _, st := range p.Reachable() {
		root := st.RootBase()
		dl, ok := distrolessOf(root)
		if !ok {
			continue
		}
		debug := strings.HasPrefix(dl.Tag, "debug")
		img := imageName(root)
		noShell := img + " has no shell"
		if debug {
			noShell = img + " has no /bin/sh (its busybox shell is /busybox/sh)"
		}
		advice := "move it to a build stage and COPY the result (use COPY --chown/--chmod instead of chown/chmod/mkdir)"
		for _, in := range st.Instructions {
			switch in.Kind {
			case dockerfile.KindShell:
				if in.Exec != nil && len(in.Exec.Args) > 0 && !shellExists(in.Exec.Args[0], debug) {
					p.Reportf(analysis.SpanOf(in), "SHELL %s names %s, but %s: every shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK after it fails", jsonArgs(in.Exec.Args), in.Exec.Args[0], noShell)
				}
			case dockerfile.KindRun:
				if in.Run == nil {
					continue
				}
				if in.Run.Shell {
					if src, isShell := in.Run.Script(); !isShell && src != "" {
						continue // a heredoc for another interpreter
					}
					state := stateAt(st, in)
					sh := []string{"/bin/sh", "-c"}
					via := "the default shell /bin/sh"
					if len(state.Shell) > 0 {
						sh = state.Shell
						via = "the SHELL set on line " + strconv.Itoa(state.ShellAt.StartLine) + " (" + sh[0] + ")"
					}
					if shellExists(sh[0], debug) {
						continue
					}
					hint := advice
					if debug {
						hint += `; on a :debug image only, SHELL ["/busybox/sh", "-c"] makes it run`
					}
					p.Reportf(analysis.SpanOf(in), "RUN %s is in shell form, run by %s, but %s: the build fails with \"/bin/sh: no such file or directory\"; %s",
						quoteShort(strings.TrimSpace(in.Run.CommandLine())), via, noShell, hint)
					continue
				}
				if words := in.Run.Args; len(words) > 0 && shell.IsShellWrapper(words[0]) && !shellExists(words[0], debug) {
					p.Reportf(analysis.SpanOf(in), "RUN %s starts %s, but %s: the build fails; %s", jsonArgs(words), words[0], noShell, advice)
				}
			case dockerfile.KindCmd, dockerfile.KindEntrypoint:
				if in != rs.Cmd && in != rs.Entrypoint {
					continue
				}
				words := execWords(in)
				if len(words) < 2 || !shell.IsShellWrapper(words[0]) || !strings.HasPrefix(words[1], "-") || shellExists(words[0], debug) {
					continue
				}
				p.Reportf(analysis.SpanOf(in), "%s %s runs %s %s, but %s: the container fails to start with \"exec: %s: no such file or directory\"; run the program directly in exec form and move the shell logic into the application",
					in.Kind, quoteShort(strings.Join(words, " ")), words[0], words[1], noShell, words[0])
			case dockerfile.KindHealthcheck:
				if in != health || in.Healthcheck == nil || in.Healthcheck.None || len(in.Healthcheck.Test) == 0 {
					continue
				}
				reportHealthcheck(p, st, in, debug, noShell)
			}
		}
	}
}

func reportHealthcheck(p *analysis.Pass, st *dockerfile.Stage, in *dockerfile.Instruction, debug bool, noShell string) {
	hc := in.Healthcheck
	probe := "drop it and use the orchestrator's probes (Kubernetes ignores HEALTHCHECK), or probe in exec form through the image's own runtime or a small static health-check binary copied from a build stage"
	if hc.Shell() {
		state := stateAt(st, in)
		sh := "/bin/sh"
		if len(state.Shell) > 0 {
			sh = state.Shell[0]
		}
		if shellExists(sh, debug) {
			return
		}
		line := ""
		if len(hc.Test) > 1 {
			line = hc.Test[1]
		}
		p.Reportf(analysis.SpanOf(in), "HEALTHCHECK CMD %s is in shell form (CMD-SHELL), run by %s, but %s: the check can never pass and the container is reported unhealthy; %s",
			quoteShort(line), sh, noShell, probe)
		return
	}
	words := hc.Test[1:]
	if len(words) == 0 {
		return
	}
	prog := words[0]
	switch {
	case shell.IsShellWrapper(prog) && !shellExists(prog, debug):
		p.Reportf(analysis.SpanOf(in), "HEALTHCHECK runs %s, but %s: the check can never pass and the container is reported unhealthy; %s", prog, noShell, probe)
	case (path.Base(prog) == "curl" || path.Base(prog) == "wget") && !providedByCopy(p, prog) && !(debug && path.Base(prog) == "wget"):
		p.Reportf(analysis.SpanOf(in), "HEALTHCHECK runs %s, which %s does not contain: the check can never pass and the container is reported unhealthy; %s",
			prog, imageName(st.RootBase()), probe)
	}
}

// providedByCopy reports whether a COPY in the shipped image provides a
// program (by its base name).
func providedByCopy(p *analysis.Pass, prog string) bool {
	name := path.Base(prog)
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if in.Copy == nil {
				continue
			}
			if path.Base(in.Copy.Dest) == name {
				return true
			}
			for _, s := range in.Copy.Sources {
				if path.Base(s) == name {
					return true
				}
			}
		}
	}
	return false
}
