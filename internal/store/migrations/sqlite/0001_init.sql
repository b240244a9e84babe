-- The first tables: nodes, storage policies, groups, users and site settings
-- (80-data-model §2.1–2.4, §2.11). The bootstrap rows are inserted by the
-- store's Go seed that runs right after this file.
--
-- Conventions of every migration: each table has created_at, updated_at and
-- deleted_at (a set deleted_at hides the row); strings and numbers are NOT
-- NULL with a default, so that Go zero values map to them; TEXT and BLOB
-- columns have no default, because MySQL allows none, and inserts name them;
-- only foreign keys are nullable (NULL = none).

CREATE TABLE nodes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    deleted_at   DATETIME,
    status       VARCHAR(20) NOT NULL DEFAULT 'active',
    name         VARCHAR(255) NOT NULL,
    type         VARCHAR(20) NOT NULL,
    server       VARCHAR(255) NOT NULL DEFAULT '',
    slave_key    VARCHAR(255) NOT NULL DEFAULT '',
    capabilities BLOB NOT NULL,
    settings     TEXT NOT NULL,
    weight       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE storage_policies (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    deleted_at     DATETIME,
    name           VARCHAR(255) NOT NULL,
    type           VARCHAR(64) NOT NULL,
    server         VARCHAR(255) NOT NULL DEFAULT '',
    bucket_name    VARCHAR(255) NOT NULL DEFAULT '',
    is_private     BOOLEAN NOT NULL DEFAULT FALSE,
    access_key     TEXT NOT NULL,
    secret_key     TEXT NOT NULL,
    max_size       BIGINT NOT NULL DEFAULT 0,
    dir_name_rule  VARCHAR(255) NOT NULL DEFAULT '',
    file_name_rule VARCHAR(255) NOT NULL DEFAULT '',
    settings       TEXT NOT NULL,
    node_id        INTEGER REFERENCES nodes (id) ON DELETE SET NULL
);

CREATE INDEX storage_policies_node_id ON storage_policies (node_id);

CREATE TABLE "groups" (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    deleted_at        DATETIME,
    name              VARCHAR(255) NOT NULL,
    max_storage       BIGINT NOT NULL DEFAULT 0,
    speed_limit       INTEGER NOT NULL DEFAULT 0,
    permissions       BLOB NOT NULL,
    settings          TEXT NOT NULL,
    storage_policy_id INTEGER REFERENCES storage_policies (id) ON DELETE SET NULL
);

CREATE INDEX groups_storage_policy_id ON "groups" (storage_policy_id);

-- email_lower carries the case-insensitive uniqueness and lookups; one
-- generated column works the same on all three databases, where an index on
-- lower(email) would not (MariaDB has no expression indexes). SQLite's
-- lower() folds ASCII only.
CREATE TABLE users (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    deleted_at        DATETIME,
    email             VARCHAR(100) NOT NULL,
    email_lower       VARCHAR(100) GENERATED ALWAYS AS (lower(email)) VIRTUAL,
    nick              VARCHAR(100) NOT NULL DEFAULT '',
    password          VARCHAR(255) NOT NULL DEFAULT '',
    status            VARCHAR(20) NOT NULL DEFAULT 'active',
    storage           BIGINT NOT NULL DEFAULT 0,
    two_factor_secret VARCHAR(255) NOT NULL DEFAULT '',
    avatar            VARCHAR(255) NOT NULL DEFAULT '',
    settings          TEXT NOT NULL,
    group_users       INTEGER NOT NULL REFERENCES "groups" (id)
);

CREATE UNIQUE INDEX users_email_lower ON users (email_lower);
CREATE INDEX users_group_users ON users (group_users);
-- SearchUsers walks active users in id order and stops at its limit.
CREATE INDEX users_status_id ON users (status, id);

CREATE TABLE settings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME,
    name       VARCHAR(255) NOT NULL,
    value      TEXT NOT NULL
);

CREATE UNIQUE INDEX settings_name ON settings (name);
