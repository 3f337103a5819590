package store

import (
	"context"
	"fmt"
)

// InstallationHasRepo reports whether an installation still covers a
// repository (onboarding jobs check before they start).
func (d *DB) InstallationHasRepo(ctx context.Context, installation, repoID int64) (bool, error) {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM distill_installation_repos WHERE installation_id = ? AND repo_id = ?`, installation, repoID).Scan(&n); err != nil {
		return false, fmt.Errorf("reading the repositories of installation %d: %w", installation, err)
	}
	return n > 0, nil
}

// CountInstallationRepos counts the repositories recorded for an
// installation.
func (d *DB) CountInstallationRepos(ctx context.Context, installation int64) (int, error) {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM distill_installation_repos WHERE installation_id = ?`, installation).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting the repositories of installation %d: %w", installation, err)
	}
	return n, nil
}

// Onboarding states of a repository.
const (
	OnboardingQueued = "queued" // a scan is queued (or was cancelled by a suspension)
	OnboardingDone   = "done"
)

// MarkOnboarding records the onboarding state of repositories, in one
// transaction (an organisation may have thousands).
func (d *DB) MarkOnboarding(ctx context.Context, installation int64, repos []RepoRef, state string) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("recording the onboarding of installation %d: %w", installation, err)
	}
	defer tx.Rollback()
	q := d.Rebind(`INSERT INTO distill_onboarding (installation_id, repo_id, full_name, state, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (installation_id, repo_id) DO UPDATE SET full_name = excluded.full_name, state = excluded.state, updated_at = excluded.updated_at`)
	for _, r := range repos {
		if _, err := tx.ExecContext(ctx, q, installation, r.ID, r.FullName, state, now()); err != nil {
			return fmt.Errorf("recording the onboarding of %s: %w", r.FullName, err)
		}
	}
	return tx.Commit()
}

// UnfinishedOnboarding lists the repositories of an installation whose
// onboarding was queued but never finished.
func (d *DB) UnfinishedOnboarding(ctx context.Context, installation int64) ([]RepoRef, error) {
	rows, err := d.Query(ctx, `SELECT o.repo_id, o.full_name FROM distill_onboarding o
		JOIN distill_installation_repos r ON r.installation_id = o.installation_id AND r.repo_id = o.repo_id
		WHERE o.installation_id = ? AND o.state = ? ORDER BY o.full_name`, installation, OnboardingQueued)
	if err != nil {
		return nil, fmt.Errorf("reading the onboarding of installation %d: %w", installation, err)
	}
	return scanRepoRefs(rows)
}
