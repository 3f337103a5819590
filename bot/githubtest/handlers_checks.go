package githubtest

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	maxAnnotations = 50    // per create or update request
	maxCheckText   = 65535 // output.summary and output.text
)

type checkRunInput struct {
	Name        *string    `json:"name"`
	HeadSHA     *string    `json:"head_sha"`
	DetailsURL  *string    `json:"details_url"`
	ExternalID  *string    `json:"external_id"`
	Status      *string    `json:"status"`
	Conclusion  *string    `json:"conclusion"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	Output      *struct {
		Title       *string      `json:"title"`
		Summary     *string      `json:"summary"`
		Text        *string      `json:"text"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

var conclusions = map[string]bool{"action_required": true, "cancelled": true, "failure": true, "neutral": true, "success": true, "skipped": true, "stale": true, "timed_out": true}
var statuses = map[string]bool{"queued": true, "in_progress": true, "completed": true, "waiting": true, "requested": true, "pending": true}

// applyCheckRun validates in and applies it to cr; false means a 422 was written.
func (s *Server) applyCheckRun(c *call, cr *CheckRun, in checkRunInput) bool {
	if in.Output != nil {
		if len(in.Output.Annotations) > maxAnnotations {
			c.validationFailed(fieldError("CheckRun", "output.annotations", "custom", "Only 50 annotations are allowed per request"))
			return false
		}
		for _, t := range []*string{in.Output.Summary, in.Output.Text} {
			if t != nil && utf8.RuneCountInString(*t) > maxCheckText {
				c.validationFailed(fieldError("CheckRun", "output", "custom", "Output summary and text must be 65535 characters or less"))
				return false
			}
		}
		if in.Output.Summary == nil && cr.Summary == "" {
			c.validationFailed(fieldError("CheckRun", "output.summary", "missing_field", ""))
			return false
		}
		for _, a := range in.Output.Annotations {
			if a.Path == "" || a.StartLine == 0 || a.EndLine == 0 || a.Message == "" ||
				(a.AnnotationLevel != "notice" && a.AnnotationLevel != "warning" && a.AnnotationLevel != "failure") {
				c.validationFailed(fieldError("CheckRun", "output.annotations", "invalid", ""))
				return false
			}
		}
	}
	status := cr.Status
	if in.Status != nil {
		if !statuses[*in.Status] {
			c.validationFailed(fieldError("CheckRun", "status", "invalid", ""))
			return false
		}
		status = *in.Status
	}
	conclusion := cr.Conclusion
	if in.Conclusion != nil {
		if !conclusions[*in.Conclusion] {
			c.validationFailed(fieldError("CheckRun", "conclusion", "invalid", ""))
			return false
		}
		conclusion = *in.Conclusion
		if in.Status == nil {
			status = "completed" // GitHub: providing a conclusion sets the status to completed
		}
	}
	if status == "completed" && conclusion == "" {
		c.validationFailed(fieldError("CheckRun", "conclusion", "missing_field", ""))
		return false
	}
	now := s.clock.now()
	cr.Status, cr.Conclusion = status, conclusion
	if in.DetailsURL != nil {
		cr.DetailsURL = *in.DetailsURL
	}
	if in.ExternalID != nil {
		cr.ExternalID = *in.ExternalID
	}
	if in.StartedAt != nil {
		cr.StartedAt = in.StartedAt.UTC()
	}
	if in.CompletedAt != nil {
		cr.CompletedAt = in.CompletedAt.UTC()
	} else if status == "completed" && cr.CompletedAt.IsZero() {
		cr.CompletedAt = now
	}
	if in.Output != nil {
		if in.Output.Title != nil {
			cr.Title = *in.Output.Title
		}
		if in.Output.Summary != nil {
			cr.Summary = *in.Output.Summary
		}
		if in.Output.Text != nil {
			cr.Text = *in.Output.Text
		}
		cr.Annotations = append(cr.Annotations, in.Output.Annotations...) // updates append, as on GitHub
	}
	return true
}

func (s *Server) handleCreateCheckRun(c *call) {
	var in checkRunInput
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Name == nil || *in.Name == "" {
		c.validationFailed(fieldError("CheckRun", "name", "missing_field", ""))
		return
	}
	if in.HeadSHA == nil {
		c.validationFailed(fieldError("CheckRun", "head_sha", "missing_field", ""))
		return
	}
	if o, ok := c.repo.store.get(*in.HeadSHA); !ok || o.kind != kindCommit {
		c.unprocessable("No commit found for SHA: " + *in.HeadSHA)
		return
	}
	cr := &CheckRun{ID: s.newID(), Name: *in.Name, HeadSHA: strings.ToLower(*in.HeadSHA), Status: "queued", StartedAt: s.clock.now()}
	if !s.applyCheckRun(c, cr, in) {
		return
	}
	c.repo.checkRuns = append(c.repo.checkRuns, cr)
	c.writeJSON(http.StatusCreated, s.renderCheckRun(c.repo, cr))
}

func (s *Server) checkRunFor(c *call) (*CheckRun, bool) {
	id, ok := c.int64Param("id")
	if ok {
		for _, cr := range c.repo.checkRuns {
			if cr.ID == id {
				return cr, true
			}
		}
	}
	c.notFound()
	return nil, false
}

func (s *Server) handleUpdateCheckRun(c *call) {
	var in checkRunInput
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, ok := s.checkRunFor(c)
	if !ok {
		return
	}
	next := *cr
	next.Annotations = append([]Annotation(nil), cr.Annotations...)
	if !s.applyCheckRun(c, &next, in) {
		return
	}
	if in.Name != nil {
		next.Name = *in.Name
	}
	*cr = next
	c.writeJSON(http.StatusOK, s.renderCheckRun(c.repo, cr))
}

func (s *Server) handleGetCheckRun(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cr, ok := s.checkRunFor(c); ok {
		c.writeJSON(http.StatusOK, s.renderCheckRun(c.repo, cr))
	}
}

func (s *Server) handleListCheckRunAnnotations(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, ok := s.checkRunFor(c)
	if !ok {
		return
	}
	start, end := c.page(len(cr.Annotations))
	out := []any{}
	for _, a := range cr.Annotations[start:end] {
		out = append(out, obj{
			"path": a.Path, "start_line": a.StartLine, "end_line": a.EndLine, "start_column": a.StartColumn,
			"end_column": a.EndColumn, "annotation_level": a.AnnotationLevel, "title": nullIfEmpty(a.Title),
			"message": a.Message, "raw_details": nullIfEmpty(a.RawDetails),
			"blob_href": s.URL + "/" + c.repo.fullName() + "/blob/" + cr.HeadSHA + "/" + escapePath(a.Path),
		})
	}
	c.writeJSON(http.StatusOK, out)
}

func (s *Server) handleListCheckRunsForRef(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sha, ok := c.repo.resolveCommit(c.param("ref"))
	if !ok {
		c.unprocessable("No commit found for SHA: " + c.param("ref"))
		return
	}
	q := c.r.URL.Query()
	var all []*CheckRun
	for i := len(c.repo.checkRuns) - 1; i >= 0; i-- {
		cr := c.repo.checkRuns[i]
		if cr.HeadSHA != sha || (q.Get("check_name") != "" && cr.Name != q.Get("check_name")) ||
			(q.Get("status") != "" && cr.Status != q.Get("status")) {
			continue
		}
		all = append(all, cr)
	}
	start, end := c.page(len(all))
	runs := []any{}
	for _, cr := range all[start:end] {
		runs = append(runs, s.renderCheckRun(c.repo, cr))
	}
	c.writeJSON(http.StatusOK, obj{"total_count": len(all), "check_runs": runs})
}

// CheckRuns returns the check runs created for head SHA sha, oldest first.
func (s *Server) CheckRuns(owner, repo, sha string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[strings.ToLower(owner+"/"+repo)]
	if !ok {
		return nil
	}
	var out []CheckRun
	for _, cr := range r.checkRuns {
		if cr.HeadSHA == strings.ToLower(sha) {
			x := *cr
			x.Annotations = append([]Annotation(nil), cr.Annotations...)
			out = append(out, x)
		}
	}
	return out
}
