package api

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestThrottledWriter(t *testing.T) {
	clock := time.Unix(0, 0)
	var slept time.Duration
	rec := httptest.NewRecorder()
	w := newThrottledWriter(rec, 1000, func() time.Time { return clock },
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

func TestContentDisposition(t *testing.T) {
	tests := []struct{ kind, name, want string }{
		{"inline", "report.pdf", `inline; filename="report.pdf"`},
		{"attachment", `a"b\c.txt`, `attachment; filename="a_b_c.txt"`},
		{"attachment", "hello ✨.txt", `attachment; filename="hello _.txt"; filename*=UTF-8''hello%20%E2%9C%A8.txt`},
		{"inline", "报告.docx", `inline; filename="__.docx"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.docx`},
		{"inline", "a\r\nb", `inline; filename="a__b"; filename*=UTF-8''a%0D%0Ab`},
	}
	for _, tt := range tests {
		if got := contentDisposition(tt.kind, tt.name); got != tt.want {
			t.Errorf("contentDisposition(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}
