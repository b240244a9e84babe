// Package storagetest is the conformance suite every storage driver passes:
// each driver's own test is a few lines calling Run (and Bench) against the
// real service. Only tests import it.
package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// Options configure Run.
type Options struct {
	// New returns a new driver over empty storage. It registers its own
	// cleanup with t.Cleanup.
	New func(t *testing.T) storage.Driver

	// Reopen returns a second driver over the same storage as d, as a
	// restarted process would build it. Without it the multipart resume test
	// is skipped.
	Reopen func(t *testing.T, d storage.Driver) storage.Driver

	// Files lists everything the driver keeps in its backing storage
	// (objects and bookkeeping alike: for a directory, every non-directory
	// under it). The suite compares it before and after failed or undone
	// operations to prove they leave nothing behind. Without it those checks
	// are skipped.
	Files func(t *testing.T, d storage.Driver) []string

	// PartSize is the multipart tests' part size. 0 picks the driver's
	// Limits().MinPartSize, at least 64 KiB.
	PartSize int64
}

// Run runs the suite. Each group gets its own driver from o.New and runs in
// parallel with the others.
func Run(t *testing.T, o Options) {
	if o.New == nil {
		t.Fatal("storagetest: Options.New is required")
	}
	s := &suite{Options: o}
	groups := []struct {
		name string
		fn   func(*testing.T)
	}{
		{"Limits", s.testLimits},
		{"RoundTrip", s.testRoundTrip},
		{"Keys", s.testKeys},
		{"InvalidKeys", s.testInvalidKeys},
		{"Ranges", s.testRanges},
		{"Missing", s.testMissing},
		{"Overwrite", s.testOverwrite},
		{"FailedPut", s.testFailedPut},
		{"CancelledPut", s.testCancelledPut},
		{"SizeMismatch", s.testSizeMismatch},
		{"ConcurrentKeys", s.testConcurrentKeys},
		{"ConcurrentSameKey", s.testConcurrentSameKey},
		{"Multiparter", s.testMultiparter},
		{"Lister", s.testLister},
		{"Copier", s.testCopier},
		{"LocalFiler", s.testLocalFiler},
		{"URLSigner", s.testURLSigner},
		{"Sweeper", s.testSweeper},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.fn(t)
		})
	}
}

type suite struct{ Options }

// snapshot returns the backing files, or nil when the driver has no Files.
func (s *suite) snapshot(t *testing.T, d storage.Driver) []string {
	t.Helper()
	if s.Files == nil {
		return nil
	}
	f := slices.Clone(s.Files(t, d))
	slices.Sort(f)
	return f
}

// noLitter fails when the backing files differ from before.
func (s *suite) noLitter(t *testing.T, d storage.Driver, before []string, what string) {
	t.Helper()
	if s.Files == nil {
		return
	}
	if after := s.snapshot(t, d); !slices.Equal(before, after) {
		t.Errorf("%s left files behind:\nbefore %q\nafter  %q", what, before, after)
	}
}

func (s *suite) partSize(d storage.Driver) int64 {
	if s.PartSize > 0 {
		return s.PartSize
	}
	return max(d.Limits().MinPartSize, 64<<10)
}

// Bytes returns n pseudo-random bytes determined by seed.
func Bytes(seed uint64, n int64) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16), byte(seed >> 24),
		byte(seed >> 32), byte(seed >> 40), byte(seed >> 48), byte(seed >> 56)})
	b := make([]byte, n)
	r.Read(b)
	return b
}

func put(t *testing.T, d storage.Driver, key string, b []byte) {
	t.Helper()
	if err := d.Put(context.Background(), key, bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("Put(%q, %d bytes): %v", key, len(b), err)
	}
}

