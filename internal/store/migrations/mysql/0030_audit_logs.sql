-- The audit log of administrator actions (issue 9): who did what to which
-- object, with the values before and after for settings and edits. Rows are
-- written once and never changed, so there is no updated_at or deleted_at;
-- the actor is not a foreign key, because the log outlives deleted accounts
-- (actor_email keeps who it was).

CREATE TABLE IF NOT EXISTS audit_logs (
    id             BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at     DATETIME(6) NOT NULL,
    actor_id       BIGINT NOT NULL,
    actor_email    VARCHAR(100) NOT NULL,
    action         VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
    target_type    VARCHAR(32) COLLATE utf8mb4_bin NOT NULL,
    target_id      VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
    before_value   MEDIUMTEXT NOT NULL,
    after_value    MEDIUMTEXT NOT NULL,
    ip             VARCHAR(64) NOT NULL,
    correlation_id VARCHAR(36) NOT NULL,
    KEY audit_logs_actor (actor_id, id),
    KEY audit_logs_action (action, id),
    KEY audit_logs_target (target_type, target_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
