package replicas_test

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/distill-bot/distill/bot"
	"github.com/distill-bot/distill/bot/githubtest"
	"github.com/distill-bot/distill/bot/githubtest/hook"
	"github.com/distill-bot/distill/bot/store/storetest"
)

const secret = "replica-test-secret"

// Knobs that let River rescue a dead replica's jobs within a test's time
// (by default a job is rescued 15 minutes after its process died).
const (
	envJobTimeout  = "DISTILL_JOB_TIMEOUT"
	envRescueAfter = "DISTILL_RESCUE_AFTER"
)

func serverHasRescueKnobs() bool {
	var timeout, rescue bool
	for _, e := range bot.Env {
		timeout = timeout || e.Name == envJobTimeout
		rescue = rescue || e.Name == envRescueAfter
	}
	return timeout && rescue
}

// A Dockerfile distill has findings on, so every head gets a review.
const dockerfile = "FROM golang:1.16-slim\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nEXPOSE 8080\nCMD [\"./main\"]\n"

func postgresURL(t *testing.T) string {
	u := os.Getenv("DISTILL_TEST_POSTGRES_URL")
	if u == "" {
		t.Skip(`DISTILL_TEST_POSTGRES_URL is not set: this test runs two distill serve processes on PostgreSQL. ` +
			`Start one with: export DISTILL_TEST_POSTGRES_URL="$(bash deploy/ci/postgres.sh)"`)
	}
	return u
}

// freshDatabase creates an empty database for one run (a schema when the
// role may not create databases) and drops it afterwards.
func freshDatabase(t *testing.T, base string) string {
	t.Helper()
	return storetest.FreshPostgresURL(t, "distill_replicas")
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// distillBinary builds cmd/distill once per test binary.
func distillBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			buildErr = err
			return
		}
		dir, err := os.MkdirTemp("", "distill-replicas-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "distill")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/distill")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/distill: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// replica is one `distill serve` process.
type replica struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error // of Wait, once done is closed

	mu    sync.Mutex
	lines []map[string]any
	raw   []string
}

func startReplica(t *testing.T, name, bin, dbURL string, gh *githubtest.Server, extraEnv ...string) *replica {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "DISTILL_") || k == "DATABASE_URL" || k == "BUILDKIT_HOST" {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env,
		fmt.Sprintf("DISTILL_APP_ID=%d", gh.AppID()),
		"DISTILL_PRIVATE_KEY="+string(gh.PrivateKeyPEM()),
		"DISTILL_WEBHOOK_SECRET="+secret,
		"DISTILL_GITHUB_URL="+gh.APIURL(),
		"DISTILL_DATABASE_URL="+dbURL,
		"DISTILL_LISTEN=127.0.0.1:0",
		"DISTILL_LOG_LEVEL=info",
		"DISTILL_CONCURRENCY=4",
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	r := &replica{name: name, cmd: cmd, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		for sc.Scan() {
			var m map[string]any
			json.Unmarshal(sc.Bytes(), &m)
			r.mu.Lock()
			r.raw = append(r.raw, sc.Text())
			if m != nil {
				r.lines = append(r.lines, m)
			}
			r.mu.Unlock()
		}
	}()
	go func() {
		r.err = cmd.Wait()
		pw.Close()
		close(r.done)
	}()
	t.Cleanup(func() {
		r.stop()
		if t.Failed() {
			r.mu.Lock()
			defer r.mu.Unlock()
			tail := r.raw[max(0, len(r.raw)-40):]
			t.Logf("last log lines of %s:\n%s", name, strings.Join(tail, "\n"))
		}
	})
	return r
}

// logValue waits for a log line with msg and returns its attribute key.
func (r *replica) logValue(msg, key string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		r.mu.Lock()
		for _, l := range r.lines {
			if l["msg"] == msg {
				if v, ok := l[key].(string); ok {
					r.mu.Unlock()
					return v, nil
				}
			}
		}
		r.mu.Unlock()
		select {
		case <-r.done:
			return "", fmt.Errorf("%s exited (%v) before logging %q", r.name, r.err, msg)
		default:
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s logged no %q within %s", r.name, msg, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *replica) countLogs(msg string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, l := range r.lines {
		if l["msg"] == msg {
			n++
		}
	}
	return n
}

