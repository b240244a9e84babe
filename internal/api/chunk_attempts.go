package api

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// chunkAttempt is a chunk request whose body is being received.
type chunkAttempt struct {
	rc         *http.ResponseController
	superseded atomic.Bool
}

// chunkAttempts holds the chunk requests in progress in this process, by user,
// session and index. A client whose connection died without a FIN or RST
// (a network that went away, a laptop that slept) leaves its request
// waiting for the rest of the body, holding the part; when it comes back
// and sends the chunk again, the new request takes over: the older one's
// connection stops reading at once, its write fails and frees the part.
type chunkAttempts struct {
	mu sync.Mutex
	m  map[string]*chunkAttempt
}

// takeOverChunk registers a as the current attempt at a chunk, superseding
// any earlier one, and returns the function that unregisters it.
func (c *chunkAttempts) takeOver(user int, session string, index int, a *chunkAttempt) (release func()) {
	key := strconv.Itoa(user) + "/" + session + "/" + strconv.Itoa(index)
	c.mu.Lock()
	if old := c.m[key]; old != nil {
		old.superseded.Store(true)
		_ = old.rc.SetReadDeadline(time.Now()) // unsupported: the old attempt runs its course
	}
	c.m[key] = a
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		if c.m[key] == a {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
}
