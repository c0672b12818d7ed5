// ISO 3166-1 countries, read from Debian's iso-codes package
// (/usr/share/iso-codes/json/iso_3166-1.json) rather than copied into ctip.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctip {

struct Country {
  std::string alpha2;   // "NG"
  std::string alpha3;   // "NGA"
  std::string name;     // "Nigeria"
  std::string numeric;  // "566": ISO 3166-1 numeric (UN M49), as the world atlas keys countries
};

// Looks up an alpha-2 or alpha-3 code, case-insensitively. nullopt when unknown.
std::optional<Country> find_country(std::string_view code);
// Every country loaded, in the file's order (empty if the file is missing).
const std::vector<Country>& all_countries();
// The number of countries loaded (249 in iso-codes 4.15); 0 if the file is missing.
size_t country_count();

}  // namespace ctip
