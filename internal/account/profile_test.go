package account

import (
	"slices"
	"testing"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/store"
)

// TestUpdateSettingsKeepsConcurrentChanges: a pin written while a settings
// patch is being checked (here: during its password check) survives the
// patch, because the patch is applied to the document as it is when written.
func TestUpdateSettingsKeepsConcurrentChanges(t *testing.T) {
	hook := &hookKV{}
	h := newHarness(t, func(s kv.Store) kv.Store { hook.Store = s; return hook })
	actor := h.user("a@example.com", "old password")
	id := actor.User.ID
	hook.hook = func() {
		// Another request pins a folder, as files.Pin does.
		err := h.db.InTx(h.ctx, func(tx *store.Tx) error {
			return tx.ModifyUserProfile(h.ctx, id, func(_ *string, st *drive.UserSettings) error {
				st.Pined = append(st.Pined, drive.PinnedFile{URI: "cloudreve://my/pinned"})
				return nil
			})
		})
		if err != nil {
			t.Error(err)
		}
	}
	lang, cur, next := "de-DE", "old password", "new password 1"
	if err := h.s.UpdateSettings(h.ctx, actor, SettingsPatch{Language: &lang, CurrentPassword: &cur,
		NewPassword: &next}); err != nil {
		t.Fatal(err)
	}
	st := h.settingsOf(id)
	if st.Language != "de-DE" {
		t.Errorf("language %q", st.Language)
	}
	if !slices.ContainsFunc(st.Pined, func(p drive.PinnedFile) bool { return p.URI == "cloudreve://my/pinned" }) {
		t.Errorf("the concurrent pin was lost: %+v", st.Pined)
	}
}
