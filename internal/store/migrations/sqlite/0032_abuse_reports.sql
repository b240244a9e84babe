-- Abuse reports (20-site-session-user §4.4): anyone may report a share link
-- or a user; administrators list and dismiss them. The reported ids are not
-- foreign keys: a report outlives the share or account it names.

CREATE TABLE abuse_reports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at       DATETIME NOT NULL,
    category         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    share_id         INTEGER NOT NULL DEFAULT 0,
    reported_user_id INTEGER NOT NULL DEFAULT 0,
    reporter_id      INTEGER NOT NULL DEFAULT 0,
    file_uri         TEXT NOT NULL,
    ip               VARCHAR(64) NOT NULL
);

CREATE INDEX abuse_reports_reported_user ON abuse_reports (reported_user_id, id);
