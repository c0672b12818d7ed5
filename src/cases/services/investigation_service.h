// The investigation queue (issue #11 item 5), for law enforcement: open investigations of the
// investigator's organisation and the cases shared with it for law enforcement, ranked by the
// priority model (priority.h, data/investigations/priority-v*.json), each rank explained; the
// workload per investigator; the priority inputs investigators record; opening an investigation
// of a shared case or an online network; field visits with their safety notes.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "cases/services/priority.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases::services {

struct NewVisit {
  std::string visit_on;  // YYYY-MM-DD
  std::string location, protective_equipment, risks, safety_notes;
};

class InvestigationService {
 public:
  InvestigationService(store::Store& store, audit::AuditLog& audit)
      : store_(store), audit_(audit) {}

  // {"model": version, "criteria": [...], "items": [ranked, explained], "workload": [...]};
  // audited "investigations.read" with the items' ids. `model_version` picks a shipped model
  // (default: the newest).
  Json queue(const auth::Actor& actor, const std::optional<std::string>& model_version);
  // Records the inputs of a queue item (kind "case" or "investigation"); 404 unless the item is
  // in the actor's queue. Inputs: priority.h's kPriorityInputs, within their ranges.
  Json set_priority(const auth::Actor& actor, const std::string& kind, int64_t id,
                    const std::map<std::string, double>& inputs);
  // Opens an investigation of a case shared with (or owned by) the actor's organisation, or of
  // an online network (network_ref), or both.
  Json open(const auth::Actor& actor, std::optional<int64_t> case_id,
            std::optional<std::string> network_ref, std::optional<int64_t> assigned_to);
  Json add_visit(const auth::Actor& actor, int64_t investigation_id, const NewVisit& v);
  Json visits(const auth::Actor& actor, int64_t investigation_id);
  // `ctip demo`: investigations of online networks opened by `org_name` (a law-enforcement
  // organisation) from January 2019 to `today`'s month, fewer per month after 2020 than in
  // the 2019 baseline, the last three months' still open and assigned to `investigator`; so
  // that the investigations dashboard and the queue have data. False when the organisation
  // has investigations already or does not exist.
  bool seed_demo(const auth::Actor& actor, const std::string& org_name,
                 const std::string& investigator, const std::string& today);

 private:
  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::cases::services
