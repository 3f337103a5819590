package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/distill-bot/distill/bot"
	"github.com/distill-bot/distill/bot/bottest"
	"github.com/distill-bot/distill/bot/githubtest"
	"github.com/distill-bot/distill/bot/githubtest/hook"
)

// BenchmarkWebhookIngestion measures what GitHub waits for: a signed POST
// answered 202 with the delivery durably enqueued in SQLite, at a paced
// 200 deliveries/s while the workers review the pull requests those
// deliveries name. It reports p50 and p99 latency and the sustained rate.
//
//	go test -run '^$' -bench WebhookIngestion -benchtime 2000x ./bot/
func BenchmarkWebhookIngestion(b *testing.B) {
	ctx := context.Background()
	// Production settings: the default poll interval and concurrency.
	e, err := bottest.Start(ctx, bottest.Options{Configure: func(c *bot.Config) {
		d := bot.Defaults()
		c.PollInterval, c.Concurrency = d.PollInterval, d.Concurrency
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { e.Close(); os.RemoveAll(e.Dir()) }()
	gh := e.GitHub
	gh.AddRepo(githubtest.Repo{Owner: "acme", Name: "shop", Files: map[string]string{"README.md": "x\n"}})
	gh.AddInstallation(githubtest.Installation{Account: "acme", Repositories: []string{"acme/shop"}})
	const prs = 20
	var payloads [][]byte
	for i := 0; i < prs; i++ {
		branch := fmt.Sprintf("f%d", i)
		gh.Commit("acme", "shop", branch, map[string]string{"Dockerfile": goSlim}, "add")
		n := gh.OpenPR(githubtest.PR{Owner: "acme", Repo: "shop", Head: branch, Author: "alice"})
		payloads = append(payloads, gh.PullRequestEvent("opened", "acme", "shop", n))
	}
	url := e.URL + e.Config.WebhookPath
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	const rate = 200
	interval := time.Second / rate
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	var failures int64
	var mu sync.Mutex
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		next := start.Add(time.Duration(i) * interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := payloads[i%prs]
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("bench-%d", i))
			req.Header.Set("X-Hub-Signature-256", hook.Sign(bottest.Secret, body))
			t0 := time.Now()
			resp, err := client.Do(req)
			lat[i] = time.Since(t0)
			if err != nil || resp.StatusCode != http.StatusAccepted {
				mu.Lock()
				failures++
				mu.Unlock()
			}
			if resp != nil {
				resp.Body.Close()
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failures > 0 {
		b.Fatalf("%d deliveries failed", failures)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
	e.WaitIdle(ctx, time.Minute)
}
