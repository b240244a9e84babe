package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

func TestSetPolicySettings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before, err := db.Policy(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		ps := before.Settings
		ps.ChunkSize = 5 << 20
		ps.DeniedSuffix = []string{"exe"}
		ps.Extra = map[string]any{"root": "elsewhere", "chunk_size": 1.0} // the typed value wins
		if err := db.SetPolicySettings(ctx, 1, ps); err != nil {
			t.Fatal(err)
		}
		after, err := db.Policy(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := ps
		want.Extra = map[string]any{"root": "elsewhere"}
		if !reflect.DeepEqual(after.Settings, want) {
			t.Errorf("settings = %+v, want %+v", after.Settings, want)
		}
		if after.UpdatedAt.Before(before.UpdatedAt) {
			t.Errorf("updated_at went back: %v → %v", before.UpdatedAt, after.UpdatedAt)
		}
		if err := db.SetPolicySettings(ctx, 999, ps); !errs.Is(errs.NotExist, err) {
			t.Errorf("missing policy: %v", err)
		}
	})
}
