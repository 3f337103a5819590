package verify

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The classic broken Python conversion (distroless.md §3.2): pip installs
// into the build stage's system site-packages, the final stage copies only
// the application, and the first import dies with ModuleNotFoundError.
// Nothing about the converted image alone says so; comparing it with the
// original does. The packages checked are the ones the build installs
// (Expectation.PythonPackages, from the proposal): a package the original
// image has must be installed somewhere in the converted image too.

// pythonDist is one installed distribution: its metadata directory.
type pythonDist struct {
	Name    string // PEP 503 normalised
	Version string
	Dir     string // the site-packages or dist-packages directory
}

var distMeta = regexp.MustCompile(`^(.*/(?:site|dist)-packages)/([^/]+)\.(?:dist-info|egg-info)$`)

// parseDistDir splits "greeting-1.0.dist-info" style names.
func parseDistDir(sitePackages, base string) pythonDist {
	name, version, _ := strings.Cut(base, "-")
	if i := strings.Index(version, "-py"); i >= 0 {
		version = version[:i] // egg-info: name-1.0-py3.13
	}
	return pythonDist{Name: normalizeDist(name), Version: version, Dir: sitePackages}
}

func normalizeDist(name string) string {
	return strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(name))
}

// pythonDists lists the distributions installed in img, reading only tar
// headers (the original image can be large), with whiteouts applied.
func pythonDists(ctx context.Context, img v1.Image, lim FSLimits) (map[string]pythonDist, error) {
	lim = lim.withDefaults()
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	found := map[string]pythonDist{} // metadata directory path → dist
	entries := 0
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		added := map[string]pythonDist{}
		var removed, opaque []string
		err := func() error {
			rc, err := l.Uncompressed()
			if err != nil {
				return err
			}
			defer rc.Close()
			tr := tar.NewReader(rc)
			for {
				hdr, err := tr.Next()
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if entries++; entries > lim.MaxEntries {
					return fmt.Errorf("image has more than %d entries", lim.MaxEntries)
				}
				name := strings.TrimSuffix(cleanImagePath(hdr.Name), "/")
				base := path.Base(name)
				switch {
				case base == opaqueMarker:
					opaque = append(opaque, path.Dir(name))
					continue
				case strings.HasPrefix(base, whiteoutPrefix):
					removed = append(removed, path.Join(path.Dir(name), strings.TrimPrefix(base, whiteoutPrefix)))
					continue
				}
				// The metadata directory itself, or any file inside it.
				for p := name; p != "/" && p != "."; p = path.Dir(p) {
					if m := distMeta.FindStringSubmatch(p); m != nil {
						added[p] = parseDistDir(m[1], m[2])
						break
					}
					if strings.HasSuffix(path.Base(p), "-packages") {
						break
					}
				}
			}
		}()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		for p := range found {
			for _, r := range removed {
				if p == r || strings.HasPrefix(p, r+"/") {
					delete(found, p)
				}
			}
			for _, d := range opaque {
				if strings.HasPrefix(p, d+"/") {
					delete(found, p)
				}
			}
		}
		for p, d := range added {
			found[p] = d
		}
	}
	byName := map[string]pythonDist{}
	for _, d := range found {
		if prev, ok := byName[d.Name]; !ok || d.Dir < prev.Dir {
			byName[d.Name] = d
		}
	}
	return byName, nil
}

// checkPythonPackages compares the declared packages the original image
// has with the converted image's.
func checkPythonPackages(declared []string, orig, conv map[string]pythonDist) []Check {
	var checks []Check
	var kept []string
	for _, name := range declared {
		name = normalizeDist(name)
		o, inOrig := orig[name]
		if !inOrig {
			continue // not installed by the original either (markers, extras)
		}
		if _, ok := conv[name]; ok {
			kept = append(kept, name)
			continue
		}
		v := ""
		if o.Version != "" {
			v = " " + o.Version
		}
		checks = append(checks, Check{Name: "python-packages", Status: Fail, Subject: name,
			Detail: fmt.Sprintf("%s%s is installed in the original image (%s) but nowhere in the converted image: importing it fails with ModuleNotFoundError (were the packages installed outside the copied venv or directory?)", name, v, o.Dir)})
	}
	if len(checks) == 0 && len(kept) > 0 {
		sort.Strings(kept)
		checks = append(checks, Check{Name: "python-packages", Status: Pass,
			Detail: fmt.Sprintf("the %d installed packages the build names are in the converted image too: %s", len(kept), strings.Join(kept, ", "))})
	}
	return checks
}