func read(t *testing.T, d storage.Driver, key string, off, n int64) []byte {
	t.Helper()
	rc, err := d.Open(context.Background(), key, off, n)
	if err != nil {
		t.Fatalf("Open(%q, %d, %d): %v", key, off, n, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %q: %v", key, err)
	}
	return b
}

func checkContent(t *testing.T, d storage.Driver, key string, want []byte) {
	t.Helper()
	if got := read(t, d, key, 0, -1); !bytes.Equal(got, want) {
		t.Errorf("content of %q: got %s, want %s", key, describe(got), describe(want))
	}
	o, err := d.Stat(context.Background(), key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", key, err)
	}
	if o.Key != key || o.Size != int64(len(want)) {
		t.Errorf("Stat(%q) = key %q size %d, want size %d", key, o.Key, o.Size, len(want))
	}
}

func describe(b []byte) string {
	return fmt.Sprintf("%d bytes (sha256 %x)", len(b), sha256.Sum256(b))
}

func wantKind(t *testing.T, what string, err error, kind errs.Kind) {
	t.Helper()
	if !errs.Is(kind, err) {
		t.Errorf("%s: got error %v (kind %v), want kind %v", what, err, errs.KindOf(err), kind)
	}
}

func wantGone(t *testing.T, d storage.Driver, key string) {
	t.Helper()
	_, err := d.Stat(context.Background(), key)
	wantKind(t, fmt.Sprintf("Stat(%q)", key), err, errs.NotExist)
}

func (s *suite) testLimits(t *testing.T) {
	d := s.New(t)
	l := d.Limits()
	if l.MaxObjectSize < 0 || l.MinPartSize < 0 || l.MaxParts < 0 || l.MaxURLTTL < 0 {
		t.Errorf("negative limit in %+v", l)
	}
	if _, ok := storage.As[storage.Multiparter](d); !ok && (l.MinPartSize != 0 || l.MaxParts != 0) {
		t.Errorf("Limits %+v has part limits but the driver is no Multiparter", l)
	}
	if l.MaxObjectSize > 0 && l.MinPartSize > l.MaxObjectSize {
		t.Errorf("Limits %+v: MinPartSize above MaxObjectSize", l)
	}
	if _, ok := storage.As[storage.URLSigner](d); ok != (l.MaxURLTTL > 0) {
		t.Errorf("Limits %+v: MaxURLTTL must be positive exactly when the driver is a URLSigner (it is: %v)", l, ok)
	}
	if l.MaxObjectSize > 0 {
		err := d.Put(context.Background(), "too-large", failReader{errors.New("read")}, l.MaxObjectSize+1)
		wantKind(t, "Put above MaxObjectSize", err, errs.TooLarge)
	}
}

func (s *suite) testRoundTrip(t *testing.T) {
	d := s.New(t)
	ps := s.partSize(d)
	before := s.snapshot(t, d)
	defer s.noLitter(t, d, before, "Put, Open, Stat and Delete")
	for _, n := range []int64{0, 1, 4099, 256<<10 + 1, 2*ps + 17, 3 << 20} {
		key := fmt.Sprintf("round/trip-%d", n)
		data := Bytes(uint64(n), n)
		start := time.Now().Add(-time.Minute)
		put(t, d, key, data)
		checkContent(t, d, key, data)
		o, err := d.Stat(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		if o.ModTime.Before(start) || o.ModTime.After(time.Now().Add(time.Minute)) {
			t.Errorf("Stat(%q).ModTime = %v, want about now", key, o.ModTime)
		}
		if err := d.Delete(context.Background(), key); err != nil {
			t.Fatalf("Delete(%q): %v", key, err)
		}
		wantGone(t, d, key)
	}
}

// ValidKeys are unusual keys every driver must store as they are.
var ValidKeys = []string{
	"plain",
	"with space",
	" leading and trailing ",
	"a/b/c/d/e/f/g/h",
	"日本語/ファイル名.txt",
	"emoji 😀/🗂",
	"Ünïcödé/ÄÖÜ ß",
	"..a",
	"a..",
	"a/..b/c..d",
	"...",
	".hidden",
	"a/.../b",
	"percent%2F..%2Fescape",
	"query?x=1&y=2#frag",
	"colon:star*quote\"<>|",
	"CONSOLE/AUXILIARY/nul_/COM10",
	"tilde~/$dollar/{brace}",
	strings.Repeat("s", storage.MaxSegmentLen),
}

// InvalidKeys are keys every driver must refuse with errs.Invalid, touching
// nothing.
var InvalidKeys = []string{
	"",
	"/absolute",
	"/",
	"../x",
	"..",
	".",
	"./a",
	"a/./b",
	"a/../b",
	"a/../../x",
	"a/..",
	"a//b",
	"a/",
	"a\x00b",
	"\x00",
	"a\x01b",
	"a\x7fb",
	"a\nb",
	"a\\b",
	"..\\..\\x",
	"C:\\Windows",
	"con",
	"a/NUL.txt",
	"AUX",
	"com1",
	"LPT9.log",
	"CON .txt",
	"conin$",
	"bad\xffutf8",
	"\xc0\xaf",             // overlong "/"
	"\xe0\x80\xaf",         // overlong "/"
	"\xc0\xae\xc0\xae/x",   // overlong ".."
	"\xed\xa0\x80",         // surrogate
	".stratus-tmp-x",       // reserved for drivers
	"a/.Stratus-uploads/b", // reserved, in any case
	strings.Repeat("s", storage.MaxSegmentLen+1),
	strings.Repeat("a/", storage.MaxKeyLen/2) + "a",
}

func (s *suite) testKeys(t *testing.T) {
	d := s.New(t)
	for _, key := range ValidKeys {
		if err := storage.CheckKey(key); err != nil {
			t.Fatalf("CheckKey(%q) = %v, want valid", key, err)
		}
		put(t, d, key, []byte(key))
	}
	for _, key := range ValidKeys {
		checkContent(t, d, key, []byte(key))
	}
	if l, ok := storage.As[storage.Lister](d); ok {
		var listed []string
		err := l.List(context.Background(), "", func(o storage.Object) error {
			listed = append(listed, o.Key)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(listed)
		want := slices.Sorted(slices.Values(ValidKeys))
		if !slices.Equal(listed, want) {
			t.Errorf("List gives %q, want %q", listed, want)
		}
	}
	if err := d.Delete(context.Background(), ValidKeys...); err != nil {
		t.Fatal(err)
	}
	for _, key := range ValidKeys {
		wantGone(t, d, key)
	}
}

func (s *suite) testInvalidKeys(t *testing.T) {
	d := s.New(t)
	ctx := context.Background()
	put(t, d, "x", []byte("a file outside the refused keys"))
	put(t, d, "a/b", []byte("another"))
	before := s.snapshot(t, d)
	mp, isMP := storage.As[storage.Multiparter](d)
	cp, isCopier := storage.As[storage.Copier](d)
	lf, isFiler := storage.As[storage.LocalFiler](d)
	for _, key := range InvalidKeys {
		if storage.CheckKey(key) == nil {
			t.Errorf("CheckKey(%q) = nil, want errs.Invalid", key)
		}
		err := d.Put(ctx, key, strings.NewReader("data"), 4)
		wantKind(t, fmt.Sprintf("Put(%q)", key), err, errs.Invalid)
		_, err = d.Open(ctx, key, 0, -1)
		wantKind(t, fmt.Sprintf("Open(%q)", key), err, errs.Invalid)
		_, err = d.Stat(ctx, key)
		wantKind(t, fmt.Sprintf("Stat(%q)", key), err, errs.Invalid)
		err = d.Delete(ctx, key)
		wantKind(t, fmt.Sprintf("Delete(%q)", key), err, errs.Invalid)
		if isMP {
			_, err = mp.NewMultipart(ctx, key, 4, 0)
			wantKind(t, fmt.Sprintf("NewMultipart(%q)", key), err, errs.Invalid)
		}
		if isCopier {
			err = cp.Copy(ctx, key, "x")
			wantKind(t, fmt.Sprintf("Copy(dst %q)", key), err, errs.Invalid)
			err = cp.Copy(ctx, "y", key)
			wantKind(t, fmt.Sprintf("Copy(src %q)", key), err, errs.Invalid)
		}
		if isFiler {
			_, err = lf.OpenFile(ctx, key)
			wantKind(t, fmt.Sprintf("OpenFile(%q)", key), err, errs.Invalid)
		}
	}
	s.noLitter(t, d, before, "refused keys")
	checkContent(t, d, "x", []byte("a file outside the refused keys"))
	checkContent(t, d, "a/b", []byte("another"))
}

func (s *suite) testRanges(t *testing.T) {
	d := s.New(t)
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	size := int64(200_003) + rng.Int64N(300_000)
	data := Bytes(uint64(seed), size)
	put(t, d, "ranged", data)
	for range 64 {
		off := rng.Int64N(size + 1)
		var n int64
		switch rng.IntN(4) {
		case 0:
			n = -1
		case 1:
			n = rng.Int64N(size - off + 1)
		case 2:
			n = rng.Int64N(size + 10) // may run past the end
		case 3:
			n = rng.Int64N(16)
		}
		want := data[off:]
		if n >= 0 && n < int64(len(want)) {
			want = want[:n]
		}
		if got := read(t, d, "ranged", off, n); !bytes.Equal(got, want) {
			t.Errorf("Open(offset %d, length %d) gives %s, want %s", off, n, describe(got), describe(want))
		}
	}
	if got := read(t, d, "ranged", size, -1); len(got) != 0 {
		t.Errorf("read at the end gives %d bytes", len(got))
	}
	for _, off := range []int64{-1, size + 1} {
		_, err := d.Open(context.Background(), "ranged", off, -1)
		wantKind(t, fmt.Sprintf("Open at offset %d of %d", off, size), err, errs.Invalid)
	}
	put(t, d, "empty", nil)
	if got := read(t, d, "empty", 0, 10); len(got) != 0 {
		t.Errorf("reading an empty object gives %d bytes", len(got))
	}
}

func (s *suite) testMissing(t *testing.T) {
	d := s.New(t)
	ctx := context.Background()
	for _, key := range []string{"missing", "dir/missing", "a"} {
		_, err := d.Stat(ctx, key)
		wantKind(t, fmt.Sprintf("Stat(%q)", key), err, errs.NotExist)
		_, err = d.Open(ctx, key, 0, -1)
		wantKind(t, fmt.Sprintf("Open(%q)", key), err, errs.NotExist)
		if err := d.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q) of a missing key: %v", key, err)
		}
	}
	// A prefix of keys is not an object; nor is a key below an object.
	put(t, d, "a/b/c", []byte("c"))
	put(t, d, "f", []byte("f"))
	for _, key := range []string{"a", "a/b", "f/g"} {
		_, err := d.Stat(ctx, key)
		wantKind(t, fmt.Sprintf("Stat(%q)", key), err, errs.NotExist)
		_, err = d.Open(ctx, key, 0, -1)
		wantKind(t, fmt.Sprintf("Open(%q)", key), err, errs.NotExist)
		if err := d.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q) of a non-object: %v", key, err)
		}
	}
	checkContent(t, d, "a/b/c", []byte("c"))
	if err := d.Delete(ctx); err != nil {
		t.Errorf("Delete with no keys: %v", err)
	}
	if err := d.Delete(ctx, "a/b/c", "missing", "f", "a/b/c"); err != nil {
		t.Errorf("Delete of present, missing and repeated keys: %v", err)
	}
	wantGone(t, d, "a/b/c")
	wantGone(t, d, "f")
	if err := d.Delete(ctx, "a/b/c"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
}

func (s *suite) testOverwrite(t *testing.T) {
	d := s.New(t)
	v1, v2, v3 := Bytes(1, 300_001), Bytes(2, 1000), Bytes(3, 0)
	put(t, d, "over/write", v1)
	put(t, d, "over/write", v2)
	checkContent(t, d, "over/write", v2)
	put(t, d, "over/write", v3)
	checkContent(t, d, "over/write", v3)
	put(t, d, "over/write", v1)
	checkContent(t, d, "over/write", v1)
}

// failReader fails every read.
type failReader struct{ err error }

func (r failReader) Read([]byte) (int, error) { return 0, r.err }

// hookReader reads r and calls hook once, when n bytes have been read.
type hookReader struct {
	r    io.Reader
	n    int64
	hook func() error // its error, if any, is what Read returns from then on
	err  error
}

func (h *hookReader) Read(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	if h.n <= 0 && h.hook != nil {
		h.err, h.hook = h.hook(), nil
		if h.err != nil {
			return 0, h.err
		}
	}
	if h.hook != nil && int64(len(p)) > h.n {
		p = p[:h.n]
	}
	n, err := h.r.Read(p)
	h.n -= int64(n)
	return n, err
}

var errBoom = errors.New("storagetest: reader failed on purpose")

func (s *suite) testFailedPut(t *testing.T) {
	d := s.New(t)
	ctx := context.Background()
	old := Bytes(7, 5000)
	put(t, d, "fail/existing", old)
	before := s.snapshot(t, d)
	for _, n := range []int64{1, 300_000, 3 << 20} {
		data := Bytes(uint64(n), n)
		for _, key := range []string{"fail/new", "fail/deep/new/key", "fail/existing"} {
			r := &hookReader{r: bytes.NewReader(data), n: n / 2, hook: func() error { return errBoom }}
			err := d.Put(ctx, key, r, n)
			if !errors.Is(err, errBoom) {
				t.Errorf("Put(%q) with a reader failing after %d of %d bytes: got %v, want the reader's error", key, n/2, n, err)
			}
		}
		wantGone(t, d, "fail/new")
		wantGone(t, d, "fail/deep/new/key")
		checkContent(t, d, "fail/existing", old)
		s.noLitter(t, d, before, "failed Put")
	}
}

func (s *suite) testCancelledPut(t *testing.T) {
	d := s.New(t)
	old := Bytes(8, 5000)
	put(t, d, "cancel/existing", old)
	before := s.snapshot(t, d)
	n := int64(4 << 20)
	data := Bytes(9, n)
	for _, key := range []string{"cancel/new", "cancel/existing"} {
		ctx, cancel := context.WithCancel(context.Background())
		// The reader goes on giving data after the cancellation, as a body
		// unaware of the context would: the driver must notice on its own.
		r := &hookReader{r: bytes.NewReader(data), n: n / 4, hook: func() error { cancel(); return nil }}
		err := d.Put(ctx, key, r, n)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Put(%q) cancelled half-way: got %v, want context.Canceled", key, err)
		}
		ctx, cancel = context.WithCancel(context.Background())
		cancel()
		err = d.Put(ctx, key, bytes.NewReader(data), n)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Put(%q) with a cancelled context: got %v, want context.Canceled", key, err)
		}
	}
	wantGone(t, d, "cancel/new")
	checkContent(t, d, "cancel/existing", old)
	s.noLitter(t, d, before, "cancelled Put")
}

