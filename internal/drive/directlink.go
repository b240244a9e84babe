package drive

import "time"

// DirectLink is a persistent direct link (/f/{id}/{name}) to a file: the
// name it was made for, the speed limit of its creator's group, and how often
// it was followed. It dies with the file.
type DirectLink struct {
	ID        int
	FileID    int
	Name      string
	Speed     int // bytes/s; 0 = unlimited
	Downloads int
	CreatedAt time.Time
	UpdatedAt time.Time
}
