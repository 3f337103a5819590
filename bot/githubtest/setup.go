package githubtest

import (
	"fmt"
	"sort"
	"strings"
)

// Set-up helpers: what a test calls to put the fake into the state its scenario needs. They fail the
// test (or panic outside tests) on misuse, so a scenario never runs against half-built state.

// Installation describes an installation of the App for AddInstallation.
type Installation struct {
	ID          int64  // 0 picks one
	Account     string // the user or organization the App is installed on
	AccountType string // "Organization" (default) or "User"
	// RepositorySelection is "all" or "selected"; empty means "selected" when Repositories is set and
	// "all" otherwise.
	RepositorySelection string
	Repositories        []string          // "owner/name" for a "selected" installation
	Permissions         map[string]string // default: distill's recommended set
	Events              []string          // default: pull_request, issue_comment, check_suite
	Suspended           bool
}

// DefaultPermissions is the permission set distill asks for (docs/github.md §3.3).
var DefaultPermissions = map[string]string{
	"checks": "write", "contents": "write", "issues": "write", "metadata": "read", "pull_requests": "write",
}

// Repo describes a repository for AddRepo.
type Repo struct {
	Owner         string
	OwnerType     string // "User" (default) or "Organization"
	Name          string
	ID            int64  // 0 picks one
	DefaultBranch string // default "main"
	Private       bool
	Description   string
	// ForkOf ("owner/name") makes this a fork: it shares the parent's objects (as a fork network does on
	// GitHub) and starts with copies of the parent's branches.
	ForkOf string
	// Files, when set, become the first commit on the default branch.
	Files map[string]string
}

// File is one change for CommitFiles.
type File struct {
	Path    string
	Content string
	Mode    string // default ModeFile; ModeExecutable, ModeSymlink (Content is the target) also work
	Delete  bool
}

// PR describes a pull request for OpenPR.
type PR struct {
	Owner, Repo string // the base repository
	Head        string // head branch
	HeadRepo    string // "owner/name" of a fork; empty for a branch of the base repository
	Base        string // base branch; default: the repository's default branch
	Title       string // default "Update Dockerfile"
	Body        string
	Author      string // login; default "octocat"
	AuthorType  string // "User" (default) or "Bot"
	Draft       bool
	// MaintainerCanModify is the "Allow edits from maintainers" box of a fork PR.
	MaintainerCanModify bool
}

// account returns the account for login, creating it with the given type.
func (s *Server) account(login, typ string) *account {
	key := strings.ToLower(login)
	if a, ok := s.accounts[key]; ok {
		return a
	}
	if typ == "" {
		typ = "User"
		if strings.HasSuffix(login, "[bot]") {
			typ = "Bot"
		}
	}
	a := &account{Login: login, ID: s.newID(), Type: typ}
	s.accounts[key] = a
	return a
}

func (s *Server) botAccount() *account {
	key := strings.ToLower(s.BotLogin())
	if a, ok := s.accounts[key]; ok {
		return a
	}
	a := &account{Login: s.BotLogin(), ID: s.cfg.botUserID, Type: "Bot"}
	s.accounts[key] = a
	return a
}

// AddUser registers a user (type "User", "Bot" or "Organization") and returns its id; logins used by
// other helpers are registered on first use, so this is only needed to fix a type up front.
func (s *Server) AddUser(login, typ string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account(login, typ).ID
}

