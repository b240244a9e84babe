package e2e

import (
	"fmt"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

func TestAbuseReports(t *testing.T) {
	t.Parallel()
	testenv.EachDialect(t, testenv.Options{}, func(t *testing.T, env *testenv.Env) {
		admin, user := adminUsers(t, env)
		upload(t, user, "cloudreve://my/bad.txt", []byte("bad"), nil)
		shareID, _ := createShare(t, user, map[string]any{"uri": "cloudreve://my/bad.txt"})
		var me struct {
			ID string `json:"id"`
		}
		user.OK(t, "GET", "/user/me", nil).Decode(t, &me)

		anon := env.Client()
		anon.OK(t, "POST", "/site/abuse", map[string]any{"category": 2, "description": "spam link", "share_id": shareID})
		admin.OK(t, "POST", "/site/abuse", map[string]any{"category": 0, "user_id": me.ID, "file_uri": "cloudreve://x@share/a"})
		for _, c := range []struct {
			body map[string]any
			code int
		}{
			{map[string]any{"description": "no category", "share_id": shareID}, 40001},
			{map[string]any{"category": 7, "share_id": shareID}, 40001},
			{map[string]any{"category": 1}, 40001},
			{map[string]any{"category": 1, "share_id": shareID, "user_id": me.ID}, 40001},
			{map[string]any{"category": 1, "share_id": "nope"}, 40058},
			{map[string]any{"category": 1, "user_id": "nope"}, 40021},
		} {
			anon.ExpectCode(t, c.code, "POST", "/site/abuse", c.body)
		}

		type report struct {
			ID             int    `json:"id"`
			Category       int    `json:"category"`
			Description    string `json:"description"`
			ShareID        int    `json:"share_id"`
			ReportedUserID int    `json:"reported_user_id"`
			ReporterID     int    `json:"reporter_id"`
			IP             string `json:"ip"`
		}
		reports, p := adminList[report](t, admin, "/admin/abuse", listBody(1, 10, nil), "reports")
		if len(reports) != 2 || p.TotalItems != 2 {
			t.Fatalf("reports = %+v", reports)
		}
		spam := reports[1] // newest first
		if spam.Category != 2 || spam.ShareID == 0 || spam.ReportedUserID != 2 || spam.ReporterID != 0 || spam.IP == "" {
			t.Errorf("share report = %+v", spam)
		}
		if reports[0].ReporterID != 1 || reports[0].ReportedUserID != 2 {
			t.Errorf("user report = %+v", reports[0])
		}
		byCat, _ := adminList[report](t, admin, "/admin/abuse", listBody(1, 10, map[string]string{"category": "2"}), "reports")
		if len(byCat) != 1 || byCat[0].ID != spam.ID {
			t.Errorf("by category = %+v", byCat)
		}
		user.ExpectCode(t, 403, "POST", "/admin/abuse", listBody(1, 10, nil))
		admin.OK(t, "POST", "/admin/abuse/batch/delete", map[string]any{"ids": []int{spam.ID}})
		if e := admin.Do(t, "POST", "/admin/abuse/batch/delete", map[string]any{"ids": []int{spam.ID}}); e.Code != 40081 {
			t.Errorf("dismissing twice: %d", e.Code)
		}
		left, _ := adminList[report](t, admin, "/admin/abuse", listBody(1, 10, nil), "reports")
		if len(left) != 1 {
			t.Errorf("after dismiss = %+v", left)
		}
		if es := auditOf(t, admin, "abuse.dismiss"); len(es) != 1 || es[0].TargetID != fmt.Sprint(spam.ID) {
			t.Errorf("audit = %+v", es)
		}

		// With the captcha switched on, a report without one is refused.
		admin.OK(t, "PATCH", "/admin/settings", map[string]any{"settings": map[string]string{"abuse_report_captcha": "1"}})
		anon.ExpectCode(t, 40026, "POST", "/site/abuse", map[string]any{"category": 2, "share_id": shareID})
	})
}
