package catalog

import (
	"slices"
	"testing"
)

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
		{"debian", "12-slim", 12, true},
		{"debian", "12.5", 12, true},
		{"debian", "bookworm-slim", 12, true},
		{"debian", "stable-slim", 13, true},
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

func TestNodePolicy(t *testing.T) {
	t.Parallel()
	c := Default()
	if got := c.NodeMajors(); len(got) != 3 || got[0] != "22" || got[2] != "26" {
		t.Errorf("NodeMajors = %v", got)
	}
	for major, want := range map[string]string{"18": "22", "20": "22", "21": "22", "23": "24", "25": "26", "22": "", "16": "", "14": "", "27": ""} {
		if got := c.NodeUpgradeTarget(major); got != want {
			t.Errorf("NodeUpgradeTarget(%s) = %q, want %q", major, got, want)
		}
	}
	for word, want := range map[string]string{"lts": "24", "latest": "26", "jod": "22"} {
		if got, ok := c.NodeAlias(word); !ok || got != want {
			t.Errorf("NodeAlias(%s) = %q %v, want %q", word, got, ok, want)
		}
	}
	if b := c.NodeBin("next"); b == nil || b.Path != "dist/bin/next" {
		t.Errorf("NodeBin(next) = %+v", b)
	}
	// Every alias points to a major the catalog knows as current.
	node := c.LookupImage("node")
	for word, major := range c.Node.TagAliases {
		if !slices.Contains(node.Current, major) && !c.NodeUpgradable(major) {
			t.Errorf("alias %s → %s is neither current nor upgradable", word, major)
		}
	}
	for _, p := range c.Node.NativePackages {
		if p.Needs == "" {
			t.Errorf("native package %s: needs is empty", p.Name)
		}
	}
}

func TestToolchainTagsOfJDKVendors(t *testing.T) {
	t.Parallel()
	c := Default()
	cases := []struct {
		image, tag string
		want       bool
	}{
		{"eclipse-temurin", "21", true},
		{"eclipse-temurin", "21-jdk-noble", true},
		{"eclipse-temurin", "21-jre", false},
		{"eclipse-temurin", "21-jre-alpine", false},
		{"amazoncorretto", "21", true},
		{"amazoncorretto", "21-al2023-headless", false},
		{"openjdk", "17-jdk-slim", true},
		{"golang", "1.26-alpine", true},
		{"python", "3.13-slim-trixie", false},
		{"python", "3.13", true},
		{"node", "22-alpine", false},
	}
	for _, tc := range cases {
		if got := c.LookupImage(tc.image).IsToolchainTag(tc.tag); got != tc.want {
			t.Errorf("%s:%s toolchain = %v, want %v", tc.image, tc.tag, got, tc.want)
		}
	}
}

func TestCCompilerAndDebianPython(t *testing.T) {
	t.Parallel()
	c := Default()
	for tag, want := range map[string]bool{"1.26": true, "1.26-bookworm": true, "1.26-alpine": false, "alpine": false} {
		if got := c.LookupImage("golang").HasCCompiler(tag); got != want {
			t.Errorf("golang:%s has a C compiler = %v, want %v", tag, got, want)
		}
	}
	if c.LookupImage("python").HasCCompiler("3.13-slim-trixie") {
		t.Error("python slim has no gcc")
	}
	if c.LookupImage("debian").HasCCompiler("trixie") {
		t.Error("debian has no gcc")
	}
	if got := c.DebianPython3(12); got != "3.11" {
		t.Errorf("bookworm python3 = %q", got)
	}
	if got := c.DebianPython3(13); got != "3.13" {
		t.Errorf("trixie python3 = %q", got)
	}
	if c.LookupImage("golang").Workdir != "/go" || c.Go.CgoOffWithoutCompilerSince != "1.20" {
		t.Error("golang workdir / cgo default missing")
	}
	r := c.ParseDistroless("nodejs20-debian12", "")
	if r.Removed == nil {
		t.Fatal("nodejs20-debian12 not removed")
	}
	if r := c.ParseDistroless("nodejs20", ""); r.Removed == nil || r.Removed.Replacement != "nodejs22" {
		t.Errorf("nodejs20 replacement = %+v", r.Removed)
	}
	if r := c.ParseDistroless("python3-debian12", ""); r.Removed == nil || r.Removed.Version != "3.11" {
		t.Errorf("python3-debian12 version = %+v", r.Removed)
	}
}

func TestIsBuildPackage(t *testing.T) {
	t.Parallel()
	c := Default()
	for pkg, want := range map[string]bool{"gcc": true, "libpq-dev": true, "build-base": true, "nodejs": false, "git": false, "curl": false} {
		if got := c.IsBuildPackage(pkg); got != want {
			t.Errorf("IsBuildPackage(%s) = %v, want %v", pkg, got, want)
		}
	}
}

func TestPythonFacts(t *testing.T) {
	t.Parallel()
	c := Default()
	if got := c.PythonBuilder("3.13", 13); got != "python:3.13-slim-trixie" {
		t.Errorf("PythonBuilder = %q", got)
	}
	if got := c.PythonLatest(); got != "3.14" {
		t.Errorf("PythonLatest = %q", got)
	}
	for pkg, want := range map[string]bool{"libsqlite3-0": true, "libffi8": true, "ca-certificates": true, "libstdc++6": true, "libpq5": false, "libgl1": false} {
		if got := c.InPythonImage(pkg); got != want {
			t.Errorf("InPythonImage(%s) = %v, want %v", pkg, got, want)
		}
	}
	for pkg, want := range map[string]bool{"gcc": true, "libffi-dev": true, "libpq-dev": false, "build-essential": true, "default-libmysqlclient-dev": false} {
		if got := c.PythonBuildPackageOK(pkg); got != want {
			t.Errorf("PythonBuildPackageOK(%s) = %v, want %v", pkg, got, want)
		}
	}
	if c.Python.DevRuntime["libpq-dev"] != "libpq5" {
		t.Errorf("dev_runtime libpq-dev = %q", c.Python.DevRuntime["libpq-dev"])
	}
	if n := c.PythonNative("Psycopg2"); n == nil || n.Binary != "psycopg2-binary" {
		t.Errorf("PythonNative(Psycopg2) = %+v", n)
	}
	if im := c.DistrolessImage("python3"); im == nil || im.Interpreter == "" || len(im.Archs) == 0 {
		t.Errorf("python3 distroless entry = %+v", im)
	}
}

