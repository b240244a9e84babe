// Package safedial is the one way Stratus opens outgoing connections: HTTP
// requests to services an administrator names (WOPI discovery, captcha
// verifiers) and SMTP. It refuses addresses that are not public (loopback,
// private, link-local, multicast, documentation and other reserved ranges)
// unless the policy allows them, so that a URL typed into a setting cannot
// be used to reach the server's own network.
//
// The check runs on the address actually connected to (net.Dialer.Control),
// after DNS resolution, so a name that resolves to a public address at one
// moment and a private one the next (DNS rebinding) is still refused.
package safedial

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

// ErrRefused is the condition of every refused dial.
var ErrRefused = errs.NewSentinel(errs.Invalid, "outgoing connection to a non-public address refused")

// Refused is the error a refused dial returns (errors.Is(err, ErrRefused)).
type Refused struct{ Addr netip.Addr }

func (r *Refused) Error() string {
	return "outgoing connection to " + r.Addr.String() + " refused: not a public address"
}

func (r *Refused) Unwrap() error { return ErrRefused }

// Policy says which non-public addresses may still be dialled.
type Policy struct {
	// AllowPrivate permits every address.
	AllowPrivate bool
	// Allowed permits the addresses inside these prefixes.
	Allowed []netip.Prefix
}

// Permits reports whether ip may be dialled under p.
func (p Policy) Permits(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if p.AllowPrivate || Public(ip) {
		return true
	}
	for _, pre := range p.Allowed {
		if pre.Contains(ip) {
			return true
		}
	}
	return false
}

// ParsePrefix reads one allow-list item: a CIDR prefix, or a bare address
// meaning that one host.
func ParsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, errs.E("safedial.ParsePrefix", errs.Invalid, "not a CIDR prefix or address", err)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// nonPublic are the ranges no public service lives in, beyond what netip's
// predicates name (RFC 6890 and its updates).
var nonPublic = prefixes(
	"0.0.0.0/8",       // "this network"
	"100.64.0.0/10",   // carrier-grade NAT
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation
	"192.88.99.0/24",  // 6to4 relay anycast
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation
	"203.0.113.0/24",  // documentation
	"240.0.0.0/4",     // reserved, and the broadcast address
	"::/96",           // IPv4-compatible (deprecated)
	"64:ff9b:1::/48",  // local-use IPv4/IPv6 translation
	"100::/64",        // discard
	"2001::/23",       // IETF protocol assignments, Teredo among them
	"2001:db8::/32",   // documentation
	"fec0::/10",       // site-local (deprecated)
)

// Embedding prefixes carry an IPv4 address that decides instead.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4 = netip.MustParsePrefix("2002::/16")
)

// Public reports whether ip is a public unicast address.
func Public(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() || !ip.IsGlobalUnicast() || ip.IsPrivate() {
		return false
	}
	for _, pre := range nonPublic {
		if pre.Contains(ip) {
			return false
		}
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return Public(netip.AddrFrom4([4]byte(b[12:16])))
	case sixTo4.Contains(ip):
		return Public(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return true
}

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Dialer dials TCP after checking the address against the current policy.
type Dialer struct {
	policy func() Policy
}

// New returns a dialer that asks policy before every connection (so that a
// settings change applies at once); nil policy refuses every non-public
// address.
func New(policy func() Policy) *Dialer {
	if policy == nil {
		policy = func() Policy { return Policy{} }
	}
	return &Dialer{policy: policy}
}

func (d *Dialer) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errs.E("safedial", errs.Invalid, err)
	}
	if !d.policy().Permits(ap.Addr()) {
		return &Refused{Addr: ap.Addr().WithZone("").Unmap()}
	}
	return nil
}

// DialContext connects like net.Dialer.DialContext, refusing what the
// policy does not permit.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	nd := net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: d.control}
	return nd.DialContext(ctx, network, addr)
}

// HTTPClient returns a client whose every connection, redirects included,
// goes through d. Proxies from the environment are not used: a proxy would
// connect on our behalf, past the check.
func (d *Dialer) HTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}
