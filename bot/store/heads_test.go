package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/distill-bot/distill/bot/store"
	"github.com/distill-bot/distill/bot/store/storetest"
)

// GitHub delivers webhooks in no particular order: a late event must not
// move a pull request's head backwards or reopen it.
func TestAdvanceHeadIgnoresOlderEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		step := func(sha, state string, at time.Time, wantApplied bool) {
			t.Helper()
			ok, err := db.AdvanceHead(ctx, store.HeadEvent{Repo: "o/r", Number: 1, SHA: sha, State: state, UpdatedAt: at})
			if err != nil {
				t.Fatal(err)
			}
			if ok != wantApplied {
				t.Errorf("AdvanceHead(%s, %s, %s) applied = %v, want %v", sha, state, at.Format(time.TimeOnly), ok, wantApplied)
			}
		}
		want := func(sha, state string) {
			t.Helper()
			gotSHA, gotState, err := db.Head(ctx, "o/r", 1)
			if err != nil || gotSHA != sha || gotState != state {
				t.Errorf("head = %s %s (%v), want %s %s", gotSHA, gotState, err, sha, state)
			}
		}
		step("aaa", "open", t0, true)
		step("ccc", "open", t0.Add(2*time.Minute), true)
		step("bbb", "open", t0.Add(time.Minute), false) // late synchronize
		want("ccc", "open")
		step("ccc", "closed", t0.Add(3*time.Minute), true)
		step("ccc", "open", t0.Add(2*time.Minute), false) // late reopen/ready_for_review
		want("ccc", "closed")
		step("ccc", "open", t0.Add(3*time.Minute), true) // same second: arrival order
		want("ccc", "open")

		// SetHead (a head read back from the API) always applies and keeps
		// the event clock, so older events still lose afterwards.
		if err := db.SetHead(ctx, "o/r", 1, "ddd", "open"); err != nil {
			t.Fatal(err)
		}
		step("bbb", "open", t0.Add(time.Minute), false)
		want("ddd", "open")
	})
}

// Within one second, a recorded synchronize's "before" is older than it.
func TestAdvanceHeadSameSecond(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		adv := func(ev store.HeadEvent) bool {
			t.Helper()
			ev.Repo, ev.Number, ev.UpdatedAt = "o/r", 7, at
			ok, err := db.AdvanceHead(ctx, ev)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !adv(store.HeadEvent{SHA: "new", Before: "old", State: "open"}) {
			t.Fatal("first event not recorded")
		}
		if adv(store.HeadEvent{SHA: "old", State: "open"}) {
			t.Error("the opened event of the replaced head won over the synchronize of the same second")
		}
		if !adv(store.HeadEvent{SHA: "new", State: "closed"}) {
			t.Error("a close of the same second and head was ignored")
		}
		if sha, state, _ := db.Head(ctx, "o/r", 7); sha != "new" || state != "closed" {
			t.Errorf("head = %s %s", sha, state)
		}
	})
}

func TestPruneKeepsOpenPullRequests(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Now()
		for n, state := range map[int]string{1: "open", 2: "closed"} {
			if _, err := db.AdvanceHead(ctx, store.HeadEvent{Repo: "o/r", Number: n, SHA: "sha", State: state, UpdatedAt: at}); err != nil {
				t.Fatal(err)
			}
			if err := db.RecordReview(ctx, "o/r", n, "sha", store.Review{ReviewID: int64(n)}); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveFingerprints(ctx, "o/r", n, "sha", []store.Fingerprint{{Fingerprint: "f", Path: "Dockerfile", Rule: "R"}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RecordDelivery(ctx, "d1", "pull_request", "opened", 1, "o/r"); err != nil {
			t.Fatal(err)
		}

		// Nothing is older than a cutoff in the past.
		res, err := db.Prune(ctx, at.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range res {
			if n != 0 {
				t.Errorf("pruned %d rows of %s before their time", n, table)
			}
		}

		res, err = db.Prune(ctx, at.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := store.PruneResult{"distill_deliveries": 1, "distill_pr_heads": 1, "distill_reviews": 1, "distill_findings": 1}
		for table, n := range want {
			if res[table] != n {
				t.Errorf("pruned %d rows of %s, want %d (all: %v)", res[table], table, n, res)
			}
		}
		if r, err := db.PostedReview(ctx, "o/r", 1, "sha"); err != nil || r == nil {
			t.Errorf("the open pull request's review was pruned: %v %v", r, err)
		}
		if fps, err := db.Fingerprints(ctx, "o/r", 1); err != nil || len(fps) != 1 {
			t.Errorf("the open pull request's findings: %v %v", fps, err)
		}
		if sha, _, _ := db.Head(ctx, "o/r", 2); sha != "" {
			t.Errorf("the closed pull request's head survived")
		}
	})
}
