package wire

import (
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
)

func TestBoolsetWire(t *testing.T) {
	tests := []struct {
		flags []int
		want  string
	}{
		{nil, ""},
		{[]int{0}, "AQ=="},
		{[]int{1}, "Ag=="},
		{[]int{0, 1}, "Aw=="},
		{[]int{0, 2, 3, 4, 5, 6, 7, 9, 11, 12, 16}, "/RoB"}, // admin group
		{[]int{2, 7, 11}, "hAg="},                           // user group
		{[]int{1, 7}, "gg=="},                               // anonymous group
		{[]int{0, 1, 6, 7, 8, 9, 10, 14, 15, 16, 18, 19, 20, 23, 24}, "w8edAQ=="},
	}
	for _, tt := range tests {
		b := drive.BoolsetOf(tt.flags...)
		if got := Boolset(b); got != tt.want {
			t.Errorf("Boolset(%v) = %q, want %q", tt.flags, got, tt.want)
		}
		back, err := ParseBoolset(tt.want)
		if err != nil || string(back) != string(b) {
			t.Errorf("ParseBoolset(%q) = %x, %v", tt.want, back, err)
		}
	}
}

func FuzzParseBoolset(f *testing.F) {
	for _, s := range []string{"", "AQ==", "/RoB", "w8edAQ==", "not base64", "===="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBoolset(s)
		if err != nil {
			return
		}
		if got := Boolset(b); got != s {
			// Non-canonical padding decodes; re-encoding must still round-trip the bits.
			again, err := ParseBoolset(got)
			if err != nil || string(again) != string(b) {
				t.Fatalf("round trip %q -> %x -> %q", s, b, got)
			}
		}
		for i := 0; i < len(b)*8+8; i++ {
			_ = b.Has(i)
		}
	})
}
