package catalog

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DistrolessRef is a distroless image reference interpreted by the catalog.
type DistrolessRef struct {
	// Family is the image name without the Debian suffix: "static",
	// "python3", "nodejs22".
	Family string
	// Debian is the pinned release, 0 when the name has no -debianNN.
	Debian int
	Tag    string
	// Image is the catalog entry for the family, nil when unknown.
	Image *DistrolessImage
	// Removed is set when the name (with its Debian suffix) is removed or
	// frozen.
	Removed *Removal
	// TagKnown reports whether the tag is one distroless still updates.
	TagKnown bool
	// Published reports whether the family is published for Debian.
	Published bool
}

var debianSuffix = regexp.MustCompile(`^(.*)-debian(\d+)$`)

// ParseDistroless interprets the repository path after "distroless/" and a
// tag ("" means latest).
func (c *Catalog) ParseDistroless(name, tag string) DistrolessRef {
	r := DistrolessRef{Family: name, Tag: tag}
	if m := debianSuffix.FindStringSubmatch(name); m != nil {
		r.Family = m[1]
		r.Debian, _ = strconv.Atoi(m[2])
	}
	r.Image = c.DistrolessImage(r.Family)
	if r.Image != nil && r.Debian != 0 {
		for _, d := range r.Image.Debians {
			if d == r.Debian {
				r.Published = true
			}
		}
	}
	for i := range c.Distroless.Removed {
		if c.Distroless.Removed[i].re.MatchString(name) {
			r.Removed = &c.Distroless.Removed[i]
			break
		}
	}
	r.TagKnown = c.DistrolessTagKnown(tag)
	return r
}

// DistrolessTagKnown reports whether a distroless tag is still updated.
func (c *Catalog) DistrolessTagKnown(tag string) bool {
	if tag == "" {
		return true
	}
	for _, t := range c.Distroless.Tags {
		if t == tag {
			return true
		}
	}
	for _, p := range c.Distroless.TagPatterns {
		if regexp.MustCompile(p).MatchString(tag) {
			return true
		}
	}
	return false
}

// DistrolessImage returns the family's entry or nil.
func (c *Catalog) DistrolessImage(family string) *DistrolessImage {
	for i := range c.Distroless.Images {
		if c.Distroless.Images[i].Family == family {
			return &c.Distroless.Images[i]
		}
	}
	return nil
}

// DistrolessFor returns the image for a runtime and language version
// published for debian, or nil. version is ignored for static/base/cc.
func (c *Catalog) DistrolessFor(runtime, version string, debian int) *DistrolessImage {
	for i := range c.Distroless.Images {
		im := &c.Distroless.Images[i]
		if im.Runtime != runtime || (version != "" && im.Version != "" && im.Version != version) {
			continue
		}
		if runtime == "base" && im.Family != "base" {
			continue
		}
		if im.HasDebian(debian) {
			return im
		}
	}
	return nil
}

// HasDebian reports whether the family is published for a release.
func (im *DistrolessImage) HasDebian(debian int) bool {
	for _, d := range im.Debians {
		if d == debian {
			return true
		}
	}
	return false
}

// Ref renders the full reference "gcr.io/distroless/<family>-debianNN:tag".
func (c *Catalog) Ref(family string, debian int, tag string) string {
	s := fmt.Sprintf("%s/%s-debian%d", c.Distroless.Registry, family, debian)
	if tag != "" && tag != "latest" {
		s += ":" + tag
	}
	return s
}

// UnversionedDebian returns the Debian release an untagged distroless name
// points to on a date (YYYY-MM-DD).
func (c *Catalog) UnversionedDebian(date string) int {
	for _, e := range c.Distroless.UnversionedHistory {
		if e.Until == "" || date < e.Until {
			return e.Debian
		}
	}
	return c.Distroless.DefaultDebian
}

