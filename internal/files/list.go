package files

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// ListOptions are the paging and ordering parameters of GET /file.
type ListOptions struct {
	Page           int
	PageSize       int
	OrderBy        string
	OrderDirection string
	NextPageToken  string
}

// Pagination describes the page returned.
type Pagination struct {
	Page       int    `json:"page"`
	PageSize   int    `json:"page_size"`
	TotalItems int    `json:"total_items,omitempty"`
	NextToken  string `json:"next_token,omitempty"`
	IsCursor   bool   `json:"is_cursor,omitempty"`
}

// Listing is a page of a folder.
type Listing struct {
	Parent                *Node
	Files                 []*Node
	Pagination            Pagination
	OrderBy               string
	Direction             string
	Searching             bool
	ContextHint           string
	MixedType             bool
	View                  *drive.ExplorerView
	RecursionLimitReached bool
	// SingleFileView marks the listing of a single-file share's root.
	SingleFileView bool
}

// OrderByOptions are the sort fields a folder listing offers.
var OrderByOptions = []string{"name", "size", "updated_at", "created_at"}

const defaultPageSize = 100

// List returns one page of the folder at rawURI. Folders come before files;
// the cursor crosses from folders to files transparently.
func (s *Service) List(ctx context.Context, actor drive.Actor, rawURI string, opt ListOptions) (*Listing, error) {
	const op = "files.List"
	u, err := parseURI(rawURI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	parent, err := s.resolve(ctx, s.db, actor, u)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := enter(parent.File); err != nil {
		return nil, errs.E(op, err)
	}
	if err := requireCap(parent, CapList); err != nil {
		return nil, errs.E(op, err)
	}
	view := s.effectiveView(actor, parent)
	size := opt.PageSize
	if size <= 0 {
		size = view.PageSize
	}
	if size <= 0 {
		size = defaultPageSize
	}
	if max := int(s.settings.Int("max_page_size")); max > 0 && size > max {
		size = max
	}
	orderBy, dir := opt.OrderBy, opt.OrderDirection
	if orderBy == "" {
		orderBy = view.Order
	}
	if dir == "" {
		dir = view.OrderDirection
	}
	order := store.ListOrder(orderBy)
	switch order {
	case store.OrderName, store.OrderSize, store.OrderUpdated, store.OrderCreated:
	default:
		order, orderBy = store.OrderID, ""
	}
	if dir != "desc" {
		dir = "asc"
	}
	l := &Listing{Parent: parent, OrderBy: orderBy, Direction: dir, ContextHint: uuid.NewString()}
	if !viewSyncOff(actor) && !hidesView(parent) {
		view.PageSize, view.Order, view.OrderDirection = size, orderBy, dir
		l.View = &view
	}
	if parent.singleFile != nil {
		// A single-file share lists its file and nothing else.
		n := s.node(parent.URI.Join(parent.singleFile.Name), drive.FSShare, parent.singleFile, actor)
		n.Share = parent.Share
		l.Files, l.SingleFileView = []*Node{n}, true
		l.Pagination = Pagination{PageSize: size, IsCursor: true}
	} else if u.IsSearch() {
		err = s.search(ctx, actor, l, u, size, dir == "desc", opt.NextPageToken)
	} else if parent.FS == drive.FSTrash {
		err = s.listTrash(ctx, actor, l, size, opt.NextPageToken)
	} else if s.settings.Bool("use_cursor_pagination") || opt.NextPageToken != "" {
		err = s.listCursor(ctx, actor, l, order, dir == "desc", size, opt.NextPageToken)
	} else {
		err = s.listOffset(ctx, actor, l, order, dir == "desc", size, opt.Page)
	}
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.loadMetadata(ctx, l.Files); err != nil {
		return nil, errs.E(op, err)
	}
	if err := s.markShared(ctx, l.Files); err != nil {
		return nil, errs.E(op, err)
	}
	return l, nil
}

// pageToken is the cursor handed to clients: the last item of the page and
// its sort value. File marks that the folders are exhausted.
type pageToken struct {
	ID     string    `json:"id"`
	Time   time.Time `json:"time,omitzero"`
	String string    `json:"string,omitempty"`
	Int    int64     `json:"int,omitempty"`
	File   bool      `json:"start_with_file,omitempty"`
}

var errBadToken = errs.E("files.pageToken", errs.Invalid, "Invalid page token")

func (s *Service) encodeToken(t pageToken) string {
	raw, _ := json.Marshal(t)
	return base64.StdEncoding.EncodeToString(raw)
}

func (s *Service) decodeToken(raw string) (pageToken, *store.Cursor, error) {
	var t pageToken
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &t) != nil {
		return t, nil, errBadToken
	}
	if t.ID == "" {
		if !t.File {
			return t, nil, errBadToken
		}
		return t, nil, nil // files from the start
	}
	id, err := s.ids.Decode(t.ID, hashid.File)
	if err != nil {
		return t, nil, errBadToken
	}
	return t, &store.Cursor{ID: id, Name: t.String, Int: t.Int, Time: t.Time}, nil
}

func (s *Service) listCursor(ctx context.Context, actor drive.Actor, l *Listing, order store.ListOrder, desc bool,
	size int, token string) error {
	typ := drive.TypeFolder
	var after *store.Cursor
	if token != "" {
		t, c, err := s.decodeToken(token)
		if err != nil {
			return err
		}
		after = c
		if t.File {
			typ = drive.TypeFile
		}
	}
	var page []*drive.File
	for {
		rows, err := s.db.ListChildren(ctx, l.Parent.File.ID, typ, order, desc, after, size+1-len(page))
		if err != nil {
			return err
		}
		page = append(page, rows...)
		if len(page) > size || typ == drive.TypeFile {
			break
		}
		typ, after = drive.TypeFile, nil
	}
	l.Pagination = Pagination{PageSize: size, IsCursor: true}
	if len(page) > size {
		page = page[:size]
		last := page[size-1]
		c := store.CursorOf(last, order)
		l.Pagination.NextToken = s.encodeToken(pageToken{ID: s.ids.Encode(last.ID, hashid.File),
			String: c.Name, Int: c.Int, Time: c.Time, File: !last.IsFolder()})
	}
	l.Files = s.children(l.Parent, page, actor)
	return nil
}

