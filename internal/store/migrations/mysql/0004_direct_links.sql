-- Persistent direct links; see the SQLite file for the design.

CREATE TABLE IF NOT EXISTS direct_links (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    name       VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    downloads  BIGINT NOT NULL DEFAULT 0,
    speed      BIGINT NOT NULL DEFAULT 0,
    file_id    BIGINT NOT NULL,
    KEY direct_links_file (file_id, name, speed, id),
    CONSTRAINT direct_links_file_fk FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
