// Service providers (issue #11 item 3): what a provider offers, to whom, where, and how much room
// it has. Pure: plain structs, the CSV reader of `ctip providers import` and the enumerations.
// No store, no clock, no I/O beyond the stream it is given.
#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::cases::services {

// The service types of the issue (shelter, medical care, psychological support, legal aid,
// translation/interpretation, employment, repatriation).
enum class ServiceType {
  shelter,
  medical,
  psychological,
  legal_aid,
  translation,
  employment,
  repatriation
};
inline constexpr std::array kServiceTypes = {ServiceType::shelter,       ServiceType::medical,
                                             ServiceType::psychological, ServiceType::legal_aid,
                                             ServiceType::translation,   ServiceType::employment,
                                             ServiceType::repatriation};
std::string_view to_string(ServiceType t);
std::optional<ServiceType> parse_service_type(std::string_view s);

// The person fields the eligibility rules read; values as in case_files (HTCDS-compatible):
// sex female|male|other|unknown, documentation none|pending|temporary_permit|regular|unknown.
inline constexpr std::array<std::string_view, 4> kSexes = {"female", "male", "other", "unknown"};
inline constexpr std::array<std::string_view, 5> kDocumentationStatuses = {
    "none", "pending", "temporary_permit", "regular", "unknown"};

// Who a provider takes. An empty list admits everyone; a bound left unset has no limit.
struct Eligibility {
  std::vector<std::string> sexes;          // of kSexes (without "unknown")
  std::optional<int> min_age, max_age;     // inclusive, in years
  std::vector<std::string> nationalities;  // ISO 3166-1 alpha-2
  std::vector<std::string> documentation;  // of kDocumentationStatuses
  bool operator==(const Eligibility&) const = default;
};

struct Provider {
  int64_t id = 0;
  std::optional<int64_t> org_id;  // the ctip organisation that runs it, if it is one
  // The same by name, as a CSV gives it (column `organisation`); the service resolves it.
  std::string org_name;
  std::string name;
  std::vector<ServiceType> services;
  std::vector<std::string> languages;  // ISO 639-1 spoken by its staff
  bool interpreter = false;            // it brings in interpreters for other languages
  std::string region;                  // where it is (matched against the person's region)
  std::string location;                // town or address line, shown only
  Eligibility eligibility;
  int64_t capacity = 0;   // places (beds, client slots) it can hold at once
  int64_t occupancy = 0;  // places in use
  // Funding, in whole units of the organisation's currency: this year and the pre-pandemic
  // baseline (2019), for the dashboard of funding against the baseline.
  int64_t funding_this_year = 0;
  int64_t funding_baseline = 0;

  int64_t free_places() const { return capacity > occupancy ? capacity - occupancy : 0; }
  bool offers(ServiceType t) const;
  bool operator==(const Provider&) const = default;
};

// Checks a provider's own fields (a name, at least one service, capacity >= occupancy >= 0,
// known codes, min_age <= max_age); throws Error(invalid_argument) naming the field.
void validate(const Provider& p);

// `ctip providers import`: a CSV with the header
//   name,services,languages,interpreter,region,location,sexes,min_age,max_age,nationalities,
//   documentation,capacity,occupancy,funding_this_year,funding_baseline[,org_id]
// Lists inside a field are separated by ';' ("shelter;medical"). Empty cells: no restriction,
// no limit, 0. Every bad row is reported (line and field); the caller writes nothing when
// `problems` is not empty.
struct CsvProblem {
  size_t line = 0;
  std::string field;
  std::string message;
};
struct ProviderCsv {
  std::vector<Provider> providers;  // with id 0
  std::vector<CsvProblem> problems;
};
ProviderCsv read_providers_csv(std::istream& in);

}  // namespace ctip::cases::services
