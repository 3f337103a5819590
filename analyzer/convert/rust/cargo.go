package rust

import (
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/distill-bot/distill/analyzer/convert"
)

// contextFiles are the repository files the Rust recipe reads.
var contextFiles = []string{"Cargo.toml", "Cargo.lock", ".cargo/config.toml", ".cargo/config", "*/Cargo.toml", "crates/*/Cargo.toml"}

// manifest is the part of a Cargo.toml the recipe reads.
type manifest struct {
	Package *struct {
		Name string `toml:"name"`
	} `toml:"package"`
	Bin []struct {
		Name string `toml:"name"`
	} `toml:"bin"`
	Workspace *struct {
		Members      []string       `toml:"members"`
		Dependencies map[string]any `toml:"dependencies"`
	} `toml:"workspace"`
	Dependencies map[string]any `toml:"dependencies"`
	Target       map[string]struct {
		Dependencies map[string]any `toml:"dependencies"`
	} `toml:"target"`
	Features map[string][]string `toml:"features"`
}

// cargoConfig is the part of .cargo/config.toml the recipe reads.
type cargoConfig struct {
	Build struct {
		Target    any    `toml:"target"`
		TargetDir string `toml:"target-dir"`
		Rustflags any    `toml:"rustflags"`
	} `toml:"build"`
	Target map[string]struct {
		Rustflags any `toml:"rustflags"`
	} `toml:"target"`
}

// cargoFacts is what the repository says about the crate.
type cargoFacts struct {
	// Read lists the files that parsed.
	Read []string
	// Manifest is the root Cargo.toml (nil when absent).
	Manifest *manifest
	// Bins are the binary names the root package declares: the package
	// name and [[bin]] names.
	Bins []string
	// Deps are the dependency names (after `package =` renames) of every
	// manifest read; Features holds "dep/feature" pairs enabled there.
	Deps     map[string]bool
	Features map[string]bool
	// Lock holds the package names of Cargo.lock (nil without one).
	Lock map[string]bool
	// Config is .cargo/config.toml.
	Config *cargoConfig
}

func readCargo(in *convert.Input) *cargoFacts {
	f := &cargoFacts{Deps: map[string]bool{}, Features: map[string]bool{}}
	ctx := in.Context
	names := []string{"Cargo.toml"}
	for _, pat := range []string{"*/Cargo.toml", "crates/*/Cargo.toml"} {
		names = append(names, ctx.Match(pat)...)
	}
	for _, name := range names {
		b, ok := ctx.Read(name)
		if !ok {
			continue
		}
		var m manifest
		if _, err := toml.Decode(string(b), &m); err != nil {
			continue
		}
		f.Read = append(f.Read, name)
		if name == "Cargo.toml" {
			f.Manifest = &m
			if m.Package != nil && m.Package.Name != "" {
				f.Bins = append(f.Bins, m.Package.Name)
			}
			for _, b := range m.Bin {
				if b.Name != "" && !slices.Contains(f.Bins, b.Name) {
					f.Bins = append(f.Bins, b.Name)
				}
			}
		}
		f.addDeps(m.Dependencies)
		if m.Workspace != nil {
			f.addDeps(m.Workspace.Dependencies)
		}
		for _, t := range m.Target {
			f.addDeps(t.Dependencies)
		}
		for _, list := range m.Features {
			for _, feat := range list {
				dep, feature, ok := strings.Cut(feat, "/")
				if ok {
					f.Features[strings.TrimSuffix(dep, "?")+"/"+feature] = true
				}
			}
		}
	}
	if b, ok := ctx.Read("Cargo.lock"); ok {
		var lock struct {
			Package []struct {
				Name string `toml:"name"`
			} `toml:"package"`
		}
		if _, err := toml.Decode(string(b), &lock); err == nil {
			f.Read = append(f.Read, "Cargo.lock")
			f.Lock = map[string]bool{}
			for _, p := range lock.Package {
				f.Lock[p.Name] = true
			}
		}
	}
	for _, name := range []string{".cargo/config.toml", ".cargo/config"} {
		if b, ok := ctx.Read(name); ok {
			var c cargoConfig
			if _, err := toml.Decode(string(b), &c); err == nil {
				f.Read = append(f.Read, name)
				f.Config = &c
				break
			}
		}
	}
	return f
}

