package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RecordDelivery stores a delivery ID; it reports false when the ID was
// already recorded (a redelivery).
func (d *DB) RecordDelivery(ctx context.Context, id, event, action string, installation int64, repo string) (bool, error) {
	res, err := d.Exec(ctx, `INSERT INTO distill_deliveries (delivery_id, event, action, installation_id, repo, received_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`, id, event, action, installation, repo, now())
	if err != nil {
		return false, fmt.Errorf("recording delivery %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SetHead records the current head of a pull request; jobs for other heads
// are superseded.
func (d *DB) SetHead(ctx context.Context, repo string, number int, sha, state string) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_pr_heads (repo, number, head_sha, state, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (repo, number) DO UPDATE SET head_sha = excluded.head_sha, state = excluded.state, updated_at = excluded.updated_at`,
		repo, number, sha, state, now())
	if err != nil {
		return fmt.Errorf("recording head of %s#%d: %w", repo, number, err)
	}
	return nil
}

// HeadEvent is what a pull_request event says about the pull request.
type HeadEvent struct {
	Repo   string
	Number int
	SHA    string
	// Before is the head a "synchronize" replaced ("" for other actions).
	Before string
	// State is "open" or "closed".
	State string
	// UpdatedAt is the event's pull_request.updated_at.
	UpdatedAt time.Time
}

// AdvanceHead records the head and state a pull_request event carried,
// unless a newer event has been recorded already: GitHub does not deliver
// webhooks in order (and distill works deliveries concurrently), and a
// late "synchronize" must not bring back a head that was pushed over, nor
// reopen a closed pull request. Events are ordered by updated_at; within
// one second, an event for the head a recorded "synchronize" replaced is
// the older one, and otherwise the last to arrive wins. It reports whether
// the row changed.
func (d *DB) AdvanceHead(ctx context.Context, ev HeadEvent) (bool, error) {
	res, err := d.Exec(ctx, `INSERT INTO distill_pr_heads (repo, number, head_sha, state, updated_at, pr_updated_at, before_sha) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo, number) DO UPDATE SET head_sha = excluded.head_sha, state = excluded.state, updated_at = excluded.updated_at,
			pr_updated_at = excluded.pr_updated_at, before_sha = excluded.before_sha
		WHERE excluded.pr_updated_at > distill_pr_heads.pr_updated_at
			OR (excluded.pr_updated_at = distill_pr_heads.pr_updated_at
				AND NOT (distill_pr_heads.before_sha = excluded.head_sha AND distill_pr_heads.head_sha <> excluded.head_sha))`,
		ev.Repo, ev.Number, ev.SHA, ev.State, now(), ev.UpdatedAt.Unix(), ev.Before)
	if err != nil {
		return false, fmt.Errorf("recording head of %s#%d: %w", ev.Repo, ev.Number, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Head returns the recorded head of a pull request ("" when unknown).
func (d *DB) Head(ctx context.Context, repo string, number int) (sha, state string, err error) {
	err = d.QueryRow(ctx, `SELECT head_sha, state FROM distill_pr_heads WHERE repo = ? AND number = ?`, repo, number).Scan(&sha, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("reading head of %s#%d: %w", repo, number, err)
	}
	return sha, state, nil
}

// Review is a review distill posted for one head.
type Review struct {
	ReviewID   int64
	CheckRunID int64
}

// PostedReview returns the review recorded for a head, if any.
func (d *DB) PostedReview(ctx context.Context, repo string, number int, sha string) (*Review, error) {
	var r Review
	err := d.QueryRow(ctx, `SELECT review_id, check_run_id FROM distill_reviews WHERE repo = ? AND number = ? AND head_sha = ?`, repo, number, sha).Scan(&r.ReviewID, &r.CheckRunID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading review of %s#%d@%s: %w", repo, number, sha, err)
	}
	return &r, nil
}

// RecordReview stores the review posted for a head.
func (d *DB) RecordReview(ctx context.Context, repo string, number int, sha string, r Review) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_reviews (repo, number, head_sha, review_id, check_run_id, posted_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo, number, head_sha) DO UPDATE SET review_id = excluded.review_id, check_run_id = excluded.check_run_id`,
		repo, number, sha, r.ReviewID, r.CheckRunID, now())
	if err != nil {
		return fmt.Errorf("recording review of %s#%d@%s: %w", repo, number, sha, err)
	}
	return nil
}

// Fingerprint is a finding already commented on a pull request.
type Fingerprint struct {
	Fingerprint string
	Path        string
	Rule        string
	FirstSHA    string
	ResolvedSHA string
}

// Fingerprints returns the findings commented on a pull request.
func (d *DB) Fingerprints(ctx context.Context, repo string, number int) ([]Fingerprint, error) {
	rows, err := d.Query(ctx, `SELECT fingerprint, path, rule, first_sha, resolved_sha FROM distill_findings WHERE repo = ? AND number = ? ORDER BY path, rule, fingerprint`, repo, number)
	if err != nil {
		return nil, fmt.Errorf("reading findings of %s#%d: %w", repo, number, err)
	}
	defer rows.Close()
	var out []Fingerprint
	for rows.Next() {
		var f Fingerprint
		if err := rows.Scan(&f.Fingerprint, &f.Path, &f.Rule, &f.FirstSHA, &f.ResolvedSHA); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SaveFingerprints records the findings of a head: new ones are added,
// ones no longer present are marked resolved at sha, and resolved ones that
// came back are reopened. It runs in one transaction.
func (d *DB) SaveFingerprints(ctx context.Context, repo string, number int, sha string, current []Fingerprint) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving findings of %s#%d: %w", repo, number, err)
	}
	defer tx.Rollback()
	present := map[string]bool{}
	for _, f := range current {
		present[f.Fingerprint] = true
		if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO distill_findings (repo, number, fingerprint, path, rule, first_sha, resolved_sha) VALUES (?, ?, ?, ?, ?, ?, '')
			ON CONFLICT (repo, number, fingerprint) DO UPDATE SET resolved_sha = ''`), repo, number, f.Fingerprint, f.Path, f.Rule, sha); err != nil {
			return fmt.Errorf("saving findings of %s#%d: %w", repo, number, err)
		}
	}
	rows, err := tx.QueryContext(ctx, d.Rebind(`SELECT fingerprint FROM distill_findings WHERE repo = ? AND number = ? AND resolved_sha = ''`), repo, number)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var fp string
		if err := rows.Scan(&fp); err != nil {
			rows.Close()
			return err
		}
		if !present[fp] {
			gone = append(gone, fp)
		}
	}
	rows.Close()
	for _, fp := range gone {
		if _, err := tx.ExecContext(ctx, d.Rebind(`UPDATE distill_findings SET resolved_sha = ? WHERE repo = ? AND number = ? AND fingerprint = ?`), sha, repo, number, fp); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Installation is an App installation.
type Installation struct {
	ID          int64
	Account     string
	AccountType string
	Selection   string
	Suspended   bool
	Deleted     bool
}

// UpsertInstallation records an installation's current state.
func (d *DB) UpsertInstallation(ctx context.Context, in Installation) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_installations (id, account, account_type, selection, suspended, deleted, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET account = excluded.account, account_type = excluded.account_type, selection = excluded.selection,
		suspended = excluded.suspended, deleted = excluded.deleted, updated_at = excluded.updated_at`,
		in.ID, in.Account, in.AccountType, in.Selection, b2i(in.Suspended), b2i(in.Deleted), now())
	if err != nil {
		return fmt.Errorf("recording installation %d: %w", in.ID, err)
	}
	return nil
}

// GetInstallation returns an installation, nil when unknown.
func (d *DB) GetInstallation(ctx context.Context, id int64) (*Installation, error) {
	in := Installation{ID: id}
	var susp, del int
	err := d.QueryRow(ctx, `SELECT account, account_type, selection, suspended, deleted FROM distill_installations WHERE id = ?`, id).
		Scan(&in.Account, &in.AccountType, &in.Selection, &susp, &del)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading installation %d: %w", id, err)
	}
	in.Suspended, in.Deleted = susp == 1, del == 1
	return &in, nil
}

