package convert

import (
	"strings"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/dockerfile"
	"github.com/distill-bot/distill/analyzer/shell"
)

// Input is what a recipe sees.
type Input struct {
	Path   string
	File   *dockerfile.File
	Target *dockerfile.Stage
	// Chain holds the stages whose content ends up in the image (the target
	// and its FROM ancestors), outermost first.
	Chain []*dockerfile.Stage
	// Builders are the other stages needed for the target.
	Builders []*dockerfile.Stage
	Options  Options
	Context  *RepoContext
	Catalog  *catalog.Catalog

	scripts map[*dockerfile.Instruction]*shell.Script
}

func newInput(path string, f *dockerfile.File, target *dockerfile.Stage, opt Options) *Input {
	in := &Input{Path: path, File: f, Target: target, Options: opt, Context: opt.Context, Catalog: Catalog,
		scripts: map[*dockerfile.Instruction]*shell.Script{}}
	if in.Context == nil {
		in.Context = &RepoContext{}
	}
	in.Chain = f.ImageChain(target)
	inChain := map[*dockerfile.Stage]bool{}
	for _, s := range in.Chain {
		inChain[s] = true
	}
	for _, s := range f.Reachable(target) {
		if !inChain[s] {
			in.Builders = append(in.Builders, s)
		}
	}
	return in
}

// Script returns the parsed shell script of a RUN (nil for exec form, other
// languages or unparsable scripts).
func (in *Input) Script(ins *dockerfile.Instruction) *shell.Script {
	if s, ok := in.scripts[ins]; ok {
		return s
	}
	var s *shell.Script
	if ins.Run != nil {
		if src, ok := ins.Run.Script(); ok {
			s, _ = shell.Parse(src)
		}
	}
	in.scripts[ins] = s
	return s
}

// Commands returns the shell commands of the RUNs in the given stages.
func (in *Input) Commands(stages ...*dockerfile.Stage) []analysis.RunCommand {
	var out []analysis.RunCommand
	for _, st := range stages {
		for _, ins := range st.All(dockerfile.KindRun) {
			s := in.Script(ins)
			if s == nil {
				continue
			}
			for _, c := range s.Commands {
				out = append(out, analysis.RunCommand{Instruction: ins, Command: c})
			}
		}
	}
	return out
}

// Reachable returns every stage needed for the target, in file order.
func (in *Input) Reachable() []*dockerfile.Stage { return in.File.Reachable(in.Target) }

// RootBase is the external image at the bottom of the target's chain.
func (in *Input) RootBase() dockerfile.ImageRef { return in.Target.RootBase() }

// Image returns the catalog entry of an external image, or nil.
func (in *Input) Image(ref dockerfile.ImageRef) *catalog.Image {
	if ref.Scratch || ref.Invalid || ref.Repository == "" {
		return nil
	}
	return in.Catalog.LookupImage(ref.Name())
}

// StageKinds returns the catalog kinds (go, python, …) of the external
// images of the given stages.
func (in *Input) StageKinds(stages ...*dockerfile.Stage) map[string]bool {
	kinds := map[string]bool{}
	for _, st := range stages {
		if st.BaseStage != nil {
			continue
		}
		if im := in.Image(st.Base); im != nil {
			kinds[im.Kind] = true
		}
	}
	return kinds
}

// HasCommand reports whether any RUN in the given stages runs one of the
// programs (by base name).
func (in *Input) HasCommand(stages []*dockerfile.Stage, names ...string) bool {
	for _, c := range in.Commands(stages...) {
		if c.Is(names...) {
			return true
		}
	}
	return false
}

// OnlyForHealthcheck reports whether tool, curl or wget, is in the image
// only for its HEALTHCHECK: a HEALTHCHECK of the image's stages names it
// and no RUN there runs it. Such a tool can go with the shell-form check
// it served (distroless has neither); recipes say so in their notes.
func (in *Input) OnlyForHealthcheck(tool string) bool {
	if tool != "curl" && tool != "wget" {
		return false
	}
	named := false
	for _, st := range in.Chain {
		if hc := st.Last(dockerfile.KindHealthcheck); hc != nil && strings.Contains(hc.Original, tool) {
			named = true
		}
	}
	return named && !in.HasCommand(in.Chain, tool)
}
