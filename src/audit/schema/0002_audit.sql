-- The tamper-evident audit log (issue #2, src/audit/README.md). Portable SQL: BIGINT/TEXT
-- columns only, hashes and signatures as lowercase hex TEXT, times as RFC 3339 UTC TEXT.
--
-- No foreign keys: an entry records a fact about the past (who did what), so it must outlive
-- the user, organisation or object it names and must never block their removal.

-- One row per entry, append-only. leaf_hash = SHA-256(0x00 || leaf data), where the leaf data
-- is the canonical serialisation of the other columns (src/audit/audit_log.cpp, leaf_data).
CREATE TABLE audit_entries (
  seq BIGINT PRIMARY KEY,      -- 1, 2, 3, ... without gaps: the leaf index + 1
  time TEXT NOT NULL,
  actor_user_id BIGINT,        -- NULL for anonymous (failed login) or system
  actor TEXT NOT NULL,
  org_id BIGINT,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  leaf_hash TEXT NOT NULL
);

-- One signed tree head per append: the Merkle root (RFC 9162 §2.1) of the first tree_size
-- entries, signed with the Ed25519 key kept in DATA_DIR/audit-signing.key (not in the store).
CREATE TABLE audit_tree_heads (
  tree_size BIGINT PRIMARY KEY,
  root_hash TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  signature TEXT NOT NULL
);

-- A single row: the current tree size and its frontier (the roots of the perfect subtrees on
-- the tree's right edge, 64 hex characters each, largest first), so an append is O(log n).
CREATE TABLE audit_state (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  tree_size BIGINT NOT NULL,
  frontier TEXT NOT NULL
);
INSERT INTO audit_state (id, tree_size, frontier) VALUES (1, 0, '');
