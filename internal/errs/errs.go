// Package errs gives every error in Stratus a Kind, so that the edges (the
// Cloudreve wire table, the WebDAV status table) can translate failures
// without services or drivers ever choosing a protocol code.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
// The list is append-only: edges keep tables indexed by it.
type Kind uint8

// The kinds. Other means "not classified" and maps to an internal error.
const (
	Other           Kind = iota
	Invalid              // the request is malformed or breaks a rule
	NotExist             // the named thing does not exist
	Exist                // the thing already exists
	Permission           // the actor may not do this
	Unauthenticated      // identity is missing or wrong
	Conflict             // state changed underneath the request
	Locked               // a lock held by someone else blocks the request
	Quota                // capacity would be exceeded
	TooLarge             // an input exceeds a size limit
	Expired              // a token, session or link has expired
	Unsupported          // the feature is disabled or not available
	RateLimited          // too many attempts; try again later
	Unavailable          // a dependency is down
	Internal             // a bug or a failure the user cannot fix
)

// Kinds lists every kind, for tables that must cover them all.
var Kinds = []Kind{Other, Invalid, NotExist, Exist, Permission, Unauthenticated,
	Conflict, Locked, Quota, TooLarge, Expired, Unsupported, RateLimited, Unavailable, Internal}

var kindNames = [...]string{"other", "invalid", "not exist", "exist", "permission",
	"unauthenticated", "conflict", "locked", "quota", "too large", "expired",
	"unsupported", "rate limited", "unavailable", "internal"}

// String returns a short lower-case name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is an error with an operation, a kind, an optional user-safe detail and
// an optional cause.
type Error struct {
	Op     string // the operation that failed, e.g. "account.SignUp"
	Kind   Kind
	Detail string // user-safe text; only shown to clients for Invalid errors
	Err    error  // the cause, may be nil
	// Cond is the named condition the error is, when it also keeps a cause
	// (errs.E with a sentinel and another error); errors.Is finds both.
	Cond *Sentinel
}

// E builds an *Error. Arguments are interpreted by type: a Kind sets the kind,
// a string sets Detail, a *Sentinel names the condition, any other error is
// the cause. A sentinel with a cause keeps both (the cause for logs and
// errors.Is, the sentinel for the wire code); never flatten a cause into the
// detail string, which clients may see. When no Kind is given it comes from
// the sentinel, else from the cause.
func E(op string, args ...any) error {
	e := &Error{Op: op}
	for _, a := range args {
		switch v := a.(type) {
		case Kind:
			e.Kind = v
		case string:
			e.Detail = v
		case *Sentinel:
			e.Cond = v
		case error:
			e.Err = v
		case nil:
		default:
			panic(fmt.Sprintf("errs.E: bad argument %T", a))
		}
	}
	if e.Cond != nil && e.Err == nil {
		e.Err, e.Cond = e.Cond, nil // the sentinel is the cause itself
	}
	if e.Kind == Other {
		if e.Cond != nil {
			e.Kind = e.Cond.Kind
		} else if e.Err != nil {
			e.Kind = KindOf(e.Err)
		}
	}
	return e
}

// Is reports whether target is the condition e names besides its cause.
func (e *Error) Is(target error) bool { return e.Cond != nil && target == error(e.Cond) }

// Error renders op: condition: detail: cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Cond != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Cond.Text)
	}
	if e.Detail != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	if b.Len() == 0 {
		return e.Kind.String()
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the outermost classified error in err's chain,
// or Other.
func KindOf(err error) Kind {
	for err != nil {
		var e *Error
		if errors.As(err, &e) {
			if e.Kind != Other {
				return e.Kind
			}
			err = e.Err
			continue
		}
		var s *Sentinel
		if errors.As(err, &s) {
			return s.Kind
		}
		return Other
	}
	return Other
}

// Is reports whether err has the given kind.
func Is(kind Kind, err error) bool { return err != nil && KindOf(err) == kind }

// Sentinel is a named condition that a service exports because Cloudreve gives
// it its own wire code. Compare with errors.Is.
type Sentinel struct {
	Kind Kind
	Text string
}

// NewSentinel declares a sentinel; use it only in package-level vars.
func NewSentinel(kind Kind, text string) *Sentinel { return &Sentinel{Kind: kind, Text: text} }

func (s *Sentinel) Error() string { return s.Text }

// SafeDetailer is an error of the vocabulary whose text is user-safe (a
// validation failure naming the rule broken), so that it may be shown as
// the detail of an error wrapping it.
type SafeDetailer interface {
	SafeDetail() string
}

// Detail returns the outermost user-safe detail in err's chain: a Detail
// string, or the text of a SafeDetailer cause; "" when there is none. The
// text of any other cause (a driver's, the database's) never becomes one.
func Detail(err error) string {
	for err != nil {
		if e, ok := err.(*Error); ok && e.Detail != "" {
			return e.Detail
		}
		if d, ok := err.(SafeDetailer); ok {
			return d.SafeDetail()
		}
		err = errors.Unwrap(err)
	}
	return ""
}

// Batch collects per-item failures of a batch operation, keyed by the item's
// public identifier (a file URI or an object ID).
type Batch map[string]error

// Add records err for key; nil errors are ignored.
func (b Batch) Add(key string, err error) {
	if err != nil {
		b[key] = err
	}
}

// Err returns b as an error, or nil when nothing failed.
func (b Batch) Err() error {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Error lists the failed keys in order.
func (b Batch) Error() string {
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+b[k].Error())
	}
	return "batch: " + strings.Join(parts, "; ")
}
