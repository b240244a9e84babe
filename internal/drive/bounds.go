package drive

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Bounds of the documents users write that count against no quota: view
// settings, the settings document, a file's metadata. Without them, 30
// folders with 1,000-column views added 21 MB to the database for free.
const (
	// MaxViewBytes bounds one ExplorerView as stored (JSON): 1,000 plain
	// columns, the contract's count, fit; 1,000 stuffed ones do not.
	MaxViewBytes = 16 << 10
	// MaxSettingsBytes bounds the users.settings document as stored: pins,
	// per-filesystem views, version retention extensions.
	MaxSettingsBytes = 128 << 10
	// MaxFileMetadata bounds the metadata clients may keep on one file,
	// by entries and by bytes of keys and values (sys: entries, which
	// only the server writes, do not count).
	MaxFileMetadataEntries = 256
	MaxFileMetadataBytes   = 256 << 10
)

// BoundsError reports a document past its bound; Reason is safe to show.
// Services map it to an invalid-request error (40001).
type BoundsError struct{ Reason string }

// Error implements error.
func (e *BoundsError) Error() string { return e.Reason }

// SafeDetail implements errs.SafeDetailer: the reason names the rule broken.
func (e *BoundsError) SafeDetail() string { return e.Error() }

// CheckViewSize bounds a view as stored.
func CheckViewSize(v ExplorerView) error {
	return checkJSONSize("view", v, MaxViewBytes)
}

// CheckSettingsSize bounds a settings document as stored.
func CheckSettingsSize(st UserSettings) error {
	return checkJSONSize("settings", st, MaxSettingsBytes)
}

// CheckFileMetadata bounds the client-writable metadata of one file, given
// all its entries as name → value.
func CheckFileMetadata(entries map[string]string) error {
	n, size := 0, 0
	for k, v := range entries {
		if strings.HasPrefix(k, "sys:") {
			continue
		}
		n++
		size += len(k) + len(v)
	}
	switch {
	case n > MaxFileMetadataEntries:
		return &BoundsError{Reason: "more than " + strconv.Itoa(MaxFileMetadataEntries) + " metadata entries on one file"}
	case size > MaxFileMetadataBytes:
		return &BoundsError{Reason: "metadata of one file larger than " + strconv.Itoa(MaxFileMetadataBytes>>10) + " KiB"}
	}
	return nil
}

func checkJSONSize(what string, v any, limit int) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return &BoundsError{Reason: what + " cannot be stored"}
	}
	if len(raw) > limit {
		return &BoundsError{Reason: what + " larger than " + strconv.Itoa(limit>>10) + " KiB"}
	}
	return nil
}
