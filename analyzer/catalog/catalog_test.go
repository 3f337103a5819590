package catalog

import "testing"

func TestCatalogLoads(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Distroless.DefaultDebian != 13 || len(c.Distroless.Images) == 0 {
		t.Fatalf("unexpected catalog: %+v", c.Distroless)
	}
	for _, im := range c.Distroless.Images {
		if len(im.Debians) == 0 || im.Runtime == "" {
			t.Errorf("distroless image %s: missing debians or runtime", im.Family)
		}
	}
}

func TestGolangSlimNeverExisted(t *testing.T) {
	t.Parallel()
	c := Default()
	g := c.LookupImage("golang")
	for tag, want := range map[string]bool{
		"1.16-slim": false, "1.22-slim-bookworm": false, "1.26-trixie": true, "1.26": true,
		"1.22.3-alpine3.19": true, "latest": true, "alpine": true, "1.26rc1-bookworm": true,
	} {
		if got := g.TagExists(tag); got != want {
			t.Errorf("golang:%s exists = %v, want %v", tag, got, want)
		}
	}
	p := c.LookupImage("python")
	for tag, want := range map[string]bool{"3.13-slim-trixie": true, "3.12-bookworm-slim": false, "3.9": true, "3.11-slim": true} {
		if got := p.TagExists(tag); got != want {
			t.Errorf("python:%s exists = %v, want %v", tag, got, want)
		}
	}
	n := c.LookupImage("node")
	for tag, want := range map[string]bool{"22-bookworm-slim": true, "22-slim-bookworm": false, "lts-alpine": true, "20.11.1-alpine3.19": true} {
		if got := n.TagExists(tag); got != want {
			t.Errorf("node:%s exists = %v, want %v", tag, got, want)
		}
	}
}

func TestImageDebian(t *testing.T) {
	t.Parallel()
	c := Default()
	cases := []struct {
		image, tag string
		want       int
		ok         bool
	}{
		{"golang", "1.26", 13, true},
		{"golang", "1.22-bookworm", 12, true},
		{"golang", "1.20", 12, true},
		{"golang", "1.17", 11, true},
		{"golang", "1.22-alpine", 0, false},
		{"python", "3.13-slim", 13, true},
		{"python", "3.9", 12, true},
		{"node", "22", 12, true},
		{"node", "26", 13, true},
		{"rust", "1", 13, true},
		{"rust", "1-bookworm", 12, true},
		{"rust", "1.75", 12, true},
		{"maven", "3.9-eclipse-temurin-21", 0, false},
	}
	for _, tc := range cases {
		got, ok := c.ImageDebian(c.LookupImage(tc.image), tc.tag)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s:%s → debian %d %v, want %d %v", tc.image, tc.tag, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseDistroless(t *testing.T) {
	t.Parallel()
	c := Default()
	r := c.ParseDistroless("python3-debian12", "nonroot")
	if r.Removed == nil || r.Family != "python3" || r.Debian != 12 || r.Published {
		t.Errorf("python3-debian12 = %+v", r)
	}
	r = c.ParseDistroless("static-debian13", "nonroot")
	if r.Removed != nil || !r.Published || !r.TagKnown {
		t.Errorf("static-debian13:nonroot = %+v", r)
	}
	r = c.ParseDistroless("base", "")
	if r.Debian != 0 || r.Image == nil || r.Removed != nil {
		t.Errorf("base = %+v", r)
	}
	if r := c.ParseDistroless("java", "11"); r.Removed == nil || r.TagKnown {
		t.Errorf("java:11 = %+v", r)
	}
	if got := c.UnversionedDebian("2026-11-29"); got != 13 {
		t.Errorf("unversioned today = %d", got)
	}
	if got := c.UnversionedDebian("2025-01-01"); got != 12 {
		t.Errorf("unversioned 2025 = %d", got)
	}
}

func TestPackageManagers(t *testing.T) {
	t.Parallel()
	c := Default()
	for _, pm := range c.PackageManagers {
		if pm.Tool == "" || len(pm.Manifests) == 0 {
			t.Errorf("package manager %+v: needs a tool and manifests", pm)
		}
		if pm.Cache != "" && (pm.NoCacheFlag == "" || pm.NoCacheEnv == "" || pm.CacheEnv == "") {
			t.Errorf("package manager %s: a cache needs no_cache_flag, no_cache_env and cache_env", pm.Tool)
		}
	}
	for _, tool := range []string{"go", "npm", "yarn", "pnpm", "pip", "uv", "pipenv", "poetry", "maven", "cargo", "bundler", "composer", "dotnet"} {
		if c.PackageManager(tool) == nil {
			t.Errorf("no package manager %q", tool)
		}
	}
	if pip := c.PackageManager("pip"); pip == nil || pip.Cache != ".cache/pip" || pip.NoCacheFlag != "--no-cache-dir" {
		t.Errorf("pip = %+v", pip)
	}
	if !c.IsDevMarker("Dev") || !c.IsDevMarker("test") || c.IsDevMarker("main") {
		t.Error("dev markers")
	}
}
