package githubtest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

func (s *Server) issueFor(c *call) (*Issue, bool) {
	n, ok := c.intParam("number")
	if ok {
		if is, ok := c.repo.issues[n]; ok {
			return is, true
		}
	}
	c.notFound()
	return nil, false
}

func (s *Server) handleGetIssue(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if is, ok := s.issueFor(c); ok {
		c.writeJSON(http.StatusOK, s.renderIssue(c.repo, is))
	}
}

func (s *Server) handleListIssues(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	ns := make([]int, 0, len(c.repo.issues))
	for n := range c.repo.issues {
		ns = append(ns, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ns))) // newest first, GitHub's default
	var all []*Issue
	for _, n := range ns {
		is := c.repo.issues[n]
		if state != "all" && is.State != state {
			continue
		}
		if cr := q.Get("creator"); cr != "" && !strings.EqualFold(cr, is.User) {
			continue
		}
		if l := q.Get("labels"); l != "" && !hasAllLabels(is.Labels, strings.Split(l, ",")) {
			continue
		}
		all = append(all, is)
	}
	start, end := c.page(len(all))
	out := []any{}
	for _, is := range all[start:end] {
		out = append(out, s.renderIssue(c.repo, is))
	}
	c.writeJSON(http.StatusOK, out)
}

func hasAllLabels(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if strings.EqualFold(h, strings.TrimSpace(w)) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

type issueInput struct {
	Title       *string  `json:"title"`
	Body        *string  `json:"body"`
	State       *string  `json:"state"`
	StateReason *string  `json:"state_reason"`
	Labels      []string `json:"labels"`
}

func (s *Server) handleCreateIssue(c *call) {
	var in issueInput
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Title == nil || *in.Title == "" {
		c.validationFailed(fieldError("Issue", "title", "missing_field", ""))
		return
	}
	body := ""
	if in.Body != nil {
		body = *in.Body
	}
	if c.bodyTooLong("Issue", body) {
		return
	}
	now := s.clock.now()
	bot := s.botAccount()
	is := &Issue{
		Number: c.repo.nextNumber, ID: s.newID(), Title: *in.Title, Body: body, State: "open",
		User: bot.Login, UserType: bot.Type, Labels: in.Labels, CreatedAt: now, UpdatedAt: now,
	}
	c.repo.nextNumber++
	c.repo.issues[is.Number] = is
	c.writeJSON(http.StatusCreated, s.renderIssue(c.repo, is))
}

func (s *Server) handleEditIssue(c *call) {
	var in issueInput
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issueFor(c)
	if !ok {
		return
	}
	if in.Body != nil && c.bodyTooLong("Issue", *in.Body) {
		return
	}
	if in.State != nil && *in.State != "open" && *in.State != "closed" {
		c.validationFailed(fieldError("Issue", "state", "invalid", ""))
		return
	}
	now := s.clock.now()
	pr := c.repo.pulls[is.Number]
	if in.Title != nil {
		is.Title = *in.Title
		if pr != nil {
			pr.Title = *in.Title
		}
	}
	if in.Body != nil {
		is.Body = *in.Body
		if pr != nil {
			pr.Body = *in.Body
		}
	}
	if in.Labels != nil {
		is.Labels = in.Labels
	}
	if in.State != nil && *in.State != is.State {
		is.State = *in.State
		if is.State == "closed" {
			is.ClosedAt = now
			is.StateReason = "completed"
			if in.StateReason != nil {
				is.StateReason = *in.StateReason
			}
		} else {
			is.ClosedAt, is.StateReason = time.Time{}, ""
		}
		if pr != nil {
			pr.State, pr.ClosedAt = is.State, is.ClosedAt
		}
	}
	is.UpdatedAt = now
	c.writeJSON(http.StatusOK, s.renderIssue(c.repo, is))
}

func (s *Server) handleListIssueComments(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issueFor(c)
	if !ok {
		return
	}
	var all []*IssueComment
	for _, cm := range c.repo.comments {
		if cm.IssueNumber == is.Number {
			all = append(all, cm)
		}
	}
	start, end := c.page(len(all))
	out := []any{}
	for _, cm := range all[start:end] {
		out = append(out, s.renderIssueComment(c.repo, cm))
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) handleCreateIssueComment(c *call) {
	var in struct {
		Body *string `json:"body"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issueFor(c)
	if !ok {
		return
	}
	if in.Body == nil || *in.Body == "" {
		c.validationFailed(fieldError("IssueComment", "body", "missing_field", ""))
		return
	}
	if c.bodyTooLong("IssueComment", *in.Body) {
		return
	}
	bot := s.botAccount()
	cm := s.addCommentLocked(c.repo, is.Number, bot, *in.Body)
	c.w.Header().Set("Location", s.apiBase()+"/repos/"+c.repo.fullName()+"/issues/comments/"+itoa(cm.ID))
	c.writeJSON(http.StatusCreated, s.renderIssueComment(c.repo, cm))
}

func (s *Server) addCommentLocked(r *repository, number int, by *account, body string) *IssueComment {
	now := s.clock.now()
	cm := &IssueComment{ID: s.newID(), IssueNumber: number, Body: body, User: by.Login, UserType: by.Type, CreatedAt: now, UpdatedAt: now}
	r.comments = append(r.comments, cm)
	return cm
}

func (s *Server) commentFor(c *call) (*IssueComment, bool) {
	id, ok := c.int64Param("id")
	if ok {
		for _, cm := range c.repo.comments {
			if cm.ID == id {
				return cm, true
			}
		}
	}
	c.notFound()
	return nil, false
}

func (s *Server) handleGetIssueComment(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cm, ok := s.commentFor(c); ok {
		c.writeJSON(http.StatusOK, s.renderIssueComment(c.repo, cm))
	}
}

func (s *Server) handleEditIssueComment(c *call) {
	var in struct {
		Body *string `json:"body"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, ok := s.commentFor(c)
	if !ok {
		return
	}
	if in.Body == nil || *in.Body == "" {
		c.validationFailed(fieldError("IssueComment", "body", "missing_field", ""))
		return
	}
	if c.bodyTooLong("IssueComment", *in.Body) {
		return
	}
	cm.Body, cm.UpdatedAt = *in.Body, s.clock.now()
	c.writeJSON(http.StatusOK, s.renderIssueComment(c.repo, cm))
}

var reactionContents = map[string]bool{"+1": true, "-1": true, "laugh": true, "confused": true, "heart": true, "hooray": true, "rocket": true, "eyes": true}

// handleCreateReaction answers 201 for a new reaction and 200 with the existing one when the same user
// already reacted with the same content, as GitHub documents.
func (s *Server) handleCreateReaction(c *call) {
	var in struct {
		Content string `json:"content"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, ok := s.commentFor(c)
	if !ok {
		return
	}
	if !reactionContents[in.Content] {
		c.validationFailed(fieldError("Reaction", "content", "invalid", ""))
		return
	}
	bot := s.botAccount()
	for _, x := range c.repo.reactions {
		if x.CommentID == cm.ID && x.Content == in.Content && x.User == bot.Login {
			c.writeJSON(http.StatusOK, s.renderReaction(x))
			return
		}
	}
	x := &Reaction{ID: s.newID(), CommentID: cm.ID, Content: in.Content, User: bot.Login, CreatedAt: s.clock.now()}
	c.repo.reactions = append(c.repo.reactions, x)
	c.writeJSON(http.StatusCreated, s.renderReaction(x))
}

func (s *Server) handleListReactions(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cm, ok := s.commentFor(c)
	if !ok {
		return
	}
	content := c.r.URL.Query().Get("content")
	var all []*Reaction
	for _, x := range c.repo.reactions {
		if x.CommentID == cm.ID && (content == "" || x.Content == content) {
			all = append(all, x)
		}
	}
	start, end := c.page(len(all))
	out := []any{}
	for _, x := range all[start:end] {
		out = append(out, s.renderReaction(x))
	}
	c.writeJSON(http.StatusOK, out)
}

// AddIssueComment posts a comment as user (e.g. someone typing "/optimize") and returns its id; pair it
// with IssueCommentEvent to deliver the matching webhook.
func (s *Server) AddIssueComment(owner, repo string, number int, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(owner, repo)
	if r == nil {
		return 0
	}
	if _, ok := r.issues[number]; !ok {
		s.fatalf("AddIssueComment: %s/%s has no issue or pull request #%d", owner, repo, number)
		return 0
	}
	return s.addCommentLocked(r, number, s.account(user, ""), body).ID
}
