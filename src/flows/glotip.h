// UNODC's GLOTIP country data (data_glotip.xlsx, sheet data_glotip_1, as CSV: the columns
// Iso3_code, Country, Region, Subregion, Indicator, Dimension, Category, Sex, Age, Year,
// Unit of measurement, txtVALUE, Source). Counts are intervals: UNODC writes "<5" for a count
// it suppressed, which is 1 to 4 (never zero), and an interval it stays through every sum.
// "By citizenship" categories are mapped to ISO 3166 codes by a reviewed table kept as data
// (data/flows/glotip_citizenship.csv); categories it does not list are reported, not guessed.
//
// Source: United Nations Office on Drugs and Crime, dataUNODC, Global Report on Trafficking in
// Persons data (../shared/data/glotip/SOURCE.md). Cite UNODC when publishing anything derived.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flows/import.h"
#include "flows/record.h"

namespace ctip::flows {

// A count known to lie in [lo, hi]; exact when lo == hi.
struct Count {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool exact() const { return lo == hi; }
  Count& operator+=(const Count& o) {
    lo += o.lo;
    hi += o.hi;
    return *this;
  }
  friend Count operator+(Count a, const Count& b) { return a += b; }
  friend bool operator==(const Count&, const Count&) = default;
};

// "123" -> [123, 123]; "1,192" (thousands separated in groups of three) -> [1192, 1192];
// "<5" -> [1, 4]. nullopt for anything else, and for counts above kMaxGlotipCount: values such as
// "6,112,019" (convictions in Andorra, 2022) are dates or codes pasted into the sheet, not counts.
std::optional<Count> parse_glotip_count(std::string_view text);
// No country detects a million victims or convicts a million persons in a year: the largest
// count in the 2025 edition is 32,022 and UNODC's global total of detected victims is about
// 70,000 a year (Global Report on Trafficking in Persons 2024).
inline constexpr uint64_t kMaxGlotipCount = 1'000'000;

enum class CitizenshipKind : uint8_t { country, nationals, foreign, unknown };

struct CitizenshipEntry {
  CitizenshipKind kind = CitizenshipKind::unknown;
  CountryCode country = kUnknownCountry;  // for kind country
};

// The mapping of "by citizenship" categories, read from a CSV text (category,kind,alpha3,note;
// lines starting with # are comments). Throws Error(invalid_argument) naming the line of a bad
// row (an unknown kind, a code ISO 3166 does not list).
class CitizenshipMap {
 public:
  static CitizenshipMap parse(std::string_view csv_text);
  // data/flows/glotip_citizenship.csv, compiled in.
  static const CitizenshipMap& builtin();
  const CitizenshipEntry* find(std::string_view category) const;
  size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, CitizenshipEntry> entries_;
};

struct GlotipValue {
  CountryCode country = kUnknownCountry;  // the reporting country (Iso3_code)
  int year = 0;
  std::string indicator;  // "Detected trafficking victims", "Persons convicted", ...
  std::string dimension;  // "Total", "by form of exploitation", "by citizenship", ...
  std::string category;
  std::string sex;  // "Total", "Female", ...
  std::string age;  // "Total", "0 to 17 years", ...
  Count value;
  // For "by citizenship": the mapped category; nullopt when the table does not list it.
  std::optional<CitizenshipEntry> citizenship;
};

// A value that is not a count ("6,112,019", "n/a"): left out of every sum and reported.
struct MalformedValue {
  size_t line = 0;
  CountryCode country = kUnknownCountry;
  int year = 0;
  std::string indicator;
  std::string dimension;
  std::string category;
  std::string text;
};

struct GlotipSummary {
  uint64_t rows_read = 0;
  uint64_t imported = 0;
  uint64_t skipped = 0;          // row errors and rows without a reporting country
  std::vector<RowError> errors;  // ragged rows, invalid UTF-8, impossible years
  uint64_t error_count = 0;
  std::vector<MalformedValue> malformed;
  // Unknown values per column: Iso3_code values ISO does not list, and "by citizenship"
  // categories the mapping does not list (column "Category"), with their counts.
  std::vector<UnknownValue> unknown_values;
  bool ok() const { return error_count == 0; }
};

struct GlotipData {
  std::vector<GlotipValue> values;
  GlotipSummary summary;
};

// Reads the CSV. A missing or wrong header throws Error(invalid_argument, field "header").
GlotipData read_glotip(std::istream& in, const CitizenshipMap& map = CitizenshipMap::builtin(),
                       const ImportOptions& options = {});

// The share of nationals among the victims whose citizenship is known, per country-year:
// domestic = "Nationals" and the reporting country's own name; foreign = every other mapped
// category; unknown and unmapped categories are out of the denominator and counted apart.
// Sex and age "Total" only. share_lo/share_hi bound the share over every count in the intervals.
struct GlotipDomesticRow {
  CountryCode country = kUnknownCountry;
  int year = 0;
  Count domestic;
  Count foreign;
  Count total_known;     // domestic + foreign
  Count unknown;         // unknown citizenship
  Count unmapped;        // categories the mapping does not list
  size_t malformed = 0;  // values of this country-year left out as malformed
  double share_lo = 0;
  double share_hi = 0;
};
std::vector<GlotipDomesticRow> glotip_domestic_share(
    const GlotipData& data, std::string_view indicator = "Detected trafficking victims");

// Citizenship -> reporting country ("detected in"), as intervals; nationals are the reporting
// country's own corridor. Sex and age "Total" only; by count's upper bound, descending.
struct GlotipCorridor {
  CountryCode citizenship = kUnknownCountry;
  CountryCode exploitation = kUnknownCountry;  // the reporting country
  Count count;
};
std::vector<GlotipCorridor> glotip_corridors(
    const GlotipData& data, std::string_view indicator = "Detected trafficking victims",
    std::optional<int> year_from = {}, std::optional<int> year_to = {});

}  // namespace ctip::flows
