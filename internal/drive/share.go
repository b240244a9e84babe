package drive

import "time"

// Share is a share link row (80-data-model §2.8): one file or folder of its
// owner, reachable by anyone the share filesystem lets in.
type Share struct {
	ID        int
	CreatedAt time.Time
	UpdatedAt time.Time
	// Password is the plain-text share password; "" means none.
	Password string
	// Views counts visits (share info with count_views).
	Views int
	// Downloads counts issued download URLs.
	Downloads int
	// RemainDownloads is the download budget left; UnlimitedDownloads
	// (negative) means no budget.
	RemainDownloads int
	// Expires is when the link stops working; the zero time means never.
	Expires time.Time
	Props   ShareProps
	FileID  int
	OwnerID int
}

// UnlimitedDownloads is Share.RemainDownloads of a share without a budget.
const UnlimitedDownloads = -1

// ShareProps are the options kept in a share's props document.
type ShareProps struct {
	// ShareView exposes the owner's folder view settings to visitors.
	ShareView bool `json:"share_view,omitempty"`
	// ShowReadMe hints clients to open the shared folder's readme.
	ShowReadMe bool `json:"show_read_me,omitempty"`
}

// HasPassword reports whether the share is protected by a password.
func (s *Share) HasPassword() bool { return s.Password != "" }

// Usable reports whether the share itself (expiry and download budget, not
// its target) still allows access at t.
func (s *Share) Usable(t time.Time) bool {
	return !s.Expired(t) && s.RemainDownloads != 0
}

// Expired reports whether the share's expiry has passed at t.
func (s *Share) Expired(t time.Time) bool {
	return !s.Expires.IsZero() && !t.Before(s.Expires)
}
