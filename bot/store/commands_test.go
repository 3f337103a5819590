package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "distill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestClaimCommand(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := t.Context()
	run := CommandRun{Repo: "acme/shop", CommentID: 7, Number: 1, Line: "/optimize", User: "alice", JobID: 100}
	claim := func(job int64, line string) (bool, string) {
		t.Helper()
		r := run
		r.JobID, r.Line = job, line
		ok, status, err := db.ClaimCommand(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return ok, status
	}
	if ok, _ := claim(100, "/optimize"); !ok {
		t.Fatal("first claim refused")
	}
	if ok, _ := claim(100, "/optimize"); !ok {
		t.Fatal("a retry of the same job must keep its claim")
	}
	if ok, status := claim(101, "/optimize x"); ok || status != CommandReceived {
		t.Fatalf("a second job claimed a running command: %v %s", ok, status)
	}
	// A refused command (say, a usage error) may be fixed by an edit.
	if err := db.SetCommandStatus(ctx, "acme/shop", 7, CommandReplied, "usage"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := claim(102, "/optimize y"); !ok {
		t.Fatal("an edit after a reply could not claim the comment")
	}
	if err := db.SetCommandStatus(ctx, "acme/shop", 7, CommandDone, ""); err != nil {
		t.Fatal(err)
	}
	if ok, status := claim(103, "/optimize z"); ok || status != CommandDone {
		t.Fatalf("an edit re-ran a command that ran: %v %s", ok, status)
	}
	got, err := db.Command(ctx, "acme/shop", 7)
	if err != nil || got == nil || got.Line != "/optimize y" || got.JobID != 102 || got.Status != CommandDone {
		t.Fatalf("command record %+v, %v", got, err)
	}
}

func TestFollowupsAndReports(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := t.Context()
	f := Followup{Repo: "acme/shop", Branch: "distill/optimize-3", Number: 3, BaseRef: "feature", PullNumber: 4, CommitSHA: "c1", SourceSHA: "s1", Paths: []string{"a/Dockerfile", "b/Dockerfile"}}
	if err := db.SaveFollowup(ctx, f); err != nil {
		t.Fatal(err)
	}
	f.CommitSHA = "c2"
	if err := db.SaveFollowup(ctx, f); err != nil {
		t.Fatal(err)
	}
	got, err := db.FollowupsOf(ctx, "acme/shop", 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Followup{f}, got); diff != "" {
		t.Errorf("follow-ups (-want +got):\n%s", diff)
	}
	if g, err := db.GetFollowup(ctx, "acme/shop", "distill/nope"); g != nil || err != nil {
		t.Errorf("unknown follow-up = %+v, %v", g, err)
	}

	if r, err := db.GetReport(ctx, "acme/shop"); r != nil || err != nil {
		t.Fatalf("report before saving = %+v, %v", r, err)
	}
	rep := Report{Repo: "acme/shop", InstallationID: 9, IssueNumber: 5, State: "open", DefaultBranch: "main", ScannedSHA: "abc", Body: "b"}
	if err := db.SaveReport(ctx, rep); err != nil {
		t.Fatal(err)
	}
	if err := db.SetReportState(ctx, "acme/shop", 5, "closed"); err != nil {
		t.Fatal(err)
	}
	rep.State = "closed"
	if r, err := db.GetReport(ctx, "acme/shop"); err != nil || !cmp.Equal(*r, rep) {
		t.Errorf("report = %+v, %v", r, err)
	}
	for i, want := range []bool{true, false} {
		if ok, err := db.CheckReportFile(ctx, "acme/shop", "a/Dockerfile"); err != nil || ok != want {
			t.Errorf("tick %d = %v, %v; want %v", i, ok, err, want)
		}
	}
	if err := db.SetReportFilePull(ctx, "acme/shop", "b/Dockerfile", 8); err != nil {
		t.Fatal(err)
	}
	files, err := db.ReportFiles(ctx, "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ReportFile{"a/Dockerfile": {Checked: true}, "b/Dockerfile": {Checked: true, PullNumber: 8}}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("report files (-want +got):\n%s", diff)
	}

	if id, _, err := db.PRComment(ctx, "acme/shop", 3, "config-error"); id != 0 || err != nil {
		t.Errorf("PRComment before saving = %d, %v", id, err)
	}
	if err := db.SavePRComment(ctx, "acme/shop", 3, "config-error", 42, "broken"); err != nil {
		t.Fatal(err)
	}
	if id, state, err := db.PRComment(ctx, "acme/shop", 3, "config-error"); id != 42 || state != "broken" || err != nil {
		t.Errorf("PRComment = %d %s %v", id, state, err)
	}
}
