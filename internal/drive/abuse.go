package drive

import "time"

// AbuseReport is a report of a share link or a user for administrators
// (20-site-session-user §4.4).
type AbuseReport struct {
	ID             int
	CreatedAt      time.Time
	Category       int // 0 copyright, 1 harmful content, 2 spam, 3 other
	Description    string
	ShareID        int // 0: the report names a user
	ReportedUserID int // the user, or the share's owner
	ReporterID     int // 0: anonymous
	FileURI        string
	IP             string
}
