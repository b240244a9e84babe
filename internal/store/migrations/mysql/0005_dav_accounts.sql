-- WebDAV accounts; see the SQLite file for the design.

CREATE TABLE IF NOT EXISTS dav_accounts (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    name       VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    uri        TEXT NOT NULL,
    password   VARCHAR(32) COLLATE utf8mb4_bin NOT NULL,
    options    BLOB NOT NULL,
    props      TEXT NOT NULL,
    owner_id   BIGINT NOT NULL,
    KEY dav_accounts_owner_id (owner_id, id),
    UNIQUE KEY dav_accounts_owner_password (owner_id, password),
    CONSTRAINT dav_accounts_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
