// Package captcha issues and checks the CAPTCHAs that guard sign-in, sign-up
// and password-reset requests. The built-in kind is a PNG challenge whose
// answer waits in the shared KV store under a single-use ticket, so any
// Stratus process can check an answer another one issued. The hosted kinds
// (reCAPTCHA, Turnstile, Cap) are checked by asking their verifier over HTTP.
package captcha

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/safedial"
)

// The values of Settings.Type (site setting captcha_type).
const (
	TypeNormal    = "normal"
	TypeTCaptcha  = "tcaptcha" // legacy; checked like TypeNormal
	TypeReCaptcha = "recaptcha"
	TypeTurnstile = "turnstile"
	TypeCap       = "cap"
)

// Mode selects what the built-in image asks for (site setting captcha_mode).
type Mode int

// The modes, numbered as Cloudreve stores them.
const (
	ModeDigits     Mode = 0
	ModeLetters    Mode = 1
	ModeArithmetic Mode = 2
	ModeMixed      Mode = 3 // digits and letters
)

// Default verifier endpoints, used when the corresponding Settings field is
// empty. recaptcha.net rather than google.com because it is reachable from
// networks that block Google.
const (
	DefaultReCaptchaVerifyURL = "https://www.recaptcha.net/recaptcha/api/siteverify"
	DefaultTurnstileVerifyURL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
)

// Image defaults, used when the corresponding Settings field is not positive.
const (
	DefaultWidth  = 240
	DefaultHeight = 60
	DefaultLength = 6
)

// Settings are the captcha_* site settings, already typed by the caller.
// Zero values of Width, Height, Length and the verifier URLs mean the defaults
// above; Mode has no such fallback because 0 (digits) is a real mode.
type Settings struct {
	Type   string // one of the Type constants; "" is TypeNormal
	Width  int    // image width in pixels
	Height int    // image height in pixels
	Mode   Mode
	Length int // characters in the answer; ignored by ModeArithmetic

	// Decorations that make the image harder for a machine to read.
	ShowNoiseDot     bool
	ShowSlimeLine    bool // thin random curves
	ShowSineLine     bool // a wave drawn over the text in a text colour
	ShowHollowLine   bool // a wave in the background colour that cuts the glyphs
	ShowNoiseText    bool // faint small characters behind the text
	ComplexNoiseText int  // 0 low, 1 medium, 2 high (and above)
	ComplexNoiseDot  int  // 0 low, 1 medium, 2 high (and above)

	ReCaptchaSecret    string
	ReCaptchaVerifyURL string
	TurnstileSecret    string
	TurnstileVerifyURL string
	CapInstanceURL     string
	CapSiteKey         string
	CapSecretKey       string
}

// ErrCaptcha reports a CAPTCHA that was missing, wrong, expired, already used
// or rejected by its verifier. Cloudreve gives all of these one code, so the
// cause (if any) is wrapped for logs only.
var ErrCaptcha = errs.NewSentinel(errs.Invalid, "CAPTCHA verification failed")

const (
	keyPrefix    = "captcha_"
	ticketLength = 20
	answerTTL    = 10 * time.Minute
	// verifyTimeout bounds a call to a hosted verifier, so a slow provider
	// cannot hold sign-in requests open.
	verifyTimeout = 5 * time.Second
)

// Service generates image challenges and verifies answers of every type.
// It is safe for concurrent use.
type Service struct {
	store   kv.Store
	client  *http.Client
	timeout time.Duration // per verifier call
	glyphs  glyphCache
	png     pngWriter
}

// New returns a Service that keeps answers in store and calls hosted
// verifiers with client (nil means a client over a safedial dialer that
// refuses every non-public address).
func New(store kv.Store, client *http.Client) *Service {
	if client == nil {
		client = safedial.New(nil).HTTPClient(verifyTimeout)
	}
	return &Service{store: store, client: client, timeout: verifyTimeout}
}

// Challenge is the body of GET /site/captcha.
type Challenge struct {
	Image  string `json:"image"`  // data:image/png;base64,…
	Ticket string `json:"ticket"` // quoted back with the answer
}

// Generate draws a new image challenge and stores its answer under a fresh
// ticket for ten minutes. It does so whatever s.Type is: Cloudreve serves the
// endpoint for every type, and only the client decides whether to show it.
func (sv *Service) Generate(ctx context.Context, s Settings) (Challenge, error) {
	const op = "captcha.Generate"
	text, answer := newQuestion(s.Mode, positiveOr(s.Length, DefaultLength))
	img, err := sv.render(s, text)
	if err != nil {
		return Challenge{}, errs.E(op, errs.Internal, err)
	}
	ticket := randomString(alnum, ticketLength)
	if err := sv.store.Set(ctx, keyPrefix+ticket, []byte(answer), answerTTL); err != nil {
		return Challenge{}, errs.E(op, errs.Unavailable, err)
	}
	return Challenge{Image: img, Ticket: ticket}, nil
}

// Verify checks a client's CAPTCHA according to s.Type and returns nil or an
// error matching ErrCaptcha. For the image types captcha is the user's answer
// and ticket comes from Generate; the ticket is spent by every attempt, right
// or wrong, so an answer cannot be guessed twice. For reCAPTCHA captcha is the
// token; for Turnstile and Cap ticket is the token. A failing KV store is
// reported as errs.Unavailable instead: it is our outage, not a wrong answer.
func (sv *Service) Verify(ctx context.Context, s Settings, captcha, ticket string) error {
	const op = "captcha.Verify"
	switch s.Type {
	case "", TypeNormal, TypeTCaptcha:
		return sv.checkAnswer(ctx, op, captcha, ticket)
	case TypeReCaptcha:
		return sv.siteverifyForm(ctx, op, orDefault(s.ReCaptchaVerifyURL, DefaultReCaptchaVerifyURL), s.ReCaptchaSecret, captcha)
	case TypeTurnstile:
		return sv.siteverifyForm(ctx, op, orDefault(s.TurnstileVerifyURL, DefaultTurnstileVerifyURL), s.TurnstileSecret, ticket)
	case TypeCap:
		return sv.capVerify(ctx, op, s, ticket)
	}
	return fail(op, fmt.Errorf("unknown captcha type %q", s.Type))
}

func (sv *Service) checkAnswer(ctx context.Context, op, captcha, ticket string) error {
	if len(ticket) != ticketLength { // not ours; spare the KV store a lookup
		return fail(op, fmt.Errorf("malformed ticket"))
	}
	want, ok, err := sv.store.Take(ctx, keyPrefix+ticket)
	if err != nil {
		return errs.E(op, errs.Unavailable, err)
	}
	if !ok {
		return fail(op, fmt.Errorf("unknown or expired ticket"))
	}
	// Constant time so response timing does not reveal how much of a guess
	// matched; the answer's length is no secret.
	if subtle.ConstantTimeCompare(foldASCII(want), foldASCII([]byte(captcha))) != 1 {
		return fail(op, nil)
	}
	return nil
}

// fail builds an ErrCaptcha error that keeps cause for the logs.
func fail(op string, cause error) error {
	if cause == nil {
		return errs.E(op, ErrCaptcha)
	}
	return errs.E(op, fmt.Errorf("%w: %w", ErrCaptcha, cause))
}

// foldASCII lower-cases ASCII letters only: answers are ASCII, and full
// Unicode folding would accept look-alikes such as the Kelvin sign for "k".
func foldASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
