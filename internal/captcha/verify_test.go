package captcha

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/safedial"
)

const (
	goodToken = "good-token"
	secret    = "s3cret"
)

// fakeVerifier is a siteverify endpoint that accepts goodToken with secret
// and records what it was sent. jsonBody selects Cap's JSON request format
// over the form used by reCAPTCHA and Turnstile.
type fakeVerifier struct {
	*httptest.Server
	jsonBody bool
	path     string // expected request path
	calls    atomic.Int32
}

func newFakeVerifier(t *testing.T, jsonBody bool, path string) *fakeVerifier {
	f := &fakeVerifier{jsonBody: jsonBody, path: path}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve(t)))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeVerifier) serve(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		if r.Method != http.MethodPost {
			t.Errorf("verifier got %s, want POST", r.Method)
		}
		if r.URL.Path != f.path { // e.g. a Cap site key that does not exist
			http.NotFound(w, r)
			return
		}
		var got struct{ Secret, Response string }
		if f.jsonBody {
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
				t.Errorf("body: %v", err)
			}
		} else {
			got.Secret, got.Response = r.PostFormValue("secret"), r.PostFormValue("response")
		}
		ok := got.Secret == secret && got.Response == goodToken
		fmt.Fprintf(w, `{"success":%t,"error-codes":[]}`, ok)
	}
}

func TestVerifyHosted(t *testing.T) {
	form := newFakeVerifier(t, false, "/siteverify")
	capSrv := newFakeVerifier(t, true, "/site-key/siteverify")
	recaptcha := Settings{Type: TypeReCaptcha, ReCaptchaSecret: secret, ReCaptchaVerifyURL: form.URL + "/siteverify"}
	turnstile := Settings{Type: TypeTurnstile, TurnstileSecret: secret, TurnstileVerifyURL: form.URL + "/siteverify"}
	capSet := Settings{Type: TypeCap, CapInstanceURL: capSrv.URL, CapSiteKey: "site-key", CapSecretKey: secret}
	with := func(s Settings, edit func(*Settings)) Settings { edit(&s); return s }

	tests := []struct {
		name           string
		s              Settings
		captcha, token string
		ok             bool
	}{
		// reCAPTCHA sends its token as captcha; the others as ticket.
		{"recaptcha ok", recaptcha, goodToken, "", true},
		{"recaptcha rejected", recaptcha, "bad-token", "", false},
		{"recaptcha token in ticket", recaptcha, "", goodToken, false},
		{"recaptcha wrong secret", with(recaptcha, func(s *Settings) { s.ReCaptchaSecret = "x" }), goodToken, "", false},
		{"turnstile ok", turnstile, "", goodToken, true},
		{"turnstile rejected", turnstile, "", "bad-token", false},
		{"turnstile token in captcha", turnstile, goodToken, "", false},
		{"cap ok", capSet, "", goodToken, true},
		{"cap instance with slash", with(capSet, func(s *Settings) { s.CapInstanceURL += "/" }), "", goodToken, true},
		{"cap rejected", capSet, "", "bad-token", false},
		{"cap wrong secret", with(capSet, func(s *Settings) { s.CapSecretKey = "x" }), "", goodToken, false},
		{"cap wrong site key", with(capSet, func(s *Settings) { s.CapSiteKey = "other" }), "", goodToken, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := newLoopbackService().Verify(context.Background(), tt.s, tt.captcha, tt.token)
			if tt.ok && err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !tt.ok {
				wantCaptchaErr(t, err)
			}
		})
	}
}

func TestCapMisconfigured(t *testing.T) {
	srv := newFakeVerifier(t, true, "/k/siteverify")
	full := Settings{Type: TypeCap, CapInstanceURL: srv.URL, CapSiteKey: "k", CapSecretKey: secret}
	for name, edit := range map[string]func(*Settings){
		"no instance":   func(s *Settings) { s.CapInstanceURL = "" },
		"no site key":   func(s *Settings) { s.CapSiteKey = "" },
		"no secret key": func(s *Settings) { s.CapSecretKey = "" },
	} {
		t.Run(name, func(t *testing.T) {
			s := full
			edit(&s)
			wantCaptchaErr(t, newLoopbackService().Verify(context.Background(), s, "", goodToken))
		})
	}
	if n := srv.calls.Load(); n != 0 {
		t.Errorf("misconfigured Cap still called the instance %d times", n)
	}
}

