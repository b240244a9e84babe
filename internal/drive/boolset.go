package drive

// Boolset is a bit array: flag n is bit n%8 of byte n/8 (conventions §8).
// Its wire form (standard Base64) is produced by the api/wire package.
type Boolset []byte

// Has reports whether flag n is set; flags beyond the length are unset.
func (b Boolset) Has(n int) bool {
	if n < 0 || n/8 >= len(b) {
		return false
	}
	return b[n/8]&(1<<(n%8)) != 0
}

// With returns b with flag n set, growing it as needed.
func (b Boolset) With(n int) Boolset {
	for n/8 >= len(b) {
		b = append(b, 0)
	}
	b[n/8] |= 1 << (n % 8)
	return b
}

// Without returns b with flag n cleared.
func (b Boolset) Without(n int) Boolset {
	if n/8 < len(b) {
		b[n/8] &^= 1 << (n % 8)
	}
	return b
}

// BoolsetOf builds a boolset with the given flags set.
func BoolsetOf(flags ...int) Boolset {
	var b Boolset
	for _, f := range flags {
		b = b.With(f)
	}
	return b
}

// Bits lists the set bits in ascending order.
func (b Boolset) Bits() []int {
	var out []int
	for n := 0; n < len(b)*8; n++ {
		if b.Has(n) {
			out = append(out, n)
		}
	}
	return out
}
