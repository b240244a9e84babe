-- The file tree (30-files §2, 80-data-model §2.5–2.7, §2.14): files and
-- folders, the blobs (entities) they link, per-file metadata, and upload
-- sessions. Files are hard-deleted (trash is a parentless file with trash
-- metadata), so these tables have no deleted_at.

CREATE TABLE files (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    type           INTEGER NOT NULL,
    name           VARCHAR(255) NOT NULL,
    owner_id       INTEGER NOT NULL REFERENCES users (id),
    size           BIGINT NOT NULL DEFAULT 0,
    primary_entity INTEGER NOT NULL DEFAULT 0,
    parent_id      INTEGER REFERENCES files (id),
    is_symbolic    BOOLEAN NOT NULL DEFAULT FALSE,
    props          TEXT NOT NULL,
    policy_id      INTEGER NOT NULL DEFAULT 0
);

-- Names are unique per folder. Roots and trashed items have no parent; a
-- NULL parent never collides, and trashed items carry random names anyway.
CREATE UNIQUE INDEX files_parent_name ON files (parent_id, name);
-- Listings page folders first, then files, in one of four orders.
CREATE INDEX files_parent_type_name ON files (parent_id, type, name, id);
CREATE INDEX files_parent_type_size ON files (parent_id, type, size, id);
CREATE INDEX files_parent_type_updated ON files (parent_id, type, updated_at, id);
CREATE INDEX files_parent_type_created ON files (parent_id, type, created_at, id);
CREATE INDEX files_parent_type_id ON files (parent_id, type, id);
-- Roots and the trash are the owner's parentless files.
CREATE INDEX files_owner_parent ON files (owner_id, parent_id, id);

CREATE TABLE entities (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    type              INTEGER NOT NULL,
    source            TEXT NOT NULL,
    size              BIGINT NOT NULL DEFAULT 0,
    reference_count   INTEGER NOT NULL DEFAULT 1,
    policy_id         INTEGER NOT NULL REFERENCES storage_policies (id),
    created_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    upload_session_id VARCHAR(36) NOT NULL DEFAULT '',
    props             TEXT NOT NULL
);

-- The recycler looks for blobs nobody links any more.
CREATE INDEX entities_reference_count ON entities (reference_count, id);
CREATE INDEX entities_upload_session ON entities (upload_session_id);

CREATE TABLE file_entities (
    file_id   INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (file_id, entity_id)
);

CREATE INDEX file_entities_entity ON file_entities (entity_id);

CREATE TABLE metadata (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    file_id    INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL,
    value      TEXT NOT NULL,
    is_public  BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE UNIQUE INDEX metadata_file_name ON metadata (file_id, name);
-- Metadata searches filter by key first.
CREATE INDEX metadata_name_file ON metadata (name, file_id);

CREATE TABLE upload_sessions (
    id              VARCHAR(36) PRIMARY KEY,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    owner_id        INTEGER NOT NULL REFERENCES users (id),
    file_id         INTEGER NOT NULL,
    entity_id       INTEGER NOT NULL,
    policy_id       INTEGER NOT NULL,
    uri             TEXT NOT NULL,
    size            BIGINT NOT NULL,
    chunk_size      BIGINT NOT NULL,
    upload_id       TEXT NOT NULL,
    callback_secret VARCHAR(64) NOT NULL,
    last_modified   BIGINT NOT NULL DEFAULT 0,
    mime_type       VARCHAR(255) NOT NULL DEFAULT '',
    metadata        TEXT NOT NULL,
    expires_at      DATETIME NOT NULL
);

CREATE INDEX upload_sessions_expires ON upload_sessions (expires_at);
CREATE INDEX upload_sessions_file ON upload_sessions (file_id);
