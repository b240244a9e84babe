package api

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/stratus-drive/stratus/internal/api/wire"
	"github.com/stratus-drive/stratus/internal/archiver"
)

func (h *handler) ping(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.Version, nil
}

func (h *handler) captcha(w http.ResponseWriter, r *http.Request) (any, error) {
	return h.Accounts.NewCaptcha(r.Context())
}

type basicConfig struct {
	InstanceID      string          `json:"instance_id,omitempty"`
	Title           string          `json:"title,omitempty"`
	Themes          string          `json:"themes,omitempty"`
	DefaultTheme    string          `json:"default_theme,omitempty"`
	User            *userJSON       `json:"user"`
	Logo            string          `json:"logo,omitempty"`
	LogoLight       string          `json:"logo_light,omitempty"`
	CaptchaType     string          `json:"captcha_type,omitempty"`
	ReCaptchaKey    string          `json:"captcha_ReCaptchaKey,omitempty"`
	TurnstileSiteID string          `json:"turnstile_site_id,omitempty"`
	CapInstanceURL  string          `json:"captcha_cap_instance_url,omitempty"`
	CapSiteKey      string          `json:"captcha_cap_site_key,omitempty"`
	CapAssetServer  string          `json:"captcha_cap_asset_server,omitempty"`
	AppPromotion    bool            `json:"app_promotion,omitempty"`
	CustomNavItems  json.RawMessage `json:"custom_nav_items,omitempty"`
	CustomHTML      customHTML      `json:"custom_html"`
}

type customHTML struct {
	HeadlessFooter string `json:"headless_footer,omitempty"`
	HeadlessBottom string `json:"headless_bottom,omitempty"`
	SidebarBottom  string `json:"sidebar_bottom,omitempty"`
}

type loginConfig struct {
	LoginCaptcha     bool   `json:"login_captcha,omitempty"`
	RegCaptcha       bool   `json:"reg_captcha,omitempty"`
	ForgetCaptcha    bool   `json:"forget_captcha,omitempty"`
	Authn            bool   `json:"authn,omitempty"`
	RegisterEnabled  bool   `json:"register_enabled,omitempty"`
	TosURL           string `json:"tos_url,omitempty"`
	PrivacyPolicyURL string `json:"privacy_policy_url,omitempty"`
}

type explorerConfig struct {
	Icons                string          `json:"icons,omitempty"`
	MaxBatchSize         int64           `json:"max_batch_size,omitempty"`
	FileViewers          json.RawMessage `json:"file_viewers,omitempty"`
	DefaultViewerMapping json.RawMessage `json:"default_viewer_mapping,omitempty"`
	MapProvider          string          `json:"map_provider,omitempty"`
	GoogleMapTileType    string          `json:"google_map_tile_type,omitempty"`
	MapboxAK             string          `json:"mapbox_ak,omitempty"`
	ThumbnailWidth       int64           `json:"thumbnail_width,omitempty"`
	ThumbnailHeight      int64           `json:"thumbnail_height,omitempty"`
	CustomProps          json.RawMessage `json:"custom_props,omitempty"`
	ShowEncryptionStatus bool            `json:"show_encryption_status,omitempty"`
	FullTextSearch       bool            `json:"full_text_search,omitempty"`
}

type appConfig struct {
	AppPromotion        bool `json:"app_promotion,omitempty"`
	DesktopAppPromotion bool `json:"desktop_app_promotion,omitempty"`
}

type emojiConfig struct {
	EmojiPreset string `json:"emoji_preset,omitempty"`
}

type thumbConfig struct {
	ThumbExts []string `json:"thumb_exts,omitempty"`
}

// siteConfig serves GET /site/config/{section}; unknown sections get basic.
func (h *handler) siteConfig(w http.ResponseWriter, r *http.Request) (any, error) {
	s := h.Settings
	switch r.PathValue("section") {
	case "login":
		return loginConfig{
			LoginCaptcha:     s.Bool("login_captcha"),
			RegCaptcha:       s.Bool("reg_captcha"),
			ForgetCaptcha:    s.Bool("forget_captcha"),
			Authn:            s.Bool("authn_enabled") && h.serves("PUT", "/session/authn"),
			RegisterEnabled:  s.Bool("register_enabled"),
			TosURL:           s.String("tos_url"),
			PrivacyPolicyURL: s.String("privacy_policy_url"),
		}, nil
	case "explorer":
		return explorerConfig{
			Icons:                s.String("explorer_icons"),
			MaxBatchSize:         s.Int("max_batched_file"),
			FileViewers:          servedViewers(s.String("file_viewers")),
			DefaultViewerMapping: jsonObjectSetting(s.String("viewer_default_apps")),
			MapProvider:          s.String("map_provider"),
			GoogleMapTileType:    s.String("map_google_tile_type"),
			MapboxAK:             s.String("map_mapbox_ak"),
			ThumbnailWidth:       s.Int("thumb_width"),
			ThumbnailHeight:      s.Int("thumb_height"),
			CustomProps:          jsonSetting(s.String("custom_props")),
			ShowEncryptionStatus: s.Bool("show_encryption_status"),
			FullTextSearch:       s.Bool("fts_enabled") && h.serves("GET", "/file/search"),
		}, nil
	case "emojis":
		return emojiConfig{EmojiPreset: s.String("emojis")}, nil
	case "app":
		return appConfig{AppPromotion: s.Bool("show_app_promotion"), DesktopAppPromotion: s.Bool("show_desktop_app_promotion")}, nil
	case "thumb":
		return thumbConfig{ThumbExts: h.thumbExts()}, nil
	}
	return h.basicConfig(r)
}

