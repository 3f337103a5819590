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
