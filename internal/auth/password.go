package auth

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2Params are the tunable inputs of an argon2id hash.
type argon2Params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	keyLen  uint32
}

// current is what HashPassword uses: OWASP's first argon2id recommendation
// (19 MiB, two passes, one lane). It takes about 27 ms on the reference
// 2-core box. One lane keeps a verification on one core, so a burst of
// sign-ins degrades throughput instead of stalling every core, and 19 MiB
// rather than 64 MiB keeps a burst of concurrent sign-ins from exhausting a
// small server's memory.
var current = argon2Params{memory: 19 * 1024, time: 2, threads: 1, keyLen: 32}

const saltLen = 16

// Limits on parameters read from a stored hash. A stored hash is data, and
// one edited to ask for gigabytes or thousands of passes must not turn a
// sign-in into a denial of service.
const (
	maxMemory = 256 * 1024 // KiB
	maxTime   = 16
	maxKeyLen = 64
	minKeyLen = 16
	minSalt   = 8
	maxSalt   = 64
)

// phcB64 is the PHC string format's base64: standard alphabet, no padding.
// Decode with decodeCanonical, so that every hash has one spelling.
var phcB64 = base64.RawStdEncoding.Strict()

// HashPassword returns an argon2id hash of pw in PHC string format,
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth.HashPassword: %w", err)
	}
	h := phcHash{params: current, salt: salt}
	h.key = h.derive(pw)
	return h.String(), nil
}

// VerifyPassword reports whether pw matches the stored hash, and, when it
// does, whether the caller should replace stored with HashPassword(pw):
// true for every Cloudreve format and for argon2id hashes with parameters
// other than the current ones. needsRehash is never true when ok is false,
// so a caller cannot upgrade a hash with a wrong password.
//
// Accepted formats: argon2id PHC strings; Cloudreve v4
// "salt:hex(sha256(pw+salt))"; Cloudreve v3 "salt:hex(sha1(pw+salt))";
// Cloudreve v2 "md5:hex(md5(salt+pw)):salt". An empty stored hash (an
// account without a password) and anything unrecognised never verify.
//
// Every call costs at least one argon2id derivation with the current
// parameters, whatever the format, so the time taken does not tell a
// legacy or passwordless account apart from an unknown one (see DummyVerify).
func VerifyPassword(stored, pw string) (ok bool, needsRehash bool) {
	if h, err := parsePHC(stored); err == nil {
		ok = subtle.ConstantTimeCompare(h.derive(pw), h.key) == 1
		return ok, ok && h.params != current
	}
	DummyVerify(pw)
	ok = verifyLegacy(stored, pw)
	return ok, ok
}

// dummyHash is a fixed current-parameter hash that DummyVerify checks
// against; its password is irrelevant because the result is thrown away.
var dummyHash = phcHash{params: current, salt: make([]byte, saltLen), key: make([]byte, current.keyLen)}

// DummyVerify does the work of verifying pw against a current argon2id hash
// and throws the answer away. Call it when the e-mail of a sign-in attempt
// matches no account, so that the response takes as long as a real one.
func DummyVerify(pw string) {
	subtle.ConstantTimeCompare(dummyHash.derive(pw), dummyHash.key)
}

// verifyLegacy checks the Cloudreve formats. Digests are compared as bytes
// after hex decoding, which makes the comparison case-insensitive and
// constant-time.
func verifyLegacy(stored, pw string) bool {
	if rest, isV2 := strings.CutPrefix(stored, "md5:"); isV2 {
		digest, salt, found := strings.Cut(rest, ":")
		if !found {
			return false
		}
		sum := md5.Sum([]byte(salt + pw))
		return hexEqual(digest, sum[:])
	}
	salt, digest, found := strings.Cut(stored, ":")
	if !found || salt == "" {
		return false
	}
	switch len(digest) {
	case 2 * sha256.Size:
		sum := sha256.Sum256([]byte(pw + salt))
		return hexEqual(digest, sum[:])
	case 2 * sha1.Size:
		sum := sha1.Sum([]byte(pw + salt))
		return hexEqual(digest, sum[:])
	}
	return false
}

// hexEqual reports whether the hex string h encodes want.
func hexEqual(h string, want []byte) bool {
	got, err := hex.DecodeString(h)
	if err != nil || len(got) != len(want) {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// phcHash is a parsed argon2id PHC string.
type phcHash struct {
	params argon2Params
	salt   []byte
	key    []byte
}

func (h phcHash) derive(pw string) []byte {
	p := h.params
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(pw), h.salt, p.time, p.memory, p.threads, p.keyLen)
}

// hashSlots bounds concurrent argon2 derivations to the CPU count. Each one
// takes its memory cost (19 MiB) for its whole run, so without a bound a
// burst of sign-ins — real or for unknown accounts — grows the heap by that
// much per request; with it, extra requests wait for a core they could not
// have used anyway.
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// String formats h as a PHC string.
func (h phcHash) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.memory, h.params.time, h.params.threads,
		phcB64.EncodeToString(h.salt), phcB64.EncodeToString(h.key))
}

var errPHC = errors.New("auth: not an argon2id PHC string")

// parsePHC reads exactly the form String writes, with parameters inside the
// limits above. It accepts only one spelling of each hash (no optional
// fields, no leading zeros), which keeps the parser small and lets a fuzz
// test check that parse and String are inverse.
func parsePHC(s string) (phcHash, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" ||
		parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phcHash{}, errPHC
	}
	ps := strings.Split(parts[3], ",")
	if len(ps) != 3 {
		return phcHash{}, errPHC
	}
	m, okM := phcUint(ps[0], "m=", maxMemory)
	t, okT := phcUint(ps[1], "t=", maxTime)
	p, okP := phcUint(ps[2], "p=", 255)
	if !okM || !okT || !okP || t < 1 || p < 1 || m < 8*p {
		return phcHash{}, errPHC
	}
	salt, err := decodeCanonical(phcB64, parts[4])
	if err != nil || len(salt) < minSalt || len(salt) > maxSalt {
		return phcHash{}, errPHC
	}
	key, err := decodeCanonical(phcB64, parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return phcHash{}, errPHC
	}
	return phcHash{
		params: argon2Params{memory: m, time: t, threads: uint8(p), keyLen: uint32(len(key))},
		salt:   salt,
		key:    key,
	}, nil
}

// phcUint parses "<prefix><decimal>" with no sign, no leading zero and a
// value of at most max.
func phcUint(s, prefix string, max uint32) (uint32, bool) {
	digits, found := strings.CutPrefix(s, prefix)
	if !found || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || n > uint64(max) {
		return 0, false
	}
	return uint32(n), true
}
