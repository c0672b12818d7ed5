// Intake: persons met under a pseudonymous reference, the encounters in which they were met,
// the screenings recorded for them, the cases opened and the referrals recommended or made
// (issue #3, workflow). The screening engine (src/screen) decides; this records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases {

inline constexpr const char* kEncounterSources[] = {"smuggling_interception",
                                                    "border",
                                                    "labour_inspection",
                                                    "domestic_violence_service",
                                                    "police",
                                                    "hotline",
                                                    "self_referral",
                                                    "online_platform"};
inline constexpr const char* kReferralKinds[] = {
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

struct Actor {
  int64_t user_id = 0;
  int64_t org_id = 0;
};

// Finds the organisation's person by reference (updating a newly known nationality) or creates
// it, then records the encounter. Returns {person_id, encounter_id}.
std::pair<int64_t, int64_t> record_encounter(store::Connection& c, const Actor& actor,
                                             const PersonInput& person,
                                             const EncounterInput& encounter);

struct ScreeningInput {
  std::string language;
  bool interpreter_used = false;
  std::string instrument;  // "full" or "screener"
  std::string profile;
  std::optional<int64_t> age;
  bool may_be_minor = false;
  Json answers;  // as submitted
  Json result;   // the engine's result JSON (outcome, could_become, versions, ...)
};

// Referral kinds recommended for an outcome: possible/presumed trafficking -> shelter, medical
// care, legal aid, translation, temporary residence and work permit; exploitation_only ->
// labour inspection and labour rights; otherwise none.
std::vector<std::string> recommended_referrals(const std::string& outcome);

// Stores the screening, opens a case on possible/presumed trafficking and records the
// recommended referrals. Returns the screening id.
int64_t save_screening(store::Connection& c, const Actor& actor, int64_t person_id,
                       int64_t encounter_id, const ScreeningInput& s);

// The full view of one screening: {"screening","result","case","referrals"}; nullopt when it
// does not exist or belongs to another organisation (when org_id is set).
std::optional<Json> screening_view(store::Connection& c, int64_t screening_id,
                                   std::optional<int64_t> org_id);
// Summaries, newest first.
Json list_screenings(store::Connection& c, std::optional<int64_t> org_id, int64_t limit);

// Marks a referral as made (creating it when it was not recommended). Returns the referral.
Json make_referral(store::Connection& c, const Actor& actor, int64_t screening_id,
                   std::optional<int64_t> org_id, const std::string& kind);

std::optional<std::string> setting(store::Connection& c, const std::string& key);
void set_setting(store::Connection& c, const std::string& key, const std::string& value);

}  // namespace ctip::cases
