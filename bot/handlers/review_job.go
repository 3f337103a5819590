package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/bot/repoconfig"
	"github.com/distill-bot/distill/bot/review"
	"github.com/distill-bot/distill/bot/store"
)

// ReviewArgs identifies one review: a pull request at one head. It is
// unique by repository, number and head (and Rerun, set to the delivery of
// a re-requested check), so redeliveries and bursts of pushes produce one
// review per head.
type ReviewArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	Number         int    `json:"number" river:"unique"`
	HeadSHA        string `json:"head_sha" river:"unique"`
	Rerun          string `json:"rerun,omitempty" river:"unique"`
	HeadRepo       string `json:"head_repo"`
	HeadRef        string `json:"head_ref"`
	BaseRef        string `json:"base_ref"`
	Draft          bool   `json:"draft"`
	Author         string `json:"author"`
	AuthorType     string `json:"author_type"`
	DeliveryID     string `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (ReviewArgs) Kind() string { return "review" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReviewArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FullName is "owner/repo".
func (a ReviewArgs) FullName() string { return a.Owner + "/" + a.Repo }

// ReviewWorker reviews one head: it loads the configuration, reads the
// changed Dockerfiles, analyses and converts them, and posts one review
// and one check run.
type ReviewWorker struct {
	river.WorkerDefaults[ReviewArgs]
	*Deps
	// AfterReview, when set, runs after a successful review with the
	// files analysed (follow-up PRs in `mode: pr`, verification).
	AfterReview func(ctx context.Context, args ReviewArgs, cfg *config.Config, files []ReviewedFile) error
}

// ReviewedFile is a Dockerfile as the review saw it.
type ReviewedFile struct {
	Path     string
	Content  []byte
	Proposal *convert.Proposal
}

// Timeout bounds one review.
func (w *ReviewWorker) Timeout(*river.Job[ReviewArgs]) time.Duration {
	return w.timeout(10 * time.Minute)
}

// Work implements river.Worker.
func (w *ReviewWorker) Work(ctx context.Context, job *river.Job[ReviewArgs]) error {
	a := job.Args
	log := w.Log.With("job", job.ID, "kind", "review", "repo", a.FullName(), "pr", a.Number, "head", a.HeadSHA, "delivery", a.DeliveryID, "attempt", job.Attempt)
	start := time.Now()
	err := w.review(ctx, log, job)
	w.Metrics.JobDuration.WithLabelValues("review").Observe(time.Since(start).Seconds())
	return w.jobResult("review", log, err)
}

// superseded reports whether a newer head (or closing) replaced this one.
func (w *ReviewWorker) superseded(ctx context.Context, a ReviewArgs) (string, error) {
	head, state, err := w.DB.Head(ctx, a.FullName(), a.Number)
	if err != nil {
		return "", err
	}
	switch {
	case state == "closed":
		return "the pull request was closed", nil
	case head != "" && head != a.HeadSHA:
		return "head " + head + " superseded it", nil
	}
	return "", nil
}

func (w *ReviewWorker) review(ctx context.Context, log *slog.Logger, job *river.Job[ReviewArgs]) error {
	a := job.Args
	if why, err := w.superseded(ctx, a); err != nil {
		return err
	} else if why != "" {
		return river.JobCancel(errors.New(why))
	}
	id, err := w.GitHub.Identity(ctx)
	if err != nil {
		return err
	}
	if strings.EqualFold(a.AuthorType, "Bot") || strings.EqualFold(a.Author, id.BotLogin) {
		return skip("pull request opened by a bot (%s)", a.Author)
	}
	posted, err := w.DB.PostedReview(ctx, a.FullName(), a.Number, a.HeadSHA)
	if err != nil {
		return err
	}
	if posted != nil && a.Rerun == "" {
		return skip("review already posted for this head (review %d)", posted.ReviewID)
	}
	gh := w.GitHub.Installation(a.InstallationID)

	loader := &repoconfig.Loader{Client: gh}
	cfg, _, err := loader.Load(ctx, a.Owner, a.Repo, a.BaseRef)
	var pe *repoconfig.ParseError
	if errors.As(err, &pe) {
		return w.brokenConfig(ctx, log, gh, a, pe)
	}
	if err != nil {
		return err
	}
	if cfg.ModeOrDefault() == "off" {
		return skip("mode: off in the repository configuration")
	}
	if a.Draft && !cfg.DraftsEnabled() {
		return skip("draft pull request (set drafts: true to review drafts)")
	}

	var checkID int64
	if cfg.CheckRunEnabled() {
		cr, _, err := gh.Checks.CreateCheckRun(ctx, a.Owner, a.Repo, github.CreateCheckRunOptions{
			Name: w.CheckName, HeadSHA: a.HeadSHA, Status: github.String("in_progress"),
			StartedAt: &github.Timestamp{Time: time.Now()}, ExternalID: github.String(fmt.Sprintf("review-%d", job.ID)),
		})
		if err != nil {
			return fmt.Errorf("creating the check run on %s@%s: %w", a.FullName(), a.HeadSHA, err)
		}
		checkID = cr.GetID()
	}

	files, err := w.collect(ctx, log, gh, a, cfg)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		log.Info("no Dockerfiles changed")
		return w.completeCheck(ctx, gh, a, checkID, review.Output{Title: "No Dockerfiles changed", Summary: "This pull request changes no Dockerfile distill reviews.", Conclusion: "neutral"})
	}

	prev, err := w.DB.Fingerprints(ctx, a.FullName(), a.Number)
	if err != nil {
		return err
	}
	in := review.Input{HeadSHA: a.HeadSHA, CommandsEnabled: cfg.CommandsEnabled(), FailOn: cfg.FailOn, Verify: cfg.VerifyOrDefault()}
	for _, p := range prev {
		in.Previous = append(in.Previous, review.Previous{Fingerprint: p.Fingerprint, Path: p.Path, Rule: p.Rule, Resolved: p.ResolvedSHA != ""})
	}
	for _, f := range files {
		in.Files = append(in.Files, f.File)
	}
	out := review.Build(in)

	if why, err := w.superseded(ctx, a); err != nil {
		return err
	} else if why != "" {
		return river.JobCancel(errors.New(why))
	}
	reviewID := int64(0)
	if posted != nil {
		reviewID = posted.ReviewID
	} else if out.HasContent {
		// A crash after posting and before recording must not post twice:
		// on a retry, look for our review of this head first.
		if job.Attempt > 1 {
			if rid, err := w.findPosted(ctx, gh, a, id.BotLogin); err != nil {
				return err
			} else if rid != 0 {
				reviewID = rid
			}
		}
		if reviewID == 0 {
			rid, err := w.postReview(ctx, log, gh, a, out)
			if err != nil {
				return err
			}
			reviewID = rid
		}
	}
	if reviewID != 0 {
		if err := w.DB.RecordReview(ctx, a.FullName(), a.Number, a.HeadSHA, store.Review{ReviewID: reviewID, CheckRunID: checkID}); err != nil {
			return err
		}
	}
	var fps []store.Fingerprint
	for _, c := range out.Current {
		fps = append(fps, store.Fingerprint{Fingerprint: c.Fingerprint, Path: c.Path, Rule: c.Rule})
	}
	if err := w.DB.SaveFingerprints(ctx, a.FullName(), a.Number, a.HeadSHA, fps); err != nil {
		return err
	}
	if err := w.completeCheck(ctx, gh, a, checkID, out); err != nil {
		return err
	}
	log.Info("review done", "files", len(files), "findings", len(out.Current), "inline", len(out.Comments), "review_id", reviewID)
	if mode := cfg.VerifyOrDefault(); mode != "off" && reviewID > 0 {
		var paths []string
		for _, f := range files {
			if f.Proposal != nil && f.Proposal.Status == convert.Converted {
				paths = append(paths, f.Path)
			}
		}
		if len(paths) > 0 {
			q, err := enqueuer(ctx)
			if err != nil {
				return err
			}
			if _, err := q.Insert(ctx, VerifyArgs{InstallationID: a.InstallationID, Owner: a.Owner, Repo: a.Repo, Number: a.Number,
				HeadSHA: a.HeadSHA, ReviewID: reviewID, Paths: paths, Mode: mode, BaseRef: a.BaseRef}, nil); err != nil {
				return fmt.Errorf("enqueueing verification of %s#%d: %w", a.FullName(), a.Number, err)
			}
		}
	}
	if w.AfterReview != nil {
		var rf []ReviewedFile
		for _, f := range files {
			rf = append(rf, ReviewedFile{Path: f.Path, Content: f.Content, Proposal: f.Proposal})
		}
		return w.AfterReview(ctx, a, cfg, rf)
	}
	return nil
}

// collected is a Dockerfile with its analysis.
type collected struct {
	review.File
}

// selectDockerfile reports whether a changed file is a Dockerfile distill
// reviews: by name, or by the configured include globs, minus excludes.
func selectDockerfile(cfg *config.Config, name string) bool {
	for _, g := range cfg.Paths.Exclude {
		if config.Matches(g, name) {
			return false
		}
	}
	if analyzer.IsDockerfileName(name) {
		return true
	}
	for _, g := range cfg.Paths.Include {
		if config.Matches(g, name) {
			return true
		}
	}
	return false
}

// maxPRFiles is GitHub's limit for the pull request files API.
const maxPRFiles = 3000

func (w *ReviewWorker) collect(ctx context.Context, log *slog.Logger, gh *github.Client, a ReviewArgs, cfg *config.Config) ([]collected, error) {
	var changed []*github.CommitFile
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := gh.PullRequests.ListFiles(ctx, a.Owner, a.Repo, a.Number, opts)
		if err != nil {
			return nil, fmt.Errorf("listing files of %s#%d: %w", a.FullName(), a.Number, err)
		}
		for _, f := range page {
			if f.GetStatus() == "removed" || !selectDockerfile(cfg, f.GetFilename()) {
				continue
			}
			changed = append(changed, f)
		}
		if resp.NextPage == 0 || opts.Page*100 >= maxPRFiles {
			break
		}
		opts.Page = resp.NextPage
	}
	if len(changed) == 0 {
		return nil, nil
	}
	ctxFiles := newContextFetcher(gh, a)
	var out []collected
	for _, f := range changed {
		name := f.GetFilename()
		file := collected{File: review.File{Path: name, Status: f.GetStatus(), Patch: f.GetPatch()}}
		content, problem, err := w.readFile(ctx, gh, a, f)
		if err != nil {
			return nil, err
		}
		if problem != "" {
			file.Problem = problem
			out = append(out, file)
			continue
		}
		file.Content = content
		rc, err := ctxFiles.For(ctx, path.Dir(name))
		if err != nil {
			log.Warn("repository context unavailable; converting from the Dockerfile alone", "file", name, "error", err.Error())
			rc = nil
		}
		res, err := analyzer.Check(ctx, content, analyzer.Options{Path: name, Config: cfg, Context: rc})
		if err != nil {
			file.Problem = err.Error()
			out = append(out, file)
			continue
		}
		file.Findings = res.Findings
		prop, err := res.Conversion()
		if err == nil {
			file.Proposal = prop
		}
		out = append(out, file)
	}
	return out, nil
}

// maxDockerfile is the largest Dockerfile distill reads.
const maxDockerfile = 1 << 20

// readFile reads a changed Dockerfile at the head: the contents API for
// files up to 1 MB, the blobs API otherwise; for fork heads the base
// repository may not see the commit, so the head repository is tried, and
// an added file can be rebuilt from its patch.
func (w *ReviewWorker) readFile(ctx context.Context, gh *github.Client, a ReviewArgs, f *github.CommitFile) ([]byte, string, error) {
	name := f.GetFilename()
	// A new file's patch is the whole file: no request needed.
	if f.GetStatus() == "added" && f.GetPatch() != "" && f.GetDeletions() == 0 {
		if b, ok := addedFromPatch(f.GetPatch(), f.GetAdditions()); ok {
			return b, "", nil
		}
	}
	repos := [][2]string{{a.Owner, a.Repo}}
	if hr := a.HeadRepo; hr != "" && hr != a.FullName() {
		if o, r, ok := strings.Cut(hr, "/"); ok {
			repos = append(repos, [2]string{o, r})
		}
	}
	var lastErr error
	for _, or := range repos {
		fc, _, resp, err := gh.Repositories.GetContents(ctx, or[0], or[1], name, &github.RepositoryContentGetOptions{Ref: a.HeadSHA})
		if err == nil && fc != nil {
			if fc.GetSize() > maxDockerfile {
				return nil, fmt.Sprintf("the file is %d bytes; distill reviews Dockerfiles up to 1 MiB", fc.GetSize()), nil
			}
			if fc.GetEncoding() == "none" || fc.Content == nil {
				blob, _, err := gh.Git.GetBlobRaw(ctx, or[0], or[1], f.GetSHA())
				if err != nil {
					return nil, "", fmt.Errorf("reading %s at %s: %w", name, a.HeadSHA, err)
				}
				return blob, "", nil
			}
			s, err := fc.GetContent()
			if err != nil {
				return nil, "", fmt.Errorf("decoding %s: %w", name, err)
			}
			return []byte(s), "", nil
		}
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			lastErr = err
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("reading %s at %s: %w", name, a.HeadSHA, err)
		}
	}
	if f.GetStatus() == "added" && f.GetPatch() != "" {
		return contentFromPatch(f.GetPatch()), "", nil
	}
	return nil, fmt.Sprintf("distill could not read the file at the head commit (%v)", lastErr), nil
}

// addedFromPatch rebuilds a new file from its single-hunk patch when the
// patch accounts for every added line.
func addedFromPatch(patch string, additions int) ([]byte, bool) {
	if !strings.HasPrefix(patch, "@@ -0,0 +1") || strings.Count(patch, "\n@@") > 0 {
		return nil, false
	}
	var b strings.Builder
	n := 0
	lines := strings.Split(patch, "\n")
	for i, l := range lines[1:] {
		switch {
		case strings.HasPrefix(l, "+"):
			b.WriteString(l[1:])
			n++
			// "\ No newline at end of file" after the last line.
			if i+2 < len(lines) && strings.HasPrefix(lines[i+2], "\\") {
				continue
			}
			b.WriteString("\n")
		case strings.HasPrefix(l, "\\"), l == "":
		default:
			return nil, false
		}
	}
	return []byte(b.String()), n == additions && n > 0
}

// contentFromPatch rebuilds an added file from its patch (every line is an
// addition).
func contentFromPatch(patch string) []byte {
	var b strings.Builder
	for _, l := range strings.Split(patch, "\n") {
		if strings.HasPrefix(l, "+") {
			b.WriteString(l[1:] + "\n")
		}
	}
	return []byte(b.String())
}

// postReview posts the review; a 422 (a comment GitHub will not place,
// with no word on which) is retried without the inline comments, which
// move into the body, so the review is never lost whole.
func (w *ReviewWorker) postReview(ctx context.Context, log *slog.Logger, gh *github.Client, a ReviewArgs, out review.Output) (int64, error) {
	req := &github.PullRequestReviewRequest{CommitID: github.String(a.HeadSHA), Body: github.String(out.Body), Event: github.String("COMMENT")}
	for _, c := range out.Comments {
		dc := &github.DraftReviewComment{Path: github.String(c.Path), Body: github.String(c.Body), Line: github.Int(c.Line), Side: github.String("RIGHT")}
		if c.StartLine > 0 && c.StartLine < c.Line {
			dc.StartLine, dc.StartSide = github.Int(c.StartLine), github.String("RIGHT")
		}
		req.Comments = append(req.Comments, dc)
	}
	w.pause(ctx)
	rv, resp, err := gh.PullRequests.CreateReview(ctx, a.Owner, a.Repo, a.Number, req)
	if err != nil && resp != nil && resp.StatusCode == http.StatusUnprocessableEntity && len(req.Comments) > 0 {
		log.Warn("GitHub rejected an inline comment; posting the review with every finding in the body", "error", err.Error())
		req.Comments = nil
		req.Body = github.String(withMovedComments(out))
		w.pause(ctx)
		rv, _, err = gh.PullRequests.CreateReview(ctx, a.Owner, a.Repo, a.Number, req)
	}
	if err != nil {
		return 0, fmt.Errorf("posting the review on %s#%d: %w", a.FullName(), a.Number, err)
	}
	return rv.GetID(), nil
}

// withMovedComments puts the inline comments into the body, before the
// marker.
func withMovedComments(out review.Output) string {
	var b strings.Builder
	b.WriteString("\n**Inline comments GitHub would not place on the diff:**\n")
	for _, c := range out.Comments {
		fmt.Fprintf(&b, "\n`%s` line %d:\n\n%s\n", c.Path, c.Line, c.Body)
	}
	body := out.Body
	i := strings.LastIndex(body, "\n<!-- distill:review")
	if i < 0 {
		i = len(body)
	}
	merged := body[:i] + b.String() + body[i:]
	if len(merged) > review.MaxBody {
		return body
	}
	return merged
}

// findPosted looks for distill's review of this head on GitHub.
func (w *ReviewWorker) findPosted(ctx context.Context, gh *github.Client, a ReviewArgs, bot string) (int64, error) {
	opts := &github.ListOptions{PerPage: 100}
	for {
		rs, resp, err := gh.PullRequests.ListReviews(ctx, a.Owner, a.Repo, a.Number, opts)
		if err != nil {
			return 0, fmt.Errorf("listing reviews of %s#%d: %w", a.FullName(), a.Number, err)
		}
		for _, r := range rs {
			if head, ok := review.Marker(r.GetBody()); ok && head == a.HeadSHA && strings.EqualFold(r.GetUser().GetLogin(), bot) {
				return r.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}

// completeCheck completes the check run, sending annotations in batches of
// GitHub's maximum.
func (w *ReviewWorker) completeCheck(ctx context.Context, gh *github.Client, a ReviewArgs, id int64, out review.Output) error {
	if id == 0 {
		return nil
	}
	anns := make([]*github.CheckRunAnnotation, 0, len(out.Annotations))
	for _, an := range out.Annotations {
		anns = append(anns, &github.CheckRunAnnotation{Path: github.String(an.Path), StartLine: github.Int(an.StartLine), EndLine: github.Int(an.EndLine),
			AnnotationLevel: github.String(an.Level), Title: github.String(an.Title), Message: github.String(an.Message)})
	}
	first := anns
	if len(first) > review.MaxAnnotations {
		first = anns[:review.MaxAnnotations]
	}
	w.pause(ctx)
	_, _, err := gh.Checks.UpdateCheckRun(ctx, a.Owner, a.Repo, id, github.UpdateCheckRunOptions{
		Name: w.CheckName, Status: github.String("completed"), Conclusion: github.String(out.Conclusion),
		CompletedAt: &github.Timestamp{Time: time.Now()},
		Output:      &github.CheckRunOutput{Title: github.String(out.Title), Summary: github.String(out.Summary), Annotations: first},
	})
	if err != nil {
		return fmt.Errorf("completing the check run on %s@%s: %w", a.FullName(), a.HeadSHA, err)
	}
	for i := review.MaxAnnotations; i < len(anns); i += review.MaxAnnotations {
		end := i + review.MaxAnnotations
		if end > len(anns) {
			end = len(anns)
		}
		w.pause(ctx)
		if _, _, err := gh.Checks.UpdateCheckRun(ctx, a.Owner, a.Repo, id, github.UpdateCheckRunOptions{
			Name:   w.CheckName,
			Output: &github.CheckRunOutput{Title: github.String(out.Title), Summary: github.String(out.Summary), Annotations: anns[i:end]},
		}); err != nil {
			return fmt.Errorf("adding annotations to the check run on %s@%s: %w", a.FullName(), a.HeadSHA, err)
		}
	}
	return nil
}

// brokenConfig fails the check run with the parse error and explains it in
// one comment per pull request, edited in place on later pushes (and
// marked resolved by Followups once a review succeeds again); the rest of
// the organisation is unaffected.
func (w *ReviewWorker) brokenConfig(ctx context.Context, log *slog.Logger, gh *github.Client, a ReviewArgs, pe *repoconfig.ParseError) error {
	log.Warn("broken configuration", "error", pe.Error())
	msg := fmt.Sprintf("distill could not read its configuration:\n\n```\n%s\n```\n\nFix the file (see docs/configuration.md in distill's repository); distill reviews this pull request again on the next push.", pe.Error())
	w.pause(ctx)
	_, _, err := gh.Checks.CreateCheckRun(ctx, a.Owner, a.Repo, github.CreateCheckRunOptions{
		Name: w.CheckName, HeadSHA: a.HeadSHA, Status: github.String("completed"), Conclusion: github.String("failure"),
		CompletedAt: &github.Timestamp{Time: time.Now()},
		Output:      &github.CheckRunOutput{Title: github.String("Broken distill configuration"), Summary: github.String(msg)},
	})
	if err != nil {
		return fmt.Errorf("reporting the broken configuration on %s@%s: %w", a.FullName(), a.HeadSHA, err)
	}
	// The head is recorded like a review, so retries and redeliveries of
	// this head do not touch the comment again.
	if posted, err := w.DB.PostedReview(ctx, a.FullName(), a.Number, a.HeadSHA); err != nil || posted != nil {
		return err
	}
	body := github.String(fmt.Sprintf("%s\n\n_Checked at %s._\n<!-- distill:config-error head=%s -->", msg, a.HeadSHA, a.HeadSHA))
	id, _, err := w.DB.PRComment(ctx, a.FullName(), a.Number, configErrorKind)
	if err != nil {
		return err
	}
	if id == 0 {
		// A crash after commenting and before recording must not comment
		// twice: look for an unrecorded comment first (broken
		// configurations are rare, so the lookup costs little overall).
		ident, err := w.GitHub.Identity(ctx)
		if err != nil {
			return err
		}
		if id, err = findComment(ctx, gh, a.Owner, a.Repo, a.Number, ident.BotLogin, "<!-- distill:config-error head="); err != nil {
			return err
		}
	}
	if id != 0 {
		w.pause(ctx)
		_, resp, err := gh.Issues.EditComment(ctx, a.Owner, a.Repo, id, &github.IssueComment{Body: body})
		if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
			return fmt.Errorf("updating the broken configuration comment on %s#%d: %w", a.FullName(), a.Number, err)
		}
		if err != nil {
			id = 0 // someone deleted it: post a new one
		}
	}
	if id == 0 {
		w.pause(ctx)
		c, _, err := gh.Issues.CreateComment(ctx, a.Owner, a.Repo, a.Number, &github.IssueComment{Body: body})
		if err != nil {
			return fmt.Errorf("commenting on the broken configuration on %s#%d: %w", a.FullName(), a.Number, err)
		}
		id = c.GetID()
	}
	if err := w.DB.SavePRComment(ctx, a.FullName(), a.Number, configErrorKind, id, "broken"); err != nil {
		return err
	}
	return w.DB.RecordReview(ctx, a.FullName(), a.Number, a.HeadSHA, store.Review{ReviewID: -id})
}

// contextFetcher reads the repository files the converter uses (go.mod,
// package.json, …) next to each Dockerfile, with one recursive tree call
// per review and one blob call per file it needs.
type contextFetcher struct {
	gh    *github.Client
	a     ReviewArgs
	tree  []*github.TreeEntry
	ready bool
	err   error
	cache map[string]*convert.RepoContext
}

func newContextFetcher(gh *github.Client, a ReviewArgs) *contextFetcher {
	return &contextFetcher{gh: gh, a: a, cache: map[string]*convert.RepoContext{}}
}

// For returns the context of the directory holding a Dockerfile.
func (c *contextFetcher) For(ctx context.Context, dir string) (*convert.RepoContext, error) {
	if rc, ok := c.cache[dir]; ok {
		return rc, nil
	}
	if !c.ready {
		c.ready = true
		t, _, err := c.gh.Git.GetTree(ctx, c.a.Owner, c.a.Repo, c.a.HeadSHA, true)
		if err != nil {
			c.err = fmt.Errorf("reading the tree of %s at %s: %w", c.a.FullName(), c.a.HeadSHA, err)
		} else {
			c.tree = t.Entries
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	prefix := ""
	if dir != "." && dir != "" {
		prefix = dir + "/"
	}
	rc := &convert.RepoContext{Files: map[string][]byte{}, Dir: dir}
	top := map[string]*github.TreeEntry{}
	sizes := map[string]int64{}
	for _, e := range c.tree {
		p := e.GetPath()
		if !strings.HasPrefix(p, prefix) || e.GetType() != "blob" {
			continue
		}
		rel := strings.TrimPrefix(p, prefix)
		rc.Paths = append(rc.Paths, rel)
		if !strings.Contains(rel, "/") && e.GetMode() != "120000" {
			top[rel], sizes[rel] = e, int64(e.GetSize())
		}
	}
	var wanted []*github.TreeEntry
	for _, name := range analyzer.SelectContextFiles(sizes) {
		wanted = append(wanted, top[name])
	}
	for _, e := range wanted {
		b, _, err := c.gh.Git.GetBlobRaw(ctx, c.a.Owner, c.a.Repo, e.GetSHA())
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", e.GetPath(), err)
		}
		rc.Files[strings.TrimPrefix(e.GetPath(), prefix)] = b
	}
	c.cache[dir] = rc
	return rc, nil
}
