// Intake: what the screening workflow accepts — a person met under a pseudonymous reference, the
// encounter in which they were met, and a screening of them (issue #3, workflow) — strictly
// parsed, and the referrals an outcome recommends. Pure: no store, no I/O. The repository
// (screening_repository.h) records what this accepts; the service (screening_service.h) runs the
// use cases.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>  // Json held by value
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
// child_protection and guardian: the child set of the action rule (issue #8 item 3).
inline constexpr std::array<std::string_view, 9> kReferralKinds = {
    "shelter",       "medical_care",          "legal_aid",
    "translation",   "residence_work_permit", "labour_inspection",
    "labour_rights", "child_protection",      "guardian"};

// Pseudonymous references (issue #7 item 9). Every reference is at most 64 bytes of valid UTF-8
// without control characters (C0, DEL, C1) or invisible format and bidirectional controls
// (U+061C, U+200B-U+200F, U+2028-U+202E, U+2060-U+206F, U+FEFF), which could hide or reorder
// what a reader sees; and it must match the deployment's pattern (an ECMAScript regular
// expression matched against the whole reference), by default letters, digits and '-', 4 to
// 32 characters: a case number, never a name. The pattern is the store's setting
// "reference_pattern" (`ctip screen reference-pattern --set REGEX`), so every server and
// command of one store applies the same one.
inline constexpr std::string_view kDefaultReferencePattern = "[A-Za-z0-9-]{4,32}";
// Throws invalid naming "person.reference" unless `reference` matches `pattern`.
void check_reference(const std::string& reference, const std::string& pattern);
// Throws invalid naming "reference_pattern" unless `pattern` is an ECMAScript regular
// expression of at most 200 characters that does not match the empty reference.
void check_reference_pattern(const std::string& pattern);

struct PersonInput {
  std::string reference;                   // pseudonymous, see kDefaultReferencePattern
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

// Referral kinds recommended by an engine result (its "referrals", from the action rule:
// a child with any indicator met -> child protection, guardian, ...; refer_now -> shelter,
// medical care, legal aid, translation, temporary residence and work permit;
// exploitation_only -> labour inspection and labour rights; otherwise none).
std::vector<std::string> recommended_referrals(const Json& result);
// Not an outcome string: it would convert to a JSON string and recommend nothing.
std::vector<std::string> recommended_referrals(const std::string& outcome) = delete;
std::vector<std::string> recommended_referrals(const char* outcome) = delete;

// Why a screening opens a case (schema/0011_cases_on_refer_now.sql), from the engine's result:
// "presumed" (presumed_trafficking), "possible" (possible_trafficking), "indicators" (the action
// is refer_now with a lesser outcome: coercion only, a strong indicator, a child with any
// indicator met; issue #8 item 1), or nullopt: no case. The fourth status, "urgent", is the
// service's: the danger check found the person at immediate risk (interview.h).
std::optional<std::string> case_status(const Json& result);

}  // namespace ctip::screen
