package catalog

import (
	"path"
	"slices"
	"strings"
)

// DebianGCC returns the default GCC major of a Debian release ("14"), ""
// when unknown.
func (c *Catalog) DebianGCC(debian int) string {
	for _, d := range c.Debian {
		if d.Version == debian {
			return d.GCC
		}
	}
	return ""
}

// UbuntuRelease returns the Ubuntu release an image tag names by codename
// ("jammy", "noble-20240101") or version ("22.04", "24.04"), or nil.
func (c *Catalog) UbuntuRelease(tag string) *UbuntuRelease {
	for i := range c.Ubuntu {
		u := &c.Ubuntu[i]
		if tag == u.Version || strings.HasPrefix(tag, u.Version+".") || strings.HasPrefix(tag, u.Version+"-") {
			return u
		}
		for _, w := range strings.Split(tag, "-") {
			if w == u.Codename {
				return u
			}
		}
	}
	return nil
}

// globMatch matches a package name against a list of names and globs.
func globMatch(list []string, name string) bool {
	for _, p := range list {
		if p == name {
			return true
		}
		if strings.ContainsAny(p, "*?[") {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
	}
	return false
}

// Ships reports whether a distroless family's image ships the library on a
// Debian release.
func (l *NativeLibrary) Ships(family string, debian int) bool {
	for _, d := range l.In[family] {
		if d == debian {
			return true
		}
	}
	return false
}

// Library returns the library with a name ("libpq"), or nil.
func (c *Catalog) Library(name string) *NativeLibrary {
	for i := range c.Native.Libraries {
		if c.Native.Libraries[i].Name == name {
			return &c.Native.Libraries[i]
		}
	}
	return nil
}

func (c *Catalog) findLibrary(match func(*NativeLibrary) bool) *NativeLibrary {
	for i := range c.Native.Libraries {
		if match(&c.Native.Libraries[i]) {
			return &c.Native.Libraries[i]
		}
	}
	return nil
}

// LibraryByLink returns the library a linker flag -l<name> names, or nil.
func (c *Catalog) LibraryByLink(name string) *NativeLibrary {
	return c.findLibrary(func(l *NativeLibrary) bool { return globMatch(l.Link, name) })
}

// LibraryByPkgConfig returns the library of a pkg-config module, or nil.
func (c *Catalog) LibraryByPkgConfig(module string) *NativeLibrary {
	return c.findLibrary(func(l *NativeLibrary) bool { return globMatch(l.PkgConfig, module) })
}

// LibraryByCMake returns the library of a CMake find_package name, or nil.
func (c *Catalog) LibraryByCMake(pkg string) *NativeLibrary {
	return c.findLibrary(func(l *NativeLibrary) bool { return globMatch(l.CMake, pkg) })
}

// LibraryByDev returns the library a development package provides, or nil.
func (c *Catalog) LibraryByDev(pkg string) *NativeLibrary {
	return c.findLibrary(func(l *NativeLibrary) bool { return globMatch(l.Dev, pkg) })
}

// LibraryByRuntime returns the library a runtime package (Debian or
// Alpine) installs, or nil.
func (c *Catalog) LibraryByRuntime(pkg string) *NativeLibrary {
	return c.findLibrary(func(l *NativeLibrary) bool { return globMatch(l.Runtime, pkg) })
}

// IsBuildOnlyDev reports whether a -dev package adds nothing to link at run
// time (libc6-dev, linux-libc-dev).
func (c *Catalog) IsBuildOnlyDev(pkg string) bool { return globMatch(c.Native.BuildOnlyDev, pkg) }

// IsStaticRemovable reports whether a runtime package only served to run a
// native binary (libgcc, gcompat, ca-certificates) and a static binary on
// distroless needs none of it.
func (c *Catalog) IsStaticRemovable(pkg string) bool {
	return globMatch(c.Native.StaticRemovable, pkg)
}

// RustSysCrate returns the entry of a -sys crate, or nil.
func (c *Catalog) RustSysCrate(name string) *RustSysCrate {
	for i := range c.Rust.SysCrates {
		if c.Rust.SysCrates[i].Crate == name {
			return &c.Rust.SysCrates[i]
		}
	}
	return nil
}

// RustSafeSysCrate reports whether a -sys crate links nothing beyond the
// cc image.
func (c *Catalog) RustSafeSysCrate(name string) bool {
	return slices.Contains(c.Rust.SafeSysCrates, name)
}

// RustBuildOnlyDev reports whether a -dev package is only used by Rust
// build scripts (bindgen, protoc).
func (c *Catalog) RustBuildOnlyDev(pkg string) bool { return globMatch(c.Rust.BuildOnlyDev, pkg) }

// IsInterpreter reports whether a program (base name) is an interpreter or
// launcher rather than a native binary.
func (c *Catalog) IsInterpreter(prog string) bool { return globMatch(c.Native.Interpreters, prog) }
