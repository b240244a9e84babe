package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

var signKey = []byte("secret")

func TestSignVectors(t *testing.T) {
	// Computed independently with Python's hmac and urlsafe_b64encode.
	tests := []struct {
		body    string
		expires int64
		want    string
	}{
		{"/api/v4/user/activate/dPhJ", 1700000000, "Y4Hyb8Jeq4M14fEyoNN4Z7f0BKJ2iKWZQs5KQXn_jtA=:1700000000"},
		{"/", 0, "BMjQF5rU3FZtxRuI9oO62FurBOtzwA_-RzVs5Hu8bJM=:0"},
	}
	for _, tt := range tests {
		if got := Sign(signKey, tt.body, tt.expires); got != tt.want {
			t.Errorf("Sign(%q, %d) = %q, want %q", tt.body, tt.expires, got, tt.want)
		}
	}
}

func TestSignURL(t *testing.T) {
	u, _ := url.Parse("https://drive.example/api/v4/file/content/x?download=true")
	s := SignURL(signKey, u, testNow.Add(time.Hour))
	if u.Query().Has("sign") {
		t.Error("SignURL modified its argument")
	}
	if s.Query().Get("download") != "true" {
		t.Errorf("SignURL dropped the query: %v", s)
	}
	if err := VerifyURL(signKey, s, testNow); err != nil {
		t.Errorf("VerifyURL(SignURL) = %v", err)
	}
	if never := SignURL(signKey, u, time.Time{}); !strings.HasSuffix(never.Query().Get("sign"), ":0") {
		t.Errorf("zero expiry signed as %q, want :0", never.Query().Get("sign"))
	}
}

