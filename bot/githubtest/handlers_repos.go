package githubtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
)

// maxContentSize is the largest file the contents API returns inline (1 MB); larger files come back
// with content "" and encoding "none", and must be read raw.
const maxContentSize = 1 << 20

func (s *Server) handleGetRepo(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.writeJSON(http.StatusOK, s.renderFullRepo(c.repo))
}

// handlePermission answers GET collaborators/{user}/permission from the map tests set with
// SetPermission. permission folds maintain into write and triage into read, as GitHub does.
func (s *Server) handlePermission(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	user := c.param("user")
	role, ok := c.repo.permissions[strings.ToLower(user)]
	if !ok {
		role = "read"
		if c.repo.Private {
			role = "none"
		}
		if strings.EqualFold(user, c.repo.Owner.Login) {
			role = "admin"
		}
	}
	perm := map[string]string{"maintain": "write", "triage": "read"}[role]
	if perm == "" {
		perm = role
	}
	u := s.userByLogin(user)
	u["permissions"] = obj{
		"admin": perm == "admin", "maintain": role == "maintain" || perm == "admin",
		"push": perm == "admin" || perm == "write", "triage": perm != "none", "pull": perm != "none",
	}
	u["role_name"] = role
	c.writeJSON(http.StatusOK, obj{"permission": perm, "role_name": role, "user": u})
}

// contentEntry renders one file or directory entry of the contents API.
func (s *Server) contentEntry(r *repository, ref, p string, e treeEntry) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	typ, git, html := "file", api+"/git/blobs/"+e.SHA, s.URL+"/"+r.fullName()+"/blob/"+ref+"/"+escapePath(p)
	var download any = s.URL + "/raw/" + r.fullName() + "/" + ref + "/" + escapePath(p)
	size := 0
	switch e.Mode {
	case ModeDir:
		typ, git, html, download = "dir", api+"/git/trees/"+e.SHA, s.URL+"/"+r.fullName()+"/tree/"+ref+"/"+escapePath(p), nil
	case ModeSymlink:
		typ = "symlink"
	case ModeSubmodule:
		typ, git, download = "submodule", api+"/git/trees/"+e.SHA, nil
	}
	if o, ok := r.store.get(e.SHA); ok && o.kind == kindBlob {
		size = len(o.raw)
	}
	self := api + "/contents/" + escapePath(p) + "?ref=" + ref
	o := obj{
		"type": typ, "size": size, "name": path.Base(p), "path": p, "sha": e.SHA, "url": self,
		"git_url": git, "html_url": html, "download_url": download,
		"_links": obj{"self": self, "git": git, "html": html},
	}
	return o
}

func (s *Server) handleGetContents(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := c.repo
	ref := c.r.URL.Query().Get("ref")
	if ref == "" {
		ref = r.DefaultBranch
	}
	p := strings.Trim(c.param("path"), "/")
	if strings.Contains("/"+p+"/", "/../") {
		c.notFound()
		return
	}
	commit, ok := r.resolveCommit(ref)
	if !ok {
		c.errorf(http.StatusNotFound, "No commit found for the ref %s", ref)
		return
	}
	cd, _ := r.store.commit(commit)
	e, err := r.store.lookupPath(cd.Tree, p)
	if err != nil {
		c.notFound()
		return
	}
	accept := c.r.Header.Get("Accept")
	if e.Mode == ModeDir {
		entries, _ := r.store.treeOf(e.SHA)
		out := []any{}
		for _, sub := range entries {
			if len(out) == 1000 {
				break // GitHub lists at most 1,000 entries
			}
			out = append(out, s.contentEntry(r, ref, path.Join(p, sub.Name), sub))
		}
		c.writeJSON(http.StatusOK, out)
		return
	}
	blob, _ := r.store.get(e.SHA)
	var data []byte
	if blob != nil {
		data = blob.raw
	}
	if strings.Contains(accept, ".raw") {
		c.writeRaw(data)
		return
	}
	o := s.contentEntry(r, ref, p, e)
	switch e.Mode {
	case ModeSymlink:
		o["target"] = string(data)
		c.writeJSON(http.StatusOK, o)
		return
	case ModeSubmodule:
		o["submodule_git_url"] = s.URL + "/" + r.fullName() + ".git"
		c.writeJSON(http.StatusOK, o)
		return
	}
	if len(data) > maxContentSize {
		o["content"], o["encoding"] = "", "none"
	} else {
		o["content"], o["encoding"] = base64Lines(data), "base64"
	}
	c.writeJSON(http.StatusOK, o)
}

