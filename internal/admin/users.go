package admin

import (
	"context"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// UserView is a user with its group loaded.
type UserView struct {
	User  *drive.User
	Group *drive.Group
}

var userStatuses = map[drive.UserStatus]bool{drive.StatusActive: true, drive.StatusInactive: true,
	drive.StatusManualBanned: true, drive.StatusSysBanned: true}

// Users lists users (60-admin §6.1).
func (s *Service) Users(ctx context.Context, actor drive.Actor, lr ListRequest) ([]UserView, Pagination, error) {
	const op = "admin.Users"
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	f := store.UserFilter{Status: lr.Conditions["user_status"], Nick: lr.Conditions["user_nick"],
		Email: lr.Conditions["user_email"]}
	if f.GroupID, err = lr.intCondition(op, "user_group"); err != nil {
		return nil, Pagination{}, err
	}
	us, total, err := s.db.AdminUsers(ctx, f, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	groups := map[int]*drive.Group{}
	out := make([]UserView, 0, len(us))
	for _, u := range us {
		g, ok := groups[u.GroupID]
		if !ok {
			if g, err = s.db.Group(ctx, u.GroupID); err != nil && !errs.Is(errs.NotExist, err) {
				return nil, Pagination{}, errs.E(op, err)
			}
			groups[u.GroupID] = g
		}
		out = append(out, UserView{User: u, Group: g})
	}
	return out, lr.pagination(total), nil
}

// User returns user id with its group.
func (s *Service) User(ctx context.Context, actor drive.Actor, id int) (UserView, error) {
	const op = "admin.User"
	if err := authorize(op, actor); err != nil {
		return UserView{}, err
	}
	return s.userView(ctx, op, id)
}

func (s *Service) userView(ctx context.Context, op string, id int) (UserView, error) {
	u, err := s.db.UserByID(ctx, id)
	if errs.Is(errs.NotExist, err) {
		return UserView{}, errs.E(op, account.ErrUserNotFound)
	} else if err != nil {
		return UserView{}, errs.E(op, err)
	}
	g, err := s.db.Group(ctx, u.GroupID)
	if err != nil && !errs.Is(errs.NotExist, err) {
		return UserView{}, errs.E(op, err)
	}
	return UserView{User: u, Group: g}, nil
}

// UserEdit is an administrator's create or edit of an account.
type UserEdit struct {
	User     drive.User
	Password string // required on create; on edit, "" keeps the password
	TwoFA    string // on edit, any value turns two-factor sign-in off
}

func (s *Service) checkUser(ctx context.Context, op string, u *drive.User) error {
	email, ok := account.NormalizeEmail(u.Email)
	u.Email = email
	switch {
	case !ok:
		return errs.E(op, errs.Invalid, "Email format error")
	case utf8.RuneCountInString(u.Nick) > 100 || !utf8.ValidString(u.Nick):
		return errs.E(op, errs.Invalid, "Nick is too long")
	case u.Avatar != "" && u.Avatar != "file" && u.Avatar != "gravatar":
		return errs.E(op, errs.Invalid, "Avatar must be empty, file or gravatar")
	}
	if u.Status == "" {
		u.Status = drive.StatusActive
	}
	if !userStatuses[u.Status] {
		return errs.E(op, errs.Invalid, "Status is unknown")
	}
	if u.GroupID == drive.AnonymousGroupID {
		return errs.E(op, errs.Invalid, "accounts cannot join the anonymous group")
	}
	if _, err := s.db.Group(ctx, u.GroupID); errs.Is(errs.NotExist, err) {
		return errs.E(op, errs.Invalid, "the group does not exist")
	} else if err != nil {
		return errs.E(op, err)
	}
	return nil
}

// CreateUser adds an account (60-admin §6.3).
func (s *Service) CreateUser(ctx context.Context, actor drive.Actor, e UserEdit) (UserView, error) {
	const op = "admin.CreateUser"
	if err := authorize(op, actor); err != nil {
		return UserView{}, err
	}
	u := e.User
	if u.ID != 0 {
		return UserView{}, errs.E(op, errs.Invalid, "ID must be 0")
	}
	if e.Password == "" {
		return UserView{}, errs.E(op, errs.Invalid, "Password is required")
	}
	if err := s.checkUser(ctx, op, &u); err != nil {
		return UserView{}, err
	}
	u.Settings, u.Storage, u.TwoFactorSecret = drive.UserSettings{}, 0, ""
	if err := s.accounts.CreateByAdmin(ctx, &u, e.Password); err != nil {
		return UserView{}, errs.E(op, err)
	}
	if err := s.record(ctx, s.db, actor, "user.create", "user", u.ID, nil, userAudit(&u)); err != nil {
		return UserView{}, errs.E(op, err)
	}
	return s.userView(ctx, op, u.ID)
}

// UpdateUser edits an account (60-admin §6.4): e-mail, nick, avatar, status
// and group, and optionally the password and two-factor sign-in. The first
// account, while an administrator, keeps its group and stays active; no
// change may leave the site without an active administrator.
func (s *Service) UpdateUser(ctx context.Context, actor drive.Actor, e UserEdit) (UserView, error) {
	const op = "admin.UpdateUser"
	if err := authorize(op, actor); err != nil {
		return UserView{}, err
	}
	u := e.User
	if u.ID <= 0 {
		return UserView{}, errs.E(op, errs.Invalid, "ID is required")
	}
	if err := s.checkUser(ctx, op, &u); err != nil {
		return UserView{}, err
	}
	if e.Password != "" && utf8.RuneCountInString(e.Password) > 128 {
		return UserView{}, errs.E(op, errs.Invalid, "Password too long")
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.UserByID(ctx, u.ID)
		if errs.Is(errs.NotExist, err) {
			return account.ErrUserNotFound
		} else if err != nil {
			return err
		}
		if old.ID == 1 && old.GroupID == drive.AdminGroupID &&
			(u.GroupID != old.GroupID || u.Status != drive.StatusActive) {
			return errs.E(op, ErrProtectedUser, "the first administrator keeps its group and stays active")
		}
		if err := tx.UpdateUserAdmin(ctx, &u); errs.Is(errs.Exist, err) {
			return account.ErrEmailExists
		} else if err != nil {
			return err
		}
		if e.Password != "" {
			if err := account.SetPasswordIn(ctx, tx, u.ID, e.Password); err != nil {
				return err
			}
		}
		if e.TwoFA != "" {
			if err := tx.SetUserTwoFactor(ctx, u.ID, ""); err != nil {
				return err
			}
		}
		if old.GroupID != u.GroupID || old.Status != u.Status {
			if err := ensureAdminRemains(ctx, tx); err != nil {
				return err
			}
		}
		after := userAudit(&u)
		after["password_changed"] = e.Password != ""
		after["two_fa_disabled"] = e.TwoFA != ""
		return s.record(ctx, tx, actor, "user.update", "user", u.ID, userAudit(old), after)
	})
	if err != nil {
		return UserView{}, errs.E(op, err)
	}
	return s.userView(ctx, op, u.ID)
}

func userAudit(u *drive.User) map[string]any {
	return map[string]any{"email": u.Email, "nick": u.Nick, "status": u.Status, "group": u.GroupID,
		"avatar": u.Avatar}
}

// DeleteUsers deletes accounts (60-admin §6.5), each in its own
// transaction: its files and folders (links dropped, counts lowered), shares,
// upload sessions and WebDAV accounts, then the row. Blobs nobody links any
// more are deleted by the recycler, which starts right after. The first
// account and the caller's own are refused, as is the last administrator.
func (s *Service) DeleteUsers(ctx context.Context, actor drive.Actor, ids []int) error {
	deleted := 0
	err := eachID("admin.DeleteUsers", actor, ids, func(id int) error {
		err := s.deleteUser(ctx, actor, id)
		if err == nil {
			deleted++
		}
		return err
	})
	if deleted > 0 {
		s.background("recycle blobs of deleted users", func(ctx context.Context) error {
			_, err := s.files.CollectEntities(ctx)
			return err
		})
	}
	return err
}

func (s *Service) deleteUser(ctx context.Context, actor drive.Actor, id int) error {
	const op = "admin.DeleteUsers"
	if id == 1 || id == actor.User.ID {
		return errs.E(op, ErrProtectedUser, "the first account and your own cannot be deleted")
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, id)
		if errs.Is(errs.NotExist, err) {
			return account.ErrUserNotFound
		} else if err != nil {
			return err
		}
		if err := s.files.PurgeOwner(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.DeleteUserRows(ctx, id); err != nil {
			return err
		}
		if err := ensureAdminRemains(ctx, tx); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "user.delete", "user", id, userAudit(u), nil)
	})
}

// CalibrateUser recomputes the storage user id uses from the blobs its
// files link (60-admin §6.6).
func (s *Service) CalibrateUser(ctx context.Context, actor drive.Actor, id int) (UserView, error) {
	const op = "admin.CalibrateUser"
	if err := authorize(op, actor); err != nil {
		return UserView{}, err
	}
	before, err := s.userView(ctx, op, id)
	if err != nil {
		return UserView{}, err
	}
	if err := s.db.CalibrateStorage(ctx, id); err != nil {
		return UserView{}, errs.E(op, err)
	}
	after, err := s.userView(ctx, op, id)
	if err != nil {
		return UserView{}, err
	}
	err = s.record(ctx, s.db, actor, "user.calibrate", "user", id, map[string]int64{"storage": before.User.Storage},
		map[string]int64{"storage": after.User.Storage})
	if err != nil {
		return UserView{}, errs.E(op, err)
	}
	return after, nil
}
