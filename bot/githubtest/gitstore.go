package githubtest

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The fake keeps a small but real git object store so that every SHA it hands out is the SHA git would
// compute for the same content. Tests can then compare SHAs across APIs (pulls/files, contents, git/*,
// tarballs) and against `git hash-object`, and the bot code under test cannot get away with inventing SHAs.

// Git file modes as the REST API spells them.
const (
	ModeFile       = "100644"
	ModeExecutable = "100755"
	ModeDir        = "040000"
	ModeSymlink    = "120000"
	ModeSubmodule  = "160000"
)

var errObjectNotFound = errors.New("object not found")

type objectKind string

const (
	kindBlob   objectKind = "blob"
	kindTree   objectKind = "tree"
	kindCommit objectKind = "commit"
)

// treeEntry is one entry of a git tree object.
type treeEntry struct {
	Name string
	Mode string // REST spelling, e.g. "040000"
	SHA  string
}

// signature is a commit author or committer.
type signature struct {
	Name  string
	Email string
	When  time.Time
}

// commitData is a parsed commit object.
type commitData struct {
	Tree      string
	Parents   []string
	Author    signature
	Committer signature
	Message   string
}

type gitObject struct {
	kind   objectKind
	raw    []byte // the object body (without the "<kind> <len>\0" header)
	tree   []treeEntry
	commit *commitData
}

// objectStore is content-addressed storage shared by a repository and its forks, as on GitHub where a
// fork network shares one object store. It is not safe for concurrent use; the Server's mutex guards it.
type objectStore struct {
	objects map[string]*gitObject
}

func newObjectStore() *objectStore {
	return &objectStore{objects: map[string]*gitObject{}}
}

