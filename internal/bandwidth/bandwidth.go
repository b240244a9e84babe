// Package bandwidth caps the rate at which a response is sent: the group
// speed limit of downloads, archives and WebDAV reads.
package bandwidth

import (
	"net/http"
	"time"
)

// TransferTime is how long n bytes take at rate bytes/s. Whole seconds and
// the remainder are computed apart: n × 1 s as a Duration overflows past
// about 8.6 GiB.
func TransferTime(n, rate int64) time.Duration {
	whole := time.Duration(n/rate) * time.Second
	return whole + time.Duration(float64(n%rate)/float64(rate)*float64(time.Second))
}

// Writer caps the average rate of a response at rate bytes/s by sleeping
// when it runs ahead.
type Writer struct {
	http.ResponseWriter
	rate    int64
	start   time.Time
	written int64
	now     func() time.Time
	sleep   func(time.Duration)
}

// NewWriter caps w at rate bytes/s; now and sleep are the clock (time.Now
// and time.Sleep outside tests).
func NewWriter(w http.ResponseWriter, rate int64, now func() time.Time, sleep func(time.Duration)) *Writer {
	return &Writer{ResponseWriter: w, rate: rate, start: now(), now: now, sleep: sleep}
}

// Write sends p in slices of a tenth of a second's worth, sleeping after
// each until the average rate is back under the cap.
func (t *Writer) Write(p []byte) (int, error) {
	var n int
	for len(p) > 0 {
		chunk := p[:min(len(p), int(max(t.rate/10, 1)))]
		m, err := t.ResponseWriter.Write(chunk)
		n += m
		t.written += int64(m)
		if err != nil {
			return n, err
		}
		p = p[m:]
		if ahead := TransferTime(t.written, t.rate) - t.now().Sub(t.start); ahead > 0 {
			t.sleep(ahead)
		}
	}
	return n, nil
}
