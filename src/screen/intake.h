// Intake: what the screening workflow accepts — a person met under a pseudonymous reference, the
// encounter in which they were met, and a screening of them (issue #3, workflow) — strictly
// parsed, and the referrals an outcome recommends. Pure: no store, no I/O. The repository
// (screening_repository.h) records what this accepts; the service (screening_service.h) runs the
// use cases.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_input.h"

namespace ctip::screen {

// How a person came to be met; served by GET /api/v1/meta as "encounter_sources".
inline constexpr std::array<std::string_view, 8> kEncounterSources = {"smuggling_interception",
                                                                      "border",
                                                                      "labour_inspection",
                                                                      "domestic_violence_service",
                                                                      "police",
                                                                      "hotline",
                                                                      "self_referral",
                                                                      "online_platform"};
// Referrals a screening can lead to; served by GET /api/v1/meta as "referral_kinds".
inline constexpr std::array<std::string_view, 7> kReferralKinds = {
    "shelter",           "medical_care", "legal_aid", "translation", "residence_work_permit",
    "labour_inspection", "labour_rights"};

struct PersonInput {
  std::string reference;                   // pseudonymous, 1-64 characters, no names
  std::optional<std::string> nationality;  // ISO 3166-1 alpha-2, upper case
};

struct EncounterInput {
  std::string source;
  std::string date;  // YYYY-MM-DD
};

// Strict parsing of the API's Person and Encounter objects; errors name the field
// ("person.nationality", "encounter.source", ...). `today` fills a missing date.
PersonInput parse_person(const Json& j);
EncounterInput parse_encounter(const Json& j, const std::string& today);
// Validates a YYYY-MM-DD calendar date; throws invalid naming `field`.
void check_date(const std::string& date, const std::string& field);
// Throws invalid naming "kind" unless kind is one of kReferralKinds.
void check_referral_kind(const std::string& kind);

// A person met, not yet screened: the body of POST /api/v1/encounters.
struct NewEncounter {
  PersonInput person;
  EncounterInput encounter;
};
NewEncounter parse_new_encounter(const Json& body, const std::string& today);

// A screening as stored: the answers as given and the engine's result.
struct ScreeningInput {
  std::string language;
  bool interpreter_used = false;
  std::string instrument;                        // "full" or "screener"
  std::string profile;                           // the profile evaluated (routed or requested)
  std::optional<std::string> requested_profile;  // as the request named it; none: routed
  std::optional<int64_t> age;
  bool may_be_minor = false;
  Json answers;  // as submitted
  Json result;   // the engine's result JSON (outcome, could_become, versions, ...); not stored:
                 // recomputed on read (stored_screening.h)
};

// A screening to record: the body of POST /api/v1/screenings, evaluated by the engine.
struct NewScreening {
  PersonInput person;
  EncounterInput encounter;
  ScreeningInput screening;
};
// Parses and evaluates (src/screen engine: full instrument or screener); throws invalid naming
// the field ("language", "instrument", "profile", "age", "answers.<id>", ...).
NewScreening parse_new_screening(const Json& body, const std::string& today);

// Referral kinds recommended for an outcome: possible/presumed trafficking -> shelter, medical
// care, legal aid, translation, temporary residence and work permit; exploitation_only ->
// labour inspection and labour rights; otherwise none.
std::vector<std::string> recommended_referrals(const std::string& outcome);

}  // namespace ctip::screen
