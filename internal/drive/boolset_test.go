package drive

import "testing"

func TestBoolset(t *testing.T) {
	tests := []struct {
		flags []int
		want  []byte
	}{
		{nil, nil},
		{[]int{0}, []byte{1}},
		{[]int{1}, []byte{2}},
		{[]int{0, 1}, []byte{3}},
		{[]int{2, 7, 11}, []byte{0x84, 0x08}},
		{[]int{1, 7}, []byte{0x82}},
	}
	for _, tt := range tests {
		b := BoolsetOf(tt.flags...)
		if string(b) != string(tt.want) {
			t.Errorf("BoolsetOf(%v) = %x, want %x", tt.flags, b, tt.want)
		}
		for _, f := range tt.flags {
			if !b.Has(f) {
				t.Errorf("%v: Has(%d) false", tt.flags, f)
			}
		}
		if b.Has(100) || b.Has(-1) {
			t.Errorf("%v: out-of-range flag reported set", tt.flags)
		}
	}
	b := BoolsetOf(3, 9).Without(9)
	if b.Has(9) || !b.Has(3) {
		t.Errorf("Without: %x", b)
	}
}
