-- WebDAV locks (70-nodes-webdav-config §B). They live in the database, not
-- in one process's memory, so that every Stratus process on the database
-- honours them, and the REST API refuses changes to locked items (40073).
-- A lock covers its file, and with depth_infinity everything below it; it
-- dies with its file (ON DELETE CASCADE). owner_id is the owner of the tree,
-- whose live locks are read in one range scan on (owner_id, expires_at).

CREATE TABLE dav_locks (
    token          VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at     DATETIME NOT NULL,
    expires_at     DATETIME NOT NULL,
    timeout        INTEGER NOT NULL,
    owner_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_id        INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    depth_infinity BOOLEAN NOT NULL,
    shared         BOOLEAN NOT NULL,
    root           TEXT NOT NULL,
    holder         TEXT NOT NULL
);

CREATE INDEX dav_locks_owner ON dav_locks (owner_id, expires_at);
CREATE INDEX dav_locks_file ON dav_locks (file_id);
