package githubtest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// maxBody is GitHub's limit on comment, issue and pull request bodies, in characters.
const maxBody = 65536

func sortedPullNumbers(r *repository) []int {
	ns := make([]int, 0, len(r.pulls))
	for n := range r.pulls {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	return ns
}

// bodyTooLong answers the 422 GitHub gives for a body over 65,536 characters (the 2023 wording).
func (c *call) bodyTooLong(resource, body string) bool {
	if utf8.RuneCountInString(body) <= maxBody {
		return false
	}
	c.validationFailed(fieldError(resource, "data", "unprocessable", fmt.Sprintf("Body is too long (maximum is %d characters)", maxBody)))
	return true
}

func (s *Server) pullFor(c *call) (*pullState, bool) {
	n, ok := c.intParam("number")
	if !ok {
		c.notFound()
		return nil, false
	}
	pr, ok := c.repo.pulls[n]
	if !ok {
		c.notFound()
		return nil, false
	}
	return pr, true
}

func (s *Server) handleGetPull(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	switch accept := c.r.Header.Get("Accept"); {
	case strings.Contains(accept, "diff"), strings.Contains(accept, "patch"):
		files, err := s.prFiles(pr)
		if err != nil {
			c.errorf(http.StatusInternalServerError, "githubtest: %v", err)
			return
		}
		c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.w.Header().Set("X-GitHub-Media-Type", "github.v3; param=diff")
		c.w.WriteHeader(http.StatusOK)
		_, _ = c.w.Write([]byte(unifiedDiff(files)))
		return
	}
	c.writeJSON(http.StatusOK, s.renderPull(pr))
}

// unifiedDiff renders the whole-PR diff (GET pulls/{n} with the diff media type).
func unifiedDiff(files []fileDiff) string {
	var b strings.Builder
	for _, f := range files {
		from, to := f.Path, f.Path
		if f.PreviousPath != "" {
			from = f.PreviousPath
		}
		fmt.Fprintf(&b, "diff --git a/%s b/%s\n", from, to)
		switch f.Status {
		case "added":
			fmt.Fprintf(&b, "new file mode %s\n", f.Mode)
		case "removed":
			fmt.Fprintf(&b, "deleted file mode %s\n", f.Mode)
		case "renamed":
			fmt.Fprintf(&b, "similarity index 100%%\nrename from %s\nrename to %s\n", from, to)
			continue
		}
		if !f.HasPatch {
			continue
		}
		a, bb := "a/"+from, "b/"+to
		if f.Status == "added" {
			a = "/dev/null"
		}
		if f.Status == "removed" {
			bb = "/dev/null"
		}
		fmt.Fprintf(&b, "--- %s\n+++ %s\n%s\n", a, bb, f.Patch)
	}
	return b.String()
}

func (s *Server) handleListPulls(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var out []any
	for _, n := range sortedPullNumbers(c.repo) {
		pr := c.repo.pulls[n]
		if state != "all" && pr.State != state {
			continue
		}
		if h := q.Get("head"); h != "" {
			owner, ref, ok := strings.Cut(h, ":")
			if !ok || !strings.EqualFold(owner, pr.head.Owner.Login) || ref != pr.HeadRef {
				continue
			}
		}
		if b := q.Get("base"); b != "" && b != pr.BaseRef {
			continue
		}
		out = append(out, s.renderPull(pr))
	}
	// GitHub sorts by creation, newest first, by default.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	start, end := c.page(len(out))
	c.writeJSON(http.StatusOK, append([]any{}, out[start:end]...))
}

func (s *Server) handleCreatePull(c *call) {
	var in struct {
		Title               *string `json:"title"`
		Head                string  `json:"head"`
		HeadRepo            string  `json:"head_repo"`
		Base                string  `json:"base"`
		Body                string  `json:"body"`
		Draft               bool    `json:"draft"`
		MaintainerCanModify *bool   `json:"maintainer_can_modify"`
		Issue               int     `json:"issue"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := c.repo
	if in.Title == nil || *in.Title == "" {
		c.validationFailed(fieldError("PullRequest", "title", "missing_field", ""))
		return
	}
	if in.Head == "" {
		c.validationFailed(fieldError("PullRequest", "head", "missing_field", ""))
		return
	}
	if in.Base == "" {
		c.validationFailed(fieldError("PullRequest", "base", "missing_field", ""))
		return
	}
	if c.bodyTooLong("PullRequest", in.Body) {
		return
	}
	head := r
	headRef := in.Head
	if owner, ref, ok := strings.Cut(in.Head, ":"); ok {
		headRef = ref
		if !strings.EqualFold(owner, r.Owner.Login) {
			head = nil
			for _, cand := range s.repos {
				if strings.EqualFold(cand.Owner.Login, owner) && cand.store == r.store && (in.HeadRepo == "" || strings.EqualFold(cand.Name, in.HeadRepo)) {
					head = cand
					break
				}
			}
		}
	}
	if head == nil {
		c.validationFailed(fieldError("PullRequest", "head", "invalid", ""))
		return
	}
	if _, ok := head.refs["refs/heads/"+headRef]; !ok {
		c.validationFailed(fieldError("PullRequest", "head", "invalid", ""))
		return
	}
	if _, ok := r.refs["refs/heads/"+in.Base]; !ok {
		c.validationFailed(fieldError("PullRequest", "base", "invalid", ""))
		return
	}
	for _, n := range sortedPullNumbers(r) {
		pr := r.pulls[n]
		if pr.State == "open" && pr.head == head && pr.HeadRef == headRef && pr.BaseRef == in.Base {
			c.validationFailed(fieldError("PullRequest", "", "custom",
				fmt.Sprintf("A pull request already exists for %s:%s.", head.Owner.Login, headRef)))
			return
		}
	}
	headSHA, baseSHA := head.refs["refs/heads/"+headRef], r.refs["refs/heads/"+in.Base]
	if r.store.isAncestor(headSHA, baseSHA) {
		c.validationFailed(fieldError("PullRequest", "", "custom",
			fmt.Sprintf("No commits between %s and %s", in.Base, in.Head)))
		return
	}
	canModify := in.MaintainerCanModify == nil || *in.MaintainerCanModify
	pr, err := s.openPRLocked(r, head, headRef, in.Base, *in.Title, in.Body, s.botAccount(), in.Draft, canModify)
	if err != nil {
		c.errorf(http.StatusInternalServerError, "githubtest: %v", err)
		return
	}
	c.w.Header().Set("Location", fmt.Sprintf("%s/repos/%s/pulls/%d", s.apiBase(), r.fullName(), pr.Number))
	c.writeJSON(http.StatusCreated, s.renderPull(pr))
}

func (s *Server) handleUpdatePull(c *call) {
	var in struct {
		Title *string `json:"title"`
		Body  *string `json:"body"`
		State *string `json:"state"`
		Base  *string `json:"base"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	if in.Body != nil && c.bodyTooLong("PullRequest", *in.Body) {
		return
	}
	if in.State != nil && *in.State != "open" && *in.State != "closed" {
		c.validationFailed(fieldError("PullRequest", "state", "invalid", ""))
		return
	}
	if in.Base != nil {
		if _, ok := c.repo.refs["refs/heads/"+*in.Base]; !ok {
			c.validationFailed(fieldError("PullRequest", "base", "invalid", ""))
			return
		}
		pr.BaseRef = *in.Base
	}
	is := c.repo.issues[pr.Number]
	now := s.clock.now()
	if in.Title != nil {
		pr.Title, is.Title = *in.Title, *in.Title
	}
	if in.Body != nil {
		pr.Body, is.Body = *in.Body, *in.Body
	}
	if in.State != nil && *in.State != pr.State {
		pr.State, is.State = *in.State, *in.State
		if pr.State == "closed" {
			pr.ClosedAt, is.ClosedAt = now, now
		} else {
			pr.ClosedAt, is.ClosedAt = time.Time{}, time.Time{}
		}
	}
	pr.UpdatedAt, is.UpdatedAt = now, now
	c.writeJSON(http.StatusOK, s.renderPull(pr))
}

func (s *Server) handleListPullFiles(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	files, err := s.prFiles(pr)
	if err != nil {
		c.errorf(http.StatusInternalServerError, "githubtest: %v", err)
		return
	}
	if len(files) > s.cfg.maxFiles {
		files = files[:s.cfg.maxFiles]
	}
	start, end := c.page(len(files))
	out := []any{}
	for _, f := range files[start:end] {
		out = append(out, s.renderFile(pr, f))
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) renderFile(pr *pullState, f fileDiff) obj {
	head := pr.head
	ref := pr.HeadSHA
	if f.Status == "removed" {
		ref = pr.BaseSHA
	}
	o := obj{
		"sha": f.SHA, "filename": f.Path, "status": f.Status, "additions": f.Additions, "deletions": f.Deletions,
		"changes":      f.Additions + f.Deletions,
		"blob_url":     fmt.Sprintf("%s/%s/blob/%s/%s", s.URL, head.fullName(), ref, escapePath(f.Path)),
		"raw_url":      fmt.Sprintf("%s/%s/raw/%s/%s", s.URL, head.fullName(), ref, escapePath(f.Path)),
		"contents_url": fmt.Sprintf("%s/repos/%s/contents/%s?ref=%s", s.apiBase(), head.fullName(), escapePath(f.Path), ref),
	}
	if f.HasPatch {
		o["patch"] = f.Patch
	}
	if f.PreviousPath != "" {
		o["previous_filename"] = f.PreviousPath
	}
	return o
}
