#include "cases/services/capability.h"

#include <nlohmann/json.hpp>

#include "cases/services/priority.h"
#include "cases/services/provider.h"

namespace ctip::cases::services {

void add_meta(Json& meta) {
  Json types = Json::array();
  for (auto t : kServiceTypes) types.push_back(to_string(t));
  meta["service_types"] = std::move(types);
  Json inputs = Json::array();
  for (auto i : kPriorityInputs) inputs.push_back(i);
  meta["investigation_priority_inputs"] = std::move(inputs);
}

}  // namespace ctip::cases::services
