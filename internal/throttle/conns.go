package throttle

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
)

// Conns caps, per client address, the connections that have not carried a
// signed-in request yet. Opening a connection costs a client nothing, so
// without a cap one address could hold thousands of them, each waiting for a
// body that never comes. A connection stops counting once a request on it is
// signed in (Vouch): a user's parallel uploads are never refused.
type Conns struct {
	max int

	mu     sync.Mutex
	byAddr map[string]int
}

// NewConns returns a cap of max unvouched connections per address.
func NewConns(max int) *Conns { return &Conns{max: max, byAddr: map[string]int{}} }

// Listener wraps ln so that Accept closes, at once, a connection whose
// address already holds max unvouched ones.
func (c *Conns) Listener(ln net.Listener) net.Listener { return &capListener{Listener: ln, conns: c} }

// Unvouched is how many connections of addr count against the cap now.
func (c *Conns) Unvouched(addr string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byAddr[addr]
}

func (c *Conns) take(addr string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAddr[addr] >= c.max {
		return false
	}
	c.byAddr[addr]++
	return true
}

func (c *Conns) release(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAddr[addr] <= 1 {
		delete(c.byAddr, addr)
	} else {
		c.byAddr[addr]--
	}
}

type capListener struct {
	net.Listener
	conns *Conns
}

func (l *capListener) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := hostOf(nc.RemoteAddr())
		if !l.conns.take(addr) {
			nc.Close()
			continue
		}
		return &trackedConn{Conn: nc, conns: l.conns, addr: addr}, nil
	}
}

func hostOf(a net.Addr) string {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// trackedConn gives its slot back when vouched for or closed, once.
type trackedConn struct {
	net.Conn
	conns *Conns
	addr  string
	once  sync.Once
}

func (c *trackedConn) free() { c.once.Do(func() { c.conns.release(c.addr) }) }

func (c *trackedConn) Close() error {
	c.free()
	return c.Conn.Close()
}

type connKey struct{}

// ConnContext is for http.Server.ConnContext: it lets Vouch find the
// connection a request arrived on.
func ConnContext(ctx context.Context, nc net.Conn) context.Context {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	if t, ok := nc.(*trackedConn); ok {
		return context.WithValue(ctx, connKey{}, t)
	}
	return ctx
}

// Vouch marks the connection of a request as carrying a signed-in user, so
// that it no longer counts against its address's cap. Requests that did not
// come through a Conns listener are ignored.
func Vouch(ctx context.Context) {
	if t, ok := ctx.Value(connKey{}).(*trackedConn); ok {
		t.free()
	}
}
