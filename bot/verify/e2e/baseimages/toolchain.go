package baseimages

import (
	"archive/zip"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// dockerfiles holds the recipes of the language builder images.
//
//go:embed dockerfiles/*.Dockerfile
var dockerfiles embed.FS

// unzipToolchain extracts a golang.org/toolchain module zip into dst as a
// GOROOT. Module zips carry no file modes, so, like the go command does
// when it runs a downloaded toolchain, mark bin/ and pkg/tool/ executable.
func unzipToolchain(file, dst string) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return fmt.Errorf("opening %s: %w", file, err)
	}
	defer zr.Close()
	n := 0
	prefix := "golang.org/toolchain@v0.0.1-go" + GoVersion + ".linux-amd64/"
	for _, f := range zr.File {
		rel, ok := strings.CutPrefix(f.Name, prefix)
		if !ok {
			return fmt.Errorf("unexpected member %q in %s", f.Name, file)
		}
		if rel == "" || strings.HasSuffix(rel, "/") {
			continue
		}
		if strings.Contains(rel, "..") {
			return fmt.Errorf("unsafe member %q in %s", f.Name, file)
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(rel, "bin/") || strings.HasPrefix(rel, "pkg/tool/") {
			mode = 0o755
		}
		p := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := extractZipFile(f, p, mode); err != nil {
			return err
		}
		n++
	}
	if _, err := os.Stat(filepath.Join(dst, "bin", "go")); err != nil || n < 1000 {
		return fmt.Errorf("%s does not look like a Go toolchain (%d files)", file, n)
	}
	return nil
}

func extractZipFile(f *zip.File, p string, mode os.FileMode) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
