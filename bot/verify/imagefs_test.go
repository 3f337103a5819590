package verify

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

func loadFS(t *testing.T, img v1.Image) *imageFS {
	t.Helper()
	f, err := loadImageFS(context.Background(), img, t.TempDir(), FSLimits{})
	if err != nil {
		t.Fatalf("loadImageFS: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// paths lists every path in the merged view with its kind.
func (f *imageFS) paths() []string {
	var out []string
	var walk func(p string, n *node)
	walk = func(p string, n *node) {
		for _, name := range n.list() {
			c := n.children[name]
			cp := path.Join(p, name)
			out = append(out, cp+" "+c.kind.String())
			if c.kind == kindDir {
				walk(cp, c)
			}
		}
	}
	walk("/", f.root)
	return out
}

func content(t *testing.T, f *imageFS, p string) string {
	t.Helper()
	r, err := f.stat(p, "/")
	if err != nil {
		t.Fatalf("stat %s: %v", p, err)
	}
	b, err := io.ReadAll(f.open(r.Node))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWhiteouts(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{},
		newLayer(t).dir("app").text("app/a", "a1").text("app/b", "b1").dir("etc").text("etc/old", "o").dir("etc/sub").text("etc/sub/x", "x"),
		newLayer(t).whiteout("app/a").text("app/b", "b2").opaque("etc").text("etc/new", "n"),
		newLayer(t).text("app/a", "a3"), // re-created above its whiteout
	)
	f := loadFS(t, img)
	want := []string{
		"/app directory", "/app/a file", "/app/b file",
		"/etc directory", "/etc/new file",
	}
	if diff := cmp.Diff(want, f.paths()); diff != "" {
		t.Errorf("merged paths (-want +got):\n%s", diff)
	}
	if got := content(t, f, "/app/b"); got != "b2" {
		t.Errorf("/app/b = %q, want the upper layer's b2", got)
	}
	if got := content(t, f, "/app/a"); got != "a3" {
		t.Errorf("/app/a = %q, want a3", got)
	}
}

func TestWhiteoutHidesEntrypoint(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app/server"}},
		newLayer(t).dir("app").exe("app/server", staticBinary(t)),
		newLayer(t).whiteout("app/server"))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "command", Fail, "ENTRYPOINT /app/server: not in image")
}

func TestOpaqueDirectoryKeepsItsOwnLayer(t *testing.T) {
	t.Parallel()
	// The opaque marker hides lower layers only: entries of its own layer
	// stay, whatever their order in the tar.
	img := image(t, v1.Config{},
		newLayer(t).dir("d").text("d/lower", "l"),
		newLayer(t).dir("d").text("d/same", "s").opaque("d").text("d/after", "a"))
	f := loadFS(t, img)
	want := []string{"/d directory", "/d/after file", "/d/same file"}
	if diff := cmp.Diff(want, f.paths()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReplacementsAndHardlinks(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{},
		newLayer(t).dir("x").text("x/child", "c").text("f", "file").text("orig", "shared"),
		newLayer(t).text("x", "now a file").dir("f").hardlink("link", "orig").text("deep/implicit/parent", "p"))
	f := loadFS(t, img)
	want := []string{
		"/deep directory", "/deep/implicit directory", "/deep/implicit/parent file",
		"/f directory", "/link file", "/orig file", "/x file",
	}
	if diff := cmp.Diff(want, f.paths()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := content(t, f, "/link"); got != "shared" {
		t.Errorf("hard link content = %q", got)
	}
}

// TestMergeMatchesMutateExtract compares the merged view with
// go-containerregistry's own flattening on a layered image.
func TestMergeMatchesMutateExtract(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{},
		newLayer(t).dir("a").text("a/1", "1").text("a/2", "2").dir("b").text("b/3", "3").symlink("l", "a/1"),
		newLayer(t).whiteout("a/1").dir("b").opaque("b").text("b/4", "4").text("c", "c"),
		newLayer(t).whiteout("c").dir("a").text("a/5", "5"))
	f := loadFS(t, img)
	var ours []string
	for _, p := range f.paths() {
		ours = append(ours, strings.Fields(p)[0])
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	var theirs []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		theirs = append(theirs, cleanImagePath(h.Name))
	}
	sort.Strings(theirs)
	if diff := cmp.Diff(theirs, ours); diff != "" {
		t.Errorf("merged view differs from mutate.Extract (-extract +ours):\n%s", diff)
	}
}

func TestSymlinkResolution(t *testing.T) {
	t.Parallel()
	bin := staticBinary(t)
	img := image(t, v1.Config{},
		newLayer(t).dir("usr").dir("usr/bin").exe("usr/bin/app", bin).
			symlink("bin", "/usr/bin").                          // absolute: restarts at the image root
			symlink("usr/bin/up", "../../../../../usr/bin/app"). // ".." stops at the root
			symlink("loop1", "loop2").symlink("loop2", "/loop1").
			symlink("self", "self").
			symlink("dangling", "/nowhere/app").
			symlink("etc", "/etc-real").dir("etc-real").text("etc-real/passwd", "x"),
	)
	f := loadFS(t, img)
	cases := []struct {
		path, real, err string
	}{
		{"/bin/app", "/usr/bin/app", ""},
		{"/usr/bin/up", "/usr/bin/app", ""},
		{"/etc/passwd", "/etc-real/passwd", ""},
		{"/loop1", "", "/loop1 → loop2 → /loop1"},
		{"/self", "", "too many levels of symbolic links"},
		{"/dangling", "", "/dangling → /nowhere/app: /nowhere not in image"},
		{"/usr/bin/app/x", "", "/usr/bin/app not a directory"},
		{"/missing", "", "/missing: not in image"},
	}
	for _, tc := range cases {
		r, err := f.stat(tc.path, "/")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("stat %s: error %v, want one containing %q", tc.path, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("stat %s: %v", tc.path, err)
			continue
		}
		if r.Real != tc.real {
			t.Errorf("stat %s: real %s, want %s", tc.path, r.Real, tc.real)
		}
	}
	// lstat semantics: the link itself.
	if r, err := f.resolve("/loop1", "/", false); err != nil || r.Node.kind != kindSymlink {
		t.Errorf("resolve(/loop1, nofollow) = %v, %v; want the symlink", r.Node, err)
	}
}

func TestSymlinkLoopEntrypoint(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app"}},
		newLayer(t).symlink("app", "/loop1").symlink("loop1", "loop2").symlink("loop2", "loop1"))
	checks := inspectImage(t, img, Expectation{})
	wantCheck(t, checks, "command", Fail, "ENTRYPOINT /app → /loop1 → loop2 → loop1", "too many levels of symbolic links")
}

func TestLayerSizesAndLimits(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{}, newLayer(t).text("a", strings.Repeat("x", 10000)), newLayer(t).text("b", "y"))
	f := loadFS(t, img)
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range layers {
		n, err := uncompressedSize(l)
		if err != nil {
			t.Fatal(err)
		}
		if f.LayerSizes[i] != n {
			t.Errorf("layer %d: size %d, want %d", i, f.LayerSizes[i], n)
		}
	}
	_, err = loadImageFS(context.Background(), img, t.TempDir(), FSLimits{MaxBytes: 5000})
	if err == nil || !strings.Contains(err.Error(), "inspection limit") {
		t.Errorf("byte limit: err = %v", err)
	}
	_, err = loadImageFS(context.Background(), img, t.TempDir(), FSLimits{MaxEntries: 1})
	if err == nil || !strings.Contains(err.Error(), "more than 1 entries") {
		t.Errorf("entry limit: err = %v", err)
	}
}
