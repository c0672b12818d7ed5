#include "audit/export.h"

#include "audit/data_files.h"

namespace ctip::audit {

nlohmann::json entry_json(const Entry& e) {
  using nlohmann::json;
  json out = {
      {"seq", e.seq},
      {"time", e.time},
      {"actor", e.event.actor},
      {"actor_user_id", e.event.actor_user_id ? json(*e.event.actor_user_id) : json()},
      {"organisation_id", e.event.org_id ? json(*e.event.org_id) : json()},
      {"action", e.event.action},
      {"object_type", e.event.object_type},
      {"object_id", e.event.object_id},
      {"outcome", e.event.outcome},
      {"client_address", e.event.client_address.empty() ? json() : json(e.event.client_address)},
      {"occurrences", e.event.occurrences ? json(*e.event.occurrences) : json()}};
  json details;
  if (e.event.details) {
    details = json::parse(*e.event.details, nullptr, false);
    if (details.is_discarded()) details = *e.event.details;
  }
  out["details"] = details;
  return out;
}

nlohmann::json filter_json(const EntryFilter& f) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& field : kEntryFilterFields)
    if (const auto& v = f.*field.slot) out[field.name] = *v;
  if (!f.object_ids.empty()) out["object_ids"] = f.object_ids;
  return out;
}

nlohmann::json export_entries(AuditLog& log, const EntryFilter& filter, int64_t limit,
                              Event export_event) {
  std::vector<Entry> entries = log.query(filter, limit);
  export_event.details =
      nlohmann::json{{"filter", filter_json(filter)}, {"entries", entries.size()}}.dump();
  log.record(export_event);
  SignedTreeHead head = log.head();
  nlohmann::json out_entries = nlohmann::json::array();
  for (const Entry& e : entries) {
    nlohmann::json j = entry_json(e);
    j["leaf_hash"] = e.leaf_hash;
    j["inclusion_proof"] = log.inclusion_proof(e.seq, head.tree_size);
    out_entries.push_back(std::move(j));
  }
  return {{"format", "ctip-audit-export/1"},
          {"filter", filter_json(filter)},
          {"head", head_to_json(head)},
          {"entries", std::move(out_entries)}};
}

}  // namespace ctip::audit
