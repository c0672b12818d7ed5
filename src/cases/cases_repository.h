// The cases capability's only SQL (schema/0013_cases.sql, and screening's cases, screenings,
// persons and referrals, which it reads). Functions run inside the caller's transaction; the
// service (cases_service.h) decides who may do what and audits it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/case_file.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases::repository {

// A case as screening opened it.
struct CaseHead {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t person_id = 0;
  int64_t screening_id = 0;
  std::string opened_status;  // cases.status: possible, presumed, indicators, urgent
  std::string opened_at;
};
std::optional<CaseHead> case_head(store::Connection& c, int64_t case_id);
std::optional<int64_t> case_of_screening(store::Connection& c, int64_t screening_id);
// The organisation owning a screening, nullopt when there is none.
std::optional<int64_t> screening_org(store::Connection& c, int64_t screening_id);
// Opens a case for a screening that has none (cases.status: the screening's possible or
// presumed outcome, else "indicators": opened by a caseworker on what they know).
int64_t open_case(store::Connection& c, int64_t screening_id, const std::string& now);

// Who sees a case besides its owner: the reasons organisation `org_id` has a share for.
std::vector<std::string> share_reasons(store::Connection& c, int64_t case_id, int64_t org_id);
void add_share(store::Connection& c, int64_t case_id, int64_t org_id, const std::string& reason,
               std::optional<int64_t> by, const std::string& now);
// Removes the shares of one reason (a withdrawn law-enforcement consent); returns how many.
int64_t remove_shares(store::Connection& c, int64_t case_id, const std::string& reason);
std::optional<std::string> organisation_kind(store::Connection& c, int64_t org_id);
std::optional<int64_t> user_org(store::Connection& c, int64_t user_id);

// The case's file, made on first use from screening's data (victim status from the case's
// opening status, age from the screening, nationality from the person) with its first status
// history row. Returns true when it was made now.
bool ensure_file(store::Connection& c, const CaseHead& head, std::optional<int64_t> by,
                 const std::string& now);
std::string victim_status(store::Connection& c, int64_t case_id);
void set_victim_status(store::Connection& c, int64_t case_id, const std::string& from,
                       const std::string& to, const std::string& reason, std::optional<int64_t> by,
                       const std::string& now);
void update_file(store::Connection& c, int64_t case_id, const CaseUpdate& u,
                 const std::string& now);
void move_case(store::Connection& c, int64_t case_id, int64_t to_org);
int64_t record_transfer(store::Connection& c, int64_t case_id, int64_t from_org, int64_t to_org,
                        int64_t consent_id, const std::string& reason, std::optional<int64_t> by,
                        const std::string& now);

// The consent in force for a purpose: {row id, granted}, nullopt when never recorded.
struct ConsentInForce {
  int64_t id = 0;
  bool granted = false;
};
std::optional<ConsentInForce> consent(store::Connection& c, int64_t case_id,
                                      const std::string& purpose);
int64_t record_consent(store::Connection& c, int64_t case_id, const NewConsent& in,
                       std::optional<int64_t> by, const std::string& now);

int64_t insert_permit(store::Connection& c, int64_t case_id, const NewPermit& p,
                      std::optional<int64_t> by, const std::string& now);
struct PermitHead {
  int64_t id = 0, case_id = 0;
  std::string status, requested_on;
  std::optional<std::string> decided_on, expires_on;
};
std::optional<PermitHead> permit(store::Connection& c, int64_t permit_id);
void update_permit(store::Connection& c, int64_t permit_id, const PermitUpdate& u,
                   const std::string& now);

int64_t insert_proceeding(store::Connection& c, const NewProceeding& p, std::optional<int64_t> by,
                          const std::string& now);
std::optional<int64_t> proceeding_case(store::Connection& c, int64_t proceeding_id);
void update_proceeding(store::Connection& c, int64_t proceeding_id, const ProceedingUpdate& u,
                       const std::string& now);
int64_t insert_hearing(store::Connection& c, int64_t proceeding_id, const NewHearing& h,
                       std::optional<int64_t> by, const std::string& now);

// A note's first version (note_id = its own id) or a correction (the next version of note_id).
int64_t insert_note(store::Connection& c, int64_t case_id, std::optional<int64_t> note_id,
                    const std::string& body, std::optional<int64_t> by, const std::string& now);
// The case of a note (any version's note_id), nullopt when there is none.
std::optional<int64_t> note_case(store::Connection& c, int64_t note_id);

int64_t insert_task(store::Connection& c, int64_t case_id, const NewTask& t,
                    std::optional<int64_t> assignee, std::optional<int64_t> by,
                    const std::string& now);
std::optional<int64_t> task_case(store::Connection& c, int64_t task_id);
void complete_task(store::Connection& c, int64_t task_id, bool done, const std::string& now);

// The visibility of cases for a user of organisation `org_id`: owned, or shared with it (an
// investigator: owned or shared for law enforcement). nullopt org: every case.
struct Visibility {
  std::optional<int64_t> org_id;
  bool law_enforcement_only = false;
};
// The SQL condition on alias `c` (cases) and its parameters.
std::string visible_condition(const Visibility& v, store::Params& params);

struct ListFilter {
  std::optional<std::string> victim_status;
  std::optional<int64_t> assigned_to;
  bool open_only = false;
  int64_t limit = 100;
};
Json list_cases(store::Connection& c, const Visibility& v, const ListFilter& f);
// The case's view: file, screening, status history, consents, shares, permits, proceedings with
// hearings, notes (every version), tasks, referrals, transfers, and a timeline of them all.
// `viewer_org`: a viewer that does not own the case sees only its own organisation's notes and
// tasks, and neither consents nor shares.
Json case_view(store::Connection& c, const CaseHead& head, std::optional<int64_t> viewer_org);

Json overdue_tasks(store::Connection& c, const Visibility& v, std::optional<int64_t> assignee,
                   const std::string& today);
Json list_proceedings(store::Connection& c, const Visibility& v);
std::vector<PermitFacts> permit_facts(store::Connection& c, const Visibility& v);
std::vector<ProceedingFacts> proceeding_facts(store::Connection& c, const Visibility& v);
// The store's setting `key` as an integer, or `fallback`.
int64_t setting_days(store::Connection& c, const std::string& key, int64_t fallback);

// The export's rows: cases visible to `v` whose statistics consent is in force; `excluded` gets
// the number of visible cases left out for want of it.
std::vector<HtcdsCase> htcds_cases(store::Connection& c, const Visibility& v, int64_t& excluded);

}  // namespace ctip::cases::repository
