package rules

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// This file holds what the distroless-family rules share: what an
// instruction sees (environment, WORKDIR, USER, SHELL), what the container
// runs (ENTRYPOINT and CMD in effect), and which files the shipped image
// copies from build stages.

// stageState is the state an instruction sees after the instructions
// before it in its stage and in the stages that stage is built FROM.
type stageState struct {
	Env map[string]string
	// Unset holds variables declared by ARG without a default: their value
	// comes from --build-arg and is unknown here.
	Unset   map[string]bool
	Workdir string
	User    string
	// Shell is the SHELL in effect (nil: the default /bin/sh -c) and
	// ShellAt the instruction that set it.
	Shell   []string
	ShellAt *dockerfile.Instruction
}

// stateAt computes the state before instruction upto (nil: after the whole
// stage).
func stateAt(st *dockerfile.Stage, upto *dockerfile.Instruction) stageState {
	s := stageState{Env: map[string]string{}, Unset: map[string]bool{}, Workdir: "/"}
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for x := st; x != nil && !seen[x]; x = x.BaseStage {
		seen[x] = true
		chain = append([]*dockerfile.Stage{x}, chain...)
	}
	root := chain[0].Base
	if im := lookupImage(root); im != nil {
		for _, kv := range im.Env {
			if k, v, ok := strings.Cut(kv, "="); ok {
				s.Env[k] = v
			}
		}
		if im.Workdir != "" {
			s.Workdir = im.Workdir
		}
	}
	if dl, ok := distrolessOf(root); ok && strings.Contains(dl.Tag, "nonroot") {
		s.Workdir = "/home/nonroot"
		s.User = "65532"
	}
	for _, x := range chain {
		for _, in := range x.Instructions {
			if in == upto {
				return s
			}
			switch in.Kind {
			case dockerfile.KindEnv:
				if in.KeyValues != nil {
					for _, kv := range in.KeyValues.Pairs {
						s.Env[kv.Key] = expandVars(unquote(kv.Value), s.Env)
						delete(s.Unset, kv.Key)
					}
				}
			case dockerfile.KindArg:
				if in.Arg != nil {
					for _, d := range in.Arg.Defs {
						if _, set := s.Env[d.Name]; set && !s.Unset[d.Name] {
							continue // ENV wins over ARG
						}
						if d.Default == nil {
							s.Unset[d.Name] = true
							continue
						}
						s.Env[d.Name] = expandVars(unquote(*d.Default), s.Env)
						delete(s.Unset, d.Name)
					}
				}
			case dockerfile.KindWorkdir:
				w := expandVars(in.Value, s.Env)
				if !path.IsAbs(w) {
					w = path.Join(s.Workdir, w)
				}
				s.Workdir = path.Clean(w)
			case dockerfile.KindUser:
				s.User = expandVars(in.Value, s.Env)
			case dockerfile.KindShell:
				if in.Exec != nil {
					s.Shell, s.ShellAt = in.Exec.Args, in
				}
			}
		}
	}
	return s
}

// lookup returns a variable and whether its value is known.
func (s stageState) lookup(name string) (string, bool) {
	if s.Unset[name] {
		return "", false
	}
	v, ok := s.Env[name]
	return v, ok
}

var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expandVars expands $VAR, ${VAR} and ${VAR:-default} from env; unknown
// variables without a default are left as written.
func expandVars(s string, env map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := varRef.FindStringSubmatch(m)
		name := sub[1]
		if name == "" {
			name = sub[3]
		}
		if v, ok := env[name]; ok && (v != "" || !strings.Contains(m, ":-")) {
			return v
		}
		if strings.Contains(m, "-") && sub[1] != "" {
			return sub[2]
		}
		return m
	})
}

// hasVar reports whether s still contains a variable reference.
func hasVar(s string) bool { return varRef.MatchString(s) }

