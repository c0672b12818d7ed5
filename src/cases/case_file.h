// Case management's pure engine (issue #11): the enumerations of a case, the reading and
// checking of every input (so that bad input is refused, naming the field and saying why,
// before anything is written), the alerts over permits and proceedings, and a case's row of the
// HTCDS 2.0 CSV export. No store, no I/O: the service (cases_service.h) loads, calls and saves.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_input.h"

namespace ctip::cases {

// Victim status, as the case moves from identification to a decision (issue #11 item 1):
// possible and presumed come from screening (the ILO outcomes), confirmed and not_a_victim from
// the competent authority's decision.
inline constexpr std::array<std::string_view, 4> kVictimStatuses = {"possible", "presumed",
                                                                    "confirmed", "not_a_victim"};
// Consent is per purpose (issue #11 item 1): services (referrals), law_enforcement (sharing with
// law enforcement), statistics (the HTCDS export), transfer (to another organisation).
inline constexpr std::array<std::string_view, 4> kConsentPurposes = {"services", "law_enforcement",
                                                                     "statistics", "transfer"};
inline constexpr std::array<std::string_view, 4> kSexes = {"female", "male", "other", "unknown"};
inline constexpr std::array<std::string_view, 5> kDocumentationStatuses = {
    "none", "pending", "temporary_permit", "regular", "unknown"};
// HTCDS 2.0 vic_TypeOfExploitation values (../shared/data/htcds/HTCDS Field Standards 2.0.tsv).
inline constexpr std::array<std::string_view, 11> kExploitationTypes = {
    "ForcedLabour",   "SexualExploitation",
    "ChildLabour",    "ForcedMarriage",
    "Servitude",      "ForcedMilitaryByNonStateActors",
    "OrganRemoval",   "ForcedBegging",
    "ForcedAdoption", "Surrogacy",
    "Other"};
inline constexpr std::array<std::string_view, 2> kPermitKinds = {"temporary_residence",
                                                                 "work_permit"};
inline constexpr std::array<std::string_view, 3> kPermitStatuses = {"requested", "issued",
                                                                    "refused"};
inline constexpr std::array<std::string_view, 6> kProceedingKinds = {
    "investigation", "prosecution", "trial", "appeal", "compensation_claim", "civil_claim"};
inline constexpr std::array<std::string_view, 4> kProceedingStatuses = {"open", "suspended",
                                                                        "decided", "closed"};
inline constexpr std::array<std::string_view, 4> kHearingStatuses = {"scheduled", "held",
                                                                     "postponed", "cancelled"};
inline constexpr std::array<std::string_view, 4> kTaskKinds = {"follow_up_visit", "permit_renewal",
                                                               "hearing_preparation", "other"};

// Throws Error(invalid_argument) naming `field` and listing the accepted values.
template <size_t N>
void check_one_of(const std::string& value, const std::array<std::string_view, N>& accepted,
                  const std::string& field);
// A calendar date YYYY-MM-DD (leap years included); Error(invalid_argument) naming `field`.
void check_day(const std::string& date, const std::string& field);
// Days from `from` to `to` (both checked YYYY-MM-DD dates); negative when `to` is earlier.
int64_t days_between(const std::string& from, const std::string& to);
// `date` plus `days` (a checked date).
std::string add_days(const std::string& date, int64_t days);

// The person fields of a case file (HTCDS-compatible; never a name, contact or birth date). A
// field absent from the JSON stays as it is; null clears a nullable one.
struct PersonPatch {
  std::optional<std::string> sex;
  std::optional<std::optional<int64_t>> age;
  std::optional<std::optional<int64_t>> birth_year;
  std::optional<std::optional<std::string>> nationality;  // ISO 3166-1 alpha-2, upper case
  std::optional<std::string> documentation_status;
  std::optional<std::string> languages;  // ISO 639-1, comma-separated, lower case
  std::optional<std::optional<std::string>> region;
  std::optional<std::string> exploitation;  // kExploitationTypes, comma-separated
};
// Reads the person fields of `j` (the keys of kPersonFields); `this_year` bounds birth_year.
PersonPatch parse_person(const Json& j, int64_t this_year);
inline constexpr std::array<std::string_view, 8> kPersonFields = {
    "sex",       "age",    "birth_year",  "nationality", "documentation_status",
    "languages", "region", "exploitation"};

// POST /api/v1/cases: a case file for a screening of the caller's organisation. A screening that
// opened no case gets one (cases.status from its outcome); one that did gets its file.
struct NewCase {
  int64_t screening_id = 0;
  std::optional<std::string> victim_status;  // default: the case's screening status
  std::optional<int64_t> assigned_to;
  PersonPatch person;
};
NewCase parse_new_case(const Json& j, int64_t this_year);

// PATCH /api/v1/cases/{id}: person fields, the assignee, closure (closed: true with a reason) or
// reopening (closed: false).
struct CaseUpdate {
  PersonPatch person;
  std::optional<std::optional<int64_t>> assigned_to;
  std::optional<bool> closed;
  std::string closure_reason;
};
CaseUpdate parse_case_update(const Json& j, int64_t this_year);

struct StatusChange {
  std::string status;
  std::string reason;
};
StatusChange parse_status_change(const Json& j);

struct NewConsent {
  std::string purpose;
  bool granted = false;
};
NewConsent parse_consent(const Json& j);

// A permit application. tied_to_employer: true is refused (issue #11 item 2: victims need
// residence and work permits untied to any employer; a permit tied to one keeps the person
// dependent on an employer, the exploitation's lever).
struct NewPermit {
  std::string kind;
  std::string status = "requested";
  std::string requested_on;
  std::optional<std::string> decided_on;
  std::optional<std::string> expires_on;
  std::optional<std::string> reference;
};
NewPermit parse_permit(const Json& j, const std::string& today);

struct PermitUpdate {
  std::string status;
  std::optional<std::string> decided_on;
  std::optional<std::string> expires_on;
};
// Checked against the permit as stored (its requested_on) by check_permit_dates.
PermitUpdate parse_permit_update(const Json& j, const std::string& today);
// The dates of a permit in its status: requested_on <= decided_on <= today; an issued permit
// has a decision date and may expire after it; a refused one has a decision date and no expiry;
// a requested one neither.
void check_permit_dates(const std::string& status, const std::string& requested_on,
                        const std::optional<std::string>& decided_on,
                        const std::optional<std::string>& expires_on, const std::string& today);

struct NewProceeding {
  int64_t case_id = 0;
  std::string kind;
  std::string status = "open";
  bool essential = false;
  std::optional<std::string> court;
  std::optional<std::string> reference;
  std::string opened_on;
};
NewProceeding parse_proceeding(const Json& j, const std::string& today);

struct ProceedingUpdate {
  std::optional<std::string> status;
  std::optional<bool> essential;
  std::optional<std::string> outcome;
  std::optional<std::string> court;
  std::string activity_on;  // the day of the change (default today): the stall clock restarts
};
ProceedingUpdate parse_proceeding_update(const Json& j, const std::string& today);

struct NewHearing {
  std::string scheduled_on;
  std::string status = "scheduled";
  bool interpreter_needed = false;
  std::optional<std::string> interpreter_language;  // ISO 639-1; required when needed
  bool essential = false;
  std::string notes;
};
NewHearing parse_hearing(const Json& j);

struct NewNote {
  std::string body;
};
NewNote parse_note(const Json& j);

struct NewTask {
  std::string kind;
  std::string title;
  std::string due_on;
  std::optional<int64_t> assigned_to;  // default: the caller
};
NewTask parse_task(const Json& j);

struct TransferRequest {
  int64_t org_id = 0;
  std::string reason;
};
TransferRequest parse_transfer(const Json& j);

// The thresholds of the alerts (issue #11 items 2 and 4), configurable per deployment (the
// store's settings, cases.* keys) and per request.
struct AlertThresholds {
  int64_t permit_pending_days = 30;    // an application waiting longer is late
  int64_t permit_expiry_days = 30;     // an issued permit expiring within this many days
  int64_t proceeding_stall_days = 90;  // an open proceeding without activity for longer
};

struct PermitFacts {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string kind, status, requested_on;
  std::optional<std::string> expires_on;
};
struct ProceedingFacts {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string kind, status, last_activity_on;
  bool essential = false;
};
struct Alert {
  std::string kind;  // permit_pending, permit_expiring, permit_expired, proceeding_stalled
  int64_t case_id = 0;
  std::string object_type;  // permit, proceeding
  int64_t object_id = 0;
  int64_t days = 0;  // waiting, left before expiry (negative: expired since), without activity
  std::string message;
};
// The alerts of `today`, most urgent first (expired, then by days); pure.
std::vector<Alert> alerts(const std::vector<PermitFacts>& permits,
                          const std::vector<ProceedingFacts>& proceedings, const AlertThresholds& t,
                          const std::string& today);
Json to_json(const Alert& a);

// One case of the HTCDS 2.0 export (../shared/data/htcds/): statistics only, no identifier.
struct HtcdsCase {
  std::string sex;
  std::optional<int64_t> age;
  std::optional<std::string> nationality;
  std::string languages;
  std::string exploitation;
  std::string victim_status;
  bool closed = false;
  std::string opened_on;  // YYYY-MM-DD
};
// The header line and one line per case (RFC 4180, CRLF-free: "\n").
std::string htcds_header();
std::string htcds_row(const HtcdsCase& c);

}  // namespace ctip::cases
