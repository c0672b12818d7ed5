#include "core/country.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace ctip {
namespace {

constexpr const char* kIsoCodesPath = "/usr/share/iso-codes/json/iso_3166-1.json";

struct CountryTable {
  std::unordered_map<std::string, Country> by_code;  // alpha-2 and alpha-3, upper case
  std::vector<Country> all;
  size_t count = 0;
};

const CountryTable& table() {
  static const CountryTable t = [] {
    CountryTable t;
    std::ifstream in(kIsoCodesPath);
    if (!in) return t;
    auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.contains("3166-1")) return t;
    for (const auto& c : doc["3166-1"]) {
      Country country{c.value("alpha_2", ""), c.value("alpha_3", ""), c.value("name", ""),
                      c.value("numeric", "")};
      t.by_code[country.alpha2] = country;
      t.by_code[country.alpha3] = country;
      t.all.push_back(country);
      ++t.count;
    }
    return t;
  }();
  return t;
}

}  // namespace

std::optional<Country> find_country(std::string_view code) {
  std::string key(code);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  const auto& t = table();
  auto it = t.by_code.find(key);
  if (it == t.by_code.end()) return std::nullopt;
  return it->second;
}

const std::vector<Country>& all_countries() { return table().all; }

size_t country_count() { return table().count; }

}  // namespace ctip
