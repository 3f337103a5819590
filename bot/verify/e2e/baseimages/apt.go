package baseimages

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mirror is the Debian archive every image and every RUN step uses.
const Mirror = "http://deb.debian.org/debian"

// SecurityMirror serves the -security suites.
const SecurityMirror = "http://deb.debian.org/debian-security"

// sourcesFor returns the one-line-style sources.list for a suite, the same
// three suites the official debian images enable.
func sourcesFor(suite string) string {
	return fmt.Sprintf("deb %[1]s %[3]s main\ndeb %[1]s %[3]s-updates main\ndeb %[2]s %[3]s-security main\n", Mirror, SecurityMirror, suite)
}

// aptMu serializes apt-get runs: they share lists and pkgcache.bin, and
// run with Debug::NoLocking because the directories are private.
var aptMu sync.Mutex

// listsMaxAge is how long downloaded package lists are trusted before a run
// refreshes them.
const listsMaxAge = 24 * time.Hour

// apt drives the host's apt-get against a private configuration (sources,
// state and cache under dir), so that the host's own apt setup is neither
// used nor modified. It only resolves and downloads: nothing is installed.
type apt struct {
	suite string
	dir   string
}

func newApt(cacheDir, suite string) *apt {
	return &apt{suite: suite, dir: filepath.Join(cacheDir, "apt", suite)}
}

func (a *apt) opts() []string {
	return []string{
		"-o", "Dir::Etc::sourcelist=" + filepath.Join(a.dir, "sources.list"),
		"-o", "Dir::Etc::sourceparts=-",
		"-o", "Dir::Etc::preferencesparts=-",
		"-o", "Dir::State=" + filepath.Join(a.dir, "state"),
		"-o", "Dir::State::status=" + filepath.Join(a.dir, "state", "status"),
		"-o", "Dir::Cache=" + filepath.Join(a.dir, "cache"),
		"-o", "APT::Architecture=amd64",
		"-o", "APT::Architectures=amd64",
		"-o", "Acquire::Languages=none",
		"-o", "Debug::NoLocking=1",
		"-qq",
	}
}

// update refreshes the package lists unless they are younger than
// listsMaxAge.
func (a *apt) update(ctx context.Context) error {
	aptMu.Lock()
	defer aptMu.Unlock()
	for _, d := range []string{"state/lists/partial", "cache/archives/partial", "debs"} {
		if err := os.MkdirAll(filepath.Join(a.dir, d), 0o755); err != nil {
			return err
		}
	}
	list := filepath.Join(a.dir, "sources.list")
	if b, err := os.ReadFile(list); err != nil || string(b) != sourcesFor(a.suite) {
		if err := os.WriteFile(list, []byte(sourcesFor(a.suite)), 0o644); err != nil {
			return err
		}
	}
	status := filepath.Join(a.dir, "state", "status")
	if _, err := os.Stat(status); err != nil {
		if err := os.WriteFile(status, nil, 0o644); err != nil {
			return err
		}
	}
	stamp := filepath.Join(a.dir, "updated")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < listsMaxAge {
		return nil
	}
	cmd := exec.CommandContext(ctx, "apt-get", append(a.opts(), "update")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get update for %s: %w: %s", a.suite, err, out)
	}
	return os.WriteFile(stamp, nil, 0o644)
}

// deb is one resolved package file.
type deb struct {
	Package string
	File    string // name in the pool, e.g. libc6_2.41-12_amd64.deb
	URL     string
	Size    int64
	SHA256  string
	Path    string // local path once fetched
}

// resolve maps package names to the exact files the archive currently
// offers, without dependencies: distroless images are defined by explicit
// package lists, not by dependency closures.
func (a *apt) resolve(ctx context.Context, pkgs []string) ([]deb, error) {
	aptMu.Lock()
	defer aptMu.Unlock()
	args := append(a.opts(), "download", "--print-uris")
	args = append(args, pkgs...)
	cmd := exec.CommandContext(ctx, "apt-get", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("resolving %v in %s: %w: %s", pkgs, a.suite, err, stderr.String())
	}
	var debs []deb
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// 'URL' file size SHA256:hex
		f := strings.Fields(sc.Text())
		if len(f) != 4 || !strings.HasPrefix(f[3], "SHA256:") {
			return nil, fmt.Errorf("unexpected apt-get --print-uris line %q", sc.Text())
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad size in %q: %w", sc.Text(), err)
		}
		debs = append(debs, deb{
			Package: strings.SplitN(f[1], "_", 2)[0],
			File:    f[1],
			URL:     strings.Trim(f[0], "'"),
			Size:    size,
			SHA256:  strings.TrimPrefix(f[3], "SHA256:"),
		})
	}
	if len(debs) != len(pkgs) {
		return nil, fmt.Errorf("resolved %d of %d packages %v in %s", len(debs), len(pkgs), pkgs, a.suite)
	}
	return debs, nil
}

// fetch downloads each deb into the cache unless a file with the right
// checksum is already there.
func (a *apt) fetch(ctx context.Context, debs []deb) error {
	for i := range debs {
		d := &debs[i]
		d.Path = filepath.Join(a.dir, "debs", d.File)
		if ok, _ := fileHasSHA256(d.Path, d.SHA256); ok {
			continue
		}
		if err := download(ctx, d.URL, d.Path, "sha256", d.SHA256); err != nil {
			return err
		}
	}
	return nil
}

func fileHasSHA256(path, want string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == want, nil
}

// httpClient is used for every download; the timeout bounds a stuck mirror.
var httpClient = &http.Client{Timeout: 10 * time.Minute}
