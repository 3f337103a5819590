package verify

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Errors returned (wrapped) by ExtractTarball; test them with errors.Is.
var (
	// ErrUnsafePath: an entry name is absolute, contains "..", leaves the
	// archive's top-level directory, or would be written through a symlink.
	ErrUnsafePath = errors.New("unsafe path in archive")
	// ErrUnsafeLink: a symlink or hard link points outside the extraction root.
	ErrUnsafeLink = errors.New("link points outside the archive")
	// ErrUnsupportedEntry: device, FIFO, sparse or unknown entry types.
	ErrUnsupportedEntry = errors.New("unsupported archive entry")
	// ErrLimitExceeded: the archive has more files or bytes than allowed.
	ErrLimitExceeded = errors.New("archive limit exceeded")
	// ErrDuplicateEntry: the same path appears twice; refusing it means no
	// entry can replace a symlink that an earlier entry created.
	ErrDuplicateEntry = errors.New("duplicate archive entry")
)

// ExtractLimits bounds what ExtractTarball accepts. Zero values take the
// defaults below, so the zero ExtractLimits is safe to use.
type ExtractLimits struct {
	MaxBytes int64 // sum of regular file sizes; default 512 MiB
	MaxFiles int   // entries of any kind (files, dirs, links); default 100 000
}

const (
	defaultExtractMaxBytes = 512 << 20
	defaultExtractMaxFiles = 100_000
	maxEntryNameLen        = 4096
)

func (l ExtractLimits) withDefaults() ExtractLimits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = defaultExtractMaxBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = defaultExtractMaxFiles
	}
	return l
}

// ExtractStats describes what ExtractTarball wrote.
type ExtractStats struct {
	Files int   // entries written (files, directories, links)
	Bytes int64 // bytes of regular file content
}

// ExtractTarball unpacks a GitHub repository tarball (gzip or plain tar whose
// entries all live under one top-level directory "<owner>-<repo>-<sha>/") into
// dst, stripping that directory. dst must not exist or be empty.
//
// It is written for hostile input: names that are absolute, contain "..", or
// lie outside the top-level directory are rejected; symlinks and hard links
// must point inside dst; nothing is ever written through a symlink (os.Root
// confines every operation, and paths below an extracted symlink are refused);
// device, FIFO and sparse entries are refused; modes are reduced to 0644/0755
// (no setuid, setgid or sticky bits) and ownership is not restored. Limits are
// checked before bytes are written. On error dst may hold a partial tree that
// the caller should remove.
func ExtractTarball(r io.Reader, dst string, limits ExtractLimits) (ExtractStats, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return ExtractStats{}, fmt.Errorf("reading gzip header: %w", err)
		}
		defer zr.Close()
		src = zr
	}
	return extractTar(src, dst, limits.withDefaults(), true)
}

