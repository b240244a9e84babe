-- WebDAV accounts (20-site-session-user §8, 80-data-model §2.13): a
-- generated password that signs in to /dav as its owner, rooted at a file
-- URI. options is the boolset of conventions §8.5. Accounts are
-- hard-deleted. (owner_id, id) serves the newest-first keyset pages.

CREATE TABLE dav_accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    name       VARCHAR(255) NOT NULL,
    uri        TEXT NOT NULL,
    password   VARCHAR(32) NOT NULL,
    options    BLOB NOT NULL,
    props      TEXT NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES users (id)
);

CREATE INDEX dav_accounts_owner_id ON dav_accounts (owner_id, id);
CREATE UNIQUE INDEX dav_accounts_owner_password ON dav_accounts (owner_id, password);
