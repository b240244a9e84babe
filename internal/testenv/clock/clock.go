// Package clock gives tests a clock that moves only when the test moves it,
// for services built with an injected now function: expiry, schedules and
// rate limits are then tested without sleeping.
package clock

import (
	"sync"
	"time"
)

// Fake is a clock that stands still until Advance. Safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at a fixed, arbitrary instant.
func New() *Fake { return At(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) }

// At returns a clock standing at t: time.Now() for a server whose other
// parts (signed URLs checked against the real clock) must agree with it.
func At(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the clock's time; pass it where a service takes func() time.Time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