// extractTar is the shared safe extractor. With stripTop it requires and
// removes a single top-level directory (GitHub tarballs); without it the
// archive is extracted as is (BuildKit's OCI exporter output).
func extractTar(r io.Reader, dst string, lim ExtractLimits, stripTop bool) (ExtractStats, error) {
	var st ExtractStats
	if err := prepareEmptyDir(dst); err != nil {
		return st, err
	}
	root, err := os.OpenRoot(dst)
	if err != nil {
		return st, fmt.Errorf("opening extraction root: %w", err)
	}
	defer root.Close()

	// The decompressed stream may not be much larger than the content it
	// carries: headers, padding and PAX records are bounded per entry. This
	// stops a gzip bomb made of endless headers or padding.
	streamCap := lim.MaxBytes + int64(lim.MaxFiles+16)*8192
	cr := &cappedReader{r: r, left: streamCap}
	tr := tar.NewReader(cr)

	x := extractor{root: root, lim: lim, seen: map[string]byte{}}
	top := ""
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if cr.exceeded {
				return st, fmt.Errorf("%w: archive stream larger than %d bytes", ErrLimitExceeded, streamCap)
			}
			return st, fmt.Errorf("reading archive: %w", err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue // GitHub stores the commit id here; it names no file
		}
		name, err := cleanEntryName(hdr.Name)
		if err != nil {
			return st, err
		}
		if stripTop {
			first, rest, _ := strings.Cut(name, "/")
			if top == "" {
				top = first
			} else if first != top {
				return st, fmt.Errorf("%w: %q is outside the top-level directory %q", ErrUnsafePath, hdr.Name, top)
			}
			if rest == "" {
				continue // the top-level directory itself
			}
			name = rest
			if hdr.Typeflag == tar.TypeLink {
				// Hard link targets are archive names too.
				target, err := cleanEntryName(hdr.Linkname)
				if err != nil {
					return st, fmt.Errorf("%w: hard link %q → %q", ErrUnsafeLink, name, hdr.Linkname)
				}
				first, rest, _ := strings.Cut(target, "/")
				if first != top || rest == "" {
					return st, fmt.Errorf("%w: hard link %q → %q is outside the top-level directory", ErrUnsafeLink, name, hdr.Linkname)
				}
				hdr.Linkname = rest
			}
		}
		if err := x.entry(hdr, name, tr, &st); err != nil {
			if cr.exceeded {
				return st, fmt.Errorf("%w: archive stream larger than %d bytes", ErrLimitExceeded, streamCap)
			}
			return st, err
		}
	}
	return st, nil
}

// prepareEmptyDir creates dst (0700) or checks that it is an empty directory,
// so every path in it afterwards came from the archive.
func prepareEmptyDir(dst string) error {
	ents, err := os.ReadDir(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dst, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", dst, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("reading %s: %w", dst, err)
	case len(ents) > 0:
		return fmt.Errorf("extraction directory %s is not empty", dst)
	}
	return nil
}

// cleanEntryName rejects rather than repairs suspicious names: an archive
// that needs cleaning to be safe was not made by a well-behaved tool.
func cleanEntryName(name string) (string, error) {
	if len(name) > maxEntryNameLen {
		return "", fmt.Errorf("%w: name longer than %d bytes", ErrUnsafePath, maxEntryNameLen)
	}
	if strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("%w: absolute name %q", ErrUnsafePath, name)
	}
	if strings.ContainsRune(name, '\\') || strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%w: name %q has a backslash or NUL", ErrUnsafePath, name)
	}
	n := strings.TrimPrefix(name, "./")
	for _, c := range strings.Split(n, "/") {
		if c == ".." {
			return "", fmt.Errorf("%w: name %q contains ..", ErrUnsafePath, name)
		}
	}
	n = path.Clean(n)
	if n == "." || n == "" {
		return "", fmt.Errorf("%w: empty name %q", ErrUnsafePath, name)
	}
	return n, nil
}

// extractor holds the per-archive state: what was written, with which kind,
// so later entries can be checked against earlier symlinks and duplicates.
type extractor struct {
	root *os.Root
	lim  ExtractLimits
	seen map[string]byte // path → tar typeflag written there
}

