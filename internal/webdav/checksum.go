package webdav

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"hash/adler32"
	"io"
	"net/http"
	"strings"
)

// errChecksum is a body whose OC-Checksum does not match: the read that
// would deliver its last bytes fails instead, so the upload is discarded
// before the content becomes a version.
var errChecksum = statusErr(http.StatusBadRequest, "the body does not match OC-Checksum")

// checksummed wraps body so that it fails at its end unless the bytes match
// the OC-Checksum header (ownCloud clients: "SHA1:<hex>", also MD5, SHA256
// and ADLER32). Other algorithms are not checked; a malformed value is 400.
func checksummed(header string, body io.Reader, size int64) (io.Reader, error) {
	if header == "" {
		return body, nil
	}
	algo, value, ok := strings.Cut(strings.TrimSpace(strings.Fields(header + " ")[0]), ":")
	if !ok {
		return nil, statusErr(http.StatusBadRequest, "malformed OC-Checksum")
	}
	var h hash.Hash
	switch strings.ToUpper(algo) {
	case "SHA1":
		h = sha1.New()
	case "MD5":
		h = md5.New()
	case "SHA256":
		h = sha256.New()
	case "ADLER32":
		h = adler32.New()
	default:
		return body, nil
	}
	want, err := hex.DecodeString(value)
	if err != nil || len(want) != h.Size() {
		return nil, statusErr(http.StatusBadRequest, "malformed OC-Checksum")
	}
	if size == 0 && !bytes.Equal(h.Sum(nil), want) {
		return nil, errChecksum
	}
	return &verifier{r: body, h: h, want: want, left: size}, nil
}

type verifier struct {
	r    io.Reader
	h    hash.Hash
	want []byte
	left int64
}

func (v *verifier) Read(p []byte) (int, error) {
	if v.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > v.left {
		p = p[:v.left]
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.left -= int64(n)
	if v.left == 0 && !bytes.Equal(v.h.Sum(nil), v.want) {
		// The final bytes are withheld: a reader that got them with the
		// error could still count the body complete (io.ReadFull does).
		return 0, errChecksum
	}
	if v.left == 0 && err == nil {
		err = io.EOF
	}
	return n, err
}
