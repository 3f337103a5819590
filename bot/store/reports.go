package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Report is a repository's onboarding report: the "distill report" issue.
type Report struct {
	Repo           string
	InstallationID int64
	IssueNumber    int
	// State is "open" or "closed" (closed by someone: not updated again).
	State         string
	DefaultBranch string
	ScannedSHA    string
	// Body is the body distill last wrote, before ticks and links.
	Body string
}

// GetReport returns a repository's report, nil when there is none.
func (d *DB) GetReport(ctx context.Context, repo string) (*Report, error) {
	r := Report{Repo: repo}
	err := d.QueryRow(ctx, `SELECT installation_id, issue_number, state, default_branch, scanned_sha, body FROM distill_reports WHERE repo = ?`, repo).
		Scan(&r.InstallationID, &r.IssueNumber, &r.State, &r.DefaultBranch, &r.ScannedSHA, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the report of %s: %w", repo, err)
	}
	return &r, nil
}

// SaveReport records a repository's report.
func (d *DB) SaveReport(ctx context.Context, r Report) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_reports (repo, installation_id, issue_number, state, default_branch, scanned_sha, body, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo) DO UPDATE SET installation_id = excluded.installation_id, issue_number = excluded.issue_number, state = excluded.state,
		default_branch = excluded.default_branch, scanned_sha = excluded.scanned_sha, body = excluded.body, updated_at = excluded.updated_at`,
		r.Repo, r.InstallationID, r.IssueNumber, r.State, r.DefaultBranch, r.ScannedSHA, r.Body, now())
	if err != nil {
		return fmt.Errorf("recording the report of %s: %w", r.Repo, err)
	}
	return nil
}

// SetReportState records that a report issue was closed or reopened.
func (d *DB) SetReportState(ctx context.Context, repo string, issue int, state string) error {
	_, err := d.Exec(ctx, `UPDATE distill_reports SET state = ?, updated_at = ? WHERE repo = ? AND issue_number = ?`, state, now(), repo, issue)
	if err != nil {
		return fmt.Errorf("recording the state of the report of %s: %w", repo, err)
	}
	return nil
}

// ReportFile is the state of one file of a report.
type ReportFile struct {
	Checked    bool
	PullNumber int
}

// ReportFiles returns the ticked boxes and opened pull requests of a
// report, by path.
func (d *DB) ReportFiles(ctx context.Context, repo string) (map[string]ReportFile, error) {
	rows, err := d.Query(ctx, `SELECT path, checked, pull_number FROM distill_report_files WHERE repo = ?`, repo)
	if err != nil {
		return nil, fmt.Errorf("reading the report files of %s: %w", repo, err)
	}
	defer rows.Close()
	out := map[string]ReportFile{}
	for rows.Next() {
		var p string
		var checked int
		var f ReportFile
		if err := rows.Scan(&p, &checked, &f.PullNumber); err != nil {
			return nil, err
		}
		f.Checked = checked == 1
		out[p] = f
	}
	return out, rows.Err()
}

// CheckReportFile records a ticked box; it reports false when the box was
// already ticked.
func (d *DB) CheckReportFile(ctx context.Context, repo, path string) (bool, error) {
	res, err := d.Exec(ctx, `INSERT INTO distill_report_files (repo, path, checked, pull_number) VALUES (?, ?, 1, 0)
		ON CONFLICT (repo, path) DO UPDATE SET checked = 1 WHERE distill_report_files.checked = 0`, repo, path)
	if err != nil {
		return false, fmt.Errorf("recording the ticked box of %s in the report of %s: %w", path, repo, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SetReportFilePull records the pull request opened for a file of a report.
func (d *DB) SetReportFilePull(ctx context.Context, repo, path string, pull int) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_report_files (repo, path, checked, pull_number) VALUES (?, ?, 1, ?)
		ON CONFLICT (repo, path) DO UPDATE SET checked = 1, pull_number = excluded.pull_number`, repo, path, pull)
	if err != nil {
		return fmt.Errorf("recording the pull request of %s in the report of %s: %w", path, repo, err)
	}
	return nil
}
