package dockerfile

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// LintWarning is one of BuildKit's own lint warnings.
type LintWarning struct {
	Rule        string
	Description string
	URL         string
	Message     string
	StartLine   int
	EndLine     int
}

// BuildKitRule describes one of BuildKit's lint rules.
type BuildKitRule struct {
	Name         string
	Description  string
	URL          string
	Experimental bool
}

// BuildKitRules lists BuildKit's lint rules that are not deprecated.
func BuildKitRules() []BuildKitRule {
	rules := []linter.LinterRuleI{
		&linter.RuleStageNameCasing, &linter.RuleFromAsCasing, &linter.RuleNoEmptyContinuation,
		&linter.RuleConsistentInstructionCasing, &linter.RuleDuplicateStageName, &linter.RuleReservedStageName,
		&linter.RuleJSONArgsRecommended, &linter.RuleMaintainerDeprecated, &linter.RuleUndefinedArgInFrom,
		&linter.RuleWorkdirRelativePath, &linter.RuleUndefinedVar, &linter.RuleMultipleInstructionsDisallowed,
		&linter.RuleLegacyKeyValueFormat, &linter.RuleInvalidBaseImagePlatform, &linter.RuleRedundantTargetPlatform,
		&linter.RuleSecretsUsedInArgOrEnv, &linter.RuleInvalidDefaultArgInFrom, &linter.RuleFromPlatformFlagConstDisallowed,
		&linter.RuleCopyIgnoredFile, &linter.RuleInvalidDefinitionDescription, &linter.RuleExposeProtoCasing,
		&linter.RuleExposeInvalidFormat,
	}
	var out []BuildKitRule
	for _, r := range rules {
		if r.IsDeprecated() {
			continue
		}
		d := describeRule(r)
		d.Experimental = r.IsExperimental()
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// describeRule reads a rule's metadata through the warn callback, the only
// seam BuildKit's generic rule type exposes.
func describeRule(r linter.LinterRuleI) BuildKitRule {
	d := BuildKitRule{Name: r.RuleName()}
	r.Run(func(_, desc, url, _ string, _ []parser.Range) {
		d.Description, d.URL = desc, url
	}, nil)
	return d
}

// ImageEnv returns the environment an external base image is known to set,
// and whether it is known. BuildKit's UndefinedVar check needs it; for
// unknown images distill cannot tell a typo from an image variable, so it
// drops UndefinedVar warnings in stages built on them rather than guess.
type ImageEnv func(ref ImageRef) ([]string, bool)

// offlineResolver answers BuildKit's image metadata lookups from local data
// so that linting never touches a registry. Multi-stage files resolve the
// same few configurations again and again, so answers are cached per
// environment and platform for the resolver's lifetime (one Lint call).
type offlineResolver struct {
	file  *File
	env   ImageEnv
	mu    sync.Mutex
	cache map[string][]byte
}

// imageConfig is the part of an OCI image config BuildKit's lint reads.
type imageConfig struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Variant      string `json:"variant"`
	Config       struct {
		Env []string `json:"Env"`
	} `json:"config"`
	RootFS struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
}

func (r *offlineResolver) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	platform := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		platform = *opt.ImageOpt.Platform
	}
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	if r.env != nil {
		if e, ok := r.env(ParseImageRef(ref)); ok {
			env = e
		}
	}
	key := platform.OS + "/" + platform.Architecture + "/" + platform.Variant + "\x00" + strings.Join(env, "\x00")
	r.mu.Lock()
	defer r.mu.Unlock()
	if dt, ok := r.cache[key]; ok {
		return ref, "", dt, nil
	}
	var cfg imageConfig
	cfg.Architecture, cfg.OS, cfg.Variant = platform.Architecture, platform.OS, platform.Variant
	cfg.Config.Env = env
	// A non-empty layer list keeps BuildKit from treating the image as
	// scratch.
	cfg.RootFS.Type = "layers"
	cfg.RootFS.DiffIDs = []string{"sha256:" + fmt.Sprintf("%064x", 0)}
	dt, err := json.Marshal(cfg)
	if err != nil {
		return ref, "", nil, err
	}
	if r.cache == nil {
		r.cache = map[string][]byte{}
	}
	r.cache[key] = dt
	return ref, "", dt, nil
}

// Lint runs BuildKit's own checks offline. It honours `# check=` directives
// the way BuildKit does. target "" lints every stage.
func Lint(ctx context.Context, f *File, target string, env ImageEnv) (warnings []LintWarning, err error) {
	defer func() {
		if r := recover(); r != nil {
			warnings, err = nil, fmt.Errorf("buildkit lint: internal error: %v", r)
		}
	}()
	var out []LintWarning
	sm := llb.NewSourceMap(nil, "Dockerfile", "Dockerfile", f.Src)
	// BuildKit records the source map in its results; an empty definition
	// is enough because nothing is built.
	sm.Definition = &llb.Definition{}
	opt := dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{Target: target},
		SourceMap:    sm,
		MetaResolver: &offlineResolver{file: f, env: env},
	}
	opt.TargetPlatform = &ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	res, err := dockerfile2llb.DockerfileLint(ctx, f.Src, opt)
	if err != nil {
		return nil, fmt.Errorf("buildkit lint: %w", err)
	}
	for _, w := range res.Warnings {
		lw := LintWarning{Rule: w.RuleName, Description: w.Description, URL: w.URL, Message: w.Detail}
		if w.Location != nil && len(w.Location.Ranges) > 0 {
			lw.StartLine = int(w.Location.Ranges[0].Start.Line)
			lw.EndLine = int(w.Location.Ranges[len(w.Location.Ranges)-1].End.Line)
		}
		if lw.StartLine < 1 {
			lw.StartLine = 1
		}
		if lw.EndLine < lw.StartLine {
			lw.EndLine = lw.StartLine
		}
		out = append(out, lw)
	}
	return out, nil
}
