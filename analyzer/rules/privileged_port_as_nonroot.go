package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// PrivilegedPortAsNonroot reports ports below 1024 in an image that runs
// as a non-root user.
var PrivilegedPortAsNonroot = &analysis.Rule{
	Name:     "PrivilegedPortAsNonroot",
	Summary:  "A port below 1024 in an image that runs as non-root: binding fails on CRI-O, rootless Podman and --network host.",
	Doc:      mustDoc("PrivilegedPortAsNonroot"),
	URL:      ruleURL("PrivilegedPortAsNonroot"),
	Severity: analysis.Warning,
	Category: analysis.Distroless,
	Run:      runPrivilegedPortAsNonroot,
}

var portArg = regexp.MustCompile(`^(?:--?(?:port|listen|bind|http-port|server\.port|b|p)[= ]|-Dserver\.port=)?(?:(?:[0-9.]+|\[[0-9a-f:]*\]|localhost|\*|\+|0\.0\.0\.0)?:)?(\d{1,5})$`)

func runPrivilegedPortAsNonroot(p *analysis.Pass) {
	base := finalBase(p)
	if base.Unresolved || base.Invalid {
		return
	}
	last := p.Chain[len(p.Chain)-1]
	state := stateAt(last, nil)
	if isRootUserValue(state.User) {
		return
	}
	who := userDescription(p, state.User)
	const remedy = "binding it as non-root works on Docker 20.10+ and containerd 2 (they set net.ipv4.ip_unprivileged_port_start=0) but fails with \"permission denied\" on CRI-O, rootless Podman and with --network host; listen on 8080 (or another port above 1023) and keep EXPOSE in sync"
	reported := map[int]bool{}
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindExpose) {
			env := stateAt(st, in).Env
			var low []string
			for _, w := range in.Words {
				w = expandVars(w, env)
				n, ok := portNumber(w)
				if ok && n < 1024 && n > 0 {
					low = append(low, w)
					reported[n] = true
				}
			}
			if len(low) > 0 {
				p.Reportf(analysis.SpanOf(in), "EXPOSE %s in an image that runs as %s: %s", strings.Join(low, " "), who, remedy)
			}
		}
	}
	rs := effectiveRun(p)
	for _, in := range []*dockerfile.Instruction{rs.Entrypoint, rs.Cmd} {
		words := execWords(in)
		for i, w := range words {
			arg, shown := w, w
			if i > 0 && strings.HasPrefix(words[i-1], "-") && !strings.Contains(words[i-1], "=") && portFlag(words[i-1]) {
				arg, shown = words[i-1]+"="+w, words[i-1]+" "+w
			}
			if !strings.Contains(arg, ":") && !strings.Contains(arg, "=") {
				continue
			}
			m := portArg.FindStringSubmatch(arg)
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[1])
			if n == 0 || n >= 1024 || reported[n] {
				continue
			}
			reported[n] = true
			p.Reportf(analysis.SpanOf(in), "%s listens on port %d (%q) in an image that runs as %s: %s", in.Kind, n, shown, who, remedy)
		}
	}
	for _, st := range p.Chain {
		for _, in := range st.All(dockerfile.KindEnv) {
			for _, kv := range in.KeyValues.Pairs {
				var n int
				switch kv.Key {
				case "PORT", "ASPNETCORE_HTTP_PORTS", "SERVER_PORT":
					n, _ = strconv.Atoi(kv.Value)
				case "ASPNETCORE_URLS":
					if m := regexp.MustCompile(`:(\d+)`).FindStringSubmatch(kv.Value); m != nil {
						n, _ = strconv.Atoi(m[1])
					}
				}
				if n > 0 && n < 1024 && !reported[n] {
					reported[n] = true
					p.Reportf(analysis.SpanOf(in), "ENV %s=%s asks the app to listen on port %d in an image that runs as %s: %s", kv.Key, kv.Value, n, who, remedy)
				}
			}
		}
	}
}

func portFlag(f string) bool {
	f = strings.TrimLeft(f, "-")
	switch f {
	case "port", "p", "listen", "bind", "b", "http-port":
		return true
	}
	return false
}

func portNumber(w string) (int, bool) {
	w, _, _ = strings.Cut(w, "/")
	w, _, _ = strings.Cut(w, "-")
	n, err := strconv.Atoi(w)
	return n, err == nil
}

// userDescription renders who the image runs as.
func userDescription(p *analysis.Pass, user string) string {
	if in := p.LastFinal(dockerfile.KindUser); in != nil {
		return fmt.Sprintf("USER %s (line %d)", in.Value, in.StartLine)
	}
	return fmt.Sprintf("uid %s (%s)", user, imageName(finalBase(p)))
}
