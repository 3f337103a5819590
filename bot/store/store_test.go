package store

import (
	"context"
	"path/filepath"
	"testing"
)

func TestSQLiteMigrateTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "distill.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < 2; i++ {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate %d: %v", i, err)
		}
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM distill_schema_migrations`).Scan(&n); err != nil || n != len(migrations) {
		t.Fatalf("versions = %d, %v", n, err)
	}
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil {
		t.Fatalf("river tables missing: %v", err)
	}
}

func TestRebind(t *testing.T) {
	t.Parallel()
	d := &DB{Dialect: Postgres}
	if got := d.Rebind("a = ? AND b = ?"); got != "a = $1 AND b = $2" {
		t.Errorf("Rebind = %q", got)
	}
}
