package convert

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// HealthProbe says how a runtime can probe an HTTP health endpoint without
// a shell or curl: "python" (urllib through the interpreter), "node"
// (http.get), or "" when the runtime has no scripting interpreter.
type HealthProbe struct {
	Kind        string
	Interpreter string // absolute path in the final image
}

// ConvertHealthcheck turns the original HEALTHCHECK into one that works
// without a shell. It returns the new instruction ("" to drop it) and the
// reviewer note explaining what happened.
func (in *Input) ConvertHealthcheck(hc *dockerfile.Instruction, probe HealthProbe, available func(path string) bool) (string, *Note) {
	if hc == nil || hc.Healthcheck == nil {
		return "", nil
	}
	h := hc.Healthcheck
	kw := Keyword(in.File, "HEALTHCHECK")
	if h.None {
		return kw + " NONE", nil
	}
	opts := healthOptions(hc)
	if !h.Shell() && len(h.Test) > 1 {
		argv := h.Test[1:]
		if available != nil && available(argv[0]) {
			return kw + opts + " CMD " + ExecForm(argv), nil
		}
	}
	// Find an HTTP URL probed with curl or wget.
	var line string
	if h.Shell() && len(h.Test) > 1 {
		line = h.Test[1]
	} else if len(h.Test) > 1 {
		line = strings.Join(h.Test[1:], " ")
	}
	url := probedURL(line)
	if url != "" && probe.Kind != "" {
		var argv []string
		switch probe.Kind {
		case "python":
			argv = []string{probe.Interpreter, "-c", fmt.Sprintf("import urllib.request; urllib.request.urlopen(%q, timeout=5)", url)}
		case "node":
			argv = []string{probe.Interpreter, "-e", fmt.Sprintf("require('http').get(%q, r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))", url)}
		}
		return kw + opts + " CMD " + ExecForm(argv), &Note{Kind: Behavior, Text: fmt.Sprintf("HEALTHCHECK no longer uses %s (there is no shell or %s in distroless); it probes %s with %s instead", firstWord(line), firstWord(line), url, probe.Interpreter)}
	}
	return "", &Note{Kind: Behavior, Text: fmt.Sprintf("HEALTHCHECK `%s` was dropped: it needs a shell or tools distroless does not have; use your orchestrator's probes (Kubernetes ignores Docker HEALTHCHECK) or a health-check mode of the application binary", truncate(line, 80))}
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// healthOptions renders the original --interval etc. flags with a leading
// space.
func healthOptions(hc *dockerfile.Instruction) string {
	var b strings.Builder
	for _, f := range hc.Flags {
		b.WriteString(" " + f)
	}
	return b.String()
}

// probedURL finds the URL a curl or wget health check requests.
func probedURL(line string) string {
	s, err := shell.Parse(line)
	if err != nil {
		return ""
	}
	for _, c := range s.Commands {
		if !c.Is("curl", "wget") {
			continue
		}
		for _, a := range c.Args {
			if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
				if strings.Contains(a, "$") {
					return ""
				}
				return a
			}
		}
	}
	return ""
}
