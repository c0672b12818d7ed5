#include "cases/capability.h"

#include <nlohmann/json.hpp>

#include "cases/case_file.h"

namespace ctip::cases {

void add_meta(Json& meta) {
  auto strings = [](const auto& list) {
    Json out = Json::array();
    for (auto s : list) out.push_back(std::string(s));
    return out;
  };
  meta["victim_statuses"] = strings(kVictimStatuses);
  meta["consent_purposes"] = strings(kConsentPurposes);
  meta["case_sexes"] = strings(kSexes);
  meta["documentation_statuses"] = strings(kDocumentationStatuses);
  meta["exploitation_types"] = strings(kExploitationTypes);
  meta["permit_kinds"] = strings(kPermitKinds);
  meta["permit_statuses"] = strings(kPermitStatuses);
  meta["proceeding_kinds"] = strings(kProceedingKinds);
  meta["proceeding_statuses"] = strings(kProceedingStatuses);
  meta["hearing_statuses"] = strings(kHearingStatuses);
  meta["task_kinds"] = strings(kTaskKinds);
}

}  // namespace ctip::cases
