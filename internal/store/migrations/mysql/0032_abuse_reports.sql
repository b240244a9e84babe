-- Abuse reports (20-site-session-user §4.4): anyone may report a share link
-- or a user; administrators list and dismiss them. The reported ids are not
-- foreign keys: a report outlives the share or account it names.

CREATE TABLE IF NOT EXISTS abuse_reports (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at       DATETIME(6) NOT NULL,
    category         INT NOT NULL,
    description      TEXT NOT NULL,
    share_id         BIGINT NOT NULL DEFAULT 0,
    reported_user_id BIGINT NOT NULL DEFAULT 0,
    reporter_id      BIGINT NOT NULL DEFAULT 0,
    file_uri         TEXT NOT NULL,
    ip               VARCHAR(64) NOT NULL,
    KEY abuse_reports_reported_user (reported_user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
