package verify

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// ociTar writes images into an OCI layout and tars it, as BuildKit's OCI
// exporter sends it.
func ociTar(t *testing.T, add func(p layout.Path)) []byte {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	add(p)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if d.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if !d.IsDir() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			_, err = tw.Write(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func receive(t *testing.T, data []byte) (*ociReceiver, error) {
	t.Helper()
	r := newOCIReceiver(filepath.Join(t.TempDir(), "oci"), ExtractLimits{}.withDefaults())
	w, err := r.output(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, werr := io.Copy(w, bytes.NewReader(data))
	cerr := w.Close()
	ferr := r.finish()
	if ferr != nil {
		return r, ferr
	}
	if werr != nil || cerr != nil {
		t.Fatalf("write %v close %v", werr, cerr)
	}
	return r, nil
}

func TestOCIReceiverPicksTheImage(t *testing.T) {
	t.Parallel()
	img := image(t, v1.Config{Entrypoint: []string{"/app"}}, newLayer(t).text("app", "x"))
	att := image(t, v1.Config{}, newLayer(t).text("attestation.json", "{}"))
	other := image(t, v1.Config{}, newLayer(t).text("arm", "y"))
	data := ociTar(t, func(p layout.Path) {
		// An attestation manifest first, as BuildKit may add one, then an
		// image for another platform, then ours.
		must(t, p.AppendImage(att, layout.WithAnnotations(map[string]string{"vnd.docker.reference.type": "attestation-manifest"})))
		must(t, p.AppendImage(other, layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "riscv64"})))
		must(t, p.AppendImage(img, layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"})))
	})
	r, err := receive(t, data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.image("linux/amd64")
	if err != nil {
		t.Fatal(err)
	}
	wantDigest, _ := img.Digest()
	gotDigest, _ := got.Digest()
	if wantDigest != gotDigest {
		t.Errorf("picked %s, want %s", gotDigest, wantDigest)
	}
	if _, err := r.image("linux/s390x"); err == nil || !strings.Contains(err.Error(), "no image for linux/s390x") {
		t.Errorf("missing platform: err = %v", err)
	}
}

func TestOCIReceiverFailures(t *testing.T) {
	t.Parallel()
	r := newOCIReceiver(t.TempDir(), ExtractLimits{})
	if err := r.finish(); err == nil || !strings.Contains(err.Error(), "exported no image") {
		t.Errorf("no export: %v", err)
	}

	evil := makeTar(t, false, entry{name: "/etc/passwd", body: "x"})
	if _, err := receive(t, evil); !errors.Is(err, ErrUnsafePath) {
		t.Errorf("hostile export: %v", err)
	}

	// BuildKit never closes the writer (a failed export): finish still returns.
	r = newOCIReceiver(filepath.Join(t.TempDir(), "oci"), ExtractLimits{}.withDefaults())
	w, err := r.output(nil)
	if err != nil {
		t.Fatal(err)
	}
	good := ociTar(t, func(p layout.Path) {
		must(t, p.AppendImage(image(t, v1.Config{}, newLayer(t).text("a", "b"))))
	})
	go func() { _, _ = w.Write(good[:700]) }()
	if err := r.finish(); err == nil {
		t.Error("a half-written export finished without error")
	}
	if _, err := r.output(nil); err == nil {
		t.Error("a second output was accepted")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
