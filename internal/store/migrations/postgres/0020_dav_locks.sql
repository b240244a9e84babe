-- WebDAV locks; see the SQLite file for the design.

CREATE TABLE dav_locks (
    token          VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    timeout        BIGINT NOT NULL,
    owner_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_id        BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    depth_infinity BOOLEAN NOT NULL,
    shared         BOOLEAN NOT NULL,
    root           TEXT NOT NULL,
    holder         TEXT NOT NULL
);

CREATE INDEX dav_locks_owner ON dav_locks (owner_id, expires_at);
CREATE INDEX dav_locks_file ON dav_locks (file_id);
