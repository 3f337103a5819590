// Package repoconfig loads .github/distill.yml for a repository the way
// GitHub Apps conventionally do (Probot's config plugin): the repository's
// own file, else the same path in the owner's `.github` repository;
// `_extends: repo`, `owner/repo` or `repo:path.yml` inherits from another
// file, shallowly (top-level keys of the extending file win).
//
// A file that cannot be fetched is a LoadError (retry); a file that does
// not parse is a ParseError with the file and the line and column, which
// the review turns into a failed check run instead of a crash.
package repoconfig

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/rules"
)

// Path is the config file's path in a repository.
const Path = config.DefaultPath

// maxExtends bounds _extends chains.
const maxExtends = 5

// Source says where the effective config came from.
type Source struct {
	// Files are "owner/repo:path" of every file merged, extending file
	// first; empty when no file exists (defaults).
	Files []string
}

// ParseError is a broken config file.
type ParseError struct {
	File string // owner/repo:path
	Err  *config.Error
}

func (e *ParseError) Error() string {
	if e.Err.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Err.Line, e.Err.Column, e.Err.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Err.Message)
}

// LoadError is a failure to fetch a config file.
type LoadError struct {
	File string
	Err  error
}

func (e *LoadError) Error() string { return fmt.Sprintf("fetching %s: %v", e.File, e.Err) }
func (e *LoadError) Unwrap() error { return e.Err }

// Loader fetches config files through an installation client.
type Loader struct {
	Client *github.Client
}

// Load returns the effective config of owner/repo at ref ("" means the
// default branch).
func (l *Loader) Load(ctx context.Context, owner, repo, ref string) (*config.Config, Source, error) {
	var src Source
	data, found, err := l.fetch(ctx, owner, repo, Path, ref)
	if err != nil {
		return nil, src, err
	}
	if !found {
		// The organisation default.
		if repo == ".github" {
			return &config.Config{}, src, nil
		}
		data, found, err = l.fetch(ctx, owner, ".github", Path, "")
		if err != nil {
			var le *LoadError
			if errors.As(err, &le) && isForbidden(le.Err) {
				return &config.Config{}, src, nil // no access to the org repo: defaults
			}
			return nil, src, err
		}
		if !found {
			return &config.Config{}, src, nil
		}
		repo = ".github"
	}
	return l.resolve(ctx, owner, repo, Path, data, src, 0)
}

func (l *Loader) resolve(ctx context.Context, owner, repo, path string, data []byte, src Source, depth int) (*config.Config, Source, error) {
	file := fmt.Sprintf("%s/%s:%s", owner, repo, path)
	src.Files = append(src.Files, file)
	cfg, err := config.Parse(path, data, rules.Known)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			return nil, src, &ParseError{File: file, Err: ce}
		}
		return nil, src, &ParseError{File: file, Err: &config.Error{Message: err.Error()}}
	}
	if cfg.Extends == "" {
		return cfg, src, nil
	}
	if depth >= maxExtends {
		return nil, src, &ParseError{File: file, Err: &config.Error{Message: fmt.Sprintf("_extends chain is longer than %d files (is there a loop?)", maxExtends)}}
	}
	eo, er, ep, err := parseExtends(cfg.Extends, owner)
	if err != nil {
		return nil, src, &ParseError{File: file, Err: &config.Error{Message: err.Error()}}
	}
	target := fmt.Sprintf("%s/%s:%s", eo, er, ep)
	for _, f := range src.Files {
		if f == target {
			return nil, src, &ParseError{File: file, Err: &config.Error{Message: fmt.Sprintf("_extends loops back to %s", target)}}
		}
	}
	base, found, err := l.fetch(ctx, eo, er, ep, "")
	if err != nil {
		return nil, src, err
	}
	if !found {
		return nil, src, &ParseError{File: file, Err: &config.Error{Message: fmt.Sprintf("_extends: %s does not exist", target)}}
	}
	parent, src, err := l.resolve(ctx, eo, er, ep, base, src, depth+1)
	if err != nil {
		return nil, src, err
	}
	return Merge(parent, cfg), src, nil
}

// parseExtends reads "repo", "owner/repo" or either with ":path".
func parseExtends(s, owner string) (string, string, string, error) {
	target, path, hasPath := strings.Cut(strings.TrimSpace(s), ":")
	if !hasPath {
		path = Path
	}
	o, r, hasOwner := strings.Cut(target, "/")
	if !hasOwner {
		o, r = owner, target
	}
	if o == "" || r == "" || strings.Contains(r, "/") || path == "" || strings.Contains(path, "..") {
		return "", "", "", fmt.Errorf("_extends %q: want repo, owner/repo or repo:path/file.yml", s)
	}
	return o, r, path, nil
}

// Merge overlays child's top-level keys on parent (shallow merge, as
// Probot's Object.assign): a key set in child replaces the parent's whole
// value.
func Merge(parent, child *config.Config) *config.Config {
	out := *parent
	pv := reflect.ValueOf(&out).Elem()
	cv := reflect.ValueOf(child).Elem()
	for i := 0; i < cv.NumField(); i++ {
		if !cv.Field(i).IsZero() {
			pv.Field(i).Set(cv.Field(i))
		}
	}
	out.Extends = ""
	return &out
}

// fetch reads one file; found is false for a missing file or repository.
func (l *Loader) fetch(ctx context.Context, owner, repo, path, ref string) ([]byte, bool, error) {
	file := fmt.Sprintf("%s/%s:%s", owner, repo, path)
	var opts *github.RepositoryContentGetOptions
	if ref != "" {
		opts = &github.RepositoryContentGetOptions{Ref: ref}
	}
	fc, _, resp, err := l.Client.Repositories.GetContents(ctx, owner, repo, path, opts)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, false, nil
		}
		return nil, false, &LoadError{File: file, Err: err}
	}
	if fc == nil {
		return nil, false, &ParseError{File: file, Err: &config.Error{Message: "is a directory, not a file"}}
	}
	if int64(fc.GetSize()) > config.MaxSize {
		return nil, false, &ParseError{File: file, Err: &config.Error{Message: fmt.Sprintf("file is %d bytes; the limit is %d", fc.GetSize(), config.MaxSize)}}
	}
	s, err := fc.GetContent()
	if err != nil {
		return nil, false, &LoadError{File: file, Err: err}
	}
	return []byte(s), true, nil
}

func isForbidden(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden && er.Response.Header.Get("X-RateLimit-Remaining") != "0"
}
