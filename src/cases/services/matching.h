// Referral matching (issue #11 item 3): given a person's needs, the providers with free capacity
// that offer a needed service and admit the person, ranked, each rank explained. Providers left
// out are listed with every reason that excludes them. Pure: the caller loads the providers.
//
// The score is a sum of points, each with its reason, so that a caseworker can see why one
// shelter comes before another (Primero's referral lists show no such reasons):
//   +10  per needed service the provider offers (one place for several needs)
//   +20  in the person's region
//   +5   staff speak one of the person's languages; +3 an interpreter instead
//   +0..5  the share of its places that are free (room now, less risk of a refusal)
// Ties: more free places first, then the lower id (a stable order).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cases/services/provider.h"

namespace ctip::cases::services {

struct Needs {
  std::vector<ServiceType> services;   // at least one
  std::vector<std::string> languages;  // the person's, ISO 639-1
  // The person cannot be served in the local language: a provider must speak one of
  // `languages` or bring an interpreter.
  bool interpreter_needed = false;
  std::string region;  // where the person is now; empty: anywhere
  std::optional<std::string> sex;
  std::optional<int> age;
  std::optional<std::string> nationality;
  std::optional<std::string> documentation_status;
};

// Throws Error(invalid_argument) naming the field: no service, unknown sex or documentation
// status, an age outside 0..130.
void validate(const Needs& needs);

struct Reason {
  std::string code;  // "service", "region", "language", "interpreter", "capacity", ...
  std::string text;  // for a person
  double points = 0;
};

struct RankedProvider {
  size_t index = 0;  // into the providers given
  int64_t provider_id = 0;
  int rank = 0;  // from 1
  double score = 0;
  int64_t free_places = 0;
  std::vector<ServiceType> services;  // the needed services it offers
  std::vector<Reason> reasons;
};

struct ExcludedProvider {
  size_t index = 0;
  int64_t provider_id = 0;
  std::vector<Reason> reasons;  // every reason (code: service, capacity, sex, age, ...)
};

struct MatchResult {
  std::vector<RankedProvider> ranked;
  std::vector<ExcludedProvider> excluded;  // in the providers' order
};

// Why `p` cannot take the person (empty when it can); codes service, capacity, sex, age,
// nationality, documentation, language.
std::vector<Reason> exclusion_reasons(const Provider& p, const Needs& needs);

// Ranks every provider; `limit` cuts `ranked` (0: all), and only the providers kept are
// explained. Excluded providers are always listed; their reasons only when `explain_excluded`
// (building thousands of messages nobody asked for would cost more than the ranking).
MatchResult match(std::span<const Provider> providers, const Needs& needs, size_t limit = 0,
                  bool explain_excluded = true);

}  // namespace ctip::cases::services
