package baseimages

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// download fetches url into dst atomically, verifying the digest when algo
// is "sha256" (hex) or "sha512" (base64, as npm's integrity field).
func download(ctx context.Context, url, dst, algo, want string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return fmt.Errorf("downloading %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("downloading %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var h hash.Hash
	switch algo {
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	case "":
	default:
		return fmt.Errorf("unknown digest algorithm %q", algo)
	}
	var w io.Writer = tmp
	if h != nil {
		w = io.MultiWriter(tmp, h)
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		tmp.Close()
		return fmt.Errorf("downloading %s: %w", url, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if h != nil {
		var got string
		if algo == "sha256" {
			got = hex.EncodeToString(h.Sum(nil))
		} else {
			got = base64.StdEncoding.EncodeToString(h.Sum(nil))
		}
		if got != want {
			return fmt.Errorf("downloading %s: %s digest %s, want %s", url, algo, got, want)
		}
	}
	return os.Rename(tmp.Name(), dst)
}
