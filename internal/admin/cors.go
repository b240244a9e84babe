package admin

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/storage"
)

// corsTypes are the policy types whose buckets take a CORS rule
// (60-admin §11.2). A type also needs its driver in this build.
var corsTypes = []string{"oss", "cos", "s3", "obs"}

// corsUnsupported is the contract's message for every other type.
const corsUnsupported = "Unsupported policy type"

// SetPolicyCORS opens the bucket of p, which need not be saved (the form's
// values), to browsers: the driver built from p installs the rule.
func (s *Service) SetPolicyCORS(ctx context.Context, actor drive.Actor, p *drive.Policy) error {
	const op = "admin.SetPolicyCORS"
	if err := authorize(op, actor); err != nil {
		return err
	}
	if !slices.Contains(corsTypes, p.Type) || !slices.Contains(s.drivers.Types(), p.Type) {
		return errs.E(op, errs.Invalid, corsUnsupported)
	}
	raw, err := json.Marshal(p.Settings.Extra)
	if err != nil {
		return errs.E(op, errs.Invalid, "settings are not valid")
	}
	d, err := s.drivers.New(p.Type, raw, s.env)
	if err != nil {
		return errs.E(op, errs.Internal, "Failed to create driver: "+reason(err))
	}
	setter, ok := storage.As[storage.CORSSetter](d)
	if !ok {
		return errs.E(op, errs.Invalid, corsUnsupported)
	}
	if err := setter.SetCORS(ctx); err != nil {
		return errs.E(op, ErrIntegration, "Failed to create cors: "+reason(err))
	}
	return s.record(ctx, s.db, actor, "policy.cors", "policy", p.ID, nil, map[string]string{"type": p.Type, "bucket": p.BucketName})
}
