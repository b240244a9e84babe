package auth

import (
	"strings"

	"github.com/stratus-drive/stratus/internal/errs"
)

// ErrInsufficientScope is returned when an OAuth-scoped token lacks a scope
// that a route requires.
var ErrInsufficientScope = errs.NewSentinel(errs.Permission, "insufficient scope")

// CheckScope enforces OAuth scopes (90-newer-versions §2.1). Tokens without a
// client ID come from ordinary sign-in and pass every check; scope "" means
// the route needs none; holding "<X>.Write" grants "<X>.Read".
func CheckScope(granted []string, clientID, scope string) error {
	if scope == "" || clientID == "" {
		return nil
	}
	base, isRead := strings.CutSuffix(scope, ".Read")
	for _, s := range granted {
		if s == scope || (isRead && s == base+".Write") {
			return nil
		}
	}
	return errs.E("auth.CheckScope", ErrInsufficientScope, "Insufficient scope: "+scope)
}