// AddInstallation installs the App and returns the installation id.
func (s *Server) AddInstallation(in Installation) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Account == "" {
		s.fatalf("AddInstallation: Account is required")
		return 0
	}
	if in.ID == 0 {
		in.ID = s.newID()
	}
	if _, ok := s.installations[in.ID]; ok {
		s.fatalf("AddInstallation: installation %d already exists", in.ID)
		return 0
	}
	typ := in.AccountType
	if typ == "" {
		typ = "Organization"
	}
	sel := in.RepositorySelection
	if sel == "" {
		sel = "all"
		if len(in.Repositories) > 0 {
			sel = "selected"
		}
	}
	perms := in.Permissions
	if perms == nil {
		perms = DefaultPermissions
	}
	events := in.Events
	if events == nil {
		events = []string{"check_suite", "issue_comment", "pull_request"}
	}
	inst := &installation{
		ID: in.ID, Account: s.account(in.Account, typ), Selection: sel, Repos: map[int64]bool{},
		Permissions: copyMap(perms), Events: append([]string(nil), events...), Suspended: in.Suspended,
		CreatedAt: s.clock.now(),
	}
	for _, full := range in.Repositories {
		r, ok := s.repos[strings.ToLower(full)]
		if !ok {
			s.fatalf("AddInstallation: repository %s does not exist (AddRepo it first)", full)
			return 0
		}
		inst.Repos[r.ID] = true
	}
	s.installations[in.ID] = inst
	return in.ID
}

// AddInstallationRepos adds repositories to a "selected" installation (what installation_repositories
// "added" reports).
func (s *Server) AddInstallationRepos(id int64, repos ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.installations[id]
	if !ok {
		s.fatalf("AddInstallationRepos: no installation %d", id)
		return
	}
	for _, full := range repos {
		r, ok := s.repos[strings.ToLower(full)]
		if !ok {
			s.fatalf("AddInstallationRepos: repository %s does not exist", full)
			return
		}
		inst.Repos[r.ID] = true
	}
}

// AddRepo creates a repository and returns its id.
func (s *Server) AddRepo(spec Repo) int64 {
	s.mu.Lock()
	if spec.Owner == "" || spec.Name == "" {
		s.mu.Unlock()
		s.fatalf("AddRepo: Owner and Name are required")
		return 0
	}
	key := strings.ToLower(spec.Owner + "/" + spec.Name)
	if _, ok := s.repos[key]; ok {
		s.mu.Unlock()
		s.fatalf("AddRepo: %s/%s already exists", spec.Owner, spec.Name)
		return 0
	}
	if spec.ID == 0 {
		spec.ID = s.newID()
	}
	if spec.DefaultBranch == "" {
		spec.DefaultBranch = "main"
	}
	now := s.clock.now()
	r := &repository{
		ID: spec.ID, Owner: s.account(spec.Owner, spec.OwnerType), Name: spec.Name, Description: spec.Description,
		Private: spec.Private, DefaultBranch: spec.DefaultBranch, CreatedAt: now, PushedAt: now,
		store: newObjectStore(), refs: map[string]string{}, nextNumber: 1,
		issues: map[int]*Issue{}, pulls: map[int]*pullState{}, permissions: map[string]string{},
	}
	if spec.ForkOf != "" {
		parent, ok := s.repos[strings.ToLower(spec.ForkOf)]
		if !ok {
			s.mu.Unlock()
			s.fatalf("AddRepo: fork parent %s does not exist", spec.ForkOf)
			return 0
		}
		r.Parent, r.store = parent, parent.store
		for ref, sha := range parent.refs {
			if strings.HasPrefix(ref, "refs/heads/") {
				r.refs[ref] = sha
			}
		}
		if spec.DefaultBranch == "main" {
			r.DefaultBranch = parent.DefaultBranch
		}
	}
	s.repos[key] = r
	s.mu.Unlock()
	if len(spec.Files) > 0 {
		s.Commit(spec.Owner, spec.Name, r.DefaultBranch, spec.Files, "Initial commit")
	}
	return r.ID
}

// SetPermission sets what GET /collaborators/{user}/permission answers for user ("admin", "maintain",
// "write", "triage", "read" or "none"). Unset users get "read" on public and "none" on private repos.
func (s *Server) SetPermission(owner, repo, user, permission string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return
	}
	s.account(user, "")
	r.permissions[strings.ToLower(user)] = permission
}

func (s *Server) mustRepo(owner, name string) *repository {
	r, ok := s.repos[strings.ToLower(owner+"/"+name)]
	if !ok {
		s.fatalf("repository %s/%s does not exist", owner, name)
		return nil
	}
	return r
}

