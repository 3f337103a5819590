package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// NpmStartInCmd reports npm/yarn/pnpm/npx as the program the container
// starts.
var NpmStartInCmd = &analysis.Rule{
	Name:     "NpmStartInCmd",
	Summary:  "CMD/ENTRYPOINT starts the app through npm, yarn, pnpm or npx instead of node.",
	Doc:      mustDoc("NpmStartInCmd"),
	URL:      ruleURL("NpmStartInCmd"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Run:      runNpmStartInCmd,
}

func runNpmStartInCmd(p *analysis.Pass) {
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
		words := in.Exec.Args
		if in.Exec.Shell {
			words = strings.Fields(in.Exec.CommandLine())
		}
		if len(words) == 0 {
			continue
		}
		tool := path.Base(words[0])
		var script string
		switch tool {
		case "npm", "pnpm":
			if len(words) < 2 {
				continue
			}
			switch words[1] {
			case "start", "test":
				script = words[1]
			case "run", "run-script":
				if len(words) < 3 {
					continue
				}
				script = words[2]
			default:
				if tool == "pnpm" {
					script = words[1]
				} else {
					continue
				}
			}
		case "yarn":
			script = "start"
			if len(words) > 1 {
				script = words[1]
				if script == "run" && len(words) > 2 {
					script = words[2]
				}
			}
		case "npx":
			if len(words) < 2 {
				continue
			}
		default:
			continue
		}
		hint := directHint(p, tool, script, words, onDistroless && rs.Entrypoint == nil && in == rs.Cmd)
		cmdText := quoteShort(strings.Join(words, " "))
		if onDistroless {
			nodeOnly := "only node"
			if dl.Image != nil && dl.Image.Interpreter != "" {
				nodeOnly = "only " + dl.Image.Interpreter
			}
			failure := fmt.Sprintf("\"Cannot find module '%s'\"", path.Join(stateAt(p.Target, in).Workdir, words[0]))
			if in.Kind == dockerfile.KindEntrypoint || rs.Entrypoint != nil {
				failure = fmt.Sprintf("\"exec: %s: executable file not found in $PATH\"", words[0])
			}
			p.Reportf(analysis.SpanOf(in), "%s %s needs %s, but %s has %s (no npm, npx, yarn or corepack): the container fails with %s; %s",
				in.Kind, cmdText, tool, imageName(base), nodeOnly, failure, hint).WithSeverity(analysis.Error)
			continue
		}
		p.Reportf(analysis.SpanOf(in), "%s %s starts the app through %s: %s stays in the process tree and does not pass SIGTERM on to node, so the app is killed after the stop timeout instead of shutting down, and it cannot run on distroless, which has no %s; %s",
			in.Kind, cmdText, tool, tool, tool, hint)
	}
}

// directHint says what to run instead.
func directHint(p *analysis.Pass, tool, script string, words []string, distrolessCmd bool) string {
	form := func(js string) string {
		if distrolessCmd {
			return fmt.Sprintf("CMD [%q]", js)
		}
		return fmt.Sprintf("CMD [\"node\", %q]", js)
	}
	if tool == "npx" {
		bin := words[1]
		return fmt.Sprintf("npx runs node_modules/.bin/%s, a #!/usr/bin/env node script (distroless has no /usr/bin/env); run its JavaScript entry with node instead (for example %s, the file package.json's \"bin\" names)",
			bin, form("node_modules/"+bin+"/<bin entry>.js"))
	}
	js := copiedScript(p)
	if js != "" {
		return fmt.Sprintf("run the %q script's command directly: if package.json's scripts.%s is \"node %s\" (the Dockerfile copies %s), use %s", script, script, js, js, form(js))
	}
	return fmt.Sprintf("look up scripts.%s in package.json (e.g. \"node dist/main.js\") and run that file directly: %s", script, form("dist/main.js"))
}

// copiedScript returns the single top-level .js file the shipped image
// copies, or "".
func copiedScript(p *analysis.Pass) string {
	var found []string
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if in.Copy == nil {
				continue
			}
			for _, s := range in.Copy.Sources {
				if strings.HasSuffix(s, ".js") || strings.HasSuffix(s, ".mjs") || strings.HasSuffix(s, ".cjs") {
					if !strings.ContainsAny(s, "*?[") {
						found = appendOnce(found, strings.TrimPrefix(path.Clean(s), "/app/"))
					}
				}
			}
		}
	}
	if len(found) == 1 {
		return strings.TrimPrefix(found[0], "./")
	}
	return ""
}
