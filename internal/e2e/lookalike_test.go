package e2e

import (
	"net/url"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// TestLookAlikes: sign-up folds or refuses e-mails that only look like an
// existing one, and nicknames and file names refuse characters that hide
// or reorder text.
func TestLookAlikes(t *testing.T) {
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		c := env.Client()
		alice, _ := c.NewUser(t, "alice@example.com")
		const pw = "look alike pw"
		for _, tc := range []struct {
			email string
			code  int
		}{
			{"alice@exаmple.com", 40001},       // Cyrillic а
			{"аlice@example.com", 40001},       // Cyrillic а in the local part
			{"al\u200bice@example.com", 40001}, // zero-width space
			{"alice\u202e@example.com", 40001}, // right-to-left override
			{"ａｌｉｃｅ@example.com", 40032},       // full-width: the same address, taken
			{"ALICE@EXAMPLE.COM", 40032},
		} {
			c.ExpectCode(t, tc.code, "POST", "/user", map[string]string{"email": tc.email, "password": pw})
		}
		// A domain in one other script is an address of its own, stored and
		// shown in its xn-- form.
		var u map[string]any
		c.OK(t, "POST", "/user", map[string]string{"email": "alice@пример.рф", "password": pw}).Decode(t, &u)
		other, _ := c.SignIn(t, "alice@пример.рф", pw)
		var me map[string]any
		other.OK(t, "GET", "/user/me", nil).Decode(t, &me)
		if me["email"] != "alice@xn--e1afmkfd.xn--p1ai" {
			t.Errorf("stored e-mail %v; want the IDNA ASCII form", me["email"])
		}

		alice.ExpectCode(t, 40001, "PATCH", "/user/setting", map[string]string{"nick": "ali\u202ece"})
		alice.ExpectCode(t, 40001, "PATCH", "/user/setting", map[string]string{"nick": "ali\u200bce"})
		alice.OK(t, "PATCH", "/user/setting", map[string]string{"nick": "Alice 👩\u200d💻"})

		for _, name := range []string{"invoice\u202efdp.exe", "a\u200bb.txt", "x\u2067y"} {
			alice.ExpectCode(t, 40052, "POST", "/file/create",
				map[string]any{"uri": "cloudreve://my/" + url.PathEscape(name), "type": "file"})
		}
	})
}