// RepoRef is a repository of an installation.
type RepoRef struct {
	ID       int64
	FullName string
}

// AddInstallationRepos records repositories an installation covers; it
// returns those that were not recorded before.
func (d *DB) AddInstallationRepos(ctx context.Context, installation int64, repos []RepoRef) ([]RepoRef, error) {
	var added []RepoRef
	for _, r := range repos {
		res, err := d.Exec(ctx, `INSERT INTO distill_installation_repos (installation_id, repo_id, full_name, added_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (installation_id, repo_id) DO NOTHING`, installation, r.ID, r.FullName, now())
		if err != nil {
			return nil, fmt.Errorf("recording repositories of installation %d: %w", installation, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added = append(added, r)
		}
	}
	return added, nil
}

// RemoveInstallationRepos forgets repositories (nil: all of them).
func (d *DB) RemoveInstallationRepos(ctx context.Context, installation int64, repos []RepoRef) error {
	if repos == nil {
		_, err := d.Exec(ctx, `DELETE FROM distill_installation_repos WHERE installation_id = ?`, installation)
		return err
	}
	for _, r := range repos {
		if _, err := d.Exec(ctx, `DELETE FROM distill_installation_repos WHERE installation_id = ? AND repo_id = ?`, installation, r.ID); err != nil {
			return fmt.Errorf("removing repositories of installation %d: %w", installation, err)
		}
	}
	return nil
}

// InstallationRepos lists the repositories recorded for an installation.
func (d *DB) InstallationRepos(ctx context.Context, installation int64) ([]RepoRef, error) {
	rows, err := d.Query(ctx, `SELECT repo_id, full_name FROM distill_installation_repos WHERE installation_id = ? ORDER BY full_name`, installation)
	if err != nil {
		return nil, fmt.Errorf("reading the repositories of installation %d: %w", installation, err)
	}
	return scanRepoRefs(rows)
}

// scanRepoRefs reads (repo_id, full_name) rows and closes them.
func scanRepoRefs(rows *sql.Rows) ([]RepoRef, error) {
	defer rows.Close()
	var out []RepoRef
	for rows.Next() {
		var r RepoRef
		if err := rows.Scan(&r.ID, &r.FullName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
