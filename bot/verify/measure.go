package verify

import (
	"context"
	"fmt"
	"io"
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// MeasureImage describes a built image: sizes, layer count and the runtime
// configuration. The compressed size is what a registry stores (config plus
// layer blobs, from the manifest); the uncompressed size is the sum of the
// layer tar streams, read in full.
func MeasureImage(ctx context.Context, img v1.Image) (*ImageReport, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	sizes := make([]int64, 0, len(layers))
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := uncompressedSize(l)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		sizes = append(sizes, n)
	}
	return measure(img, sizes)
}

func uncompressedSize(l v1.Layer) (int64, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}

// measure fills an ImageReport from the manifest and config, with the
// uncompressed layer sizes already known (the inspection reads every layer
// anyway, so the converted image is decompressed once).
func measure(img v1.Image, layerSizes []int64) (*ImageReport, error) {
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	d, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing digest: %w", err)
	}
	rep := &ImageReport{
		Built:          true,
		Digest:         d.String(),
		CompressedSize: m.Config.Size,
		Layers:         len(m.Layers),
		User:           cf.Config.User,
		Entrypoint:     nonNil(cf.Config.Entrypoint),
		Cmd:            nonNil(cf.Config.Cmd),
		WorkingDir:     cf.Config.WorkingDir,
		Env:            nonNil(cf.Config.Env),
		ExposedPorts:   []string{},
	}
	if cf.OS != "" || cf.Architecture != "" {
		rep.Platform = cf.OS + "/" + cf.Architecture
		if cf.Variant != "" {
			rep.Platform += "/" + cf.Variant
		}
	}
	for _, l := range m.Layers {
		rep.CompressedSize += l.Size
	}
	for _, n := range layerSizes {
		rep.UncompressedSize += n
	}
	for p := range cf.Config.ExposedPorts {
		rep.ExposedPorts = append(rep.ExposedPorts, p)
	}
	sort.Strings(rep.ExposedPorts)
	return rep, nil
}

// nonNil keeps JSON arrays as [] rather than null, so consumers need not
// tell "unset" from "empty".
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string{}, s...)
}
