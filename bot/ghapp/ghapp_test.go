package ghapp

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
)

func TestEndpoint(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/api/v3/repos/acme/app/pulls/12/files":                         "/repos/:owner/:repo/pulls/:n/files",
		"/repos/acme/app/contents/services/api/Dockerfile":              "/repos/:owner/:repo/contents/:path",
		"/repos/acme/app/git/ref/heads/distill/optimize-3":              "/repos/:owner/:repo/git/ref/:path",
		"/repos/acme/app/collaborators/alice/permission":                "/repos/:owner/:repo/collaborators/:name/permission",
		"/app/installations/7/access_tokens":                            "/app/installations/:n/access_tokens",
		"/repos/a/b/git/trees/0123456789abcdef0123456789abcdef01234567": "/repos/:owner/:repo/git/trees/:sha",
	} {
		if got := Endpoint(in); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	resp := func(code int, h map[string]string) *http.Response {
		r := &http.Response{StatusCode: code, Header: http.Header{}, Request: &http.Request{}}
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	reset := time.Now().Add(10 * time.Minute).Unix()
	cases := []struct {
		name string
		err  error
		kind Kind
	}{
		{"429 retry-after", &github.ErrorResponse{Response: resp(429, map[string]string{"Retry-After": "30"})}, RateLimited},
		{"403 remaining 0", &github.ErrorResponse{Response: resp(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"})}, RateLimited},
		{"rate limit error", &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: time.Unix(reset, 0)}}}, RateLimited},
		{"secondary", &github.AbuseRateLimitError{}, RateLimited},
		{"500", &github.ErrorResponse{Response: resp(502, nil)}, Retryable},
		{"404", &github.ErrorResponse{Response: resp(404, nil)}, Gone},
		{"422", &github.ErrorResponse{Response: resp(422, nil)}, Permanent},
		{"other", errors.New("connection reset"), Retryable},
	}
	for _, c := range cases {
		f := Classify(c.err)
		if f.Kind != c.kind {
			t.Errorf("%s: kind %v, want %v", c.name, f.Kind, c.kind)
		}
		if f.Kind == RateLimited && !f.Until.After(time.Now()) {
			t.Errorf("%s: until %v not in the future", c.name, f.Until)
		}
	}
	if f := Classify(&github.ErrorResponse{Response: resp(429, map[string]string{"Retry-After": "30"})}); f.Until.Sub(time.Now()) > 31*time.Second {
		t.Errorf("Retry-After ignored: %v", f.Until)
	}
}
