package baseimages

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/distill-bot/distill/bot/verify"
)

// cacheKey hashes a recipe description into a short, filesystem-safe key.
func cacheKey(parts ...string) string {
	h := sha256.New()
	h.Write([]byte("distill-e2e/" + recipeVersion + "\n"))
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// imageCache stores finished images as OCI layouts, one per directory, so a
// warm run reads them instead of rebuilding.
type imageCache struct {
	dir string
}

func (c *imageCache) path(name, key string) string {
	return filepath.Join(c.dir, "images", strings.NewReplacer("/", "_", ":", "_").Replace(name)+"-"+key)
}

// load returns the cached image, or ok=false when there is none.
func (c *imageCache) load(name, key string) (v1.Image, bool, error) {
	p := c.path(name, key)
	if _, err := os.Stat(filepath.Join(p, "index.json")); err != nil {
		return nil, false, nil
	}
	img, err := readLayoutImage(p)
	if err != nil {
		return nil, false, err
	}
	return img, true, nil
}

// store writes img to the cache (atomically: a half-written layout is never
// visible under its final name) and returns the cached copy.
func (c *imageCache) store(name, key string, img v1.Image) (v1.Image, error) {
	p := c.path(name, key)
	tmp := p + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	lp, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return nil, fmt.Errorf("creating layout %s: %w", tmp, err)
	}
	if err := lp.AppendImage(img); err != nil {
		return nil, fmt.Errorf("writing %s to cache: %w", name, err)
	}
	return c.adopt(name, key, tmp)
}

// adopt moves a complete OCI layout written elsewhere (for example by a
// BuildKit export) into the cache.
func (c *imageCache) adopt(name, key, dir string) (v1.Image, error) {
	p := c.path(name, key)
	if err := os.RemoveAll(p); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	if err := os.Rename(dir, p); err != nil {
		return nil, fmt.Errorf("caching %s: %w", name, err)
	}
	return readLayoutImage(p)
}

// cached returns the image for (name, key), building and storing it on a
// miss.
func (c *imageCache) cached(ctx context.Context, name, key string, build func(context.Context) (v1.Image, error)) (v1.Image, bool, error) {
	if img, ok, err := c.load(name, key); err != nil || ok {
		return img, ok, err
	}
	img, err := build(ctx)
	if err != nil {
		return nil, false, err
	}
	img, err = c.store(name, key, img)
	return img, false, err
}

// readLayoutImage returns the single image of an OCI layout, descending
// through a nested index if the writer produced one.
func readLayoutImage(dir string) (v1.Image, error) {
	usedMu.Lock()
	used[filepath.Base(dir)] = true
	usedMu.Unlock()
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("reading layout %s: %w", dir, err)
	}
	return verify.ImageFromIndex(idx, nil)
}
