package store

import (
	"context"
	"fmt"
	"time"
)

// PruneResult counts the rows one Prune removed, per table.
type PruneResult map[string]int64

// prTables hold per-pull-request state that is only useful while the pull
// request can still change: they are pruned with its head row once the
// pull request has been closed for the retention period.
var prTables = []string{"distill_reviews", "distill_findings", "distill_pr_comments"}

// Prune deletes what distill no longer needs: deliveries received before
// cutoff (long past GitHub's redelivery window) and everything recorded
// about pull requests closed before cutoff, command records and
// verification outcomes older than cutoff. Open pull requests keep their
// state however old it is, so a long-lived PR never gets a duplicate
// comment. River deletes its own finished jobs.
func (d *DB) Prune(ctx context.Context, cutoff time.Time) (PruneResult, error) {
	c := cutoff.Unix()
	res := PruneResult{}
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	defer tx.Rollback()
	exec := func(table, query string, args ...any) error {
		r, err := tx.ExecContext(ctx, d.Rebind(query), args...)
		if err != nil {
			return fmt.Errorf("prune %s: %w", table, err)
		}
		n, _ := r.RowsAffected()
		res[table] += n
		return nil
	}
	if err := exec("distill_deliveries", `DELETE FROM distill_deliveries WHERE received_at < ?`, c); err != nil {
		return nil, err
	}
	// A command older than the retention is not run again when its
	// comment is edited or redelivered after all that time.
	if err := exec("distill_commands", `DELETE FROM distill_commands WHERE updated_at < ?`, c); err != nil {
		return nil, err
	}
	if err := exec("distill_verifications", `DELETE FROM distill_verifications WHERE created_at < ?`, c); err != nil {
		return nil, err
	}
	for _, t := range prTables {
		if err := exec(t, `DELETE FROM `+t+` WHERE EXISTS (SELECT 1 FROM distill_pr_heads h
			WHERE h.repo = `+t+`.repo AND h.number = `+t+`.number AND h.state = 'closed' AND h.updated_at < ?)`, c); err != nil {
			return nil, err
		}
	}
	if err := exec("distill_pr_heads", `DELETE FROM distill_pr_heads WHERE state = 'closed' AND updated_at < ?`, c); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	return res, nil
}
