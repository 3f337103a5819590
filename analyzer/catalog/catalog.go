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
	AsOf        string          `yaml:"as_of"`
	Debian      []DebianRelease `yaml:"debian"`
	Distroless  Distroless      `yaml:"distroless"`
	Images      []Image         `yaml:"images"`
	Python      PythonPolicy    `yaml:"python"`
	Node        NodePolicy      `yaml:"node"`
	Java        JavaPolicy      `yaml:"java"`
	Go          GoPolicy        `yaml:"go"`
	Rust        RustPolicy      `yaml:"rust"`
	Dotnet      DotnetPolicy    `yaml:"dotnet"`
	Packages    Packages        `yaml:"packages"`
	Supervisors []string        `yaml:"supervisors"`
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

// DebianRelease is one Debian release and its glibc.
type DebianRelease struct {
	Version  int    `yaml:"version"`
	Codename string `yaml:"codename"`
	Glibc    string `yaml:"glibc"`
}

// Distroless describes Google's distroless images.
type Distroless struct {
	Registry           string            `yaml:"registry"`
	DefaultDebian      int               `yaml:"default_debian"`
	NonrootUID         int               `yaml:"nonroot_uid"`
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
	re     *regexp.Regexp
}

// Image describes a builder or runtime image repository and its tags.
type Image struct {
	Name          string          `yaml:"name"`
	Kind          string          `yaml:"kind"` // go, python, node, java, rust, dotnet, native, ruby, php, os, server, …
	Toolchain     bool            `yaml:"toolchain"`
	ToolchainTag  string          `yaml:"toolchain_tag"` // tag word that marks a toolchain variant ("jdk")
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
	Env   []string `yaml:"env"`
	tagRE *regexp.Regexp
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
	UpgradeTo       string          `yaml:"upgrade_to"`
	Upgradable      []string        `yaml:"upgradable"`
	Builder         string          `yaml:"builder"`
	NativePackages  []NativePackage `yaml:"native_packages"`
	ProcessManagers []string        `yaml:"process_managers"`
}

// JavaPolicy is distill's Java conversion policy.
type JavaPolicy struct {
	Available     []string `yaml:"available"`
	Declined      []string `yaml:"declined"`
	Upgradable    []string `yaml:"upgradable"`
	MavenBuilder  string   `yaml:"maven_builder"`
	GradleBuilder string   `yaml:"gradle_builder"`
	JDKBuilder    string   `yaml:"jdk_builder"`
}

// GoPolicy holds Go facts.
type GoPolicy struct {
	Builder    string      `yaml:"builder"`
	CgoModules []CgoModule `yaml:"cgo_modules"`
	CgoTags    []string    `yaml:"cgo_tags"`
}

// CgoModule is a Go module that needs cgo.
type CgoModule struct {
	Module string `yaml:"module"`
	Lang   string `yaml:"lang"` // c, c++, none
	Note   string `yaml:"note"`
}

// RustPolicy holds Rust facts.
type RustPolicy struct {
	Builder string `yaml:"builder"`
}

// DotnetPolicy holds .NET facts.
type DotnetPolicy struct {
	Versions    []string `yaml:"versions"`
	SDK         string   `yaml:"sdk"`
	ASPNet      string   `yaml:"aspnet"`
	Runtime     string   `yaml:"runtime"`
	RuntimeDeps string   `yaml:"runtime_deps"`
	AppUID      int      `yaml:"app_uid"`
}

// Packages classifies Debian packages.
type Packages struct {
	InDistroless      []string          `yaml:"in_distroless"`
	InCC              []string          `yaml:"in_cc"`
	InDebian13Base    []string          `yaml:"in_debian13_base"`
	CopyableLibraries []CopyableLibrary `yaml:"copyable_libraries"`
	RuntimeTools      []string          `yaml:"runtime_tools"`
	Toolchain         []string          `yaml:"toolchain"`
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
