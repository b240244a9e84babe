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

// chunkAttempts are the chunk requests in progress in this process, by user,
// session and index. A client whose connection died without a FIN or RST
// (a network that went away, a laptop that slept) leaves its request
// waiting for the rest of the body, holding the part; when it comes back
// and sends the chunk again, the new request takes over: the older one's
// connection stops reading at once, its write fails and frees the part.
var chunkAttempts = struct {
	sync.Mutex
	m map[string]*chunkAttempt
}{m: map[string]*chunkAttempt{}}

// takeOverChunk registers a as the current attempt at a chunk, superseding
// any earlier one, and returns the function that unregisters it.
func takeOverChunk(user int, session string, index int, a *chunkAttempt) (release func()) {
	key := strconv.Itoa(user) + "/" + session + "/" + strconv.Itoa(index)
	chunkAttempts.Lock()
	if old := chunkAttempts.m[key]; old != nil {
		old.superseded.Store(true)
		_ = old.rc.SetReadDeadline(time.Now()) // unsupported: the old attempt runs its course
	}
	chunkAttempts.m[key] = a
	chunkAttempts.Unlock()
	return func() {
		chunkAttempts.Lock()
		if chunkAttempts.m[key] == a {
			delete(chunkAttempts.m, key)
		}
		chunkAttempts.Unlock()
	}
}
