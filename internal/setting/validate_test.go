package setting

import (
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		key, value, want string
		ok               bool
	}{
		{"siteName", "Any text", "Any text", true},
		{"register_enabled", "true", "1", true},
		{"register_enabled", "0", "0", true},
		{"register_enabled", "yes", "", false},
		{"thumb_vips_enabled", "FALSE", "0", true},
		{"captcha_IsShowNoiseDot", "2", "", false},
		{"thumb_width", " 640 ", "640", true},
		{"thumb_width", "0", "", false},
		{"thumb_encode_quality", "101", "", false},
		{"smtpPort", "65536", "", false},
		{"max_page_size", "x", "", false},
		{"mail_domain_filter", "2", "2", true},
		{"mail_domain_filter", "3", "", false},
		{"captcha_type", "turnstile", "turnstile", true},
		{"captcha_type", "puzzle", "", false},
		{"mime_mapping", `{"md":"text/markdown"}`, `{"md":"text/markdown"}`, true},
		{"outgoing_allowed_cidrs", " 10.1.2.3/16, ::1 ,192.168.0.7", "10.1.0.0/16,::1/128,192.168.0.7/32", true},
		{"outgoing_allowed_cidrs", "", "", true},
		{"outgoing_allowed_cidrs", "10.0.0.0/33", "", false},
		{"outgoing_allowed_cidrs", "intranet.local", "", false},
		{"outgoing_allow_private", "true", "1", true},
		{"outgoing_allow_private", "maybe", "", false},
		{"mime_mapping", `{"md":1}`, "", false},
		{"custom_nav_items", `[{"icon":"x"}]`, `[{"icon":"x"}]`, true},
		{"custom_nav_items", `{}`, "", false},
		{"cron_entity_collect", "@every 10m", "@every 10m", true},
		{"cron_entity_collect", "@daily", "@daily", true},
		{"cron_entity_collect", "*/5 * * * *", "", false},
		{"cron_entity_collect", "@every 0s", "", false},
		{"siteURL", "https://a.example/, http://b.example:81", "https://a.example/,http://b.example:81", true},
		{"siteURL", "https://a.example/?x=1", "", false},
		{"siteURL", "javascript:alert(1)", "", false},
		{"siteURL", "https://user:pw@a.example/", "", false},
		{"hash_id_salt", "x", "", false},
		{"siteID", "x", "", false},
		{"not_in_catalogue", "anything", "anything", true},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.key, tt.value)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, %v; want %q, ok %v", tt.key, tt.value, got, err, tt.want, tt.ok)
		}
		if err != nil && !errs.Is(errs.Invalid, err) {
			t.Errorf("Normalize(%q, %q): error kind %v, want Invalid", tt.key, tt.value, errs.KindOf(err))
		}
	}
	// Writing the signing key means rotating it: the value sent is ignored.
	a, _ := Normalize("secret_key", "chosen")
	b, _ := Normalize("secret_key", "chosen")
	if len(a) != 256 || a == b || a == "chosen" {
		t.Errorf("secret_key rotation gave %q and %q", a, b)
	}
	if _, err := Normalize("siteURL", " , "); !errs.Is(errs.Invalid, err) {
		t.Errorf("an empty site URL list: %v", err)
	}
}

// TestCatalogueTyped: every catalogue default passes its own check, so the
// admin pages can always save what they read.
func TestCatalogueTyped(t *testing.T) {
	for k, v := range Defaults {
		if _, err := Normalize(k, v); err != nil {
			t.Errorf("default of %s (%q) fails its check: %v", k, v, err)
		}
	}
}
