package githubtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Reviews are where GitHub is strictest and where distill most needs a strict fake: every inline comment
// must sit on a line of the PR diff (added or context lines on the RIGHT, deleted or context lines on
// the LEFT), ranges must stay inside one hunk, and one bad comment rejects the whole review with a 422
// whose messages are GitHub's own (testdata/github/errors/create-review.422.*).

// anchorProblem is what is wrong with one comment's anchor, in GitHub's terms.
type anchorProblem struct {
	pathInvalid      bool
	lineNotInDiff    bool
	startNotSameHunk bool
	startMustPrecede bool
	missing          string // a required field that is absent ("path", "body")
}

func (p anchorProblem) ok() bool {
	return !p.pathInvalid && !p.lineNotInDiff && !p.startNotSameHunk && !p.startMustPrecede && p.missing == ""
}

// reviewMessage renders the problem the way the batch create-review endpoint does: Rails' full messages
// joined as a sentence ("a and b", "a, b, and c").
func (p anchorProblem) reviewMessage() string {
	if p.missing != "" {
		return fmt.Sprintf("Pull request review thread %s can't be blank", p.missing)
	}
	if p.startMustPrecede {
		return "Pull request review thread start line must precede the end line."
	}
	var parts []string
	if p.pathInvalid {
		parts = append(parts, "Pull request review thread path is invalid")
	}
	if p.lineNotInDiff {
		parts = append(parts, "Pull request review thread line must be part of the diff")
	}
	if p.startNotSameHunk {
		parts = append(parts, "Pull request review thread start line must be part of the same hunk as the line.")
	}
	if p.pathInvalid || p.lineNotInDiff {
		parts = append(parts, "Pull request review thread diff hunk can't be blank")
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + ", and " + parts[len(parts)-1]
}

// commentErrors renders the problem the way the single-comment endpoint does (Validation Failed with
// error objects, as in errors/create-review-comment.422.line-not-in-diff.2022.reconstructed.json).
func (p anchorProblem) commentErrors() []obj {
	const res = "PullRequestReviewComment"
	if p.missing != "" {
		return []obj{fieldError(res, p.missing, "missing_field", "")}
	}
	if p.startMustPrecede {
		return []obj{fieldError(res, "pull_request_review_thread.start_line", "custom", "pull_request_review_thread.start_line must precede the end line.")}
	}
	var out []obj
	if p.pathInvalid {
		out = append(out, fieldError(res, "pull_request_review_thread.path", "invalid", "pull_request_review_thread.path is invalid"))
	}
	if p.lineNotInDiff {
		out = append(out, fieldError(res, "pull_request_review_thread.line", "custom", "pull_request_review_thread.line must be part of the diff"))
	}
	if p.startNotSameHunk {
		out = append(out, fieldError(res, "pull_request_review_thread.start_line", "custom", "pull_request_review_thread.start_line must be part of the same hunk as the line."))
	}
	if p.pathInvalid || p.lineNotInDiff {
		out = append(out, fieldError(res, "pull_request_review_thread.diff_hunk", "missing_field", ""))
	}
	return out
}

// draftComment is one comment of a create-review request, or the body of create-review-comment.
type draftComment struct {
	Path      string  `json:"path"`
	Position  *int    `json:"position"`
	Body      *string `json:"body"`
	Line      *int    `json:"line"`
	Side      string  `json:"side"`
	StartLine *int    `json:"start_line"`
	StartSide string  `json:"start_side"`
	CommitID  string  `json:"commit_id"`
	InReplyTo int64   `json:"in_reply_to"`
}

// placeComment validates a comment against the files of the diff and fills in the stored comment.
func placeComment(files []fileDiff, d draftComment) (ReviewComment, anchorProblem) {
	var p anchorProblem
	if d.Path == "" {
		p.missing = "path"
		return ReviewComment{}, p
	}
	if d.Body == nil || *d.Body == "" {
		p.missing = "body"
		return ReviewComment{}, p
	}
	var fd *fileDiff
	for i := range files {
		if files[i].Path == d.Path {
			fd = &files[i]
			break
		}
	}
	if fd == nil {
		p.pathInvalid = true
		return ReviewComment{}, p
	}
	rc := ReviewComment{Path: d.Path, Body: *d.Body}
	var end anchor
	switch {
	case d.Line != nil:
		side := strings.ToUpper(d.Side)
		if side == "" {
			side = "RIGHT"
		}
		startSide := strings.ToUpper(d.StartSide)
		if startSide == "" {
			startSide = side
		}
		if d.StartLine != nil && startSide == side && *d.StartLine >= *d.Line {
			p.startMustPrecede = true
			return ReviewComment{}, p
		}
		var ok bool
		end, ok = fd.findLine(side, *d.Line)
		if !ok {
			p.lineNotInDiff = true
		}
		if d.StartLine != nil {
			start, sok := fd.findLine(startSide, *d.StartLine)
			switch {
			case !sok || !ok || start.hunk != end.hunk:
				p.startNotSameHunk = true
			case start.index >= end.index:
				p.startMustPrecede = true
			}
			rc.StartLine, rc.StartSide = *d.StartLine, startSide
		}
		if !p.ok() {
			return ReviewComment{}, p
		}
		rc.Line, rc.Side = *d.Line, side
	case d.Position != nil:
		a, l, ok := fd.findPosition(*d.Position)
		if !ok {
			p.lineNotInDiff = true
			return ReviewComment{}, p
		}
		end = a
		rc.Line, rc.Side = l.NewLine, "RIGHT"
		if l.Kind == lineDeleted {
			rc.Line, rc.Side = l.OldLine, "LEFT"
		}
	default:
		p.lineNotInDiff = true
		return ReviewComment{}, p
	}
	rc.Position = end.position
	rc.DiffHunk = fd.diffHunkUpTo(end)
	rc.Suggestions = parseSuggestions(rc.Body)
	return rc, p
}

var fenceOpen = regexp.MustCompile("^\\s*(`{3,}|~{3,})\\s*suggestion\\s*$")

// parseSuggestions extracts the contents of ```suggestion blocks, each line ending in "\n".
func parseSuggestions(body string) []string {
	var out []string
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		m := fenceOpen.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		fence := m[1]
		var b strings.Builder
		closed := false
		for i++; i < len(lines); i++ {
			t := strings.TrimSpace(lines[i])
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				closed = true
				break
			}
			b.WriteString(lines[i])
			b.WriteByte('\n')
		}
		if closed {
			out = append(out, b.String())
		}
	}
	return out
}

