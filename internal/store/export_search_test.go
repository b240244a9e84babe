package store

import "github.com/stratus-drive/stratus/internal/drive"

// SearchQuery returns the text and arguments of one chunk of
// SearchChildren, for the index test.
func SearchQuery(db *DB, parents []int, q *drive.Search, desc bool, after *Cursor, limit int) (string, []any) {
	return searchQuery(db.d, parents, q, desc, after, limit)
}

// ChildFoldersQuery returns the text of ChildFolders for n parents.
func ChildFoldersQuery(db *DB, n int) string {
	return db.inQuery(childFolders, n)
}

// LikeToGlob exposes likeToGlob.
var LikeToGlob = likeToGlob
