#include "online/capability.h"

#include <nlohmann/json.hpp>

#include "online/lexicon.h"
#include "online/linking/features.h"

namespace ctip::online {

std::vector<server::Route> routes() { return {}; }

void add_meta(Json& meta) {
  Json kinds = Json::array();
  for (auto k :
       {linking::SelectorKind::phone, linking::SelectorKind::email, linking::SelectorKind::handle,
        linking::SelectorKind::url, linking::SelectorKind::wallet, linking::SelectorKind::image})
    kinds.push_back(linking::to_string(k));
  meta["ad_selector_kinds"] = std::move(kinds);
  const auto& lexicon = Lexicon::builtin();
  meta["ad_lexicon"] = {{"version", lexicon.version()},
                        {"indicators", lexicon.indicators().size()}};
}

}  // namespace ctip::online
