package drive

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateMetadataPatch(t *testing.T) {
	opts := MetadataOptions{
		Emojis: map[string]bool{"😀": true, "📁": true},
		Props: []CustomProp{
			{ID: "description", Type: "text"},
			{ID: "title", Type: "text", Min: 2, Max: 5},
			{ID: "rating", Type: "rating", Max: 5},
			{ID: "stars", Type: "rating"},
			{ID: "count", Type: "number"},
			{ID: "pages", Type: "number", Min: 1, Max: 100},
			{ID: "done", Type: "boolean"},
			{ID: "color", Type: "select", Options: []string{"red", "blue"}},
			{ID: "labels", Type: "multi_select", Options: []string{"a", "b"}},
			{ID: "site", Type: "link", Max: 30},
			{ID: "future", Type: "hologram"},
		},
	}
	tests := []struct {
		key, value string
		remove     bool
		ok         bool
	}{
		// Key shape.
		{"nokey", "", false, false},
		{"tag:", "", false, false},
		{":x", "", false, false},
		{"tag:" + strings.Repeat("t", 251), "", false, true},
		{"tag:" + strings.Repeat("t", 252), "", false, false},
		{"tag:a\x00", "", false, false},
		{"tag:a\nb", "", false, false},
		{"tag:\xff", "", false, false},
		{"exif:make", "x", false, false},
		{"music:title", "x", false, false},
		{"stream:x", "x", false, false},
		{"geocoding:country", "x", false, false},
		{"Tag:a", "", false, false},
		{"other:a", "", true, false},
		// Values.
		{"dav:p", strings.Repeat("v", 65535), false, true},
		{"dav:p", strings.Repeat("v", 65536), false, false},
		{"dav:p", strings.Repeat("v", 65536), true, true}, // removals carry no value
		{"dav:p", "a\x00b", false, false},
		{"dav:p", "\xff", false, false},
		{"dav:p", "multi\nline\ttext", false, true},

		// sys
		{"sys:shared_owner", "dPhJ", false, false},
		{"sys:shared_owner", "nope", false, false},
		{"sys:shared_owner", "", false, false},
		{"sys:shared_owner", "dPhJ", true, false},
		{"sys:shared_redirect", "cloudreve://0LhR:pw@share", false, false},
		{"sys:shared_redirect", "cloudreve://0LhR@share/sub", false, false},
		{"sys:shared_redirect", "cloudreve://my/a", false, false},
		{"sys:shared_redirect", "cloudreve://share/a", false, false},
		{"sys:shared_redirect", "not a uri", false, false},
		{"sys:shared_redirect", "", true, false},
		{"sys:restore_uri", "cloudreve://my/a", false, false},
		{"sys:upload_session_id", "x", false, false},
		{"sys:fulltext_index", "x", false, false},
		{"sys:restore_uri", "", true, false},

		// tag
		{"tag:work", "", false, true},
		{"tag:work", "#f44336", false, true},
		{"tag:work", "red", false, false},
		{"tag:work", "#f44336;background:url(x)", false, false},
		{"tag:work", "", true, true},
		{"tag:工作 2", "rgb(1, 2, 3)", false, true},

		// customize
		{"customize:icon_color", "#abc", false, true},
		{"customize:icon_color", "", false, false},
		{"customize:icon_color", "expression(alert(1))", false, false},
		{"customize:icon_color", "", true, true},
		{"customize:emoji", "😀", false, true},
		{"customize:emoji", "🦄", false, false},
		{"customize:emoji", "", false, false},
		{"customize:emoji", "", true, true},
		{"customize:live_photo", "anything", false, true},

		// props
		{"props:nope", "x", false, false},
		{"props:nope", "", true, true}, // clean up a deleted property
		{"props:description", "", false, true},
		{"props:description", strings.Repeat("d", 5000), false, true},
		{"props:title", "", false, true}, // empty always clears (reference quirk fixed)
		{"props:title", "a", false, false},
		{"props:title", "ab", false, true},
		{"props:title", "abcde", false, true},
		{"props:title", "abcdef", false, false},
		{"props:rating", "0", false, true},
		{"props:rating", "5", false, true},
		{"props:rating", "6", false, false},
		{"props:rating", "-1", false, false},
		{"props:rating", "2.5", false, false},
		{"props:stars", "99", false, true},
		{"props:count", "-3", false, true}, // min 0 is unset (reference quirk fixed)
		{"props:count", "12345678901", false, true},
		{"props:count", "1e3", false, false},
		{"props:count", " 1", false, false},
		{"props:pages", "0", false, false},
		{"props:pages", "1", false, true},
		{"props:pages", "100", false, true},
		{"props:pages", "101", false, false},
		{"props:done", "true", false, true},
		{"props:done", "false", false, true},
		{"props:done", "True", false, false},
		{"props:done", "1", false, false},
		{"props:color", "red", false, true},
		{"props:color", "green", false, false},
		{"props:labels", `["a","b"]`, false, true},
		{"props:labels", `[]`, false, true},
		{"props:labels", `["a","c"]`, false, false},
		{"props:labels", `null`, false, false},
		{"props:labels", `"a"`, false, false},
		{"props:labels", `[1]`, false, false},
		{"props:site", "https://example.com/x", false, true},
		{"props:site", "HTTP://example.com", false, true},
		{"props:site", "example.com/page", false, true},
		{"props:site", "javascript:alert(1)", false, false},
		{"props:site", "JavaScript:alert(1)", false, false},
		{"props:site", " javascript:alert(1)", false, false},
		{"props:site", "data:text/html,x", false, false},
		{"props:site", "https://example.com/" + strings.Repeat("x", 20), false, false},
		{"props:future", "anything", false, true},

		// thumb and dav
		{"thumb:disabled", "", false, true},
		{"thumb:disabled", "whatever", false, true},
		{"thumb:disabled", "", true, true},
		{"thumb:other", "", false, false},
		{"dav:{DAV:}getetag", `{"l":"x"}`, false, true},
		{"dav:x", "", true, true},
	}
	for _, tt := range tests {
		err := ValidateMetadataPatch(tt.key, tt.value, tt.remove, opts)
		if tt.ok != (err == nil) {
			t.Errorf("ValidateMetadataPatch(%.40q, %.40q, remove=%v) = %v, want ok=%v",
				tt.key, tt.value, tt.remove, err, tt.ok)
		}
		var me *MetadataError
		if err != nil && (!errors.As(err, &me) || me.Reason == "") {
			t.Errorf("ValidateMetadataPatch(%.40q): error %T, want *MetadataError", tt.key, err)
		}
	}
}

