// Package hook delivers webhooks the way GitHub does: signed with X-Hub-Signature-256 and carrying
// GitHub's delivery headers, as JSON or as a form with the JSON under "payload". Bot tests use it to
// drive `distill serve`; the payloads come from githubtest's builders (Server.PullRequestEvent, …).
package hook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Options are the less common delivery settings; the zero value is a JSON delivery from a repository
// hook with id 1.
type Options struct {
	Client     *http.Client // default http.DefaultClient
	HookID     int64        // X-GitHub-Hook-ID (default 1)
	TargetType string       // X-GitHub-Hook-Installation-Target-Type (default "integration", an App hook)
	TargetID   int64        // X-GitHub-Hook-Installation-Target-ID (default 1)
	Form       bool         // send application/x-www-form-urlencoded with payload=<json>
	UserAgent  string       // default "GitHub-Hookshot/a1b2c3d"
	NoSHA1     bool         // leave out the legacy X-Hub-Signature header
}

// Sign returns the X-Hub-Signature-256 value for body: "sha256=" + hex HMAC-SHA256 keyed with secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func signSHA1(secret string, body []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return "sha1=" + hex.EncodeToString(m.Sum(nil))
}

// Deliver POSTs one webhook delivery to url. Redelivering is calling it again with the same deliveryID,
// which is what GitHub does. An empty secret sends no signature, like a hook without a secret.
func Deliver(ctx context.Context, url, secret, event, deliveryID string, payload []byte, opts ...Options) (*http.Response, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	return deliver(ctx, url, secret, event, deliveryID, payload, o)
}

func deliver(ctx context.Context, target, secret, event, deliveryID string, payload []byte, o Options) (*http.Response, error) {
	body, contentType := payload, "application/json"
	if o.Form {
		body = []byte(url.Values{"payload": {string(payload)}}.Encode())
		contentType = "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("hook: build request: %w", err)
	}
	if o.HookID == 0 {
		o.HookID = 1
	}
	if o.TargetType == "" {
		o.TargetType = "integration"
	}
	if o.TargetID == 0 {
		o.TargetID = 1
	}
	if o.UserAgent == "" {
		o.UserAgent = "GitHub-Hookshot/a1b2c3d"
	}
	h := req.Header
	h.Set("Content-Type", contentType)
	h.Set("User-Agent", o.UserAgent)
	h.Set("Accept", "*/*")
	h.Set("X-GitHub-Event", event)
	h.Set("X-GitHub-Delivery", deliveryID)
	h.Set("X-GitHub-Hook-ID", strconv.FormatInt(o.HookID, 10))
	h.Set("X-GitHub-Hook-Installation-Target-Type", o.TargetType)
	h.Set("X-GitHub-Hook-Installation-Target-ID", strconv.FormatInt(o.TargetID, 10))
	if secret != "" {
		// GitHub signs the bytes it sends, so a form delivery's signature covers the encoded form.
		h.Set("X-Hub-Signature-256", Sign(secret, body))
		if !o.NoSHA1 {
			h.Set("X-Hub-Signature", signSHA1(secret, body))
		}
	}
	c := o.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("hook: deliver %s %s: %w", event, deliveryID, err)
	}
	return resp, nil
}
