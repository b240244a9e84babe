package storage

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Env is what drivers may take from the host that builds them.
type Env struct {
	// DataDir is the server's data directory, against which drivers resolve
	// relative local paths.
	DataDir string
}

// Registry maps storage-policy types ("local", "s3", …) to driver
// constructors. It is built explicitly by one function (storage/all) and is
// read-only afterwards, so it is safe for concurrent New calls.
type Registry struct {
	factories map[string]func(json.RawMessage, Env) (Driver, error)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{factories: map[string]func(json.RawMessage, Env) (Driver, error){}}
}

// Register adds the driver type typ to r. parse validates a policy's settings
// JSON into the driver's typed settings S (errs.Invalid on bad input);
// newDriver builds a driver from them. Registering a type twice panics: it is
// a programming error.
func Register[S any, D Driver](r *Registry, typ string, parse func(json.RawMessage) (S, error), newDriver func(S, Env) (D, error)) {
	if _, dup := r.factories[typ]; dup {
		panic(fmt.Sprintf("storage: driver type %q registered twice", typ))
	}
	r.factories[typ] = func(raw json.RawMessage, env Env) (Driver, error) {
		s, err := parse(raw)
		if err != nil {
			return nil, err
		}
		d, err := newDriver(s, env)
		if err != nil {
			return nil, err // not d: a typed nil would be a non-nil Driver
		}
		return d, nil
	}
}

// New builds a driver of type typ from its settings JSON. An unknown type is
// errs.Unsupported; invalid settings are errs.Invalid.
func (r *Registry) New(typ string, settings json.RawMessage, env Env) (Driver, error) {
	const op = "storage.New"
	f, ok := r.factories[typ]
	if !ok {
		return nil, errs.E(op, errs.Unsupported, fmt.Sprintf("unknown storage driver type %q", typ))
	}
	d, err := f(settings, env)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return d, nil
}

// Types lists the registered driver types in order.
func (r *Registry) Types() []string {
	types := make([]string, 0, len(r.factories))
	for t := range r.factories {
		types = append(types, t)
	}
	sort.Strings(types)
	return types
}