// System keys never pass; without presets, no emoji does.
func TestValidateMetadataPatchZeroOptions(t *testing.T) {
	if err := ValidateMetadataPatch("sys:shared_owner", "anything", false, MetadataOptions{}); err == nil {
		t.Error("shared_owner accepted from a client")
	}
	if err := ValidateMetadataPatch("customize:emoji", "😀", false, MetadataOptions{}); err == nil {
		t.Error("emoji accepted without presets")
	}
	if err := ValidateMetadataPatch("props:rating", "1", false, MetadataOptions{}); err == nil {
		t.Error("property accepted without definitions")
	}
}

func TestTouchesUpdatedAt(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"tag:work", true},
		{"props:rating", true},
		{"customize:icon_color", true},
		{"customize:emoji", true},
		{"customize:live_photo", false},
		{"sys:shared_redirect", false},
		{"sys:shared_owner", false},
		{"sys:restore_uri", false},
		{"thumb:disabled", false},
		{"dav:x", false},
		{"exif:make", false},
		{"nokey", false},
	}
	for _, tt := range tests {
		if got := TouchesUpdatedAt(tt.key); got != tt.want {
			t.Errorf("TouchesUpdatedAt(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestIsCSSColor(t *testing.T) {
	tests := []struct {
		s  string
		ok bool
	}{
		{"#abc", true},
		{"#ABCD", true},
		{"#a1b2c3", true},
		{"#a1b2c3d4", true},
		{"#ab", false},
		{"#abcde", false},
		{"#ggg", false},
		{"#", false},
		{"abc", false},
		{"rgb(0,0,0)", true},
		{"rgb(255, 255, 255)", true},
		{"RGB(1,2,3)", true},
		{"rgb(100%, 0%, 50.5%)", true},
		{"rgb(100%, 0, 0)", false},
		{"rgb(256,0,0)", false},
		{"rgb(-1,0,0)", false},
		{"rgb(1,2)", false},
		{"rgb(1,2,3,4,5)", false},
		{"rgb(1,2,3", false},
		{"rgb(1,2,3))", false},
		{"rgb(1,2,3);x", false},
		{"rgb(NaN,0,0)", false},
		{"rgb(Inf,0,0)", false},
		{"rgb(1e2,0,0)", false},
		{"rgb(.,0,0)", false},
		{"rgb(1..2,0,0)", false},
		{"rgba(0,0,0,0.5)", true},
		{"rgba(0,0,0,50%)", true},
		{"rgba(0,0,0,1.5)", false},
		{"rgba(0,0,0)", true},
		{"hsl(120, 50%, 50%)", true},
		{"hsl(120deg, 50%, 50%)", true},
		{"hsla(360, 100%, 0%, 0.1)", true},
		{"hsl(361, 50%, 50%)", false},
		{"hsl(120, 50, 50%)", false},
		{"hsl(120, 101%, 50%)", false},
		{"url(x)", false},
		{"red", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isCSSColor(tt.s); got != tt.ok {
			t.Errorf("isCSSColor(%q) = %v, want %v", tt.s, got, tt.ok)
		}
	}
}
