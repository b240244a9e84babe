package store

import (
	"context"
	"encoding/json"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

var setPolicySettings = define("SetPolicySettings",
	`UPDATE storage_policies SET settings = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`)

// SetPolicySettings replaces the settings document of policy id. Keys of
// ps.Extra are written back next to the typed ones (a typed key wins over an
// Extra key of the same name). A missing policy is errs.NotExist.
//
// Services cache drivers per policy: a running server sees the change only
// for policies it has not used yet.
func (r *runner) SetPolicySettings(ctx context.Context, id int, ps drive.PolicySettings) error {
	const op = "store.SetPolicySettings"
	doc, err := encodePolicySettings(ps)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	return classify(op, r.update(ctx, setPolicySettings, doc, now(), id))
}

func encodePolicySettings(ps drive.PolicySettings) (string, error) {
	typed, err := json.Marshal(ps)
	if err != nil {
		return "", err
	}
	if len(ps.Extra) == 0 {
		return string(typed), nil
	}
	all := make(map[string]any, len(ps.Extra))
	for k, v := range ps.Extra {
		all[k] = v
	}
	var fields map[string]any
	if err := json.Unmarshal(typed, &fields); err != nil {
		return "", err
	}
	for k, v := range fields {
		all[k] = v
	}
	return encodeDoc(all)
}