// stop ends the process gracefully (SIGTERM: distill drains), then by force.
func (r *replica) stop() {
	select {
	case <-r.done:
		return
	default:
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(15 * time.Second):
		r.cmd.Process.Kill()
		<-r.done
	}
}

// started is a replica that is serving and ready.
type started struct {
	*replica
	url      string
	clientID string
}

// waitReady waits until the replica serves, knows its River client ID and
// answers /readyz (database reachable, App credentials accepted).
func waitReady(t *testing.T, r *replica) *started {
	t.Helper()
	addr, err := r.logValue("distill serving", "listen", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	id, err := r.logValue("River client started", "client_id", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s := &started{replica: r, url: "http://" + addr, clientID: id}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready: %v", r.name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startPair starts two replicas at the same instant on an empty database.
func startPair(t *testing.T, bin, dbURL string, gh *githubtest.Server, env ...string) (*started, *started) {
	t.Helper()
	a := startReplica(t, "replica-a", bin, dbURL, gh, env...)
	b := startReplica(t, "replica-b", bin, dbURL, gh, env...)
	return waitReady(t, a), waitReady(t, b)
}

// checkMigrated asserts one complete, unduplicated set of migrations.
func checkMigrated(t *testing.T, db *sql.DB) {
	t.Helper()
	var n, maxV, distinct int
	if err := db.QueryRow(`SELECT COUNT(*), COALESCE(MAX(version), 0), COUNT(DISTINCT version) FROM distill_schema_migrations`).Scan(&n, &maxV, &distinct); err != nil {
		t.Fatalf("distill_schema_migrations: %v", err)
	}
	if n == 0 || n != maxV || n != distinct {
		t.Errorf("distill migrations: %d rows, max version %d, %d distinct; want 1..N once each", n, maxV, distinct)
	}
	var river int
	if err := db.QueryRow(`SELECT COUNT(*) FROM river_migration`).Scan(&river); err != nil || river == 0 {
		t.Errorf("river_migration: %d rows, %v", river, err)
	}
	for _, table := range []string{"distill_deliveries", "distill_pr_heads", "distill_reviews", "distill_findings", "distill_installations", "river_job", "river_leader"} {
		if _, err := db.Exec(`SELECT 1 FROM ` + table + ` LIMIT 1`); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}

// TestMigrationsRaceOnEmptyDatabase starts two replicas at once on an
// empty database, three times: both must come up, and the schema must be
// migrated exactly once.
func TestMigrationsRaceOnEmptyDatabase(t *testing.T) {
	base := postgresURL(t)
	bin := distillBinary(t)
	gh := githubtest.New(t)
	for round := 1; round <= 3; round++ {
		t.Run(fmt.Sprintf("round%d", round), func(t *testing.T) {
			dbURL := freshDatabase(t, base)
			a, b := startPair(t, bin, dbURL, gh)
			db, err := sql.Open("pgx", dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			checkMigrated(t, db)
			if a.clientID == b.clientID {
				t.Errorf("both replicas have River client ID %s", a.clientID)
			}
			a.stop()
			b.stop()
			for _, r := range []*started{a, b} {
				if r.err != nil {
					t.Errorf("%s did not stop cleanly on SIGTERM: %v", r.name, r.err)
				}
			}
		})
	}
}

// pull is one pull request of the scenario.
type pull struct {
	owner, repo string
	number      int
}

func (p pull) String() string { return fmt.Sprintf("%s/%s#%d", p.owner, p.repo, p.number) }

type delivery struct {
	id, event string
	payload   []byte
	to        *started
	redeliver bool
}

// send posts deliveries, eight at a time, and checks each answer.
func send(t *testing.T, ds []delivery) (accepted, duplicates int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan delivery)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				resp, err := hook.Deliver(t.Context(), d.to.url+"/webhook", secret, d.event, d.id, d.payload)
				if err != nil {
					t.Errorf("delivering %s to %s: %v", d.id, d.to.name, err)
					continue
				}
				var body struct{ Status string }
				json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				mu.Lock()
				switch {
				case resp.StatusCode != http.StatusAccepted:
					t.Errorf("delivery %s to %s: %d %s", d.id, d.to.name, resp.StatusCode, body.Status)
				case body.Status == "duplicate":
					duplicates++
				case body.Status == "queued":
					accepted++
				default:
					t.Errorf("delivery %s: status %q", d.id, body.Status)
				}
				mu.Unlock()
			}
		}()
	}
	for _, d := range ds {
		work <- d
	}
	close(work)
	wg.Wait()
	return accepted, duplicates
}

type jobCount struct {
	kind, state string
	n           int
}

func jobStates(t *testing.T, db *sql.DB) []jobCount {
	t.Helper()
	rows, err := db.Query(`SELECT kind, state::text, COUNT(*) FROM river_job GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []jobCount
	for rows.Next() {
		var c jobCount
		if err := rows.Scan(&c.kind, &c.state, &c.n); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// unfinished counts jobs not in a final state.
func unfinished(t *testing.T, db *sql.DB, kind string) int {
	t.Helper()
	var n int
	q := `SELECT COUNT(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')`
	args := []any{}
	if kind != "" {
		q += ` AND kind = $1`
		args = append(args, kind)
	}
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// runningOn lists the IDs of jobs running with clientID as their last
// attempt.
func runningOn(t *testing.T, db *sql.DB, clientID, kind string) []int64 {
	t.Helper()
	rows, err := db.Query(`SELECT id FROM river_job WHERE state = 'running' AND kind = $2 AND attempted_by[array_upper(attempted_by, 1)] = $1 ORDER BY id`, clientID, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

// reviewCount counts the reviews on GitHub across pulls.
func reviewCount(gh *githubtest.Server, pulls []pull) int {
	n := 0
	for _, p := range pulls {
		n += len(gh.Reviews(p.owner, p.repo, p.number))
	}
	return n
}

// TestReplicasReviewEachHeadOnce is the scale-out test: two replicas on one
// PostgreSQL database, 100 deliveries, one replica killed with SIGKILL
// mid-run.
func TestReplicasReviewEachHeadOnce(t *testing.T) {
	base := postgresURL(t)
	bin := distillBinary(t)
	dbURL := freshDatabase(t, base)
	gh := githubtest.New(t)

	// 60 pull requests in 4 organisations (one installation each), 3
	// repositories per organisation, each PR adding a Dockerfile.
	var pulls []pull
	for o := range 4 {
		owner := fmt.Sprintf("org%d", o)
		var repos []string
		for r := range 3 {
			name := fmt.Sprintf("svc%d", r)
			gh.AddRepo(githubtest.Repo{Owner: owner, OwnerType: "Organization", Name: name, Files: map[string]string{"README.md": "# " + name + "\n"}})
			repos = append(repos, owner+"/"+name)
		}
		gh.AddInstallation(githubtest.Installation{Account: owner, Repositories: repos})
		for r := range 3 {
			name := fmt.Sprintf("svc%d", r)
			for i := range 5 {
				branch := fmt.Sprintf("feature-%d", i)
				gh.Commit(owner, name, branch, map[string]string{"Dockerfile": dockerfile, fmt.Sprintf("cmd/%d/main.go", i): "package main\n"}, "add a Dockerfile")
				n := gh.OpenPR(githubtest.PR{Owner: owner, Repo: name, Head: branch, Author: "alice"})
				pulls = append(pulls, pull{owner, name, n})
			}
		}
	}
	if len(pulls) != 60 {
		t.Fatalf("%d pulls", len(pulls))
	}

	if !serverHasRescueKnobs() {
		t.Fatalf("bot.Env lists no %s/%s: distill serve cannot be told to rescue a dead replica's jobs sooner", envJobTimeout, envRescueAfter)
	}
	env := []string{envJobTimeout + "=10s", envRescueAfter + "=12s"}
	start := time.Now()
	a, b := startPair(t, bin, dbURL, gh, env...)
	t.Logf("both replicas ready %s after a simultaneous start on an empty database (River clients %s, %s)", time.Since(start).Round(time.Millisecond), a.clientID, b.clientID)
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkMigrated(t, db)
	replicas := []*started{a, b}
	other := func(r *started) *started {
		if r == a {
			return b
		}
		return a
	}
	rng := rand.New(rand.NewPCG(7, 11))

	// Wave 1, 85 deliveries: every PR opened (alternating replicas), 15 of
	// them redelivered with the same delivery ID to the other replica, and
	// 10 ready_for_review for the same heads under new delivery IDs.
	var wave1 []delivery
	opened := map[int]delivery{}
	for i, p := range pulls {
		d := delivery{id: fmt.Sprintf("open-%02d", i), event: "pull_request", payload: gh.PullRequestEvent("opened", p.owner, p.repo, p.number), to: replicas[i%2]}
		opened[i] = d
		wave1 = append(wave1, d)
	}
	for _, i := range rng.Perm(len(pulls))[:15] {
		d := opened[i]
		d.to, d.redeliver = other(d.to), true
		wave1 = append(wave1, d)
	}
	for k, i := range rng.Perm(len(pulls))[:10] {
		p := pulls[i]
		wave1 = append(wave1, delivery{id: fmt.Sprintf("ready-%02d", k), event: "pull_request", payload: gh.PullRequestEvent("ready_for_review", p.owner, p.repo, p.number), to: replicas[k%2]})
	}
	rng.Shuffle(len(wave1), func(i, j int) { wave1[i], wave1[j] = wave1[j], wave1[i] })
	sendStart := time.Now()
	acc1, dup1 := send(t, wave1)

	// Wave 2 waits until wave 1's deliveries are routed (reviews are still
	// running): GitHub may deliver out of order, but a synchronize routed
	// before its opened is another test's subject.
	for deadline := time.Now().Add(30 * time.Second); unfinished(t, db, "github_delivery") > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("wave 1 deliveries not routed: %v", jobStates(t, db))
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Wave 2, 15 deliveries: 8 PRs get a new head (synchronize), 4 of those
	// redelivered, and 3 late redeliveries of wave 1.
	var wave2 []delivery
	pushed := rng.Perm(len(pulls))[:8]
	var syncs []delivery
	for k, i := range pushed {
		p := pulls[i]
		gh.Push(p.owner, p.repo, p.number, map[string]string{"Dockerfile": strings.Replace(dockerfile, "EXPOSE 8080", "EXPOSE 8081", 1)}, "change the port")
		d := delivery{id: fmt.Sprintf("sync-%02d", k), event: "pull_request", payload: gh.PullRequestEvent("synchronize", p.owner, p.repo, p.number), to: replicas[k%2]}
		syncs = append(syncs, d)
		wave2 = append(wave2, d)
	}
	for _, d := range syncs[:4] {
		d.to, d.redeliver = other(d.to), true
		wave2 = append(wave2, d)
	}
	for _, i := range rng.Perm(len(pulls))[:3] {
		d := opened[i]
		d.to, d.redeliver = other(d.to), true
		wave2 = append(wave2, d)
	}
	acc2, dup2 := send(t, wave2)
	total := len(wave1) + len(wave2)
	if total != 100 {
		t.Fatalf("%d deliveries, want 100", total)
	}
	if acc1+acc2 != 60+10+8 || dup1+dup2 != 15+4+3 {
		t.Errorf("webhook answers: %d queued, %d duplicate; want 78 and 22", acc1+acc2, dup1+dup2)
	}
	t.Logf("sent %d deliveries (%d queued, %d duplicates) in %s", total, acc1+acc2, dup1+dup2, time.Since(sendStart).Round(time.Millisecond))

	// Kill replica A with SIGKILL while it is in the middle of reviews.
	var inFlight []int64
	for deadline := time.Now().Add(60 * time.Second); ; {
		inFlight = runningOn(t, db, a.clientID, "review")
		if len(inFlight) >= 2 && reviewCount(gh, pulls) >= 5 {
			break
		}
		if unfinished(t, db, "") == 0 {
			t.Fatalf("every job finished before replica A could be killed mid-run (%d reviews)", reviewCount(gh, pulls))
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica A never ran two reviews at once: %v", jobStates(t, db))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-a.done
	killedAt := time.Now()
	reviewsAtKill := reviewCount(gh, pulls)
	inFlight = runningOn(t, db, a.clientID, "review") // as the dead process left them
	left := unfinished(t, db, "")
	t.Logf("SIGKILL replica A %s after the first delivery: %d reviews posted, %d review jobs running on A (ids %v), %d jobs unfinished",
		killedAt.Sub(sendStart).Round(time.Millisecond), reviewsAtKill, len(inFlight), inFlight, left)
	if len(inFlight) == 0 {
		t.Fatal("no review job was in flight on replica A when it died")
	}

	// Replica B alone finishes everything, A's stuck jobs included.
	deadline := killedAt.Add(3 * time.Minute)
	for unfinished(t, db, "") > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("replica B did not finish within %s of the kill: %v (River should rescue A's jobs %s after they started)",
				deadline.Sub(killedAt), jobStates(t, db), env)
		}
		time.Sleep(100 * time.Millisecond)
	}
	finished := time.Since(killedAt)
	t.Logf("replica B finished every remaining job %s after the kill (%s after the first delivery)", finished.Round(time.Millisecond), time.Since(sendStart).Round(time.Millisecond))

	// The dead replica's reviews were finished by B.
	for _, id := range inFlight {
		var state string
		var attempt int
		var by []byte
		if err := db.QueryRow(`SELECT state::text, attempt, array_to_json(attempted_by) FROM river_job WHERE id = $1`, id).Scan(&state, &attempt, &by); err != nil {
			t.Fatal(err)
		}
		var attempted []string
		json.Unmarshal(by, &attempted)
		if (state != "completed" && state != "cancelled") || attempt < 2 || !slices.Contains(attempted, b.clientID) {
			t.Errorf("job %d from the dead replica: %s after %d attempts by %v; want finished by %s on a second attempt", id, state, attempt, attempted, b.clientID)
		}
	}
	for _, c := range jobStates(t, db) {
		if c.state == "discarded" || (c.kind == "github_delivery" && c.state != "completed") {
			t.Errorf("%d %s jobs %s", c.n, c.kind, c.state)
		}
	}

	// Each head is reviewed exactly once: the current head of every PR,
	// and a superseded head at most once.
	var deliveries int
	db.QueryRow(`SELECT COUNT(*) FROM distill_deliveries`).Scan(&deliveries)
	if deliveries != 78 {
		t.Errorf("distill_deliveries has %d rows, want 78 distinct delivery IDs", deliveries)
	}
	isPushed := map[string]bool{}
	for _, i := range pushed {
		isPushed[pulls[i].String()] = true
	}
	current := map[string]string{}
	for _, o := range []string{"org0", "org1", "org2", "org3"} {
		for r := range 3 {
			for _, pr := range gh.PullRequests(o, fmt.Sprintf("svc%d", r)) {
				current[fmt.Sprintf("%s/svc%d#%d", o, r, pr.Number)] = pr.HeadSHA
			}
		}
	}
	totalReviews, oldHeads := 0, 0
	for _, p := range pulls {
		perHead := map[string]int{}
		for _, rv := range gh.Reviews(p.owner, p.repo, p.number) {
			perHead[rv.CommitID]++
			totalReviews++
		}
		head := current[p.String()]
		if perHead[head] != 1 {
			t.Errorf("%s: head %s reviewed %d times, want exactly once", p, head[:7], perHead[head])
		}
		for sha, n := range perHead {
			if sha == head {
				continue
			}
			oldHeads++
			if !isPushed[p.String()] || n != 1 {
				t.Errorf("%s: head %s reviewed %d times (pushed %v); a superseded head is reviewed at most once", p, sha[:7], n, isPushed[p.String()])
			}
		}
	}
	var recorded int
	db.QueryRow(`SELECT COUNT(*) FROM distill_reviews`).Scan(&recorded)
	if recorded != totalReviews {
		t.Errorf("distill_reviews has %d rows, GitHub has %d reviews", recorded, totalReviews)
	}
	t.Logf("result: %d deliveries, %d pull requests, %d reviews on GitHub (%d current heads + %d superseded heads reviewed before their push), %d recorded; B logged %d 'review done'",
		total, len(pulls), totalReviews, len(pulls), oldHeads, recorded, b.countLogs("review done"))
	var exit *exec.ExitError
	if !errors.As(a.err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("replica A ended with %v; it should have died of SIGKILL", a.err)
	}
}