// addDeps records dependency names and their enabled features.
func (f *cargoFacts) addDeps(deps map[string]any) {
	for key, v := range deps {
		name := key
		var features []string
		if t, ok := v.(map[string]any); ok {
			if p, ok := t["package"].(string); ok {
				name = p
			}
			if fs, ok := t["features"].([]any); ok {
				for _, x := range fs {
					if s, ok := x.(string); ok {
						features = append(features, s)
					}
				}
			}
		}
		f.Deps[name] = true
		for _, feat := range features {
			f.Features[name+"/"+feat] = true
		}
	}
}

// has reports whether a marker holds: a package in Cargo.lock or a
// dependency, or a "crate/feature" enabled in a manifest.
func (f *cargoFacts) has(marker string) bool {
	if strings.Contains(marker, "/") {
		return f.Features[marker]
	}
	return f.Lock[marker] || f.Deps[marker]
}

// configTargets returns the build targets .cargo/config.toml sets.
func (f *cargoFacts) configTargets() []string {
	if f.Config == nil {
		return nil
	}
	return stringsOf(f.Config.Build.Target)
}

// configRustflags returns the rustflags .cargo/config.toml sets for a
// target triple ("" for the host).
func (f *cargoFacts) configRustflags(triple string) string {
	if f.Config == nil {
		return ""
	}
	flags := stringsOf(f.Config.Build.Rustflags)
	if t, ok := f.Config.Target[triple]; ok && triple != "" {
		flags = append(flags, stringsOf(t.Rustflags)...)
	}
	return strings.Join(flags, " ")
}

func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// sysCrates returns the -sys crates the build links (with the evidence) and
// the -sys crates distill does not know.
func sysCrates(in *convert.Input, f *cargoFacts) (present map[string]string, unknown []string) {
	present = map[string]string{}
	cat := in.Catalog
	if f.Lock != nil {
		for name := range f.Lock {
			switch {
			case cat.RustSysCrate(name) != nil:
				present[name] = "Cargo.lock has " + name
			case strings.HasSuffix(name, "-sys") && !cat.RustSafeSysCrate(name):
				unknown = append(unknown, name)
			}
		}
		sort.Strings(unknown)
		return present, unknown
	}
	for dep := range f.Deps {
		switch {
		case cat.RustSysCrate(dep) != nil:
			present[dep] = "Cargo.toml depends on " + dep
		case strings.HasSuffix(dep, "-sys") && !cat.RustSafeSysCrate(dep):
			unknown = append(unknown, dep)
		}
	}
	for _, u := range cat.Rust.SysCrateUsers {
		if !f.Deps[u.Dep] || (u.Feature != "" && !f.Features[u.Dep+"/"+u.Feature]) {
			continue
		}
		why := "Cargo.toml depends on " + u.Dep
		if u.Feature != "" {
			why += " with the " + u.Feature + " feature"
		}
		if _, ok := present[u.Crate]; !ok {
			present[u.Crate] = why
		}
	}
	sort.Strings(unknown)
	return present, unknown
}

// linksDynamically reports whether a -sys crate links its system library
// dynamically, given the markers that switch it.
func linksDynamically(in *convert.Input, f *cargoFacts, crate string) (bool, string) {
	sc := in.Catalog.RustSysCrate(crate)
	if sc == nil {
		return false, ""
	}
	if len(sc.DynamicWhen) > 0 {
		for _, m := range sc.DynamicWhen {
			if f.has(m) {
				return true, m
			}
		}
		return false, ""
	}
	for _, m := range sc.StaticWhen {
		if f.has(m) {
			return false, m
		}
	}
	return true, ""
}

// knownBins returns every binary a plain (non-workspace) package builds
// when the repository listing shows its sources: the package name for
// src/main.rs, [[bin]] targets and src/bin/ files. ok is false when the
// set cannot be known.
func (f *cargoFacts) knownBins(ctx *convert.RepoContext) ([]string, bool) {
	m := f.Manifest
	if m == nil || m.Workspace != nil || m.Package == nil || !ctx.Known() {
		return nil, false
	}
	var bins []string
	if ctx.Has("src/main.rs") {
		bins = append(bins, m.Package.Name)
	}
	for _, b := range m.Bin {
		if b.Name == "" {
			return nil, false // named from its path: leave it
		}
		bins = append(bins, b.Name)
	}
	for _, p := range ctx.Paths {
		rest, ok := strings.CutPrefix(p, "src/bin/")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, "/")
		bins = append(bins, strings.TrimSuffix(name, ".rs"))
	}
	return bins, len(bins) > 0
}
