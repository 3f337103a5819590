// Package storetest gives tests real databases: a fresh SQLite file
// always, and a fresh PostgreSQL database when DISTILL_TEST_POSTGRES_URL
// names a server (`.ci/run` starts one with deploy/ci/postgres.sh).
package storetest

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/distill-bot/distill/bot/store"
)

// PostgresEnv names the variable holding an administrative Postgres URL.
const PostgresEnv = "DISTILL_TEST_POSTGRES_URL"

// FreshPostgresURL creates an empty database (or, without CREATEDB, an
// empty schema) on the server in DISTILL_TEST_POSTGRES_URL, drops it when
// the test ends, and returns its URL. It returns "" when the variable is
// unset.
func FreshPostgresURL(t testing.TB, prefix string) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		return ""
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	crand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err == nil {
		t.Cleanup(func() {
			if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
				t.Logf("dropping %s: %v", name, err)
			}
		})
		u.Path = "/" + name
		return u.String()
	} else {
		t.Logf("CREATE DATABASE failed (%v); using a fresh schema instead", err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("creating a schema for the test: %v", err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`) })
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// ForEach runs f as a subtest on a migrated SQLite database and, when
// DISTILL_TEST_POSTGRES_URL is set, on a migrated Postgres database.
func ForEach(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Helper()
	urls := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "distill.db") },
		"postgres": func(t *testing.T) string { return FreshPostgresURL(t, "distill_store") },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			u := urls[name](t)
			if u == "" {
				t.Skipf("%s is not set", PostgresEnv)
			}
			ctx := context.Background()
			db, err := store.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			f(t, db)
		})
	}
}
