package safedial

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestPublic(t *testing.T) {
	for _, c := range []struct {
		addr   string
		public bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"2606:4700:4700::1111", true},
		{"127.0.0.1", false},
		{"127.9.9.9", false},
		{"::1", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"::", false},
		{"10.0.0.1", false},
		{"172.16.5.4", false},
		{"172.32.0.1", true},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"fec0::1", false},
		{"100.64.0.1", false},
		{"100.128.0.1", true},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"ff02::1", false},
		{"255.255.255.255", false},
		{"240.0.0.1", false},
		{"192.0.2.10", false},
		{"198.18.0.1", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"2001:db8::1", false},
		{"2001::1", false}, // Teredo
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:8.8.8.8", true},
		{"::127.0.0.1", false},     // IPv4-compatible
		{"64:ff9b::7f00:1", false}, // NAT64 of 127.0.0.1
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"2002:7f00:1::1", false},  // 6to4 of 127.0.0.1
		{"2002:808:808::1", true},  // 6to4 of 8.8.8.8
	} {
		if got := Public(netip.MustParseAddr(c.addr)); got != c.public {
			t.Errorf("Public(%s) = %v, want %v", c.addr, got, c.public)
		}
	}
}

func TestPolicyPermits(t *testing.T) {
	lan := []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("::1/128")}
	for _, c := range []struct {
		name   string
		policy Policy
		addr   string
		want   bool
	}{
		{"default public", Policy{}, "8.8.8.8", true},
		{"default loopback", Policy{}, "127.0.0.1", false},
		{"allow private loopback", Policy{AllowPrivate: true}, "127.0.0.1", true},
		{"allow private metadata", Policy{AllowPrivate: true}, "169.254.169.254", true},
		{"cidr inside", Policy{Allowed: lan}, "10.1.2.3", true},
		{"cidr inside mapped", Policy{Allowed: lan}, "::ffff:10.1.2.3", true},
		{"cidr outside", Policy{Allowed: lan}, "10.2.0.1", false},
		{"cidr v6", Policy{Allowed: lan}, "::1", true},
		{"cidr v4 loopback not listed", Policy{Allowed: lan}, "127.0.0.1", false},
		{"cidr public still allowed", Policy{Allowed: lan}, "1.1.1.1", true},
	} {
		if got := c.policy.Permits(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("%s: Permits(%s) = %v, want %v", c.name, c.addr, got, c.want)
		}
	}
}

// TestDialerChecksConnectedAddress dials a real loopback listener by name:
// the check sees the resolved address, and the policy is read per dial.
func TestDialerChecksConnectedAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	url := "http://localhost:" + port + "/"

	allow := false
	d := New(func() Policy { return Policy{AllowPrivate: allow} })
	client := d.HTTPClient(10 * time.Second)

	_, err := client.Get(url)
	var refused *Refused
	if !errors.Is(err, ErrRefused) || !errors.As(err, &refused) || !refused.Addr.IsLoopback() {
		t.Fatalf("loopback by name: err = %v, want a Refused loopback address", err)
	}

	allow = true
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("allowed: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("allowed: status %d", resp.StatusCode)
	}

	allow = false
	if _, err := d.DialContext(context.Background(), "tcp", srv.Listener.Addr().String()); !errors.Is(err, ErrRefused) {
		t.Fatalf("raw dial: err = %v, want ErrRefused", err)
	}
}
