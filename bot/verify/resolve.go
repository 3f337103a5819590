package verify

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Path resolution inside the image root. Symlinks are followed in the tree,
// never on the host: an absolute target restarts at the image root and ".."
// stops at it, as it would for a process whose root is the image. Resolution
// gives up after maxSymlinks links, like Linux (ELOOP).

const maxSymlinks = 40

// resolveError says why a path does not resolve, naming the component that
// failed and the symlink hops taken before it.
type resolveError struct {
	Path   string // the path asked for
	At     string // the path (after following links) that failed
	Full   string // the whole path being looked up when it failed
	Hops   []hop
	Reason error // errNotExist, errNotDir or errLoop
}

var (
	errNotExist = errors.New("not in image")
	errNotDir   = errors.New("not a directory")
	errLoop     = errors.New("too many levels of symbolic links")
)

func (e *resolveError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	for _, h := range e.Hops {
		b.WriteString(" → ")
		b.WriteString(h.Target)
	}
	if e.Reason == errLoop || e.At == e.Full {
		fmt.Fprintf(&b, ": %s", e.Reason)
	} else {
		fmt.Fprintf(&b, ": %s %s", e.At, e.Reason)
	}
	return b.String()
}

func (e *resolveError) Unwrap() error { return e.Reason }

// hop is one symlink followed during resolution.
type hop struct {
	Link   string // absolute path of the symlink
	Target string // its target as written
}

// resolved is a path that exists in the image.
type resolved struct {
	Path string // the path asked for (absolute)
	Real string // the path after every symlink
	Node *node
	Hops []hop
}

// chain renders "a → b → c" for details; with no hops it is just the path.
func (r resolved) chain() string {
	var b strings.Builder
	b.WriteString(r.Path)
	for _, h := range r.Hops {
		b.WriteString(" → ")
		b.WriteString(h.Target)
	}
	return b.String()
}

// resolve follows p (absolute, or relative to cwd) through the tree. With
// followFinal false the last component is not followed (lstat semantics).
func (f *imageFS) resolve(p, cwd string, followFinal bool) (resolved, error) {
	abs := p
	if !strings.HasPrefix(abs, "/") {
		if cwd == "" {
			cwd = "/"
		}
		abs = path.Join(cwd, p)
	}
	abs = path.Clean("/" + abs)
	out := resolved{Path: abs}

	type frame struct {
		name string
		n    *node
	}
	stack := []frame{} // the real path walked so far, root excluded
	cur := f.root
	curPath := func() string {
		if len(stack) == 0 {
			return "/"
		}
		var b strings.Builder
		for _, fr := range stack {
			b.WriteString("/")
			b.WriteString(fr.name)
		}
		return b.String()
	}
	comps := splitPath(abs)
	links := 0
	for len(comps) > 0 {
		c := comps[0]
		comps = comps[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				cur = f.root
			} else {
				cur = stack[len(stack)-1].n
			}
			continue
		}
		if cur.kind != kindDir {
			at := curPath()
			return out, &resolveError{Path: abs, At: at, Full: joinRest(at, c, comps), Hops: out.Hops, Reason: errNotDir}
		}
		child := cur.children[c]
		if child == nil {
			at := path.Join(curPath(), c)
			return out, &resolveError{Path: abs, At: at, Full: joinRest(at, "", comps), Hops: out.Hops, Reason: errNotExist}
		}
		if child.kind == kindSymlink && (len(comps) > 0 || followFinal) {
			links++
			linkPath := path.Join(curPath(), c)
			out.Hops = append(out.Hops, hop{Link: linkPath, Target: child.link})
			if links > maxSymlinks {
				return out, &resolveError{Path: abs, At: linkPath, Hops: out.Hops, Reason: errLoop}
			}
			if child.link == "" {
				return out, &resolveError{Path: abs, At: linkPath, Full: linkPath, Hops: out.Hops, Reason: errNotExist}
			}
			if strings.HasPrefix(child.link, "/") {
				stack = stack[:0]
				cur = f.root
			}
			comps = append(splitPath(child.link), comps...)
			continue
		}
		stack = append(stack, frame{c, child})
		cur = child
	}
	out.Real = curPath()
	out.Node = cur
	return out, nil
}

// joinRest rebuilds the full path under lookup from where it failed.
func joinRest(at, c string, rest []string) string {
	parts := append([]string{at, c}, rest...)
	return path.Clean(path.Join(parts...))
}

func splitPath(p string) []string {
	return strings.Split(p, "/")
}

// stat resolves p following every symlink.
func (f *imageFS) stat(p, cwd string) (resolved, error) {
	return f.resolve(p, cwd, true)
}

// isFile reports whether p resolves to a regular file.
func (f *imageFS) isFile(p, cwd string) bool {
	r, err := f.stat(p, cwd)
	return err == nil && r.Node.kind == kindFile
}

// isDir reports whether p resolves to a directory.
func (f *imageFS) isDir(p, cwd string) bool {
	r, err := f.stat(p, cwd)
	return err == nil && r.Node.kind == kindDir
}
