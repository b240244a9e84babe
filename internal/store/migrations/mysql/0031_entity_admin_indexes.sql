-- Indexes the administration needs on entities: the blobs a storage policy
-- holds and the blobs a user created. InnoDB already made both when
-- migration 2 declared the foreign keys entities_policy_fk and
-- entities_created_by_fk, so MySQL has nothing to do here; the file keeps
-- the version numbers of the three dialects equal.
-- A migration needs one statement; DO evaluates an expression and nothing else.
DO 0;
