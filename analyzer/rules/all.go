package rules

import (
	"sort"
	"strings"
	"sync"

	"github.com/distill-bot/distill/analyzer/analysis"
)

// distill lists distill's own rules. Adding a rule: write its file and
// doc/<Name>.md, add testdata/rules/<Name>/, and list it here.
var distill = []*analysis.Rule{
	// Multi-stage and distroless.
	ShellFormCmd,
	ShellFormEntrypoint,
	RunsAsRoot,
	SingleStageBuild,
	BuildToolchainInFinalImage,
	NonMinimalFinalImage,
	EntrypointScript,
	UnpinnedDistrolessDebian,
	DeprecatedDistrolessImage,
	NonexistentImageTag,
	DistrolessEntrypointRepeated,
	ShellInDistrolessStage,
	JavaOptsWithoutShell,
	NpmStartInCmd,
	PrivilegedPortAsNonroot,
	DependenciesLeftInBuildStage,
	PythonVersionMismatch,
	DynamicBinaryOnStaticImage,
	GlibcNewerInBuilder,
	MuslArtifactOnGlibc,
	// Hygiene.
	LatestOrMissingTag,
	BaseImageNotPinnedByDigest,
	AptCacheLeftInImage,
	AptInstallRecommends,
	PipCacheInImage,
	DevDependenciesInFinalImage,
	CopyAllBeforeDependencyInstall,
	AddInsteadOfCopy,
	SecretInArgOrEnv,
}

var (
	allOnce sync.Once
	all     []*analysis.Rule
)

// All returns every rule: SyntaxError, distill's rules and the adapted
// BuildKit rules, sorted by name. The slice is shared; do not modify it.
func All() []*analysis.Rule {
	allOnce.Do(func() {
		all = append([]*analysis.Rule{SyntaxError}, distill...)
		all = append(all, buildKitRules()...)
		sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	})
	return all
}

// Lookup returns a rule by name, case-insensitively, or nil.
func Lookup(name string) *analysis.Rule {
	for _, r := range All() {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// Known reports whether a rule name exists (exact case), for validating
// configuration.
func Known(name string) bool {
	for _, r := range All() {
		if r.Name == name {
			return true
		}
	}
	return false
}
