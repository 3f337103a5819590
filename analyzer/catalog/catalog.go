// Package catalog holds distill's facts about container images as data:
// which distroless images exist for which Debian release, their entrypoints
// and users, which tags are frozen or never existed, what each builder
// image's tags mean, and per-ecosystem policy (which Python, Node and Java
// versions convert, which packages need system libraries).
//
// The facts live in catalog.yaml, embedded at build time and decoded
// strictly; rules and recipes query them through this package and never
// hard-code an image name, tag, version or entrypoint.
package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed catalog.yaml
var catalogYAML []byte

// Catalog is the decoded catalog.yaml.
type Catalog struct {
	AsOf         string          `yaml:"as_of"`
	Debian       []DebianRelease `yaml:"debian"`
	Ubuntu       []UbuntuRelease `yaml:"ubuntu"`
	Distroless   Distroless      `yaml:"distroless"`
	Images       []Image         `yaml:"images"`
	Python       PythonPolicy    `yaml:"python"`
	Node         NodePolicy      `yaml:"node"`
	Java         JavaPolicy      `yaml:"java"`
	Go           GoPolicy        `yaml:"go"`
	Rust         RustPolicy      `yaml:"rust"`
	Native       NativePolicy    `yaml:"native"`
	Dotnet       DotnetPolicy    `yaml:"dotnet"`
	Packages     Packages        `yaml:"packages"`
	Supervisors  []string        `yaml:"supervisors"`
	BuildOnlyEnv []string        `yaml:"build_only_env"`
	// PackageManagers are dependency installers' facts (manifests, caches).
	PackageManagers []PackageManager `yaml:"package_managers"`
	// DevMarkers are the words that mark development-only dependencies.
	DevMarkers []string `yaml:"dev_dependency_markers"`
}

// PackageManager describes a dependency installer.
type PackageManager struct {
	Tool string `yaml:"tool"`
	// Manifests are the files the install reads, in the order to copy them.
	Manifests []string `yaml:"manifests"`
	// Cache is the download cache directory relative to $HOME ("" when the
	// tool keeps none worth reporting); CacheEnv overrides its location.
	Cache       string `yaml:"cache"`
	CacheEnv    string `yaml:"cache_env"`
	NoCacheFlag string `yaml:"no_cache_flag"`
	NoCacheEnv  string `yaml:"no_cache_env"`
}

// DebianRelease is one Debian release, its glibc and its default GCC
// major (whose libstdc++ the cc images ship).
type DebianRelease struct {
	Version  int    `yaml:"version"`
	Codename string `yaml:"codename"`
	Glibc    string `yaml:"glibc"`
	GCC      string `yaml:"gcc"`
	// Python3 is the minor of Debian's own python3 package.
	Python3 string `yaml:"python3"`
}

// UbuntuRelease is one Ubuntu release used as a build image.
type UbuntuRelease struct {
	Version  string `yaml:"version"`
	Codename string `yaml:"codename"`
	Glibc    string `yaml:"glibc"`
	GCC      string `yaml:"gcc"`
}

// Distroless describes Google's distroless images.
type Distroless struct {
	Registry           string            `yaml:"registry"`
	DefaultDebian      int               `yaml:"default_debian"`
	NonrootUID         int               `yaml:"nonroot_uid"`
	NonrootWorkdir     string            `yaml:"nonroot_workdir"`
	RootWorkdir        string            `yaml:"root_workdir"`
	WritableDirs       []string          `yaml:"writable_dirs"`
	Tags               []string          `yaml:"tags"`
	TagPatterns        []string          `yaml:"tag_patterns"`
	UnversionedHistory []UnversionedEra  `yaml:"unversioned_history"`
	Images             []DistrolessImage `yaml:"images"`
	EndOfSupport       []EndOfSupport    `yaml:"end_of_support"`
	Removed            []Removal         `yaml:"removed"`
}

// UnversionedEra says which Debian an untagged name pointed to until a date.
type UnversionedEra struct {
	Until  string `yaml:"until"`
	Debian int    `yaml:"debian"`
}

// DistrolessImage is one image family (static, python3, java21, …).
type DistrolessImage struct {
	Family      string   `yaml:"family"`
	Debians     []int    `yaml:"debians"`
	Runtime     string   `yaml:"runtime"` // static, base, cc, python, node, java, java-base
	Version     string   `yaml:"version"` // language version: "3.13", "22", "21"
	FullVersion string   `yaml:"full_version"`
	Entrypoint  []string `yaml:"entrypoint"`
	Interpreter string   `yaml:"interpreter"`
	Archs       []string `yaml:"archs"`
}

