package githubtest

import (
	"net/url"
	"strings"
)

// A tiny router rather than http.ServeMux: GitHub's paths overlap in ways ServeMux rejects as ambiguous
// (/issues/comments/{id} against /issues/{number}/comments), and GitHub resolves them by preferring
// literal segments, which is what the first-match order of the route table does here.

type authNeed int

const (
	needToken authNeed = iota // installation token
	needJWT                   // App JWT
	needNone                  // the handler checks access itself
)

type route struct {
	method  string
	pattern string // e.g. "/repos/{owner}/{repo}/pulls/{number}"; a final "{name...}" takes the rest
	auth    authNeed
	doc     string // documentation path for error bodies, e.g. "pulls/pulls#get-a-pull-request"
	handle  func(*call)
}

// match finds the first route for method and escaped path; parameters come back unescaped.
func (s *Server) match(method, escapedPath string) (*route, map[string]string) {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	trailingSlash := strings.HasSuffix(escapedPath, "/") && escapedPath != "/"
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.method != method {
			continue
		}
		if params, ok := matchPattern(rt.pattern, segs, trailingSlash); ok {
			return rt, params
		}
	}
	return nil, nil
}

func matchPattern(pattern string, segs []string, trailingSlash bool) (map[string]string, bool) {
	psegs := strings.Split(strings.Trim(pattern, "/"), "/")
	params := map[string]string{}
	for i, p := range psegs {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			rest := strings.Join(segs[min(i, len(segs)):], "/")
			v, err := url.PathUnescape(rest)
			if err != nil {
				return nil, false
			}
			params[strings.TrimSuffix(strings.TrimPrefix(p, "{"), "...}")] = v
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = v
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	if len(segs) != len(psegs) || trailingSlash {
		return nil, false
	}
	return params, true
}
