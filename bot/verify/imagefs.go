package verify

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The merged view of an image's layers, built without touching the host
// filesystem: a tree of nodes in memory, with file contents appended to one
// unlinked spool file so that checks can read any file (ELF parsing and zip
// reading need random access) without re-decompressing layers.
//
// Layers are applied as an overlay upper directory would be: a whiteout
// ".wh.<name>" removes <name> from the layers below, ".wh..wh..opq" empties
// its directory of everything from the layers below, an entry replaces a
// lower entry of another kind, and a missing parent is created as a directory
// (replacing a lower non-directory, as extracting the layer into an empty
// upper directory would).

type nodeKind uint8

const (
	kindDir nodeKind = iota
	kindFile
	kindSymlink
	kindOther // devices and FIFOs: present, but never runnable
)

func (k nodeKind) String() string {
	switch k {
	case kindDir:
		return "directory"
	case kindFile:
		return "file"
	case kindSymlink:
		return "symlink"
	}
	return "special file"
}

type node struct {
	kind     nodeKind
	mode     fs.FileMode // permission bits plus setuid/setgid/sticky
	uid, gid int
	size     int64
	off      int64  // content offset in the spool (kindFile)
	link     string // symlink target (kindSymlink)
	layer    int    // index of the layer that wrote this node
	children map[string]*node
}

// imageFS is the merged filesystem of one image.
type imageFS struct {
	root       *node
	spool      *os.File
	spoolSize  int64
	entries    int
	LayerSizes []int64 // uncompressed tar stream size of each layer
}

// FSLimits bounds the work and disk an image inspection may use.
type FSLimits struct {
	MaxBytes   int64 // total uncompressed layer bytes; default 8 GiB
	MaxEntries int   // total tar entries over all layers; default 2 000 000
}

func (l FSLimits) withDefaults() FSLimits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 8 << 30
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = 2_000_000
	}
	return l
}

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

func newDir(layer int) *node {
	return &node{kind: kindDir, mode: 0o755, layer: layer, children: map[string]*node{}}
}

// loadImageFS merges the layers of img. tempDir holds the spool ("" = the
// system default); the spool is unlinked at once and freed by Close.
func loadImageFS(ctx context.Context, img v1.Image, tempDir string, lim FSLimits) (*imageFS, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing layers: %w", err)
	}
	spool, err := os.CreateTemp(tempDir, "distill-verify-fs-*")
	if err != nil {
		return nil, fmt.Errorf("creating spool: %w", err)
	}
	_ = os.Remove(spool.Name()) // the open descriptor keeps it alive; nothing to clean up later
	f := &imageFS{root: newDir(-1), spool: spool}
	lim = lim.withDefaults()
	budget := lim.MaxBytes
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			f.Close()
			return nil, err
		}
		n, err := f.applyLayer(i, l, &budget, lim)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		f.LayerSizes = append(f.LayerSizes, n)
	}
	return f, nil
}

// Close releases the spool.
func (f *imageFS) Close() error {
	if f == nil || f.spool == nil {
		return nil
	}
	err := f.spool.Close()
	f.spool = nil
	return err
}

// pendingEntry is one tar entry of the layer being applied: whiteouts must
// act on the layers below only, so a layer is read completely (contents go to
// the spool) before anything in it changes the tree.
type pendingEntry struct {
	name string
	hdr  tar.Header
	off  int64
}

func (f *imageFS) applyLayer(idx int, l v1.Layer, budget *int64, lim FSLimits) (int64, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return 0, fmt.Errorf("opening: %w", err)
	}
	defer rc.Close()
	cr := &countingReader{r: rc, limit: *budget}
	tr := tar.NewReader(cr)
	var pending []pendingEntry
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if cr.exceeded {
				return 0, fmt.Errorf("image larger than the inspection limit of %d bytes", lim.MaxBytes)
			}
			return 0, fmt.Errorf("reading tar: %w", err)
		}
		f.entries++
		if f.entries > lim.MaxEntries {
			return 0, fmt.Errorf("image has more than %d entries", lim.MaxEntries)
		}
		name := cleanImagePath(hdr.Name)
		if name == "/" && hdr.Typeflag != tar.TypeDir {
			continue
		}
		pe := pendingEntry{name: name, hdr: *hdr}
		if hdr.Typeflag == tar.TypeReg && hdr.Size > 0 {
			pe.off = f.spoolSize
			n, err := io.Copy(io.NewOffsetWriter(f.spool, f.spoolSize), tr)
			f.spoolSize += n
			if err != nil {
				if cr.exceeded {
					return 0, fmt.Errorf("image larger than the inspection limit of %d bytes", lim.MaxBytes)
				}
				return 0, fmt.Errorf("reading %s: %w", name, err)
			}
			pe.hdr.Size = n
		}
		pending = append(pending, pe)
	}
	// Count the tar's trailing blocks too: the uncompressed size is the stream's.
	if _, err := io.Copy(io.Discard, cr); err != nil && !cr.exceeded {
		return 0, fmt.Errorf("reading tar trailer: %w", err)
	}
	if cr.exceeded {
		return 0, fmt.Errorf("image larger than the inspection limit of %d bytes", lim.MaxBytes)
	}
	*budget -= cr.n

	for _, pe := range pending {
		base := path.Base(pe.name)
		if base == opaqueMarker {
			if d := f.lookupNoFollow(path.Dir(pe.name)); d != nil && d.kind == kindDir {
				for k, c := range d.children {
					if c.layer < idx {
						delete(d.children, k)
					}
				}
			}
		} else if strings.HasPrefix(base, whiteoutPrefix) {
			f.remove(path.Join(path.Dir(pe.name), strings.TrimPrefix(base, whiteoutPrefix)), idx)
		}
	}
	for _, pe := range pending {
		base := path.Base(pe.name)
		if strings.HasPrefix(base, whiteoutPrefix) {
			continue
		}
		f.put(idx, pe)
	}
	return cr.n, nil
}

