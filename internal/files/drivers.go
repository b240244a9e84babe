package files

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/storage"
)

// policyDriver is a storage policy with the driver built from it.
type policyDriver struct {
	policy  *drive.Policy
	driver  storage.Driver
	version string // setting.PolicyVersionKey when it was built
}

// drivers builds one driver per storage policy and keeps it: drivers hold
// open roots and connection pools that must not be rebuilt per request. An
// edit of any policy changes the policy version setting, which every
// process sees on its next settings sync; entries built under an older
// version are then rebuilt from the edited row.
type drivers struct {
	registry *storage.Registry
	env      storage.Env
	mu       sync.Mutex
	byPolicy map[int]policyDriver
}

func (s *Service) driverFor(ctx context.Context, policyID int) (policyDriver, error) {
	const op = "files.driverFor"
	d := s.drivers
	version := s.settings.String(setting.PolicyVersionKey)
	d.mu.Lock()
	defer d.mu.Unlock()
	if pd, ok := d.byPolicy[policyID]; ok && pd.version == version {
		return pd, nil
	}
	p, err := s.db.Policy(ctx, policyID)
	if err != nil {
		return policyDriver{}, errs.E(op, err)
	}
	raw, err := json.Marshal(p.Settings.Extra)
	if err != nil {
		return policyDriver{}, errs.E(op, errs.Internal, err)
	}
	drv, err := d.registry.New(p.Type, raw, d.env)
	if err != nil {
		return policyDriver{}, errs.E(op, err)
	}
	pd := policyDriver{policy: p, driver: drv, version: version}
	d.byPolicy[policyID] = pd
	return pd, nil
}

// policyFor returns the storage policy new content of actor goes to.
func (s *Service) policyFor(ctx context.Context, actor drive.Actor) (policyDriver, error) {
	id := policyOf(actor)
	if id == 0 {
		return policyDriver{}, errs.E("files.policyFor", ErrGroupNotAllowed, "the group has no storage policy")
	}
	return s.driverFor(ctx, id)
}
