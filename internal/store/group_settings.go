package store

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

var setGroupSettings = define("SetGroupSettings", `UPDATE "groups" SET settings = ?, updated_at = ? WHERE id = ?`)

// SetGroupSettings replaces the settings document of group id.
func (r *runner) SetGroupSettings(ctx context.Context, id int, gs drive.GroupSettings) error {
	const op = "store.SetGroupSettings"
	doc, err := encodeDoc(gs)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return classify(op, r.update(ctx, setGroupSettings, doc, now(), id))
}