// EndOfSupport is a support end date for runtimes on a Debian release.
type EndOfSupport struct {
	Runtime []string `yaml:"runtime"`
	Debian  int      `yaml:"debian"`
	Date    string   `yaml:"date"`
}

// Removal marks removed or frozen images.
type Removal struct {
	Name   string `yaml:"name"`
	Since  string `yaml:"since"`
	Reason string `yaml:"reason"`
	// Replacement names the family that replaces a removed one when it is
	// not the same family on a newer Debian (nodejs20 → nodejs22).
	Replacement string `yaml:"replacement"`
	// Alternative is advice when no distroless image replaces it.
	Alternative string `yaml:"alternative"`
	// Version is the language version the removed image shipped, when it
	// differs from the family's current one (python3-debian12: 3.11).
	Version string `yaml:"version"`
	re      *regexp.Regexp
}

// Image describes a builder or runtime image repository and its tags.
type Image struct {
	Name         string `yaml:"name"`
	Kind         string `yaml:"kind"` // go, python, node, java, rust, dotnet, native, ruby, php, os, server, …
	Toolchain    bool   `yaml:"toolchain"`
	ToolchainTag string `yaml:"toolchain_tag"` // tag word that marks a toolchain variant ("jdk")
	// RuntimeTags are tag words that mark runtime-only variants ("jre");
	// when set, every other tag carries the toolchain (eclipse-temurin:21
	// is the JDK).
	RuntimeTags []string `yaml:"runtime_tags"`
	// CCompiler is true when the image's Debian variants ship a C
	// compiler (gcc); slim and alpine variants never do.
	CCompiler bool `yaml:"c_compiler"`
	// VersionIsDebian is true when the tag's version is the Debian
	// release itself (debian:12-slim).
	VersionIsDebian bool `yaml:"version_is_debian"`
	// Workdir is the image's WORKDIR when it is not "/".
	Workdir       string          `yaml:"workdir"`
	SlimIsRuntime bool            `yaml:"slim_is_runtime"`
	TagPattern    string          `yaml:"tag_pattern"`
	WhyNot        string          `yaml:"why_not"`
	DefaultDebian []VersionDebian `yaml:"default_debian"`
	AliasDebian   map[string]int  `yaml:"alias_debian"`
	Current       []string        `yaml:"current"`
	EOL           []string        `yaml:"eol"`
	Ubuntu        bool            `yaml:"ubuntu"`
	Musl          bool            `yaml:"musl"`
	Deprecated    string          `yaml:"deprecated"`
	// Env is the environment the image sets; it tells image variables
	// from typos when linting offline.
	Env []string `yaml:"env"`
	// VersionPattern captures the language version in tags that do not
	// lead with it (maven:3.9-eclipse-temurin-21 → 21).
	VersionPattern string `yaml:"version_pattern"`
	// VM names a non-default virtual machine (openj9) whose options other
	// runtimes reject.
	VM        string `yaml:"vm"`
	tagRE     *regexp.Regexp
	versionRE *regexp.Regexp
}

// VersionDebian maps versions from From upwards to a Debian release.
type VersionDebian struct {
	From   string `yaml:"from"`
	Debian int    `yaml:"debian"`
}

// PythonPolicy is distill's Python conversion policy and package facts.
type PythonPolicy struct {
	Upgradable     []string        `yaml:"upgradable"`
	Builder        string          `yaml:"builder"`
	NativePackages []NativePackage `yaml:"native_packages"`
	Servers        []string        `yaml:"servers"`
	// DevServers are development servers worth a warning.
	DevServers []DevServer `yaml:"dev_servers"`
	// RuntimePackages are the Debian packages python3-debian13 adds on cc.
	RuntimePackages []string `yaml:"runtime_packages"`
	// BuildPackagesOK are -dev packages whose libraries the python3 image
	// has.
	BuildPackagesOK []string `yaml:"build_packages_ok"`
	// DevRuntime maps a -dev package to the runtime library its users
	// load.
	DevRuntime map[string]string `yaml:"dev_runtime"`
}

// DevServer is a development server recognised by its program and first
// argument.
type DevServer struct {
	Program string   `yaml:"program"`
	Args    []string `yaml:"args"`
	Advice  string   `yaml:"advice"`
}

