// Package auth holds the credentials Stratus checks: password hashes
// (argon2id, plus the Cloudreve formats found in migrated databases), HS256
// access and refresh tokens with rotation, HMAC-signed URLs and requests, and
// TOTP codes.
//
// The package decides whether a credential is good and says why not with a
// sentinel or an errs.Kind; it never chooses wire codes. User IDs arrive
// already encoded (hashids) because encoding belongs to the API edge.
package auth