func (x *extractor) entry(hdr *tar.Header, name string, r io.Reader, st *ExtractStats) error {
	if st.Files+1 > x.lim.MaxFiles {
		return fmt.Errorf("%w: more than %d entries", ErrLimitExceeded, x.lim.MaxFiles)
	}
	if err := x.checkParents(name); err != nil {
		return err
	}
	if prev, ok := x.seen[name]; ok {
		// A directory may be listed again (some tools emit parents twice);
		// anything else appearing twice is refused.
		if !(prev == tar.TypeDir && hdr.Typeflag == tar.TypeDir) {
			return fmt.Errorf("%w: %q", ErrDuplicateEntry, name)
		}
		return nil
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := x.root.MkdirAll(name, 0o755); err != nil {
			return fmt.Errorf("creating directory %q: %w", name, err)
		}
	case tar.TypeReg: // archive/tar reports the old TypeRegA as TypeReg
		if hdr.Size < 0 || st.Bytes+hdr.Size > x.lim.MaxBytes {
			return fmt.Errorf("%w: %q would bring the content past %d bytes", ErrLimitExceeded, name, x.lim.MaxBytes)
		}
		if err := x.writeFile(name, hdr, r); err != nil {
			return err
		}
		st.Bytes += hdr.Size
	case tar.TypeSymlink:
		if !linkStaysInside(name, hdr.Linkname) {
			return fmt.Errorf("%w: symlink %q → %q", ErrUnsafeLink, name, hdr.Linkname)
		}
		if err := x.mkParent(name); err != nil {
			return err
		}
		if err := x.root.Symlink(hdr.Linkname, name); err != nil {
			return fmt.Errorf("creating symlink %q: %w", name, err)
		}
	case tar.TypeLink:
		target, err := cleanEntryName(hdr.Linkname)
		if err != nil {
			return fmt.Errorf("%w: hard link %q → %q", ErrUnsafeLink, name, hdr.Linkname)
		}
		if x.seen[target] != tar.TypeReg {
			return fmt.Errorf("%w: hard link %q → %q: target is not a regular file extracted earlier", ErrUnsafeLink, name, hdr.Linkname)
		}
		if err := x.mkParent(name); err != nil {
			return err
		}
		if err := x.root.Link(target, name); err != nil {
			return fmt.Errorf("creating hard link %q: %w", name, err)
		}
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return fmt.Errorf("%w: %q is a device or FIFO", ErrUnsupportedEntry, name)
	case tar.TypeGNUSparse:
		return fmt.Errorf("%w: %q is a sparse file", ErrUnsupportedEntry, name)
	default:
		return fmt.Errorf("%w: %q has type %q", ErrUnsupportedEntry, name, hdr.Typeflag)
	}
	typ := hdr.Typeflag
	if typ == tar.TypeLink {
		typ = tar.TypeReg
	}
	x.seen[name] = typ
	st.Files++
	return nil
}

// checkParents refuses a path below anything that is not a directory we
// created: writing below an extracted symlink would land wherever it points.
func (x *extractor) checkParents(name string) error {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if t, ok := x.seen[dir]; ok && t != tar.TypeDir {
			return fmt.Errorf("%w: %q lies below %q, which is not a directory", ErrUnsafePath, name, dir)
		}
	}
	return nil
}

func (x *extractor) mkParent(name string) error {
	if dir := path.Dir(name); dir != "." {
		if err := x.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("creating directory %q: %w", dir, err)
		}
	}
	return nil
}

func (x *extractor) writeFile(name string, hdr *tar.Header, r io.Reader) error {
	if err := x.mkParent(name); err != nil {
		return err
	}
	perm := fs.FileMode(0o644)
	if hdr.Mode&0o111 != 0 {
		perm = 0o755
	}
	// O_EXCL: never follow or replace an existing path, symlink or not.
	f, err := x.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("creating %q: %w", name, err)
	}
	n, err := io.Copy(f, io.LimitReader(r, hdr.Size))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %q: %w", name, err)
	}
	if n != hdr.Size {
		return fmt.Errorf("writing %q: archive truncated after %d of %d bytes", name, n, hdr.Size)
	}
	return nil
}

// linkStaysInside reports whether a symlink target stays inside the root
// whatever the other links in the tree are. Absolute targets are refused: on
// the host they point outside, whatever they mean inside a container. ".."
// is accepted only at the start of the target: there it climbs real
// directories (nothing is extracted below a symlink), so counting is exact;
// after a name that may itself be a symlink (say "L" → "."), "L/../.." would
// climb further than it looks.
func linkStaysInside(name, target string) bool {
	if target == "" || strings.HasPrefix(target, "/") || strings.ContainsRune(target, 0) {
		return false
	}
	depth := strings.Count(name, "/") // real directories above the link
	descended := false
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "", ".":
		case "..":
			if descended {
				return false
			}
			depth--
			if depth < 0 {
				return false
			}
		default:
			descended = true
		}
	}
	return true
}

// cappedReader fails once more than left bytes have been read.
type cappedReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.exceeded = true
		return 0, ErrLimitExceeded
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
