// The aggregates over case records (issue #9, item 2): the corridor matrix, the domestic share
// and the flag groups by year, each with a filter. Pure functions over a RecordTable's columns.
//
// Every figure says what it rests on: `records` is the number of records the filter kept and
// `unknown` how many of them the figure could not use because a value it needs was unknown
// (a citizenship "0", a missing year, no flag set in the group). Unknown is never a country and
// never a category.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_input.h"
#include "flows/record.h"
#include "flows/regions.h"

namespace ctip::flows {

struct Filter {
  std::optional<int> year_from;  // inclusive; with a year bound, records of unknown year are out
  std::optional<int> year_to;    // inclusive
  // Records whose citizenship or country of exploitation is this country.
  std::optional<CountryCode> country;
  // Records whose citizenship or country of exploitation lies in this UN M49 region, sub-region
  // or intermediate region (regions.h).
  std::optional<std::string> region;
  std::optional<std::string> source;  // a data source name, as the table lists it
  std::optional<Sex> sex;
  std::optional<AgeGroup> age;  // "minor" also keeps 0-8 and 9-17; "adult" every adult band
};

// A filter as people write it (CLI options, API query parameters, a release's JSON body); empty
// strings are "not given".
struct FilterText {
  std::string from, to;  // years
  std::string country;   // ISO 3166 alpha-2 or alpha-3
  std::string region;    // a UN M49 region, sub-region or intermediate region
  std::string source;
  std::string sex;  // to_string(Sex)
  std::string age;  // to_string(AgeGroup)
};
// Throws Error(invalid_argument) naming the field ("from", "country", "age", ...) for a value
// that is not one, listing what is accepted.
Filter parse_filter(const FilterText& text);
// The fields given, as a JSON object (recorded with a release).
Json to_json(const FilterText& text);

struct CorridorCount {
  CountryCode citizenship = kUnknownCountry;
  CountryCode exploitation = kUnknownCountry;
  uint64_t count = 0;
};

struct CorridorMatrix {
  std::vector<CorridorCount> corridors;  // both countries known; by count, descending
  uint64_t records = 0;                  // kept by the filter
  uint64_t unknown = 0;                  // of which citizenship or exploitation was unknown
  uint64_t unknown_citizenship = 0;
  uint64_t unknown_exploitation = 0;
};

// Citizenship -> country of exploitation, counting records where both are known.
CorridorMatrix corridors(const RecordTable& table, const Filter& filter = {});

enum class DomesticBy { year, country };

struct DomesticShareRow {
  int year = 0;                           // by year
  CountryCode country = kUnknownCountry;  // by country: the country of exploitation
  uint64_t domestic = 0;                  // citizenship == country of exploitation
  uint64_t total_known = 0;               // both known
  uint64_t unknown = 0;  // in this year or country, but a country (or the year) unknown
  double share = 0;      // domestic / total_known; 0 when total_known is 0
};

struct DomesticShares {
  DomesticBy by = DomesticBy::year;
  std::vector<DomesticShareRow> rows;  // by year or by country code, ascending
  uint64_t records = 0;
  uint64_t unknown = 0;  // records in no row's total_known
};

// Domestic trafficking: citizenship equal to the country of exploitation, among the records
// where both are known. By year (records of unknown year are counted in `unknown`) or by the
// country of exploitation (records with it unknown are counted in `unknown`).
DomesticShares domestic_share(const RecordTable& table, DomesticBy by, const Filter& filter = {});

struct CategoryYear {
  int year = 0;
  uint64_t records = 0;          // kept by the filter in this year
  uint64_t known = 0;            // with information in the group: the shares' denominator
  uint64_t unknown = 0;          // records - known
  std::vector<uint64_t> counts;  // per category of the group (record.h categories(group))
};

struct CategoriesByYear {
  FlagGroup group = FlagGroup::exploitation;
  std::vector<std::string_view> categories;
  std::vector<CategoryYear> years;  // known years, ascending
  uint64_t records = 0;
  uint64_t unknown = 0;       // no information in the group, or unknown year
  uint64_t unknown_year = 0;  // of which the year was unknown
};

// Forms of exploitation, types of labour, types of sexual exploitation, means of control or
// recruiter relationship by year. A record can count in several categories (CTDC's flags), so
// the counts of a year can sum past `known`.
CategoriesByYear categories_by_year(const RecordTable& table, FlagGroup group,
                                    const Filter& filter = {});

}  // namespace ctip::flows
