package githubtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request is one request the server received, as the server saw it.
type Request struct {
	Method         string
	Path           string // without the /api/v3 prefix, e.g. "/repos/o/r/pulls/1/reviews"
	Query          url.Values
	Auth           AuthKind
	AuthError      string // why the credential was refused, for AuthInvalid
	InstallationID int64  // for AuthToken
	Header         http.Header
	Body           []byte
	Status         int
	Time           time.Time // on the fake clock
	RequestID      string    // the X-GitHub-Request-Id the server answered with
}

func (s *Server) record(c *call, rw *recordingWriter) {
	req := Request{
		Method:    c.r.Method,
		Path:      c.recordPath(),
		Query:     c.r.URL.Query(),
		Auth:      c.auth.kind,
		AuthError: c.auth.reason,
		Header:    c.r.Header.Clone(),
		Body:      c.body,
		Status:    rw.status,
		Time:      s.clock.now(),
		RequestID: c.reqID,
	}
	if req.Status == 0 {
		req.Status = http.StatusOK
	}
	if c.auth.installation != nil {
		req.InstallationID = c.auth.installation.ID
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	if s.cfg.logf != nil {
		line := fmt.Sprintf("githubtest: %s %s → %d (%s)", req.Method, req.Path, req.Status, req.Auth)
		if req.AuthError != "" {
			line += ": " + req.AuthError
		}
		s.cfg.logf("%s", line)
	}
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo returns the requests whose method matches (""/any) and whose path matches pattern (the
// syntax of Fault.Path).
func (s *Server) RequestsTo(method, pattern string) []Request {
	re := faultPattern(pattern)
	var out []Request
	for _, r := range s.Requests() {
		if (method == "" || strings.EqualFold(method, r.Method)) && re.MatchString(r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// CountRequests counts the requests for which filter returns true (nil counts all).
func (s *Server) CountRequests(filter func(Request) bool) int {
	n := 0
	for _, r := range s.Requests() {
		if filter == nil || filter(r) {
			n++
		}
	}
	return n
}

// Match is a CountRequests filter on method and path pattern (the syntax of Fault.Path).
func Match(method, pattern string) func(Request) bool {
	re := faultPattern(pattern)
	return func(r Request) bool {
		return (method == "" || strings.EqualFold(method, r.Method)) && re.MatchString(r.Path)
	}
}
