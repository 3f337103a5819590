package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/bot/followup"
	"github.com/distill-bot/distill/bot/onboard"
	"github.com/distill-bot/distill/bot/store"
)

// Targets of a follow-up.
const (
	// targetPR converts a pull request's Dockerfiles onto its head; the
	// follow-up pull request merges into the pull request's head branch.
	targetPR = "pr"
	// targetDefault converts Dockerfiles of the default branch; the
	// follow-up pull request merges into the default branch.
	targetDefault = "default"
)

// Triggers of a follow-up.
const (
	triggerCommand = "command" // /optimize
	triggerAuto    = "auto"    // mode: pr, after a review
	triggerPush    = "push"    // a push to a pull request that has a follow-up
	triggerReport  = "report"  // a ticked box in the onboarding report
)

// OptimizeArgs asks for a follow-up: the conversion of some Dockerfiles as
// one commit on a distill/… branch and a pull request from it (or, for a
// fork, a patch comment). Key dedupes within a trigger: the comment for
// commands, the head for pushes and mode: pr, the delivery for report
// boxes.
type OptimizeArgs struct {
	InstallationID int64    `json:"installation_id"`
	Owner          string   `json:"owner" river:"unique"`
	Repo           string   `json:"repo" river:"unique"`
	RepoID         int64    `json:"repo_id,omitempty"`
	Number         int      `json:"number" river:"unique"`
	Target         string   `json:"target" river:"unique"`
	Paths          []string `json:"paths,omitempty" river:"unique"`
	Trigger        string   `json:"trigger" river:"unique"`
	Key            string   `json:"key" river:"unique"`
	// CommentID is the /optimize comment to answer (0: no one asked).
	CommentID int64  `json:"comment_id,omitempty"`
	Line      string `json:"line,omitempty"`
	Requester string `json:"requester,omitempty"`
	// CheckPermission checks Requester's permission first (report boxes).
	CheckPermission bool `json:"check_permission,omitempty"`
	// The pull request, when the trigger knows it (mode: pr, pushes).
	HeadSHA  string `json:"head_sha,omitempty"`
	HeadRef  string `json:"head_ref,omitempty"`
	HeadRepo string `json:"head_repo,omitempty"`
	BaseRef  string `json:"base_ref,omitempty"`
	// DefaultBranch, when known, saves a lookup.
	DefaultBranch string `json:"default_branch,omitempty"`
	// Branch is the follow-up branch; "" means distill/optimize-<Number>.
	Branch string `json:"branch,omitempty"`
	// Config is the effective configuration, when the trigger loaded it.
	Config     *config.Config `json:"config,omitempty"`
	DeliveryID string         `json:"delivery_id,omitempty"`
}