func TestJavaFacts(t *testing.T) {
	t.Parallel()
	c := Default()
	cases := []struct{ image, tag, want string }{
		{"maven", "3.9-eclipse-temurin-21", "21"},
		{"maven", "3.8.5-openjdk-17-slim", "17"},
		{"maven", "3-jdk-11", "11"},
		{"maven", "3.6.3-jdk-8-slim", "8"},
		{"maven", "3-amazoncorretto-21", "21"},
		{"maven", "3.9-ibm-semeru-25-noble", "25"},
		{"maven", "latest", ""},
		{"gradle", "8.12-jdk21", "21"},
		{"gradle", "jdk17-alpine", "17"},
		{"gradle", "7.6-jdk11", "11"},
		{"gradle", "8.5", ""},
		{"eclipse-temurin", "21-jre", "21"},
		{"eclipse-temurin", "17.0.9_9-jre-alpine", "17.0.9"},
		{"eclipse-temurin", "8u392-b08-jre", "8"},
		{"openjdk", "17-jdk-slim", "17"},
		{"amazoncorretto", "21-alpine", "21"},
		{"ibm-semeru-runtimes", "open-17-jre", "17"},
	}
	for _, tc := range cases {
		im := c.LookupImage(tc.image)
		if im == nil {
			t.Fatalf("%s not in catalog", tc.image)
		}
		if got := im.LanguageVersion(tc.tag); got != tc.want {
			t.Errorf("%s:%s Java version = %q, want %q", tc.image, tc.tag, got, tc.want)
		}
	}
	if g := c.LookupImage("gradle"); g.Workdir != "/home/gradle" {
		t.Errorf("gradle workdir = %q", g.Workdir)
	}
	for major, want := range map[string]string{"16": "17", "18": "21", "20": "21", "22": "25", "24": "25", "25": "", "26": ""} {
		if got := c.JavaUpgradeTarget(major); got != want {
			t.Errorf("JavaUpgradeTarget(%s) = %q, want %q", major, got, want)
		}
	}
	for _, m := range []string{"17", "21", "25"} {
		if !c.JavaAvailable(m) || c.DistrolessImage("java"+m) == nil {
			t.Errorf("Java %s must be available with a distroless image", m)
		}
	}
	if !c.JavaDeclined("8") || !c.JavaDeclined("11") || c.JavaUpgradable("11") {
		t.Error("Java 8 and 11 are declined, not upgraded")
	}
	if !c.InJavaBase("libfreetype6") || !c.InJavaBase("fontconfig") || c.InJavaBase("curl") {
		t.Error("java-base package list")
	}
	if !c.IsJavaServerScript("catalina.sh") || c.LookupImage("tomcat").Kind != "java-server" {
		t.Error("Tomcat is an application server")
	}
	if c.Distroless.NonrootWorkdir != "/home/nonroot" || c.Distroless.RootWorkdir != "/" || len(c.Distroless.WritableDirs) == 0 {
		t.Errorf("distroless workdirs = %q %q %v", c.Distroless.NonrootWorkdir, c.Distroless.RootWorkdir, c.Distroless.WritableDirs)
	}
	if s := c.LookupImage("ibm-semeru-runtimes"); s.VM != "openj9" || len(c.Java.OpenJ9Options) == 0 {
		t.Error("Semeru runs OpenJ9, whose options HotSpot rejects")
	}
	if c.Java.JREImage == "" || c.Java.ChainguardJRE == "" {
		t.Error("Java alternatives missing")
	}
}

func TestDotnetFacts(t *testing.T) {
	t.Parallel()
	c := Default()
	for _, v := range []string{"8.0", "9.0", "10.0"} {
		if !c.DotnetSupported(v) {
			t.Errorf(".NET %s should be supported", v)
		}
	}
	if c.DotnetSupported("6.0") || !c.DotnetEOL("6.0") || c.DotnetEOL("8.0") {
		t.Error(".NET 6.0 is end of life")
	}
	if got := Expand(c.Dotnet.ASPNet, map[string]string{"version": "8.0"}) + c.Dotnet.ExtraSuffix; got != "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra" {
		t.Errorf("aspnet extra = %q", got)
	}
	if c.Dotnet.AppUID != 1654 || c.Dotnet.HTTPPort != "8080" {
		t.Errorf("dotnet uid/port = %d %s", c.Dotnet.AppUID, c.Dotnet.HTTPPort)
	}
	if !c.DotnetChiseledHas("ca-certificates", false) || c.DotnetChiseledHas("tzdata", false) || !c.DotnetChiseledHas("tzdata", true) || !c.DotnetNeedsExtra("libicu74") {
		t.Error("chiseled package lists")
	}
	if v := c.LookupImage("mcr.microsoft.com/dotnet/aspnet").LanguageVersion("8.0-bookworm-slim"); v != "8.0" {
		t.Errorf("aspnet version = %q", v)
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
