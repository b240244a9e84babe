package drive

// Actor is who performs a service call: the signed-in (or anonymous) user
// with the group loaded, plus the OAuth scopes of the token, if any.
type Actor struct {
	User *User
	// Scopes is nil for ordinary sign-in tokens, which pass every scope check.
	Scopes []string
	// ClientID is the OAuth client of a scoped token.
	ClientID string
	// IP and RequestID say where the call came from, for the audit log.
	IP        string
	RequestID string
}

// IsAnonymous reports whether the actor is signed out.
func (a Actor) IsAnonymous() bool { return a.User.IsAnonymous() }

// Group returns the actor's group, never nil for a resolved actor.
func (a Actor) Group() *Group {
	if a.User == nil {
		return nil
	}
	return a.User.Group
}

// Can reports whether the actor's group holds permission p.
func (a Actor) Can(p GroupPermission) bool { return a.Group().Has(p) }

// IsAdmin reports whether the actor is an administrator.
func (a Actor) IsAdmin() bool { return !a.IsAnonymous() && a.Can(PermAdmin) }
