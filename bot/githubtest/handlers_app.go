package githubtest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

func (s *Server) handleGetApp(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.writeJSON(http.StatusOK, s.renderApp())
}

func (s *Server) sortedInstallations() []*installation {
	out := make([]*installation, 0, len(s.installations))
	for _, in := range s.installations {
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) handleListInstallations(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.sortedInstallations()
	start, end := c.page(len(all))
	out := []any{}
	for _, in := range all[start:end] {
		out = append(out, s.renderInstallation(in))
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) handleGetInstallation(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := c.int64Param("id")
	in, ok := s.installations[id]
	if !ok {
		c.notFound()
		return
	}
	c.writeJSON(http.StatusOK, s.renderInstallation(in))
}

// handleCreateToken is POST /app/installations/{id}/access_tokens: a fresh token for the installation,
// optionally narrowed to some repositories and permissions.
func (s *Server) handleCreateToken(c *call) {
	var in struct {
		Repositories  []string          `json:"repositories"`
		RepositoryIDs []int64           `json:"repository_ids"`
		Permissions   map[string]string `json:"permissions"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := c.int64Param("id")
	inst, ok := s.installations[id]
	if !ok {
		c.notFound()
		return
	}
	if inst.Suspended {
		c.errorf(http.StatusForbidden, "This installation has been suspended")
		return
	}
	var narrowed map[int64]bool
	if len(in.Repositories) > 0 || len(in.RepositoryIDs) > 0 {
		narrowed = map[int64]bool{}
		for _, r := range s.repos {
			if !inst.covers(r) {
				continue
			}
			for _, name := range in.Repositories {
				if strings.EqualFold(name, r.Name) {
					narrowed[r.ID] = true
				}
			}
			for _, rid := range in.RepositoryIDs {
				if rid == r.ID {
					narrowed[r.ID] = true
				}
			}
		}
		if len(narrowed) != len(in.Repositories)+len(in.RepositoryIDs) {
			c.unprocessable("There is at least one repository that does not exist or is not accessible to the parent installation.")
			return
		}
	}
	perms := inst.Permissions
	if in.Permissions != nil {
		for k, v := range in.Permissions {
			have, ok := inst.Permissions[k]
			if !ok || (v == "write" && have != "write" && have != "admin") {
				c.unprocessable("The permissions requested are not granted to this installation.")
				return
			}
		}
		perms = in.Permissions
	}
	t := s.mintLocked(id, narrowed, copyMap(perms))
	selection := inst.Selection
	if narrowed != nil {
		selection = "selected"
	}
	out := obj{
		"token": t.token, "expires_at": t.expiresAt.UTC().Format(time.RFC3339), "permissions": t.permissions,
		"repository_selection": selection,
	}
	if selection == "selected" {
		repos := []any{}
		for _, r := range s.sortedRepos() {
			if inst.covers(r) && (narrowed == nil || narrowed[r.ID]) {
				repos = append(repos, s.renderRepo(r))
			}
		}
		out["repositories"] = repos
	}
	c.writeJSON(http.StatusCreated, out)
}

func (s *Server) sortedRepos() []*repository {
	out := make([]*repository, 0, len(s.repos))
	for _, r := range s.repos {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// handleRepoInstallation is GET /repos/{owner}/{repo}/installation (App JWT).
func (s *Server) handleRepoInstallation(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[strings.ToLower(c.param("owner")+"/"+c.param("repo"))]
	if ok {
		for _, in := range s.sortedInstallations() {
			if in.covers(r) {
				c.writeJSON(http.StatusOK, s.renderInstallation(in))
				return
			}
		}
	}
	c.notFound()
}

// handleAccountInstallation is GET /orgs/{org}/installation and /users/{user}/installation.
func (s *Server) handleAccountInstallation(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	login := c.param("account")
	for _, in := range s.sortedInstallations() {
		if strings.EqualFold(in.Account.Login, login) {
			c.writeJSON(http.StatusOK, s.renderInstallation(in))
			return
		}
	}
	c.notFound()
}

// handleInstallationRepos is GET /installation/repositories (installation token).
func (s *Server) handleInstallationRepos(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[c.auth.token]
	var all []*repository
	for _, r := range s.sortedRepos() {
		if c.auth.installation.covers(r) && (t == nil || t.repos == nil || t.repos[r.ID]) {
			all = append(all, r)
		}
	}
	start, end := c.page(len(all))
	repos := []any{}
	for _, r := range all[start:end] {
		repos = append(repos, s.renderRepo(r))
	}
	out := obj{"total_count": len(all), "repositories": repos}
	if c.auth.installation.Selection == "selected" {
		out["repository_selection"] = "selected"
	} else {
		out["repository_selection"] = "all"
	}
	c.writeJSON(http.StatusOK, out)
}
