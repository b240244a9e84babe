package files

import (
	"context"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// InfoRequest is GET /file/info: the item by URI, or else by public ID,
// and the optional parts to add.
type InfoRequest struct {
	URI           string
	ID            string
	Extended      bool
	FolderSummary bool
}

// Details is an item with the optional parts of GET /file/info.
type Details struct {
	*Node
	Extended *ExtendedInfo  // nil unless asked for
	Summary  *FolderSummary // nil unless asked for, and for files
}

// ExtendedInfo is what files 30 §1.3 adds about an item.
type ExtendedInfo struct {
	// Policy is the storage policy recorded on the item, nil if none.
	Policy *drive.Policy
	// StorageUsed is the size of every entity linked: versions,
	// thumbnails, live photos, uploads in flight.
	StorageUsed int64
	// Entities are those entities, newest first.
	Entities []EntityInfo
	// View is the view stored on the item itself; only its owner sees it.
	View *drive.ExplorerView
	// DirectLinks are the file's persistent direct links; only its owner
	// sees them.
	DirectLinks []*drive.DirectLink
}

// EntityInfo is an entity with its policy and uploader, when known.
type EntityInfo struct {
	*drive.Entity
	Policy  *drive.Policy
	Creator *drive.User // with Group; nil when unknown or deleted
}

// FolderSummary is the recursive size of a folder (files 30 §1.5).
type FolderSummary struct {
	Size         int64 // every entity of every file below
	Files        int
	Folders      int
	Completed    bool // false: the walk stopped at the group's max_walked_files
	CalculatedAt time.Time
}

// Details returns the item of req with its public metadata and the parts
// req asks for. A folder summary walks the whole subtree, bounded by the
// actor's group max_walked_files, and is for the owner only.
func (s *Service) Details(ctx context.Context, actor drive.Actor, req InfoRequest) (*Details, error) {
	const op = "files.Details"
	var (
		n   *Node
		err error
	)
	switch {
	case req.URI != "":
		n, err = s.Info(ctx, actor, req.URI)
	case req.ID != "":
		n, err = s.InfoByID(ctx, actor, req.ID)
	default:
		err = errs.E(op, errs.Invalid, "uri or id is required")
	}
	if err != nil {
		return nil, err
	}
	d := &Details{Node: n}
	if req.FolderSummary && n.File.IsFolder() {
		if !n.Owned {
			return nil, errs.E(op, ErrNotOwner)
		}
		if d.Summary, err = s.folderSummary(ctx, actor, n.File); err != nil {
			return nil, errs.E(op, err)
		}
	}
	if req.Extended {
		if d.Extended, err = s.extendedInfo(ctx, n); err != nil {
			return nil, errs.E(op, err)
		}
	}
	return d, nil
}

func (s *Service) extendedInfo(ctx context.Context, n *Node) (*ExtendedInfo, error) {
	policies := map[int]*drive.Policy{}
	policy := func(id int) (*drive.Policy, error) {
		if id == 0 {
			return nil, nil
		}
		if p, ok := policies[id]; ok {
			return p, nil
		}
		p, err := s.db.Policy(ctx, id)
		if errs.Is(errs.NotExist, err) {
			p, err = nil, nil
		}
		policies[id] = p
		return p, err
	}
	users := map[int]*drive.User{}
	user := func(id int) (*drive.User, error) {
		if id == 0 {
			return nil, nil
		}
		if u, ok := users[id]; ok {
			return u, nil
		}
		u, err := s.db.UserByID(ctx, id)
		if errs.Is(errs.NotExist, err) {
			users[id] = nil
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if u.Group, err = s.db.Group(ctx, u.GroupID); err != nil && !errs.Is(errs.NotExist, err) {
			return nil, err
		}
		users[id] = u
		return u, nil
	}

	x := &ExtendedInfo{}
	var err error
	if x.Policy, err = policy(n.File.PolicyID); err != nil {
		return nil, err
	}
	if n.Owned {
		x.View = n.File.Props.View
	}
	if n.File.IsFolder() {
		return x, nil
	}
	if n.Owned {
		if x.DirectLinks, err = s.db.DirectLinksOfFile(ctx, n.File.ID); err != nil {
			return nil, err
		}
	}
	entities, err := s.db.EntitiesOfFile(ctx, n.File.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range entities {
		ei := EntityInfo{Entity: e}
		if ei.Policy, err = policy(e.PolicyID); err != nil {
			return nil, err
		}
		if ei.Creator, err = user(e.CreatedBy); err != nil {
			return nil, err
		}
		x.StorageUsed += e.Size
		x.Entities = append(x.Entities, ei)
	}
	return x, nil
}

// folderSummary walks the subtree of folder f level by level, counting
// files and folders (shortcuts count but are not entered) and adding up the
// entities the files link.
func (s *Service) folderSummary(ctx context.Context, actor drive.Actor, f *drive.File) (*FolderSummary, error) {
	limit := WalkLimit(actor)
	sum := &FolderSummary{Completed: true, CalculatedAt: s.now()}
	var files []int
	walked := 0
	for level := []int{f.ID}; len(level) > 0 && sum.Completed; {
		children, err := s.db.ChildrenOf(ctx, level)
		if err != nil {
			return nil, err
		}
		level = level[:0]
		for _, c := range children {
			if limit > 0 && walked >= limit {
				sum.Completed = false
				break
			}
			walked++
			if !c.IsFolder() {
				sum.Files++
				files = append(files, c.ID)
				continue
			}
			sum.Folders++
			if !c.IsSymbolic {
				level = append(level, c.ID)
			}
		}
	}
	links, err := s.db.LinksOf(ctx, files)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		sum.Size += l.Size
	}
	return sum, nil
}
