// Package declines holds the recipes that recognise images distroless
// cannot run and explain why, with an alternative: languages without a
// distroless runtime (Ruby, PHP, Perl, …), process supervisors, and shell
// entrypoint scripts with logic.
package declines

import (
	"fmt"
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Language declines languages without a distroless runtime.
var Language = &convert.Recipe{
	Name:         "unsupported-language",
	Detect:       func(in *convert.Input) bool { return unsupportedLanguage(in) != "" },
	Convert:      declineLanguage,
	ContextFiles: []string{"Gemfile", "composer.json"},
}

var languageAlternatives = map[string][]string{
	"ruby":   {"the official ruby:<version>-slim image in a multi-stage build (bundle install in a builder, copy vendor/bundle)", "Chainguard's cgr.dev/chainguard/ruby (free tier: :latest only — pin by digest)"},
	"php":    {"the official php:<version>-fpm-alpine image with a multi-stage cleanup", "Chainguard's cgr.dev/chainguard/php (free tier: :latest only — pin by digest)"},
	"perl":   {"the official perl:<version>-slim image in a multi-stage build"},
	"elixir": {"a `mix release` built on the same Debian release and run on gcr.io/distroless/cc-debian13 (unverified by distill)", "the official elixir/erlang slim images"},
}

var languageNames = map[string]string{"ruby": "Ruby", "php": "PHP", "perl": "Perl", "elixir": "Elixir/Erlang"}

func unsupportedLanguage(in *convert.Input) string {
	for k := range in.StageKinds(in.Chain...) {
		if languageNames[k] != "" {
			return k
		}
	}
	prog := ""
	if rt := in.CollectRuntime(); rt != nil {
		if p, why := in.ResolveProgram(rt); why == "" && len(p.Argv()) > 0 {
			prog = path.Base(p.Argv()[0])
		}
	}
	switch prog {
	case "ruby", "bundle", "rails", "puma", "unicorn", "rackup":
		return "ruby"
	case "php", "php-fpm", "apache2-foreground", "frankenphp":
		return "php"
	case "perl", "plackup", "hypnotoad":
		return "perl"
	}
	return ""
}

func declineLanguage(in *convert.Input) (*convert.Result, error) {
	lang := unsupportedLanguage(in)
	return convert.Declinef(languageAlternatives[lang],
		"not convertible to Google distroless: there is no distroless %s runtime (and there never was one), and %s images need their interpreter, native extensions and usually a shell", languageNames[lang], languageNames[lang]), nil
}

// Supervisor declines images that run several processes under a
// supervisor or process manager.
var Supervisor = &convert.Recipe{
	Name: "supervisor",
	Detect: func(in *convert.Input) bool {
		return supervisorOf(in) != ""
	},
	Convert: func(in *convert.Input) (*convert.Result, error) {
		return convert.Declinef([]string{"run one process per container (one image per service) and let the orchestrator supervise them", "keep a shell-based slim image if the processes must share a container"},
			"the image runs %s, a process supervisor: distroless runs exactly one program and has no shell for the programs it would start", supervisorOf(in)), nil
	},
}

func supervisorOf(in *convert.Input) string {
	rt := in.CollectRuntime()
	var words []string
	for _, ins := range []*dockerfile.Instruction{rt.Entrypoint, rt.Cmd} {
		if ins != nil {
			words = append(words, strings.Fields(strings.Join(ins.Exec.Args, " "))...)
		}
	}
	for _, w := range words {
		b := path.Base(w)
		if in.Catalog.IsSupervisor(b) {
			return b
		}
		for _, pm := range in.Catalog.Node.ProcessManagers {
			if b == pm {
				return b
			}
		}
	}
	return ""
}

// EntrypointScript declines images started by a shell script with logic;
// a script that only does `exec "$@"` is not logic and is handled by the
// language recipes.
var EntrypointScript = &convert.Recipe{
	Name: "entrypoint-script",
	Detect: func(in *convert.Input) bool {
		s, _ := scriptOf(in)
		return s != ""
	},
	Convert: func(in *convert.Input) (*convert.Result, error) {
		script, does := scriptOf(in)
		reason := fmt.Sprintf("the image starts with the shell script %s", script)
		if does != "" {
			reason += " (" + does + ")"
		}
		reason += ": distroless has no shell to run it"
		return convert.Declinef([]string{
			"move the script's logic into the application (flags, environment, a small startup routine in the app's language)",
			"run one-off steps (migrations, waiting for dependencies) as Kubernetes initContainers or a separate job",
			"keep a slim shell-based image if the script must stay",
		}, "%s", reason), nil
	},
}

// scriptOf returns the shell script the image starts with, and what the
// script visibly does when its content is known.
func scriptOf(in *convert.Input) (string, string) {
	rt := in.CollectRuntime()
	prog, why := in.ResolveProgram(rt)
	if why != "" || prog == nil {
		return "", ""
	}
	argv := prog.Argv()
	if len(argv) > 1 && (path.Base(argv[0]) == "sh" || path.Base(argv[0]) == "bash") {
		for _, a := range argv[1:] {
			if strings.HasSuffix(a, ".sh") {
				argv = []string{a}
				break
			}
		}
	}
	first := argv[0]
	if !strings.HasSuffix(first, ".sh") && !strings.Contains(path.Base(first), "entrypoint") && path.Base(first) != "start" {
		return "", ""
	}
	content, ok := scriptContent(in, first)
	if ok && execOnly(content) {
		return "", "" // `exec "$@"` only: not logic
	}
	return first, describeScript(content)
}

// scriptContent finds the script's source through the COPY that put it in
// the image and the repository context.
func scriptContent(in *convert.Input, imagePath string) (string, bool) {
	rt := in.CollectRuntime()
	target := convert.Absolute(rt.Workdir, imagePath)
	for _, st := range in.Chain {
		for _, ins := range st.All(dockerfile.KindCopy, dockerfile.KindAdd) {
			if ins.Copy.From != "" {
				continue
			}
			dst := convert.Absolute(in.WorkdirAt(st, ins), ins.Copy.Dest)
			for _, src := range ins.Copy.Sources {
				if dst == target || path.Join(dst, path.Base(src)) == target {
					if b, ok := in.Context.Read(strings.TrimPrefix(src, "./")); ok {
						return string(b), true
					}
				}
			}
		}
	}
	return "", false
}

func execOnly(content string) bool {
	for _, line := range strings.Split(content, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case l == "", strings.HasPrefix(l, "#"), l == "set -e", l == "set -eu", l == "set -eux", l == "set -ex":
		case l == `exec "$@"`:
		default:
			return false
		}
	}
	return true
}

// describeScript names what a script visibly does.
func describeScript(content string) string {
	var does []string
	checks := []struct{ needle, what string }{
		{"envsubst", "templates configuration with envsubst"},
		{"wait-for", "waits for other services"},
		{"migrate", "runs database migrations"},
		{"chown", "changes file ownership"},
		{"gosu", "drops privileges with gosu"},
		{"su-exec", "drops privileges with su-exec"},
		{"sed -i", "edits files with sed"},
		{"export ", "exports environment variables"},
		{"crond", "starts cron"},
		{"nginx", "starts nginx"},
		{" & ", "starts background processes"},
	}
	for _, c := range checks {
		if strings.Contains(content, c.needle) {
			does = append(does, c.what)
		}
	}
	return strings.Join(does, ", ")
}
