package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/distill-bot/distill/bot/handlers"
	"github.com/distill-bot/distill/bot/store"
)

// BatchInserter enqueues many jobs inside a transaction.
type BatchInserter interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// committer stores deliveries with group commit: deliveries arriving
// together share one transaction (one fsync, one lock acquisition), and each
// request is answered only after the transaction holding it committed — so
// durability is unchanged while a single SQLite writer keeps up with
// bursts.
type committer struct {
	db      *store.DB
	queue   BatchInserter
	in      chan *pending
	maxWait time.Duration
	maxSize int
	once    sync.Once
	stop    chan struct{}
}

type pending struct {
	delivery, event string
	payload         []byte
	done            chan result
}

type result struct {
	duplicate bool
	err       error
}

func newCommitter(db *store.DB, q BatchInserter) *committer {
	return &committer{db: db, queue: q, in: make(chan *pending, 1024), maxWait: 2 * time.Millisecond, maxSize: 128, stop: make(chan struct{})}
}

// submit stores one delivery and waits for its commit.
func (c *committer) submit(ctx context.Context, delivery, event string, payload []byte) (bool, error) {
	c.once.Do(func() { go c.loop() })
	p := &pending{delivery: delivery, event: event, payload: payload, done: make(chan result, 1)}
	select {
	case c.in <- p:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	select {
	case r := <-p.done:
		return r.duplicate, r.err
	case <-ctx.Done():
		// The delivery may still commit; GitHub will see a failure and a
		// redelivery is deduplicated by its ID.
		return false, ctx.Err()
	}
}

func (c *committer) loop() {
	for {
		var first *pending
		select {
		case first = <-c.in:
		case <-c.stop:
			return
		}
		batch := []*pending{first}
		timer := time.NewTimer(c.maxWait)
	collect:
		for len(batch) < c.maxSize {
			select {
			case p := <-c.in:
				batch = append(batch, p)
			case <-timer.C:
				break collect
			}
		}
		timer.Stop()
		c.commit(batch)
	}
}

func (c *committer) close() { close(c.stop) }

func (c *committer) commit(batch []*pending) {
	fail := func(err error) {
		for _, p := range batch {
			p.done <- result{err: err}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback()
	results := make([]result, len(batch))
	var params []river.InsertManyParams
	var owners []int
	for i, p := range batch {
		var meta struct {
			Action       string `json:"action"`
			Installation struct {
				ID int64 `json:"id"`
			} `json:"installation"`
			Repository struct {
				FullName string `json:"full_name"`
			} `json:"repository"`
		}
		_ = json.Unmarshal(p.payload, &meta)
		res, err := tx.ExecContext(ctx, c.db.Rebind(`INSERT INTO distill_deliveries (delivery_id, event, action, installation_id, repo, received_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`), p.delivery, p.event, meta.Action, meta.Installation.ID, meta.Repository.FullName, time.Now().Unix())
		if err != nil {
			fail(err)
			return
		}
		if n, _ := res.RowsAffected(); n == 0 {
			results[i].duplicate = true
			continue
		}
		params = append(params, river.InsertManyParams{Args: handlers.DeliveryArgs{DeliveryID: p.delivery, Event: p.event, Payload: p.payload}})
		owners = append(owners, i)
	}
	if len(params) > 0 {
		ins, err := c.queue.InsertManyTx(ctx, tx, params)
		if err != nil {
			fail(err)
			return
		}
		if len(ins) != len(params) {
			fail(errors.New("job queue returned a partial insert"))
			return
		}
		for j, r := range ins {
			if r.UniqueSkippedAsDuplicate {
				results[owners[j]].duplicate = true
			}
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
		return
	}
	for i, p := range batch {
		p.done <- results[i]
	}
}
