#include "online/capability.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "online/lexicon.h"
#include "online/linking/features.h"

namespace ctip::online {

void add_meta(Json& meta) {
  Json kinds = Json::array();
  for (auto k :
       {linking::SelectorKind::phone, linking::SelectorKind::email, linking::SelectorKind::handle,
        linking::SelectorKind::url, linking::SelectorKind::wallet, linking::SelectorKind::image})
    kinds.push_back(linking::to_string(k));
  meta["ad_selector_kinds"] = std::move(kinds);
  // The lexicon's indicator categories (data/lexicons/indicators.json), each once.
  Json categories = Json::array();
  for (const auto& i : Lexicon::builtin().indicators())
    if (std::find(categories.begin(), categories.end(), i.category) == categories.end())
      categories.push_back(i.category);
  meta["ad_indicator_categories"] = std::move(categories);
}

}  // namespace ctip::online
