package verify

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// entry is one raw tar entry for the extraction tests; names are written
// exactly as given, so hostile archives can be made.
type entry struct {
	name     string
	typ      byte
	mode     int64
	body     string
	linkname string
	size     int64 // overrides len(body) in the header when set
}

func makeTar(t testing.TB, gz bool, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	tw := tar.NewWriter(w)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: mode, Linkname: e.linkname, Format: tar.FormatPAX}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
			if e.size != 0 {
				h.Size = e.size
			}
		}
		if typ == tar.TypeXGlobalHeader {
			h = &tar.Header{Typeflag: typ, Name: e.name, PAXRecords: map[string]string{"comment": "0123456789abcdef"}, Format: tar.FormatPAX}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatalf("header %q: %v", e.name, err)
		}
		if typ == tar.TypeReg && e.body != "" {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// tree lists what is under dir: "path kind mode" lines, sorted.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out = append(out, rel+" -> "+target)
		case info.IsDir():
			out = append(out, rel+"/ "+info.Mode().Perm().String())
		default:
			out = append(out, rel+" "+info.Mode().String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

const top = "octo-repo-0123abc/"

func TestExtractGitHubTarball(t *testing.T) {
	t.Parallel()
	data := makeTar(t, true,
		entry{name: "pax_global_header", typ: tar.TypeXGlobalHeader},
		entry{name: top, typ: tar.TypeDir, mode: 0o775},
		entry{name: top + "Dockerfile", body: "FROM scratch\n"},
		entry{name: top + "cmd/", typ: tar.TypeDir, mode: 0o755},
		entry{name: top + "cmd/run.sh", body: "#!/bin/sh\n", mode: 0o4755}, // setuid is dropped
		entry{name: top + "docs/README", body: "read me"},                  // parent created implicitly
		entry{name: top + "docs/link", typ: tar.TypeSymlink, linkname: "README"},
		entry{name: top + "docs/up", typ: tar.TypeSymlink, linkname: "../Dockerfile"},
		entry{name: top + "hard", typ: tar.TypeLink, linkname: top + "Dockerfile"},
	)
	dst := filepath.Join(t.TempDir(), "ctx")
	st, err := ExtractTarball(bytes.NewReader(data), dst, ExtractLimits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Dockerfile -rw-r--r--",
		"cmd/ -rwxr-xr-x",
		"cmd/run.sh -rwxr-xr-x",
		"docs/ -rwxr-xr-x",
		"docs/README -rw-r--r--",
		"docs/link -> README",
		"docs/up -> ../Dockerfile",
		"hard -rw-r--r--",
	}
	if diff := cmp.Diff(want, tree(t, dst)); diff != "" {
		t.Errorf("extracted tree (-want +got):\n%s", diff)
	}
	if st.Files != 7 || st.Bytes != int64(len("FROM scratch\n")+len("#!/bin/sh\n")+len("read me")) {
		t.Errorf("stats = %+v", st)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "hard")); string(b) != "FROM scratch\n" {
		t.Errorf("hard link content %q", b)
	}
}

func TestExtractPlainTar(t *testing.T) {
	t.Parallel()
	data := makeTar(t, false, entry{name: top + "a", body: "x"})
	dst := t.TempDir()
	if _, err := ExtractTarball(bytes.NewReader(data), dst, ExtractLimits{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a -rw-r--r--"}, tree(t, dst)); diff != "" {
		t.Error(diff)
	}
}

func TestExtractRefusesHostileArchives(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		entries []entry
		limits  ExtractLimits
		want    error
		detail  string
	}{
		{"dot-dot", []entry{{name: top + "../escape", body: "x"}}, ExtractLimits{}, ErrUnsafePath, "contains .."},
		{"dot-dot deep", []entry{{name: top + "a/../../escape", body: "x"}}, ExtractLimits{}, ErrUnsafePath, "contains .."},
		{"absolute", []entry{{name: "/etc/passwd", body: "x"}}, ExtractLimits{}, ErrUnsafePath, "absolute"},
		{"second top-level directory", []entry{{name: top + "a", body: "x"}, {name: "other/b", body: "y"}}, ExtractLimits{}, ErrUnsafePath, "outside the top-level directory"},
		{"absolute symlink", []entry{{name: top + "l", typ: tar.TypeSymlink, linkname: "/etc/passwd"}}, ExtractLimits{}, ErrUnsafeLink, "symlink"},
		{"symlink climbing out", []entry{{name: top + "a/l", typ: tar.TypeSymlink, linkname: "../../outside"}}, ExtractLimits{}, ErrUnsafeLink, "symlink"},
		{"symlink climbing through another link", []entry{
			{name: top + "L", typ: tar.TypeSymlink, linkname: "."},
			{name: top + "t", typ: tar.TypeSymlink, linkname: "L/../../etc"},
		}, ExtractLimits{}, ErrUnsafeLink, "symlink"},
		{"write through a symlink", []entry{
			{name: top + "d", typ: tar.TypeSymlink, linkname: "sub"},
			{name: top + "sub/", typ: tar.TypeDir},
			{name: top + "d/file", body: "through the link"},
		}, ExtractLimits{}, ErrUnsafePath, "not a directory"},
		{"file replacing a symlink", []entry{
			{name: top + "f", typ: tar.TypeSymlink, linkname: "g"},
			{name: top + "f", body: "x"},
		}, ExtractLimits{}, ErrDuplicateEntry, "duplicate"},
		{"hard link outside", []entry{{name: top + "h", typ: tar.TypeLink, linkname: "/etc/shadow"}}, ExtractLimits{}, ErrUnsafeLink, "hard link"},
		{"hard link to a symlink", []entry{
			{name: top + "s", typ: tar.TypeSymlink, linkname: "x"},
			{name: top + "h", typ: tar.TypeLink, linkname: top + "s"},
		}, ExtractLimits{}, ErrUnsafeLink, "not a regular file"},
		{"character device", []entry{{name: top + "null", typ: tar.TypeChar}}, ExtractLimits{}, ErrUnsupportedEntry, "device or FIFO"},
		{"block device", []entry{{name: top + "sda", typ: tar.TypeBlock}}, ExtractLimits{}, ErrUnsupportedEntry, "device or FIFO"},
		{"fifo", []entry{{name: top + "pipe", typ: tar.TypeFifo}}, ExtractLimits{}, ErrUnsupportedEntry, "device or FIFO"},
		{"too many bytes", []entry{{name: top + "a", body: "12345"}, {name: top + "b", body: "67890"}}, ExtractLimits{MaxBytes: 8}, ErrLimitExceeded, "past 8 bytes"},
		{"too many files", []entry{{name: top + "a", body: "1"}, {name: top + "b", body: "2"}, {name: top + "c", body: "3"}}, ExtractLimits{MaxFiles: 2}, ErrLimitExceeded, "more than 2 entries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := t.TempDir()
			dst := filepath.Join(base, "ctx")
			_, err := ExtractTarball(bytes.NewReader(makeTar(t, true, tc.entries...)), dst, tc.limits)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.detail) {
				t.Fatalf("err = %v, want %v with %q", err, tc.want, tc.detail)
			}
			// Nothing may appear next to dst.
			ents, _ := os.ReadDir(base)
			if len(ents) != 1 || ents[0].Name() != "ctx" {
				t.Errorf("extraction wrote outside dst: %v", ents)
			}
		})
	}
}