// lookupImage returns the catalog entry of a base image, or nil.
func lookupImage(ref dockerfile.ImageRef) *catalog.Image {
	if ref.Scratch || ref.Unresolved || ref.Invalid || ref.Repository == "" {
		return nil
	}
	return cat.LookupImage(ref.Name())
}

// now returns the date rules compare support dates with.
func now(p *analysis.Pass) time.Time {
	if p.Options.Now.IsZero() {
		return time.Now()
	}
	return p.Options.Now
}

// debianOf returns the Debian release of an image reference: a distroless
// image's -debianNN (or what the untagged name resolves to today), or the
// catalog's reading of an official image's tag.
func debianOf(p *analysis.Pass, ref dockerfile.ImageRef) (int, bool) {
	if ref.Unresolved || ref.Invalid || ref.Scratch {
		return 0, false
	}
	if dl, ok := distrolessOf(ref); ok {
		if dl.Debian != 0 {
			return dl.Debian, true
		}
		if dl.Image == nil {
			return 0, false
		}
		return cat.UnversionedDebian(now(p).Format("2006-01-02")), true
	}
	im := lookupImage(ref)
	if im == nil {
		return 0, false
	}
	return cat.ImageDebian(im, ref.Tag)
}

// isMusl reports whether an image reference is musl-based (Alpine).
func isMusl(ref dockerfile.ImageRef) bool {
	if ref.Unresolved || ref.Invalid || ref.Scratch {
		return false
	}
	if im := lookupImage(ref); im != nil {
		return im.IsAlpine(ref.Tag)
	}
	return catalog.HasWord(ref.Tag, "alpine")
}

// describeDebian renders "Debian 13 trixie, glibc 2.41".
func describeDebian(d int) string {
	s := "Debian " + strconv.Itoa(d)
	if c := cat.Codename(d); c != "" {
		s += " " + c
	}
	if g := cat.Glibc(d); g != "" {
		s += ", glibc " + g
	}
	return s
}

// runSpec is what the shipped container runs.
type runSpec struct {
	// Entrypoint is the ENTRYPOINT in effect in the chain; nil means the
	// base image's (ImageEntrypoint).
	Entrypoint *dockerfile.Instruction
	// Cmd is the CMD in effect; nil when none is set or a later ENTRYPOINT
	// reset it.
	Cmd             *dockerfile.Instruction
	ImageEntrypoint []string
}

// effectiveRun computes the ENTRYPOINT and CMD of the shipped image. An
// ENTRYPOINT resets a CMD inherited from an earlier stage, but not one set
// earlier in its own stage (BuildKit's dispatch rules).
func effectiveRun(p *analysis.Pass) runSpec {
	var rs runSpec
	var cmdStage *dockerfile.Stage
	for _, st := range p.Chain {
		for _, in := range st.Instructions {
			switch in.Kind {
			case dockerfile.KindCmd:
				rs.Cmd, cmdStage = in, st
			case dockerfile.KindEntrypoint:
				rs.Entrypoint = in
				if cmdStage != st {
					rs.Cmd = nil
				}
			}
		}
	}
	if rs.Entrypoint == nil {
		if dl, ok := distrolessOf(finalBase(p)); ok && dl.Image != nil {
			rs.ImageEntrypoint = imageEntrypoint(dl)
		}
	}
	return rs
}

// imageEntrypoint returns a distroless image's own ENTRYPOINT: the
// language's interpreter, or /busybox/sh on :debug tags of static, base and
// cc (language images keep their interpreter on :debug).
func imageEntrypoint(dl catalog.DistrolessRef) []string {
	if dl.Image == nil {
		return nil
	}
	if len(dl.Image.Entrypoint) > 0 {
		return dl.Image.Entrypoint
	}
	if strings.HasPrefix(dl.Tag, "debug") {
		return []string{"/busybox/sh"}
	}
	return nil
}

