// The case record of the flows engine: one identified victim of trafficking, reduced to what the
// aggregates need (year, data source, sex, age group, citizenship, country of exploitation and
// the flag groups of CTDC's data dictionary). No name, no date of birth, no free text: a record
// cannot identify a person on its own, and the store keeps only this (issue #9).
//
// Countries are ISO 3166-1 alpha-3 codes packed into 16 bits (CountryCode), 0 meaning unknown,
// so that a record is 32 bytes and the table of 10 million records fits in 320 MB of columns.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::flows {

// An ISO 3166-1 alpha-3 code packed as 1 + ((c0-'A')*26 + c1-'A')*26 + c2-'A'; 0 is unknown.
using CountryCode = uint16_t;
inline constexpr CountryCode kUnknownCountry = 0;
// The number of codes (unknown included): the size of an array indexed by CountryCode.
inline constexpr size_t kCountryCodes = size_t{26} * 26 * 26 + 1;

// The code of an upper-case alpha-3 string that ISO 3166 lists (Debian's iso-codes, through
// src/core/country.h); alpha-2 codes are accepted too. nullopt for anything else ("00", "XK"
// where iso-codes has no entry, "-99", "Unknown").
std::optional<CountryCode> country_code(std::string_view iso);
// "NGA" for the code of Nigeria; "" for kUnknownCountry.
std::string alpha3(CountryCode code);

enum class Sex : uint8_t { unknown, female, male, transgender };
// CTDC's ageBroad bands (2017 data dictionary); minor/adult when only the majority status is
// known (CTDC's majorityStatus).
enum class AgeGroup : uint8_t {
  unknown,
  age_0_8,
  age_9_17,
  age_18_20,
  age_21_23,
  age_24_26,
  age_27_29,
  age_30_38,
  age_39_47,
  age_48_plus,
  minor,
  adult,
};
std::string_view to_string(Sex sex);             // "unknown", "female", "male", "transgender"
std::string_view to_string(AgeGroup age);        // "unknown", "0-8", ..., "48+", "minor", "adult"
std::optional<Sex> parse_sex(std::string_view);  // the names to_string gives
std::optional<AgeGroup> parse_age_group(std::string_view);
// True when the age group is a child's (0-8, 9-17, minor).
bool is_minor(AgeGroup age);

// The flag groups. Each record holds one bit mask per group; the category names are CTDC's
// (2017 data dictionary, ../shared/reference/ctdc-fields.md), plus the merged means-of-control
// variables of the 2024 synthetic codebook, which are kept apart rather than split into guesses.
enum class FlagGroup : uint8_t {
  exploitation,  // forms of exploitation (isForcedLabour, isSexualExploit, ...)
  labour,        // types of labour (typeOfLabour...)
  sexual,        // types of sexual exploitation (typeOfSex...)
  control,       // means of control (meansOfControl...)
  recruiter,     // the recruiter's relationship to the victim (recruiterRelation...)
};
inline constexpr std::array<FlagGroup, 5> kFlagGroups = {FlagGroup::exploitation, FlagGroup::labour,
                                                         FlagGroup::sexual, FlagGroup::control,
                                                         FlagGroup::recruiter};
std::string_view to_string(FlagGroup group);  // "exploitation", "labour", "sexual", ...
std::optional<FlagGroup> parse_flag_group(std::string_view name);
// The categories of a group, bit i of a record's mask being categories(group)[i].
std::span<const std::string_view> categories(FlagGroup group);
// The categories that say "not specified" (typeOfLabourNotSpecified, meansOfControlNotSpecified):
// a record whose only flag in a group is one of these has no information in the group.
uint32_t not_specified_mask(FlagGroup group);

struct CaseRecord {
  int16_t year = 0;    // year of registration; 0 unknown
  uint8_t source = 0;  // index into the data sources of its table or import (0: unknown)
  Sex sex = Sex::unknown;
  AgeGroup age = AgeGroup::unknown;
  CountryCode citizenship = kUnknownCountry;
  CountryCode exploitation = kUnknownCountry;        // country of exploitation
  std::array<uint32_t, kFlagGroups.size()> flags{};  // a mask per FlagGroup

  uint32_t mask(FlagGroup g) const { return flags[static_cast<size_t>(g)]; }
  // CTDC's rule for shares: a record has information in a group when a flag other than the
  // "not specified" ones is set (ctdc-fields.md, "Percentages").
  bool known(FlagGroup g) const { return (mask(g) & ~not_specified_mask(g)) != 0; }
};

// Records in columns: the aggregates read only the columns they need.
class RecordTable {
 public:
  // The data source names; a record's `source` indexes them. Index 0 is "unknown".
  RecordTable();
  // Returns the index of a source name, adding it when new (at most 255 sources).
  uint8_t source_index(std::string_view name);
  const std::vector<std::string>& sources() const { return sources_; }

  void push_back(const CaseRecord& r);
  // Appends records whose `source` indexes `sources` (an import's), re-indexed into this table's.
  void append(std::span<const CaseRecord> records, std::span<const std::string> sources);
  size_t size() const { return year.size(); }
  CaseRecord at(size_t i) const;

  std::vector<int16_t> year;
  std::vector<uint8_t> source;
  std::vector<Sex> sex;
  std::vector<AgeGroup> age;
  std::vector<CountryCode> citizenship;
  std::vector<CountryCode> exploitation;
  std::array<std::vector<uint32_t>, kFlagGroups.size()> flags;

 private:
  std::vector<std::string> sources_;
};

}  // namespace ctip::flows