// EndOfSupport returns the end-of-support date of a runtime on a Debian
// release, if one is recorded.
func (c *Catalog) EndOfSupport(runtime string, debian int) (time.Time, bool) {
	for _, e := range c.Distroless.EndOfSupport {
		if e.Debian != debian {
			continue
		}
		for _, r := range e.Runtime {
			if r == runtime {
				t, err := time.Parse("2006-01-02", e.Date)
				return t, err == nil
			}
		}
	}
	return time.Time{}, false
}

// Glibc returns the glibc version of a Debian release, "" when unknown.
func (c *Catalog) Glibc(debian int) string {
	for _, d := range c.Debian {
		if d.Version == debian {
			return d.Glibc
		}
	}
	return ""
}

// Codename returns a release's codename ("trixie"), "" when unknown.
func (c *Catalog) Codename(debian int) string {
	for _, d := range c.Debian {
		if d.Version == debian {
			return d.Codename
		}
	}
	return ""
}

// DebianByCodename returns the release number for a codename, 0 if unknown.
func (c *Catalog) DebianByCodename(codename string) int {
	for _, d := range c.Debian {
		if d.Codename == codename {
			return d.Version
		}
	}
	return 0
}

// LookupImage returns the catalog entry for a familiar image name
// ("golang", "mcr.microsoft.com/dotnet/sdk"), or nil.
func (c *Catalog) LookupImage(name string) *Image {
	name = strings.TrimPrefix(name, "docker.io/")
	name = strings.TrimPrefix(name, "library/")
	for i := range c.Images {
		if c.Images[i].Name == name {
			return &c.Images[i]
		}
	}
	return nil
}

// TagExists reports whether a tag matches every tag the image has ever
// had. Images without a pattern accept every tag.
func (im *Image) TagExists(tag string) bool {
	if im.tagRE == nil || tag == "" {
		return true
	}
	return im.tagRE.MatchString(tag)
}

var leadingVersion = regexp.MustCompile(`^(\d+(?:\.\d+)*)`)

// TagVersion returns the version at the start of a tag: "1.22" for
// "1.22.3-bookworm" → "1.22.3". Aliases return "".
func TagVersion(tag string) string {
	return leadingVersion.FindString(tag)
}

// TagWords returns the variant words of a tag: ["slim","bookworm"] for
// "3.11-slim-bookworm".
func TagWords(tag string) []string {
	rest := strings.TrimPrefix(tag, TagVersion(tag))
	rest = strings.TrimPrefix(rest, "-")
	if rest == "" {
		return nil
	}
	return strings.Split(rest, "-")
}

// HasWord reports whether a tag has the variant word (prefix match for
// words like "alpine3.19").
func HasWord(tag, word string) bool {
	for _, w := range TagWords(tag) {
		if w == word || strings.HasPrefix(w, word) {
			return true
		}
	}
	return false
}

// Debian returns the Debian release an image tag runs on: from a codename
// in the tag, else the image's default for that version. ok is false for
// Alpine, Ubuntu and unknown cases.
func (c *Catalog) ImageDebian(im *Image, tag string) (int, bool) {
	if im == nil || im.Musl || HasWord(tag, "alpine") {
		return 0, false
	}
	for _, w := range TagWords(tag) {
		if d := c.DebianByCodename(w); d != 0 {
			return d, true
		}
	}
	if d := c.DebianByCodename(tag); d != 0 {
		return d, true
	}
	if im.Ubuntu {
		return 0, false
	}
	v := TagVersion(tag)
	if im.VersionIsDebian && v != "" {
		if d, err := strconv.Atoi(Major(v)); err == nil {
			return d, true
		}
	}
	if d, ok := im.AliasDebian[tag]; ok {
		return d, true
	}
	if v == "" {
		if d, ok := im.AliasDebian[""]; ok {
			return d, true
		}
		if n := len(im.DefaultDebian); n > 0 {
			return im.DefaultDebian[n-1].Debian, true
		}
		return 0, false
	}
	best := 0
	for _, vd := range im.DefaultDebian {
		if vd.From == "" || CompareVersions(v, vd.From) >= 0 {
			best = vd.Debian
		}
	}
	return best, best != 0
}

