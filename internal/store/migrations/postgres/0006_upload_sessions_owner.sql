-- Upload sessions lock their target (30-files §2.6): every change of a
-- user's tree reads that user's live sessions.
CREATE INDEX upload_sessions_owner ON upload_sessions (owner_id, expires_at);
