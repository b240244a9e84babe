package bandwidth

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestThrottledWriter(t *testing.T) {
	clock := time.Unix(0, 0)
	var slept time.Duration
	rec := httptest.NewRecorder()
	w := NewWriter(rec, 1000, func() time.Time { return clock },
		func(d time.Duration) { slept += d; clock = clock.Add(d) })
	n, err := w.Write(make([]byte, 5000))
	if err != nil || n != 5000 || rec.Body.Len() != 5000 {
		t.Fatalf("Write = %d, %v; body %d", n, err, rec.Body.Len())
	}
	// 5000 bytes at 1000 B/s take five seconds, whatever the slicing.
	if slept != 5*time.Second {
		t.Errorf("slept %v, want 5s", slept)
	}
	// Time spent elsewhere (a slow client) counts toward the budget.
	clock = clock.Add(10 * time.Second)
	slept = 0
	w.Write(make([]byte, 1000))
	if slept != 0 {
		t.Errorf("slept %v after the client was slower than the cap", slept)
	}
}

// discard is a ResponseWriter that drops the body.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// TestThrottledWriterPastSixteenGiB sends 17 GiB at 1 GiB/s through the
// writer on a test clock: it must take 17 s and never run ahead, also past
// the 8.6 GiB where written × 1 s no longer fits a Duration.
func TestThrottledWriterPastSixteenGiB(t *testing.T) {
	const rate = 1 << 30
	start := time.Unix(0, 0)
	clock := start
	w := NewWriter(&discard{header: http.Header{}}, rate, func() time.Time { return clock },
		func(d time.Duration) { clock = clock.Add(d) })
	buf := make([]byte, 64<<20)
	var sent int64
	for sent < 17<<30 {
		n, err := w.Write(buf)
		if err != nil {
			t.Fatal(err)
		}
		sent += int64(n)
		if took, due := clock.Sub(start), time.Duration(sent/rate)*time.Second+time.Duration(sent%rate)*time.Second/rate; took < due {
			t.Fatalf("after %d bytes %v passed, want at least %v", sent, took, due)
		}
	}
	if took := clock.Sub(start); took != 17*time.Second {
		t.Errorf("17 GiB at 1 GiB/s took %v", took)
	}
}

func TestTransferTime(t *testing.T) {
	for _, c := range []struct {
		n, rate int64
		want    time.Duration
	}{
		{0, 1, 0}, {1, 1, time.Second}, {3, 2, 1500 * time.Millisecond}, {1000, 1000, time.Second},
		{20 << 30, 1 << 30, 20 * time.Second}, {1 << 62, 1 << 40, (1 << 22) * time.Second},
	} {
		if got := TransferTime(c.n, c.rate); got != c.want {
			t.Errorf("TransferTime(%d, %d) = %v, want %v", c.n, c.rate, got, c.want)
		}
	}
}
