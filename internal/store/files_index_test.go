package store_test

import (
	"context"
	"fmt"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/store"
)

// The file tree's read queries, added to readQueries: every listing order and
// direction, first page and keyset continuation.
func init() {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	values := map[string]any{"name": "a.txt", "size": int64(10), "updated_at": t, "created_at": t}
	for _, o := range []string{"name", "size", "updated_at", "created_at", "id"} {
		for _, dir := range []string{"ASC", "DESC"} {
			name := fmt.Sprintf("ListChildren/%s/%s", o, dir)
			readQueries[name] = struct {
				args     []any
				fullScan string
			}{args: []any{1, 1, 100}}
			after := []any{1, 1, 7, 100}
			if v, ok := values[o]; ok {
				after = []any{1, 1, v, v, 7, 100}
			}
			readQueries[name+"/after"] = struct {
				args     []any
				fullScan string
			}{args: after}
		}
	}
	for name, args := range map[string][]any{
		"FileByID":              {1},
		"RootOf":                {1},
		"ChildByName":           {1, "a.txt"},
		"CountChildren":         {1, 1},
		"ListTrash":             {1, 0, 100},
		"TrashItem":             {1, "0b4d3c1e-8c61-4a8e-9d61-2fdc7b0e6a11"},
		"EntityByID":            {1},
		"EntitiesOfFile":        {1},
		"OrphanEntities":        {0, 100},
		"UploadSession":         {"0b4d3c1e-8c61-4a8e-9d61-2fdc7b0e6a11"},
		"ExpiredUploadSessions": {t, 100},
		"LiveUploadTargets":     {1, t},
		"UserIDsAfter":          {0, 100},
		"DirectLinkByID":        {1},
		"FindDirectLink":        {1, "a.txt", 0},
		"DirectLinksOfFile":     {1},
		"SharesOfFile":          {1},
		"DavAccountByID":        {1},
		"ListDavAccounts":       {1, 11},
		"ListDavAccounts/after": {1, 7, 11},
		"DavAccountByPassword":  {1, "0123456789abcdefghijklmnopqrstuv"},
		"DavLockByToken":        {"opaquelocktoken:x"},
		"LiveDavLocks":          {1, time.Now()},
	} {
		readQueries[name] = struct {
			args     []any
			fullScan string
		}{args: args}
	}
}

// seedTree gives owner a root with a few folders and files, so that planners
// see a populated files table.
func seedTree(ctx context.Context, tx *store.Tx, owner int) error {
	root := &drive.File{Type: drive.TypeFolder, OwnerID: owner}
	if err := tx.InsertFile(ctx, root); err != nil {
		return err
	}
	for i := range 6 {
		f := &drive.File{Type: drive.FileType(i % 2), Name: fmt.Sprintf("item%d", i), OwnerID: owner, ParentID: root.ID, Size: int64(i)}
		if err := tx.InsertFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}
