package baseimages

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// aptTweaks are the files the official debian images add so that apt and
// dpkg behave well in containers (no fsync storm, no leftover .debs or
// translations). They also make RUN apt-get in our builds fast.
var aptTweaks = map[string]string{
	"etc/dpkg/dpkg.cfg.d/docker-apt-speedup": "# For most Docker users, package installs happen during \"docker build\", which\n# doesn't survive power loss and gets restarted clean afterwards anyhow.\nforce-unsafe-io\n",
	"etc/apt/apt.conf.d/docker-clean": `DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`,
	"etc/apt/apt.conf.d/docker-no-languages":        "Acquire::Languages \"none\";\n",
	"etc/apt/apt.conf.d/docker-gzip-indexes":        "Acquire::GzipIndexes \"true\";\n",
	"etc/apt/apt.conf.d/docker-autoremove-suggests": "Apt::AutoRemove::SuggestsImportant \"false\";\n",
}

// LocalCADir is where Debian keeps locally added CA certificates.
const LocalCADir = "/usr/local/share/ca-certificates"

// hostCAs returns the CA certificates added locally on the host (Debian's
// /usr/local/share/ca-certificates), by file name. A machine behind a
// TLS-inspecting egress proxy trusts the proxy's CA this way; RUN steps
// must trust it too or every HTTPS download in a build (npm, the Go module
// proxy, pip) fails. On a machine without local CAs this is empty and the
// images are exactly the stock ones.
func hostCAs() (map[string][]byte, error) {
	out := map[string][]byte{}
	matches, err := filepath.Glob(filepath.Join(LocalCADir, "*.crt"))
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		if len(pemCertificates(b)) == 0 {
			continue
		}
		out[filepath.Base(m)] = b
	}
	return out, nil
}

// hostCAKey describes hostCAs for cache keys.
func hostCAKey() (string, error) {
	cas, err := hostCAs()
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(cas))
	for n := range cas {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		sum := sha256.Sum256(cas[n])
		fmt.Fprintf(&b, "%s=%x\n", n, sum)
	}
	return b.String(), nil
}

// debianRoot bootstraps a minbase Debian root for suite with mmdebstrap and
// turns it into a one-layer image configured like the official debian image
// (PATH, CMD ["bash"]). The apt sources inside point at deb.debian.org so
// that RUN apt-get update/install works in builds.
func (s *synth) debianRoot(ctx context.Context, suite string) (v1.Image, error) {
	dir, err := os.MkdirTemp(s.cfg.WorkDir, "mmdebstrap-"+suite+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "root.tar")
	args := []string{
		"--variant=minbase", "--mode=root", "--format=tar",
		"--dpkgopt=force-unsafe-io",
		"--aptopt=Acquire::Languages \"none\"",
		suite, out,
	}
	for _, line := range strings.Split(strings.TrimSpace(sourcesFor(suite)), "\n") {
		args = append(args, line)
	}
	cmd := exec.CommandContext(ctx, "mmdebstrap", args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mmdebstrap %s: %w\n%s", suite, err, tail(b, 4000))
	}
	f, err := os.Open(out)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := newTree()
	if err := t.readTar(f, func(name string) string { return name }); err != nil {
		return nil, fmt.Errorf("reading mmdebstrap output: %w", err)
	}
	// Docker provides these at run time; the official images ship none.
	t.removeChildren("dev")
	for _, p := range []string{"etc/hostname", "etc/resolv.conf", "etc/machine-id"} {
		t.remove(p)
	}
	for p, content := range aptTweaks {
		t.file(p, 0o644, []byte(content))
	}
	// Local CAs go where Debian's ca-certificates postinst picks them up,
	// so every image that installs ca-certificates trusts them.
	cas, err := hostCAs()
	if err != nil {
		return nil, err
	}
	for name, pem := range cas {
		t.file("usr/local/share/ca-certificates/"+name, 0o644, pem)
	}
	l, err := t.layer(filepath.Join(s.cfg.WorkDir, "debian-"+suite+".tar.gz"))
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		return nil, err
	}
	return configure(img, v1.Config{
		Env: []string{"PATH=" + defaultPath},
		Cmd: []string{"bash"},
	})
}

// configure sets the platform and runtime config of img.
func configure(img v1.Image, c v1.Config) (v1.Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture = "amd64"
	cf.OS = "linux"
	cf.Created = v1.Time{Time: epoch}
	cf.Config = c
	return mutate.ConfigFile(img, cf)
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
