// Audit routes (issue #2): the latest entries, verification, the signed tree head and RFC 9162
// proofs. The log itself is audit_log.h; reading it is audited too.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "audit/capability.h"
#include "audit/data_files.h"
#include "audit/export.h"
#include "core/error.h"

namespace ctip::audit {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

// The auditor's criteria from the query string (kEntryFilterFields), each at most 200
// characters.
EntryFilter filter_from(const Call& call) {
  EntryFilter f;
  for (const auto& field : kEntryFilterFields) {
    auto v = call.query_value(field.name);
    if (!v) continue;
    if (v->empty() || v->size() > 200)
      invalid(field.name,
              std::string("query parameter '") + field.name + "' must be 1 to 200 characters");
    f.*field.slot = *v;
  }
  return f;
}

Reply audit_entries(Call& call) {
  int64_t limit = call.query_int("limit", 50, 1, 500);
  int64_t before = call.query_int("before", 0, 0, INT64_MAX);
  EntryFilter filter = filter_from(call);
  audit::Event read = call.event("audit.read", "audit_log", "entries", "success");
  if (auto criteria = filter_json(filter); !criteria.empty())
    read.details = Json{{"filter", criteria}}.dump();
  call.svc.audit.record(read);
  auto head = call.svc.audit.head();
  std::vector<Entry> entries = call.svc.audit.query(filter, limit, before);
  Json out = Json::array();
  for (const auto& e : entries) out.push_back(entry_json(e));
  return {200, {{"entries", out}, {"tree_size", head.tree_size}}};
}

// The filtered entries with their inclusion proofs, as one JSON document; an audited action.
Reply audit_export(Call& call) {
  int64_t limit = call.query_int("limit", 1000, 1, 10000);
  EntryFilter filter = filter_from(call);
  Json out = export_entries(call.svc.audit, filter, limit,
                            call.event("audit.export", "audit_log", "export", "success"));
  Reply r(200, std::move(out));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"ctip-audit-export.json\"");
  return r;
}

Reply audit_verify(Call& call) {
  auto v = call.svc.audit.verify();
  call.audit("audit.verify", "audit_log", "verify", v.ok ? "success" : "failure");
  Json out = {{"ok", v.ok},
              {"entries", v.entries},
              {"first_bad_entry", v.first_bad_entry ? Json(*v.first_bad_entry) : Json()},
              {"message", v.message},
              {"note", v.note.empty() ? Json() : Json(v.note)},
              {"head", v.head ? head_to_json(*v.head) : Json()}};
  return {200, out};
}

Reply audit_head(Call& call) { return {200, head_to_json(call.svc.audit.head())}; }

Reply inclusion_proof(Call& call) {
  auto head = call.svc.audit.head();
  int64_t size = call.query_int("tree_size", head.tree_size, 1, head.tree_size);
  int64_t seq = call.query_int("seq", 0, 1, size);
  if (seq == 0) invalid("seq", "query parameter 'seq' is required");
  auto entries = call.svc.audit.entries(seq - 1, 1);
  Json path = call.svc.audit.inclusion_proof(seq, size);
  return {200,
          {{"seq", seq},
           {"tree_size", size},
           {"leaf_hash", entries.empty() ? "" : entries.front().leaf_hash},
           {"path", path}}};
}

Reply consistency_proof(Call& call) {
  auto head = call.svc.audit.head();
  int64_t second = call.query_int("second", head.tree_size, 1, head.tree_size);
  int64_t first = call.query_int("first", 0, 1, second);
  if (first == 0) invalid("first", "query parameter 'first' is required");
  Json path = call.svc.audit.consistency_proof(first, second);
  return {200, {{"first", first}, {"second", second}, {"path", path}}};
}

}  // namespace

std::vector<Route> routes() {
  // The log is one for the whole deployment: no organisation owns it (Ownership::none); who may
  // read it is the matrix's audit.read and audit.verify.
  return {
      {"GET", "/api/v1/audit/entries", "audit.read", audit_entries, "Latest audit entries",
       Ownership::none()},
      {"GET", "/api/v1/audit/export", "audit.export", audit_export,
       "Filtered audit entries with their inclusion proofs (audited as audit.export)",
       Ownership::none()},
      {"GET", "/api/v1/audit/verify", "audit.verify", audit_verify, "Verify the audit log",
       Ownership::none()},
      {"GET", "/api/v1/audit/head", "audit.verify", audit_head, "The signed tree head",
       Ownership::none()},
      {"GET", "/api/v1/audit/proof/inclusion", "audit.verify", inclusion_proof,
       "RFC 9162 inclusion proof", Ownership::none()},
      {"GET", "/api/v1/audit/proof/consistency", "audit.verify", consistency_proof,
       "RFC 9162 consistency proof", Ownership::none()},
  };
}

void add_meta(Json& meta) {
  Json outcomes = Json::array();
  for (std::string_view o : kOutcomes) outcomes.push_back(std::string(o));
  meta["audit_outcomes"] = outcomes;
}

}  // namespace ctip::audit
