package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrations are distill's own schema changes, applied in order once.
// Append only; never edit a released migration.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS distill_deliveries (
		delivery_id     TEXT PRIMARY KEY,
		event           TEXT NOT NULL,
		action          TEXT NOT NULL DEFAULT '',
		installation_id BIGINT NOT NULL DEFAULT 0,
		repo            TEXT NOT NULL DEFAULT '',
		received_at     BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS distill_pr_heads (
		repo       TEXT NOT NULL,
		number     BIGINT NOT NULL,
		head_sha   TEXT NOT NULL,
		state      TEXT NOT NULL DEFAULT 'open',
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (repo, number)
	)`,
	`CREATE TABLE IF NOT EXISTS distill_reviews (
		repo      TEXT NOT NULL,
		number    BIGINT NOT NULL,
		head_sha  TEXT NOT NULL,
		review_id BIGINT NOT NULL,
		check_run_id BIGINT NOT NULL DEFAULT 0,
		posted_at BIGINT NOT NULL,
		PRIMARY KEY (repo, number, head_sha)
	)`,
	`CREATE TABLE IF NOT EXISTS distill_findings (
		repo         TEXT NOT NULL,
		number       BIGINT NOT NULL,
		fingerprint  TEXT NOT NULL,
		path         TEXT NOT NULL,
		rule         TEXT NOT NULL,
		first_sha    TEXT NOT NULL,
		resolved_sha TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (repo, number, fingerprint)
	)`,
	`CREATE TABLE IF NOT EXISTS distill_installations (
		id           BIGINT PRIMARY KEY,
		account      TEXT NOT NULL,
		account_type TEXT NOT NULL DEFAULT '',
		selection    TEXT NOT NULL DEFAULT '',
		suspended    INTEGER NOT NULL DEFAULT 0,
		deleted      INTEGER NOT NULL DEFAULT 0,
		updated_at   BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS distill_installation_repos (
		installation_id BIGINT NOT NULL,
		repo_id         BIGINT NOT NULL,
		full_name       TEXT NOT NULL,
		added_at        BIGINT NOT NULL,
		PRIMARY KEY (installation_id, repo_id)
	)`,
	// Comment commands: one row per comment, so a redelivered or edited
	// comment never runs its command twice.
	`CREATE TABLE IF NOT EXISTS distill_commands (
		repo         TEXT NOT NULL,
		comment_id   BIGINT NOT NULL,
		number       BIGINT NOT NULL,
		line         TEXT NOT NULL,
		requested_by TEXT NOT NULL,
		status       TEXT NOT NULL,
		detail       TEXT NOT NULL DEFAULT '',
		job_id       BIGINT NOT NULL DEFAULT 0,
		created_at   BIGINT NOT NULL,
		updated_at   BIGINT NOT NULL,
		PRIMARY KEY (repo, comment_id)
	)`,
	// Follow-up branches and the pull requests opened from them.
	`CREATE TABLE IF NOT EXISTS distill_followups (
		repo        TEXT NOT NULL,
		branch      TEXT NOT NULL,
		number      BIGINT NOT NULL,
		base_ref    TEXT NOT NULL DEFAULT '',
		pull_number BIGINT NOT NULL DEFAULT 0,
		commit_sha  TEXT NOT NULL DEFAULT '',
		source_sha  TEXT NOT NULL DEFAULT '',
		paths       TEXT NOT NULL DEFAULT '',
		updated_at  BIGINT NOT NULL,
		PRIMARY KEY (repo, branch)
	)`,
	// Onboarding reports: the "distill report" issue of a repository.
	`CREATE TABLE IF NOT EXISTS distill_reports (
		repo            TEXT PRIMARY KEY,
		installation_id BIGINT NOT NULL,
		issue_number    BIGINT NOT NULL DEFAULT 0,
		state           TEXT NOT NULL DEFAULT 'open',
		default_branch  TEXT NOT NULL DEFAULT '',
		scanned_sha     TEXT NOT NULL DEFAULT '',
		body            TEXT NOT NULL DEFAULT '',
		updated_at      BIGINT NOT NULL
	)`,
	// The files of a report: ticked boxes and the pull requests they got.
	`CREATE TABLE IF NOT EXISTS distill_report_files (
		repo        TEXT NOT NULL,
		path        TEXT NOT NULL,
		checked     INTEGER NOT NULL DEFAULT 0,
		pull_number BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (repo, path)
	)`,
	// Comments distill keeps one of per pull request (the broken
	// configuration explanation, a fork's patch), edited in place.
	`CREATE TABLE IF NOT EXISTS distill_pr_comments (
		repo       TEXT NOT NULL,
		number     BIGINT NOT NULL,
		kind       TEXT NOT NULL,
		comment_id BIGINT NOT NULL,
		state      TEXT NOT NULL DEFAULT '',
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (repo, number, kind)
	)`,
	// Onboarding progress per repository, so that work cancelled by a
	// suspension resumes when the installation is unsuspended.
	`CREATE TABLE IF NOT EXISTS distill_onboarding (
		installation_id BIGINT NOT NULL,
		repo_id         BIGINT NOT NULL,
		full_name       TEXT NOT NULL,
		state           TEXT NOT NULL,
		updated_at      BIGINT NOT NULL,
		PRIMARY KEY (installation_id, repo_id)
	)`,
	// The pull_request.updated_at of the event that set a head, so a late
	// webhook cannot move the head backwards (see AdvanceHead).
	`ALTER TABLE distill_pr_heads ADD COLUMN pr_updated_at BIGINT NOT NULL DEFAULT 0`,
	// The head a "synchronize" replaced, to order events of the same second.
	`ALTER TABLE distill_pr_heads ADD COLUMN before_sha TEXT NOT NULL DEFAULT ''`,
	// Verification outcomes, shared by reviews and follow-ups.
	`CREATE TABLE IF NOT EXISTS distill_verifications (
		repo          TEXT NOT NULL,
		sha           TEXT NOT NULL,
		path          TEXT NOT NULL,
		proposal_hash TEXT NOT NULL,
		verdict       TEXT NOT NULL,
		summary       TEXT NOT NULL,
		details       TEXT NOT NULL DEFAULT '',
		ok            BOOLEAN NOT NULL DEFAULT FALSE,
		created_at    BIGINT NOT NULL,
		PRIMARY KEY (repo, sha, path, proposal_hash)
	)`,
}

// RiverDriver returns the River driver for the database.
func (d *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if d.Dialect == Postgres {
		return riverdatabasesql.New(d.DB)
	}
	return riversqlite.New(d.DB)
}

// Migrate brings River's schema and distill's tables up to date. On
// Postgres it holds an advisory lock, so replicas starting together
// migrate one at a time; SQLite serialises writers itself.
func (d *DB) Migrate(ctx context.Context) error {
	// execer is the session distill's own migrations run on: a dedicated
	// connection holding the advisory lock on Postgres, the pool (of one
	// connection) on SQLite.
	var execer interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	} = d.DB
	if d.Dialect == Postgres {
		conn, err := d.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727274)`); err != nil {
			return fmt.Errorf("migrate: taking the migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(727274)`)
		execer = conn
	}
	conn := execer
	migrator, err := rivermigrate.New(d.RiverDriver(), nil)
	if err != nil {
		return fmt.Errorf("migrate: river: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate: river: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS distill_schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM distill_schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for v := current + 1; v <= len(migrations); v++ {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO distill_schema_migrations (version, applied_at) VALUES (?, ?)`), v, now()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %d: %w", v, err)
		}
	}
	return nil
}
