-- Sessions end after 30 minutes without a request, beside their 8-hour absolute limit (issue #7,
-- OWASP ASVS 3.3.2): the last request's time, written at most once a minute per session
-- (SessionPolicy::touch_every_ms) so that reads do not each take the write lock. Sessions of
-- before this migration count as active from their creation.
ALTER TABLE sessions ADD COLUMN last_seen_ms BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_ms = created_ms;
