// Package fixture opens connections itself, which a service must not: every
// outgoing connection goes through the safedial dialer.
package fixture

import (
	"context"
	"net"
	"net/http"
)

// Fetch uses the default client, which dials anywhere.
func Fetch(url string) (*http.Response, error) { return http.DefaultClient.Get(url) }

// Connect dials without the address check.
func Connect(ctx context.Context, addr string) (net.Conn, error) {
	return (&net.Dialer{}).DialContext(ctx, "tcp", addr)
}
