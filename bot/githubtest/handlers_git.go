package githubtest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

// The Git Data API over the object store: what distill uses to write many files in one commit and open
// a follow-up branch (docs/github.md §8.1).

func (s *Server) renderRef(r *repository, ref, sha string) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	return obj{
		"ref": ref, "node_id": base64.StdEncoding.EncodeToString([]byte("03:Ref" + ref)),
		"url":    api + "/git/" + escapePath(ref),
		"object": obj{"type": "commit", "sha": sha, "url": api + "/git/commits/" + sha},
	}
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(part, "%", "%25"), " ", "%20")
		parts[i] = strings.ReplaceAll(parts[i], "#", "%23")
		parts[i] = strings.ReplaceAll(parts[i], "?", "%3F")
	}
	return strings.Join(parts, "/")
}

func (s *Server) handleGetRef(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := "refs/" + strings.TrimPrefix(c.param("ref"), "refs/")
	sha, ok := c.repo.refs[ref]
	if !ok {
		c.notFound()
		return
	}
	c.writeJSON(http.StatusOK, s.renderRef(c.repo, ref, sha))
}

// handleMatchingRefs is GET git/matching-refs/{ref}: every ref starting with the given prefix.
func (s *Server) handleMatchingRefs(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := "refs/" + strings.TrimPrefix(c.param("ref"), "refs/")
	var names []string
	for ref := range c.repo.refs {
		if strings.HasPrefix(ref, prefix) {
			names = append(names, ref)
		}
	}
	sort.Strings(names)
	start, end := c.page(len(names))
	out := []any{}
	for _, ref := range names[start:end] {
		out = append(out, s.renderRef(c.repo, ref, c.repo.refs[ref]))
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) handleCreateRef(c *call) {
	var in struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.HasPrefix(in.Ref, "refs/") || strings.Count(in.Ref, "/") < 2 {
		c.errorf(http.StatusUnprocessableEntity, "Reference name must start with 'refs/' and have at least two slashes.")
		return
	}
	if len(c.repo.refs) == 0 {
		c.errorf(http.StatusConflict, "Git Repository is empty.")
		return
	}
	if _, ok := c.repo.refs[in.Ref]; ok {
		c.errorf(http.StatusUnprocessableEntity, "Reference already exists")
		return
	}
	if o, ok := c.repo.store.get(in.SHA); !ok || o.kind != kindCommit {
		c.errorf(http.StatusUnprocessableEntity, "Object does not exist")
		return
	}
	sha := strings.ToLower(in.SHA)
	c.repo.refs[in.Ref] = sha
	c.repo.PushedAt = s.clock.now()
	c.w.Header().Set("Location", s.apiBase()+"/repos/"+c.repo.fullName()+"/git/"+escapePath(in.Ref))
	c.writeJSON(http.StatusCreated, s.renderRef(c.repo, in.Ref, sha))
}

func (s *Server) handleUpdateRef(c *call) {
	var in struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := "refs/" + strings.TrimPrefix(c.param("ref"), "refs/")
	old, ok := c.repo.refs[ref]
	if !ok {
		c.errorf(http.StatusUnprocessableEntity, "Reference does not exist")
		return
	}
	if o, ok := c.repo.store.get(in.SHA); !ok || o.kind != kindCommit {
		c.errorf(http.StatusUnprocessableEntity, "Object does not exist")
		return
	}
	sha := strings.ToLower(in.SHA)
	if !in.Force && !c.repo.store.isAncestor(old, sha) {
		c.errorf(http.StatusUnprocessableEntity, "Update is not a fast forward")
		return
	}
	c.repo.refs[ref] = sha
	c.repo.PushedAt = s.clock.now()
	c.writeJSON(http.StatusOK, s.renderRef(c.repo, ref, sha))
}

func (s *Server) handleDeleteRef(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := "refs/" + strings.TrimPrefix(c.param("ref"), "refs/")
	if _, ok := c.repo.refs[ref]; !ok {
		c.errorf(http.StatusUnprocessableEntity, "Reference does not exist")
		return
	}
	delete(c.repo.refs, ref)
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleCreateBlob(c *call) {
	var in struct {
		Content  *string `json:"content"`
		Encoding string  `json:"encoding"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Content == nil {
		c.validationFailed(fieldError("Blob", "content", "missing_field", ""))
		return
	}
	var data []byte
	switch in.Encoding {
	case "", "utf-8":
		data = []byte(*in.Content)
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(*in.Content, "\n", ""))
		if err != nil {
			c.validationFailed(fieldError("Blob", "content", "invalid", "content is not valid Base64"))
			return
		}
		data = b
	default:
		c.validationFailed(fieldError("Blob", "encoding", "invalid", ""))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sha := c.repo.store.putBlob(data)
	url := s.apiBase() + "/repos/" + c.repo.fullName() + "/git/blobs/" + sha
	c.w.Header().Set("Location", url)
	c.writeJSON(http.StatusCreated, obj{"url": url, "sha": sha})
}

func (s *Server) handleGetBlob(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := c.repo.store.get(c.param("sha"))
	if !ok || o.kind != kindBlob {
		c.notFound()
		return
	}
	sha := strings.ToLower(c.param("sha"))
	if strings.Contains(c.r.Header.Get("Accept"), "raw") {
		c.writeRaw(o.raw)
		return
	}
	c.writeJSON(http.StatusOK, obj{
		"content": base64Lines(o.raw), "encoding": "base64",
		"url": s.apiBase() + "/repos/" + c.repo.fullName() + "/git/blobs/" + sha,
		"sha": sha, "size": len(o.raw), "node_id": nodeID("Blob", int64(len(sha))),
	})
}

// base64Lines encodes like GitHub does for blobs and contents: base64 wrapped at 60 characters, each
// line ending in "\n".
func base64Lines(b []byte) string {
	enc := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(enc) > 60 {
		out.WriteString(enc[:60])
		out.WriteByte('\n')
		enc = enc[60:]
	}
	if enc != "" {
		out.WriteString(enc)
		out.WriteByte('\n')
	}
	return out.String()
}

// writeRaw answers with the raw media type, as GitHub does for Accept: application/vnd.github.raw.
func (c *call) writeRaw(b []byte) {
	c.w.Header().Set("Content-Type", "application/vnd.github.raw; charset=utf-8")
	c.w.Header().Set("X-GitHub-Media-Type", "github.v3; param=raw")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(b)
}

func (s *Server) renderTreeEntries(r *repository, entries []treeEntry, prefix string, recursive bool) []any {
	api := s.apiBase() + "/repos/" + r.fullName()
	out := []any{}
	for _, e := range entries {
		p := path.Join(prefix, e.Name)
		o := obj{"path": p, "mode": e.Mode, "sha": e.SHA}
		switch e.Mode {
		case ModeDir:
			o["type"], o["url"] = "tree", api+"/git/trees/"+e.SHA
		case ModeSubmodule:
			o["type"] = "commit"
		default:
			o["type"], o["url"] = "blob", api+"/git/blobs/"+e.SHA
			if b, ok := r.store.get(e.SHA); ok {
				o["size"] = len(b.raw)
			}
		}
		out = append(out, o)
		if recursive && e.Mode == ModeDir {
			if sub, err := r.store.treeOf(e.SHA); err == nil {
				out = append(out, s.renderTreeEntries(r, sub, p, true)...)
			}
		}
	}
	return out
}

func (s *Server) renderTree(r *repository, sha string, recursive bool) obj {
	entries, _ := r.store.treeOf(sha)
	return obj{
		"sha": sha, "url": s.apiBase() + "/repos/" + r.fullName() + "/git/trees/" + sha,
		"tree": s.renderTreeEntries(r, entries, "", recursive), "truncated": false,
	}
}

func (s *Server) handleGetTree(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sha := c.param("sha")
	if o, ok := c.repo.store.get(sha); !ok || o.kind != kindTree {
		// A commit SHA or a branch name also resolves to its tree, as on GitHub.
		commit, ok := c.repo.resolveCommit(sha)
		if !ok {
			c.notFound()
			return
		}
		cd, _ := c.repo.store.commit(commit)
		sha = cd.Tree
	}
	rec := c.r.URL.Query().Get("recursive")
	c.writeJSON(http.StatusOK, s.renderTree(c.repo, strings.ToLower(sha), rec != "" && rec != "0" && rec != "false"))
}

func (s *Server) handleCreateTree(c *call) {
	var in struct {
		BaseTree string `json:"base_tree"`
		Tree     []struct {
			Path    string  `json:"path"`
			Mode    string  `json:"mode"`
			Type    string  `json:"type"`
			SHA     *string `json:"sha"`
			Content *string `json:"content"`
		} `json:"tree"`
	}
	if !c.decode(&in) {
		return
	}
	// Distinguish "sha": null (delete) from an absent sha: decode the entries a second time loosely.
	var raw struct {
		Tree []map[string]any `json:"tree"`
	}
	_ = json.Unmarshal(c.body, &raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := c.repo.store
	files := map[string]fileEntry{}
	if in.BaseTree != "" {
		f, err := st.flatten(in.BaseTree)
		if err != nil {
			c.errorf(http.StatusUnprocessableEntity, "base_tree is not a valid tree oid")
			return
		}
		files = f
	}
	if in.Tree == nil {
		c.validationFailed(fieldError("Tree", "tree", "missing_field", ""))
		return
	}
	for i, e := range in.Tree {
		_, shaKey := raw.Tree[i]["sha"]
		p := strings.Trim(e.Path, "/")
		if p == "" || strings.Contains(p, "//") {
			c.errorf(http.StatusUnprocessableEntity, "tree.path contains a malformed path component")
			return
		}
		if !validMode(e.Mode) {
			c.errorf(http.StatusUnprocessableEntity, "tree.mode must be one of 100644, 100755, 040000, 160000, 120000")
			return
		}
		if e.SHA != nil && e.Content != nil {
			c.errorf(http.StatusUnprocessableEntity, "Only one of 'sha' or 'content' is allowed")
			return
		}
		switch {
		case shaKey && e.SHA == nil && e.Content == nil:
			// "sha": null deletes the path (a file, or a whole directory).
			delete(files, p)
			for k := range files {
				if strings.HasPrefix(k, p+"/") {
					delete(files, k)
				}
			}
		case e.Content != nil:
			if e.Mode == ModeDir || e.Mode == ModeSubmodule {
				c.errorf(http.StatusUnprocessableEntity, "tree.content is only allowed for blobs")
				return
			}
			removeUnder(files, p)
			files[p] = fileEntry{Mode: e.Mode, SHA: st.putBlob([]byte(*e.Content))}
		case e.SHA != nil:
			sha := strings.ToLower(*e.SHA)
			o, ok := st.get(sha)
			switch {
			case e.Mode == ModeSubmodule:
				removeUnder(files, p)
				files[p] = fileEntry{Mode: e.Mode, SHA: sha}
			case !ok:
				c.errorf(http.StatusUnprocessableEntity, "tree.sha %s is not a valid %s", sha, map[bool]string{true: "tree", false: "blob"}[e.Mode == ModeDir])
				return
			case e.Mode == ModeDir:
				if o.kind != kindTree {
					c.errorf(http.StatusUnprocessableEntity, "tree.sha %s is not a valid tree", sha)
					return
				}
				sub, _ := st.flatten(sha)
				removeUnder(files, p)
				delete(files, p)
				for k, v := range sub {
					files[p+"/"+k] = v
				}
			default:
				if o.kind != kindBlob {
					c.errorf(http.StatusUnprocessableEntity, "tree.sha %s is not a valid blob", sha)
					return
				}
				removeUnder(files, p)
				files[p] = fileEntry{Mode: e.Mode, SHA: sha}
			}
		default:
			c.errorf(http.StatusUnprocessableEntity, "Must supply either tree.sha or tree.content")
			return
		}
	}
	sha := st.buildTree(files)
	c.w.Header().Set("Location", s.apiBase()+"/repos/"+c.repo.fullName()+"/git/trees/"+sha)
	c.writeJSON(http.StatusCreated, s.renderTree(c.repo, sha, false))
}

// removeUnder drops the files below directory p (a file replacing a directory).
func removeUnder(files map[string]fileEntry, p string) {
	for k := range files {
		if strings.HasPrefix(k, p+"/") {
			delete(files, k)
		}
	}
	// And a file that sits where a parent directory of p must go.
	for dir := path.Dir(p); dir != "." && dir != "/"; dir = path.Dir(dir) {
		delete(files, dir)
	}
}

func (s *Server) renderCommit(r *repository, sha string, cd *commitData) obj {
	api := s.apiBase() + "/repos/" + r.fullName()
	parents := []any{}
	for _, p := range cd.Parents {
		parents = append(parents, obj{"url": api + "/git/commits/" + p, "sha": p, "html_url": s.URL + "/" + r.fullName() + "/commit/" + p})
	}
	sig := func(x signature) obj {
		return obj{"date": x.When.UTC().Format(time.RFC3339), "name": x.Name, "email": x.Email}
	}
	verified := cd.Author.Email == s.botEmail() && cd.Committer.Email == "noreply@github.com"
	reason := "unsigned"
	if verified {
		reason = "valid"
	}
	return obj{
		"sha": sha, "node_id": nodeID("Commit", int64(len(cd.Message))), "url": api + "/git/commits/" + sha,
		"author": sig(cd.Author), "committer": sig(cd.Committer), "message": cd.Message,
		"tree":    obj{"url": api + "/git/trees/" + cd.Tree, "sha": cd.Tree},
		"parents": parents,
		"verification": obj{
			"verified": verified, "reason": reason, "signature": nil, "payload": nil, "verified_at": nil,
		},
		"html_url": s.URL + "/" + r.fullName() + "/commit/" + sha,
	}
}

func (s *Server) botEmail() string {
	return itoa(s.cfg.botUserID) + "+" + s.BotLogin() + "@users.noreply.github.com"
}

func (s *Server) handleCreateCommit(c *call) {
	type person struct {
		Name  string     `json:"name"`
		Email string     `json:"email"`
		Date  *time.Time `json:"date"`
	}
	var in struct {
		Message   *string  `json:"message"`
		Tree      string   `json:"tree"`
		Parents   []string `json:"parents"`
		Author    *person  `json:"author"`
		Committer *person  `json:"committer"`
		Signature string   `json:"signature"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := c.repo.store
	if in.Message == nil {
		c.validationFailed(fieldError("Commit", "message", "missing_field", ""))
		return
	}
	if o, ok := st.get(in.Tree); !ok || o.kind != kindTree {
		c.errorf(http.StatusUnprocessableEntity, "Tree SHA does not exist")
		return
	}
	for _, p := range in.Parents {
		if o, ok := st.get(p); !ok || o.kind != kindCommit {
			c.errorf(http.StatusUnprocessableEntity, "Parent SHA does not exist or is not a commit object")
			return
		}
	}
	now := s.clock.now()
	// Without author and committer GitHub commits as the App's bot and signs the commit ("Verified").
	author := signature{Name: s.BotLogin(), Email: s.botEmail(), When: now}
	committer := signature{Name: "GitHub", Email: "noreply@github.com", When: now}
	if in.Author != nil {
		author = signature{Name: in.Author.Name, Email: in.Author.Email, When: now}
		if in.Author.Date != nil {
			author.When = *in.Author.Date
		}
		committer = author
	}
	if in.Committer != nil {
		committer = signature{Name: in.Committer.Name, Email: in.Committer.Email, When: now}
		if in.Committer.Date != nil {
			committer.When = *in.Committer.Date
		}
	}
	parents := make([]string, len(in.Parents))
	for i, p := range in.Parents {
		parents[i] = strings.ToLower(p)
	}
	cd := commitData{Tree: strings.ToLower(in.Tree), Parents: parents, Author: author, Committer: committer, Message: *in.Message}
	sha := st.putCommit(cd)
	stored, _ := st.commit(sha)
	c.w.Header().Set("Location", s.apiBase()+"/repos/"+c.repo.fullName()+"/git/commits/"+sha)
	c.writeJSON(http.StatusCreated, s.renderCommit(c.repo, sha, stored))
}

func (s *Server) handleGetCommit(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sha := strings.ToLower(c.param("sha"))
	cd, err := c.repo.store.commit(sha)
	if err != nil {
		c.notFound()
		return
	}
	c.writeJSON(http.StatusOK, s.renderCommit(c.repo, sha, cd))
}
