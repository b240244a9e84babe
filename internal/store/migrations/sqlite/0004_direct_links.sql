-- Persistent direct links (30-files §7.5–7.7, 80-data-model §2.10). A link
-- dies with its file: permanently deleting the file deletes its links
-- (ON DELETE CASCADE). (file_id, name, speed) finds a link to reuse.

CREATE TABLE direct_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    name       VARCHAR(255) NOT NULL,
    downloads  INTEGER NOT NULL DEFAULT 0,
    speed      INTEGER NOT NULL DEFAULT 0,
    file_id    INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE
);

CREATE INDEX direct_links_file ON direct_links (file_id, name, speed, id);