func (s *suite) testSizeMismatch(t *testing.T) {
	d := s.New(t)
	ctx := context.Background()
	old := Bytes(10, 100)
	put(t, d, "size/existing", old)
	before := s.snapshot(t, d)
	for _, n := range []int64{0, 1, 100, 300_001} {
		data := Bytes(uint64(n), n+1)
		for _, key := range []string{"size/new", "size/existing"} {
			if n > 0 {
				err := d.Put(ctx, key, bytes.NewReader(data[:n-1]), n)
				wantKind(t, fmt.Sprintf("Put(%q) of %d bytes declared %d", key, n-1, n), err, errs.Invalid)
			}
			err := d.Put(ctx, key, bytes.NewReader(data), n)
			wantKind(t, fmt.Sprintf("Put(%q) of %d bytes declared %d", key, n+1, n), err, errs.Invalid)
		}
	}
	err := d.Put(ctx, "size/new", bytes.NewReader(nil), -1)
	wantKind(t, "Put with size -1", err, errs.Invalid)
	wantGone(t, d, "size/new")
	checkContent(t, d, "size/existing", old)
	s.noLitter(t, d, before, "Put with the wrong size")
}

func (s *suite) testConcurrentKeys(t *testing.T) {
	d := s.New(t)
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			data := Bytes(uint64(i), int64(100_000+i*1000))
			key := fmt.Sprintf("concurrent/dir%d/key-%d", i%3, i)
			if err := d.Put(context.Background(), key, bytes.NewReader(data), int64(len(data))); err != nil {
				t.Errorf("Put(%q): %v", key, err)
			}
			// Deleting prunes directories that other Puts are filling.
			if i%2 == 0 {
				if err := d.Delete(context.Background(), key); err != nil {
					t.Errorf("Delete(%q): %v", key, err)
				}
			}
		})
	}
	wg.Wait()
	for i := range n {
		key := fmt.Sprintf("concurrent/dir%d/key-%d", i%3, i)
		if i%2 == 0 {
			wantGone(t, d, key)
		} else {
			checkContent(t, d, key, Bytes(uint64(i), int64(100_000+i*1000)))
		}
	}
}

