// Package deploy holds what it takes to run distill: its own image
// (Dockerfile), a Compose file for one host, a Helm chart, the GitHub App
// manifest and the scripts CI uses. The Go in this package embeds the App
// manifest for `distill register`; deploy_test.go checks the other files.
package deploy

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AppManifest is app-manifest.yml: the GitHub App manifest (YAML) that
// `distill register` fills in and posts to GitHub.
//
//go:embed app-manifest.yml
var AppManifest []byte

// Manifest is a GitHub App manifest: exactly the keys GitHub accepts
// ("Registering a GitHub App from a manifest"). The JSON form is what is
// posted to GitHub in the `manifest` form field.
type Manifest struct {
	Name                  string            `yaml:"name,omitempty" json:"name,omitempty"`
	URL                   string            `yaml:"url" json:"url"`
	Description           string            `yaml:"description,omitempty" json:"description,omitempty"`
	HookAttributes        HookAttributes    `yaml:"hook_attributes" json:"hook_attributes"`
	RedirectURL           string            `yaml:"redirect_url,omitempty" json:"redirect_url,omitempty"`
	CallbackURLs          []string          `yaml:"callback_urls,omitempty" json:"callback_urls,omitempty"`
	SetupURL              string            `yaml:"setup_url,omitempty" json:"setup_url,omitempty"`
	Public                bool              `yaml:"public" json:"public"`
	DefaultEvents         []string          `yaml:"default_events,omitempty" json:"default_events,omitempty"`
	DefaultPermissions    map[string]string `yaml:"default_permissions,omitempty" json:"default_permissions,omitempty"`
	RequestOAuthOnInstall bool              `yaml:"request_oauth_on_install,omitempty" json:"request_oauth_on_install,omitempty"`
	SetupOnUpdate         bool              `yaml:"setup_on_update,omitempty" json:"setup_on_update,omitempty"`
}

// HookAttributes configures the App's webhook.
type HookAttributes struct {
	URL string `yaml:"url" json:"url"`
	// Active defaults to true on GitHub; distill always sends it.
	Active bool `yaml:"active" json:"active"`
}

// ParseManifest decodes a manifest strictly: an unknown key (a typo, or
// a key GitHub does not accept such as `permissions:`) is an error.
func ParseManifest(b []byte) (*Manifest, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the App manifest is empty")
		}
		return nil, fmt.Errorf("the App manifest: %w", err)
	}
	return &m, nil
}

// Validate checks what GitHub requires and what distill needs.
func (m *Manifest) Validate() error {
	var problems []string
	checkURL := func(field, raw string, required bool) {
		if raw == "" {
			if required {
				problems = append(problems, field+" is required")
			}
			return
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("%s %q is not an http(s) URL", field, raw))
		}
	}
	checkURL("url", m.URL, true)
	checkURL("hook_attributes.url", m.HookAttributes.URL, true)
	checkURL("redirect_url", m.RedirectURL, false)
	checkURL("setup_url", m.SetupURL, false)
	if len(m.CallbackURLs) > 10 {
		problems = append(problems, "callback_urls holds at most 10 URLs")
	}
	for _, u := range m.CallbackURLs {
		checkURL("callback_urls", u, true)
	}
	for p, v := range m.DefaultPermissions {
		if v != "read" && v != "write" && v != "admin" {
			problems = append(problems, fmt.Sprintf("default_permissions.%s: %q is not read, write or admin", p, v))
		}
	}
	for _, e := range m.DefaultEvents {
		if e == "installation" || e == "installation_repositories" {
			problems = append(problems, fmt.Sprintf("default_events: %s is sent to every App and cannot be subscribed to", e))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the App manifest: %s", strings.Join(problems, "; "))
	}
	return nil
}
