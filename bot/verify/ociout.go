package verify

import (
	"errors"
	"fmt"
	"io"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// ociReceiver takes BuildKit's OCI exporter output, a tar stream written
// through the session, and unpacks it as it arrives into an OCI layout
// directory (oci-layout, index.json, blobs/sha256/…) with the same safe
// extractor used for repository tarballs. Nothing is pushed anywhere; the
// image is read back from the directory with go-containerregistry.
type ociReceiver struct {
	dir string
	lim ExtractLimits

	mu      sync.Mutex
	started bool
	pw      *io.PipeWriter
	done    chan error
}

func newOCIReceiver(dir string, lim ExtractLimits) *ociReceiver {
	return &ociReceiver{dir: dir, lim: lim, done: make(chan error, 1)}
}

// output is the client.ExportEntry.Output callback.
func (o *ociReceiver) output(map[string]string) (io.WriteCloser, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started {
		return nil, errors.New("verify: the OCI exporter opened its output twice")
	}
	o.started = true
	pr, pw := io.Pipe()
	o.pw = pw
	go func() {
		_, err := extractTar(pr, o.dir, o.lim, false)
		if err != nil {
			pr.CloseWithError(err) // fail BuildKit's writes, so the export fails
		} else {
			_, _ = io.Copy(io.Discard, pr) // the tar may end before the stream does
		}
		o.done <- err
	}()
	return pw, nil
}

// finish waits for the extraction. It is called after Solve returns; if
// BuildKit did not close the writer (a failed export), closing it here
// ends the extractor.
func (o *ociReceiver) finish() error {
	o.mu.Lock()
	started, pw := o.started, o.pw
	o.mu.Unlock()
	if !started {
		return errors.New("BuildKit exported no image")
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	if err := <-o.done; err != nil {
		return fmt.Errorf("unpacking the exported OCI tarball: %w", err)
	}
	return nil
}

// image opens the single image of the exported layout for platform
// ("os/arch[/variant]"), skipping attestation manifests.
func (o *ociReceiver) image(platform string) (v1.Image, error) {
	idx, err := layout.ImageIndexFromPath(o.dir)
	if err != nil {
		return nil, fmt.Errorf("reading the exported OCI layout: %w", err)
	}
	want, err := v1.ParsePlatform(platform)
	if err != nil {
		return nil, fmt.Errorf("parsing platform %q: %w", platform, err)
	}
	img, err := pickImage(idx, want, 0)
	if err != nil {
		return nil, err
	}
	return img, nil
}

// ImageFromIndex returns the image an OCI index (as BuildKit's OCI exporter
// writes it) holds for the platform want (nil: the first one), descending
// into nested indexes and skipping attestation manifests.
func ImageFromIndex(idx v1.ImageIndex, want *v1.Platform) (v1.Image, error) {
	return pickImage(idx, want, 0)
}

func pickImage(idx v1.ImageIndex, want *v1.Platform, depth int) (v1.Image, error) {
	if depth > 4 {
		return nil, errors.New("OCI index nesting too deep")
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading OCI index: %w", err)
	}
	for _, d := range im.Manifests {
		switch d.MediaType {
		case types.OCIImageIndex, types.DockerManifestList:
			child, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return nil, fmt.Errorf("opening index %s: %w", d.Digest, err)
			}
			if img, err := pickImage(child, want, depth+1); err == nil {
				return img, nil
			}
		case types.OCIManifestSchema1, types.DockerManifestSchema2:
			if d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
				continue
			}
			if d.Platform != nil && want != nil && !d.Platform.Satisfies(*want) {
				continue
			}
			img, err := idx.Image(d.Digest)
			if err != nil {
				return nil, fmt.Errorf("opening image %s: %w", d.Digest, err)
			}
			return img, nil
		}
	}
	return nil, fmt.Errorf("no image for %s in the exported OCI layout", want)
}
