// Package all names every storage driver Stratus has. It is the one place
// that imports driver packages, and only the composition root imports it.
package all

import (
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/local"
)

// Registry returns a registry of every driver type.
func Registry() *storage.Registry {
	r := storage.NewRegistry()
	storage.Register(r, "local", local.ParseSettings, local.New)
	return r
}
