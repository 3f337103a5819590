package convert

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/analyzer/dockerfile"
)

var portEnvKey = regexp.MustCompile(`^([A-Z0-9_]*_)?PORT$`)

// MovePrivilegedPorts handles ports below 1024 in an image that will run
// as uid 65532 (rulebook §4.4): binding them fails on CRI-O, rootless Podman
// and with --network host. When an ENV variable (PORT, SERVER_PORT,
// HTTP_PORT…) sets the port the application listens on, the port moves to
// 8000+port (80 → 8080) in that ENV and in EXPOSE, as a flagged behaviour
// change; otherwise the conversion is declined. It updates p.Runtime for
// the final stage and, for in-place conversions, edits the shipped stage's
// own ENV and EXPOSE lines. It returns the old → new port map.
func (p *Plan) MovePrivilegedPorts(inPlace bool) (map[string]string, *Result) {
	if !p.In.Options.NonRoot {
		return nil, nil
	}
	rt := p.Runtime
	low := rt.PrivilegedPorts()
	if len(low) == 0 {
		return nil, nil
	}
	moved := map[string]string{}
	keys := map[string]string{} // env key → new value
	for _, port := range low {
		num, proto, _ := strings.Cut(port, "/")
		key := ""
		for _, kv := range rt.Env {
			if portEnvKey.MatchString(kv.Key) && EnvLiteral(kv.Value) == num {
				key = kv.Key
			}
		}
		if key == "" {
			return nil, Declinef([]string{
				"make the application listen on a port above 1023 (for example 8080, read from an ENV variable such as PORT), update EXPOSE, and run `distill fix` again",
				"set images.nonroot: false to keep running as root, which can bind any port",
			}, "the image listens on port %s (EXPOSE %s) and distroless runs it as uid 65532, which cannot bind ports below 1024 on CRI-O, rootless Podman or with --network host; no ENV variable sets the port, so distill cannot move it", num, port)
		}
		n, _ := strconv.Atoi(num)
		to := strconv.Itoa(8000 + n)
		moved[num] = to
		keys[key] = to
		for i := range rt.Env {
			if rt.Env[i].Key == key {
				rt.Env[i].Value = to
			}
		}
		newPort := to
		if proto != "" {
			newPort += "/" + proto
		}
		for i, e := range rt.Expose {
			if e == port {
				rt.Expose[i] = newPort
			}
		}
		p.Note(Behavior, "the application now listens on port %s instead of %s (ENV %s=%s, EXPOSE %s): as uid 65532 it cannot bind ports below 1024 on CRI-O, rootless Podman or with --network host; publish it with -p %s:%s and update Services and probes that target port %s",
			to, num, key, to, newPort, num, to, num)
	}
	if inPlace {
		p.rewritePortLines(moved, keys)
	}
	return moved, nil
}

// rewritePortLines edits the shipped chain's ENV and EXPOSE instructions
// that name a moved port.
func (p *Plan) rewritePortLines(moved map[string]string, keys map[string]string) {
	for _, st := range p.In.Chain {
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindEnv:
				changed := false
				var parts []string
				for _, kv := range ins.KeyValues.Pairs {
					v := kv.Value
					if to, ok := keys[kv.Key]; ok {
						v, changed = to, true
					}
					parts = append(parts, kv.Key+"="+QuoteEnv(v))
				}
				if changed {
					p.Editor.Replace(ins, Keyword(p.In.File, "ENV")+" "+strings.Join(parts, " "))
				}
			case dockerfile.KindExpose:
				changed := false
				var ports []string
				for _, w := range ins.Words {
					num, proto, hasProto := strings.Cut(w, "/")
					if to, ok := moved[num]; ok {
						w, changed = to, true
						if hasProto {
							w += "/" + proto
						}
					}
					ports = append(ports, w)
				}
				if changed {
					p.Editor.Replace(ins, Keyword(p.In.File, "EXPOSE")+" "+strings.Join(ports, " "))
				}
			}
		}
	}
}

// PortInArgs reports a moved port still passed on the command line, which
// the conversion cannot rewrite safely.
func PortInArgs(moved map[string]string, args []string) (string, string, bool) {
	for old := range moved {
		for _, a := range args {
			if a == old || strings.HasSuffix(a, ":"+old) || strings.HasSuffix(a, "="+old) {
				return old, a, true
			}
		}
	}
	return "", "", false
}

// declinePortArg declines when a moved port is passed on the command line.
func declinePortArg(old, arg string) *Result {
	return Declinef([]string{"read the port from an ENV variable in the application (or pass a port above 1023) and run `distill fix` again"},
		"the command passes port %s (%q) to the application, and distroless runs it as uid 65532, which cannot bind ports below 1024 everywhere", old, arg)
}
