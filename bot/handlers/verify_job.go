package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/localrepo"
	"github.com/distill-bot/distill/bot/review"
	"github.com/distill-bot/distill/bot/verify"
)

// Verifier builds and inspects proposals (bot/verify with a BuildKit
// daemon; tests use a fake).
type Verifier interface {
	Verify(ctx context.Context, req verify.Request) (*verify.Report, error)
}

// VerifyArgs asks for the proposals of one head to be built and inspected.
// It is its own job kind, so that a pool of BuildKit daemons can serve many
// replicas and a slow build never delays the findings.
type VerifyArgs struct {
	InstallationID int64    `json:"installation_id"`
	Owner          string   `json:"owner" river:"unique"`
	Repo           string   `json:"repo" river:"unique"`
	Number         int      `json:"number" river:"unique"`
	HeadSHA        string   `json:"head_sha" river:"unique"`
	ReviewID       int64    `json:"review_id"`
	Paths          []string `json:"paths"`
	Mode           string   `json:"mode"` // on, required
	BaseRef        string   `json:"base_ref"`
}

// Kind implements river.JobArgs.
func (VerifyArgs) Kind() string { return "verify" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (VerifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Tarball limits: what a verification downloads and extracts.
const (
	maxTarball      = 512 << 20
	maxTarballFiles = 100_000
)

// VerifyWorker downloads the repository at the head, converts each
// Dockerfile again from the same bytes, builds the original and the
// proposal with BuildKit, and writes the verdict into the review.
type VerifyWorker struct {
	river.WorkerDefaults[VerifyArgs]
	*Deps
	// Verifier is nil when no BuildKit daemon is configured.
	Verifier Verifier
	// TempDir holds the extracted repositories ("" = system default).
	TempDir string
}

// Timeout bounds a verification of every file of one head.
func (w *VerifyWorker) Timeout(*river.Job[VerifyArgs]) time.Duration {
	if w.VerifyTimeout > 0 {
		return w.VerifyTimeout
	}
	return 45 * time.Minute
}

// Work implements river.Worker.
func (w *VerifyWorker) Work(ctx context.Context, job *river.Job[VerifyArgs]) error {
	a := job.Args
	log := w.Log.With("job", job.ID, "kind", "verify", "repo", a.Owner+"/"+a.Repo, "pr", a.Number, "head", a.HeadSHA, "attempt", job.Attempt)
	start := time.Now()
	err := w.verify(ctx, log, a)
	w.Metrics.JobDuration.WithLabelValues("verify").Observe(time.Since(start).Seconds())
	return w.jobResult("verify", log, err)
}

func (w *VerifyWorker) verify(ctx context.Context, log *slog.Logger, a VerifyArgs) error {
	head, state, err := w.DB.Head(ctx, a.Owner+"/"+a.Repo, a.Number)
	if err != nil {
		return err
	}
	if state == "closed" || (head != "" && head != a.HeadSHA) {
		return river.JobCancel(errors.New("superseded head"))
	}
	gh := w.GitHub.Installation(a.InstallationID)
	verdicts := map[string]string{}       // path → verdict with details
	proposals := map[string]review.File{} // path → file, for required mode
	failed := map[string]bool{}
	if w.Verifier == nil {
		for _, p := range a.Paths {
			verdicts[p] = noBuildkit
			failed[p] = true
		}
	} else {
		s := w.newVerification(w.Verifier, gh, log, a.Owner, a.Repo, a.HeadSHA, w.TempDir)
		defer s.close()
		dir, err := s.checkout(ctx)
		if err != nil {
			return err
		}
		cfg, _, _ := repoConfigFromDir(dir)
		for _, p := range a.Paths {
			f, err := w.convertFile(dir, p, cfg)
			if err != nil {
				return err
			}
			if f.Problem != "" {
				verdicts[p] = "not verified: " + f.Problem
				failed[p] = true
				continue
			}
			v, err := s.proposal(ctx, p, f.Content, f.Proposal, cfg.Target(p))
			if err != nil {
				return err
			}
			verdicts[p], failed[p] = v.text(), !v.OK
			f.Verification = v.Line
			proposals[p] = f
		}
	}
	return w.updateReview(ctx, gh, a, verdicts, proposals, failed)
}

// download fetches the repository at a commit as a tarball and extracts it
// safely (no paths escaping, no devices, size and file limits).
func download(ctx context.Context, gh *github.Client, owner, repo, sha, tempDir string) (string, error) {
	a := struct{ Owner, Repo, HeadSHA string }{owner, repo, sha}
	u, _, err := gh.Repositories.GetArchiveLink(ctx, a.Owner, a.Repo, github.Tarball, &github.RepositoryContentGetOptions{Ref: a.HeadSHA}, 3)
	if err != nil {
		return "", fmt.Errorf("getting the tarball link of %s/%s@%s: %w", a.Owner, a.Repo, a.HeadSHA, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	resp, err := gh.Client().Do(req)
	if err != nil {
		return "", fmt.Errorf("downloading %s/%s@%s: %w", a.Owner, a.Repo, a.HeadSHA, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("downloading %s/%s@%s: HTTP %d", a.Owner, a.Repo, a.HeadSHA, resp.StatusCode)
	}
	dir, err := os.MkdirTemp(tempDir, "distill-verify-*")
	if err != nil {
		return "", err
	}
	if _, err := verify.ExtractTarball(http.MaxBytesReader(nil, resp.Body, maxTarball), dir, verify.ExtractLimits{MaxBytes: maxTarball, MaxFiles: maxTarballFiles}); err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, verify.ErrLimitExceeded) || errors.Is(err, verify.ErrUnsafePath) || errors.Is(err, verify.ErrUnsafeLink) || errors.Is(err, verify.ErrUnsupportedEntry) {
			return "", river.JobCancel(fmt.Errorf("the repository cannot be verified: %w", err))
		}
		return "", fmt.Errorf("extracting %s/%s@%s: %w", a.Owner, a.Repo, a.HeadSHA, err)
	}
	return dir, nil
}

// repoConfigFromDir reads .github/distill.yml from the extracted tree
// (targets and image options shape the conversion being verified).
func repoConfigFromDir(dir string) (*config.Config, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, ".github", "distill.yml"))
	if err != nil {
		return &config.Config{}, false, nil
	}
	cfg, err := config.Parse(".github/distill.yml", b, nil)
	if err != nil {
		return &config.Config{}, true, err
	}
	return cfg, true, nil
}

// convertFile converts one Dockerfile of the extracted tree again, from
// the same files the review read (File.Problem says why there is nothing
// to verify).
func (w *VerifyWorker) convertFile(root, p string, cfg *config.Config) (review.File, error) {
	f := review.File{Path: p}
	full := filepath.Join(root, filepath.FromSlash(p))
	if rel, err := filepath.Rel(root, full); err != nil || strings.HasPrefix(rel, "..") {
		f.Problem = "the path leaves the repository"
		return f, nil
	}
	src, err := os.ReadFile(full)
	if err != nil {
		f.Problem = "the Dockerfile is not in the repository at this head"
		return f, nil
	}
	f.Content = src
	rc, err := localrepo.Context(filepath.Dir(full))
	if err != nil {
		return f, err
	}
	prop, err := analyzer.Convert(src, analyzer.ConvertOptions{Path: p, Config: cfg, Context: rc})
	if err != nil {
		f.Problem = err.Error()
		return f, nil
	}
	f.Proposal = prop
	if prop.Status != convert.Converted {
		f.Problem = "there is no conversion to verify"
	}
	return f, nil
}

// failureDetails lists the failed checks and the build log tail.
func failureDetails(rep *verify.Report) string {
	var b strings.Builder
	for _, c := range rep.Failures() {
		fmt.Fprintf(&b, "- `%s`: %s\n", c.Name, c.Detail)
	}
	if rep.Converted != nil && !rep.Converted.Built && len(rep.Converted.LogTail) > 0 {
		b.WriteString("\n<details><summary>Build log (last lines)</summary>\n\n```\n")
		b.WriteString(strings.Join(rep.Converted.LogTail, "\n"))
		b.WriteString("\n```\n\n</details>\n")
	}
	return strings.TrimSpace(b.String())
}

// updateReview writes the verdicts into the review body: the verdict line
// for "on"; for "required" either the verified proposal or what failed.
func (w *VerifyWorker) updateReview(ctx context.Context, gh *github.Client, a VerifyArgs, verdicts map[string]string, files map[string]review.File, failed map[string]bool) error {
	if a.ReviewID <= 0 {
		return nil
	}
	rv, _, err := gh.PullRequests.GetReview(ctx, a.Owner, a.Repo, a.Number, a.ReviewID)
	if err != nil {
		return fmt.Errorf("reading review %d of %s/%s#%d: %w", a.ReviewID, a.Owner, a.Repo, a.Number, err)
	}
	body := rv.GetBody()
	changed := false
	for _, p := range a.Paths {
		v := verdicts[p]
		if a.Mode == "required" {
			text := ""
			if f, ok := files[p]; ok && !failed[p] {
				text = strings.TrimSpace(review.ProposalSection(f))
				// The section repeats the heading; keep only its body.
				if i := strings.Index(text, "\n"); i >= 0 {
					text = strings.TrimSpace(text[i:])
				}
			} else {
				text = "**Not offered:** the conversion did not pass verification — " + v
			}
			if nb, ok := review.FillPlaceholder(body, "pending", p, text); ok {
				body, changed = nb, true
			}
			continue
		}
		if nb, ok := review.FillPlaceholder(body, "verification", p, v); ok {
			body, changed = nb, true
		}
	}
	if !changed {
		return nil
	}
	if len(body) > review.MaxBody {
		body = body[:review.MaxBody-200] + "\n\n_(cut: GitHub limits a review to 65,536 characters)_\n"
	}
	w.pause(ctx)
	if _, _, err := gh.PullRequests.UpdateReview(ctx, a.Owner, a.Repo, a.Number, a.ReviewID, body); err != nil {
		return fmt.Errorf("updating review %d of %s/%s#%d: %w", a.ReviewID, a.Owner, a.Repo, a.Number, err)
	}
	return nil
}
