package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/storagetest"
)

// fake is a driver that only says which type it is.
type fake struct{ name string }

func (fake) Put(context.Context, string, io.Reader, int64) error { return nil }
func (fake) Open(context.Context, string, int64, int64) (io.ReadCloser, error) {
	return nil, errs.E("fake", errs.NotExist)
}
func (fake) Stat(context.Context, string) (storage.Object, error) {
	return storage.Object{}, errs.E("fake", errs.NotExist)
}
func (fake) Delete(context.Context, ...string) error { return nil }
func (fake) Limits() storage.Limits                  { return storage.Limits{} }

// copier is a fake with the Copier power.
type copier struct{ fake }

func (copier) Copy(context.Context, string, string) error { return nil }

// wrapper is a pass-through wrapper, as storage/retry would be.
type wrapper struct{ storage.Driver }

func (w wrapper) Unwrap() storage.Driver { return w.Driver }

// copyingWrapper is a wrapper that intercepts Copy itself.
type copyingWrapper struct{ wrapper }

func (copyingWrapper) Copy(context.Context, string, string) error { return nil }

func TestAs(t *testing.T) {
	inner := copier{fake{"inner"}}
	if c, ok := storage.As[storage.Copier](wrapper{wrapper{inner}}); !ok || c != storage.Copier(inner) {
		t.Errorf("As through two wrappers = %v, %v; want the inner driver", c, ok)
	}
	if _, ok := storage.As[storage.Lister](wrapper{inner}); ok {
		t.Error("As found a power nobody has")
	}
	cw := copyingWrapper{wrapper{inner}}
	if c, ok := storage.As[storage.Copier](cw); !ok || c != storage.Copier(cw) {
		t.Errorf("As = %v, want the wrapper that implements the power", c)
	}
	if _, ok := storage.As[storage.Copier](wrapper{nil}); ok {
		t.Error("As through a wrapper of nil")
	}
	if _, ok := storage.As[storage.Copier](nil); ok {
		t.Error("As of nil")
	}
	if d, ok := storage.As[storage.Driver](wrapper{inner}); !ok || d != storage.Driver(wrapper{inner}) {
		t.Error("As[Driver] must return the outermost driver")
	}
}

type settings struct{ Name string }

func parse(raw json.RawMessage) (settings, error) {
	var s settings
	if err := json.Unmarshal(raw, &s); err != nil || s.Name == "" {
		return s, errs.E("fake.ParseSettings", errs.Invalid, "bad settings")
	}
	return s, nil
}

func newFake(s settings, env storage.Env) (*copier, error) {
	if s.Name == "fail" {
		return nil, errs.E("fake.New", errs.Unavailable)
	}
	return &copier{fake{s.Name + "@" + env.DataDir}}, nil
}

func TestRegistry(t *testing.T) {
	r := storage.NewRegistry()
	storage.Register(r, "zeta", parse, newFake)
	storage.Register(r, "alpha", parse, newFake)
	if got := r.Types(); strings.Join(got, ",") != "alpha,zeta" {
		t.Errorf("Types = %q", got)
	}
	d, err := r.New("alpha", json.RawMessage(`{"Name":"x"}`), storage.Env{DataDir: "/data"})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := d.(*copier); !ok || c.name != "x@/data" {
		t.Errorf("New built %#v", d)
	}
	for _, c := range []struct {
		typ, raw string
		kind     errs.Kind
	}{
		{"beta", `{"Name":"x"}`, errs.Unsupported},
		{"alpha", `{`, errs.Invalid},
		{"alpha", `{}`, errs.Invalid},
		{"alpha", `{"Name":"fail"}`, errs.Unavailable},
	} {
		d, err := r.New(c.typ, json.RawMessage(c.raw), storage.Env{})
		if !errs.Is(c.kind, err) || d != nil {
			t.Errorf("New(%q, %s) = %v, %v; want nil and kind %v", c.typ, c.raw, d, err, c.kind)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a type twice did not panic")
		}
	}()
	storage.Register(r, "alpha", parse, newFake)
}

func TestCheckKey(t *testing.T) {
	for _, key := range storagetest.ValidKeys {
		if err := storage.CheckKey(key); err != nil {
			t.Errorf("CheckKey(%q) = %v", key, err)
		}
	}
	for _, key := range storagetest.InvalidKeys {
		if err := storage.CheckKey(key); !errs.Is(errs.Invalid, err) {
			t.Errorf("CheckKey(%q) = %v, want errs.Invalid", key, err)
		}
	}
	for _, c := range []struct {
		key   string
		valid bool
	}{
		{"CON", false}, {"con.tar.gz", false}, {"Con  .x", false}, {"prn", false}, {"nUl", false},
		{"COM0", false}, {"lpt5", false}, {"COM¹", false}, {"lpt³.txt", false}, {"CONOUT$", false},
		{"CONX", true}, {"COM", true}, {"LPT", true}, {"COM1x", true}, {"xCON", true}, {"CO", true},
		{"COM⁴", true}, {"x.CON", true}, {".stratus", false}, {".STRATUS-x", false}, {"a/.stratusfoo", false},
		{".stratu", true}, {"x.stratus", true}, {"a/b.stratus", true},
		{strings.Repeat("é", 127), true}, {strings.Repeat("é", 128), false}, // 254 and 256 bytes
		{"a\tb", false}, {"a\u0085b", true}, {"\ufeffbom", true},
		{strings.Repeat("abcd/", 204) + "abcd", true}, {strings.Repeat("abcd/", 204) + "abcde", false},
	} {
		if err := storage.CheckKey(c.key); (err == nil) != c.valid {
			t.Errorf("CheckKey(%q) = %v, want valid %v", c.key, err, c.valid)
		}
	}
}