// NativePackage is a package that needs system libraries.
type NativePackage struct {
	Name             string `yaml:"name"`
	Needs            string `yaml:"needs"`
	Binary           string `yaml:"binary"`
	WhenExtraMissing string `yaml:"when_extra_missing"`
}

// NodePolicy is distill's Node.js conversion policy.
type NodePolicy struct {
	UpgradeTo  string   `yaml:"upgrade_to"`
	Upgradable []string `yaml:"upgradable"`
	Builder    string   `yaml:"builder"`
	// TagAliases maps node image tags without a version (latest, lts,
	// codenames) to the major they point to.
	TagAliases map[string]string `yaml:"tag_aliases"`
	// ImageUsers are the users every official node image has.
	ImageUsers []string `yaml:"image_users"`
	// Bins are dependency CLIs with their JS entry file.
	Bins []NodeBin `yaml:"bins"`
	// DevRunners compile or watch at start-up: not for production images.
	DevRunners []string `yaml:"dev_runners"`
	// InitWrappers run in front of node for signals (tini, dumb-init).
	InitWrappers []string `yaml:"init_wrappers"`
	// AlpineBuildPackages are apk packages a build on the full Debian node
	// image does not need.
	AlpineBuildPackages []string        `yaml:"alpine_build_packages"`
	NativePackages      []NativePackage `yaml:"native_packages"`
	ProcessManagers     []string        `yaml:"process_managers"`
	// LinkedDevPackages are development packages whose libraries the
	// nodejs images have.
	LinkedDevPackages []string `yaml:"linked_dev_packages"`
}

// NodeBin is a dependency's CLI and the JS file its bin entry runs.
type NodeBin struct {
	Command string `yaml:"command"`
	Package string `yaml:"package"`
	// Path is relative to the package directory (node_modules/<package>).
	Path string `yaml:"path"`
	// Subcommands are the first arguments that run a production server;
	// empty allows any.
	Subcommands []string `yaml:"subcommands"`
}

// JavaPolicy is distill's Java conversion policy.
type JavaPolicy struct {
	Available     []string `yaml:"available"`
	Declined      []string `yaml:"declined"`
	Upgradable    []string `yaml:"upgradable"`
	MavenBuilder  string   `yaml:"maven_builder"`
	GradleBuilder string   `yaml:"gradle_builder"`
	JDKBuilder    string   `yaml:"jdk_builder"`
	JREImage      string   `yaml:"jre_image"`
	ChainguardJRE string   `yaml:"chainguard_jre"`
	// OpenJ9Options are option prefixes HotSpot rejects.
	OpenJ9Options []string `yaml:"openj9_options"`
	// ServerScripts start application servers (catalina.sh, …).
	ServerScripts []string `yaml:"server_scripts"`
}

// GoPolicy holds Go facts.
type GoPolicy struct {
	Builder string `yaml:"builder"`
	// CgoOffWithoutCompilerSince is the Go release from which cgo is off
	// by default when no C compiler is on PATH.
	CgoOffWithoutCompilerSince string      `yaml:"cgo_off_without_compiler_since"`
	CgoModules                 []CgoModule `yaml:"cgo_modules"`
	CgoTags                    []string    `yaml:"cgo_tags"`
}

// CgoModule is a Go module that needs cgo.
type CgoModule struct {
	Module string `yaml:"module"`
	Lang   string `yaml:"lang"` // c, c++, none
	Note   string `yaml:"note"`
}

// RustPolicy holds Rust facts.
type RustPolicy struct {
	Builder       string          `yaml:"builder"`
	GnuFamily     string          `yaml:"gnu_family"`
	MuslFamily    string          `yaml:"musl_family"`
	SysCrates     []RustSysCrate  `yaml:"sys_crates"`
	SysCrateUsers []RustCrateUser `yaml:"sys_crate_users"`
	SafeSysCrates []string        `yaml:"safe_sys_crates"`
	BuildOnlyDev  []string        `yaml:"build_only_dev"`
}

// RustSysCrate is a -sys crate that links a system library.
type RustSysCrate struct {
	Crate   string `yaml:"crate"`
	Library string `yaml:"library"`
	// StaticWhen lists Cargo.lock packages or "crate/feature" pairs that
	// build the library in statically.
	StaticWhen []string `yaml:"static_when"`
	// DynamicWhen, when set, means the crate is static by default and only
	// these link the system library.
	DynamicWhen []string `yaml:"dynamic_when"`
	// Probe: the build script links the system library only when its
	// development files are installed, else it builds it in statically.
	Probe bool `yaml:"probe"`
}

