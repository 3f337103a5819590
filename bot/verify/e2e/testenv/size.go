package testenv

import (
	"fmt"
	"io"
	"sync"

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

// uncompressedSizes memoizes layer sizes by compressed digest: builder
// base layers recur in many images and decompressing them is the slow part.
var uncompressedSizes sync.Map // v1.Hash -> int64

// ImageSize measures img. Uncompressed sizes are not in the manifest, so
// every layer not measured before is decompressed and counted.
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
		d, err := l.Digest()
		if err != nil {
			return s, err
		}
		if u, ok := uncompressedSizes.Load(d); ok {
			s.Uncompressed += u.(int64)
			continue
		}
		rc, err := l.Uncompressed()
		if err != nil {
			return s, err
		}
		u, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return s, fmt.Errorf("reading layer: %w", err)
		}
		uncompressedSizes.Store(d, u)
		s.Uncompressed += u
	}
	return s, nil
}
