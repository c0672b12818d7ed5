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

// Stores the screening with its outcome and action, opens a case when the result calls for one
// (case_status, intake.h: possible or presumed trafficking, or any action refer_now) and records
// the referrals recommended for the result, attached to the case. Returns the screening id.
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

// --- Drafts, the interview setup and corrections (schema/0010_screening_drafts.sql) ---------

// A new open draft of the recorder's organisation. Returns its id.
int64_t create_draft(store::Connection& c, const Recorder& by, const Json& state,
                     std::optional<int64_t> follows);
// The organisation owning a draft, or nullopt (the dispatcher's scope check).
std::optional<int64_t> draft_owner(store::Connection& c, int64_t draft_id);
// {"id","status","revision","state","follows","screening_id","created_at","updated_at",
// "created_by","updated_by"}; nullopt when there is none.
std::optional<Json> draft_view(store::Connection& c, int64_t draft_id);
// Saves a new state of an open draft. Error conflict when it is no longer open, or when
// `revision` is given and another save came first. Returns the draft's view.
Json save_draft(store::Connection& c, const Recorder& by, int64_t draft_id, const Json& state,
                std::optional<int64_t> revision);
// Marks an open draft completed by `screening_id` or discarded; Error conflict when it is not
// open.
void close_draft(store::Connection& c, int64_t draft_id, const std::string& status,
                 std::optional<int64_t> screening_id);
// Open drafts, newest first, of one organisation or all: {"id","revision","step","reference",
// "answered","follows","created_at","updated_at","updated_by"} (not the whole state).
Json list_drafts(store::Connection& c, std::optional<int64_t> org_id, int64_t limit);

// What a screening that another completes (a full interview after the screener) shares with
// it: its organisation, person (and reference) and encounter.
struct FollowedScreening {
  int64_t org_id = 0;
  int64_t person_id = 0;
  int64_t encounter_id = 0;
  std::string reference;
};
std::optional<FollowedScreening> followed_screening(store::Connection& c, int64_t screening_id);
// Records the interview setup (JSON, may be null) and the screening followed.
void set_interview(store::Connection& c, int64_t screening_id, const Json& interview,
                   std::optional<int64_t> follows);
// Opens a case of `status` for a screening that has none (a screening whose answers call for
// no case, but whose danger check does). Returns the case's id, the existing one's if any.
int64_t ensure_case(store::Connection& c, int64_t screening_id, const std::string& status);
// Recommends referrals of `kinds` for a screening (those already there stay as they are).
void recommend(store::Connection& c, const Recorder& by, int64_t screening_id,
               const std::vector<std::string>& kinds);

// A stored screening as a correction needs it.
struct StoredForCorrection {
  int64_t org_id = 0;
  int64_t person_id = 0;
  std::string outcome;
  Json answers;
  // instrument, requested profile, age, may_be_minor, language, rule version
  std::string instrument;
  std::optional<std::string> requested_profile;
  std::optional<int64_t> age;
  bool may_be_minor = false;
  std::string language;
  std::string rule_version;
};
std::optional<StoredForCorrection> stored_for_correction(store::Connection& c,
                                                         int64_t screening_id);
// Replaces a screening's answers and evaluation by the corrected ones (`result`: the engine's
// result for `answers`), keeps the previous answers and outcome with the reason and the
// changed ids, opens a case when the new result calls for one and there is none (or brings the
// case's status up to date; a case is never closed by a correction), and
// recommends the new outcome's referrals. Returns the correction's id.
int64_t apply_correction(store::Connection& c, const Recorder& by, int64_t screening_id,
                         const StoredForCorrection& before, const Json& answers, const Json& result,
                         const std::vector<std::string>& changed, const std::string& reason);

std::optional<std::string> setting(store::Connection& c, const std::string& key);
void set_setting(store::Connection& c, const std::string& key, const std::string& value);

}  // namespace ctip::screen::repository
