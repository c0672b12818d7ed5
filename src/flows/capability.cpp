#include "flows/capability.h"

#include <nlohmann/json.hpp>

#include "flows/import.h"
#include "flows/record.h"

namespace ctip::flows {

void add_meta(Json& meta) {
  Json formats = Json::array();
  for (auto f : {Format::ctdc, Format::ctdc_synthetic, Format::htcds, Format::glotip})
    formats.push_back(to_string(f));
  meta["flow_formats"] = std::move(formats);
  Json groups = Json::array();
  for (auto g : kFlagGroups) groups.push_back(to_string(g));
  meta["flow_groups"] = std::move(groups);
}

}  // namespace ctip::flows