// Kind implements river.JobArgs.
func (OptimizeArgs) Kind() string { return "optimize" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (OptimizeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FullName is "owner/repo".
func (a OptimizeArgs) FullName() string { return a.Owner + "/" + a.Repo }

func (a OptimizeArgs) branch() string {
	if a.Branch != "" {
		return a.Branch
	}
	return fmt.Sprintf("distill/optimize-%d", a.Number)
}

func (a OptimizeArgs) ref() commentRef {
	return commentRef{Owner: a.Owner, Repo: a.Repo, Number: a.Number, CommentID: a.CommentID}
}

func (a OptimizeArgs) how() string {
	switch a.Trigger {
	case triggerCommand:
		if a.Line != "" {
			return "`" + a.Line + "`"
		}
		return "`/optimize`"
	case triggerAuto:
		return "the repository's configuration sets `mode: pr`"
	case triggerPush:
		return "the pull request changed after the last conversion"
	case triggerReport:
		return "a checkbox of the distill report"
	}
	return ""
}

func enqueueOptimize(ctx context.Context, log *slog.Logger, args OptimizeArgs) error {
	q, err := enqueuer(ctx)
	if err != nil {
		return err
	}
	res, err := q.Insert(ctx, args, &river.InsertOpts{Tags: jobTags(args.InstallationID, args.RepoID)})
	if err != nil {
		return fmt.Errorf("enqueueing the follow-up of %s#%d: %w", args.FullName(), args.Number, err)
	}
	log.Info("follow-up queued", "repo", args.FullName(), "number", args.Number, "trigger", args.Trigger, "paths", args.Paths,
		"duplicate", res.UniqueSkippedAsDuplicate)
	return nil
}

// OptimizeWorker makes follow-ups.
type OptimizeWorker struct {
	river.WorkerDefaults[OptimizeArgs]
	*Deps
	// Verifier builds the conversions under verify: on and required; nil
	// when no BuildKit daemon is configured.
	Verifier Verifier
	// TempDir holds extracted repositories ("" = system default).
	TempDir string
}

// Timeout bounds one follow-up; with a BuildKit daemon it may build.
func (w *OptimizeWorker) Timeout(*river.Job[OptimizeArgs]) time.Duration {
	if w.Verifier != nil {
		return (&VerifyWorker{Deps: w.Deps}).Timeout(nil)
	}
	return w.timeout(10 * time.Minute)
}

// verifyConversions builds the conversions when the configuration asks:
// under verify: on each file's verdict goes into the pull request; under
// verify: required a conversion that did not build and pass every check
// is not offered, and joins the files not converted with the reason.
func (w *OptimizeWorker) verifyConversions(ctx context.Context, log *slog.Logger, gh *github.Client, owner, repo, sha string, cfg *config.Config,
	conv []scannedFile, skipped []followup.Skipped) ([]scannedFile, []followup.Skipped, error) {
	mode := cfg.VerifyOrDefault()
	if mode == "off" || len(conv) == 0 {
		return conv, skipped, nil
	}
	s := w.newVerification(w.Verifier, gh, log, owner, repo, sha, w.TempDir)
	defer s.close()
	var kept []scannedFile
	for _, f := range conv {
		v, err := s.proposal(ctx, f.Path, f.Content, f.Proposal, cfg.Target(f.Path))
		if err != nil {
			return nil, nil, err
		}
		f.Verification = v.Line
		if mode == "required" && !v.OK {
			reason := "verify: required, and the conversion did not pass verification — " + v.Line
			if v.Details != "" {
				reason += "\n\n" + indent(v.Details, "  ")
			}
			skipped = append(skipped, followup.Skipped{Path: f.Path, Reason: reason})
			continue
		}
		kept = append(kept, f)
	}
	return kept, skipped, nil
}

// indent prefixes every line of s, for nesting Markdown
// under a list item.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// outcome is what a follow-up tells the person who asked.
type outcome struct {
	reply   string
	refused bool
}

// Work implements river.Worker.
func (w *OptimizeWorker) Work(ctx context.Context, job *river.Job[OptimizeArgs]) error {
	a := job.Args
	log := w.Log.With("job", job.ID, "kind", "optimize", "repo", a.FullName(), "number", a.Number, "target", a.Target,
		"trigger", a.Trigger, "requested_by", a.Requester, "delivery", a.DeliveryID, "attempt", job.Attempt)
	start := time.Now()
	gh := w.GitHub.Installation(a.InstallationID)
	out, err := w.run(ctx, log, gh, job)
	var ref *refusal
	if errors.As(err, &ref) {
		out, err = outcome{reply: ref.msg, refused: true}, nil
	}
	if err == nil {
		err = w.finish(ctx, log, gh, job, out)
	}
	w.Metrics.JobDuration.WithLabelValues("optimize").Observe(time.Since(start).Seconds())
	res := w.jobResult("optimize", log, err)
	if finalFailure(res, job.Attempt, job.MaxAttempts) {
		w.failed(log, gh, a.ref(), a.Line, job.Attempt, err)
	}
	return res
}

// finish answers the comment that asked (👀 was given by the command job):
// 🚀 and the reply, or 😕 and why. Automatic follow-ups only log.
func (w *OptimizeWorker) finish(ctx context.Context, log *slog.Logger, gh *github.Client, job *river.Job[OptimizeArgs], out outcome) error {
	a := job.Args
	log.Info("follow-up finished", "refused", out.refused, "result", firstLine(out.reply))
	if a.CommentID == 0 || out.reply == "" {
		return nil
	}
	id, err := w.GitHub.Identity(ctx)
	if err != nil {
		return err
	}
	reaction, status, kind := reactDone, store.CommandDone, "done"
	if out.refused {
		reaction, status, kind = reactRefused, store.CommandRefused, "refused"
	}
	w.react(ctx, log, gh, a.ref(), reaction)
	if err := w.reply(ctx, gh, a.ref(), kind, out.reply, job.Attempt, id.BotLogin); err != nil {
		return err
	}
	return w.DB.SetCommandStatus(ctx, a.FullName(), a.CommentID, status, firstLine(out.reply))
}

func (w *OptimizeWorker) run(ctx context.Context, log *slog.Logger, gh *github.Client, job *river.Job[OptimizeArgs]) (outcome, error) {
	a := job.Args
	if err := w.installationActive(ctx, a.InstallationID); err != nil {
		return outcome{}, err
	}
	id, err := w.GitHub.Identity(ctx)
	if err != nil {
		return outcome{}, err
	}
	fc := &followup.Client{GH: gh, Pause: w.pause, BotLogin: id.BotLogin}
	if a.Target == targetPR {
		return w.forPR(ctx, log, gh, fc, job)
	}
	return w.forBranch(ctx, log, gh, fc, job)
}

// config returns the configuration the trigger passed, or loads it.
func (w *OptimizeWorker) config(ctx context.Context, gh *github.Client, a OptimizeArgs, ref string) (*config.Config, error) {
	if a.Config != nil {
		return a.Config, nil
	}
	return loadConfig(ctx, gh, a.Owner, a.Repo, ref)
}

// forPR converts a pull request's Dockerfiles onto its head.
func (w *OptimizeWorker) forPR(ctx context.Context, log *slog.Logger, gh *github.Client, fc *followup.Client, job *river.Job[OptimizeArgs]) (outcome, error) {
	a := job.Args
	headSHA, headRef, headRepo, baseRef := a.HeadSHA, a.HeadRef, a.HeadRepo, a.BaseRef
	if a.Trigger == triggerAuto || a.Trigger == triggerPush {
		head, state, err := w.DB.Head(ctx, a.FullName(), a.Number)
		if err != nil {
			return outcome{}, err
		}
		if state == "closed" || (head != "" && head != a.HeadSHA) {
			return outcome{}, skip("head %s was superseded (%s %s)", short(a.HeadSHA), state, short(head))
		}
	}
	if headSHA == "" || headRef == "" || headRepo == "" {
		pr, _, err := gh.PullRequests.Get(ctx, a.Owner, a.Repo, a.Number)
		if err != nil {
			return outcome{}, fmt.Errorf("getting %s#%d: %w", a.FullName(), a.Number, err)
		}
		if pr.GetState() != "open" {
			return outcome{reply: fmt.Sprintf("#%d is %s, so distill did not convert anything.", a.Number, pr.GetState()), refused: true}, nil
		}
		headSHA, headRef, headRepo, baseRef = pr.GetHead().GetSHA(), pr.GetHead().GetRef(), pr.GetHead().GetRepo().GetFullName(), pr.GetBase().GetRef()
	}
	cfg, err := w.config(ctx, gh, a, baseRef)
	if err != nil {
		return outcome{}, err
	}
	if cfg.ModeOrDefault() == "off" {
		return outcome{}, skip("mode: off")
	}
	paths := a.Paths
	if len(paths) == 0 {
		if paths, err = changedDockerfiles(ctx, gh, a, cfg); err != nil {
			return outcome{}, err
		}
		if len(paths) == 0 {
			return outcome{reply: "This pull request changes no Dockerfile, so there is nothing to convert. Name the files to convert: `/optimize path/to/Dockerfile`.", refused: true}, nil
		}
	}
	// A fork's head may not be readable through the base repository
	// (github.md §7.4): read it from the fork then.
	readOwner, readRepo := a.Owner, a.Repo
	tree, _, err := getTree(ctx, gh, readOwner, readRepo, headSHA)
	if err != nil && headRepo != a.FullName() {
		if o, r, ok := strings.Cut(headRepo, "/"); ok {
			readOwner, readRepo = o, r
			tree, _, err = getTree(ctx, gh, o, r, headSHA)
		}
	}
	if err != nil {
		return outcome{}, err
	}
	if tree == nil {
		return outcome{}, skip("empty repository")
	}
	files, missing, err := w.scanTree(ctx, log, gh, readOwner, readRepo, headSHA, tree, paths, cfg)
	if err != nil {
		return outcome{}, err
	}
	if len(missing) > 0 {
		return outcome{reply: fmt.Sprintf("%s not in this pull request's head (`%s`), so distill did nothing.", listPaths(missing, "is", "are"), short(headSHA)), refused: true}, nil
	}
	src := followup.Source{Number: a.Number, PullRequest: true, Ref: headRef, SHA: headSHA, Requester: a.Requester, How: a.how()}
	conv, skipped := split(files)
	if conv, skipped, err = w.verifyConversions(ctx, log, gh, readOwner, readRepo, headSHA, cfg, conv, skipped); err != nil {
		return outcome{}, err
	}
	if headRepo != a.FullName() {
		return w.forkPatch(ctx, log, gh, job, src, headRepo, conv, skipped)
	}
	if len(conv) == 0 {
		return w.nothingToChange(ctx, log, fc, a, skipped)
	}
	fus, err := w.DB.GetFollowup(ctx, a.FullName(), a.branch())
	if err != nil {
		return outcome{}, err
	}
	if fus != nil && fus.PullNumber != 0 && (a.Trigger == triggerAuto || a.Trigger == triggerPush) {
		// Someone closed the follow-up without merging it: they do not
		// want it, so automatic updates stop (a new /optimize reopens).
		pr, _, err := gh.PullRequests.Get(ctx, a.Owner, a.Repo, fus.PullNumber)
		if err != nil {
			return outcome{}, fmt.Errorf("getting follow-up #%d of %s: %w", fus.PullNumber, a.FullName(), err)
		}
		if pr.GetState() == "closed" && !pr.GetMerged() {
			return outcome{}, skip("follow-up #%d was closed without merging", fus.PullNumber)
		}
	}
	return w.publish(ctx, log, fc, a, src, headRef, headSHA, tree.GetSHA(), conv, skipped, fus)
}

// forBranch converts Dockerfiles of the default branch (an /optimize on an
// issue, or a ticked box of the report).
func (w *OptimizeWorker) forBranch(ctx context.Context, log *slog.Logger, gh *github.Client, fc *followup.Client, job *river.Job[OptimizeArgs]) (outcome, error) {
	a := job.Args
	branch := a.DefaultBranch
	if branch == "" {
		r, _, err := gh.Repositories.Get(ctx, a.Owner, a.Repo)
		if err != nil {
			return outcome{}, fmt.Errorf("getting %s: %w", a.FullName(), err)
		}
		branch = r.GetDefaultBranch()
	}
	cfg, err := w.config(ctx, gh, a, "")
	if err != nil {
		return outcome{}, err
	}
	if cfg.ModeOrDefault() == "off" {
		return outcome{}, skip("mode: off")
	}
	if a.CheckPermission && a.Requester != "" {
		perm, err := permissionOf(ctx, gh, a.Owner, a.Repo, a.Requester)
		if err != nil {
			return outcome{}, err
		}
		if !perm.allows(cfg.MinPermission()) {
			return outcome{}, skip("%s has %s permission; follow-ups need %s", a.Requester, perm, cfg.MinPermission())
		}
	}
	ref, _, err := gh.Git.GetRef(ctx, a.Owner, a.Repo, "heads/"+branch)
	if err != nil {
		return outcome{}, fmt.Errorf("reading %s of %s: %w", branch, a.FullName(), err)
	}
	sha := ref.GetObject().GetSHA()
	tree, _, err := getTree(ctx, gh, a.Owner, a.Repo, sha)
	if err != nil {
		return outcome{}, err
	}
	if tree == nil {
		return outcome{reply: "The repository is empty; there is nothing to convert.", refused: true}, nil
	}
	paths := a.Paths
	if len(paths) == 0 {
		paths = treeDockerfiles(cfg, tree)
		if len(paths) == 0 {
			return outcome{reply: fmt.Sprintf("`%s` has no Dockerfiles, so there is nothing to convert.", branch), refused: true}, nil
		}
	}
	files, missing, err := w.scanTree(ctx, log, gh, a.Owner, a.Repo, sha, tree, paths, cfg)
	if err != nil {
		return outcome{}, err
	}
	if len(missing) > 0 {
		return outcome{reply: fmt.Sprintf("%s not on `%s`, so distill did nothing.", listPaths(missing, "is", "are"), branch), refused: true}, nil
	}
	src := followup.Source{Number: a.Number, Ref: branch, SHA: sha, Requester: a.Requester, How: a.how()}
	conv, skipped := split(files)
	if conv, skipped, err = w.verifyConversions(ctx, log, gh, a.Owner, a.Repo, sha, cfg, conv, skipped); err != nil {
		return outcome{}, err
	}
	if len(conv) == 0 {
		return w.nothingToChange(ctx, log, fc, a, skipped)
	}
	fu, err := w.DB.GetFollowup(ctx, a.FullName(), a.branch())
	if err != nil {
		return outcome{}, err
	}
	return w.publish(ctx, log, fc, a, src, branch, sha, tree.GetSHA(), conv, skipped, fu)
}

// publish commits the conversion on the follow-up branch and opens or
// updates its pull request into base.
func (w *OptimizeWorker) publish(ctx context.Context, log *slog.Logger, fc *followup.Client, a OptimizeArgs, src followup.Source, base, parent, parentTree string,
	conv []scannedFile, skipped []followup.Skipped, prev *store.Followup) (outcome, error) {
	var ffiles []followup.File
	var blobs []followup.Blob
	for _, f := range conv {
		ffiles = append(ffiles, f.followup())
		blobs = append(blobs, followup.Blob{Path: f.Path, Content: f.Proposal.Dockerfile, Mode: f.Mode})
	}
	branch := a.branch()
	res, err := fc.Push(ctx, followup.Change{Owner: a.Owner, Repo: a.Repo, Branch: branch, Parent: parent, ParentTree: parentTree,
		Files: blobs, Message: followup.CommitMessage(src, ffiles)})
	if errors.Is(err, followup.ErrForeignCommits) {
		return outcome{reply: fmt.Sprintf("Someone else committed to `%s`, so distill leaves it alone and did not update the conversion. Merge or close its pull request and delete the branch; the next `/optimize` starts it afresh.", branch), refused: true}, nil
	}
	if err != nil {
		return outcome{}, err
	}
	if res.Unchanged && a.Trigger != triggerCommand && a.Trigger != triggerReport {
		return outcome{}, skip("%s already holds this conversion of %s", branch, short(parent))
	}
	body := followup.Body(followup.BodyInput{Source: src, Base: base, Branch: branch, Files: ffiles, Skipped: skipped})
	pull, err := fc.EnsurePull(ctx, followup.PullSpec{Owner: a.Owner, Repo: a.Repo, Head: branch, Base: base,
		Title: followup.Title(src, ffiles), Body: body, NewBranch: res.Created})
	if err != nil {
		return outcome{}, err
	}
	var paths []string
	if prev != nil {
		paths = prev.Paths
	}
	if len(a.Paths) > 0 || a.Trigger == triggerCommand {
		paths = a.Paths
	}
	if err := w.DB.SaveFollowup(ctx, store.Followup{Repo: a.FullName(), Branch: branch, Number: a.Number, BaseRef: base,
		PullNumber: pull.Number, CommitSHA: res.Commit, SourceSHA: parent, Paths: paths}); err != nil {
		return outcome{}, err
	}
	if a.Trigger == triggerReport {
		if err := w.updateReport(ctx, log, fc.GH, a, pull.Number); err != nil {
			return outcome{}, err
		}
	}
	log.Info("follow-up published", "branch", branch, "commit", res.Commit, "pull", pull.Number, "created", pull.Created, "unchanged", res.Unchanged)
	var names []string
	for _, f := range conv {
		names = append(names, "`"+f.Path+"`")
	}
	what := strings.Join(names, ", ")
	var msg string
	switch {
	case pull.Created:
		msg = fmt.Sprintf("Opened #%d with the conversion of %s to a multi-stage build with a distroless final image. Merge it into `%s` once the image works; its description lists the risks to check.", pull.Number, what, base)
	case res.Unchanged:
		msg = fmt.Sprintf("Nothing changed since the last conversion: #%d already holds the conversion of %s on `%s`.", pull.Number, what, short(parent))
	default:
		msg = fmt.Sprintf("Updated #%d: the conversion of %s is now one commit on `%s`.", pull.Number, what, short(parent))
	}
	if len(skipped) > 0 {
		msg += "\n\nNot converted:\n"
		for _, s := range skipped {
			msg += fmt.Sprintf("- `%s`: %s\n", s.Path, s.Reason)
		}
	}
	return outcome{reply: msg}, nil
}

// nothingToChange answers when no file has a conversion, and closes an
// open follow-up that has become obsolete.
func (w *OptimizeWorker) nothingToChange(ctx context.Context, log *slog.Logger, fc *followup.Client, a OptimizeArgs, skipped []followup.Skipped) (outcome, error) {
	fu, err := w.DB.GetFollowup(ctx, a.FullName(), a.branch())
	if err != nil {
		return outcome{}, err
	}
	var b strings.Builder
	b.WriteString("Nothing to change: no Dockerfile here needs a conversion.\n")
	for _, s := range skipped {
		fmt.Fprintf(&b, "- `%s`: %s\n", s.Path, s.Reason)
	}
	if fu != nil && fu.PullNumber != 0 {
		closed, err := fc.Close(ctx, a.Owner, a.Repo, fu.PullNumber, "distill closes this pull request: the Dockerfiles it converted no longer need a conversion.\n\n"+b.String())
		if err != nil {
			return outcome{}, err
		}
		if closed {
			log.Info("obsolete follow-up closed", "pull", fu.PullNumber)
			fmt.Fprintf(&b, "\ndistill closed #%d, which is no longer needed.\n", fu.PullNumber)
		}
	}
	if a.Trigger == triggerAuto || a.Trigger == triggerPush {
		return outcome{}, skip("nothing to change")
	}
	return outcome{reply: b.String()}, nil
}

// forkPatch answers a fork's pull request with the patch: the App cannot
// push to the fork. A command gets replies; automatic runs keep one patch
// comment per pull request, edited in place.
func (w *OptimizeWorker) forkPatch(ctx context.Context, log *slog.Logger, gh *github.Client, job *river.Job[OptimizeArgs], src followup.Source, headRepo string, conv []scannedFile, skipped []followup.Skipped) (outcome, error) {
	a := job.Args
	if len(conv) == 0 {
		if a.Trigger == triggerAuto || a.Trigger == triggerPush {
			return outcome{}, skip("nothing to change")
		}
		var b strings.Builder
		b.WriteString("Nothing to change: no Dockerfile here needs a conversion.\n")
		for _, s := range skipped {
			fmt.Fprintf(&b, "- `%s`: %s\n", s.Path, s.Reason)
		}
		return outcome{reply: b.String()}, nil
	}
	var ffiles []followup.File
	for _, f := range conv {
		ffiles = append(ffiles, f.followup())
	}
	id, err := w.GitHub.Identity(ctx)
	if err != nil {
		return outcome{}, err
	}
	marker := fmt.Sprintf("<!-- distill:patch pr=%d head=%s -->", a.Number, src.SHA)
	parts := followup.PatchComments(followup.PatchInput{Source: src, HeadRepo: headRepo, Files: ffiles, Skipped: skipped, Marker: marker})
	if a.CommentID != 0 {
		c := a.ref()
		for i, p := range parts {
			if err := w.reply(ctx, gh, c, fmt.Sprintf("patch-%d", i+1), p, job.Attempt, id.BotLogin); err != nil {
				return outcome{}, err
			}
		}
		w.react(ctx, log, gh, c, reactDone)
		log.Info("fork patch posted", "parts", len(parts))
		return outcome{}, w.DB.SetCommandStatus(ctx, a.FullName(), a.CommentID, store.CommandDone, "patch for a fork")
	}
	// One patch comment per pull request (its first part), kept current.
	cid, _, err := w.DB.PRComment(ctx, a.FullName(), a.Number, "patch")
	if err != nil {
		return outcome{}, err
	}
	if cid != 0 {
		w.pause(ctx)
		_, resp, err := gh.Issues.EditComment(ctx, a.Owner, a.Repo, cid, &github.IssueComment{Body: github.String(parts[0])})
		if err == nil {
			return outcome{}, nil
		}
		if resp == nil || resp.StatusCode != http.StatusNotFound {
			return outcome{}, fmt.Errorf("updating the patch comment on %s#%d: %w", a.FullName(), a.Number, err)
		}
	}
	w.pause(ctx)
	c, _, err := gh.Issues.CreateComment(ctx, a.Owner, a.Repo, a.Number, &github.IssueComment{Body: github.String(parts[0])})
	if err != nil {
		return outcome{}, fmt.Errorf("posting the patch on %s#%d: %w", a.FullName(), a.Number, err)
	}
	return outcome{}, w.DB.SavePRComment(ctx, a.FullName(), a.Number, "patch", c.GetID(), "")
}

// updateReport ticks a file's box in the report and links its pull
// request.
func (w *OptimizeWorker) updateReport(ctx context.Context, log *slog.Logger, gh *github.Client, a OptimizeArgs, pull int) error {
	rep, err := w.DB.GetReport(ctx, a.FullName())
	if err != nil || rep == nil || rep.IssueNumber != a.Number {
		return err
	}
	for _, p := range a.Paths {
		if err := w.DB.SetReportFilePull(ctx, a.FullName(), p, pull); err != nil {
			return err
		}
	}
	states, err := reportStates(ctx, w.Deps, a.FullName())
	if err != nil {
		return err
	}
	w.pause(ctx)
	if _, _, err := gh.Issues.Edit(ctx, a.Owner, a.Repo, rep.IssueNumber, &github.IssueRequest{Body: github.String(onboard.Apply(rep.Body, states))}); err != nil {
		return fmt.Errorf("updating the report of %s: %w", a.FullName(), err)
	}
	log.Info("report updated", "issue", rep.IssueNumber, "pull", pull)
	return nil
}

// reportStates reads the ticked boxes and pull requests of a report.
func reportStates(ctx context.Context, d *Deps, repo string) (map[string]onboard.State, error) {
	files, err := d.DB.ReportFiles(ctx, repo)
	if err != nil {
		return nil, err
	}
	out := map[string]onboard.State{}
	for p, f := range files {
		out[p] = onboard.State{Checked: f.Checked, Pull: f.PullNumber}
	}
	return out, nil
}

// changedDockerfiles lists the Dockerfiles a pull request adds or changes.
func changedDockerfiles(ctx context.Context, gh *github.Client, a OptimizeArgs, cfg *config.Config) ([]string, error) {
	var out []string
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := gh.PullRequests.ListFiles(ctx, a.Owner, a.Repo, a.Number, opts)
		if err != nil {
			return nil, fmt.Errorf("listing files of %s#%d: %w", a.FullName(), a.Number, err)
		}
		for _, f := range page {
			if f.GetStatus() != "removed" && selectDockerfile(cfg, f.GetFilename()) {
				out = append(out, f.GetFilename())
			}
		}
		if resp.NextPage == 0 || opts.Page*100 >= maxPRFiles {
			break
		}
		opts.Page = resp.NextPage
	}
	sort.Strings(out)
	return out, nil
}

func split(files []scannedFile) ([]scannedFile, []followup.Skipped) {
	var conv []scannedFile
	var skipped []followup.Skipped
	for _, f := range files {
		if f.converted() {
			conv = append(conv, f)
		} else {
			skipped = append(skipped, f.skipped())
		}
	}
	return conv, skipped
}

func listPaths(ps []string, one, many string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = "`" + p + "`"
	}
	if len(ps) == 1 {
		return q[0] + " " + one
	}
	return strings.Join(q, ", ") + " " + many
}
