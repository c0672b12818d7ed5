// An auditor's export (issue #7 item 5): the entries that match a filter, each with its RFC 9162
// inclusion proof against the log's signed head, so that whoever receives the file can check
// every entry against a head without access to the store. The export itself is an audited
// action (audit.export), recorded before the head is taken, so the export covers its own entry.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"

namespace ctip::audit {

// An entry as the API and the export show it (never personal data: ids only).
nlohmann::json entry_json(const Entry& e);
// The filter as JSON (the criteria given).
nlohmann::json filter_json(const EntryFilter& f);

// Records `export_event` (its details: the filter and how many entries) and returns
// {"format":"ctip-audit-export/1","filter":...,"head":SignedHead,"entries":[entry + "leaf_hash",
//  "inclusion_proof":[hex...]]}, newest entries first, at most `limit`. Each proof is
// RFC 9162 §2.1.3 for leaf seq-1 in the tree of head.tree_size entries.
nlohmann::json export_entries(AuditLog& log, const EntryFilter& filter, int64_t limit,
                              Event export_event);

}  // namespace ctip::audit
