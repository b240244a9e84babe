package admin

import (
	"context"
	"unicode/utf8"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// Abuse reports (20-site-session-user §4.4): anyone may file one against a
// share link or a user; administrators list and dismiss them.

// ErrReportedShareNotExist is a report naming a share link that does not
// exist.
var ErrReportedShareNotExist = errs.NewSentinel(errs.NotExist, "share not found")

// AbuseRequest is a report as filed.
type AbuseRequest struct {
	Category    int
	Description string
	ShareID     string // share hashid
	UserID      string // user hashid
	FileURI     string
	Captcha     account.CaptchaAnswer
}

// ReportAbuse stores a report for administrators. Exactly one of a share
// link and a user is named; the captcha is checked when the site asks for
// one.
func (s *Service) ReportAbuse(ctx context.Context, actor drive.Actor, r AbuseRequest) error {
	const op = "admin.ReportAbuse"
	if err := s.accounts.CheckAbuseCaptcha(ctx, r.Captcha); err != nil {
		return errs.E(op, err)
	}
	switch {
	case r.Category < 0 || r.Category > 3:
		return errs.E(op, errs.Invalid, "Category must be 0, 1, 2 or 3")
	case (r.ShareID == "") == (r.UserID == ""):
		return errs.E(op, errs.Invalid, "name exactly one of a share and a user")
	case utf8.RuneCountInString(r.Description) > 512 || !utf8.ValidString(r.Description):
		return errs.E(op, errs.Invalid, "Description is at most 512 characters")
	case len(r.FileURI) > 4096:
		return errs.E(op, errs.Invalid, "FileURI is too long")
	}
	rep := &drive.AbuseReport{Category: r.Category, Description: r.Description, FileURI: r.FileURI, IP: actor.IP}
	if !actor.IsAnonymous() {
		rep.ReporterID = actor.User.ID
	}
	if r.ShareID != "" {
		id, err := s.ids.Decode(r.ShareID, hashid.Share)
		if err != nil {
			return errs.E(op, ErrReportedShareNotExist)
		}
		sh, err := s.db.ShareByID(ctx, id)
		if errs.Is(errs.NotExist, err) {
			return errs.E(op, ErrReportedShareNotExist)
		} else if err != nil {
			return errs.E(op, err)
		}
		rep.ShareID, rep.ReportedUserID = sh.ID, sh.OwnerID
	} else {
		id, err := s.ids.Decode(r.UserID, hashid.User)
		if err != nil {
			return errs.E(op, account.ErrUserNotFound)
		}
		if _, err := s.db.UserByID(ctx, id); errs.Is(errs.NotExist, err) {
			return errs.E(op, account.ErrUserNotFound)
		} else if err != nil {
			return errs.E(op, err)
		}
		rep.ReportedUserID = id
	}
	if err := s.db.InsertAbuseReport(ctx, rep); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// AbuseReports lists reports, newest first. Conditions: category,
// reported_user_id, share_id.
func (s *Service) AbuseReports(ctx context.Context, actor drive.Actor, lr ListRequest) ([]*drive.AbuseReport, Pagination, error) {
	const op = "admin.AbuseReports"
	if lr.OrderDirection == "" {
		lr.OrderDirection = "desc"
	}
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	f := store.AbuseFilter{Category: -1}
	if v := lr.Conditions["category"]; v != "" {
		if f.Category, err = lr.intCondition(op, "category"); err != nil {
			return nil, Pagination{}, err
		}
	}
	if f.ReportedUserID, err = lr.intCondition(op, "reported_user_id"); err != nil {
		return nil, Pagination{}, err
	}
	if f.ShareID, err = lr.intCondition(op, "share_id"); err != nil {
		return nil, Pagination{}, err
	}
	rs, total, err := s.db.AdminAbuseReports(ctx, f, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	return rs, lr.pagination(total), nil
}

// DismissAbuseReports deletes reports once handled.
func (s *Service) DismissAbuseReports(ctx context.Context, actor drive.Actor, ids []int) error {
	return eachID("admin.DismissAbuseReports", actor, ids, func(id int) error {
		if err := s.db.DeleteAbuseReport(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, s.db, actor, "abuse.dismiss", "abuse_report", id, nil, nil)
	})
}
