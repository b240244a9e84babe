-- The first tables: nodes, storage policies, groups, users and site settings
-- (80-data-model §2.1–2.4, §2.11). The bootstrap rows are inserted by the
-- store's Go seed that runs right after this file.
--
-- Conventions of every migration: each table has created_at, updated_at and
-- deleted_at (a set deleted_at hides the row); strings and numbers are NOT
-- NULL with a default, so that Go zero values map to them; TEXT and BLOB
-- columns have no default, because MySQL allows none, and inserts name them;
-- only foreign keys are nullable (NULL = none).
--
-- MySQL commits each DDL statement on its own, so a failed run can leave
-- part of a migration behind: statements here use IF NOT EXISTS and keep
-- their indexes inline, so that running the file again finishes the job.
-- GROUPS is a reserved word in MySQL 8: the table name is always quoted.

CREATE TABLE IF NOT EXISTS nodes (
    id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at   DATETIME(6) NOT NULL,
    updated_at   DATETIME(6) NOT NULL,
    deleted_at   DATETIME(6) NULL,
    status       VARCHAR(20) NOT NULL DEFAULT 'active',
    name         VARCHAR(255) NOT NULL,
    type         VARCHAR(20) NOT NULL,
    server       VARCHAR(255) NOT NULL DEFAULT '',
    slave_key    VARCHAR(255) NOT NULL DEFAULT '',
    capabilities BLOB NOT NULL,
    settings     TEXT NOT NULL,
    weight       INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS storage_policies (
    id             BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at     DATETIME(6) NOT NULL,
    updated_at     DATETIME(6) NOT NULL,
    deleted_at     DATETIME(6) NULL,
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
    node_id        BIGINT NULL,
    KEY storage_policies_node_id (node_id),
    CONSTRAINT storage_policies_node_fk FOREIGN KEY (node_id) REFERENCES nodes (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `groups` (
    id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    deleted_at        DATETIME(6) NULL,
    name              VARCHAR(255) NOT NULL,
    max_storage       BIGINT NOT NULL DEFAULT 0,
    speed_limit       INT NOT NULL DEFAULT 0,
    permissions       BLOB NOT NULL,
    settings          TEXT NOT NULL,
    storage_policy_id BIGINT NULL,
    KEY groups_storage_policy_id (storage_policy_id),
    CONSTRAINT groups_storage_policy_fk FOREIGN KEY (storage_policy_id) REFERENCES storage_policies (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- email_lower carries the case-insensitive uniqueness and lookups; one
-- generated column works the same on all three databases, where an index on
-- lower(email) would not (MariaDB has no expression indexes). Its binary
-- collation keeps accents apart: the table's unicode_ci would make
-- "josé@x" and "jose@x" the same address.
CREATE TABLE IF NOT EXISTS users (
    id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    deleted_at        DATETIME(6) NULL,
    email             VARCHAR(100) NOT NULL,
    email_lower       VARCHAR(100) COLLATE utf8mb4_bin AS (LOWER(email)) STORED,
    nick              VARCHAR(100) NOT NULL DEFAULT '',
    password          VARCHAR(255) NOT NULL DEFAULT '',
    status            VARCHAR(20) NOT NULL DEFAULT 'active',
    storage           BIGINT NOT NULL DEFAULT 0,
    two_factor_secret VARCHAR(255) NOT NULL DEFAULT '',
    avatar            VARCHAR(255) NOT NULL DEFAULT '',
    settings          TEXT NOT NULL,
    group_users       BIGINT NOT NULL,
    UNIQUE KEY users_email_lower (email_lower),
    KEY users_group_users (group_users),
    -- SearchUsers walks active users in id order and stops at its limit.
    KEY users_status_id (status, id),
    CONSTRAINT users_group_fk FOREIGN KEY (group_users) REFERENCES `groups` (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Setting names are case-sensitive, hence the binary collation.
CREATE TABLE IF NOT EXISTS settings (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    deleted_at DATETIME(6) NULL,
    name       VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    value      MEDIUMTEXT NOT NULL,
    UNIQUE KEY settings_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