// serveRaw is the download_url route (/raw/{owner}/{repo}/{ref}/{path}). Public repositories need no
// credentials; private ones need an installation token that covers them, as go-github's
// DownloadContents sends.
func (s *Server) serveRaw(c *call) {
	parts := strings.SplitN(strings.TrimPrefix(c.r.URL.Path, "/raw/"), "/", 4)
	if len(parts) < 4 {
		c.notFound()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[strings.ToLower(parts[0]+"/"+parts[1])]
	if !ok || (r.Private && (c.auth.installation == nil || !c.auth.installation.covers(r))) {
		c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.w.WriteHeader(http.StatusNotFound)
		_, _ = c.w.Write([]byte("404: Not Found"))
		return
	}
	commit, ok := r.resolveCommit(parts[2])
	var e treeEntry
	var err error
	if ok {
		cd, _ := r.store.commit(commit)
		e, err = r.store.lookupPath(cd.Tree, parts[3])
	}
	if !ok || err != nil || e.Mode == ModeDir {
		c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.w.WriteHeader(http.StatusNotFound)
		_, _ = c.w.Write([]byte("404: Not Found"))
		return
	}
	blob, _ := r.store.get(e.SHA)
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.w.Header().Del("X-GitHub-Media-Type")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(blob.raw)
}

// handleTarball redirects to the fake codeload, like GitHub (302 to codeload with a short-lived token).
func (s *Server) handleTarball(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := c.param("ref")
	if ref == "" {
		ref = c.repo.DefaultBranch
	}
	if _, ok := c.repo.resolveCommit(ref); !ok {
		c.notFound()
		return
	}
	tok := "GHSAT0" + strings.ToUpper(randomHex(12))
	s.codeloadTokens[tok] = codeloadToken{repo: c.repo.ID, expiresAt: s.clock.now().Add(5 * time.Minute)}
	loc := fmt.Sprintf("%s/_codeload/%s/legacy.tar.gz/%s?token=%s", s.URL, c.repo.fullName(), escapePath(ref), tok)
	c.w.Header().Set("Location", loc)
	c.w.Header().Set("Content-Type", "text/html;charset=utf-8")
	c.w.WriteHeader(http.StatusFound)
}

// serveCodeload serves /_codeload/{owner}/{repo}/legacy.tar.gz/{ref}: a gzip tar whose single top-level
// directory is "<owner>-<repo>-<short sha>/", as GitHub's tarballs are.
func (s *Server) serveCodeload(c *call) {
	rest := strings.TrimPrefix(c.r.URL.Path, "/_codeload/")
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 4 || parts[2] != "legacy.tar.gz" {
		c.notFound()
		return
	}
	s.mu.Lock()
	r, ok := s.repos[strings.ToLower(parts[0]+"/"+parts[1])]
	if ok && r.Private {
		t, tok := s.codeloadTokens[c.r.URL.Query().Get("token")]
		ok = tok && t.repo == r.ID && s.clock.now().Before(t.expiresAt)
	}
	var commit string
	if ok {
		commit, ok = r.resolveCommit(parts[3])
	}
	if !ok {
		s.mu.Unlock()
		c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.w.WriteHeader(http.StatusNotFound)
		_, _ = c.w.Write([]byte("404: Not Found"))
		return
	}
	body, err := s.tarballLocked(r, commit)
	s.mu.Unlock()
	if err != nil {
		c.errorf(http.StatusInternalServerError, "githubtest: %v", err)
		return
	}
	c.w.Header().Set("Content-Type", "application/x-gzip")
	c.w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%s-%s-%s.tar.gz", r.Owner.Login, r.Name, commit[:7]))
	c.w.Header().Del("X-GitHub-Media-Type")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(body)
}

func (s *Server) tarballLocked(r *repository, commit string) ([]byte, error) {
	cd, err := r.store.commit(commit)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	// GitHub's tarballs carry the commit id as a pax global header comment, like `git archive`.
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header", PAXRecords: map[string]string{"comment": commit}, Format: tar.FormatPAX}); err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	root := fmt.Sprintf("%s-%s-%s/", r.Owner.Login, r.Name, commit[:7])
	mtime := cd.Committer.When
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: root, Mode: 0o775, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	var walk func(prefix, tree string) error
	walk = func(prefix, tree string) error {
		entries, err := r.store.treeOf(tree)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := prefix + e.Name
			switch e.Mode {
			case ModeDir:
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o775, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
					return err
				}
				if err := walk(name+"/", e.SHA); err != nil {
					return err
				}
			case ModeSubmodule:
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o775, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
					return err
				}
			case ModeSymlink:
				o, _ := r.store.get(e.SHA)
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: string(o.raw), Mode: 0o777, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
					return err
				}
			default:
				o, _ := r.store.get(e.SHA)
				mode := int64(0o664)
				if e.Mode == ModeExecutable {
					mode = 0o775
				}
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(o.raw)), Mode: mode, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
					return err
				}
				if _, err := tw.Write(o.raw); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, cd.Tree); err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	return buf.Bytes(), nil
}