// remove deletes name if it came from a lower layer.
func (f *imageFS) remove(name string, idx int) {
	parent := f.lookupNoFollow(path.Dir(name))
	if parent == nil || parent.kind != kindDir {
		return
	}
	if c, ok := parent.children[path.Base(name)]; ok && c.layer < idx {
		delete(parent.children, path.Base(name))
	}
}

// put inserts one entry, creating missing parents as directories.
func (f *imageFS) put(idx int, pe pendingEntry) {
	if pe.name == "/" {
		f.root.mode = fs.FileMode(pe.hdr.Mode) & (fs.ModePerm)
		return
	}
	parent := f.root
	comps := strings.Split(strings.TrimPrefix(path.Dir(pe.name), "/"), "/")
	for _, c := range comps {
		if c == "" {
			continue
		}
		next := parent.children[c]
		if next == nil || next.kind != kindDir {
			next = newDir(idx)
			parent.children[c] = next
		}
		parent = next
	}
	base := path.Base(pe.name)
	h := pe.hdr
	n := &node{
		mode:  fileModeFromTar(h.Mode),
		uid:   h.Uid,
		gid:   h.Gid,
		layer: idx,
	}
	switch h.Typeflag {
	case tar.TypeDir:
		if old := parent.children[base]; old != nil && old.kind == kindDir {
			// Directories merge: keep the children, take the new metadata.
			old.mode, old.uid, old.gid, old.layer = n.mode, n.uid, n.gid, idx
			return
		}
		n.kind = kindDir
		n.children = map[string]*node{}
	case tar.TypeReg:
		n.kind = kindFile
		n.size = h.Size
		n.off = pe.off
	case tar.TypeSymlink:
		n.kind = kindSymlink
		n.link = h.Linkname
	case tar.TypeLink:
		// A hard link shares the content of a file already in the tree.
		target := f.lookupNoFollow(cleanImagePath(h.Linkname))
		if target == nil || target.kind != kindFile {
			return // dangling hard link: the runtime would fail to apply it; leave the path absent
		}
		n.kind = kindFile
		n.size, n.off = target.size, target.off
		n.mode, n.uid, n.gid = target.mode, target.uid, target.gid
	default:
		n.kind = kindOther
	}
	parent.children[base] = n
}

func fileModeFromTar(m int64) fs.FileMode {
	mode := fs.FileMode(m) & fs.ModePerm
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// cleanImagePath makes a tar name absolute and clean; ".." cannot climb above
// the image root, just as it cannot inside a container.
func cleanImagePath(name string) string {
	return path.Clean("/" + name)
}

// lookupNoFollow finds an absolute clean path without following symlinks.
func (f *imageFS) lookupNoFollow(p string) *node {
	cur := f.root
	for _, c := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		if c == "" {
			continue
		}
		if cur.kind != kindDir {
			return nil
		}
		cur = cur.children[c]
		if cur == nil {
			return nil
		}
	}
	return cur
}

// open returns a reader over a regular file's content.
func (f *imageFS) open(n *node) *io.SectionReader {
	return io.NewSectionReader(f.spool, n.off, n.size)
}

// readHead reads up to max bytes from the start of a file.
func (f *imageFS) readHead(n *node, max int) ([]byte, error) {
	size := n.size
	if size > int64(max) {
		size = int64(max)
	}
	buf := make([]byte, size)
	_, err := io.ReadFull(io.NewSectionReader(f.spool, n.off, size), buf)
	if err != nil {
		return nil, err
	}
	return buf, nil
}

// readSmall reads a whole file, refusing files larger than max.
func (f *imageFS) readSmall(n *node, max int64) ([]byte, error) {
	if n.size > max {
		return nil, fmt.Errorf("file is %d bytes, more than the %d this check reads", n.size, max)
	}
	return f.readHead(n, int(max))
}

// list returns the sorted names in a directory node.
func (n *node) list() []string {
	names := make([]string, 0, len(n.children))
	for k := range n.children {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// countingReader counts bytes and fails past limit.
type countingReader struct {
	r        io.Reader
	n, limit int64
	exceeded bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		c.exceeded = true
		return n, fmt.Errorf("inspection byte limit exceeded")
	}
	return n, err
}
