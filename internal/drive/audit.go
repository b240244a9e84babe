package drive

import "time"

// AuditEntry is one administrator action in the audit log: who did what to
// which object, and for edits the values before and after (JSON documents,
// "" when not applicable).
type AuditEntry struct {
	ID            int
	CreatedAt     time.Time
	ActorID       int
	ActorEmail    string
	Action        string // "settings.update", "group.delete", ...
	TargetType    string // "settings", "group", "user", ...
	TargetID      string
	Before        string
	After         string
	IP            string
	CorrelationID string
}
