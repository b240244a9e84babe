package hashid

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

const interopSalt = "Cloudreve-Interop-Test-Salt-0123456789"

func TestSetup(t *testing.T) {
	c := New(interopSalt)
	var guards int
	for _, k := range c.class {
		if k == classGuard {
			guards++
		}
	}
	// 62 letters: 14 separators, ceil(48/12) = 4 guards, 44 digits.
	if len(c.alphabet) != 44 || len(c.seps) != 14 || guards != 4 {
		t.Fatalf("alphabet %d, seps %d, guards %d; want 44, 14, 4", len(c.alphabet), len(c.seps), guards)
	}
}

func TestGenericVector(t *testing.T) {
	c := New("this is my salt")
	got := string(c.appendNumbers(nil, []int{1, 2, 3}))
	if got != "laHquq" {
		t.Fatalf("encode [1 2 3] = %q, want laHquq", got)
	}
	var nums [4]int
	n, ok := c.decodeNumbers(got, nums[:])
	if !ok || n != 3 || nums[0] != 1 || nums[1] != 2 || nums[2] != 3 {
		t.Fatalf("decode %q = %v %v, want [1 2 3]", got, nums[:n], ok)
	}
}

func TestInteropVectors(t *testing.T) {
	c := New(interopSalt)
	tests := []struct {
		id   int
		typ  Type
		want string
	}{
		{0, User, "0PIe"},
		{1, Share, "0LhR"},
		{1, User, "dPhJ"},
		{1, File, "J6hB"},
		{1, Policy, "Pahy"},
		{1, SourceLink, "Wvhl"},
		{42, Group, "xJIw"},
		{1, Entity, "M4hj"},
		{1, AuditLog, "ZvhX"},
		{1, Node, "9qhj"},
		{1, Task, "1LhV"},
		{1, DavAccount, "p5he"},
		{5, Payment, "kjCK"},
		{123456, User, "p5rzdC1"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d", tt.id, tt.typ), func(t *testing.T) {
			if got := c.Encode(tt.id, tt.typ); got != tt.want {
				t.Errorf("Encode(%d, %d) = %q, want %q", tt.id, tt.typ, got, tt.want)
			}
			id, err := c.Decode(tt.want, tt.typ)
			if err != nil || id != tt.id {
				t.Errorf("Decode(%q, %d) = %d, %v; want %d", tt.want, tt.typ, id, err, tt.id)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	salts := []string{"", "this is my salt", interopSalt, "ünïcødé salt ☁", randomSalt(rng)}
	for _, salt := range salts {
		c := New(salt)
		ids := []int{0, 1, 43, 44, 45, 1935, 1936, math.MaxInt32, math.MaxInt64 - 1, math.MaxInt64}
		for range 2000 {
			// Spread over every bit length, not just the large numbers.
			ids = append(ids, int(rng.Uint64()>>(1+rng.IntN(63))))
		}
		for _, id := range ids {
			typ := Type(rng.IntN(int(Payment) + 1))
			s := c.Encode(id, typ)
			got, err := c.Decode(s, typ)
			if err != nil || got != id {
				t.Fatalf("salt %q: Decode(Encode(%d, %d) = %q) = %d, %v", salt, id, typ, s, got, err)
			}
		}
	}
}

func randomSalt(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 64)
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}

func TestDecodeRejects(t *testing.T) {
	c := New(interopSalt)
	long := c.Encode(math.MaxInt64, User)
	tests := []struct {
		name, s string
		typ     Type
	}{
		{"empty", "", User},
		{"one char", "d", User},
		{"wrong type", "dPhJ", File},
		{"share id as user", "0LhR", User},
		{"three numbers", string(c.appendNumbers(nil, []int{1, 1, 1})), User},
		{"one number", string(c.appendNumbers(nil, []int{1})), User},
		{"not canonical", "dPhK", User},
		{"truncated", "dPh", User},
		{"trailing separator", "dPhJh", User},
		{"non-alphabet char", "dP-J", User},
		{"non-ASCII", "dPhJé", User},
		{"space", " dPhJ", User},
		{"lottery is separator", "hPhJ", User},
		{"overflow", long[:1] + "zzzzzzzzzzzzzzzzzzzz" + long[len(long)-2:], User},
		{"too long", long + long, User},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := c.Decode(tt.s, tt.typ)
			if err == nil {
				t.Fatalf("Decode(%q, %d) = %d, want error", tt.s, tt.typ, id)
			}
			if !errs.Is(errs.Invalid, err) || errs.Detail(err) != "Failed to parse object ID" {
				t.Fatalf("Decode(%q) error = %v, want Invalid with detail", tt.s, err)
			}
		})
	}
}

func TestGuardRejected(t *testing.T) {
	c := New(interopSalt)
	for b := 0; b < 256; b++ {
		if c.class[b] != classGuard {
			continue
		}
		// A guard wrapped around a valid ID is what padding would produce;
		// with min length 0 it is not canonical.
		s := string(rune(b)) + "dPhJ"
		if _, err := c.Decode(s, User); err == nil {
			t.Errorf("Decode(%q) accepted a guard", s)
		}
	}
}

func TestEncodeNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Encode(-1) did not panic")
		}
	}()
	New("").Encode(-1, User)
}

func TestConcurrent(t *testing.T) {
	c := New(interopSalt)
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for i := range 1000 {
				id := g*1000 + i
				got, err := c.Decode(c.Encode(id, File), File)
				ok = ok && err == nil && got == id
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Fatal("concurrent round trip failed")
		}
	}
}

func TestAllocs(t *testing.T) {
	c := New(interopSalt)
	var sink string
	if n := testing.AllocsPerRun(100, func() { sink = c.Encode(123456, User) }); n > 1 {
		t.Errorf("Encode allocates %v times, want <= 1", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = c.Decode(sink, User) }); n > 0 {
		t.Errorf("Decode allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = c.Decode("garbage!", User) }); n > 0 {
		t.Errorf("Decode of garbage allocates %v times, want 0", n)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("dPhJ", 1)
	f.Add("p5rzdC1", 1)
	f.Add("", 0)
	f.Add("laHquq", 2)
	c := New(interopSalt)
	f.Fuzz(func(t *testing.T, s string, typ int) {
		id, err := c.Decode(s, Type(typ))
		if err != nil {
			return
		}
		// Whatever decodes must be exactly what Encode gives back.
		if got := c.Encode(id, Type(typ)); got != s {
			t.Fatalf("Decode(%q, %d) = %d, but Encode gives %q", s, typ, id, got)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add(int64(0), uint8(1))
	f.Add(int64(123456), uint8(1))
	f.Add(int64(math.MaxInt64), uint8(13))
	c := New(interopSalt)
	f.Fuzz(func(t *testing.T, id int64, typ uint8) {
		if id < 0 {
			id = -(id + 1)
		}
		s := c.Encode(int(id), Type(typ))
		got, err := c.Decode(s, Type(typ))
		if err != nil || got != int(id) {
			t.Fatalf("Decode(Encode(%d, %d) = %q) = %d, %v", id, typ, s, got, err)
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	c := New(interopSalt)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = c.Encode(i, File)
	}
}

func BenchmarkDecode(b *testing.B) {
	c := New(interopSalt)
	s := c.Encode(123456, File)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(s, File); err != nil {
			b.Fatal(err)
		}
	}
}
