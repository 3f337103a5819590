package testenv

import (
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Size is an image's size two ways: Compressed is what a registry stores
// and a pull transfers (manifest, config and compressed layers, as
// `crane manifest` reports them); Uncompressed is the sum of the layer
// tars, close to what `docker image ls` shows.
type Size struct {
	Compressed   int64
	Uncompressed int64
}

// ImageSize measures img. Uncompressed sizes are not in the manifest, so
// every layer is decompressed and counted.
func ImageSize(img v1.Image) (Size, error) {
	var s Size
	m, err := img.Manifest()
	if err != nil {
		return s, err
	}
	raw, err := img.RawManifest()
	if err != nil {
		return s, err
	}
	s.Compressed = int64(len(raw)) + m.Config.Size
	layers, err := img.Layers()
	if err != nil {
		return s, err
	}
	for _, l := range layers {
		n, err := l.Size()
		if err != nil {
			return s, err
		}
		s.Compressed += n
		rc, err := l.Uncompressed()
		if err != nil {
			return s, err
		}
		u, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return s, fmt.Errorf("reading layer: %w", err)
		}
		s.Uncompressed += u
	}
	return s, nil
}
