package ghapp

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v62/github"
)

// Kind classifies a GitHub failure for the job queue.
type Kind int

// Kinds of failure.
const (
	// Permanent errors will not go away by retrying (422, 400).
	Permanent Kind = iota
	// Retryable errors are transient: 5xx, network, expired token.
	Retryable
	// RateLimited means wait until Until before the next request.
	RateLimited
	// Gone means the App lost access (404 on the repository, the
	// installation was removed or suspended).
	Gone
)

// Failure is a classified error.
type Failure struct {
	Kind  Kind
	Until time.Time // RateLimited: when to try again
	Err   error
}

// Classify decides how the queue should treat err. go-github v62 only
// recognises 403 as rate limiting; 429 comes back as a plain ErrorResponse
// whose headers are read here (github.md §14.4).
func Classify(err error) Failure {
	now := time.Now()
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		until := rl.Rate.Reset.Time
		if until.Before(now) {
			until = now.Add(time.Minute)
		}
		return Failure{Kind: RateLimited, Until: until, Err: err}
	}
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		wait := time.Minute
		if abuse.RetryAfter != nil && *abuse.RetryAfter > 0 {
			wait = *abuse.RetryAfter
		}
		return Failure{Kind: RateLimited, Until: now.Add(wait), Err: err}
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch code := er.Response.StatusCode; {
		case code == http.StatusTooManyRequests || (code == http.StatusForbidden && er.Response.Header.Get("X-RateLimit-Remaining") == "0"):
			return Failure{Kind: RateLimited, Until: retryAt(er.Response, now), Err: err}
		case code == http.StatusNotFound:
			return Failure{Kind: Gone, Err: err}
		case code == http.StatusUnauthorized, code >= 500:
			return Failure{Kind: Retryable, Err: err}
		default:
			return Failure{Kind: Permanent, Err: err}
		}
	}
	var he *ghinstallation.HTTPError
	if errors.As(err, &he) && he.Response != nil {
		switch code := he.Response.StatusCode; {
		case code == http.StatusNotFound, code == http.StatusForbidden && he.Response.Header.Get("X-RateLimit-Remaining") != "0":
			// The installation is gone or suspended.
			return Failure{Kind: Gone, Err: err}
		case code == http.StatusTooManyRequests, code == http.StatusForbidden:
			return Failure{Kind: RateLimited, Until: retryAt(he.Response, now), Err: err}
		default:
			return Failure{Kind: Retryable, Err: err}
		}
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) {
		return Failure{Kind: Retryable, Err: err}
	}
	return Failure{Kind: Retryable, Err: err}
}

// retryAt reads Retry-After, then X-RateLimit-Reset; a minute otherwise.
func retryAt(resp *http.Response, now time.Time) time.Time {
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			return now.Add(time.Duration(n) * time.Second)
		}
	}
	if s := resp.Header.Get("X-RateLimit-Reset"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			if t := time.Unix(n, 0); t.After(now) {
				return t
			}
		}
	}
	return now.Add(time.Minute)
}
