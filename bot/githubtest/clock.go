package githubtest

import (
	"sync"
	"time"
)

// fakeClock is wall time plus an offset that tests move forward with Server.Advance. An offset rather
// than a frozen instant keeps timestamps moving naturally while still letting a test jump past a token's
// expiry.
type fakeClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func newFakeClock(start time.Time) *fakeClock {
	c := &fakeClock{}
	if !start.IsZero() {
		c.offset = time.Until(start)
	}
	return c
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset).UTC().Truncate(time.Second)
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