func (s *suite) testConcurrentSameKey(t *testing.T) {
	d := s.New(t)
	const writers = 8
	versions := map[[32]byte]int{}
	data := make([][]byte, writers)
	for i := range data {
		data[i] = Bytes(uint64(100+i), int64(500_000+i*7919))
		versions[sha256.Sum256(data[i])] = i
	}
	ctx := context.Background()
	check := func(b []byte) {
		if _, ok := versions[sha256.Sum256(b)]; !ok {
			t.Errorf("read %s, which is none of the versions written", describe(b))
		}
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				rc, err := d.Open(ctx, "same", 0, -1)
				if errs.Is(errs.NotExist, err) {
					continue
				}
				if err != nil {
					t.Errorf("Open during overwrites: %v", err)
					return
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Errorf("reading during overwrites: %v", err)
					return
				}
				check(b)
			}
		})
	}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for range 3 {
				if err := d.Put(ctx, "same", bytes.NewReader(data[i]), int64(len(data[i]))); err != nil {
					t.Errorf("Put by writer %d: %v", i, err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	check(read(t, d, "same", 0, -1))
}

func (s *suite) testMultiparter(t *testing.T) {
	d := s.New(t)
	mp, ok := storage.As[storage.Multiparter](d)
	if !ok {
		t.Skip("driver is no Multiparter")
	}
	ps := s.partSize(d)
	ctx := context.Background()

	begin := func(t *testing.T, m storage.Multiparter, key string, size, partSize int64) storage.Upload {
		t.Helper()
		u, err := m.NewMultipart(ctx, key, size, partSize)
		if err != nil {
			t.Fatalf("NewMultipart(%q, %d, %d): %v", key, size, partSize, err)
		}
		if i := u.Info(); i.Key != key || i.Size != size || i.PartSize != partSize || i.ID == "" {
			t.Fatalf("Info() = %+v for key %q size %d part size %d", i, key, size, partSize)
		}
		return u
	}
	write := func(t *testing.T, u storage.Upload, data []byte, n int) {
		t.Helper()
		off, size, ok := u.Info().Part(n)
		if !ok {
			t.Fatalf("no part %d in %+v", n, u.Info())
		}
		if err := u.WritePart(ctx, n, bytes.NewReader(data[off:off+size]), size); err != nil {
			t.Fatalf("WritePart(%d): %v", n, err)
		}
	}
	wantParts := func(t *testing.T, u storage.Upload, want ...int) {
		t.Helper()
		got, err := u.Parts(ctx)
		if err != nil {
			t.Fatalf("Parts: %v", err)
		}
		if len(got) != 0 || len(want) != 0 {
			if !slices.Equal(got, want) {
				t.Errorf("Parts = %v, want %v", got, want)
			}
		}
	}
	complete := func(t *testing.T, u storage.Upload) {
		t.Helper()
		if err := u.Complete(ctx); err != nil {
			t.Fatalf("Complete: %v", err)
		}
	}

	t.Run("OutOfOrder", func(t *testing.T) {
		before := s.snapshot(t, d)
		data := Bytes(20, 3*ps+123) // last part shorter
		u := begin(t, mp, "mp/out-of-order", int64(len(data)), ps)
		if got := u.Info().NumParts(); got != 4 {
			t.Fatalf("NumParts = %d, want 4", got)
		}
		wantParts(t, u)
		write(t, u, data, 3)
		write(t, u, data, 1)
		wantParts(t, u, 1, 3)
		wantGone(t, d, "mp/out-of-order")
		write(t, u, data, 0)
		write(t, u, data, 2)
		wantParts(t, u, 0, 1, 2, 3)
		complete(t, u)
		checkContent(t, d, "mp/out-of-order", data)
		_, err := mp.ResumeMultipart(ctx, u.Info().ID)
		wantKind(t, "ResumeMultipart after Complete", err, errs.NotExist)
		err = u.WritePart(ctx, 0, bytes.NewReader(data[:ps]), ps)
		wantKind(t, "WritePart after Complete", err, errs.NotExist)
		if err := d.Delete(ctx, "mp/out-of-order"); err != nil {
			t.Fatal(err)
		}
		s.noLitter(t, d, before, "a completed and deleted upload")
	})

	t.Run("ExactMultiple", func(t *testing.T) {
		data := Bytes(21, 2*ps)
		u := begin(t, mp, "mp/exact", int64(len(data)), ps)
		if off, size, _ := u.Info().Part(1); u.Info().NumParts() != 2 || off != ps || size != ps {
			t.Fatalf("layout of %+v: %d parts, part 1 at %d size %d", u.Info(), u.Info().NumParts(), off, size)
		}
		write(t, u, data, 1)
		write(t, u, data, 0)
		complete(t, u)
		checkContent(t, d, "mp/exact", data)
	})

	t.Run("SinglePart", func(t *testing.T) {
		data := Bytes(22, 1000)
		u := begin(t, mp, "mp/single", int64(len(data)), 0)
		if u.Info().NumParts() != 1 {
			t.Fatalf("NumParts = %d with part size 0", u.Info().NumParts())
		}
		write(t, u, data, 0)
		complete(t, u)
		checkContent(t, d, "mp/single", data)
	})

	t.Run("ZeroSize", func(t *testing.T) {
		u := begin(t, mp, "mp/empty", 0, ps)
		if off, size, ok := u.Info().Part(0); u.Info().NumParts() != 1 || off != 0 || size != 0 || !ok {
			t.Fatalf("empty upload layout: %d parts, part 0 = %d,%d,%v", u.Info().NumParts(), off, size, ok)
		}
		err := u.Complete(ctx)
		wantKind(t, "Complete before the empty part", err, errs.Conflict)
		write(t, u, nil, 0)
		wantParts(t, u, 0)
		complete(t, u)
		checkContent(t, d, "mp/empty", nil)
	})

	t.Run("Retry", func(t *testing.T) {
		data := Bytes(23, 2*ps+5)
		u := begin(t, mp, "mp/retry", int64(len(data)), ps)
		// A first attempt that fails half-way leaves the part missing.
		off, size, _ := u.Info().Part(1)
		r := &hookReader{r: bytes.NewReader(data[off : off+size]), n: size / 2, hook: func() error { return errBoom }}
		if err := u.WritePart(ctx, 1, r, size); !errors.Is(err, errBoom) {
			t.Errorf("WritePart with a failing reader: got %v, want the reader's error", err)
		}
		err := u.WritePart(ctx, 1, bytes.NewReader(data[off:off+size-1]), size)
		wantKind(t, "WritePart with a short body", err, errs.Invalid)
		err = u.WritePart(ctx, 1, bytes.NewReader(data[off:off+size+1]), size)
		wantKind(t, "WritePart with a long body", err, errs.Invalid)
		wantParts(t, u)
		write(t, u, data, 1)
		write(t, u, data, 1)
		write(t, u, data, 0)
		// A failed retry of a stored part: the part may go missing, but
		// rewriting it repairs the upload.
		r = &hookReader{r: bytes.NewReader(data[0:ps]), n: ps / 2, hook: func() error { return errBoom }}
		if err := u.WritePart(ctx, 0, r, ps); !errors.Is(err, errBoom) {
			t.Errorf("WritePart with a failing reader: got %v", err)
		}
		write(t, u, data, 0)
		write(t, u, data, 2)
		write(t, u, data, 2)
		wantParts(t, u, 0, 1, 2)
		complete(t, u)
		checkContent(t, d, "mp/retry", data)
	})

	t.Run("BadParts", func(t *testing.T) {
		data := Bytes(24, 2*ps+5)
		u := begin(t, mp, "mp/bad", int64(len(data)), ps)
		defer u.Abort(ctx)
		for _, n := range []int{-1, 3, 100} {
			err := u.WritePart(ctx, n, bytes.NewReader(nil), 0)
			wantKind(t, fmt.Sprintf("WritePart(%d) of 3 parts", n), err, errs.Invalid)
		}
		err := u.WritePart(ctx, 2, bytes.NewReader(data[:ps]), ps)
		wantKind(t, "WritePart with the wrong size for the last part", err, errs.Invalid)
		err = u.WritePart(ctx, 0, bytes.NewReader(data[:5]), 5)
		wantKind(t, "WritePart with the wrong size", err, errs.Invalid)
		wantParts(t, u)
		for _, c := range []struct{ size, partSize int64 }{{-1, ps}, {10, -1}} {
			_, err := mp.NewMultipart(ctx, "mp/bad2", c.size, c.partSize)
			wantKind(t, fmt.Sprintf("NewMultipart(size %d, part size %d)", c.size, c.partSize), err, errs.Invalid)
		}
		l := d.Limits()
		if l.MaxParts > 0 {
			_, err := mp.NewMultipart(ctx, "mp/bad2", int64(l.MaxParts)*ps+1, ps)
			wantKind(t, "NewMultipart with more than MaxParts parts", err, errs.Invalid)
		}
		if l.MinPartSize > 1 {
			_, err := mp.NewMultipart(ctx, "mp/bad2", 3*l.MinPartSize, l.MinPartSize-1)
			wantKind(t, "NewMultipart with parts below MinPartSize", err, errs.Invalid)
		}
		if l.MaxObjectSize > 0 {
			_, err := mp.NewMultipart(ctx, "mp/bad2", l.MaxObjectSize+1, max(ps, l.MaxObjectSize/1000))
			wantKind(t, "NewMultipart above MaxObjectSize", err, errs.TooLarge)
		}
		for _, id := range []string{"", "../x", "0000000000000000000000000000000000000000000000000000000000000000", "/etc/passwd", "a\x00b"} {
			_, err := mp.ResumeMultipart(ctx, id)
			if !errs.Is(errs.NotExist, err) && !errs.Is(errs.Invalid, err) {
				t.Errorf("ResumeMultipart(%q) = %v, want NotExist or Invalid", id, err)
			}
		}
	})

	t.Run("MissingPart", func(t *testing.T) {
		put(t, d, "mp/missing", []byte("old"))
		data := Bytes(25, 3*ps+1)
		u := begin(t, mp, "mp/missing", int64(len(data)), ps)
		write(t, u, data, 0)
		write(t, u, data, 1)
		write(t, u, data, 3)
		err := u.Complete(ctx)
		wantKind(t, "Complete without part 2", err, errs.Conflict)
		checkContent(t, d, "mp/missing", []byte("old"))
		write(t, u, data, 2)
		complete(t, u) // replaces the old object
		checkContent(t, d, "mp/missing", data)
	})

	t.Run("Abort", func(t *testing.T) {
		before := s.snapshot(t, d)
		data := Bytes(26, 2*ps+1)
		u := begin(t, mp, "mp/abort", int64(len(data)), ps)
		write(t, u, data, 0)
		write(t, u, data, 2)
		if err := u.Abort(ctx); err != nil {
			t.Fatalf("Abort: %v", err)
		}
		wantGone(t, d, "mp/abort")
		s.noLitter(t, d, before, "an aborted upload")
		_, err := mp.ResumeMultipart(ctx, u.Info().ID)
		wantKind(t, "ResumeMultipart after Abort", err, errs.NotExist)
		err = u.WritePart(ctx, 1, bytes.NewReader(data[ps:2*ps]), ps)
		wantKind(t, "WritePart after Abort", err, errs.NotExist)
		err = u.Complete(ctx)
		wantKind(t, "Complete after Abort", err, errs.NotExist)
		if err := u.Abort(ctx); err != nil {
			t.Errorf("second Abort: %v", err)
		}
		s.noLitter(t, d, before, "an aborted upload")
	})

	t.Run("Resume", func(t *testing.T) {
		if s.Reopen == nil {
			t.Skip("no Options.Reopen")
		}
		data := Bytes(27, 3*ps+77)
		u := begin(t, mp, "mp/resume", int64(len(data)), ps)
		write(t, u, data, 2)
		write(t, u, data, 0)
		d2 := s.Reopen(t, d)
		mp2, ok := storage.As[storage.Multiparter](d2)
		if !ok {
			t.Fatal("reopened driver is no Multiparter")
		}
		u2, err := mp2.ResumeMultipart(ctx, u.Info().ID)
		if err != nil {
			t.Fatalf("ResumeMultipart on a new driver: %v", err)
		}
		if u2.Info() != u.Info() {
			t.Errorf("resumed Info() = %+v, want %+v", u2.Info(), u.Info())
		}
		wantParts(t, u2, 0, 2)
		write(t, u2, data, 3)
		write(t, u2, data, 1)
		wantGone(t, d2, "mp/resume")
		complete(t, u2)
		checkContent(t, d2, "mp/resume", data)
		checkContent(t, d, "mp/resume", data)
		err = u.WritePart(ctx, 0, bytes.NewReader(data[:ps]), ps)
		wantKind(t, "WritePart to the old handle after Complete", err, errs.NotExist)
	})

	t.Run("Parallel", func(t *testing.T) {
		data := Bytes(28, 8*ps-3)
		u := begin(t, mp, "mp/parallel", int64(len(data)), ps)
		u2, err := mp.ResumeMultipart(ctx, u.Info().ID) // a second handle, as a second request would have
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for n := range u.Info().NumParts() {
			for _, h := range []storage.Upload{u, u2} {
				wg.Go(func() {
					off, size, _ := h.Info().Part(n)
					if err := h.WritePart(ctx, n, bytes.NewReader(data[off:off+size]), size); err != nil {
						t.Errorf("WritePart(%d): %v", n, err)
					}
				})
			}
		}
		wg.Wait()
		complete(t, u)
		checkContent(t, d, "mp/parallel", data)
	})
}

func (s *suite) testLister(t *testing.T) {
	d := s.New(t)
	l, ok := storage.As[storage.Lister](d)
	if !ok {
		t.Skip("driver is no Lister")
	}
	ctx := context.Background()
	keys := map[string][]byte{
		"list/a": Bytes(1, 10), "list/b/c": Bytes(2, 0), "list/b/d e": Bytes(3, 3000),
		"listx": Bytes(4, 1), "other/z": Bytes(5, 2), "list/b/deep/er/key": Bytes(6, 7),
	}
	for k, v := range keys {
		put(t, d, k, v)
	}
	// Bookkeeping of a pending upload must not show.
	if mp, ok := storage.As[storage.Multiparter](d); ok {
		u, err := mp.NewMultipart(ctx, "list/pending", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer u.Abort(ctx)
	}
	list := func(prefix string) []string {
		t.Helper()
		var got []string
		err := l.List(ctx, prefix, func(o storage.Object) error {
			want, ok := keys[o.Key]
			if !ok {
				t.Errorf("List(%q) gives unknown key %q", prefix, o.Key)
			} else if o.Size != int64(len(want)) {
				t.Errorf("List(%q) gives %q size %d, want %d", prefix, o.Key, o.Size, len(want))
			}
			if o.ModTime.IsZero() {
				t.Errorf("List(%q) gives %q without ModTime", prefix, o.Key)
			}
			got = append(got, o.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		slices.Sort(got)
		return got
	}
	for _, c := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"list/a", "list/b/c", "list/b/d e", "list/b/deep/er/key", "listx", "other/z"}},
		{"list/", []string{"list/a", "list/b/c", "list/b/d e", "list/b/deep/er/key"}},
		{"list", []string{"list/a", "list/b/c", "list/b/d e", "list/b/deep/er/key", "listx"}},
		{"list/b/d", []string{"list/b/d e", "list/b/deep/er/key"}},
		{"list/b/deep/er/key", []string{"list/b/deep/er/key"}},
		{"o", []string{"other/z"}},
		{"nothing/", nil},
		{"list/a/", nil},
		{"zzz", nil},
	} {
		if got := list(c.prefix); !slices.Equal(got, c.want) {
			t.Errorf("List(%q) = %q, want %q", c.prefix, got, c.want)
		}
	}
	calls := 0
	err := l.List(ctx, "", func(storage.Object) error { calls++; return errBoom })
	if !errors.Is(err, errBoom) || calls != 1 {
		t.Errorf("List whose fn fails: %v after %d calls, want fn's error after 1", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.List(cctx, "", func(storage.Object) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("List with a cancelled context: %v", err)
	}
	for _, p := range []string{"../", "/", "a//", "a\\", "a\x00"} {
		err := l.List(ctx, p, func(storage.Object) error { return nil })
		wantKind(t, fmt.Sprintf("List(%q)", p), err, errs.Invalid)
	}
}

func (s *suite) testCopier(t *testing.T) {
	d := s.New(t)
	c, ok := storage.As[storage.Copier](d)
	if !ok {
		t.Skip("driver is no Copier")
	}
	ctx := context.Background()
	v1, v2 := Bytes(30, 300_001), Bytes(31, 17)
	put(t, d, "copy/src", v1)
	if err := c.Copy(ctx, "copy/deep/dst", "copy/src"); err != nil {
		t.Fatalf("Copy: %v", err)
	}
	checkContent(t, d, "copy/deep/dst", v1)
	// The copy is independent of later changes to the source.
	put(t, d, "copy/src", v2)
	checkContent(t, d, "copy/deep/dst", v1)
	if err := d.Delete(ctx, "copy/src"); err != nil {
		t.Fatal(err)
	}
	checkContent(t, d, "copy/deep/dst", v1)
	// Copying onto an existing object replaces it.
	put(t, d, "copy/src", v2)
	if err := c.Copy(ctx, "copy/deep/dst", "copy/src"); err != nil {
		t.Fatalf("Copy onto an object: %v", err)
	}
	checkContent(t, d, "copy/deep/dst", v2)
	if err := c.Copy(ctx, "copy/src", "copy/src"); err != nil {
		t.Errorf("Copy onto itself: %v", err)
	}
	checkContent(t, d, "copy/src", v2)
	before := s.snapshot(t, d)
	err := c.Copy(ctx, "copy/new/dst", "copy/missing")
	wantKind(t, "Copy of a missing source", err, errs.NotExist)
	err = c.Copy(ctx, "copy/missing", "copy/missing")
	wantKind(t, "Copy of a missing source onto itself", err, errs.NotExist)
	wantGone(t, d, "copy/new/dst")
	s.noLitter(t, d, before, "Copy of a missing source")
}

func (s *suite) testLocalFiler(t *testing.T) {
	d := s.New(t)
	lf, ok := storage.As[storage.LocalFiler](d)
	if !ok {
		t.Skip("driver is no LocalFiler")
	}
	ctx := context.Background()
	v1, v2 := Bytes(40, 100_001), Bytes(41, 5)
	put(t, d, "lf/key", v1)
	f, err := lf.OpenFile(ctx, "lf/key")
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	defer f.Close()
	// The open file keeps showing what was stored when it was opened.
	put(t, d, "lf/key", v2)
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != int64(len(v1)) || !bytes.Equal(got, v1) {
		t.Errorf("open file: size %d, content %s; want %s", fi.Size(), describe(got), describe(v1))
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("file from OpenFile is writable")
	}
	_, err = lf.OpenFile(ctx, "lf/missing")
	wantKind(t, "OpenFile of a missing key", err, errs.NotExist)
	_, err = lf.OpenFile(ctx, "lf")
	wantKind(t, "OpenFile of a key prefix", err, errs.NotExist)
}

func (s *suite) testURLSigner(t *testing.T) {
	d := s.New(t)
	us, ok := storage.As[storage.URLSigner](d)
	if !ok {
		t.Skip("driver is no URLSigner")
	}
	ctx := context.Background()
	data := Bytes(50, 100_003)
	put(t, d, "signed/file name.bin", data)
	url, err := us.SignURL(ctx, "signed/file name.bin", storage.URLOptions{TTL: min(time.Hour, d.Limits().MaxURLTTL)})
	if err != nil {
		t.Fatalf("SignURL: %v", err)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET signed URL: %v", err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
		t.Errorf("GET signed URL: status %d, %s, error %v; want %s", resp.StatusCode, describe(got), err, describe(data))
	}
	for _, ttl := range []time.Duration{0, -time.Second, d.Limits().MaxURLTTL + time.Second} {
		_, err := us.SignURL(ctx, "signed/file name.bin", storage.URLOptions{TTL: ttl})
		wantKind(t, fmt.Sprintf("SignURL with TTL %v", ttl), err, errs.Invalid)
	}
	_, err = us.SignURL(ctx, "../x", storage.URLOptions{TTL: time.Minute})
	wantKind(t, "SignURL of an invalid key", err, errs.Invalid)
}

// testSweeper checks what every driver's Sweep must never do: touch objects,
// uploads live claims, or anything newer than before; and that it ends the
// uploads it may end. Crash leftovers are driver-specific and tested by the
// driver's own tests.
func (s *suite) testSweeper(t *testing.T) {
	d := s.New(t)
	sw, ok := storage.As[storage.Sweeper](d)
	if !ok {
		t.Skip("driver is no Sweeper")
	}
	ctx := context.Background()
	obj := Bytes(30, 1000)
	put(t, d, "sweep/object", obj)
	before := s.snapshot(t, d)
	mp, isMP := storage.As[storage.Multiparter](d)
	if !isMP {
		if _, err := sw.Sweep(ctx, time.Now().Add(time.Hour), func(string) bool { return false }); err != nil {
			t.Fatalf("Sweep: %v", err)
		}
		checkContent(t, d, "sweep/object", obj)
		return
	}
	ps := s.partSize(d)
	data := Bytes(31, 2*ps+5)
	start := func(key string) storage.Upload {
		t.Helper()
		u, err := mp.NewMultipart(ctx, key, int64(len(data)), ps)
		if err != nil {
			t.Fatalf("NewMultipart: %v", err)
		}
		if err := u.WritePart(ctx, 0, bytes.NewReader(data[:ps]), ps); err != nil {
			t.Fatalf("WritePart: %v", err)
		}
		return u
	}
	live, abandoned := start("sweep/live"), start("sweep/abandoned")
	isLive := func(id string) bool { return id == live.Info().ID }

	// Everything is newer than an hour ago: nothing goes.
	if n, err := sw.Sweep(ctx, time.Now().Add(-time.Hour), isLive); err != nil || n != 0 {
		t.Fatalf("Sweep of fresh state = %d, %v; want 0, nil", n, err)
	}
	if _, err := mp.ResumeMultipart(ctx, abandoned.Info().ID); err != nil {
		t.Fatalf("a fresh upload no session claims was swept: %v", err)
	}

	// Everything is older than an hour from now: the abandoned upload goes.
	n, err := sw.Sweep(ctx, time.Now().Add(time.Hour), isLive)
	if err != nil || n < 1 {
		t.Fatalf("Sweep = %d, %v; want the abandoned upload removed", n, err)
	}
	_, err = mp.ResumeMultipart(ctx, abandoned.Info().ID)
	wantKind(t, "ResumeMultipart of a swept upload", err, errs.NotExist)
	checkContent(t, d, "sweep/object", obj)

	u, err := mp.ResumeMultipart(ctx, live.Info().ID)
	if err != nil {
		t.Fatalf("the live upload was swept: %v", err)
	}
	if got, err := u.Parts(ctx); err != nil || !slices.Equal(got, []int{0}) {
		t.Fatalf("Parts of the live upload after Sweep = %v, %v", got, err)
	}
	for n := 1; n < u.Info().NumParts(); n++ {
		off, size, _ := u.Info().Part(n)
		if err := u.WritePart(ctx, n, bytes.NewReader(data[off:off+size]), size); err != nil {
			t.Fatalf("WritePart(%d): %v", n, err)
		}
	}
	if err := u.Complete(ctx); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	checkContent(t, d, "sweep/live", data)
	wantGone(t, d, "sweep/abandoned")
	if err := d.Delete(ctx, "sweep/live"); err != nil {
		t.Fatal(err)
	}
	s.noLitter(t, d, before, "a swept upload")
}
