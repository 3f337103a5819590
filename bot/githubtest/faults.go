package githubtest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	ghfixtures "github.com/distill-bot/distill/testdata/github"
)

// Fault is a response the server gives instead of the real one, for testing retries and back-off.
// Faults are consumed in the order they were injected: a request takes the first one that matches.
type Fault struct {
	Method string // "" matches every method
	// Path is matched against the request path without /api/v3 (e.g. "/repos/o/r/pulls/1/reviews").
	// "*" matches within one segment and "**" across segments; a Path without wildcards matches
	// itself and everything below it. "" matches every path.
	Path    string
	Times   int // how many requests the fault answers; 0 means once, negative means forever
	Status  int // 0 with a Latency only delays the real response
	Body    []byte
	Headers map[string]string
	Latency time.Duration
}

type faultState struct {
	Fault
	re   *regexp.Regexp
	left int
}

// Inject queues faults.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		left := f.Times
		if left == 0 {
			left = 1
		}
		s.faults = append(s.faults, &faultState{Fault: f, re: faultPattern(f.Path), left: left})
	}
}

// ClearFaults drops every fault not yet consumed.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func faultPattern(p string) *regexp.Regexp {
	if p == "" {
		return regexp.MustCompile(`.*`)
	}
	if !strings.Contains(p, "*") {
		return regexp.MustCompile("^" + regexp.QuoteMeta(strings.TrimSuffix(p, "/")) + "(/.*)?$")
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case p[i] == '*':
			b.WriteString("[^/]*")
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func (s *Server) takeFault(method, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && !strings.EqualFold(f.Method, method)) || !f.re.MatchString(path) {
			continue
		}
		out := f.Fault
		if f.left > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		return &out
	}
	return nil
}

func (s *Server) writeFault(c *call, f *Fault) {
	for k, v := range f.Headers {
		c.w.Header().Set(k, v)
	}
	c.w.WriteHeader(f.Status)
	_, _ = c.w.Write(f.Body)
}

// Fault builders for GitHub's real failure responses.

// SecondaryRateLimit is GitHub's 403 secondary-rate-limit answer with the 2021 body
// (documentation_url ending "#secondary-rate-limits"); retryAfter > 0 adds a Retry-After header.
func SecondaryRateLimit(path string, retryAfter time.Duration) Fault {
	f := Fault{Path: path, Status: http.StatusForbidden, Body: ghfixtures.MustRead("errors/secondary-rate-limit.403.2021.json")}
	if retryAfter > 0 {
		f.Headers = map[string]string{"Retry-After": strconv.Itoa(int(retryAfter.Seconds()))}
	}
	return f
}

// SecondaryRateLimitCurrent is the secondary-limit body with the documentation URL GitHub uses since
// about 2025 ("…rate-limits-for-the-rest-api#about-secondary-rate-limits").
func SecondaryRateLimitCurrent(path string, retryAfter time.Duration) Fault {
	f := SecondaryRateLimit(path, retryAfter)
	f.Body = []byte(`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ` +
		`F00D:1234:5678:9ABC:DEF0.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}`)
	return f
}

// PrimaryRateLimit is a 403 with X-RateLimit-Remaining: 0 and a reset `reset` from now.
func PrimaryRateLimit(path string, reset time.Time) Fault {
	return Fault{
		Path: path, Status: http.StatusForbidden,
		Body: []byte(`{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits","status":"403"}`),
		Headers: map[string]string{
			"X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset":     strconv.FormatInt(reset.Unix(), 10),
		},
	}
}

// TooManyRequests is a 429 secondary limit (GitHub answers 403 or 429); go-github v62 reports it as a
// plain *github.ErrorResponse.
func TooManyRequests(path string, retryAfter time.Duration) Fault {
	f := SecondaryRateLimitCurrent(path, retryAfter)
	f.Status = http.StatusTooManyRequests
	return f
}

// ServerError is a 5xx with GitHub's terse body.
func ServerError(path string, status int) Fault {
	return Fault{Path: path, Status: status, Body: []byte(`{"message":"Server Error"}`)}
}

// NotFoundFault is a 404 with GitHub's body.
func NotFoundFault(path string) Fault {
	return Fault{Path: path, Status: http.StatusNotFound, Body: []byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`)}
}

// Slow delays matching responses by d without changing them.
func Slow(path string, d time.Duration) Fault { return Fault{Path: path, Latency: d} }
