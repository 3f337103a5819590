package convert

import (
	"path"
	"strings"

	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Runtime is the configuration of the original shipped image that the
// distroless stage must carry over (rulebook §4.5): everything a container
// sees at run time, collected across the target's FROM chain.
type Runtime struct {
	// Workdir is the effective working directory ("" means the base
	// image's, usually /).
	Workdir string
	// Env holds runtime ENV in order, one entry per key (last value wins).
	Env []dockerfile.KeyValue
	// BuildOnlyEnv names the ENV dropped as build-only (DEBIAN_FRONTEND…).
	BuildOnlyEnv []string
	Labels       []*dockerfile.Instruction
	Expose       []string
	Volumes      []string
	StopSignal   string
	// User is the last USER value ("" when none).
	User        string
	UserInstr   *dockerfile.Instruction
	Healthcheck *dockerfile.Instruction
	Entrypoint  *dockerfile.Instruction
	Cmd         *dockerfile.Instruction
	// Shell is set when the chain changes SHELL.
	Shell *dockerfile.Instruction
}

// CollectRuntime gathers the runtime configuration of the target's image.
func (in *Input) CollectRuntime() *Runtime {
	rt := &Runtime{}
	envIdx := map[string]int{}
	for _, st := range in.Chain {
		for _, ins := range st.Instructions {
			switch ins.Kind {
			case dockerfile.KindWorkdir:
				rt.Workdir = joinWorkdir(rt.Workdir, ins.Value)
			case dockerfile.KindEnv:
				for _, kv := range ins.KeyValues.Pairs {
					if in.Catalog.IsBuildOnlyEnv(kv.Key) {
						rt.BuildOnlyEnv = AppendUnique(rt.BuildOnlyEnv, kv.Key)
						continue
					}
					if i, ok := envIdx[kv.Key]; ok {
						rt.Env[i] = kv
						continue
					}
					envIdx[kv.Key] = len(rt.Env)
					rt.Env = append(rt.Env, kv)
				}
			case dockerfile.KindLabel:
				rt.Labels = append(rt.Labels, ins)
			case dockerfile.KindExpose:
				for _, p := range ins.Words {
					rt.Expose = AppendUnique(rt.Expose, p)
				}
			case dockerfile.KindVolume:
				for _, v := range ins.Words {
					rt.Volumes = AppendUnique(rt.Volumes, v)
				}
			case dockerfile.KindStopSignal:
				rt.StopSignal = ins.Value
			case dockerfile.KindUser:
				rt.User, rt.UserInstr = ins.Value, ins
			case dockerfile.KindHealthcheck:
				rt.Healthcheck = ins
			case dockerfile.KindEntrypoint:
				rt.Entrypoint = ins
				// Setting ENTRYPOINT resets a CMD inherited from an
				// earlier stage of the chain.
				if rt.Cmd != nil && rt.Cmd.Stage != ins.Stage {
					rt.Cmd = nil
				}
			case dockerfile.KindCmd:
				rt.Cmd = ins
			case dockerfile.KindShell:
				rt.Shell = ins
			}
		}
	}
	return rt
}

func joinWorkdir(cur, next string) string {
	if strings.HasPrefix(next, "/") || strings.HasPrefix(next, "$") {
		return path.Clean(next)
	}
	if cur == "" {
		cur = "/"
	}
	return path.Join(cur, next)
}

// AppendUnique appends s to list unless list already holds it.
func AppendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// EnvValue returns a runtime ENV value.
func (rt *Runtime) EnvValue(key string) (string, bool) {
	for _, kv := range rt.Env {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// WithoutEnv returns the runtime ENV without the given keys.
func (rt *Runtime) WithoutEnv(keys ...string) []dockerfile.KeyValue {
	var out []dockerfile.KeyValue
	for _, kv := range rt.Env {
		drop := false
		for _, k := range keys {
			if kv.Key == k {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// NumericNonRootUser reports whether the original USER is a numeric uid
// other than 0 ("1000", "1000:1000"), which carries over as is.
func (rt *Runtime) NumericNonRootUser() bool {
	u, _, _ := strings.Cut(rt.User, ":")
	if u == "" || u == "0" {
		return false
	}
	for _, r := range u {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// PrivilegedPorts returns exposed ports below 1024.
func (rt *Runtime) PrivilegedPorts() []string {
	var out []string
	for _, p := range rt.Expose {
		num, _, _ := strings.Cut(p, "/")
		n := 0
		for _, r := range num {
			if r < '0' || r > '9' {
				n = -1
				break
			}
			n = n*10 + int(r-'0')
		}
		if n > 0 && n < 1024 {
			out = append(out, p)
		}
	}
	return out
}
