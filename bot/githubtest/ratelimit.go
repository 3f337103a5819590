package githubtest

import (
	"fmt"
	"strconv"
	"time"
)

// The primary rate limit: one bucket per installation (and one for the App's JWT, one for anonymous
// callers), each with `limit` requests per hour. Every API response carries the X-RateLimit-* headers
// computed here, as GitHub's do, so bot code can be tested on reading them.

type rateBucket struct {
	limit int
	used  int
	reset time.Time
}

func (c *call) bucketKey() string {
	switch c.auth.kind {
	case authToken:
		return "installation:" + itoa(c.auth.installation.ID)
	case authJWT:
		return "app"
	}
	return "anonymous"
}

func (c *call) rateLimitMessage() string {
	if c.auth.kind == authToken {
		return fmt.Sprintf("API rate limit exceeded for installation ID %d.", c.auth.installation.ID)
	}
	return "API rate limit exceeded."
}

// writeRateHeaders sets the X-RateLimit-* headers; when count is set it also spends one request and
// reports false if the bucket was already empty.
func (s *Server) writeRateHeaders(c *call, count bool) bool {
	s.mu.Lock()
	now := s.clock.now()
	key := c.bucketKey()
	b, ok := s.buckets[key]
	if !ok || !now.Before(b.reset) {
		limit := s.cfg.rateLimit
		if key == "anonymous" {
			limit = 60
		}
		b = &rateBucket{limit: limit, reset: now.Add(time.Hour)}
		s.buckets[key] = b
	}
	allowed := true
	if count {
		if b.used >= b.limit {
			allowed = false
		} else {
			b.used++
		}
	}
	limit, used, reset := b.limit, b.used, b.reset
	s.mu.Unlock()
	h := c.w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-used))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	return allowed
}

// RateLimitRemaining reports what X-RateLimit-Remaining would say for an installation now.
func (s *Server) RateLimitRemaining(installationID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets["installation:"+itoa(installationID)]
	if !ok || !s.clock.now().Before(b.reset) {
		return s.cfg.rateLimit
	}
	return b.limit - b.used
}
