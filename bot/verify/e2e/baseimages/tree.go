package baseimages

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// epoch is the modification time given to generated files, so that layers
// built from the same inputs are byte-identical.
var epoch = time.Unix(0, 0).UTC()

// entry is one file-system object destined for a layer.
type entry struct {
	hdr  tar.Header
	data []byte
}

// tree is an in-memory file system keyed by clean relative paths ("usr/bin").
// Later writes to a path replace earlier ones, which is how generated files
// override what packages ship (for example /etc/os-release).
type tree struct {
	m map[string]*entry
}

func newTree() *tree { return &tree{m: map[string]*entry{}} }

// clean turns an archive member name into the tree's key: relative, no
// leading "./" or "/", no trailing slash. It returns "" for the root.
func clean(name string) string {
	name = path.Clean("/" + name)
	return strings.TrimPrefix(name, "/")
}

func (t *tree) get(p string) (*entry, bool) {
	e, ok := t.m[clean(p)]
	return e, ok
}

// put stores hdr (and data for regular files) at hdr.Name, creating missing
// parent directories with mode 0755.
func (t *tree) put(hdr tar.Header, data []byte) {
	name := clean(hdr.Name)
	if name == "" {
		return
	}
	t.parents(name)
	hdr.Name = name
	if hdr.Typeflag == tar.TypeReg {
		hdr.Size = int64(len(data))
	} else {
		hdr.Size = 0
		data = nil
	}
	if old, ok := t.m[name]; ok && old.hdr.Typeflag == tar.TypeDir && hdr.Typeflag == tar.TypeDir {
		// Packages re-list shared directories; keep the first owner/mode
		// unless the caller explicitly rewrites them with dir().
		return
	}
	if hdr.Typeflag != tar.TypeDir {
		t.removeChildren(name)
	}
	t.m[name] = &entry{hdr: hdr, data: data}
}

func (t *tree) parents(name string) {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if e, ok := t.m[dir]; ok {
			if e.hdr.Typeflag == tar.TypeDir {
				return
			}
			delete(t.m, dir) // a directory replaces a non-directory
		}
		t.m[dir] = &entry{hdr: tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX}}
	}
}

func (t *tree) removeChildren(name string) {
	prefix := name + "/"
	for k := range t.m {
		if strings.HasPrefix(k, prefix) {
			delete(t.m, k)
		}
	}
}

// remove deletes p and everything below it.
func (t *tree) remove(p string) {
	p = clean(p)
	delete(t.m, p)
	t.removeChildren(p)
}

// dir creates or rewrites a directory with the given mode and owner.
func (t *tree) dir(p string, mode int64, uid, gid int) {
	name := clean(p)
	t.parents(name)
	t.m[name] = &entry{hdr: tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: mode, Uid: uid, Gid: gid, ModTime: epoch, Format: tar.FormatPAX}}
}

// file writes a root-owned regular file.
func (t *tree) file(p string, mode int64, data []byte) {
	t.put(tar.Header{Name: p, Typeflag: tar.TypeReg, Mode: mode, ModTime: epoch, Format: tar.FormatPAX}, data)
}

// symlink writes a symbolic link p -> target.
func (t *tree) symlink(p, target string) {
	t.put(tar.Header{Name: p, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777, ModTime: epoch, Format: tar.FormatPAX}, nil)
}

// paths returns every path in sorted order; sorting puts each directory
// before its children.
func (t *tree) paths() []string {
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeTar writes the tree as an uncompressed tar stream.
func (t *tree) writeTar(w io.Writer) error {
	tw := tar.NewWriter(w)
	for _, k := range t.paths() {
		e := t.m[k]
		hdr := e.hdr
		if hdr.Typeflag == tar.TypeDir {
			hdr.Name += "/"
		}
		hdr.Uname, hdr.Gname = "", ""
		if hdr.Format == tar.FormatUnknown {
			hdr.Format = tar.FormatPAX
		}
		if err := tw.WriteHeader(&hdr); err != nil {
			return fmt.Errorf("writing tar header for %s: %w", k, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := tw.Write(e.data); err != nil {
				return fmt.Errorf("writing %s: %w", k, err)
			}
		}
	}
	return tw.Close()
}

// layer compresses the tree once into file and returns it as a layer whose
// compressed blob is that file (tarball would otherwise recompress on every
// read).
func (t *tree) layer(file string) (v1.Layer, error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("creating layer file: %w", err)
	}
	zw, err := gzip.NewWriterLevel(f, gzip.DefaultCompression)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := t.writeTar(zw); err != nil {
		f.Close()
		return nil, err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return nil, fmt.Errorf("compressing layer: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("closing layer file: %w", err)
	}
	l, err := tarball.LayerFromFile(file)
	if err != nil {
		return nil, fmt.Errorf("opening layer %s: %w", file, err)
	}
	return l, nil
}

// readTar adds every member of an uncompressed tar stream to the tree after
// mapping its name with rename; rename returns "" to drop a member.
// Hard links are materialized as copies because sorting can reorder them
// before their target.
func (t *tree) readTar(r io.Reader, rename func(string) string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading tar: %w", err)
		}
		name := rename(clean(hdr.Name))
		if name == "" {
			continue
		}
		h := *hdr
		h.Name = name
		h.Format = tar.FormatPAX
		h.PAXRecords = nil
		switch hdr.Typeflag {
		case tar.TypeDir, tar.TypeSymlink:
			t.put(h, nil)
		case tar.TypeReg, tar.TypeRegA:
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, tr); err != nil {
				return fmt.Errorf("reading %s: %w", hdr.Name, err)
			}
			h.Typeflag = tar.TypeReg
			t.put(h, buf.Bytes())
		case tar.TypeLink:
			target := rename(clean(hdr.Linkname))
			src, ok := t.m[target]
			if !ok || src.hdr.Typeflag != tar.TypeReg {
				return fmt.Errorf("hard link %s to missing %s", hdr.Name, hdr.Linkname)
			}
			h.Typeflag = tar.TypeReg
			h.Linkname = ""
			t.put(h, src.data)
		default:
			// Device nodes and FIFOs have no place in an image layer.
		}
	}
}

// materialize writes the tree to dir (directories, regular files and
// symlinks; ownership is not applied). Used to run host tools such as
// ldconfig over an image root.
func (t *tree) materialize(dir string) error {
	for _, k := range t.paths() {
		e := t.m[k]
		p := filepath.Join(dir, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		switch e.hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.Symlink(e.hdr.Linkname, p); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.WriteFile(p, e.data, os.FileMode(e.hdr.Mode)&0o777); err != nil {
				return err
			}
		}
	}
	return nil
}

// readTgz adds the members of a gzip-compressed tarball (an npm package)
// to t, names unchanged.
func readTgz(file string, t *tree) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	defer zr.Close()
	return t.readTar(zr, func(n string) string { return n })
}
