package files

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/store"
)

// SearchOrderByOptions are the sort fields a search offers in the flat
// filesystems (trash, shared_with_me); tree searches offer none.
var SearchOrderByOptions = []string{"created_at"}

// searchCategories are the categories whose admin presets a query may name.
var searchCategories = map[string]bool{"image": true, "video": true, "audio": true, "document": true}

// parseSearch reads the search query of u, expanding a category into the
// site's preset for it.
func (s *Service) parseSearch(u drive.URI) (drive.Search, error) {
	q, err := drive.ParseSearch(u.Query, func(name string) (string, bool) {
		if !searchCategories[name] {
			return "", false
		}
		return s.settings.String("explorer_category_" + name + "_query"), true
	})
	if err != nil {
		return q, errs.E("files.parseSearch", errs.Invalid, err)
	}
	return q, nil
}

// searchToken is the cursor of a search page: the last item returned, its
// creation time, and the folder level (0: children of the searched folder)
// it was found on. Tokens of flat searches carry the id only.
type searchToken struct {
	ID    string    `json:"id"`
	Time  time.Time `json:"time,omitzero"`
	Level int       `json:"level,omitempty"`
}

func (s *Service) encodeSearchToken(f *drive.File, level int) string {
	raw, _ := json.Marshal(searchToken{ID: s.ids.Encode(f.ID, hashid.File), Time: f.CreatedAt, Level: level})
	return base64.StdEncoding.EncodeToString(raw)
}

func (s *Service) decodeSearchToken(raw string) (searchToken, *store.Cursor, error) {
	var t searchToken
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &t) != nil || t.Level < 0 {
		return t, nil, errBadToken
	}
	id, err := s.ids.Decode(t.ID, hashid.File)
	if err != nil {
		return t, nil, errBadToken
	}
	return t, &store.Cursor{ID: id, Time: t.Time}, nil
}

// search fills l with one page of the search that u's query describes: in
// the trash over the flat set of trashed items, elsewhere over the listed
// folder and all its descendants.
func (s *Service) search(ctx context.Context, actor drive.Actor, l *Listing, u drive.URI, size int, desc bool,
	token string) error {
	q, err := s.parseSearch(u)
	if err != nil {
		return err
	}
	l.Searching, l.MixedType = true, true
	l.OrderBy = "created_at"
	l.Pagination = Pagination{PageSize: size, IsCursor: true}
	if l.Parent.FS == drive.FSTrash {
		return s.searchTrash(ctx, actor, l, &q, size, token)
	}
	return s.searchTree(ctx, actor, l, &q, size, desc, token)
}