// listOffset serves offset pagination by walking keyset pages up to the
// requested one: O(offset), but every query stays an index range scan.
func (s *Service) listOffset(ctx context.Context, actor drive.Actor, l *Listing, order store.ListOrder, desc bool,
	size, page int) error {
	folders, err := s.db.CountChildren(ctx, l.Parent.File.ID, drive.TypeFolder)
	if err != nil {
		return err
	}
	fileCount, err := s.db.CountChildren(ctx, l.Parent.File.ID, drive.TypeFile)
	if err != nil {
		return err
	}
	if page < 0 {
		page = 0
	}
	skip := page * size
	var out []*drive.File
	for _, typ := range []drive.FileType{drive.TypeFolder, drive.TypeFile} {
		var after *store.Cursor
		for len(out) < size {
			rows, err := s.db.ListChildren(ctx, l.Parent.File.ID, typ, order, desc, after, max(size, 500))
			if err != nil {
				return err
			}
			for _, f := range rows {
				if skip > 0 {
					skip--
					continue
				}
				if len(out) < size {
					out = append(out, f)
				}
			}
			if len(rows) < max(size, 500) {
				break
			}
			after = store.CursorOf(rows[len(rows)-1], order)
		}
	}
	l.Files = s.children(l.Parent, out, actor)
	l.Pagination = Pagination{Page: page, PageSize: size, TotalItems: folders + fileCount}
	return nil
}

func (s *Service) listTrash(ctx context.Context, actor drive.Actor, l *Listing, size int, token string) error {
	after := 0
	if token != "" {
		_, c, err := s.decodeToken(token)
		if err != nil || c == nil {
			return errBadToken
		}
		after = c.ID
	}
	rows, err := s.db.ListTrash(ctx, actor.User.ID, after, size+1)
	if err != nil {
		return err
	}
	l.Pagination = Pagination{PageSize: size, IsCursor: true}
	if len(rows) > size {
		rows = rows[:size]
		l.Pagination.NextToken = s.encodeToken(pageToken{ID: s.ids.Encode(rows[size-1].ID, hashid.File)})
	}
	l.MixedType = true
	l.Files = make([]*Node, 0, len(rows))
	for _, f := range rows {
		l.Files = append(l.Files, s.node(l.Parent.URI.Join(f.Name), drive.FSTrash, f, actor))
	}
	return nil
}

func (s *Service) children(parent *Node, rows []*drive.File, actor drive.Actor) []*Node {
	out := make([]*Node, 0, len(rows))
	for _, f := range rows {
		n := s.node(parent.URI.Join(f.Name), parent.FS, f, actor)
		n.Share = parent.Share
		out = append(out, n)
	}
	return out
}

// loadMetadata fills File.Metadata with public entries and sets display names
// of trashed items from their restore URI.
func (s *Service) loadMetadata(ctx context.Context, nodes []*Node) error {
	if len(nodes) == 0 {
		return nil
	}
	ids := make([]int, 0, len(nodes))
	byID := make(map[int]*Node, len(nodes))
	for _, n := range nodes {
		if n.File.ID == 0 {
			continue
		}
		ids = append(ids, n.File.ID)
		byID[n.File.ID] = n
		n.File.Metadata = map[string]string{}
	}
	metas, err := s.db.MetadataOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, m := range metas {
		n := byID[m.FileID]
		if m.Public {
			n.File.Metadata[m.Name] = m.Value
		}
		if m.Name == drive.MetaRestoreURI {
			if u, err := drive.ParseURI(m.Value); err == nil && len(u.Path) > 0 {
				n.Name = u.Name()
			}
		}
	}
	return nil
}

// effectiveView is the view stored on the folder, else on the nearest
// folder above it, else (at the root of a flat filesystem, which has no row)
// the actor's view of that filesystem, else the default. Actors who turned
// view sync off always get the default.
func (s *Service) effectiveView(actor drive.Actor, n *Node) drive.ExplorerView {
	if !viewSyncOff(actor) && !hidesView(n) {
		if v := n.File.Props.View; v != nil {
			return *v
		}
		if v := n.InheritedView; v != nil {
			return *v
		}
		if n.File.ID == 0 && actor.User != nil {
			if v, ok := actor.User.Settings.FsViewMap[string(n.FS)]; ok {
				return v
			}
		}
	}
	if n.FS == drive.FSTrash {
		// Name, size, expiry and original location.
		return drive.ExplorerView{PageSize: defaultPageSize, View: "list",
			Columns: []map[string]any{{"type": 0}, {"type": 2}, {"type": 8}, {"type": 7}}}
	}
	return drive.ExplorerView{PageSize: defaultPageSize, View: "grid", Thumbnail: true}
}

// viewSyncOff reports whether the actor keeps view settings in the browser
// rather than on the server.
func viewSyncOff(actor drive.Actor) bool {
	return actor.User != nil && actor.User.Settings.DisableViewSync
}

// hidesView reports whether n is reached through a share that keeps the
// owner's view settings from visitors (40-share §10 rule 7).
func hidesView(n *Node) bool {
	return n.Share != nil && !n.Share.Props.ShareView && !n.Owned
}