// filesAt is the PR's diff as of commitID (a commit of the PR's head history); "" means the head.
func (s *Server) filesAt(pr *pullState, commitID string) ([]fileDiff, string, bool) {
	s.refreshPR(pr)
	if commitID == "" || commitID == pr.HeadSHA {
		files, err := s.prFiles(pr)
		return files, pr.HeadSHA, err == nil
	}
	store := pr.base.store
	if !store.isAncestor(commitID, pr.HeadSHA) {
		return nil, "", false
	}
	at := *pr
	at.State = "closed" // freeze: refreshPR leaves closed PRs alone
	at.HeadSHA = commitID
	files, err := s.prFiles(&at)
	return files, commitID, err == nil
}

func (s *Server) handleCreateReview(c *call) {
	var in struct {
		CommitID string         `json:"commit_id"`
		Body     *string        `json:"body"`
		Event    *string        `json:"event"`
		Comments []draftComment `json:"comments"`
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
	event := ""
	if in.Event != nil {
		event = strings.ToUpper(*in.Event)
	}
	body := ""
	if in.Body != nil {
		body = *in.Body
	}
	bot := s.botAccount()
	var state string
	switch event {
	case "":
		state = "PENDING"
	case "COMMENT":
		state = "COMMENTED"
	case "APPROVE":
		state = "APPROVED"
	case "REQUEST_CHANGES":
		state = "CHANGES_REQUESTED"
	default:
		c.validationFailed(fieldError("PullRequestReview", "event", "invalid", ""))
		return
	}
	if (event == "COMMENT" || event == "REQUEST_CHANGES") && strings.TrimSpace(body) == "" {
		c.unprocessable("Review body can't be blank")
		return
	}
	if c.bodyTooLong("PullRequestReview", body) {
		return
	}
	if strings.EqualFold(pr.User, bot.Login) {
		switch event {
		case "APPROVE":
			c.unprocessable("Can not approve your own pull request")
			return
		case "REQUEST_CHANGES":
			c.unprocessable("Can not request changes on your own pull request")
			return
		}
	}
	if state == "PENDING" {
		for _, rv := range c.repo.reviews {
			if rv.PullNumber == pr.Number && rv.State == "PENDING" && rv.User == bot.Login {
				c.unprocessable("User can only have one pending review per pull request")
				return
			}
		}
	}
	files, commitID, ok := s.filesAt(pr, in.CommitID)
	if !ok {
		c.unprocessable("Pull request review commit_id is not part of the pull request")
		return
	}
	var msgs []string
	seen := map[string]bool{}
	var placed []ReviewComment
	for _, d := range in.Comments {
		if d.Body != nil && c.bodyTooLong("PullRequestReviewComment", *d.Body) {
			return
		}
		rc, p := placeComment(files, d)
		if !p.ok() {
			if m := p.reviewMessage(); !seen[m] {
				seen[m] = true
				msgs = append(msgs, m)
			}
			continue
		}
		placed = append(placed, rc)
	}
	if len(msgs) > 0 {
		c.unprocessable(msgs...) // all or nothing: nothing is stored
		return
	}
	now := s.clock.now()
	rv := &Review{ID: s.newID(), PullNumber: pr.Number, User: bot.Login, Body: body, State: state, CommitID: commitID}
	if state != "PENDING" {
		rv.SubmittedAt = now
	}
	for _, rc := range placed {
		rc.ID, rc.ReviewID, rc.PullNumber, rc.CommitID, rc.User = s.newID(), rv.ID, pr.Number, commitID, bot.Login
		rc.CreatedAt, rc.UpdatedAt = now, now
		stored := rc
		c.repo.revComments = append(c.repo.revComments, &stored)
	}
	c.repo.reviews = append(c.repo.reviews, rv)
	c.writeJSON(http.StatusOK, s.renderReview(c.repo, rv))
}

func (s *Server) reviewFor(c *call, pr *pullState) (*Review, bool) {
	id, ok := c.int64Param("id")
	if ok {
		for _, rv := range c.repo.reviews {
			if rv.ID == id && rv.PullNumber == pr.Number {
				return rv, true
			}
		}
	}
	c.notFound()
	return nil, false
}

func (s *Server) handleListReviews(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	var all []*Review
	for _, rv := range c.repo.reviews {
		if rv.PullNumber == pr.Number {
			all = append(all, rv)
		}
	}
	start, end := c.page(len(all))
	out := []any{}
	for _, rv := range all[start:end] {
		out = append(out, s.renderReview(c.repo, rv))
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) handleGetReview(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	if rv, ok := s.reviewFor(c, pr); ok {
		c.writeJSON(http.StatusOK, s.renderReview(c.repo, rv))
	}
}

func (s *Server) handleUpdateReview(c *call) {
	var in struct {
		Body *string `json:"body"`
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
	rv, ok := s.reviewFor(c, pr)
	if !ok {
		return
	}
	if in.Body == nil {
		c.validationFailed(fieldError("PullRequestReview", "body", "missing_field", ""))
		return
	}
	if c.bodyTooLong("PullRequestReview", *in.Body) {
		return
	}
	rv.Body = *in.Body
	c.writeJSON(http.StatusOK, s.renderReview(c.repo, rv))
}

func (s *Server) handleSubmitReview(c *call) {
	var in struct {
		Body  string `json:"body"`
		Event string `json:"event"`
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
	rv, ok := s.reviewFor(c, pr)
	if !ok {
		return
	}
	if rv.State != "PENDING" {
		c.unprocessable("Can not submit a non-pending pull request review")
		return
	}
	state := map[string]string{"COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}[strings.ToUpper(in.Event)]
	if state == "" {
		c.validationFailed(fieldError("PullRequestReview", "event", "invalid", ""))
		return
	}
	if in.Body != "" {
		rv.Body = in.Body
	}
	if state != "APPROVED" && strings.TrimSpace(rv.Body) == "" {
		c.unprocessable("Review body can't be blank")
		return
	}
	rv.State, rv.SubmittedAt = state, s.clock.now()
	c.writeJSON(http.StatusOK, s.renderReview(c.repo, rv))
}

func (s *Server) handleDismissReview(c *call) {
	var in struct {
		Message string `json:"message"`
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
	rv, ok := s.reviewFor(c, pr)
	if !ok {
		return
	}
	switch rv.State {
	case "APPROVED", "CHANGES_REQUESTED":
	case "COMMENTED":
		c.unprocessable("Can not dismiss a commented pull request review")
		return
	case "DISMISSED":
		c.unprocessable("Can not dismiss a dismissed pull request review")
		return
	default:
		c.unprocessable("Can not dismiss a pending pull request review")
		return
	}
	rv.State = "DISMISSED"
	c.writeJSON(http.StatusOK, s.renderReview(c.repo, rv))
}

func (s *Server) handleDeletePendingReview(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	rv, ok := s.reviewFor(c, pr)
	if !ok {
		return
	}
	if rv.State != "PENDING" {
		c.unprocessable("Can not delete a non-pending pull request review")
		return
	}
	out := s.renderReview(c.repo, rv)
	keep := c.repo.reviews[:0]
	for _, x := range c.repo.reviews {
		if x != rv {
			keep = append(keep, x)
		}
	}
	c.repo.reviews = keep
	comments := c.repo.revComments[:0]
	for _, x := range c.repo.revComments {
		if x.ReviewID != rv.ID {
			comments = append(comments, x)
		}
	}
	c.repo.revComments = comments
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) listReviewComments(c *call, keep func(*ReviewComment) bool) {
	var all []*ReviewComment
	for _, rc := range c.repo.revComments {
		if keep(rc) {
			all = append(all, rc)
		}
	}
	start, end := c.page(len(all))
	out := []any{}
	for _, rc := range all[start:end] {
		out = append(out, s.renderReviewComment(c.repo, rc))
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) handleListPullComments(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	pending := s.pendingReviews(c.repo)
	s.listReviewComments(c, func(rc *ReviewComment) bool { return rc.PullNumber == pr.Number && !pending[rc.ReviewID] })
}

func (s *Server) pendingReviews(r *repository) map[int64]bool {
	out := map[int64]bool{}
	for _, rv := range r.reviews {
		if rv.State == "PENDING" {
			out[rv.ID] = true
		}
	}
	return out
}

func (s *Server) handleListReviewComments(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	rv, ok := s.reviewFor(c, pr)
	if !ok {
		return
	}
	s.listReviewComments(c, func(rc *ReviewComment) bool { return rc.ReviewID == rv.ID })
}

// handleCreatePullComment is POST pulls/{n}/comments: one comment, in a review of its own, or a reply.
func (s *Server) handleCreatePullComment(c *call) {
	var d draftComment
	if !c.decode(&d) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pr, ok := s.pullFor(c)
	if !ok {
		return
	}
	bot := s.botAccount()
	now := s.clock.now()
	if d.Body != nil && c.bodyTooLong("PullRequestReviewComment", *d.Body) {
		return
	}
	var rc ReviewComment
	if d.InReplyTo != 0 {
		var parent *ReviewComment
		for _, x := range c.repo.revComments {
			if x.ID == d.InReplyTo && x.PullNumber == pr.Number {
				parent = x
			}
		}
		if parent == nil {
			c.notFound()
			return
		}
		if d.Body == nil || *d.Body == "" {
			c.validationFailed(fieldError("PullRequestReviewComment", "body", "missing_field", ""))
			return
		}
		rc = *parent
		rc.Body, rc.InReplyTo, rc.Suggestions = *d.Body, parent.ID, parseSuggestions(*d.Body)
	} else {
		if d.CommitID == "" {
			c.validationFailed(fieldError("PullRequestReviewComment", "commit_id", "missing_field", ""))
			return
		}
		files, commitID, ok := s.filesAt(pr, d.CommitID)
		if !ok {
			c.validationFailed(fieldError("PullRequestReviewComment", "commit_id", "invalid", "commit_id is not part of the pull request"))
			return
		}
		var p anchorProblem
		rc, p = placeComment(files, d)
		if !p.ok() {
			c.validationFailed(p.commentErrors()...)
			return
		}
		rc.CommitID = commitID
	}
	rv := &Review{ID: s.newID(), PullNumber: pr.Number, User: bot.Login, State: "COMMENTED", CommitID: rc.CommitID, SubmittedAt: now}
	c.repo.reviews = append(c.repo.reviews, rv)
	rc.ID, rc.ReviewID, rc.PullNumber, rc.User, rc.CreatedAt, rc.UpdatedAt = s.newID(), rv.ID, pr.Number, bot.Login, now, now
	stored := rc
	c.repo.revComments = append(c.repo.revComments, &stored)
	c.writeJSON(http.StatusCreated, s.renderReviewComment(c.repo, &stored))
}

func (s *Server) handleEditPullComment(c *call) {
	var in struct {
		Body *string `json:"body"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := c.int64Param("id")
	for _, rc := range c.repo.revComments {
		if rc.ID != id {
			continue
		}
		if in.Body == nil || *in.Body == "" {
			c.validationFailed(fieldError("PullRequestReviewComment", "body", "missing_field", ""))
			return
		}
		if c.bodyTooLong("PullRequestReviewComment", *in.Body) {
			return
		}
		rc.Body, rc.Suggestions, rc.UpdatedAt = *in.Body, parseSuggestions(*in.Body), s.clock.now()
		c.writeJSON(http.StatusOK, s.renderReviewComment(c.repo, rc))
		return
	}
	c.notFound()
}

// Reviews returns the reviews of pull request number, oldest first, each with its inline comments.
func (s *Server) Reviews(owner, repo string, number int) []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[strings.ToLower(owner+"/"+repo)]
	if !ok {
		return nil
	}
	var out []Review
	for _, rv := range r.reviews {
		if rv.PullNumber != number {
			continue
		}
		cp := *rv
		cp.Comments = nil
		for _, rc := range r.revComments {
			if rc.ReviewID == rv.ID {
				x := *rc
				x.Suggestions = append([]string(nil), rc.Suggestions...)
				cp.Comments = append(cp.Comments, x)
			}
		}
		out = append(out, cp)
	}
	return out
}
