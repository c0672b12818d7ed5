-- Organisations, users and sessions (issue #2). Portable SQL: INTEGER/TEXT columns only.
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('government_agency', 'law_enforcement',
                                     'labour_inspectorate', 'service_provider',
                                     'online_platform')),
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,  -- Argon2id, libsodium crypto_pwhash_str format
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- Only a hash of the session token is stored: a copy of the store does not give sessions.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