// RustCrateUser is a dependency (with a feature) that pulls a -sys crate in.
type RustCrateUser struct {
	Dep     string `yaml:"dep"`
	Feature string `yaml:"feature"`
	Crate   string `yaml:"crate"`
}

// NativePolicy holds facts about native (C, C++, Rust, cgo) binaries.
type NativePolicy struct {
	Libraries       []NativeLibrary `yaml:"libraries"`
	BuildOnlyDev    []string        `yaml:"build_only_dev"`
	FullImageDev    []string        `yaml:"full_image_dev"`
	StaticRemovable []string        `yaml:"static_removable"`
	Interpreters    []string        `yaml:"interpreters"`
	RuntimeDirs     []string        `yaml:"runtime_dirs"`
}

// NativeLibrary is a shared library and how builds and images name it.
type NativeLibrary struct {
	Name      string   `yaml:"name"`
	Link      []string `yaml:"link"`
	PkgConfig []string `yaml:"pkgconfig"`
	CMake     []string `yaml:"cmake"`
	Dev       []string `yaml:"dev"`
	Runtime   []string `yaml:"runtime"`
	// In maps distroless families to the Debian releases whose image ships
	// the library.
	In map[string][]int `yaml:"in"`
}

// DotnetPolicy holds .NET facts.
type DotnetPolicy struct {
	Versions    []string `yaml:"versions"`
	SDK         string   `yaml:"sdk"`
	ASPNet      string   `yaml:"aspnet"`
	Runtime     string   `yaml:"runtime"`
	RuntimeDeps string   `yaml:"runtime_deps"`
	ExtraSuffix string   `yaml:"extra_suffix"`
	SDKAot      string   `yaml:"sdk_aot"`
	AppUID      int      `yaml:"app_uid"`
	HTTPPort    string   `yaml:"http_port"`
	EOL         []string `yaml:"eol"`
	ASPNetSDKs  []string `yaml:"aspnet_sdks"`
	// ChiseledPackages are in every chiseled image; ExtraPackages only in
	// the -extra variants.
	ChiseledPackages []string `yaml:"chiseled_packages"`
	ExtraPackages    []string `yaml:"extra_packages"`
}

// Packages classifies Debian packages.
type Packages struct {
	InDistroless      []string          `yaml:"in_distroless"`
	InCC              []string          `yaml:"in_cc"`
	InDebian13Base    []string          `yaml:"in_debian13_base"`
	InJavaBase        []string          `yaml:"in_java_base"`
	CopyableLibraries []CopyableLibrary `yaml:"copyable_libraries"`
	RuntimeTools      []string          `yaml:"runtime_tools"`
	Toolchain         []string          `yaml:"toolchain"`
	ToolchainNotBuild []string          `yaml:"toolchain_not_build"`
}

// CopyableLibrary is a runtime library whose files can be copied.
type CopyableLibrary struct {
	Package string   `yaml:"package"`
	Files   []string `yaml:"files"`
	Deps    []string `yaml:"deps"`
}

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// Load decodes catalog.yaml strictly. It is called once; the result is
// shared and must not be modified.
func Load() (*Catalog, error) {
	loadOnce.Do(func() { loaded, loadErr = decode(catalogYAML) })
	return loaded, loadErr
}

// Default returns the catalog and panics if the embedded data is invalid;
// a test guards that it is not.
func Default() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

func decode(data []byte) (*Catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("catalog.yaml: %w", err)
	}
	for i := range c.Images {
		if p := c.Images[i].TagPattern; p != "" {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("catalog.yaml: image %s: tag_pattern: %w", c.Images[i].Name, err)
			}
			c.Images[i].tagRE = re
		}
		if p := c.Images[i].VersionPattern; p != "" {
			re, err := regexp.Compile(p)
			if err != nil || re.NumSubexp() != 1 {
				return nil, fmt.Errorf("catalog.yaml: image %s: version_pattern must compile with one group", c.Images[i].Name)
			}
			c.Images[i].versionRE = re
		}
	}
	for i := range c.Distroless.Removed {
		c.Distroless.Removed[i].re = globRE(c.Distroless.Removed[i].Name)
	}
	for _, p := range c.Distroless.TagPatterns {
		if _, err := regexp.Compile(p); err != nil {
			return nil, fmt.Errorf("catalog.yaml: distroless tag pattern: %w", err)
		}
	}
	return &c, nil
}

func globRE(glob string) *regexp.Regexp {
	return regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(glob), `\*`, ".*") + "$")
}
