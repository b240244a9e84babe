package wire

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
)

func TestDecode(t *testing.T) {
	type body struct {
		Email string `json:"email"`
		Count int    `json:"count"`
	}
	tests := []struct {
		name, in string
		detail   string
	}{
		{"ok", `{"email":"a@b.c","count":1,"unknown":true}`, ""},
		{"type mismatch", `{"count":"one"}`, "JSON marshall error"},
		{"truncated", `{"email":`, "Parameter error"},
		{"empty", ``, "Parameter error"},
		{"too large", `{"email":"` + strings.Repeat("x", MaxJSONBody) + `"}`, "Request body too large"},
	}
	for _, tt := range tests {
		var b body
		err := Decode(httptest.NewRequest("POST", "/", strings.NewReader(tt.in)), &b)
		if tt.detail == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errs.Is(errs.Invalid, err) || errs.Detail(err) != tt.detail {
			t.Errorf("%s: err = %v, want Invalid %q", tt.name, err, tt.detail)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		run  func(c *Check)
		want string
	}{
		{func(c *Check) { c.Required("Email", "") }, "Email cannot be empty"},
		{func(c *Check) { c.Len("Password", "abc", 4, 128) }, "Password too short"},
		{func(c *Check) { c.Len("Password", strings.Repeat("é", 129), 4, 128) }, "Password too long"},
		{func(c *Check) { c.Email("Email", "a@") }, "Email format error"},
		{func(c *Check) { c.Required("Email", "").Len("Password", "x", 4, 8) }, "Email cannot be empty"},
		{func(c *Check) { c.Required("Email", "a@b.c").Email("Email", "a@b.c").Len("Password", "abcd", 4, 8) }, ""},
	}
	for i, tt := range tests {
		var c Check
		tt.run(&c)
		if got := errs.Detail(c.Err()); got != tt.want {
			t.Errorf("case %d: %q, want %q", i, got, tt.want)
		}
	}
}