// argv returns the exec-form words the container runs, and false when a
// shell form is involved.
func (rs runSpec) argv() ([]string, bool) {
	var out []string
	if rs.Entrypoint != nil {
		if rs.Entrypoint.Exec == nil || rs.Entrypoint.Exec.Shell {
			return nil, false
		}
		out = append(out, rs.Entrypoint.Exec.Args...)
	} else {
		out = append(out, rs.ImageEntrypoint...)
	}
	if rs.Cmd != nil {
		if rs.Cmd.Exec == nil || rs.Cmd.Exec.Shell {
			return nil, false
		}
		out = append(out, rs.Cmd.Exec.Args...)
	}
	return out, true
}

// stageCopy is a COPY --from=<stage> in the shipped image.
type stageCopy struct {
	In      *dockerfile.Instruction
	From    *dockerfile.Stage
	Sources []string // absolute, cleaned paths in the source stage
	Dest    string   // absolute destination
}

// chainCopies returns the COPY --from=<stage> instructions of the shipped
// image.
func chainCopies(p *analysis.Pass) []stageCopy {
	return p.Memo("distroless.chainCopies", func() any {
		var out []stageCopy
		for _, st := range p.Chain {
			for _, in := range st.All(dockerfile.KindCopy) {
				if in.Copy == nil || in.Copy.From == "" {
					continue
				}
				from := p.File.Stage(in.Copy.From)
				if from == nil || from.Index >= st.Index {
					continue
				}
				c := stageCopy{In: in, From: from}
				env := stateAt(st, in)
				for _, s := range in.Copy.Sources {
					c.Sources = append(c.Sources, path.Clean("/"+expandVars(s, env.Env)))
				}
				d := expandVars(in.Copy.Dest, env.Env)
				if !path.IsAbs(d) {
					d = path.Join(env.Workdir, d)
				}
				c.Dest = path.Clean(d)
				out = append(out, c)
			}
		}
		return out
	}).([]stageCopy)
}

// stageLineage returns a stage and the stages it is built FROM, outermost
// first.
func stageLineage(st *dockerfile.Stage) []*dockerfile.Stage {
	var out []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for x := st; x != nil && !seen[x]; x = x.BaseStage {
		seen[x] = true
		out = append([]*dockerfile.Stage{x}, out...)
	}
	return out
}

// covers reports whether copying src also copies target: src is target or
// one of its parent directories. A glob source covers what sits in its
// directory.
func covers(src, target string) bool {
	if src == "/" || src == target || strings.HasPrefix(target, strings.TrimSuffix(src, "/")+"/") {
		return true
	}
	if i := strings.IndexAny(src, "*?["); i >= 0 {
		dir := path.Dir(src[:i] + "x")
		if ok, _ := path.Match(src, target); ok {
			return true
		}
		return target == dir || strings.HasPrefix(target, dir+"/")
	}
	return false
}

// inChainStages reports whether a stage ends up in the image.
func stageIn(list []*dockerfile.Stage, st *dockerfile.Stage) bool {
	for _, s := range list {
		if s == st {
			return true
		}
	}
	return false
}

// words of an exec instruction, nil for shell form.
func execWords(in *dockerfile.Instruction) []string {
	if in == nil || in.Exec == nil || in.Exec.Shell {
		return nil
	}
	return in.Exec.Args
}

// isRootUserValue reports whether USER means uid 0 ("" is the default,
// root).
func isRootUserValue(u string) bool {
	return u == "" || isRootUser(u)
}

// shortList renders up to n items joined by ", ".
func shortList(items []string, n int) string {
	if len(items) > n {
		return strings.Join(items[:n], ", ") + ", …"
	}
	return strings.Join(items, ", ")
}

// imageName renders a reference for messages, with a shortened digest.
func imageName(ref dockerfile.ImageRef) string {
	s := ref.Familiar()
	if i := strings.Index(s, "@sha256:"); i >= 0 && len(s) > i+8+12 {
		s = s[:i+8+12] + "…"
	}
	return s
}

// unquote strips one pair of matching surrounding quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
