#include "flows/record.h"

#include <algorithm>
#include <bitset>

#include "core/country.h"
#include "core/error.h"

namespace ctip::flows {
namespace {

constexpr CountryCode pack3(char a, char b, char c) {
  return static_cast<CountryCode>(1 + ((a - 'A') * 26 + (b - 'A')) * 26 + (c - 'A'));
}

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool letter(char c) { return c >= 'A' && c <= 'Z'; }

// ISO 3166 from iso-codes, indexed for a lookup without allocation (a million records a second
// each resolve two countries).
struct CountryIndex {
  std::array<CountryCode, size_t{26} * 26> by_alpha2{};
  std::bitset<kCountryCodes> alpha3_known;
  CountryIndex() {
    for (const auto& c : all_countries()) {
      if (c.alpha2.size() != 2 || c.alpha3.size() != 3) continue;
      CountryCode code = pack3(c.alpha3[0], c.alpha3[1], c.alpha3[2]);
      alpha3_known.set(code);
      by_alpha2[(c.alpha2[0] - 'A') * 26 + (c.alpha2[1] - 'A')] = code;
    }
  }
};

const CountryIndex& country_index() {
  static const CountryIndex index;
  return index;
}

constexpr std::array<std::string_view, 8> kExploitation = {
    "ForcedLabour",   "SexualExploit",  "OtherExploit", "SexAndLabour",
    "ForcedMarriage", "ForcedMilitary", "OrganRemoval", "SlaveryAndPractices"};
constexpr std::array<std::string_view, 13> kLabour = {
    "Agriculture",      "Aquafarming", "Begging",           "Construction",
    "DomesticWork",     "Hospitality", "IllicitActivities", "Manufacturing",
    "MiningOrDrilling", "Peddling",    "Transportation",    "Other",
    "NotSpecified"};
constexpr std::array<std::string_view, 4> kSexual = {
    "Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"};
// The 18 of the 2017 dictionary, then the four merged variables of the 2024 synthetic codebook
// (meansDebtBondageEarnings, meansThreats, meansAbusePsyPhySex, meansDenyBasicNeeds).
constexpr std::array<std::string_view, 22> kControl = {"DebtBondage",
                                                       "TakesEarnings",
                                                       "RestrictsFinancialAccess",
                                                       "Threats",
                                                       "PsychologicalAbuse",
                                                       "PhysicalAbuse",
                                                       "SexualAbuse",
                                                       "FalsePromises",
                                                       "PsychoactiveSubstances",
                                                       "RestrictsMovement",
                                                       "RestrictsMedicalCare",
                                                       "ExcessiveWorkingHours",
                                                       "UsesChildren",
                                                       "ThreatOfLawEnforcement",
                                                       "WithholdsNecessities",
                                                       "WithholdsDocuments",
                                                       "Other",
                                                       "NotSpecified",
                                                       "DebtBondageOrEarnings",
                                                       "ThreatsAny",
                                                       "AbusePsyPhySex",
                                                       "DenyBasicNeeds"};
constexpr std::array<std::string_view, 5> kRecruiter = {"IntimatePartner", "Friend", "Family",
                                                        "Other", "Unknown"};

constexpr std::array<std::string_view, 12> kAgeNames = {"unknown", "0-8",   "9-17",  "18-20",
                                                        "21-23",   "24-26", "27-29", "30-38",
                                                        "39-47",   "48+",   "minor", "adult"};
constexpr std::array<std::string_view, 4> kSexNames = {"unknown", "female", "male", "transgender"};
constexpr std::array<std::string_view, 5> kGroupNames = {"exploitation", "labour", "sexual",
                                                         "control", "recruiter"};

}  // namespace

std::optional<CountryCode> country_code(std::string_view iso) {
  const auto& index = country_index();
  if (iso.size() == 3) {
    char a = upper(iso[0]), b = upper(iso[1]), c = upper(iso[2]);
    if (!letter(a) || !letter(b) || !letter(c)) return std::nullopt;
    CountryCode code = pack3(a, b, c);
    if (!index.alpha3_known.test(code)) return std::nullopt;
    return code;
  }
  if (iso.size() == 2) {
    char a = upper(iso[0]), b = upper(iso[1]);
    if (!letter(a) || !letter(b)) return std::nullopt;
    CountryCode code = index.by_alpha2[(a - 'A') * 26 + (b - 'A')];
    if (code == kUnknownCountry) return std::nullopt;
    return code;
  }
  return std::nullopt;
}

std::string alpha3(CountryCode code) {
  if (code == kUnknownCountry) return {};
  int v = code - 1;
  std::string s(3, 'A');
  s[2] = static_cast<char>('A' + v % 26);
  v /= 26;
  s[1] = static_cast<char>('A' + v % 26);
  v /= 26;
  s[0] = static_cast<char>('A' + v);
  return s;
}

std::string_view to_string(Sex sex) { return kSexNames[static_cast<size_t>(sex)]; }
std::string_view to_string(AgeGroup age) { return kAgeNames[static_cast<size_t>(age)]; }
std::string_view to_string(FlagGroup group) { return kGroupNames[static_cast<size_t>(group)]; }

std::optional<Sex> parse_sex(std::string_view s) {
  for (size_t i = 0; i < kSexNames.size(); ++i)
    if (kSexNames[i] == s) return static_cast<Sex>(i);
  return std::nullopt;
}

std::optional<AgeGroup> parse_age_group(std::string_view s) {
  for (size_t i = 0; i < kAgeNames.size(); ++i)
    if (kAgeNames[i] == s) return static_cast<AgeGroup>(i);
  return std::nullopt;
}

std::optional<FlagGroup> parse_flag_group(std::string_view s) {
  for (size_t i = 0; i < kGroupNames.size(); ++i)
    if (kGroupNames[i] == s) return static_cast<FlagGroup>(i);
  return std::nullopt;
}

bool is_minor(AgeGroup age) {
  return age == AgeGroup::age_0_8 || age == AgeGroup::age_9_17 || age == AgeGroup::minor;
}

std::span<const std::string_view> categories(FlagGroup group) {
  switch (group) {
    case FlagGroup::exploitation:
      return kExploitation;
    case FlagGroup::labour:
      return kLabour;
    case FlagGroup::sexual:
      return kSexual;
    case FlagGroup::control:
      return kControl;
    case FlagGroup::recruiter:
      return kRecruiter;
  }
  return {};
}

uint32_t not_specified_mask(FlagGroup group) {
  switch (group) {
    case FlagGroup::labour:
      return 1u << 12;
    case FlagGroup::control:
      return 1u << 17;
    case FlagGroup::recruiter:
      return 1u << 4;  // recruiterRelationUnknown
    default:
      return 0;
  }
}

RecordTable::RecordTable() : sources_{"unknown"} {}

uint8_t RecordTable::source_index(std::string_view name) {
  auto it = std::find(sources_.begin(), sources_.end(), name);
  if (it != sources_.end()) return static_cast<uint8_t>(it - sources_.begin());
  if (sources_.size() >= 255)
    throw Error(ErrorCode::invalid_argument, "more than 254 data sources", "source");
  sources_.emplace_back(name);
  return static_cast<uint8_t>(sources_.size() - 1);
}

void RecordTable::push_back(const CaseRecord& r) {
  year.push_back(r.year);
  source.push_back(r.source);
  sex.push_back(r.sex);
  age.push_back(r.age);
  citizenship.push_back(r.citizenship);
  exploitation.push_back(r.exploitation);
  for (size_t g = 0; g < flags.size(); ++g) flags[g].push_back(r.flags[g]);
}

void RecordTable::append(std::span<const CaseRecord> records,
                         std::span<const std::string> import_sources) {
  std::vector<uint8_t> map;
  for (const auto& s : import_sources) map.push_back(source_index(s));
  // Column by column: one resize each, then plain stores (`ctip flows summary` appends every
  // record of the file here).
  const size_t at = size(), n = records.size();
  year.resize(at + n);
  source.resize(at + n);
  sex.resize(at + n);
  age.resize(at + n);
  citizenship.resize(at + n);
  exploitation.resize(at + n);
  for (auto& f : flags) f.resize(at + n);
  for (size_t i = 0; i < n; ++i) {
    const CaseRecord& r = records[i];
    year[at + i] = r.year;
    source[at + i] = r.source < map.size() ? map[r.source] : 0;
    sex[at + i] = r.sex;
    age[at + i] = r.age;
    citizenship[at + i] = r.citizenship;
    exploitation[at + i] = r.exploitation;
    for (size_t g = 0; g < flags.size(); ++g) flags[g][at + i] = r.flags[g];
  }
}

CaseRecord RecordTable::at(size_t i) const {
  CaseRecord r;
  r.year = year[i];
  r.source = source[i];
  r.sex = sex[i];
  r.age = age[i];
  r.citizenship = citizenship[i];
  r.exploitation = exploitation[i];
  for (size_t g = 0; g < flags.size(); ++g) r.flags[g] = flags[g][i];
  return r;
}

}  // namespace ctip::flows