func TestVerifierFailures(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"server error", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, `{"success":true}`, http.StatusInternalServerError)
		}},
		{"not JSON", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "<html>") }},
		{"success missing", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{}`) }},
		{"success not bool", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"success":"true"}`) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			s := Settings{Type: TypeTurnstile, TurnstileSecret: secret, TurnstileVerifyURL: srv.URL}
			wantCaptchaErr(t, newLoopbackService().Verify(context.Background(), s, "", goodToken))
		})
	}
}

func TestVerifierUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens on its address now
	s := Settings{Type: TypeReCaptcha, ReCaptchaSecret: secret, ReCaptchaVerifyURL: srv.URL}
	err := newLoopbackService().Verify(context.Background(), s, goodToken, "")
	wantCaptchaErr(t, err)
	var netErr interface{ Timeout() bool }
	if !errors.As(err, &netErr) {
		t.Errorf("cause lost: %v", err)
	}
}

func TestVerifierTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server notices a client hanging up only once the body is read.
		io.Copy(io.Discard, r.Body)
		select { // hang until the client gives up or the test ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	sv := newLoopbackService()
	sv.timeout = 50 * time.Millisecond
	s := Settings{Type: TypeCap, CapInstanceURL: srv.URL, CapSiteKey: "k", CapSecretKey: secret}

	start := time.Now()
	err := sv.Verify(context.Background(), s, "", goodToken)
	wantCaptchaErr(t, err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline as cause", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Verify took %v with a 50ms timeout", d)
	}
}

// recordingTransport answers every request itself, so default endpoints can
// be checked without leaving the machine.
type recordingTransport struct{ urls []string }

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.urls = append(rt.urls, r.URL.String())
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Request: r,
		Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"success":false}`)),
	}, nil
}

func TestDefaultVerifyURLs(t *testing.T) {
	rt := &recordingTransport{}
	sv := New(newFakeKV(), &http.Client{Transport: rt})
	ctx := context.Background()
	sv.Verify(ctx, Settings{Type: TypeReCaptcha}, goodToken, "")
	sv.Verify(ctx, Settings{Type: TypeTurnstile}, "", goodToken)
	want := []string{DefaultReCaptchaVerifyURL, DefaultTurnstileVerifyURL}
	if fmt.Sprint(rt.urls) != fmt.Sprint(want) {
		t.Errorf("requests went to %v, want %v", rt.urls, want)
	}
}

func TestEmptyTokenSkipsVerifier(t *testing.T) {
	srv := newFakeVerifier(t, false, "/")
	for _, s := range []Settings{
		{Type: TypeReCaptcha, ReCaptchaVerifyURL: srv.URL},
		{Type: TypeTurnstile, TurnstileVerifyURL: srv.URL},
		{Type: TypeCap, CapInstanceURL: srv.URL, CapSiteKey: "k", CapSecretKey: secret},
	} {
		wantCaptchaErr(t, newLoopbackService().Verify(context.Background(), s, "", ""))
	}
	if n := srv.calls.Load(); n != 0 {
		t.Errorf("empty tokens reached the verifier %d times", n)
	}
}

// newLoopbackService is a service whose verifier client may reach the test
// servers on loopback, which the default client refuses.
func newLoopbackService() *Service {
	allow := safedial.New(func() safedial.Policy { return safedial.Policy{AllowPrivate: true} })
	return New(newFakeKV(), allow.HTTPClient(verifyTimeout))
}

// TestDefaultClientRefusesLoopback: without a client of its own the
// service never reaches a verifier on a non-public address.
func TestDefaultClientRefusesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the verifier was reached")
	}))
	defer srv.Close()
	s := Settings{Type: TypeTurnstile, TurnstileSecret: "secret", TurnstileVerifyURL: srv.URL + "/siteverify"}
	err := New(newFakeKV(), nil).Verify(context.Background(), s, "", "good")
	if !errors.Is(err, safedial.ErrRefused) {
		t.Fatalf("err = %v, want a refused dial", err)
	}
}
