package api

import (
	"time"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/hashid"
)

// userJSON is the full user object (20-site-session-user §2.1) and, with
// fewer fields set, the redacted one (§2.2).
type userJSON struct {
	ID                  string             `json:"id"`
	Email               string             `json:"email,omitempty"`
	Nickname            string             `json:"nickname"`
	Status              drive.UserStatus   `json:"status,omitempty"`
	Avatar              string             `json:"avatar,omitempty"`
	CreatedAt           time.Time          `json:"created_at"`
	PreferredTheme      string             `json:"preferred_theme,omitempty"`
	Anonymous           bool               `json:"anonymous,omitempty"`
	Group               *groupJSON         `json:"group,omitempty"`
	Pined               []drive.PinnedFile `json:"pined,omitempty"`
	Language            string             `json:"language,omitempty"`
	DisableViewSync     bool               `json:"disable_view_sync,omitempty"`
	ShareLinksInProfile string             `json:"share_links_in_profile,omitempty"`
}

type groupJSON struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	Permission          string `json:"permission,omitempty"`
	DirectLinkBatchSize int    `json:"direct_link_batch_size,omitempty"`
	TrashRetention      int    `json:"trash_retention,omitempty"`
}

// localTime renders times in the server's offset, as Cloudreve does; the
// zero time stays "0001-01-01T00:00:00Z".
func localTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Local()
}

func (h *handler) fullUser(u *drive.User) *userJSON {
	out := &userJSON{
		ID:                  h.IDs.Encode(u.ID, hashid.User),
		Email:               u.Email,
		Nickname:            u.Nick,
		Status:              u.Status,
		Avatar:              u.Avatar,
		CreatedAt:           localTime(u.CreatedAt),
		PreferredTheme:      u.Settings.PreferredTheme,
		Anonymous:           u.IsAnonymous(),
		Pined:               u.Settings.Pined,
		Language:            u.Settings.Language,
		DisableViewSync:     u.Settings.DisableViewSync,
		ShareLinksInProfile: u.Settings.ShareLinksInProfile,
	}
	if u.Group != nil {
		g := u.Group
		out.Group = &groupJSON{
			ID:                  h.IDs.Encode(g.ID, hashid.Group),
			Name:                g.Name,
			Permission:          wire.Boolset(h.servedPermissions(g.Permissions)),
			DirectLinkBatchSize: g.Settings.SourceBatch,
			TrashRetention:      g.Settings.TrashRetention,
		}
	}
	return out
}

// redactedUser is how one user sees another: no status, language, pins or
// theme, and the e-mail only when exposeEmail.
func (h *handler) redactedUser(u *drive.User, exposeEmail bool) *userJSON {
	out := &userJSON{
		ID:                  h.IDs.Encode(u.ID, hashid.User),
		Nickname:            u.Nick,
		Avatar:              u.Avatar,
		CreatedAt:           localTime(u.CreatedAt),
		ShareLinksInProfile: u.Settings.ShareLinksInProfile,
	}
	if exposeEmail {
		out.Email = u.Email
	}
	if u.Group != nil {
		out.Group = &groupJSON{ID: h.IDs.Encode(u.Group.ID, hashid.Group), Name: u.Group.Name}
	}
	return out
}

// policyJSON is a storage policy as users see it (§6.18).
type policyJSON struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Type              string   `json:"type"`
	MaxSize           int64    `json:"max_size"`
	AllowedSuffix     []string `json:"allowed_suffix,omitempty"`
	DeniedSuffix      []string `json:"denied_suffix,omitempty"`
	AllowedNameRegexp string   `json:"allowed_name_regexp,omitempty"`
	DeniedNameRegexp  string   `json:"denied_name_regexp,omitempty"`
	Relay             bool     `json:"relay,omitempty"`
	ChunkConcurrency  int      `json:"chunk_concurrency,omitempty"`
}

func (h *handler) policy(p *drive.Policy) policyJSON {
	return policyJSON{
		ID:                h.IDs.Encode(p.ID, hashid.Policy),
		Name:              p.Name,
		Type:              p.Type,
		MaxSize:           p.MaxSize,
		AllowedSuffix:     p.Settings.FileType,
		DeniedSuffix:      p.Settings.DeniedSuffix,
		AllowedNameRegexp: p.Settings.AllowedNameRegexp,
		DeniedNameRegexp:  p.Settings.DeniedNameRegexp,
		Relay:             p.Settings.Relay,
		ChunkConcurrency:  p.Settings.ChunkConcurrency,
	}
}