// Commit writes files (path → content, mode 100644) on top of branch and returns the new commit SHA.
// A missing branch starts from the default branch (or from nothing in an empty repository).
func (s *Server) Commit(owner, repo, branch string, files map[string]string, message string) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	changes := make([]File, 0, len(files))
	for _, p := range paths {
		changes = append(changes, File{Path: p, Content: files[p]})
	}
	return s.CommitFiles(owner, repo, branch, message, changes...)
}

// CommitFiles is Commit with modes and deletions.
func (s *Server) CommitFiles(owner, repo, branch, message string, files ...File) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return ""
	}
	sha, err := s.commitLocked(r, branch, message, files)
	if err != nil {
		s.fatalf("Commit %s/%s@%s: %v", owner, repo, branch, err)
	}
	return sha
}

func (s *Server) commitLocked(r *repository, branch, message string, files []File) (string, error) {
	ref := "refs/heads/" + branch
	parent, ok := r.refs[ref]
	if !ok {
		parent = r.refs["refs/heads/"+r.DefaultBranch]
	}
	tree := map[string]fileEntry{}
	if parent != "" {
		c, err := r.store.commit(parent)
		if err != nil {
			return "", err
		}
		if tree, err = r.store.flatten(c.Tree); err != nil {
			return "", err
		}
	}
	for _, f := range files {
		p := strings.Trim(f.Path, "/")
		if p == "" {
			return "", fmt.Errorf("empty path")
		}
		if f.Delete {
			delete(tree, p)
			continue
		}
		mode := f.Mode
		if mode == "" {
			mode = ModeFile
		}
		if !validMode(mode) || mode == ModeDir {
			return "", fmt.Errorf("%s: bad mode %q", p, mode)
		}
		tree[p] = fileEntry{Mode: mode, SHA: r.store.putBlob([]byte(f.Content))}
	}
	now := s.clock.now()
	sig := signature{Name: "Distill Test", Email: "test@distill.invalid", When: now}
	cd := commitData{Tree: r.store.buildTree(tree), Author: sig, Committer: sig, Message: message}
	if parent != "" {
		cd.Parents = []string{parent}
	}
	sha := r.store.putCommit(cd)
	r.refs[ref] = sha
	r.PushedAt = now
	return sha, nil
}

// OpenPR opens a pull request (head branch must exist) and returns its number.
func (s *Server) OpenPR(spec PR) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := s.mustRepo(spec.Owner, spec.Repo)
	if base == nil {
		return 0
	}
	head := base
	if spec.HeadRepo != "" {
		owner, name, _ := strings.Cut(spec.HeadRepo, "/")
		if head = s.mustRepo(owner, name); head == nil {
			return 0
		}
	}
	if spec.Base == "" {
		spec.Base = base.DefaultBranch
	}
	if spec.Title == "" {
		spec.Title = "Update Dockerfile"
	}
	if spec.Author == "" {
		spec.Author = "octocat"
	}
	author := s.account(spec.Author, spec.AuthorType)
	pr, err := s.openPRLocked(base, head, spec.Head, spec.Base, spec.Title, spec.Body, author, spec.Draft, spec.MaintainerCanModify)
	if err != nil {
		s.fatalf("OpenPR: %v", err)
		return 0
	}
	return pr.Number
}