func TestExtractBombLimits(t *testing.T) {
	t.Parallel()
	// A header claiming more than the limit is refused before any byte is
	// written; a truncated body is an error, not a short file.
	big := makeTar(t, true, entry{name: top + "big", body: strings.Repeat("z", 1<<20)})
	dst := filepath.Join(t.TempDir(), "ctx")
	_, err := ExtractTarball(bytes.NewReader(big), dst, ExtractLimits{MaxBytes: 1000})
	if !errors.Is(err, ErrLimitExceeded) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dst, "big")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the oversized file was created")
	}

	raw := makeTar(t, false, entry{name: top + "f", body: strings.Repeat("a", 4096)})
	_, err = ExtractTarball(bytes.NewReader(raw[:1024+512]), filepath.Join(t.TempDir(), "ctx"), ExtractLimits{})
	if err == nil {
		t.Error("a truncated archive extracted without error")
	}
}

func TestExtractNeedsEmptyDestination(t *testing.T) {
	t.Parallel()
	dst := t.TempDir()
	if err := os.WriteFile(filepath.Join(dst, "existing"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ExtractTarball(bytes.NewReader(makeTar(t, true, entry{name: top + "a", body: "x"})), dst, ExtractLimits{})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("err = %v", err)
	}
}

func TestLinkStaysInside(t *testing.T) {
	t.Parallel()
	cases := map[[2]string]bool{
		{"a", "b"}:                true,
		{"a/b/l", "../../x"}:      true,
		{"a/b/l", "../../../x"}:   false,
		{"l", "./x/./y"}:          true,
		{"l", "x/../y"}:           false, // ".." after a name that may be a link
		{"a/l", "/abs"}:           false,
		{"a/l", ""}:               false,
		{"a/b/c/l", "../../d/e"}:  true,
		{"l", ".."}:               false,
		{"a/l", "../a/../../etc"}: false,
	}
	for in, want := range cases {
		if got := linkStaysInside(in[0], in[1]); got != want {
			t.Errorf("linkStaysInside(%q, %q) = %v, want %v", in[0], in[1], got, want)
		}
	}
}

func TestCheckContextDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"a", "b", "sub/c"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("1234"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	files, size, err := checkContextDir(dir, ExtractLimits{MaxBytes: 100, MaxFiles: 10})
	if err != nil || files != 5 || size != 12 {
		t.Errorf("files %d size %d err %v; want 5, 12 (the symlink is not followed)", files, size, err)
	}
	if _, _, err := checkContextDir(dir, ExtractLimits{MaxBytes: 10, MaxFiles: 10}); !errors.Is(err, errContextRefused) {
		t.Errorf("byte limit: %v", err)
	}
	if _, _, err := checkContextDir(dir, ExtractLimits{MaxBytes: 100, MaxFiles: 3}); !errors.Is(err, errContextRefused) {
		t.Errorf("file limit: %v", err)
	}
}
