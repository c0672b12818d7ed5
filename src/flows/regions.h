// UN M49 regions of the world, kept as data (data/flows/m49_regions.csv, compiled in): a
// country's region ("Africa"), sub-region ("Sub-Saharan Africa") and intermediate region
// ("Western Africa"). The aggregates filter by any of the three names.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "flows/record.h"

namespace ctip::flows {

struct M49Region {
  std::string region;
  std::string subregion;
  std::string intermediate;  // "" where M49 has no intermediate region
};

// The M49 region of a country; nullptr for kUnknownCountry or a country M49 does not place
// (Antarctica).
const M49Region* m49_region(CountryCode country);
// Every region, sub-region and intermediate-region name, sorted.
const std::vector<std::string>& m49_region_names();
// The countries of a region, sub-region or intermediate region (exact name); throws
// Error(invalid_argument, field "region") naming the known regions for an unknown name.
using CountrySet = std::bitset<kCountryCodes>;
CountrySet countries_in_region(std::string_view name);

}  // namespace ctip::flows
