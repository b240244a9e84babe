// Package wire is the Cloudreve v4 wire format: the JSON envelope, the error
// code table, boolsets, request decoding limits and the request-scoped values
// (actor, correlation ID) that middleware hands to handlers. It is the only
// package that knows envelope codes.
package wire

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/drive"
)

// Response is the JSON envelope (conventions §4). Data is omitted only when it
// is a nil interface; an empty string is emitted.
type Response struct {
	Code            Code                `json:"code"`
	Data            any                 `json:"data,omitempty"`
	Msg             string              `json:"msg"`
	Error           string              `json:"error,omitempty"`
	CorrelationID   string              `json:"correlation_id,omitempty"`
	AggregatedError map[string]Response `json:"aggregated_error,omitempty"`
}

// Reply lets a handler answer with a non-zero code that is not a failure,
// such as 203 "continue" on sign-in with 2FA.
type Reply struct {
	Code Code
	Data any
}

// Written is returned by a handler that wrote its own response (a redirect,
// say) instead of an envelope.
var Written = &struct{ written bool }{true}

// HandlerFunc is the shape of every JSON API handler: it returns the payload
// for the envelope's data field (nil for none) or an error.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) (any, error)

// Options configures the adapters.
type Options struct {
	Debug bool // include internal error text in the "error" field
	Log   *slog.Logger
}

// Handle adapts a HandlerFunc: it writes the success envelope or maps the
// error through the one error table.
func (o Options) Handle(fn HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := fn(w, r)
		if err != nil {
			o.WriteError(w, r, err)
			return
		}
		if data == Written {
			return
		}
		if rep, ok := data.(Reply); ok {
			WriteJSON(w, Response{Code: rep.Code, Data: rep.Data})
			return
		}
		WriteJSON(w, Response{Data: data})
	})
}

// HandleRaw adapts a handler that writes its own body on success (binary
// content, redirects); only its errors are written as envelopes.
func (o Options) HandleRaw(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			o.WriteError(w, r, err)
		}
	})
}

// WriteError writes err as an envelope and logs what the client does not see.
func (o Options) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	resp := ErrorResponse(err, CorrelationID(r.Context()), o.Debug)
	o.logError(r, resp.Code, err)
	WriteJSON(w, resp)
}

// logError logs a failed request: server-side failures (5xxxx, and the
// contract's -1 class) as errors, refusals at debug level; nothing without
// a logger.
func (o Options) logError(r *http.Request, code Code, err error) {
	if o.Log == nil {
		return
	}
	if code >= 50000 || code == -1 {
		o.logger(r).Error("request failed", "code", code, "err", err)
	} else {
		o.logger(r).Debug("request refused", "code", code, "err", err)
	}
}

func (o Options) logger(r *http.Request) *slog.Logger {
	return o.Log.With("correlation_id", CorrelationID(r.Context()), "path", r.URL.Path)
}

// WriteJSON writes v with HTTP 200, the status every envelope uses.
func WriteJSON(w http.ResponseWriter, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client is gone if this fails; nothing left to tell it
}

type ctxKey int

const (
	correlationKey ctxKey = iota
	actorKey
)

// WithCorrelationID returns a request context carrying id. The ID is the
// inbound X-Cr-Correlation-Id when that is a valid UUID, else a new one.
func WithCorrelationID(r *http.Request) (*http.Request, string) {
	id := r.Header.Get("X-Cr-Correlation-Id")
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		id = uuid.NewString()
	}
	return r.WithContext(context.WithValue(r.Context(), correlationKey, id)), id
}

// CorrelationID returns the request's correlation ID, or "".
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationKey).(string)
	return id
}

// WithActor stores the resolved actor for handlers.
func WithActor(ctx context.Context, a drive.Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// Actor returns the actor that the auth middleware resolved for r. A request
// that never went through the middleware has a zero Actor (no user).
func Actor(r *http.Request) drive.Actor {
	a, _ := r.Context().Value(actorKey).(drive.Actor)
	return a
}
