package verify

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// layer builds one image layer as a tar in memory. Parent directories are
// not added implicitly: tests say exactly what each layer holds.
type layer struct {
	t   testing.TB
	buf bytes.Buffer
	tw  *tar.Writer
}

func newLayer(t testing.TB) *layer {
	l := &layer{t: t}
	l.tw = tar.NewWriter(&l.buf)
	return l
}

func (l *layer) header(h *tar.Header, data []byte) *layer {
	l.t.Helper()
	h.ModTime = time.Unix(0, 0)
	h.Format = tar.FormatPAX
	if err := l.tw.WriteHeader(h); err != nil {
		l.t.Fatalf("tar header %s: %v", h.Name, err)
	}
	if len(data) > 0 {
		if _, err := l.tw.Write(data); err != nil {
			l.t.Fatalf("tar data %s: %v", h.Name, err)
		}
	}
	return l
}

func (l *layer) dir(name string) *layer {
	return l.header(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755}, nil)
}

func (l *layer) file(name string, mode int64, data []byte) *layer {
	return l.header(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))}, data)
}

func (l *layer) ownedFile(name string, mode int64, uid, gid int, data []byte) *layer {
	return l.header(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Uid: uid, Gid: gid, Size: int64(len(data))}, data)
}

func (l *layer) text(name, data string) *layer { return l.file(name, 0o644, []byte(data)) }

func (l *layer) exe(name string, data []byte) *layer { return l.file(name, 0o755, data) }

func (l *layer) symlink(name, target string) *layer {
	return l.header(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777}, nil)
}

func (l *layer) hardlink(name, target string) *layer {
	return l.header(&tar.Header{Typeflag: tar.TypeLink, Name: name, Linkname: target, Mode: 0o644}, nil)
}

func (l *layer) whiteout(name string) *layer {
	i := strings.LastIndexByte(name, '/')
	return l.file(name[:i+1]+".wh."+name[i+1:], 0o644, nil)
}

func (l *layer) opaque(dir string) *layer {
	return l.file(dir+"/.wh..wh..opq", 0o644, nil)
}

func (l *layer) build() v1.Layer {
	l.t.Helper()
	if err := l.tw.Close(); err != nil {
		l.t.Fatal(err)
	}
	data := l.buf.Bytes()
	// Fast compression, computed once: the tests build many images of
	// multi-megabyte binaries, and -race makes gzip slow.
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithCompressionLevel(gzip.BestSpeed), tarball.WithCompressedCaching)
	if err != nil {
		l.t.Fatal(err)
	}
	return layer
}

// image assembles layers and a config into an in-memory image for the
// host's architecture (so host-built binaries match it).
func image(t testing.TB, cfg v1.Config, layers ...*layer) v1.Image {
	t.Helper()
	img := empty.Image
	for _, l := range layers {
		var err error
		img, err = mutate.AppendLayers(img, l.build())
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Config = "linux", runtime.GOARCH, cfg
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func withConfigFile(t testing.TB, img v1.Image, cf *v1.ConfigFile) v1.Image {
	t.Helper()
	img, err := mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func inspectImage(t testing.TB, img v1.Image, exp Expectation) []Check {
	t.Helper()
	checks, err := InspectImage(context.Background(), img, exp, InspectOptions{TempDir: t.TempDir()})
	if err != nil {
		t.Fatalf("InspectImage: %v", err)
	}
	return checks
}

// checksNamed returns every check with that name.
func checksNamed(checks []Check, name string) []Check {
	var out []Check
	for _, c := range checks {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// wantCheck asserts that exactly one check of that name (for that subject,
// when several exist) has the status and a detail containing every piece.
func wantCheck(t testing.TB, checks []Check, name string, status CheckStatus, pieces ...string) Check {
	t.Helper()
	cs := checksNamed(checks, name)
	if len(cs) == 0 {
		t.Fatalf("no %q check; checks:\n%s", name, dumpChecks(checks))
	}
	for _, c := range cs {
		if c.Status != status {
			continue
		}
		ok := true
		for _, p := range pieces {
			if !strings.Contains(c.Detail, p) {
				ok = false
			}
		}
		if ok {
			return c
		}
	}
	t.Fatalf("no %q check with status %s and detail containing %q; checks:\n%s", name, status, pieces, dumpChecks(checks))
	return Check{}
}

// noCheck asserts that no check of that name ran.
func noCheck(t testing.TB, checks []Check, name string) {
	t.Helper()
	if cs := checksNamed(checks, name); len(cs) > 0 {
		t.Fatalf("unexpected %q check: %+v", name, cs)
	}
}

// noFailures asserts that every check passed or is unknown.
func noFailures(t testing.TB, checks []Check) {
	t.Helper()
	for _, c := range checks {
		if c.Status == Fail {
			t.Fatalf("unexpected failure; checks:\n%s", dumpChecks(checks))
		}
	}
}

func dumpChecks(checks []Check) string {
	var b strings.Builder
	for _, c := range checks {
		b.WriteString("  " + string(c.Status) + " " + c.Name + " [" + c.Subject + "] " + c.Detail + "\n")
	}
	return b.String()
}
