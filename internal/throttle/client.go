package throttle

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// ClientIP is the address that per-address buckets count: the socket peer,
// or, when the site sits behind a proxy (proxyHeader names the header it
// sets), the last entry of that header. The last entry is the one the proxy
// itself wrote; earlier ones come from the client and are whatever an
// attacker wants them to be, so trusting the first would give every guess a
// fresh bucket.
func ClientIP(r *http.Request, proxyHeader string) string {
	if proxyHeader != "" {
		if vs := r.Header.Values(proxyHeader); len(vs) > 0 {
			v := vs[len(vs)-1]
			if i := strings.LastIndexByte(v, ','); i >= 0 {
				v = v[i+1:]
			}
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return peerIP(r)
}

func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// forwardingHeaders are what proxies commonly set to pass the client's
// address on.
var forwardingHeaders = []string{"X-Forwarded-For", "X-Real-IP", "Forwarded"}

// FromUnconfiguredProxy reports whether r looks relayed by a reverse proxy
// (a private or loopback peer sending a forwarding header) while the site has
// no proxy header configured: then every client shares the proxy's address
// bucket, and one guesser throttles everybody. It returns the header seen.
func FromUnconfiguredProxy(r *http.Request, proxyHeader string) (string, bool) {
	if proxyHeader != "" {
		return "", false
	}
	ip := net.ParseIP(peerIP(r))
	if ip == nil || !(ip.IsLoopback() || ip.IsPrivate()) {
		return "", false
	}
	for _, h := range forwardingHeaders {
		if r.Header.Get(h) != "" {
			return h, true
		}
	}
	return "", false
}

type clientIPKey struct{}

// ContextWithClientIP records the client address of a request (ClientIP)
// in its context, so that services deep below the HTTP edge can charge
// per-address buckets.
func ContextWithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ClientIPFrom is the address ContextWithClientIP recorded, or "" outside a
// request.
func ClientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}
