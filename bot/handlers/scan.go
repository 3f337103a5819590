package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"sort"

	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/followup"
	"github.com/distill-bot/distill/bot/onboard"
	"github.com/distill-bot/distill/bot/repoconfig"
)

// Reading Dockerfiles out of one recursive tree (the follow-up and
// onboarding jobs): the tree lists every file with its blob SHA, so each
// Dockerfile costs one blob read and the converter's context files come
// from the same listing.

// scannedFile is a Dockerfile read from a tree, analysed and converted.
type scannedFile struct {
	Path     string
	Mode     string
	Content  []byte
	Findings []analyzer.Finding
	Proposal *convert.Proposal
	Problem  string
	// Verification is the verdict line when the conversion was built.
	Verification string
}

func (f scannedFile) converted() bool {
	return f.Problem == "" && f.Proposal != nil && f.Proposal.Status == convert.Converted
}

func (f scannedFile) followup() followup.File {
	return followup.File{Path: f.Path, Original: f.Content, Mode: f.Mode, Proposal: f.Proposal, Findings: f.Findings, Verification: f.Verification}
}

func (f scannedFile) report() onboard.File {
	return onboard.File{Path: f.Path, Original: f.Content, Findings: f.Findings, Proposal: f.Proposal, Problem: f.Problem}
}

// skipped explains a file that gets no conversion.
func (f scannedFile) skipped() followup.Skipped {
	switch {
	case f.Problem != "":
		return followup.Skipped{Path: f.Path, Reason: f.Problem}
	case f.Proposal == nil:
		return followup.Skipped{Path: f.Path, Reason: "distill could not convert it"}
	case f.Proposal.Status == convert.Unchanged:
		return followup.Skipped{Path: f.Path, Reason: "already a multi-stage build with a distroless final image; nothing to change"}
	case f.Proposal.Decline != nil:
		return followup.Skipped{Path: f.Path, Reason: "no safe conversion: " + f.Proposal.Decline.Reason, Alternatives: f.Proposal.Decline.Alternatives}
	}
	return followup.Skipped{Path: f.Path, Reason: "no conversion"}
}

// treeDockerfiles lists the Dockerfiles of a tree distill handles: by
// name or the configured include globs, minus excludes.
func treeDockerfiles(cfg *config.Config, t *github.Tree) []string {
	var out []string
	for _, e := range t.Entries {
		if e.GetType() != "blob" || e.GetMode() == "120000" {
			continue
		}
		if selectDockerfile(cfg, e.GetPath()) && !inSkippedDir(e.GetPath()) {
			out = append(out, e.GetPath())
		}
	}
	sort.Strings(out)
	return out
}

func inSkippedDir(p string) bool {
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if analyzer.SkippedDir(path.Base(d)) {
			return true
		}
	}
	return false
}

// hasFile reports whether a tree lists a path.
func hasFile(t *github.Tree, p string) bool {
	for _, e := range t.Entries {
		if e.GetPath() == p && e.GetType() == "blob" {
			return true
		}
	}
	return false
}

// scanTree reads, analyses and converts paths from a tree of owner/repo at
// commit sha. Paths the tree does not hold are returned as missing.
func (d *Deps) scanTree(ctx context.Context, log *slog.Logger, gh *github.Client, owner, repo, sha string, t *github.Tree, paths []string, cfg *config.Config) ([]scannedFile, []string, error) {
	byPath := map[string]*github.TreeEntry{}
	for _, e := range t.Entries {
		if e.GetType() == "blob" {
			byPath[e.GetPath()] = e
		}
	}
	ctxFiles := newContextFetcher(gh, ReviewArgs{Owner: owner, Repo: repo, HeadSHA: sha})
	ctxFiles.tree, ctxFiles.ready = t.Entries, true
	var out []scannedFile
	var missing []string
	for _, p := range paths {
		e := byPath[p]
		if e == nil {
			missing = append(missing, p)
			continue
		}
		f := scannedFile{Path: p, Mode: e.GetMode()}
		if e.GetSize() > maxDockerfile {
			f.Problem = fmt.Sprintf("the file is %d bytes; distill reads Dockerfiles up to 1 MiB", e.GetSize())
			out = append(out, f)
			continue
		}
		content, _, err := gh.Git.GetBlobRaw(ctx, owner, repo, e.GetSHA())
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s at %s in %s/%s: %w", p, short(sha), owner, repo, err)
		}
		f.Content = content
		d.analyse(ctx, log, &f, cfg, ctxFiles)
		out = append(out, f)
	}
	return out, missing, nil
}

// analyse checks and converts one file with its repository context.
// The findings and the proposal come from one conversion with the same
// repository context, so they agree.
func (d *Deps) analyse(ctx context.Context, log *slog.Logger, f *scannedFile, cfg *config.Config, ctxFiles *contextFetcher) {
	var rc *convert.RepoContext
	if ctxFiles != nil {
		var err error
		if rc, err = ctxFiles.For(ctx, path.Dir(f.Path)); err != nil {
			log.Warn("repository context unavailable; converting from the Dockerfile alone", "file", f.Path, "error", err.Error())
			rc = nil
		}
	}
	res, err := analyzer.Check(ctx, f.Content, analyzer.Options{Path: f.Path, Config: cfg, Context: rc})
	if err != nil {
		f.Problem = err.Error()
		return
	}
	f.Findings = res.Findings
	prop, err := res.Conversion()
	if err != nil {
		f.Problem = err.Error()
		return
	}
	f.Proposal = prop
}

// loadConfig loads the effective configuration; a broken file comes back
// as a refusal quoting the error, so commands answer with it.
func loadConfig(ctx context.Context, gh *github.Client, owner, repo, ref string) (*config.Config, error) {
	cfg, _, err := (&repoconfig.Loader{Client: gh}).Load(ctx, owner, repo, ref)
	var pe *repoconfig.ParseError
	if errors.As(err, &pe) {
		return nil, refusef("distill's configuration is broken, so it did nothing:\n\n```\n%s\n```\n\nFix the file and ask again.", pe.Error())
	}
	return cfg, err
}

// getTree reads a recursive tree; the 409 of an empty repository is
// reported as a nil tree.
func getTree(ctx context.Context, gh *github.Client, owner, repo, ref string) (*github.Tree, *github.Response, error) {
	t, resp, err := gh.Git.GetTree(ctx, owner, repo, ref, true)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusConflict {
			return nil, resp, nil
		}
		return nil, resp, fmt.Errorf("reading the tree of %s/%s at %s: %w", owner, repo, ref, err)
	}
	return t, resp, nil
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
