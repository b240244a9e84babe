package setting

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/safedial"
)

// ErrLockout is a settings change that would leave nobody able to sign in
// or reach the site.
var ErrLockout = errs.NewSentinel(errs.Invalid, "this change would lock everyone out")

// The type of each setting is decided here, once: explicit tables for keys
// whose default does not tell (a "0" that is a number, a string that must be
// one of a few), and otherwise the shape of the default value.

// boolKeys are switches whose default does not end in _enabled.
var boolKeys = set("show_app_promotion", "show_desktop_app_promotion", "register_enabled", "email_active",
	"authn_enabled", "login_captcha", "reg_captcha", "forget_captcha", "expose_user_email", "smtpEncryption",
	"use_temp_chunk_buffer", "use_cursor_pagination", "show_encryption_status", "outgoing_allow_private")

// enumKeys are strings that must be one of a few values.
var enumKeys = map[string]map[string]bool{
	"captcha_type":         set("normal", "recaptcha", "turnstile", "cap"),
	"mail_domain_filter":   set("0", "1", "2"),
	"thumb_encode_method":  set("png", "jpg"),
	"map_provider":         set("openstreetmap", "google", "mapbox"),
	"map_google_tile_type": set("regular", "satellite", "terrain"),
	"pwa_display":          set("fullscreen", "standalone", "minimal-ui", "browser"),
	"captcha_mode":         set("0", "1", "2", "3"),
}

// intRanges bound numbers beyond "not negative".
var intRanges = map[string][2]int64{
	"access_token_ttl":     {60, 1 << 31},
	"refresh_token_ttl":    {60, 1 << 31},
	"smtpPort":             {1, 65535},
	"thumb_encode_quality": {1, 100},
	"thumb_width":          {1, 8192},
	"thumb_height":         {1, 8192},
	"max_page_size":        {1, 1 << 31},
	"max_batched_file":     {1, 1 << 31},
	"default_group":        {1, 1 << 31},
	"captcha_CaptchaLen":   {1, 32},
}

// readOnlyKeys may not be written: the hash salt would change every public
// ID (every share link and file link ever handed out), the site ID names
// this installation.
var readOnlyKeys = set("hash_id_salt", "siteID")

// HiddenKeys are never returned to anyone (compared case-insensitively).
var HiddenKeys = set("secret_key", "encrypt_master_key", "metrics_token")

// IsHidden reports whether key must not be shown.
func IsHidden(key string) bool { return HiddenKeys[strings.ToLower(key)] }

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// Known reports whether key is in the catalogue.
func Known(key string) bool {
	_, ok := Defaults[key]
	if !ok {
		_, ok = generated[key]
	}
	return ok
}

// Normalize checks value against the type of key and returns the text to
// store. Keys outside the catalogue are taken as strings. secret_key gets a
// fresh random value whatever was sent: writing it means "rotate".
func Normalize(key, value string) (string, error) {
	const op = "setting.Normalize"
	bad := func(reason string) error { return errs.E(op, errs.Invalid, key+" "+reason) }
	if readOnlyKeys[key] {
		return "", bad("cannot be changed")
	}
	if key == "secret_key" {
		return randomAlnum(256), nil
	}
	if len(value) > 1<<20 {
		return "", bad("is too long")
	}
	if allowed, ok := enumKeys[key]; ok {
		if !allowed[value] {
			return "", bad("has an unknown value")
		}
		return value, nil
	}
	def, known := Defaults[key]
	switch {
	case !known:
		return value, nil
	case key == "siteURL":
		return normalizeSiteURLs(value, bad)
	case key == "outgoing_allowed_cidrs":
		return normalizeCIDRs(value, bad)
	case key == "mime_mapping":
		var m map[string]string
		if err := json.Unmarshal([]byte(value), &m); err != nil {
			return "", bad("must be a JSON object of strings")
		}
		return value, nil
	case strings.HasPrefix(key, "cron_"):
		if !validSchedule(value) {
			return "", bad("is not a schedule (@every <duration>, @hourly, @daily or @weekly)")
		}
		return value, nil
	case boolKeys[key] || strings.HasSuffix(key, "_enabled") || strings.HasPrefix(key, "captcha_IsShow"):
		switch strings.ToLower(value) {
		case "1", "true":
			return "1", nil
		case "0", "false":
			return "0", nil
		}
		return "", bad("must be a boolean")
	case isInt(def):
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil {
			return "", bad("must be a whole number")
		}
		lo, hi := int64(0), int64(1<<62)
		if r, ok := intRanges[key]; ok {
			lo, hi = r[0], r[1]
		}
		if n < lo || n > hi {
			return "", bad("is out of range (" + strconv.FormatInt(lo, 10) + "–" + strconv.FormatInt(hi, 10) + ")")
		}
		return strconv.FormatInt(n, 10), nil
	case strings.HasPrefix(def, "{") || strings.HasPrefix(def, "["):
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			return "", bad("must be JSON")
		}
		_, isObj := v.(map[string]any)
		_, isArr := v.([]any)
		if (def[0] == '{' && !isObj) || (def[0] == '[' && !isArr) {
			return "", bad("has the wrong JSON shape")
		}
		return value, nil
	}
	return value, nil
}

