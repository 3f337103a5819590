package rules

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// ShellFormCmd reports a shell-form CMD in the shipped image.
var ShellFormCmd = &analysis.Rule{
	Name:       "ShellFormCmd",
	Summary:    "CMD in shell form needs /bin/sh, which distroless images do not have.",
	Doc:        mustDoc("ShellFormCmd"),
	URL:        ruleURL("ShellFormCmd"),
	Severity:   analysis.Warning,
	Category:   analysis.Distroless,
	Hadolint:   []string{"DL3025"},
	Supersedes: []string{"JSONArgsRecommended"},
	Run:        func(p *analysis.Pass) { runShellForm(p, dockerfile.KindCmd) },
}

// ShellFormEntrypoint reports a shell-form ENTRYPOINT in the shipped image.
var ShellFormEntrypoint = &analysis.Rule{
	Name:       "ShellFormEntrypoint",
	Summary:    "ENTRYPOINT in shell form needs /bin/sh, which distroless images do not have.",
	Doc:        mustDoc("ShellFormEntrypoint"),
	URL:        ruleURL("ShellFormEntrypoint"),
	Severity:   analysis.Warning,
	Category:   analysis.Distroless,
	Hadolint:   []string{"DL3025"},
	Supersedes: []string{"JSONArgsRecommended"},
	Run:        func(p *analysis.Pass) { runShellForm(p, dockerfile.KindEntrypoint) },
}

func runShellForm(p *analysis.Pass, kind dockerfile.Kind) {
	// Only the instruction in effect matters: earlier ones are overridden.
	in := p.LastFinal(kind)
	if in == nil || in.Exec == nil || !in.Exec.Shell {
		return
	}
	line := strings.TrimSpace(in.Exec.CommandLine())
	base := finalBase(p)
	dl, onDistroless := distrolessOf(base)
	var f *analysis.Finding
	if onDistroless {
		f = p.Reportf(analysis.SpanOf(in), "%s %s is in shell form, but %s has no /bin/sh: the container fails to start with \"exec: /bin/sh: no such file or directory\"; use exec form (a JSON array)",
			kind, quoteShort(line), base.Familiar())
		f.WithSeverity(analysis.Error)
	} else {
		f = p.Reportf(analysis.SpanOf(in), "%s %s is in shell form: it runs under /bin/sh -c, so the app is not PID 1 and misses SIGTERM, and it cannot run on a distroless image; use exec form (a JSON array)",
			kind, quoteShort(line))
	}
	words, ok := shell.SimpleCommand(line)
	if !ok {
		f.Message += fmt.Sprintf("; the command uses shell features (variables, operators or globs) that exec form does not interpret, so move that logic into the application or its configuration")
		return
	}
	if onDistroless && kind == dockerfile.KindCmd && p.LastFinal(dockerfile.KindEntrypoint) == nil {
		words, _ = stripImageEntrypoint(dl.Image, words)
	}
	if len(words) == 0 {
		return
	}
	f.WithFix("Use exec form", replaceWith(in, keyword(in, kind)+" "+jsonArgs(words)))
}

// quoteShort quotes a command line for a message, shortened when long.
func quoteShort(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return fmt.Sprintf("%q", s)
}