// LanguageVersion returns the language version a tag names: the group of
// the image's version_pattern when it has one (maven:3.9-eclipse-temurin-21
// → "21"), else the version the tag leads with ("21.0.2_13-jre" →
// "21.0.2"). "" when the tag names none (latest, lts).
func (im *Image) LanguageVersion(tag string) string {
	if im == nil {
		return ""
	}
	if im.versionRE != nil {
		if m := im.versionRE.FindStringSubmatch(tag); m != nil {
			return m[1]
		}
		return ""
	}
	return TagVersion(tag)
}

// IsAlpine reports whether an image tag is musl-based.
func (im *Image) IsAlpine(tag string) bool {
	return im != nil && (im.Musl || HasWord(tag, "alpine"))
}

// IsToolchainTag reports whether the image at this tag carries a build
// toolchain (golang, maven, node full images; -jdk tags of JDK vendors).
func (im *Image) IsToolchainTag(tag string) bool {
	if im == nil {
		return false
	}
	if len(im.RuntimeTags) > 0 {
		for _, w := range im.RuntimeTags {
			if HasWord(tag, w) || strings.Contains(tag, w) {
				return false
			}
		}
		return true
	}
	if im.ToolchainTag != "" {
		return HasWord(tag, im.ToolchainTag) || strings.Contains(tag, im.ToolchainTag)
	}
	if !im.Toolchain {
		return false
	}
	if im.SlimIsRuntime && (HasWord(tag, "slim") || HasWord(tag, "alpine") || tag == "slim") {
		return false
	}
	return true
}

// HasCCompiler reports whether the image at this tag ships a C compiler:
// the full Debian variants of golang, python, node, rust and gcc do; slim
// and alpine variants do not.
func (im *Image) HasCCompiler(tag string) bool {
	if im == nil || !im.CCompiler || im.IsAlpine(tag) {
		return false
	}
	return !HasWord(tag, "slim") && tag != "slim"
}

// DebianPython3 returns the minor of Debian's python3 on a release, "" when
// unknown.
func (c *Catalog) DebianPython3(debian int) string {
	for _, d := range c.Debian {
		if d.Version == debian {
			return d.Python3
		}
	}
	return ""
}

// IsEOL reports whether a version of the image is end of life.
func (im *Image) IsEOL(version string) bool {
	for _, e := range im.EOL {
		if e == version || strings.HasPrefix(version, e+".") {
			return true
		}
	}
	return false
}

// CompareVersions compares dotted numeric versions ("1.9" < "1.10").
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Minor returns "major.minor" of a version ("3.11.4" → "3.11").
func Minor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// Major returns the first component of a version ("22.3.0" → "22").
func Major(v string) string {
	major, _, _ := strings.Cut(v, ".")
	return major
}

// CgoModule returns the entry for a Go module path (prefix match on module
// boundaries), or nil.
func (c *Catalog) CgoModule(path string) *CgoModule {
	for i := range c.Go.CgoModules {
		m := &c.Go.CgoModules[i]
		if path == m.Module || strings.HasPrefix(path, m.Module+"/") {
			return m
		}
	}
	return nil
}

// PythonNative returns the entry for a Python package name (normalised as
// PEP 503: case-insensitive, - _ . equivalent), or nil.
func (c *Catalog) PythonNative(name string) *NativePackage {
	n := normalizePy(name)
	for i := range c.Python.NativePackages {
		if normalizePy(c.Python.NativePackages[i].Name) == n {
			return &c.Python.NativePackages[i]
		}
	}
	return nil
}

func normalizePy(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("_", "-", ".", "-").Replace(s)
}

// NodeNative returns the entry for an npm package, or nil.
func (c *Catalog) NodeNative(name string) *NativePackage {
	for i := range c.Node.NativePackages {
		if c.Node.NativePackages[i].Name == name {
			return &c.Node.NativePackages[i]
		}
	}
	return nil
}

