-- The file tree; see the SQLite file for the design. File and metadata names
-- use a binary collation so that "A.txt" and "a.txt" are different names and
-- sort byte-wise, as on the other databases.

CREATE TABLE IF NOT EXISTS files (
    id             BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at     DATETIME(6) NOT NULL,
    updated_at     DATETIME(6) NOT NULL,
    type           INT NOT NULL,
    name           VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    owner_id       BIGINT NOT NULL,
    size           BIGINT NOT NULL DEFAULT 0,
    primary_entity BIGINT NOT NULL DEFAULT 0,
    parent_id      BIGINT NULL,
    is_symbolic    BOOLEAN NOT NULL DEFAULT FALSE,
    props          TEXT NOT NULL,
    policy_id      BIGINT NOT NULL DEFAULT 0,
    UNIQUE KEY files_parent_name (parent_id, name),
    KEY files_parent_type_name (parent_id, type, name, id),
    KEY files_parent_type_size (parent_id, type, size, id),
    KEY files_parent_type_updated (parent_id, type, updated_at, id),
    KEY files_parent_type_created (parent_id, type, created_at, id),
    KEY files_parent_type_id (parent_id, type, id),
    KEY files_owner_parent (owner_id, parent_id, id),
    CONSTRAINT files_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT files_parent_fk FOREIGN KEY (parent_id) REFERENCES files (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS entities (
    id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    type              INT NOT NULL,
    source            TEXT NOT NULL,
    size              BIGINT NOT NULL DEFAULT 0,
    reference_count   INT NOT NULL DEFAULT 1,
    policy_id         BIGINT NOT NULL,
    created_by        BIGINT NULL,
    upload_session_id VARCHAR(36) NOT NULL DEFAULT '',
    props             TEXT NOT NULL,
    KEY entities_reference_count (reference_count, id),
    KEY entities_upload_session (upload_session_id),
    CONSTRAINT entities_policy_fk FOREIGN KEY (policy_id) REFERENCES storage_policies (id),
    CONSTRAINT entities_created_by_fk FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS file_entities (
    file_id   BIGINT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (file_id, entity_id),
    KEY file_entities_entity (entity_id),
    CONSTRAINT file_entities_file_fk FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE CASCADE,
    CONSTRAINT file_entities_entity_fk FOREIGN KEY (entity_id) REFERENCES entities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS metadata (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    file_id    BIGINT NOT NULL,
    name       VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    value      MEDIUMTEXT NOT NULL,
    is_public  BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE KEY metadata_file_name (file_id, name),
    KEY metadata_name_file (name, file_id),
    CONSTRAINT metadata_file_fk FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS upload_sessions (
    id              VARCHAR(36) NOT NULL PRIMARY KEY,
    created_at      DATETIME(6) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    owner_id        BIGINT NOT NULL,
    file_id         BIGINT NOT NULL,
    entity_id       BIGINT NOT NULL,
    policy_id       BIGINT NOT NULL,
    uri             TEXT NOT NULL,
    size            BIGINT NOT NULL,
    chunk_size      BIGINT NOT NULL,
    upload_id       VARCHAR(255) NOT NULL,
    callback_secret VARCHAR(64) NOT NULL,
    last_modified   BIGINT NOT NULL DEFAULT 0,
    mime_type       VARCHAR(255) NOT NULL DEFAULT '',
    metadata        TEXT NOT NULL,
    expires_at      DATETIME(6) NOT NULL,
    KEY upload_sessions_expires (expires_at),
    KEY upload_sessions_file (file_id),
    CONSTRAINT upload_sessions_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
