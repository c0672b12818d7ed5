#include "flows/regions.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/embedded.h"
#include "core/error.h"
#include "core/text.h"

namespace ctip::embedded {
const std::vector<File>& flows_data();  // data/flows/*, embedded by src/flows/CMakeLists.txt
}

namespace ctip::flows {
namespace {

struct RegionTable {
  std::map<CountryCode, M49Region> by_country;
  std::vector<std::string> names;
};

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == sep) {
      out.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

const RegionTable& table() {
  static const RegionTable t = [] {
    RegionTable t;
    std::string_view text;
    for (const auto& f : embedded::flows_data())
      if (f.path == "data/flows/m49_regions.csv") text = f.contents;
    std::set<std::string> names;
    bool header = true;
    while (!text.empty()) {
      auto nl = text.find('\n');
      auto line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      if (line.empty() || line.front() == '#') continue;
      if (header) {
        header = false;
        continue;
      }
      auto cells = split(line, ',');
      if (cells.size() != 4 || cells[1].empty()) continue;
      auto code = country_code(cells[0]);
      if (!code) continue;
      M49Region r{std::string(cells[1]), std::string(cells[2]), std::string(cells[3])};
      names.insert(r.region);
      if (!r.subregion.empty()) names.insert(r.subregion);
      if (!r.intermediate.empty()) names.insert(r.intermediate);
      t.by_country.emplace(*code, std::move(r));
    }
    t.names.assign(names.begin(), names.end());
    return t;
  }();
  return t;
}

}  // namespace

const M49Region* m49_region(CountryCode country) {
  const auto& t = table();
  auto it = t.by_country.find(country);
  return it == t.by_country.end() ? nullptr : &it->second;
}

const std::vector<std::string>& m49_region_names() { return table().names; }

CountrySet countries_in_region(std::string_view name) {
  const auto& t = table();
  if (!std::binary_search(t.names.begin(), t.names.end(), name, std::less<>{}))
    throw Error(ErrorCode::invalid_argument,
                "unknown region \"" + std::string(name) +
                    "\" (UN M49 names: " + core::joined(t.names) + ")",
                "region");
  CountrySet set;
  for (const auto& [code, r] : t.by_country)
    if (r.region == name || r.subregion == name || r.intermediate == name) set.set(code);
  return set;
}

}  // namespace ctip::flows
