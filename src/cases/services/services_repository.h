// The tables of schema/0015_services.sql, and the reads of case management's tables
// (0013_cases.sql) that referrals, the investigation queue and the dashboards need: the only
// file of src/cases/services with SQL. Every function runs inside the caller's transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/services/matching.h"
#include "cases/services/priority.h"
#include "cases/services/provider.h"
#include "store/store.h"

namespace ctip::cases::services::repository {

// --- providers -------------------------------------------------------------------------------
int64_t insert_provider(store::Connection& c, const Provider& p, const std::string& now);
struct ProviderFilter {
  std::optional<ServiceType> service;
  std::optional<std::string> region;
  bool free_only = false;  // with at least one free place
};
// By id; each with its services.
std::vector<Provider> list_providers(store::Connection& c, const ProviderFilter& filter = {});
std::optional<Provider> find_provider(store::Connection& c, int64_t id);
// occupancy += delta when it stays within 0..capacity; false (nothing changed) otherwise.
// Atomic on both engines (one conditional UPDATE).
bool change_occupancy(store::Connection& c, int64_t provider_id, int64_t delta,
                      const std::string& now);
int64_t count_providers(store::Connection& c);
bool organisation_exists(store::Connection& c, int64_t id);
std::optional<int64_t> organisation_named(store::Connection& c, const std::string& name);

// --- cases (0013_cases.sql) ------------------------------------------------------------------
struct CasePerson {
  int64_t case_id = 0;
  int64_t org_id = 0;  // the owning organisation (cases.org_id)
  Needs person;        // sex, age, nationality, documentation, languages, region; no services
};
std::optional<CasePerson> find_case_person(store::Connection& c, int64_t case_id);
// The consent in force for the purpose: the newest row's `granted`; false when there is none.
bool consent_granted(store::Connection& c, int64_t case_id, const std::string& purpose);
// A case_shares row (reason 'referral' or 'law_enforcement'), once.
void share_case(store::Connection& c, int64_t case_id, int64_t org_id, const std::string& reason,
                std::optional<int64_t> by, const std::string& now);

// --- referrals -------------------------------------------------------------------------------
struct Referral {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t case_id = 0;
  int64_t provider_id = 0;
  std::string provider_name;
  std::optional<int64_t> provider_org_id;
  std::string service;
  std::string status;
  bool interpreter_needed = false;
  std::string match_reasons = "[]";  // JSON text
  std::string note;
  std::optional<std::string> response_reason, completion_note;
  std::string region;
  std::optional<int64_t> created_by, responded_by;
  std::string created_at;
  std::optional<std::string> responded_at, completed_at;
};
int64_t insert_referral(store::Connection& c, const Referral& r);
std::optional<Referral> find_referral(store::Connection& c, int64_t id);
// Referrals made by `org` or addressed to one of its providers (all when nullopt), newest first.
std::vector<Referral> list_referrals(store::Connection& c, std::optional<int64_t> org,
                                     std::optional<int64_t> case_id, int64_t limit);
// Moves a referral from `from` to `to`; false when it was not in `from` (a concurrent answer).
bool move_referral(store::Connection& c, int64_t id, const std::string& from, const std::string& to,
                   const std::optional<std::string>& reason, std::optional<int64_t> by,
                   const std::string& now);
// Whether the case already has an open (sent or accepted) referral to the provider for the
// service.
bool has_open_referral(store::Connection& c, int64_t case_id, int64_t provider_id,
                       const std::string& service);

// --- investigations --------------------------------------------------------------------------
struct QueueEntry {
  PriorityItem item;  // kind "investigation" or "case", inputs recorded (or derived)
  int64_t org_id = 0;
  std::optional<int64_t> case_id;
  std::optional<std::string> network_ref;
  std::optional<int64_t> assigned_to;
  std::string status;     // investigation status, or "referred" for a case without one
  std::string opened_at;  // investigation opened, or the case shared
};
// Open and suspended investigations of `org`, and the cases shared with `org` for law
// enforcement that it has not opened an investigation on (every organisation's when nullopt).
std::vector<QueueEntry> investigation_queue(store::Connection& c, std::optional<int64_t> org);
struct Workload {
  int64_t user_id = 0;
  std::string username;
  int64_t open = 0, suspended = 0;
};
std::vector<Workload> investigator_workload(store::Connection& c, std::optional<int64_t> org);
// Upserts the inputs of one item (kind "case" or "investigation"); unset inputs stay NULL.
void save_priority_inputs(store::Connection& c, const std::string& kind, int64_t id,
                          const std::map<std::string, double>& inputs, std::optional<int64_t> by,
                          const std::string& now);
// The organisation of an investigation; nullopt when there is none.
std::optional<int64_t> investigation_org(store::Connection& c, int64_t id);
// Whether `org` may work on the case for law enforcement: it owns it or it is shared with it
// for law enforcement.
bool case_shared_for_law_enforcement(store::Connection& c, int64_t case_id, int64_t org);
struct NewInvestigation {
  int64_t org_id = 0;
  std::optional<int64_t> case_id;
  std::optional<std::string> network_ref;
  std::optional<int64_t> assigned_to;
  std::string opened_at;
  std::string status = "open";           // open | suspended | closed
  std::optional<std::string> closed_at;  // for a closed one
};
int64_t insert_investigation(store::Connection& c, const NewInvestigation& in);
// Whether `user` is a user of `org` (an investigation's assignee).
bool user_in_org(store::Connection& c, int64_t user, int64_t org);

struct FieldVisit {
  int64_t id = 0;
  int64_t investigation_id = 0;
  std::string visit_on;
  std::string location, protective_equipment, risks, safety_notes;
  std::optional<int64_t> created_by;
  std::string created_at;
};
int64_t insert_field_visit(store::Connection& c, const FieldVisit& v);
std::vector<FieldVisit> field_visits(store::Connection& c, int64_t investigation_id);

// --- dashboards (grouped in SQL; shaped by the service) ---------------------------------------
struct CapacityRow {
  std::string service, region;
  int64_t providers = 0, capacity = 0, occupancy = 0;
};
std::vector<CapacityRow> capacity_by_service_region(store::Connection& c);
struct DemandRow {
  std::string service, region, status;
  int64_t referrals = 0;
};
// Referrals sent since `since` (RFC 3339), by service, the person's region and status; of `org`
// (the referring organisation) when set.
std::vector<DemandRow> demand_by_service_region(store::Connection& c, std::optional<int64_t> org,
                                                const std::string& since);
struct FundingRow {
  std::string service, region;
  int64_t providers = 0, this_year = 0, baseline = 0, below_baseline = 0;
};
std::vector<FundingRow> funding_by_service_region(store::Connection& c);
// A histogram of delays: key (group, month) -> days -> how many.
using DelayHistograms = std::map<std::pair<std::string, std::string>, std::map<int64_t, int64_t>>;
// Permits by kind and month requested (YYYY-MM): decided ones' days from request to decision.
DelayHistograms permit_decision_delays(store::Connection& c, std::optional<int64_t> org);
// Permits still requested, by kind: days since the request as of `today` (YYYY-MM-DD).
DelayHistograms permit_pending_ages(store::Connection& c, std::optional<int64_t> org,
                                    const std::string& today);
// Open or suspended proceedings by kind: days since the last activity as of `today`; key month
// is "".
DelayHistograms proceeding_idle_days(store::Connection& c, std::optional<int64_t> org,
                                     const std::string& today);
// Decided or closed proceedings by kind: days from opening to the last activity; key month "".
DelayHistograms proceeding_durations(store::Connection& c, std::optional<int64_t> org);
// Investigations opened per month (YYYY-MM).
std::map<std::string, int64_t> investigations_per_month(store::Connection& c,
                                                        std::optional<int64_t> org);

}  // namespace ctip::cases::services::repository
