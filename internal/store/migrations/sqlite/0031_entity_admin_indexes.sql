-- Indexes the administration needs on entities: the blobs a storage policy
-- holds (a policy in use cannot be deleted; the admin list filters by it)
-- and the blobs a user created (deleting the user clears created_by).

CREATE INDEX entities_policy ON entities (policy_id, id);
CREATE INDEX entities_created_by ON entities (created_by, id);