// IsRuntimeTool reports whether a Debian package is a runtime tool
// distroless lacks.
func (c *Catalog) IsRuntimeTool(pkg string) bool {
	return slices.Contains(c.Packages.RuntimeTools, pkg)
}

// IsToolchainPackage reports whether a Debian package is a build tool.
func (c *Catalog) IsToolchainPackage(pkg string) bool {
	return slices.Contains(c.Packages.Toolchain, pkg) || strings.HasSuffix(pkg, "-dev")
}

// IsBuildPackage reports whether installing a Debian or Alpine package shows
// that a stage compiles: a toolchain package that is not also a runtime
// (nodejs) or a source fetcher (git).
func (c *Catalog) IsBuildPackage(pkg string) bool {
	if slices.Contains(c.Packages.ToolchainNotBuild, pkg) {
		return false
	}
	return c.IsToolchainPackage(pkg) || pkg == "build-base" || pkg == "musl-dev"
}

// InDistroless reports whether a package is already in every distroless
// image (or in cc for the cc family).
func (c *Catalog) InDistroless(pkg string) bool { return slices.Contains(c.Packages.InDistroless, pkg) }

// IsSupervisor reports whether a program is a process supervisor.
func (c *Catalog) IsSupervisor(prog string) bool { return slices.Contains(c.Supervisors, prog) }

// PythonUpgradable reports whether a Python minor converts with a flagged
// upgrade.
func (c *Catalog) PythonUpgradable(minor string) bool {
	return slices.Contains(c.Python.Upgradable, minor)
}

// NodeUpgradable reports whether a Node major converts with a flagged
// upgrade.
func (c *Catalog) NodeUpgradable(major string) bool { return slices.Contains(c.Node.Upgradable, major) }

// JavaAvailable reports whether a Java major has a distroless image.
func (c *Catalog) JavaAvailable(major string) bool { return slices.Contains(c.Java.Available, major) }

// JavaUpgradable reports whether a Java major converts by moving to the
// next available major (a flagged behaviour change).
func (c *Catalog) JavaUpgradable(major string) bool { return slices.Contains(c.Java.Upgradable, major) }

// JavaUpgradeTarget returns the smallest available Java major above major,
// "" when none is.
func (c *Catalog) JavaUpgradeTarget(major string) string {
	best := ""
	for _, a := range c.Java.Available {
		if CompareVersions(a, major) > 0 && (best == "" || CompareVersions(a, best) < 0) {
			best = a
		}
	}
	return best
}

// InJavaBase reports whether a package's files are already in
// java-base-debianNN (and so in every javaNN image).
func (c *Catalog) InJavaBase(pkg string) bool { return slices.Contains(c.Packages.InJavaBase, pkg) }

// IsJavaServerScript reports whether a program starts a Java application
// server through a shell script.
func (c *Catalog) IsJavaServerScript(prog string) bool {
	return slices.Contains(c.Java.ServerScripts, prog)
}

// DotnetSupported reports whether a .NET version ("8.0") has chiseled
// images in the catalog.
func (c *Catalog) DotnetSupported(version string) bool {
	return slices.Contains(c.Dotnet.Versions, version)
}

// DotnetEOL reports whether a .NET version is out of support.
func (c *Catalog) DotnetEOL(version string) bool { return slices.Contains(c.Dotnet.EOL, version) }

// DotnetChiseledHas reports whether a package's files are in the chiseled
// images (extra: in the -extra variants).
func (c *Catalog) DotnetChiseledHas(pkg string, extra bool) bool {
	return slices.Contains(c.Dotnet.ChiseledPackages, pkg) || (extra && slices.Contains(c.Dotnet.ExtraPackages, pkg))
}

// DotnetNeedsExtra reports whether a package is one only the -extra
// chiseled variants have (ICU, tzdata).
func (c *Catalog) DotnetNeedsExtra(pkg string) bool {
	return slices.Contains(c.Dotnet.ExtraPackages, pkg)
}

