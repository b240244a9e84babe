package drive

import "time"

// DavAccount is a WebDAV account (80-data-model §2.13): a generated
// password with which its owner signs in to /dav, rooted at URI.
type DavAccount struct {
	ID        int
	CreatedAt time.Time
	UpdatedAt time.Time
	Name      string
	// URI is the account's root, a file URI of fs my or share.
	URI string
	// Password is the generated secret (32 characters of [0-9a-z]).
	Password string
	// Options holds the DavOption bits.
	Options Boolset
	OwnerID int
}

// DavOption is a bit of DavAccount.Options (conventions §8.5).
type DavOption int

// The WebDAV account options.
const (
	DavReadOnly        DavOption = 0
	DavProxy           DavOption = 1
	DavDisableSysFiles DavOption = 2
)

// Has reports whether the account has option o.
func (a *DavAccount) Has(o DavOption) bool { return a.Options.Has(int(o)) }
