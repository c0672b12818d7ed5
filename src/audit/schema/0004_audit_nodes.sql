-- The audit log keeps up (issue #6 item 6, src/audit/README.md). Portable SQL: BIGINT and TEXT
-- columns, composite primary keys, no reliance on rowids.

-- The roots of the perfect subtrees of the Merkle tree (RFC 9162 §2.1), stored as the log grows:
-- node (height, node_index) is MTH of the 2^height leaves from node_index * 2^height on. The
-- leaves themselves (height 0) are audit_entries.leaf_hash. With them an inclusion or
-- consistency proof reads O(log n) rows instead of rehashing every leaf. Derived data: a wrong
-- node yields a proof that fails against the signed head; it cannot hide a change to an entry.
CREATE TABLE audit_nodes (
  height BIGINT NOT NULL,
  node_index BIGINT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (height, node_index)
);

-- Appends are group-committed: one signed head per batch of entries, no longer one per entry.
-- previous_size is the tree size of the head before it (0 for the first), so that verify()
-- notices a deleted head. Heads written before this migration were one per entry.
ALTER TABLE audit_tree_heads ADD COLUMN previous_size BIGINT;
UPDATE audit_tree_heads SET previous_size = tree_size - 1;

-- An entry may stand for several occurrences of one failure from one source within a window
-- (failed or throttled logins, folded by AuditLog::record_failure). NULL means one; the count is
-- part of the entry's leaf hash (leaf format ctip-audit-entry/2).
ALTER TABLE audit_entries ADD COLUMN occurrences BIGINT;