// JavaDeclined reports whether a Java major is declined by policy.
func (c *Catalog) JavaDeclined(major string) bool { return slices.Contains(c.Java.Declined, major) }

// Expand fills {placeholders} in a catalog template.
func Expand(tmpl string, vars map[string]string) string {
	for k, v := range vars {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", v)
	}
	return tmpl
}

// IsBuildOnlyEnv reports whether an environment variable only matters at
// build time.
func (c *Catalog) IsBuildOnlyEnv(name string) bool {
	for _, p := range c.BuildOnlyEnv {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// NodeAlias returns the major a version-less node image tag word points
// to (latest, lts, current, a codename).
func (c *Catalog) NodeAlias(word string) (string, bool) {
	m, ok := c.Node.TagAliases[word]
	return m, ok
}

// NodeBin returns the catalog entry of a dependency CLI, or nil.
func (c *Catalog) NodeBin(command string) *NodeBin {
	for i := range c.Node.Bins {
		if c.Node.Bins[i].Command == command {
			return &c.Node.Bins[i]
		}
	}
	return nil
}

// PackageManager returns the facts about a dependency installer ("npm",
// "pip", "go", …), or nil.
func (c *Catalog) PackageManager(tool string) *PackageManager {
	for i := range c.PackageManagers {
		if c.PackageManagers[i].Tool == tool {
			return &c.PackageManagers[i]
		}
	}
	return nil
}

// NodeMajors returns the Node.js majors with a distroless image, ascending.
func (c *Catalog) NodeMajors() []string {
	var out []string
	for _, im := range c.Distroless.Images {
		if im.Runtime == "node" && im.Version != "" {
			out = append(out, im.Version)
		}
	}
	sort.Slice(out, func(i, j int) bool { return CompareVersions(out[i], out[j]) < 0 })
	return out
}

// NodeUpgradeTarget returns the major a Node.js major without a distroless
// image moves to under distill's policy: the smallest distroless major
// above it, and at least upgrade_to. It returns "" when the major is not
// upgradable (it has an image, or it is too old or unknown).
func (c *Catalog) NodeUpgradeTarget(major string) string {
	if !c.NodeUpgradable(major) {
		return ""
	}
	for _, m := range c.NodeMajors() {
		if CompareVersions(m, major) > 0 && CompareVersions(m, c.Node.UpgradeTo) >= 0 {
			return m
		}
	}
	return ""
}

// PythonLatest returns the newest Python minor the official images
// publish (what python:3 and python:latest mean today).
func (c *Catalog) PythonLatest() string {
	if im := c.LookupImage("python"); im != nil && len(im.Current) > 0 {
		return im.Current[len(im.Current)-1]
	}
	return ""
}

// PythonBuilder returns the builder image for a Python minor on a Debian
// release: "python:3.13-slim-trixie".
func (c *Catalog) PythonBuilder(minor string, debian int) string {
	return Expand(c.Python.Builder, map[string]string{"minor": minor, "codename": c.Codename(debian)})
}

// InPythonImage reports whether a Debian package is in python3-debian13
// (itself, cc, base or static).
func (c *Catalog) InPythonImage(pkg string) bool {
	return slices.Contains(c.Packages.InDistroless, pkg) || slices.Contains(c.Packages.InCC, pkg) ||
		slices.Contains(c.Packages.InDebian13Base, pkg) || slices.Contains(c.Python.RuntimePackages, pkg)
}

// PythonBuildPackageOK reports whether a package installed in a Python
// build stage leaves nothing missing at run time: build tools, and -dev
// packages whose libraries the python3 image has.
func (c *Catalog) PythonBuildPackageOK(pkg string) bool {
	if !strings.HasSuffix(pkg, "-dev") {
		return true
	}
	return slices.Contains(c.Python.BuildPackagesOK, pkg)
}

// IsDevMarker reports whether a word (a requirements file name part, an
// extra, a dependency group) marks development-only dependencies.
func (c *Catalog) IsDevMarker(word string) bool {
	return slices.Contains(c.DevMarkers, strings.ToLower(word))
}