func hashObject(kind objectKind, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (s *objectStore) get(sha string) (*gitObject, bool) {
	o, ok := s.objects[strings.ToLower(sha)]
	return o, ok
}

func (s *objectStore) putBlob(content []byte) string {
	sha := hashObject(kindBlob, content)
	if _, ok := s.objects[sha]; !ok {
		s.objects[sha] = &gitObject{kind: kindBlob, raw: append([]byte(nil), content...)}
	}
	return sha
}

// gitTreeOrder sorts entries the way git does: by name, comparing a tree's name as if it ended in "/".
func gitTreeOrder(entries []treeEntry) {
	key := func(e treeEntry) string {
		if e.Mode == ModeDir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
}

func (s *objectStore) putTree(entries []treeEntry) string {
	entries = append([]treeEntry(nil), entries...)
	gitTreeOrder(entries)
	var b bytes.Buffer
	for _, e := range entries {
		mode := e.Mode
		if mode == ModeDir {
			mode = "40000" // git writes tree modes without the leading zero
		}
		raw, _ := hex.DecodeString(e.SHA)
		fmt.Fprintf(&b, "%s %s\x00", mode, e.Name)
		b.Write(raw)
	}
	sha := hashObject(kindTree, b.Bytes())
	if _, ok := s.objects[sha]; !ok {
		s.objects[sha] = &gitObject{kind: kindTree, raw: b.Bytes(), tree: entries}
	}
	return sha
}

func formatSignature(sig signature) string {
	_, off := sig.When.Zone()
	sign := '+'
	if off < 0 {
		sign = '-'
		off = -off
	}
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", sig.Name, sig.Email, sig.When.Unix(), sign, off/3600, off%3600/60)
}

func (s *objectStore) putCommit(c commitData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", c.Tree)
	for _, p := range c.Parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	fmt.Fprintf(&b, "author %s\n", formatSignature(c.Author))
	fmt.Fprintf(&b, "committer %s\n", formatSignature(c.Committer))
	b.WriteString("\n")
	b.WriteString(c.Message)
	body := []byte(b.String())
	sha := hashObject(kindCommit, body)
	if _, ok := s.objects[sha]; !ok {
		cc := c
		cc.Parents = append([]string(nil), c.Parents...)
		s.objects[sha] = &gitObject{kind: kindCommit, raw: body, commit: &cc}
	}
	return sha
}

func (s *objectStore) commit(sha string) (*commitData, error) {
	o, ok := s.get(sha)
	if !ok || o.kind != kindCommit {
		return nil, fmt.Errorf("commit %s: %w", sha, errObjectNotFound)
	}
	return o.commit, nil
}

func (s *objectStore) treeOf(sha string) ([]treeEntry, error) {
	o, ok := s.get(sha)
	if !ok || o.kind != kindTree {
		return nil, fmt.Errorf("tree %s: %w", sha, errObjectNotFound)
	}
	return o.tree, nil
}

// fileEntry is a non-tree entry of a flattened tree.
type fileEntry struct {
	Mode string
	SHA  string
}

// flatten lists every non-tree entry below the tree, keyed by slash-separated path.
func (s *objectStore) flatten(treeSHA string) (map[string]fileEntry, error) {
	out := map[string]fileEntry{}
	var walk func(prefix, sha string) error
	walk = func(prefix, sha string) error {
		entries, err := s.treeOf(sha)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := path.Join(prefix, e.Name)
			if e.Mode == ModeDir {
				if err := walk(p, e.SHA); err != nil {
					return err
				}
				continue
			}
			out[p] = fileEntry{Mode: e.Mode, SHA: e.SHA}
		}
		return nil
	}
	if err := walk("", treeSHA); err != nil {
		return nil, err
	}
	return out, nil
}

// buildTree writes the trees for a flat path→entry map and returns the root tree SHA.
func (s *objectStore) buildTree(files map[string]fileEntry) string {
	type dir struct {
		files map[string]fileEntry
		dirs  map[string]*dir
	}
	newDir := func() *dir { return &dir{files: map[string]fileEntry{}, dirs: map[string]*dir{}} }
	root := newDir()
	for p, f := range files {
		parts := strings.Split(p, "/")
		d := root
		for _, part := range parts[:len(parts)-1] {
			next, ok := d.dirs[part]
			if !ok {
				next = newDir()
				d.dirs[part] = next
			}
			d = next
		}
		d.files[parts[len(parts)-1]] = f
	}
	var write func(d *dir) string
	write = func(d *dir) string {
		var entries []treeEntry
		for name, f := range d.files {
			entries = append(entries, treeEntry{Name: name, Mode: f.Mode, SHA: f.SHA})
		}
		for name, sub := range d.dirs {
			entries = append(entries, treeEntry{Name: name, Mode: ModeDir, SHA: write(sub)})
		}
		return s.putTree(entries)
	}
	return write(root)
}

// lookupPath finds the entry at a slash-separated path below a tree ("" is the tree itself).
func (s *objectStore) lookupPath(treeSHA, p string) (treeEntry, error) {
	p = strings.Trim(p, "/")
	cur := treeEntry{Mode: ModeDir, SHA: treeSHA}
	if p == "" {
		return cur, nil
	}
	for _, part := range strings.Split(p, "/") {
		if cur.Mode != ModeDir {
			return treeEntry{}, fmt.Errorf("path %s: %w", p, errObjectNotFound)
		}
		entries, err := s.treeOf(cur.SHA)
		if err != nil {
			return treeEntry{}, err
		}
		found := false
		for _, e := range entries {
			if e.Name == part {
				cur, found = e, true
				break
			}
		}
		if !found {
			return treeEntry{}, fmt.Errorf("path %s: %w", p, errObjectNotFound)
		}
	}
	return cur, nil
}

// isAncestor reports whether ancestor is reachable from sha by following parents (a commit is its own
// ancestor), which is the fast-forward test of update-ref.
func (s *objectStore) isAncestor(ancestor, sha string) bool {
	seen := map[string]bool{}
	queue := []string{sha}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == ancestor {
			return true
		}
		if seen[cur] {
			continue
		}
		seen[cur] = true
		if c, err := s.commit(cur); err == nil {
			queue = append(queue, c.Parents...)
		}
	}
	return false
}

// mergeBase returns the first commit reachable from head (breadth first) that is also reachable from
// base: the point GitHub's three-dot PR diff starts from. Empty when the histories are unrelated.
func (s *objectStore) mergeBase(base, head string) string {
	ancestors := map[string]bool{}
	queue := []string{base}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if ancestors[cur] {
			continue
		}
		ancestors[cur] = true
		if c, err := s.commit(cur); err == nil {
			queue = append(queue, c.Parents...)
		}
	}
	seen := map[string]bool{}
	queue = []string{head}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if ancestors[cur] {
			return cur
		}
		if seen[cur] {
			continue
		}
		seen[cur] = true
		if c, err := s.commit(cur); err == nil {
			queue = append(queue, c.Parents...)
		}
	}
	return ""
}

// validMode reports whether m is a mode the trees API accepts.
func validMode(m string) bool {
	switch m {
	case ModeFile, ModeExecutable, ModeDir, ModeSymlink, ModeSubmodule:
		return true
	}
	return false
}

// isHexSHA reports whether s looks like a full SHA-1.
func isHexSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	_, err := strconv.ParseUint(s[:16], 16, 64)
	if err != nil {
		return false
	}
	_, err = hex.DecodeString(s)
	return err == nil
}
