package githubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// obj is a JSON object under construction. Responses are built as maps so each one can carry exactly the
// keys of GitHub's body (see shape_test.go) without a struct per variant.
type obj = map[string]any

// call is one request on its way through a handler.
type call struct {
	s      *Server
	w      *recordingWriter
	r      *http.Request
	body   []byte
	reqID  string
	auth   authInfo
	params map[string]string
	doc    string
	repo   *repository
}

// recordPath is the request path without the API prefix, as Request.Path records it.
func (c *call) recordPath() string {
	p := c.r.URL.Path
	if strings.HasPrefix(p, apiPrefix+"/") {
		return strings.TrimPrefix(p, apiPrefix)
	}
	return p
}

func (c *call) param(name string) string { return c.params[name] }

func (c *call) intParam(name string) (int, bool) {
	n, err := strconv.Atoi(c.params[name])
	return n, err == nil && n > 0
}

func (c *call) int64Param(name string) (int64, bool) {
	n, err := strconv.ParseInt(c.params[name], 10, 64)
	return n, err == nil && n > 0
}

// decode parses the JSON body strictly enough to catch a client sending the wrong shape: GitHub answers
// 400 "Problems parsing JSON" for unparsable bodies.
func (c *call) decode(v any) bool {
	if len(bytes.TrimSpace(c.body)) == 0 || string(bytes.TrimSpace(c.body)) == "null" {
		return true
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		c.writeJSON(http.StatusBadRequest, obj{"message": "Problems parsing JSON", "documentation_url": c.docURL(), "status": "400"})
		return false
	}
	return true
}

func (c *call) docURL() string {
	if c.doc != "" {
		return "https://docs.github.com/rest/" + c.doc
	}
	return "https://docs.github.com/rest"
}

func (c *call) writeJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(c.w, fmt.Sprintf("githubtest: encode response: %v", err), http.StatusInternalServerError)
		return
	}
	c.w.WriteHeader(status)
	_, _ = c.w.Write(b)
}

// errorf writes GitHub's basic-error body.
func (c *call) errorf(status int, format string, args ...any) {
	c.writeJSON(status, obj{
		"message":           fmt.Sprintf(format, args...),
		"documentation_url": c.docURL(),
		"status":            strconv.Itoa(status),
	})
}

func (c *call) notFound() { c.errorf(http.StatusNotFound, "Not Found") }

// validationFailed writes the "Validation Failed" body whose errors are objects (validation-error schema).
func (c *call) validationFailed(errs ...obj) {
	list := make([]any, len(errs))
	for i, e := range errs {
		list[i] = e
	}
	c.writeJSON(http.StatusUnprocessableEntity, obj{
		"message":           "Validation Failed",
		"errors":            list,
		"documentation_url": c.docURL(),
		"status":            "422",
	})
}

// fieldError is one entry of a Validation Failed body.
func fieldError(resource, field, code, message string) obj {
	e := obj{"resource": resource, "code": code, "field": field}
	if message != "" {
		e["message"] = message
	}
	return e
}

// unprocessable writes the validation-error-simple body ("errors" is an array of strings), the shape of
// create-review's 422.
func (c *call) unprocessable(msgs ...string) {
	c.writeJSON(http.StatusUnprocessableEntity, obj{
		"message":           "Unprocessable Entity",
		"errors":            msgs,
		"documentation_url": c.docURL(),
		"status":            "422",
	})
}

// page reads page/per_page (GitHub: 30 by default, at most 100) and writes the Link header for a list of
// total items, returning the slice bounds of the requested page.
func (c *call) page(total int) (start, end int) {
	q := c.r.URL.Query()
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	if per > 100 {
		per = 100
	}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page <= 0 {
		page = 1
	}
	last := (total + per - 1) / per
	if last == 0 {
		last = 1
	}
	link := func(p int, rel string) string {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", strconv.Itoa(p))
		qq.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf("<%s%s?%s>; rel=%q", c.s.URL, c.r.URL.Path, qq.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	start = (page - 1) * per
	if start > total {
		start = total
	}
	end = start + per
	if end > total {
		end = total
	}
	return start, end
}
