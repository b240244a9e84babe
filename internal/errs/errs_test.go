package errs

import (
	"errors"
	"fmt"
	"testing"
)

var errTestSentinel = NewSentinel(Quota, "insufficient capacity")

func TestKindOf(t *testing.T) {
	base := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, Other},
		{"plain", base, Other},
		{"explicit", E("op", NotExist, base), NotExist},
		{"inherited", E("outer", E("inner", Permission)), Permission},
		{"outer wins", E("outer", Invalid, E("inner", Permission)), Invalid},
		{"sentinel", E("op", errTestSentinel), Quota},
		{"wrapped sentinel", fmt.Errorf("ctx: %w", errTestSentinel), Quota},
		{"fmt wrapped E", fmt.Errorf("x: %w", E("op", Locked)), Locked},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.want {
			t.Errorf("%s: KindOf = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !errors.Is(E("a", E("b", errTestSentinel)), errTestSentinel) {
		t.Error("sentinel lost through E chain")
	}
}

func TestErrorText(t *testing.T) {
	err := E("account.SignUp", Invalid, "Email format error", errors.New("no @"))
	if got, want := err.Error(), "account.SignUp: Email format error: no @"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := Detail(fmt.Errorf("w: %w", err)); got != "Email format error" {
		t.Errorf("Detail = %q", got)
	}
}

func TestBatch(t *testing.T) {
	b := Batch{}
	b.Add("ok", nil)
	if b.Err() != nil {
		t.Fatal("empty batch must be nil")
	}
	b.Add("cloudreve://my/a", E("op", NotExist))
	var got Batch
	if !errors.As(b.Err(), &got) || len(got) != 1 {
		t.Fatalf("Batch not recoverable: %v", b.Err())
	}
}

func TestKindNamesCoverKinds(t *testing.T) {
	for _, k := range Kinds {
		if k.String() == fmt.Sprintf("kind(%d)", k) {
			t.Errorf("kind %d has no name", k)
		}
	}
	if len(Kinds) != len(kindNames) {
		t.Errorf("Kinds has %d entries, names %d", len(Kinds), len(kindNames))
	}
}

// safeErr is a vocabulary error whose text is user-safe.
type safeErr struct{}

func (safeErr) Error() string      { return "invalid name: too long" }
func (safeErr) SafeDetail() string { return "invalid name: too long" }

// TestCauseKept: a sentinel with a cause keeps both for errors.Is, takes the
// sentinel's kind, and shows only user-safe text as its detail.
func TestCauseKept(t *testing.T) {
	cond := NewSentinel(NotExist, "parent not exist")
	driver := errors.New(`pq: relation "files" does not exist`)
	cause := E("store.FileByID", Internal, driver)
	err := E("files.Create", cond, cause)
	if !errors.Is(err, cond) || !errors.Is(err, driver) {
		t.Errorf("errors.Is lost the condition or the cause: %v", err)
	}
	if KindOf(err) != NotExist {
		t.Errorf("kind %v, want the sentinel's", KindOf(err))
	}
	if got := err.Error(); got != `files.Create: parent not exist: store.FileByID: pq: relation "files" does not exist` {
		t.Errorf("text %q", got)
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{E("op", Invalid, driver), ""},
		{E("op", Invalid, cause), ""},
		{E("op", cond, driver), ""},
		{fmt.Errorf("wrapped: %w", E("op", Invalid, driver)), ""},
		{E("op", Invalid, safeErr{}), "invalid name: too long"},
		{E("outer", E("op", Invalid, safeErr{})), "invalid name: too long"},
		{E("op", Invalid, "name too long", driver), "name too long"},
	} {
		if got := Detail(c.err); got != c.want {
			t.Errorf("Detail(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	// A sentinel alone is still the cause, as before.
	if e := E("op", cond).(*Error); e.Err != cond || e.Cond != nil {
		t.Errorf("a lone sentinel: %+v", e)
	}
}
