// Package store is distill's database: SQLite (a file, the default) or
// Postgres (for several replicas), opened through database/sql so that the
// River job queue and distill's own tables share one connection pool and
// one set of migrations.
//
// Nothing distill needs to finish an accepted delivery lives only in
// memory: deliveries, the heads of pull requests, the reviews posted and
// the findings already commented are rows here; jobs are River rows in the
// same database.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", pure Go
)

// Dialect is the SQL flavour of the database.
type Dialect string

// Dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database.
type DB struct {
	*sql.DB
	Dialect Dialect
	// URL is the database URL with any password removed, for logs.
	URL string
}

// Open opens a database URL: "postgres://…" / "postgresql://…", or a
// SQLite file path ("distill.db", "sqlite:///var/lib/distill.db",
// "file:distill.db").
func Open(ctx context.Context, rawURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		db, err := sql.Open("pgx", rawURL)
		if err != nil {
			return nil, fmt.Errorf("opening postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
		d := &DB{DB: db, Dialect: Postgres, URL: redact(rawURL)}
		if err := d.ping(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return d, nil
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite://"), "file:")
		if path == "" {
			return nil, errors.New("empty database path")
		}
		// WAL lets readers and the writer proceed together; busy_timeout
		// makes a second writer wait instead of failing.
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("opening sqlite %s: %w", path, err)
		}
		// SQLite allows one writer at a time; River's SQLite driver works
		// best with a single connection (see riversqlite's package doc).
		db.SetMaxOpenConns(1)
		d := &DB{DB: db, Dialect: SQLite, URL: "sqlite:" + path}
		if err := d.ping(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return d, nil
	}
}

func (d *DB) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.PingContext(ctx); err != nil {
		return fmt.Errorf("connecting to %s: %w", d.URL, err)
	}
	return nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// Rebind turns "?" placeholders into the dialect's ($1, $2 … on Postgres).
func (d *DB) Rebind(q string) string {
	if d.Dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Exec runs a statement with "?" placeholders.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.ExecContext(ctx, d.Rebind(q), args...)
}

// QueryRow runs a query with "?" placeholders.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return d.QueryRowContext(ctx, d.Rebind(q), args...)
}

// Query runs a query with "?" placeholders.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.QueryContext(ctx, d.Rebind(q), args...)
}

func now() int64 { return time.Now().Unix() }
