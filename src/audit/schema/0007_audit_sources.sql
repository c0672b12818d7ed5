-- Who saw what, from where (issue #7 item 5, src/audit/README.md). Portable SQL: TEXT columns.

-- The client address of the request that caused the entry (an IP address, or "cli" for an
-- operator at the command line); NULL for the log's own events and for entries written before
-- this migration.
ALTER TABLE audit_entries ADD COLUMN client_address TEXT;
-- For a read that returned several objects, which ones: JSON such as {"ids":[3,7,12]} (ids
-- only, never personal data); NULL otherwise. Both columns are part of the entry's leaf hash
-- (leaf format ctip-audit-entry/3).
ALTER TABLE audit_entries ADD COLUMN details TEXT;