func (h *handler) basicConfig(r *http.Request) (any, error) {
	s := h.Settings
	actor := wire.Actor(r)
	user := actor.User
	if user == nil {
		anon, err := h.Accounts.Anonymous(r.Context())
		if err != nil {
			return nil, err
		}
		user = anon
	}
	cfg := basicConfig{
		InstanceID:      s.String("siteID"),
		Title:           s.String("siteName"),
		Themes:          s.String("theme_options"),
		DefaultTheme:    s.String("defaultTheme"),
		User:            h.fullUser(user),
		Logo:            s.String("site_logo"),
		LogoLight:       s.String("site_logo_light"),
		CaptchaType:     s.String("captcha_type"),
		ReCaptchaKey:    s.String("captcha_ReCaptchaKey"),
		TurnstileSiteID: s.String("captcha_turnstile_site_key"),
		CapInstanceURL:  s.String("captcha_cap_instance_url"),
		CapSiteKey:      s.String("captcha_cap_site_key"),
		CapAssetServer:  s.String("captcha_cap_asset_server"),
		AppPromotion:    s.Bool("show_app_promotion"),
		CustomHTML: customHTML{
			HeadlessFooter: s.String("headless_footer_html"),
			HeadlessBottom: s.String("headless_bottom_html"),
			SidebarBottom:  s.String("sidebar_bottom_html"),
		},
	}
	if items := jsonSetting(s.String("custom_nav_items")); string(items) != "[]" {
		cfg.CustomNavItems = items
	}
	return cfg, nil
}

// jsonSetting passes a JSON-valued setting through as JSON; unparsable
// values are dropped rather than breaking the client.
func jsonSetting(v string) json.RawMessage {
	if v == "" || !json.Valid([]byte(v)) {
		return nil
	}
	return json.RawMessage(v)
}

func jsonObjectSetting(v string) json.RawMessage {
	raw := jsonSetting(v)
	if string(raw) == "{}" {
		return nil
	}
	return raw
}

// serves reports whether the API has a route for method and path (under
// Prefix): flags that announce a feature are derived from it, so that they
// turn on with the feature's routes and never before.
func (h *handler) serves(method, path string) bool {
	r, err := http.NewRequest(method, Prefix+path, nil)
	if err != nil {
		return false
	}
	_, pattern := h.mux.Handler(r)
	return pattern != ""
}

// servedViewers is the file_viewers setting with the built-in archive
// viewer offered only for the formats archive listing reads. A setting that
// does not parse is dropped, as jsonSetting does.
func servedViewers(v string) json.RawMessage {
	var groups []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v), &groups); err != nil {
		return jsonSetting(v)
	}
	for _, g := range groups {
		var viewers []map[string]any
		if err := json.Unmarshal(g["viewers"], &viewers); err != nil {
			continue
		}
		for _, vw := range viewers {
			if vw["id"] != "archive" || vw["type"] != "builtin" {
				continue
			}
			exts, _ := vw["exts"].([]any)
			kept := []any{}
			for _, e := range exts {
				if s, ok := e.(string); ok && slices.Contains(archiver.ListableExts, s) {
					kept = append(kept, s)
				}
			}
			vw["exts"] = kept
		}
		g["viewers"], _ = json.Marshal(viewers)
	}
	out, err := json.Marshal(groups)
	if err != nil {
		return nil
	}
	return out
}

// thumbExts lists the extensions a thumbnail generator of this server can
// handle. Only the built-in image generator exists so far; the settings of
// Cloudreve's external generators (vips, ffmpeg, …) are kept but not
// advertised, or clients would ask for thumbnails that cannot be made.
func (h *handler) thumbExts() []string {
	if !h.Settings.Bool("thumb_builtin_enabled") {
		return nil
	}
	return []string{"gif", "jpeg", "jpg", "png"}
}
