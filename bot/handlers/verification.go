package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"

	"github.com/google/go-github/v62/github"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/store"
	"github.com/distill-bot/distill/bot/verify"
)

// verdict is what a verification says about one proposal, as shown in
// reviews and follow-up pull requests.
type verdict struct {
	// Line is one line: "built ✓, inspected ✓, 812 MB → 9.8 MB (−99%)" or
	// "not verified: …".
	Line string
	// Details are the failed checks and the build log tail (Markdown).
	Details string
	// OK means the proposal may be offered under verify: required.
	OK bool
}

// text is the verdict with its details, for a review or a reply.
func (v verdict) text() string {
	if v.Details == "" {
		return v.Line
	}
	return v.Line + "\n\n" + v.Details
}

const noBuildkit = "not verified: no BuildKit daemon is configured for this distill installation (BUILDKIT_HOST)"

// verification builds the proposals of one commit. It downloads the
// repository tarball at most once, and reuses outcomes recorded for the
// same proposed bytes (the review's verify job and a follow-up share them).
type verification struct {
	d                 *Deps
	verifier          Verifier // nil: no BuildKit daemon configured
	gh                *github.Client
	owner, repo, sha  string
	tempDir           string
	log               *slog.Logger
	dir               string // the extracted repository, once downloaded
	downloadAttempted bool
}

func (d *Deps) newVerification(v Verifier, gh *github.Client, log *slog.Logger, owner, repo, sha, tempDir string) *verification {
	return &verification{d: d, verifier: v, gh: gh, owner: owner, repo: repo, sha: sha, tempDir: tempDir, log: log}
}

// checkout returns the extracted repository, downloading it on first use.
func (s *verification) checkout(ctx context.Context) (string, error) {
	if s.dir != "" {
		return s.dir, nil
	}
	dir, err := download(ctx, s.gh, s.owner, s.repo, s.sha, s.tempDir)
	if err != nil {
		return "", err
	}
	s.dir = dir
	return dir, nil
}

// close removes the extracted repository.
func (s *verification) close() {
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// proposal verifies one converted file: original and proposal built from
// the file's directory at the commit. The error is for infrastructure
// problems (GitHub, the daemon), which the job retries.
func (s *verification) proposal(ctx context.Context, p string, original []byte, prop *convert.Proposal, target string) (verdict, error) {
	if prop == nil || prop.Status != convert.Converted {
		return verdict{Line: "not verified: there is no conversion to verify"}, nil
	}
	if s.verifier == nil {
		return verdict{Line: noBuildkit}, nil
	}
	repo := s.owner + "/" + s.repo
	hash := store.ProposalHash(prop.Dockerfile)
	if rec, err := s.d.DB.GetVerification(ctx, repo, s.sha, p, hash); err != nil {
		return verdict{}, err
	} else if rec != nil {
		return verdict{Line: rec.Summary, Details: rec.Details, OK: rec.OK}, nil
	}
	dir, err := s.checkout(ctx)
	if err != nil {
		return verdict{}, err
	}
	ctxDir := filepath.Join(dir, filepath.FromSlash(path.Dir(p)))
	if rel, err := filepath.Rel(dir, ctxDir); err != nil || rel == ".." || len(rel) > 2 && rel[:3] == "../" {
		return verdict{Line: "not verified: the path leaves the repository"}, nil
	}
	rep, err := s.verifier.Verify(ctx, verify.Request{ContextDir: ctxDir, Original: original, Converted: prop.Dockerfile,
		Target: target, Expect: verify.ExpectationOf(prop)})
	if err != nil {
		return verdict{}, fmt.Errorf("verifying %s in %s@%s: %w", p, repo, short(s.sha), err)
	}
	// A broken original is not held against the proposal, but only a
	// proposal that itself built and passed every check is offered.
	v := verdict{Line: rep.Summary(), OK: rep.Converted != nil && rep.Converted.Built && len(rep.Failures()) == 0 &&
		(rep.Verdict == verify.Verified || rep.Verdict == verify.OriginalBroken)}
	if rep.Verdict == verify.Failed {
		v.Details = failureDetails(rep)
	}
	s.log.Info("verified", "file", p, "verdict", string(rep.Verdict), "summary", v.Line)
	if err := s.d.DB.SaveVerification(ctx, store.Verification{Repo: repo, SHA: s.sha, Path: p, ProposalHash: hash,
		Verdict: string(rep.Verdict), Summary: v.Line, Details: v.Details, OK: v.OK}); err != nil {
		return verdict{}, err
	}
	return v, nil
}