func TestUploadInfo(t *testing.T) {
	type span struct{ off, size int64 }
	for _, c := range []struct {
		size, partSize int64
		parts          []span
	}{
		{0, 0, []span{{0, 0}}},
		{0, 10, []span{{0, 0}}},
		{5, 0, []span{{0, 5}}},
		{5, 10, []span{{0, 5}}},
		{10, 10, []span{{0, 10}}},
		{11, 10, []span{{0, 10}, {10, 1}}},
		{30, 10, []span{{0, 10}, {10, 10}, {20, 10}}},
		{31, 10, []span{{0, 10}, {10, 10}, {20, 10}, {30, 1}}},
	} {
		u := storage.UploadInfo{Size: c.size, PartSize: c.partSize}
		if u.NumParts() != len(c.parts) {
			t.Errorf("%+v: NumParts = %d, want %d", u, u.NumParts(), len(c.parts))
		}
		for n, want := range c.parts {
			off, size, ok := u.Part(n)
			if !ok || off != want.off || size != want.size {
				t.Errorf("%+v: Part(%d) = %d, %d, %v; want %d, %d", u, n, off, size, ok, want.off, want.size)
			}
		}
		for _, n := range []int{-1, len(c.parts)} {
			if _, _, ok := u.Part(n); ok {
				t.Errorf("%+v: Part(%d) ok", u, n)
			}
		}
	}
	huge := storage.UploadInfo{Size: 1<<63 - 1, PartSize: 1 << 62}
	if huge.NumParts() != 2 {
		t.Errorf("huge upload: %d parts", huge.NumParts())
	}
}

var errRead = errors.New("read failed")

func TestCopyExact(t *testing.T) {
	ctx := context.Background()
	data := storagetest.Bytes(1, 3*storage.BufferSize+7)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		r    io.Reader
		size int64
		kind errs.Kind // Other: success unless cause is set
		is   error
	}{
		{"exact", ctx, bytes.NewReader(data), int64(len(data)), errs.Other, nil},
		{"exact, one byte at a time", ctx, iotest.OneByteReader(bytes.NewReader(data[:1000])), 1000, errs.Other, nil},
		{"exact, EOF with data", ctx, iotest.DataErrReader(bytes.NewReader(data)), int64(len(data)), errs.Other, nil},
		{"empty", ctx, strings.NewReader(""), 0, errs.Other, nil},
		{"short", ctx, bytes.NewReader(data[:100]), 101, errs.Invalid, io.ErrUnexpectedEOF},
		{"short by a buffer", ctx, bytes.NewReader(data), int64(len(data)) + storage.BufferSize, errs.Invalid, io.ErrUnexpectedEOF},
		{"long", ctx, bytes.NewReader(data), int64(len(data)) - 1, errs.Invalid, nil},
		{"long by one on empty", ctx, strings.NewReader("x"), 0, errs.Invalid, nil},
		{"reader fails", ctx, io.MultiReader(bytes.NewReader(data[:10]), iotest.ErrReader(errRead)), 100, errs.Other, errRead},
		{"reader fails at the end", ctx, io.MultiReader(bytes.NewReader(data[:10]), iotest.ErrReader(errRead)), 10, errs.Other, errRead},
		{"cancelled", cancelled, bytes.NewReader(data), int64(len(data)), errs.Other, context.Canceled},
		{"negative", ctx, strings.NewReader(""), -1, errs.Invalid, nil},
	} {
		var out bytes.Buffer
		err := storage.CopyExact(c.ctx, &out, c.r, c.size)
		switch {
		case c.kind == errs.Other && c.is == nil:
			if err != nil || !bytes.Equal(out.Bytes(), data[:c.size]) {
				t.Errorf("%s: %v, copied %d bytes", c.name, err, out.Len())
			}
		case c.kind != errs.Other && !errs.Is(c.kind, err):
			t.Errorf("%s: got %v, want kind %v", c.name, err, c.kind)
		case c.is != nil && !errors.Is(err, c.is):
			t.Errorf("%s: got %v, want %v", c.name, err, c.is)
		}
	}
}
