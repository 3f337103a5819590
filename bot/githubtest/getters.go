package githubtest

import (
	"strings"
)

// Typed views of the fake's state, for assertions. Each returns copies, so tests can hold on to them
// while the bot keeps working.

func (s *Server) repoLocked(owner, repo string) *repository {
	return s.repos[strings.ToLower(owner+"/"+repo)]
}

// PullRequests returns the repository's pull requests, by number.
func (s *Server) PullRequests(owner, repo string) []PullRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return nil
	}
	var out []PullRequest
	for _, n := range sortedPullNumbers(r) {
		pr := r.pulls[n]
		s.refreshPR(pr)
		out = append(out, pr.PullRequest)
	}
	return out
}

// Issues returns the repository's issues (pull requests included, with IsPullRequest set), by number.
func (s *Server) Issues(owner, repo string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return nil
	}
	var out []Issue
	for n := 1; n < r.nextNumber; n++ {
		if is, ok := r.issues[n]; ok {
			x := *is
			x.Labels = append([]string(nil), is.Labels...)
			out = append(out, x)
		}
	}
	return out
}

// IssueComments returns the conversation comments of issue or pull request number, oldest first.
func (s *Server) IssueComments(owner, repo string, number int) []IssueComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return nil
	}
	var out []IssueComment
	for _, c := range r.comments {
		if c.IssueNumber == number {
			out = append(out, *c)
		}
	}
	return out
}

// Reactions returns the reactions on issue comment commentID, oldest first.
func (s *Server) Reactions(owner, repo string, commentID int64) []Reaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return nil
	}
	var out []Reaction
	for _, x := range r.reactions {
		if x.CommentID == commentID {
			out = append(out, *x)
		}
	}
	return out
}

// Ref returns the commit SHA branch points at, or "" when there is no such branch.
func (s *Server) Ref(owner, repo, branch string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return ""
	}
	return r.refs["refs/heads/"+strings.TrimPrefix(branch, "refs/heads/")]
}

// FileAt returns the content of path at ref (branch, tag or commit SHA) and whether it exists.
func (s *Server) FileAt(owner, repo, ref, path string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return "", false
	}
	sha, ok := r.resolveCommit(ref)
	if !ok {
		return "", false
	}
	cd, err := r.store.commit(sha)
	if err != nil {
		return "", false
	}
	e, err := r.store.lookupPath(cd.Tree, path)
	if err != nil || e.Mode == ModeDir {
		return "", false
	}
	o, ok := r.store.get(e.SHA)
	if !ok {
		return "", false
	}
	return string(o.raw), true
}

// Files returns every file path → content at ref, for whole-tree assertions.
func (s *Server) Files(owner, repo, ref string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return nil
	}
	sha, ok := r.resolveCommit(ref)
	if !ok {
		return nil
	}
	cd, err := r.store.commit(sha)
	if err != nil {
		return nil
	}
	flat, err := r.store.flatten(cd.Tree)
	if err != nil {
		return nil
	}
	out := make(map[string]string, len(flat))
	for p, f := range flat {
		if o, ok := r.store.get(f.SHA); ok {
			out[p] = string(o.raw)
		}
	}
	return out
}

// CommitInfo describes a commit, for asserting what the bot committed.
type CommitInfo struct {
	SHA       string
	Tree      string
	Parents   []string
	Message   string
	Author    string // "Name <email>"
	Committer string
}

// CommitAt describes the commit ref resolves to.
func (s *Server) CommitAt(owner, repo, ref string) (CommitInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, repo)
	if r == nil {
		return CommitInfo{}, false
	}
	sha, ok := r.resolveCommit(ref)
	if !ok {
		return CommitInfo{}, false
	}
	cd, err := r.store.commit(sha)
	if err != nil {
		return CommitInfo{}, false
	}
	return CommitInfo{
		SHA: sha, Tree: cd.Tree, Parents: append([]string(nil), cd.Parents...), Message: cd.Message,
		Author: cd.Author.Name + " <" + cd.Author.Email + ">", Committer: cd.Committer.Name + " <" + cd.Committer.Email + ">",
	}, true
}
