package ghapp

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/distill-bot/distill/bot/metrics"
)

// instrumented counts GitHub API calls by endpoint template and status and
// records the rate-limit budget.
type instrumented struct {
	next http.RoundTripper
	m    *metrics.Metrics
}

func (t *instrumented) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if t.m == nil {
		return resp, err
	}
	status := "error"
	if resp != nil {
		status = strconv.Itoa(resp.StatusCode)
		if rem := resp.Header.Get("X-RateLimit-Remaining"); rem != "" {
			if n, perr := strconv.ParseFloat(rem, 64); perr == nil {
				res := resp.Header.Get("X-RateLimit-Resource")
				if res == "" {
					res = "core"
				}
				t.m.RateLimitRemaining.WithLabelValues(res).Set(n)
			}
		}
	}
	t.m.GitHubRequests.WithLabelValues(req.Method+" "+Endpoint(req.URL.Path), status).Inc()
	return resp, err
}

var (
	hexSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)
	digits = regexp.MustCompile(`^\d+$`)
)

// Endpoint reduces an API path to its template, so metrics have bounded
// labels: /repos/acme/app/pulls/12/files → /repos/:owner/:repo/pulls/:n/files.
func Endpoint(p string) string {
	p = strings.TrimPrefix(p, "/api/v3")
	segs := strings.Split(strings.Trim(p, "/"), "/")
	out := make([]string, 0, len(segs))
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		switch {
		case segs[0] == "repos" && i == 1:
			s = ":owner"
		case segs[0] == "repos" && i == 2:
			s = ":repo"
		case prev == "contents" || prev == "ref" || prev == "refs" || prev == "tarball":
			// The rest of the path is a file path or a ref name.
			return "/" + strings.Join(append(out, ":path"), "/")
		case prev == "collaborators" || prev == "users" || prev == "orgs":
			s = ":name"
		case digits.MatchString(s):
			s = ":n"
		case hexSHA.MatchString(s):
			s = ":sha"
		}
		out = append(out, s)
	}
	return "/" + strings.Join(out, "/")
}
