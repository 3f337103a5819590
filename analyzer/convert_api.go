package analyzer

import (
	"path"
	"sort"
	"strings"
	"time"

	"github.com/distill-bot/distill/analyzer/analysis"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/convert/recipes"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// Proposal is a conversion outcome.
type Proposal = convert.Proposal

// RepoContext holds repository files the converter reads.
type RepoContext = convert.RepoContext

// ConvertOptions configure a conversion.
type ConvertOptions struct {
	Path      string
	Target    string
	Config    *config.Config
	BuildArgs map[string]string
	Context   *RepoContext
	Now       time.Time
}

// Convert turns one Dockerfile into a multi-stage build with a distroless
// final stage, or declines with a reason.
func Convert(src []byte, opt ConvertOptions) (*Proposal, error) {
	return convert.Run(opt.Path, src, recipes.All(), convertOptions(opt))
}

// convertOptionsOf are the conversion options matching a check's.
func convertOptionsOf(opt Options) ConvertOptions {
	return ConvertOptions{Path: opt.Path, Target: opt.Target, Config: opt.Config, BuildArgs: opt.BuildArgs, Now: opt.Now, Context: opt.Context}
}

// ConvertFile is Convert on a file already parsed with opt.BuildArgs. The
// converter only reads f, so Check shares its parse with it.
func ConvertFile(f *dockerfile.File, opt ConvertOptions) (*Proposal, error) {
	return convert.RunFile(f, recipes.All(), convertOptions(opt))
}

func convertOptions(opt ConvertOptions) convert.Options {
	target := opt.Target
	if target == "" {
		target = opt.Config.Target(opt.Path)
	}
	return convert.Options{
		Target:             target,
		Debian:             opt.Config.DebianRelease(),
		NonRoot:            opt.Config.NonRoot(),
		AllowVersionChange: opt.Config.AllowVersionChange(),
		BuildArgs:          opt.BuildArgs,
		Context:            opt.Context,
		Now:                opt.Now,
	}
}

// ContextFiles lists the repository files (glob patterns relative to the
// build context) the converter reads when they exist.
func ContextFiles() []string { return convert.ContextFiles(recipes.All()) }

// MaxContextFiles bounds the files read from one build context (each is an
// API request in the App).
const MaxContextFiles = 16

// MaxContextFileSize is the largest context file read.
const MaxContextFileSize = 1 << 20

// SelectContextFiles picks, from the regular files at the top of a build
// context (names with their sizes), the ones the converter reads: those
// matching ContextFiles, exact names (go.mod, package.json) before glob
// matches (*.go, *.csproj), each group sorted, at most MaxContextFiles.
// The App and the verification job both use it, so that a proposal is
// recomputed from exactly the files it was made from.
func SelectContextFiles(sizes map[string]int64) []string {
	var exact, globbed []string
	patterns := ContextFiles()
	for name, size := range sizes {
		if strings.Contains(name, "/") || size > MaxContextFileSize {
			continue
		}
		for _, pat := range patterns {
			if pat == name {
				exact = append(exact, name)
				break
			}
			if ok, _ := path.Match(pat, name); ok {
				globbed = append(globbed, name)
				break
			}
		}
	}
	sort.Strings(exact)
	sort.Strings(globbed)
	out := append(exact, globbed...)
	if len(out) > MaxContextFiles {
		out = out[:MaxContextFiles]
	}
	return out
}

// outlook summarises what Convert would do, for rules (check never
// recommends what fix would refuse).
func outlook(f *dockerfile.File, opt Options, keep **Proposal) func() analysis.Outlook {
	return func() analysis.Outlook {
		p, err := ConvertFile(f, convertOptionsOf(opt))
		if err == nil && keep != nil {
			*keep = p
		}
		if err != nil || p == nil || p.Recipe == "" {
			// No recipe recognised the image: the converter has no
			// opinion, so rules fall back to the rulebook.
			return analysis.Outlook{}
		}
		o := analysis.Outlook{Known: true, Recipe: p.Recipe, FinalImage: p.FinalImage}
		switch p.Status {
		case convert.Converted, convert.Unchanged:
			o.Convertible = true
		case convert.Declined:
			o.Reason = p.Decline.Reason
			if len(p.Decline.Alternatives) > 0 {
				o.Alternative = p.Decline.Alternatives[0]
			}
		}
		return o
	}
}