func TestVerifyURL(t *testing.T) {
	const path = "/api/v4/user/activate/dPhJ"
	exp := testNow.Unix() + 60
	good := Sign(signKey, path, exp)
	mac, _, _ := strings.Cut(good, ":")
	tests := []struct {
		name string
		url  string // sign is appended as given
		sign string
		now  time.Time
		key  []byte
		want error // nil: valid
	}{
		{"valid", path, good, testNow, signKey, nil},
		{"valid at expiry", path, good, time.Unix(exp, 0), signKey, nil},
		{"never expires", path, Sign(signKey, path, 0), testNow.Add(1000 * 24 * time.Hour), signKey, nil},
		{"empty path is /", "", Sign(signKey, "/", exp), testNow, signKey, nil},
		{"/ for empty path", "/", Sign(signKey, "", exp), testNow, signKey, ErrSignatureInvalid},
		{"other query ignored", path + "?x=1", good, testNow, signKey, nil},
		{"expired", path, good, time.Unix(exp+1, 0), signKey, ErrSignatureExpired},
		{"missing", path, "", testNow, signKey, ErrSignatureMissing},
		{"no expiry part", path, mac, testNow, signKey, ErrSignatureMissing},
		{"other path", path + "x", good, testNow, signKey, ErrSignatureInvalid},
		{"wrong key", path, good, testNow, []byte("other"), ErrSignatureInvalid},
		{"extended expiry", path, mac + ":" + "1900000000", testNow, signKey, ErrSignatureInvalid},
		{"extended to never", path, mac + ":0", testNow, signKey, ErrSignatureInvalid},
		// MAC first: a forged expiry is invalid, not merely expired.
		{"forged and expired", path, mac + ":1", testNow, signKey, ErrSignatureInvalid},
		{"expiry not a number", path, mac + ":soon", testNow, signKey, ErrSignatureInvalid},
		{"expiry leading zero", path, mac + ":0" + good[len(mac)+1:], testNow, signKey, ErrSignatureInvalid},
		{"expiry plus sign", path, mac + ":+" + good[len(mac)+1:], testNow, signKey, ErrSignatureInvalid},
		{"negative expiry", path, Sign(signKey, path, -1), testNow, signKey, ErrSignatureInvalid},
		{"mac without padding", path, strings.TrimRight(mac, "=") + good[len(mac):], testNow, signKey, ErrSignatureInvalid},
		{"mac flipped", path, flip(mac, 4) + good[len(mac):], testNow, signKey, ErrSignatureInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse("https://drive.example" + tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if tt.sign != "" {
				q := u.Query()
				q.Set("sign", tt.sign)
				u.RawQuery = q.Encode()
			}
			err = VerifyURL(tt.key, u, tt.now)
			if tt.want == nil {
				if err != nil {
					t.Errorf("VerifyURL = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("VerifyURL = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignatureKinds(t *testing.T) {
	for s, k := range map[error]errs.Kind{
		ErrSignatureMissing: errs.Permission,
		ErrSignatureExpired: errs.Expired,
		ErrSignatureInvalid: errs.Permission,
	} {
		if got := errs.KindOf(errs.E("op", s)); got != k {
			t.Errorf("%v: kind %v, want %v", s, got, k)
		}
	}
}

func newSignedRequest() (*http.Request, string) {
	body := `{"a":"<b>"}`
	r := httptest.NewRequest(http.MethodPost, "http://slave.example/api/v4/slave/upload/abc?chunk=1", strings.NewReader(body))
	r.Header.Set("X-Cr-Policy", "p1")
	r.Header.Set("X-Cr-Path", "/a&b")
	r.Header.Set("X-Cr-Filename", "f.txt")
	r.Header.Set("Content-Type", "application/json")
	return r, body
}

func TestRequestContent(t *testing.T) {
	r, body := newSignedRequest()
	want := `{"Path":"/api/v4/slave/upload/abc","Header":"X-Cr-Path=/a\u0026b\u0026X-Cr-Policy=p1","Body":"{\"a\":\"\u003cb\u003e\"}"}`
	if got := requestContent(r, body); got != want {
		t.Errorf("requestContent =\n%s\nwant\n%s", got, want)
	}
	// Independent vector (Python hmac) over the string above with expiry 0.
	SignRequest(signKey, r, body, time.Time{})
	if got, want := r.Header.Get("Authorization"), "Bearer Cr Vv6b5N84T5yh2HgkIQzFIGpyGqhlW7XtU4rCXjT1nE0=:0"; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
}

func TestVerifyRequest(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *http.Request, body *string)
		now    time.Time
		want   error
	}{
		{"valid", func(*http.Request, *string) {}, testNow, nil},
		{"filename not covered", func(r *http.Request, _ *string) { r.Header.Set("X-Cr-Filename", "g.txt") }, testNow, nil},
		{"other headers not covered", func(r *http.Request, _ *string) { r.Header.Set("Content-Type", "text/plain") }, testNow, nil},
		{"query not covered", func(r *http.Request, _ *string) { r.URL.RawQuery = "chunk=2" }, testNow, nil},
		{"X-Cr header changed", func(r *http.Request, _ *string) { r.Header.Set("X-Cr-Path", "/c") }, testNow, ErrSignatureInvalid},
		{"X-Cr header added", func(r *http.Request, _ *string) { r.Header.Set("X-Cr-Extra", "1") }, testNow, ErrSignatureInvalid},
		{"X-Cr header removed", func(r *http.Request, _ *string) { r.Header.Del("X-Cr-Policy") }, testNow, ErrSignatureInvalid},
		{"path changed", func(r *http.Request, _ *string) { r.URL.Path = "/api/v4/slave/upload/abd" }, testNow, ErrSignatureInvalid},
		{"body changed", func(_ *http.Request, b *string) { *b = `{"a":"c"}` }, testNow, ErrSignatureInvalid},
		{"body left out", func(_ *http.Request, b *string) { *b = "" }, testNow, ErrSignatureInvalid},
		{"expired", func(*http.Request, *string) {}, testNow.Add(time.Hour + time.Second), ErrSignatureExpired},
		{"no header", func(r *http.Request, _ *string) { r.Header.Del("Authorization") }, testNow, ErrSignatureMissing},
		{"JWT bearer", func(r *http.Request, _ *string) { r.Header.Set("Authorization", "Bearer eyJ.x.y") }, testNow, ErrSignatureMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body := newSignedRequest()
			SignRequest(signKey, r, body, testNow.Add(time.Hour))
			tt.change(r, &body)
			err := VerifyRequest(signKey, r, body, tt.now)
			if tt.want == nil {
				if err != nil {
					t.Errorf("VerifyRequest = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("VerifyRequest = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzVerifyURL checks that verification never panics on any sign value and
// accepts only the one correct signature.
// Seeds are in testdata/fuzz/FuzzVerifyURL.
func FuzzVerifyURL(f *testing.F) {
	const path = "/api/v4/file/content/x"
	good := Sign(signKey, path, 0)
	f.Fuzz(func(t *testing.T, sign string) {
		u := &url.URL{Path: path, RawQuery: url.Values{"sign": {sign}}.Encode()}
		err := VerifyURL(signKey, u, testNow)
		if err == nil && sign != good {
			t.Errorf("VerifyURL accepted sign %q", sign)
		}
	})
}