func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// normalizeSiteURLs checks every comma-separated URL (absolute http or https
// with a host) and writes them back in canonical form. An empty list would
// leave every link the server makes pointing nowhere.
func normalizeSiteURLs(value string, bad func(string) error) (string, error) {
	var out []string
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		u, err := url.Parse(item)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			u.RawQuery != "" || u.Fragment != "" {
			return "", bad("must be absolute http(s) URLs without query")
		}
		out = append(out, u.String())
	}
	if len(out) == 0 {
		return "", errs.E("setting.Normalize", ErrLockout, "siteURL must name at least one URL")
	}
	return strings.Join(out, ","), nil
}

// normalizeCIDRs checks a comma-separated list of CIDR prefixes (a bare
// address is one host) and writes it back canonical.
func normalizeCIDRs(value string, bad func(string) error) (string, error) {
	var out []string
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := safedial.ParsePrefix(item)
		if err != nil {
			return "", bad("must be comma-separated CIDR prefixes such as 10.0.0.0/8")
		}
		out = append(out, p.String())
	}
	return strings.Join(out, ","), nil
}

// validSchedule accepts the forms the job scheduler understands (see
// task.ParseSchedule; five-field cron lines are not among them).
func validSchedule(s string) bool {
	s = strings.TrimSpace(s)
	switch s {
	case "@hourly", "@daily", "@weekly", "@midnight":
		return true
	}
	if d, ok := strings.CutPrefix(s, "@every "); ok {
		dur, err := time.ParseDuration(strings.TrimSpace(d))
		return err == nil && dur >= time.Second
	}
	return false
}

// CheckLockout refuses a patch that, applied over the current values, would
// leave nobody able to sign in: a captcha on sign-in whose provider has no
// keys, or tokens that expire before they can be used.
func (s *Service) CheckLockout(patch map[string]string) error {
	const op = "setting.CheckLockout"
	get := func(k string) string {
		if v, ok := patch[k]; ok {
			return v
		}
		return s.String(k)
	}
	on := func(k string) bool { v := get(k); return v == "1" || strings.EqualFold(v, "true") }
	if on("login_captcha") {
		var need []string
		switch get("captcha_type") {
		case "recaptcha":
			need = []string{"captcha_ReCaptchaKey", "captcha_ReCaptchaSecret"}
		case "turnstile":
			need = []string{"captcha_turnstile_site_key", "captcha_turnstile_site_secret"}
		case "cap":
			need = []string{"captcha_cap_instance_url", "captcha_cap_site_key", "captcha_cap_secret_key"}
		}
		for _, k := range need {
			if strings.TrimSpace(get(k)) == "" {
				return errs.E(op, ErrLockout, "the sign-in captcha needs "+k)
			}
		}
	}
	access, _ := strconv.ParseInt(get("access_token_ttl"), 10, 64)
	refresh, _ := strconv.ParseInt(get("refresh_token_ttl"), 10, 64)
	if refresh <= access {
		return errs.E(op, ErrLockout, "refresh_token_ttl must be longer than access_token_ttl")
	}
	return nil
}
