package store

import (
	"context"
	"strings"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

const userColumns = `id, email, nick, password, status, storage, two_factor_secret, avatar, settings,
 group_users, created_at, updated_at`

var createUser = define("CreateUser", `INSERT INTO users
 (email, nick, password, status, storage, two_factor_secret, avatar, settings, group_users, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)

// CreateUser inserts u and sets its ID, CreatedAt and UpdatedAt. An email
// already taken, in any letter case, is errs.Exist.
func (r *runner) CreateUser(ctx context.Context, u *drive.User) error {
	const op = "store.CreateUser"
	settings, err := encodeDoc(u.Settings)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	t := now()
	id, err := r.insert(ctx, createUser, u.Email, u.Nick, u.Password, string(u.Status), u.Storage,
		u.TwoFactorSecret, u.Avatar, settings, u.GroupID, t, t)
	if err != nil {
		return classify(op, err)
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, t, t
	return nil
}

var userByID = define("UserByID",
	`SELECT `+userColumns+` FROM users WHERE id = ? AND deleted_at IS NULL`)

// UserByID returns user id without its Group, or errs.NotExist.
func (r *runner) UserByID(ctx context.Context, id int) (*drive.User, error) {
	const op = "store.UserByID"
	u, err := scanUser(r.row(ctx, userByID, id))
	return u, classify(op, err)
}

var userByEmail = define("UserByEmail",
	`SELECT `+userColumns+` FROM users WHERE email_lower = lower(?) AND deleted_at IS NULL`)

// UserByEmail returns the user with that email in any letter case, without
// its Group, or errs.NotExist.
func (r *runner) UserByEmail(ctx context.Context, email string) (*drive.User, error) {
	const op = "store.UserByEmail"
	u, err := scanUser(r.row(ctx, userByEmail, email))
	return u, classify(op, err)
}

var countUsers = define("CountUsers",
	`SELECT COUNT(*) FROM users WHERE deleted_at IS NULL`)

// CountUsers returns the number of users.
func (r *runner) CountUsers(ctx context.Context) (int, error) {
	const op = "store.CountUsers"
	var n int
	err := r.row(ctx, countUsers).Scan(&n)
	return n, classify(op, err)
}

var searchUsers = define("SearchUsers", `SELECT `+userColumns+` FROM users
 WHERE status = ? AND deleted_at IS NULL
 AND (email_lower LIKE lower(?) ESCAPE '!' OR lower(nick) LIKE lower(?) ESCAPE '!')
 ORDER BY id LIMIT ?`)

// SearchUsers returns up to limit active users, in id order, whose email or
// nick contains keyword in any letter case. LIKE wildcards in keyword match
// themselves.
func (r *runner) SearchUsers(ctx context.Context, keyword string, limit int) ([]*drive.User, error) {
	const op = "store.SearchUsers"
	pattern := "%" + escapeLike(keyword) + "%"
	rows, err := r.rows(ctx, searchUsers, string(drive.StatusActive), pattern, pattern, limit)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var us []*drive.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, classify(op, err)
		}
		us = append(us, u)
	}
	return us, classify(op, rows.Err())
}

// likeEscaper escapes LIKE patterns with '!', which, unlike the backslash,
// means the same in every dialect's string literals.
var likeEscaper = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")

func escapeLike(s string) string { return likeEscaper.Replace(s) }

var setUserGroup = define("SetUserGroup",
	`UPDATE users SET group_users = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// SetUserGroup moves user id into group groupID. A missing user is
// errs.NotExist.
func (r *runner) SetUserGroup(ctx context.Context, id, groupID int) error {
	return classify("store.SetUserGroup", r.update(ctx, setUserGroup, groupID, now(), id))
}

var setUserStatus = define("SetUserStatus",
	`UPDATE users SET status = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// SetUserStatus sets the account state of user id. A missing user is
// errs.NotExist.
func (r *runner) SetUserStatus(ctx context.Context, id int, status drive.UserStatus) error {
	return classify("store.SetUserStatus", r.update(ctx, setUserStatus, string(status), now(), id))
}

var setUserPassword = define("SetUserPassword",
	`UPDATE users SET password = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// SetUserPassword stores the password hash of user id. A missing user is
// errs.NotExist.
func (r *runner) SetUserPassword(ctx context.Context, id int, hash string) error {
	return classify("store.SetUserPassword", r.update(ctx, setUserPassword, hash, now(), id))
}

var updateUserProfile = define("UpdateUserProfile",
	`UPDATE users SET nick = ?, settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// ModifyUserProfile changes the nick and the settings document of user id
// with fn, under the row's write lock: it writes the row before reading it
// (so it must be the transaction's first statement on that row), and
// concurrent writers of the document queue instead of overwriting each
// other's changes with what they read earlier. It is the only writer of
// users.settings. A missing user is errs.NotExist.
func (t *Tx) ModifyUserProfile(ctx context.Context, id int, fn func(nick *string, settings *drive.UserSettings) error) error {
	const op = "store.ModifyUserProfile"
	if err := t.UserStorageAdd(ctx, id, 0); err != nil {
		return errs.E(op, err)
	}
	u, err := t.UserByID(ctx, id)
	if err != nil {
		return errs.E(op, err)
	}
	if err := fn(&u.Nick, &u.Settings); err != nil {
		return err
	}
	doc, err := encodeDoc(u.Settings)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return classify(op, t.update(ctx, updateUserProfile, u.Nick, doc, now(), id))
}

var setUserAvatar = define("SetUserAvatar",
	`UPDATE users SET avatar = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// SetUserAvatar sets the avatar kind of user id ("", "file" or "gravatar").
// A missing user is errs.NotExist.
func (r *runner) SetUserAvatar(ctx context.Context, id int, avatar string) error {
	return classify("store.SetUserAvatar", r.update(ctx, setUserAvatar, avatar, now(), id))
}

var setUserTwoFactor = define("SetUserTwoFactor",
	`UPDATE users SET two_factor_secret = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// SetUserTwoFactor stores the TOTP secret of user id; "" turns two-factor
// sign-in off. A missing user is errs.NotExist.
func (r *runner) SetUserTwoFactor(ctx context.Context, id int, secret string) error {
	return classify("store.SetUserTwoFactor", r.update(ctx, setUserTwoFactor, secret, now(), id))
}

var userStorageAdd = define("UserStorageAdd",
	`UPDATE users SET storage = storage + ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// UserStorageAdd adds delta (which may be negative) to the bytes used by
// user id, atomically. A missing user is errs.NotExist.
func (r *runner) UserStorageAdd(ctx context.Context, id int, delta int64) error {
	return classify("store.UserStorageAdd", r.update(ctx, userStorageAdd, delta, now(), id))
}

func scanUser(s scanner) (*drive.User, error) {
	var (
		u        drive.User
		status   string
		settings string
	)
	err := s.Scan(&u.ID, &u.Email, &u.Nick, &u.Password, &status, &u.Storage, &u.TwoFactorSecret,
		&u.Avatar, &settings, &u.GroupID, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := decodeDoc(settings, &u.Settings); err != nil {
		return nil, err
	}
	u.Status = drive.UserStatus(status)
	// Drivers hand times back in the session's or the process's zone.
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}
