package wire

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// MaxJSONBody bounds every JSON request body; no JSON endpoint of the
// contract needs more (batch requests of max_batched_file URIs fit easily).
const MaxJSONBody = 4 << 20

// Validation problems that the contract spells out (conventions §3).
var (
	errJSONType = errs.E("wire.Decode", errs.Invalid, "JSON marshall error")
	errParam    = errs.E("wire.Decode", errs.Invalid, "Parameter error")
	errTooLarge = errs.E("wire.Decode", errs.Invalid, "Request body too large")
)

// Decode reads a JSON body into v with a size limit. Unknown fields are
// ignored, as Cloudreve does. A body whose Content-Length is already over
// the limit is refused before a byte is read: a client that sent
// "Expect: 100-continue" then gets the envelope instead of a go-ahead, and
// never sends the body the server would have to cut off.
func Decode(r *http.Request, v any) error {
	if r.ContentLength > MaxJSONBody {
		return errTooLarge
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxJSONBody))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var maxErr *http.MaxBytesError
		switch {
		case errors.As(err, &maxErr):
			return errTooLarge
		case errors.As(err, &typeErr):
			return errJSONType
		case errors.Is(err, io.EOF):
			return errParam
		default:
			return errParam
		}
	}
	return nil
}

// Check collects field validation failures in Cloudreve's "<Field> <reason>"
// form; the first failure is reported.
type Check struct{ err error }

// Err returns the first failure, or nil.
func (c *Check) Err() error { return c.err }

func (c *Check) fail(field, reason string) {
	if c.err == nil {
		c.err = errs.E("wire.Check", errs.Invalid, field+" "+reason)
	}
}

// Required fails when s is empty.
func (c *Check) Required(field, s string) *Check {
	if s == "" {
		c.fail(field, "cannot be empty")
	}
	return c
}

// Len fails when s (if non-empty) has fewer than min or more than max
// characters. It also refuses invalid UTF-8.
func (c *Check) Len(field, s string, min, max int) *Check {
	if s == "" {
		return c
	}
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		c.fail(field, "format error")
	case n < min:
		c.fail(field, "too short")
	case max > 0 && n > max:
		c.fail(field, "too long")
	}
	return c
}

// Email fails when s (if non-empty) is not a plain addr-spec e-mail address.
func (c *Check) Email(field, s string) *Check {
	if s != "" && !drive.IsEmail(s) {
		c.fail(field, "format error")
	}
	return c
}

// QueryBool reads a boolean query parameter with Go ParseBool semantics;
// absent or unparsable is false.
func QueryBool(r *http.Request, name string) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return b
}
