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
