package catalog

import "testing"

func TestDebianImageVersionTags(t *testing.T) {
	t.Parallel()
	c := Default()
	d := c.LookupImage("debian")
	for tag, want := range map[string]int{"12": 12, "12.11-slim": 12, "13": 13, "bookworm": 12, "trixie-slim": 13, "bookworm-20260101-slim": 12, "stable": 13, "oldstable-slim": 12, "": 13, "latest": 13} {
		if got, ok := c.ImageDebian(d, tag); !ok || got != want {
			t.Errorf("debian:%s → %d %v, want %d", tag, got, ok, want)
		}
	}
	if got, ok := c.ImageDebian(c.LookupImage("buildpack-deps"), "bookworm-scm"); !ok || got != 12 {
		t.Errorf("buildpack-deps:bookworm-scm → %d %v", got, ok)
	}
	if got, ok := c.ImageDebian(c.LookupImage("gcc"), "16"); !ok || got != 13 {
		t.Errorf("gcc:16 → %d %v", got, ok)
	}
}

func TestUbuntuAndGCC(t *testing.T) {
	t.Parallel()
	c := Default()
	for tag, want := range map[string]string{"22.04": "jammy", "jammy-20240111": "jammy", "24.04": "noble", "noble": "noble", "20.04": "focal"} {
		u := c.UbuntuRelease(tag)
		if u == nil || u.Codename != want {
			t.Errorf("ubuntu:%s → %+v, want %s", tag, u, want)
		}
	}
	if u := c.UbuntuRelease("latest"); u != nil {
		t.Errorf("ubuntu:latest → %+v, want nil (it moves)", u)
	}
	if c.DebianGCC(13) != "14" || c.DebianGCC(12) != "12" {
		t.Errorf("Debian GCC: 12 → %s, 13 → %s", c.DebianGCC(12), c.DebianGCC(13))
	}
	if g := c.LookupImage("gcc"); len(g.Current) == 0 {
		t.Error("gcc image has no current versions")
	}
}

func TestNativeLibraries(t *testing.T) {
	t.Parallel()
	c := Default()
	cases := []struct {
		lookup func(string) *NativeLibrary
		key    string
		want   string
	}{
		{c.LibraryByLink, "pq", "libpq"},
		{c.LibraryByLink, "boost_system", "boost"},
		{c.LibraryByLink, "m", "glibc"},
		{c.LibraryByDev, "libcurl4-openssl-dev", "libcurl"},
		{c.LibraryByDev, "libboost-all-dev", "boost"},
		{c.LibraryByDev, "zlib1g-dev", "zlib"},
		{c.LibraryByRuntime, "libpq5", "libpq"},
		{c.LibraryByRuntime, "libssl3t64", "openssl"},
		{c.LibraryByRuntime, "libprotobuf32t64", "protobuf"},
		{c.LibraryByPkgConfig, "libxml-2.0", "libxml2"},
		{c.LibraryByCMake, "CURL", "libcurl"},
	}
	for _, tc := range cases {
		l := tc.lookup(tc.key)
		if l == nil || l.Name != tc.want {
			t.Errorf("lookup %q → %+v, want %s", tc.key, l, tc.want)
		}
	}
	if c.LibraryByDev("libfoo-dev") != nil {
		t.Error("unknown dev package matched")
	}
	ships := []struct {
		lib, family string
		debian      int
		want        bool
	}{
		{"openssl", "base", 12, true},
		{"openssl", "static", 13, false},
		{"zlib", "cc", 12, false},
		{"zlib", "base", 13, true},
		{"libstdc++", "base", 13, false},
		{"libstdc++", "cc", 12, true},
		{"libpq", "cc", 13, false},
		{"glibc", "base-nossl", 13, true},
	}
	for _, tc := range ships {
		if got := c.Library(tc.lib).Ships(tc.family, tc.debian); got != tc.want {
			t.Errorf("%s in %s-debian%d = %v, want %v", tc.lib, tc.family, tc.debian, got, tc.want)
		}
	}
	for _, sc := range c.Rust.SysCrates {
		if c.Library(sc.Library) == nil {
			t.Errorf("rust sys crate %s names unknown library %q", sc.Crate, sc.Library)
		}
	}
	for _, u := range c.Rust.SysCrateUsers {
		if c.RustSysCrate(u.Crate) == nil {
			t.Errorf("sys_crate_users: %s → unknown crate %s", u.Dep, u.Crate)
		}
	}
	for _, f := range []string{c.Rust.GnuFamily, c.Rust.MuslFamily} {
		if c.DistrolessImage(f) == nil {
			t.Errorf("rust family %q is not a distroless image", f)
		}
	}
	for _, l := range c.Native.Libraries {
		for fam := range l.In {
			if c.DistrolessImage(fam) == nil {
				t.Errorf("library %s: unknown family %q", l.Name, fam)
			}
		}
	}
	if !c.IsBuildOnlyDev("libstdc++-14-dev") || c.IsBuildOnlyDev("libpq-dev") {
		t.Error("IsBuildOnlyDev")
	}
	if !c.RustBuildOnlyDev("libclang-16-dev") || !c.IsStaticRemovable("libgcc") {
		t.Error("RustBuildOnlyDev / IsStaticRemovable")
	}
}