func (s *Server) openPRLocked(base, head *repository, headRef, baseRef, title, body string, author *account, draft, canModify bool) (*pullState, error) {
	headSHA, ok := head.refs["refs/heads/"+headRef]
	if !ok {
		return nil, fmt.Errorf("head branch %s does not exist in %s", headRef, head.fullName())
	}
	baseSHA, ok := base.refs["refs/heads/"+baseRef]
	if !ok {
		return nil, fmt.Errorf("base branch %s does not exist in %s", baseRef, base.fullName())
	}
	now := s.clock.now()
	n := base.nextNumber
	base.nextNumber++
	pr := &pullState{
		PullRequest: PullRequest{
			Number: n, ID: s.newID(), Title: title, Body: body, State: "open", Draft: draft,
			User: author.Login, UserType: author.Type, HeadRepo: head.fullName(), HeadRef: headRef, HeadSHA: headSHA,
			BaseRef: baseRef, BaseSHA: baseSHA, MaintainerCanModify: canModify && head != base,
			CreatedAt: now, UpdatedAt: now,
		},
		head: head, base: base,
	}
	base.pulls[n] = pr
	base.issues[n] = &Issue{
		Number: n, ID: s.newID(), Title: title, Body: body, State: "open", User: author.Login, UserType: author.Type,
		IsPullRequest: true, CreatedAt: now, UpdatedAt: now,
	}
	return pr, nil
}

// Push commits files to the head branch of pull request number (in the fork for a fork PR) and returns
// the new head SHA, as a `git push` to the PR branch would.
func (s *Server) Push(owner, repo string, number int, files map[string]string, message string) string {
	s.mu.Lock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		s.mu.Unlock()
		return ""
	}
	pr, ok := r.pulls[number]
	if !ok {
		s.mu.Unlock()
		s.fatalf("Push: %s/%s has no pull request #%d", owner, repo, number)
		return ""
	}
	head := pr.head
	s.mu.Unlock()
	return s.Commit(head.Owner.Login, head.Name, pr.HeadRef, files, message)
}

// refreshPR brings a PR's head and base SHAs up to date with the branches, as GitHub does on push.
func (s *Server) refreshPR(pr *pullState) {
	if pr.State != "open" {
		return
	}
	if sha, ok := pr.head.refs["refs/heads/"+pr.HeadRef]; ok && sha != pr.HeadSHA {
		pr.HeadSHA, pr.UpdatedAt = sha, s.clock.now()
	}
	if sha, ok := pr.base.refs["refs/heads/"+pr.BaseRef]; ok {
		pr.BaseSHA = sha
	}
}

// prFiles computes the PR's file list: merge-base(base, head)..head, as GitHub's three-dot diff.
func (s *Server) prFiles(pr *pullState) ([]fileDiff, error) {
	s.refreshPR(pr)
	store := pr.base.store
	if pr.head.store != store {
		return nil, fmt.Errorf("head and base are not in one fork network")
	}
	from := store.mergeBase(pr.BaseSHA, pr.HeadSHA)
	baseFiles := map[string]fileEntry{}
	if from != "" {
		c, err := store.commit(from)
		if err != nil {
			return nil, err
		}
		if baseFiles, err = store.flatten(c.Tree); err != nil {
			return nil, err
		}
	}
	hc, err := store.commit(pr.HeadSHA)
	if err != nil {
		return nil, err
	}
	headFiles, err := store.flatten(hc.Tree)
	if err != nil {
		return nil, err
	}
	return diffTrees(store, baseFiles, headFiles, s.cfg.patchLimits), nil
}

// resolveCommit turns a branch, tag, "heads/x", "refs/heads/x" or (abbreviated) commit SHA into a commit.
func (r *repository) resolveCommit(ref string) (string, bool) {
	if ref == "" {
		ref = r.DefaultBranch
	}
	for _, cand := range []string{ref, "refs/" + ref, "refs/heads/" + ref, "refs/tags/" + ref} {
		if sha, ok := r.refs[cand]; ok {
			return sha, true
		}
	}
	if len(ref) >= 7 && len(ref) <= 40 {
		ref = strings.ToLower(ref)
		if o, ok := r.store.get(ref); ok && o.kind == kindCommit {
			return ref, true
		}
		var found string
		for sha, o := range r.store.objects {
			if o.kind == kindCommit && strings.HasPrefix(sha, ref) {
				if found != "" {
					return "", false // ambiguous
				}
				found = sha
			}
		}
		return found, found != ""
	}
	return "", false
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
