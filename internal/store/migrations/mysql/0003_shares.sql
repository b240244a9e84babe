-- Share links; see the SQLite file for the design.

CREATE TABLE IF NOT EXISTS shares (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at       DATETIME(6) NOT NULL,
    updated_at       DATETIME(6) NOT NULL,
    password         VARCHAR(32) COLLATE utf8mb4_bin NOT NULL DEFAULT '',
    views            BIGINT NOT NULL DEFAULT 0,
    downloads        BIGINT NOT NULL DEFAULT 0,
    remain_downloads BIGINT NOT NULL DEFAULT -1,
    expires          DATETIME(6) NULL,
    props            TEXT NOT NULL,
    file_id          BIGINT NOT NULL,
    owner_id         BIGINT NOT NULL,
    KEY shares_owner_id (owner_id, id),
    KEY shares_owner_views (owner_id, views, id),
    KEY shares_owner_downloads (owner_id, downloads, id),
    KEY shares_owner_remain (owner_id, remain_downloads, id),
    KEY shares_file (file_id),
    CONSTRAINT shares_file_fk FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE CASCADE,
    CONSTRAINT shares_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
