-- The audit log of administrator actions (issue 9): who did what to which
-- object, with the values before and after for settings and edits. Rows are
-- written once and never changed, so there is no updated_at or deleted_at;
-- the actor is not a foreign key, because the log outlives deleted accounts
-- (actor_email keeps who it was).

CREATE TABLE audit_logs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at     DATETIME NOT NULL,
    actor_id       INTEGER NOT NULL,
    actor_email    VARCHAR(100) NOT NULL,
    action         VARCHAR(64) NOT NULL,
    target_type    VARCHAR(32) NOT NULL,
    target_id      VARCHAR(64) NOT NULL,
    before_value   TEXT NOT NULL,
    after_value    TEXT NOT NULL,
    ip             VARCHAR(64) NOT NULL,
    correlation_id VARCHAR(36) NOT NULL
);

CREATE INDEX audit_logs_actor ON audit_logs (actor_id, id);
CREATE INDEX audit_logs_action ON audit_logs (action, id);
CREATE INDEX audit_logs_target ON audit_logs (target_type, target_id, id);