// searchTree searches breadth first, one folder level at a time: each level
// is one query per chunk of its folders (parent_id IN ...), ordered by
// creation time, so a page is a few indexed lookups however deep the tree.
// A page token names the level and the position in it; the folders of that
// level are found again by walking down to it, which costs one query per
// level and keeps the token small.
func (s *Service) searchTree(ctx context.Context, actor drive.Actor, l *Listing, q *drive.Search, size int,
	desc bool, token string) error {
	w := newSearchWalk(s.db, l.Parent, int(s.settings.Int("max_recursive_searched_folder")))
	var after *store.Cursor
	if token != "" {
		t, c, err := s.decodeSearchToken(token)
		if err != nil {
			return err
		}
		for w.level < t.Level {
			ok, err := w.next(ctx)
			if err != nil {
				return err
			}
			if !ok { // the tree lost that level meanwhile: nothing is left
				l.RecursionLimitReached = w.reached
				l.Files = []*Node{}
				return nil
			}
		}
		after = c
	}
	var (
		page   []*drive.File
		levels []int
	)
	for {
		want := size + 1 - len(page)
		rows, err := s.db.SearchChildren(ctx, w.parents, q, desc, after, want)
		if err != nil {
			return err
		}
		page = append(page, rows...)
		for range rows {
			levels = append(levels, w.level)
		}
		if len(rows) >= want {
			break
		}
		ok, err := w.next(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		after = nil
	}
	l.RecursionLimitReached = w.reached
	if len(page) > size {
		page = page[:size]
		l.Pagination.NextToken = s.encodeSearchToken(page[size-1], levels[size-1])
	}
	l.Files = make([]*Node, 0, len(page))
	for _, f := range page {
		l.Files = append(l.Files, s.node(w.uri(f.ParentID).Join(f.Name), l.Parent.FS, f, actor))
	}
	return nil
}

// searchWalk is the breadth-first walk of a tree search: the folders of the
// current level, and every folder met so far, to name results by path.
type searchWalk struct {
	db      *store.DB
	limit   int // folders to visit at most; ≤ 0: no limit
	visited int
	reached bool // the limit cut the walk short

	level   int
	parents []int
	folders map[int]store.FolderRef
	uris    map[int]drive.URI
}

func newSearchWalk(db *store.DB, root *Node, limit int) *searchWalk {
	return &searchWalk{db: db, limit: limit, visited: 1, parents: []int{root.File.ID},
		folders: map[int]store.FolderRef{}, uris: map[int]drive.URI{root.File.ID: root.URI.WithoutQuery()}}
}

// next moves to the next level down, the sub-folders of the current one,
// and reports false when there is none or the folder limit is spent. When
// the limit cuts a level, the folders with the lowest ids are kept, so that
// walking again to resume a search finds the same ones.
func (w *searchWalk) next(ctx context.Context) (bool, error) {
	if w.reached || len(w.parents) == 0 {
		return false, nil
	}
	refs, err := w.db.ChildFolders(ctx, w.parents)
	if err != nil {
		return false, err
	}
	slices.SortFunc(refs, func(a, b store.FolderRef) int { return a.ID - b.ID })
	if w.limit > 0 && w.visited+len(refs) > w.limit {
		refs = refs[:max(w.limit-w.visited, 0)]
		w.reached = true
	}
	if len(refs) == 0 {
		w.parents = nil
		return false, nil
	}
	w.visited += len(refs)
	w.level++
	w.parents = w.parents[:0]
	for _, r := range refs {
		w.parents = append(w.parents, r.ID)
		w.folders[r.ID] = r
	}
	return true, nil
}

// uri returns the URI of a folder met by the walk.
func (w *searchWalk) uri(id int) drive.URI {
	if u, ok := w.uris[id]; ok {
		return u
	}
	r := w.folders[id]
	u := w.uri(r.ParentID).Join(r.Name)
	w.uris[id] = u
	return u
}

// trashSearchBatch is how many trashed items one round of a trash search
// reads.
const trashSearchBatch = 200

// searchTrash filters the flat trash in memory: trashed items are matched by
// their original names, which only their restore URIs hold. Items come in id
// order; the token is the last one returned.
func (s *Service) searchTrash(ctx context.Context, actor drive.Actor, l *Listing, q *drive.Search, size int,
	token string) error {
	after := 0
	if token != "" {
		_, c, err := s.decodeSearchToken(token)
		if err != nil {
			return err
		}
		after = c.ID
	}
	var out []*Node
	for len(out) <= size {
		rows, err := s.db.ListTrash(ctx, actor.User.ID, after, trashSearchBatch)
		if err != nil {
			return err
		}
		nodes := make([]*Node, len(rows))
		for i, f := range rows {
			nodes[i] = s.node(l.Parent.URI.Join(f.Name), drive.FSTrash, f, actor)
		}
		if err := s.loadMetadata(ctx, nodes); err != nil {
			return err
		}
		for _, n := range nodes {
			if matchSearch(n, q) {
				out = append(out, n)
				if len(out) > size {
					break
				}
			}
		}
		if len(rows) < trashSearchBatch {
			break
		}
		after = rows[len(rows)-1].ID
	}
	if len(out) > size {
		out = out[:size]
		l.Pagination.NextToken = s.encodeSearchToken(out[size-1].File, 0)
	}
	l.Files = out
	return nil
}

// matchSearch reports whether n, with its public metadata loaded, meets q:
// the in-memory twin of store.SearchChildren for flat sets.
func matchSearch(n *Node, q *drive.Search) bool {
	f := n.File
	switch q.Type {
	case "file":
		if f.IsFolder() {
			return false
		}
	case "folder":
		if !f.IsFolder() {
			return false
		}
	}
	if len(q.Names) > 0 {
		matched := 0
		for _, p := range q.Names {
			if p.Match(n.Name) {
				matched++
			}
		}
		if q.NameOr && matched == 0 || !q.NameOr && matched < len(q.Names) {
			return false
		}
	}
	if q.HasSize && (f.Size < q.SizeGTE || f.Size > q.SizeLTE) {
		return false
	}
	for _, b := range []struct{ t, gte, lte time.Time }{
		{f.CreatedAt, q.CreatedGTE, q.CreatedLTE}, {f.UpdatedAt, q.UpdatedGTE, q.UpdatedLTE},
	} {
		if !b.gte.IsZero() && b.t.Before(b.gte) || !b.lte.IsZero() && b.t.After(b.lte) {
			return false
		}
	}
	for _, c := range q.Meta {
		v, ok := f.Metadata[c.Key]
		switch {
		case !ok:
			return false
		case c.Exact:
			if v != c.Value {
				return false
			}
		case c.Value != "" && !strings.Contains(strings.ToLower(v), strings.ToLower(c.Value)):
			return false
		}
	}
	return true
}
