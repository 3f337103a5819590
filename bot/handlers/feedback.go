package handlers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/bot/store"
)

// Shared by the command, optimize and onboarding jobs: reactions and
// replies on the comment that asked, the commenter's permission, the
// installation's state, and the last word of a job that gave up.

// Reactions distill gives a command comment.
const (
	reactAccepted = "eyes"     // 👀 accepted, working on it
	reactDone     = "rocket"   // 🚀 done
	reactRefused  = "confused" // 😕 refused or failed
)

// commentRef is the comment a command came from.
type commentRef struct {
	Owner, Repo string
	Number      int
	CommentID   int64
}

func (c commentRef) full() string { return c.Owner + "/" + c.Repo }

// react adds a reaction to the command comment. GitHub answers 200 for a
// reaction that already exists, so retries are harmless; a failed reaction
// is logged, never fatal (it is decoration).
func (d *Deps) react(ctx context.Context, log *slog.Logger, gh *github.Client, c commentRef, content string) {
	if c.CommentID == 0 {
		return
	}
	if _, _, err := gh.Reactions.CreateIssueCommentReaction(ctx, c.Owner, c.Repo, c.CommentID, content); err != nil {
		log.Warn("could not react to the comment", "reaction", content, "error", err.Error())
	}
}

// replyMarker ends every reply, so a retried job finds the reply it
// already posted.
func replyMarker(c commentRef, kind string) string {
	return fmt.Sprintf("<!-- distill:reply to=%d kind=%s -->", c.CommentID, kind)
}

// reply answers the command comment once: on a retry (attempt > 1) it
// first looks for its own reply among the comments after the command.
func (d *Deps) reply(ctx context.Context, gh *github.Client, c commentRef, kind, body string, attempt int, bot string) error {
	mark := replyMarker(c, kind)
	if attempt > 1 {
		found, err := findComment(ctx, gh, c.Owner, c.Repo, c.Number, bot, mark)
		if err != nil {
			return err
		}
		if found != 0 {
			return nil
		}
	}
	d.pause(ctx)
	body = strings.TrimRight(body, "\n") + "\n\n" + mark + "\n"
	if _, _, err := gh.Issues.CreateComment(ctx, c.Owner, c.Repo, c.Number, &github.IssueComment{Body: github.String(body)}); err != nil {
		return fmt.Errorf("replying on %s#%d: %w", c.full(), c.Number, err)
	}
	return nil
}

// findComment returns the id of a comment by bot containing mark, 0 when
// there is none.
func findComment(ctx context.Context, gh *github.Client, owner, repo string, number int, bot, mark string) (int64, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := gh.Issues.ListComments(ctx, owner, repo, number, opts)
		if err != nil {
			return 0, fmt.Errorf("listing comments of %s/%s#%d: %w", owner, repo, number, err)
		}
		for _, c := range cs {
			if strings.Contains(c.GetBody(), mark) && strings.EqualFold(c.GetUser().GetLogin(), bot) {
				return c.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}

// permission is GET /repos/{o}/{r}/collaborators/{user}/permission.
// go-github v62's RepositoryPermissionLevel has no role_name, and the
// legacy permission folds maintain into write and triage into read, so the
// response is decoded here.
type permission struct {
	Permission string `json:"permission"`
	RoleName   string `json:"role_name"`
}

var permissionRank = map[string]int{"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}

// rank orders permissions; a custom role counts as its base permission.
func (p permission) rank() int {
	if r, ok := permissionRank[p.RoleName]; ok {
		return r
	}
	return permissionRank[p.Permission]
}

func (p permission) String() string {
	if p.RoleName != "" {
		return p.RoleName
	}
	return p.Permission
}

// allows reports whether p reaches the minimum permission min.
func (p permission) allows(min string) bool {
	need, ok := permissionRank[min]
	if !ok {
		need = permissionRank["write"]
	}
	return p.rank() >= need
}

func permissionOf(ctx context.Context, gh *github.Client, owner, repo, user string) (permission, error) {
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", url.PathEscape(owner), url.PathEscape(repo), url.PathEscape(user))
	req, err := gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return permission{}, err
	}
	var p permission
	resp, err := gh.Do(ctx, req, &p)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			// Not a collaborator of a repository the user cannot see.
			return permission{Permission: "none"}, nil
		}
		return permission{}, fmt.Errorf("reading the permission of %s on %s/%s: %w", user, owner, repo, err)
	}
	return p, nil
}

// installationActive cancels a job whose installation was deleted or
// suspended since it was queued.
func (d *Deps) installationActive(ctx context.Context, id int64) error {
	in, err := d.DB.GetInstallation(ctx, id)
	if err != nil {
		return err
	}
	if in != nil && (in.Deleted || in.Suspended) {
		state := "deleted"
		if in.Suspended {
			state = "suspended"
		}
		return river.JobCancel(fmt.Errorf("installation %d was %s", id, state))
	}
	return nil
}

// refusal is an expected user problem: the job answers with its message
// and ends (no retry).
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

func refusef(format string, args ...any) error { return &refusal{msg: fmt.Sprintf(format, args...)} }

// finalFailure reports whether a job outcome ends the job unsuccessfully
// for good: cancelled, or failed on its last attempt.
func finalFailure(res error, attempt, maxAttempts int) bool {
	if res == nil {
		return false
	}
	var cancel *rivertype.JobCancelError
	if errors.As(res, &cancel) {
		return true
	}
	var snooze *rivertype.JobSnoozeError
	if errors.As(res, &snooze) {
		return false
	}
	return attempt >= maxAttempts
}

// failed tells the commenter that their command failed for good: 😕 and a
// reply with the reason.
func (d *Deps) failed(log *slog.Logger, gh *github.Client, c commentRef, line string, attempt int, err error) {
	if c.CommentID == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	bot := ""
	if id, ierr := d.GitHub.Identity(ctx); ierr == nil {
		bot = id.BotLogin
	}
	msg := err.Error()
	if len(msg) > 600 {
		msg = msg[:600] + "…"
	}
	d.react(ctx, log, gh, c, reactRefused)
	body := fmt.Sprintf("distill could not finish `%s`:\n\n```\n%s\n```\n\nThis was the last attempt; comment the command again to retry.", line, strings.ReplaceAll(msg, "```", "'''"))
	if rerr := d.reply(ctx, gh, c, "failed", body, attempt+1, bot); rerr != nil {
		log.Error("could not report the failure", "error", rerr.Error())
	}
	if serr := d.DB.SetCommandStatus(ctx, c.full(), c.CommentID, store.CommandFailed, msg); serr != nil {
		log.Error("could not record the failure", "error", serr.Error())
	}
}

// riverClient returns the River client running the current job (for
// listing and cancelling jobs).
func riverClient(ctx context.Context) (*river.Client[*sql.Tx], error) {
	c, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return nil, fmt.Errorf("no job queue in context: %w", err)
	}
	return c, nil
}

// Job tags, so that uninstalling cancels an installation's pending work.
func installationTag(id int64) string { return fmt.Sprintf("installation-%d", id) }
func repoTag(id int64) string         { return fmt.Sprintf("repo-%d", id) }

func jobTags(installation, repo int64) []string {
	tags := []string{installationTag(installation)}
	if repo != 0 {
		tags = append(tags, repoTag(repo))
	}
	return tags
}
