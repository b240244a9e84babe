package admin

import (
	"context"
	"encoding/json"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
)

// summaryKey caches the dashboard figures for a day (60-admin §3).
const (
	summaryKey  = "admin_summary"
	summaryTTL  = 24 * time.Hour
	summaryDays = 12
)

// Metrics are the dashboard figures: new files, users and shares per day
// for the last 12 days (oldest first) and all-time totals.
type Metrics struct {
	Dates         []time.Time `json:"dates"`
	Files         []int       `json:"files"`
	Users         []int       `json:"users"`
	Shares        []int       `json:"shares"`
	FileTotal     int         `json:"file_total"`
	UserTotal     int         `json:"user_total"`
	ShareTotal    int         `json:"share_total"`
	EntitiesTotal int         `json:"entities_total"`
	GeneratedAt   time.Time   `json:"generated_at"`
}

// Summary is the dashboard.
type Summary struct {
	Metrics  *Metrics `json:"metrics_summary"`
	SiteURLs []string `json:"site_urls"`
	Version  Version  `json:"version"`
}

// Summary returns the dashboard. Figures come from the cache when present;
// otherwise they are computed only when generate is set.
func (s *Service) Summary(ctx context.Context, actor drive.Actor, generate bool) (Summary, error) {
	const op = "admin.Summary"
	if err := authorize(op, actor); err != nil {
		return Summary{}, err
	}
	out := Summary{SiteURLs: s.settings.SiteURLs(), Version: s.version}
	if raw, ok, err := s.kv.Get(ctx, summaryKey); err != nil {
		return Summary{}, errs.E(op, err)
	} else if ok {
		var m Metrics
		if json.Unmarshal(raw, &m) == nil {
			out.Metrics = &m
			return out, nil
		}
	}
	if !generate {
		return out, nil
	}
	m, err := s.metrics(ctx, time.Now())
	if err != nil {
		return Summary{}, errs.E(op, err)
	}
	if raw, err := json.Marshal(m); err == nil {
		if err := s.kv.Set(ctx, summaryKey, raw, summaryTTL); err != nil {
			return Summary{}, errs.E(op, err)
		}
	}
	out.Metrics = m
	return out, nil
}

// metrics counts per day in the server's local time; the last bucket ends
// at the coming midnight.
func (s *Service) metrics(ctx context.Context, now time.Time) (*Metrics, error) {
	y, mo, d := now.Date()
	end := time.Date(y, mo, d+1, 0, 0, 0, 0, now.Location())
	m := &Metrics{GeneratedAt: now.UTC()}
	for i := summaryDays; i > 0; i-- {
		from, to := end.AddDate(0, 0, -i), end.AddDate(0, 0, -i+1)
		m.Dates = append(m.Dates, from)
		for _, c := range []struct {
			table string
			into  *[]int
		}{{"files", &m.Files}, {"users", &m.Users}, {"shares", &m.Shares}} {
			n, err := s.db.CreatedBetween(ctx, c.table, from, to)
			if err != nil {
				return nil, err
			}
			*c.into = append(*c.into, n)
		}
	}
	for _, c := range []struct {
		table string
		into  *int
	}{{"files", &m.FileTotal}, {"users", &m.UserTotal}, {"shares", &m.ShareTotal}, {"entities", &m.EntitiesTotal}} {
		n, err := s.db.CountRows(ctx, c.table)
		if err != nil {
			return nil, err
		}
		*c.into = n
	}
	return m, nil
}

// AuditLog lists audit entries, newest first unless asked otherwise.
// Conditions: actor_id, action, target_type, target_id, since and until
// (RFC 3339).
func (s *Service) AuditLog(ctx context.Context, actor drive.Actor, lr ListRequest) ([]*drive.AuditEntry, Pagination, error) {
	const op = "admin.AuditLog"
	if lr.OrderDirection == "" {
		lr.OrderDirection = "desc"
	}
	p, err := lr.authorizedPage(op, actor)
	if err != nil {
		return nil, Pagination{}, err
	}
	f := store.AuditFilter{Action: lr.Conditions["action"], TargetType: lr.Conditions["target_type"],
		TargetID: lr.Conditions["target_id"]}
	if f.ActorID, err = lr.intCondition(op, "actor_id"); err != nil {
		return nil, Pagination{}, err
	}
	for key, into := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if v := lr.Conditions[key]; v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, Pagination{}, errs.E(op, errs.Invalid, "condition "+key+" must be an RFC 3339 time")
			}
			*into = t
		}
	}
	es, total, err := s.db.AdminAudit(ctx, f, p)
	if err != nil {
		return nil, Pagination{}, errs.E(op, err)
	}
	return es, lr.pagination(total), nil
}
