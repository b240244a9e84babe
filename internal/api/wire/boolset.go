package wire

import (
	"encoding/base64"

	"github.com/stratus-drive/stratus/internal/drive"
)

// Boolset renders a boolset as standard Base64 with padding (conventions §8).
func Boolset(b drive.Boolset) string { return base64.StdEncoding.EncodeToString(b) }

// ParseBoolset reads the wire form of a boolset.
func ParseBoolset(s string) (drive.Boolset, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	return drive.Boolset(b), err
}
