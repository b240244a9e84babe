package server

import (
	"io"
	"net/http"
	"time"
)

// SlowClients bound what a client that sends slowly can hold. Headers have
// their own timeout (ReadHeaderTimeout); these cover bodies and idle sockets.
type SlowClients struct {
	// A request body must arrive within BodyGrace plus one second per
	// MinBodyRate bytes received: the deadline moves out while bytes flow,
	// so a slow but real upload survives and a trickle of a byte every few
	// seconds does not.
	BodyGrace   time.Duration
	MinBodyRate int64 // bytes per second
	// PerAddress caps the connections of one client address that have not
	// carried a signed-in request yet (throttle.Conns); negative = no cap.
	// Not applied behind a configured proxy header, where every connection
	// comes from the proxy, nor on a Unix socket.
	PerAddress int
	// IdleTimeout closes a keep-alive connection that sends no new request.
	IdleTimeout time.Duration
}

// DefaultSlowClients are used for the zero value.
var DefaultSlowClients = SlowClients{BodyGrace: 30 * time.Second, MinBodyRate: 1024, PerAddress: 64,
	IdleTimeout: 60 * time.Second}

// bodyDeadline puts a moving read deadline on request bodies (see
// SlowClients). Only requests that have a body are touched: a deadline left
// on a connection whose body is done would cut the server's background read
// and cancel a long response.
func bodyDeadline(c SlowClients, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			next.ServeHTTP(w, r)
			return
		}
		b := &deadlineBody{ReadCloser: r.Body, rc: http.NewResponseController(w), start: time.Now(),
			grace: c.BodyGrace, rate: c.MinBodyRate}
		b.extend()
		// On a shallow copy: the server keeps its own request, whose body
		// must stay the one it made, or it no longer sees that an
		// "Expect: 100-continue" body was never asked for, and reads it
		// before answering instead of closing.
		r = r.WithContext(r.Context())
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

// deadlineBody moves the connection's read deadline out as bytes arrive.
type deadlineBody struct {
	io.ReadCloser
	rc          *http.ResponseController
	start       time.Time
	grace       time.Duration
	rate        int64
	read        int64
	deadline    time.Time
	unsupported bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	switch {
	case err == io.EOF:
		// The body is complete: lift the deadline, so that the connection's
		// other reads (the next request, the server's background read) are
		// governed by the server's own timeouts again.
		_ = b.rc.SetReadDeadline(time.Time{})
	case err == nil:
		b.extend()
	}
	// Any other error (the deadline passed) leaves the deadline in the
	// past, so the server cannot keep reading the rest of the trickle.
	return n, err
}

// extend sets the deadline to start + grace + read/rate when that is at
// least a second later than the one set, to keep system calls rare.
func (b *deadlineBody) extend() {
	if b.unsupported {
		return
	}
	d := b.start.Add(b.grace + time.Duration(float64(b.read)/float64(b.rate)*float64(time.Second)))
	if !b.deadline.IsZero() && d.Sub(b.deadline) < time.Second {
		return
	}
	if err := b.rc.SetReadDeadline(d); err != nil {
		b.unsupported = true // not a real connection (a test recorder)
		return
	}
	b.deadline = d
}
