-- WebDAV locks; see the SQLite file for the design.

CREATE TABLE IF NOT EXISTS dav_locks (
    token          VARCHAR(64) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    created_at     DATETIME(6) NOT NULL,
    expires_at     DATETIME(6) NOT NULL,
    timeout        BIGINT NOT NULL,
    owner_id       BIGINT NOT NULL,
    file_id        BIGINT NOT NULL,
    depth_infinity BOOLEAN NOT NULL,
    shared         BOOLEAN NOT NULL,
    root           TEXT NOT NULL,
    holder         MEDIUMTEXT NOT NULL,
    KEY dav_locks_owner (owner_id, expires_at),
    KEY dav_locks_file (file_id),
    CONSTRAINT dav_locks_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT dav_locks_file_fk FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
