// The screening workflow's records in the store: persons, encounters, screenings, cases,
// referrals and the deployment's settings (schema/0003_screening_workflow.sql). The only file of
// the capability with SQL. Functions run on the caller's connection, inside the transaction the
// service (screening_service.h) opened; none audits or decides anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_input.h"
#include "screen/coverage.h"
#include "screen/intake.h"
#include "store/store.h"

namespace ctip::screen::repository {

// Who records: a user of an organisation.
struct Recorder {
  int64_t user_id = 0;
  int64_t org_id = 0;
};

// Finds the organisation's person by reference (updating a newly known nationality) or creates
// it, then records the encounter. Returns {person_id, encounter_id}.
std::pair<int64_t, int64_t> record_encounter(store::Connection& c, const Recorder& by,
                                             const PersonInput& person,
                                             const EncounterInput& encounter);

// Stores the screening, opens a case on possible/presumed trafficking and records the
// referrals recommended for the outcome (intake.h). Returns the screening id.
int64_t save_screening(store::Connection& c, const Recorder& by, int64_t person_id,
                       int64_t encounter_id, const ScreeningInput& s);

// The organisation that owns a screening, or nullopt when there is none (the dispatcher's
// scope check, server/api.h Ownership).
std::optional<int64_t> screening_owner(store::Connection& c, int64_t screening_id);

// The full view of one screening: {"screening","result","case","referrals"}; nullopt when it
// does not exist.
std::optional<Json> screening_view(store::Connection& c, int64_t screening_id);
// Summaries, newest first, of one organisation or of all.
Json list_screenings(store::Connection& c, std::optional<int64_t> org_id, int64_t limit);

// Marks a referral as made (creating it when it was not recommended). Returns the referral;
// Error not_found when the screening does not exist.
Json make_referral(store::Connection& c, int64_t made_by, int64_t screening_id,
                   const std::string& kind);

// Encounter rows for coverage (coverage.h), of one organisation or all, from/to YYYY-MM
// (empty: unbounded).
std::vector<EncounterRow> coverage_rows(store::Connection& c, std::optional<int64_t> org_id,
                                        const std::string& from_month, const std::string& to_month);

// Converts up to `batch` screenings with id > after_id that still store their rendered result
// (written before schema 0008) to the compact form: answers compressed, result recomputed on
// read. A row is converted only when the recomputed result equals the stored one exactly; others
// keep their result (`kept`).
struct CompactBatch {
  int64_t last_id = 0;  // 0: no rows left
  int64_t converted = 0;
  int64_t kept = 0;
};
CompactBatch compact_screenings(store::Connection& c, int64_t after_id, int64_t batch);

std::optional<std::string> setting(store::Connection& c, const std::string& key);
void set_setting(store::Connection& c, const std::string& key, const std::string& value);

}  // namespace ctip::screen::repository
