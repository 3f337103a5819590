package webhook

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot/queue"
	"github.com/distill-bot/distill/bot/store"
)

func BenchmarkCommitter(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "d.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	q, err := queue.New(queue.Config{DB: db, InsertOnly: true, Workers: river.NewWorkers()})
	if err != nil {
		b.Fatal(err)
	}
	c := newCommitter(db, q)
	payload := []byte(`{"action":"opened","installation":{"id":1},"repository":{"full_name":"a/b"}}`)
	b.ResetTimer()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := c.submit(ctx, fmt.Sprintf("d-%d", i), "pull_request", payload); err != nil {
				b.Error(err)
			}
		}(i)
	}
	wg.Wait()
}
