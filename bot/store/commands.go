package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Command statuses. A comment whose command was refused, answered with a
// usage reply or ignored may run a command when it is edited; one that
// was accepted never runs again.
const (
	CommandReceived = "received" // claimed by a job, not decided yet
	CommandAccepted = "accepted" // permission granted, work started
	CommandQueued   = "queued"   // a follow-up job finishes it
	CommandDone     = "done"
	CommandFailed   = "failed"
	CommandRefused  = "refused" // permission, configuration, wrong place
	CommandReplied  = "replied" // usage error or unknown command
	CommandIgnored  = "ignored" // mode: off
)

// CommandRun is one comment's command.
type CommandRun struct {
	Repo      string
	CommentID int64
	Number    int
	Line      string
	User      string
	JobID     int64
	Status    string
	Detail    string
}

// ClaimCommand lets the job jobID run the command of a comment. It
// succeeds for a comment seen for the first time, for the job that already
// claimed it (a retry), and for a comment whose earlier command did not
// run (refused, replied, ignored: an edit may fix it). Otherwise it
// returns false and the status of the run that happened.
func (d *DB) ClaimCommand(ctx context.Context, r CommandRun) (bool, string, error) {
	res, err := d.Exec(ctx, `INSERT INTO distill_commands (repo, comment_id, number, line, requested_by, status, job_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repo, comment_id) DO NOTHING`,
		r.Repo, r.CommentID, r.Number, r.Line, r.User, CommandReceived, r.JobID, now(), now())
	if err != nil {
		return false, "", fmt.Errorf("claiming the command of comment %d in %s: %w", r.CommentID, r.Repo, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, CommandReceived, nil
	}
	res, err = d.Exec(ctx, `UPDATE distill_commands SET line = ?, requested_by = ?, job_id = ?, status = CASE WHEN job_id = ? THEN status ELSE ? END, updated_at = ?
		WHERE repo = ? AND comment_id = ? AND (job_id = ? OR status IN (?, ?, ?))`,
		r.Line, r.User, r.JobID, r.JobID, CommandReceived, now(), r.Repo, r.CommentID, r.JobID, CommandRefused, CommandReplied, CommandIgnored)
	if err != nil {
		return false, "", fmt.Errorf("claiming the command of comment %d in %s: %w", r.CommentID, r.Repo, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, CommandReceived, nil
	}
	var status string
	if err := d.QueryRow(ctx, `SELECT status FROM distill_commands WHERE repo = ? AND comment_id = ?`, r.Repo, r.CommentID).Scan(&status); err != nil {
		return false, "", fmt.Errorf("reading the command of comment %d in %s: %w", r.CommentID, r.Repo, err)
	}
	return false, status, nil
}

// SetCommandStatus records what became of a comment's command.
func (d *DB) SetCommandStatus(ctx context.Context, repo string, commentID int64, status, detail string) error {
	_, err := d.Exec(ctx, `UPDATE distill_commands SET status = ?, detail = ?, updated_at = ? WHERE repo = ? AND comment_id = ?`,
		status, detail, now(), repo, commentID)
	if err != nil {
		return fmt.Errorf("recording the command of comment %d in %s: %w", commentID, repo, err)
	}
	return nil
}

// Command returns a comment's command record, nil when there is none.
func (d *DB) Command(ctx context.Context, repo string, commentID int64) (*CommandRun, error) {
	r := CommandRun{Repo: repo, CommentID: commentID}
	err := d.QueryRow(ctx, `SELECT number, line, requested_by, job_id, status, detail FROM distill_commands WHERE repo = ? AND comment_id = ?`, repo, commentID).
		Scan(&r.Number, &r.Line, &r.User, &r.JobID, &r.Status, &r.Detail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the command of comment %d in %s: %w", commentID, repo, err)
	}
	return &r, nil
}

// Followup is a follow-up branch and its pull request.
type Followup struct {
	Repo   string
	Branch string
	// Number is the pull request or issue the follow-up belongs to.
	Number     int
	BaseRef    string
	PullNumber int
	CommitSHA  string
	// SourceSHA is the commit the follow-up commit is built on.
	SourceSHA string
	// Paths are the requested paths; nil means every Dockerfile.
	Paths []string
}

// SaveFollowup records a follow-up branch.
func (d *DB) SaveFollowup(ctx context.Context, f Followup) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_followups (repo, branch, number, base_ref, pull_number, commit_sha, source_sha, paths, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo, branch) DO UPDATE SET number = excluded.number, base_ref = excluded.base_ref, pull_number = excluded.pull_number,
		commit_sha = excluded.commit_sha, source_sha = excluded.source_sha, paths = excluded.paths, updated_at = excluded.updated_at`,
		f.Repo, f.Branch, f.Number, f.BaseRef, f.PullNumber, f.CommitSHA, f.SourceSHA, strings.Join(f.Paths, "\n"), now())
	if err != nil {
		return fmt.Errorf("recording follow-up %s of %s: %w", f.Branch, f.Repo, err)
	}
	return nil
}

// GetFollowup returns the follow-up on a branch, nil when unknown.
func (d *DB) GetFollowup(ctx context.Context, repo, branch string) (*Followup, error) {
	rows, err := d.Query(ctx, `SELECT repo, branch, number, base_ref, pull_number, commit_sha, source_sha, paths FROM distill_followups WHERE repo = ? AND branch = ?`, repo, branch)
	if err != nil {
		return nil, fmt.Errorf("reading follow-up %s of %s: %w", branch, repo, err)
	}
	fs, err := scanFollowups(rows)
	if err != nil || len(fs) == 0 {
		return nil, err
	}
	return &fs[0], nil
}

// FollowupsOf returns the follow-ups of a pull request or issue.
func (d *DB) FollowupsOf(ctx context.Context, repo string, number int) ([]Followup, error) {
	rows, err := d.Query(ctx, `SELECT repo, branch, number, base_ref, pull_number, commit_sha, source_sha, paths FROM distill_followups WHERE repo = ? AND number = ? ORDER BY branch`, repo, number)
	if err != nil {
		return nil, fmt.Errorf("reading follow-ups of %s#%d: %w", repo, number, err)
	}
	return scanFollowups(rows)
}

func scanFollowups(rows *sql.Rows) ([]Followup, error) {
	defer rows.Close()
	var out []Followup
	for rows.Next() {
		var f Followup
		var paths string
		if err := rows.Scan(&f.Repo, &f.Branch, &f.Number, &f.BaseRef, &f.PullNumber, &f.CommitSHA, &f.SourceSHA, &paths); err != nil {
			return nil, err
		}
		if paths != "" {
			f.Paths = strings.Split(paths, "\n")
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PRComment returns the comment distill keeps of a kind on a pull request
// (0 when there is none) and its state.
func (d *DB) PRComment(ctx context.Context, repo string, number int, kind string) (int64, string, error) {
	var id int64
	var state string
	err := d.QueryRow(ctx, `SELECT comment_id, state FROM distill_pr_comments WHERE repo = ? AND number = ? AND kind = ?`, repo, number, kind).Scan(&id, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("reading the %s comment of %s#%d: %w", kind, repo, number, err)
	}
	return id, state, nil
}

// SavePRComment records the comment of a kind on a pull request.
func (d *DB) SavePRComment(ctx context.Context, repo string, number int, kind string, id int64, state string) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_pr_comments (repo, number, kind, comment_id, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo, number, kind) DO UPDATE SET comment_id = excluded.comment_id, state = excluded.state, updated_at = excluded.updated_at`,
		repo, number, kind, id, state, now())
	if err != nil {
		return fmt.Errorf("recording the %s comment of %s#%d: %w", kind, repo, number, err)
	}
	return nil
}

// CommandQueued records that a follow-up job finishes the command, unless
// that job already did (it may finish before the command job records this).
func (d *DB) CommandQueued(ctx context.Context, repo string, commentID int64) error {
	_, err := d.Exec(ctx, `UPDATE distill_commands SET status = ?, updated_at = ? WHERE repo = ? AND comment_id = ? AND status IN (?, ?)`,
		CommandQueued, now(), repo, commentID, CommandReceived, CommandAccepted)
	if err != nil {
		return fmt.Errorf("recording the command of comment %d in %s: %w", commentID, repo, err)
	}
	return nil
}
