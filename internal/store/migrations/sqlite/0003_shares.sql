-- Share links (40-share, 80-data-model §2.8). A link dies with its target:
-- permanently deleting the file deletes its links (ON DELETE CASCADE);
-- trashing it only makes them invalid. remain_downloads is -1 for "no
-- budget" rather than NULL, so that lists ordered by it stay keyset range
-- scans. Links are hard-deleted.

CREATE TABLE shares (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    password         VARCHAR(32) NOT NULL DEFAULT '',
    views            INTEGER NOT NULL DEFAULT 0,
    downloads        INTEGER NOT NULL DEFAULT 0,
    remain_downloads INTEGER NOT NULL DEFAULT -1,
    expires          DATETIME,
    props            TEXT NOT NULL,
    file_id          INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    owner_id         INTEGER NOT NULL REFERENCES users (id)
);

-- "My shares" pages by id, views, downloads or remaining downloads.
CREATE INDEX shares_owner_id ON shares (owner_id, id);
CREATE INDEX shares_owner_views ON shares (owner_id, views, id);
CREATE INDEX shares_owner_downloads ON shares (owner_id, downloads, id);
CREATE INDEX shares_owner_remain ON shares (owner_id, remain_downloads, id);
CREATE INDEX shares_file ON shares (file_id);
