// The screening workflow's use cases, each written once: the API's routes (routes.cpp), the CLI
// (cli.cpp) and demo seeding (src/cli/demo.cpp) all call these. A use case opens the write
// transaction, calls the engine (intake.h, coverage.h) and the repository
// (screening_repository.h), and appends its audit entry in the same transaction, so that a
// record and its audit entry commit or roll back together.
//
// Each use case has two forms: one that opens its own transaction, and one that runs inside the
// caller's (`c`), for work that must be atomic as a whole (demo seeding, imports).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "core/json_input.h"
#include "screen/coverage.h"
#include "screen/intake.h"
#include "screen/interview.h"
#include "store/store.h"

namespace ctip::screen {

struct EncounterRecorded {
  int64_t person_id = 0;
  int64_t encounter_id = 0;
};

class ScreeningService {
 public:
  ScreeningService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  // Records a person met, not yet screened (audited "encounters.create"). The actor must be a
  // user: the encounter belongs to their organisation.
  EncounterRecorded record_encounter(const auth::Actor& actor, const NewEncounter& in);
  EncounterRecorded record_encounter(store::Connection& c, const auth::Actor& actor,
                                     const NewEncounter& in);

  // Records the encounter and the evaluated screening, opens a case when the result refers now
  // (case_status, intake.h) and recommends referrals (audited "screenings.create"). Returns the
  // screening's view (as get_screening).
  Json create_screening(const auth::Actor& actor, const NewScreening& in);
  Json create_screening(store::Connection& c, const auth::Actor& actor, const NewScreening& in);

  // The workflow's form (issue #8): the screening with its interview setup, completing a
  // draft (`draft_id`) and following a screening (`follows`: the full interview after a
  // screener, recorded on the same person and encounter). A draft or a screening of another
  // organisation is not found (404 naming the field), and nothing is stored. An urgent danger
  // check recommends protection (kUrgentReferrals) and opens a case whatever the outcome. Audited
  // "screenings.create" (and "screenings.draft.complete").
  Json create_screening(const auth::Actor& actor, const ScreeningRequest& in);

  // Drafts (audited "screenings.draft.create|save|read|discard"); each belongs to the actor's
  // organisation. save_draft: Error conflict when the draft is closed or `revision` is stale.
  Json create_draft(const auth::Actor& actor, const DraftInput& in);
  Json save_draft(const auth::Actor& actor, int64_t draft_id, const DraftInput& in);
  Json get_draft(const auth::Actor& actor, int64_t draft_id);
  void discard_draft(const auth::Actor& actor, int64_t draft_id);
  Json list_drafts(const auth::Actor& actor, int64_t limit);
  static std::optional<int64_t> draft_owner_of(store::Connection& c, int64_t draft_id);

  // Corrects a recorded screening's answers: re-evaluated with its instrument, profile, age and
  // rule version; the previous answers and outcome kept with the reason (audited
  // "screenings.correct"). Error invalid naming "answers.<id>" for an id the instrument does
  // not have, or "answers" when nothing changes. Returns the screening's view.
  Json correct(const auth::Actor& actor, int64_t screening_id, const CorrectionInput& in);

  // The screening's view for its printed summary (audited "screenings.export").
  Json export_summary(const auth::Actor& actor, int64_t screening_id);

  // Summaries, newest first, of the organisations the actor may see (audited "screenings.read").
  Json list_screenings(const auth::Actor& actor, int64_t limit);
  // One screening (audited "screenings.read"); Error not_found when there is none. Whether the
  // actor may see it is the caller's check (the dispatcher's, for the API: Ownership::object).
  Json get_screening(const auth::Actor& actor, int64_t screening_id);
  // The organisation owning a screening, or nullopt (for the dispatcher's scope check).
  static std::optional<int64_t> owner_of(store::Connection& c, int64_t screening_id);

  // Marks a referral of a screening as made (audited "screenings.refer").
  Json refer(const auth::Actor& actor, int64_t screening_id, const std::string& kind);

  // Coverage of the organisations the actor may see, from/to YYYY-MM (empty: unbounded);
  // audited "screenings.coverage" on "coverage" with the organisation id or "all" — the same
  // action from the API and the CLI.
  Coverage coverage(const auth::Actor& actor, const std::string& from_month,
                    const std::string& to_month);

  // Converts screenings stored before the compact format (schema 0008) in batches, each in its
  // own transaction with its audit entry ("screenings.compact" on "screening_batch", the last id
  // of the batch). Returns {converted, kept}: kept rows' recomputed result differed (they keep
  // their stored result and are read as before).
  std::pair<int64_t, int64_t> compact(const auth::Actor& actor, int64_t batch = 500);

  // The pattern person references must match (intake.h): the store's "reference_pattern"
  // setting, else kDefaultReferencePattern. Setting it is audited "settings.update".
  static std::string reference_pattern(store::Connection& c);
  void set_reference_pattern(store::Connection& c, const auth::Actor& actor,
                             const std::string& pattern);

  // The deployment's country (ISO 3166-1 alpha-2): "own nationals" in coverage are its
  // nationals. Audited "settings.update".
  void set_country(store::Connection& c, const auth::Actor& actor, const std::string& country);

 private:
  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::screen
