#include "cases/case_file.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/country.h"
#include "core/error.h"

namespace ctip::cases {

template <size_t N>
void check_one_of(const std::string& value, const std::array<std::string_view, N>& accepted,
                  const std::string& field) {
  for (auto a : accepted)
    if (a == value) return;
  std::string list;
  for (auto a : accepted) list += (list.empty() ? "" : ", ") + std::string(a);
  invalid(field, "'" + field + "' must be one of " + list + " (got " + quote(value) + ")");
}
template void check_one_of(const std::string&, const std::array<std::string_view, 2>&,
                           const std::string&);
template void check_one_of(const std::string&, const std::array<std::string_view, 3>&,
                           const std::string&);
template void check_one_of(const std::string&, const std::array<std::string_view, 4>&,
                           const std::string&);
template void check_one_of(const std::string&, const std::array<std::string_view, 5>&,
                           const std::string&);
template void check_one_of(const std::string&, const std::array<std::string_view, 6>&,
                           const std::string&);

namespace {

std::optional<std::chrono::year_month_day> day_of(const std::string& date) {
  using namespace std::chrono;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  for (size_t i = 0; i < date.size(); ++i)
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(date[i]))) return std::nullopt;
  year_month_day ymd{year{std::stoi(date.substr(0, 4))},
                     month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                     day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
  if (!ymd.ok() || ymd.year() < year{1900}) return std::nullopt;
  return ymd;
}

std::string text_of(std::chrono::year_month_day d) {
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return out;
}

std::optional<std::string> optional_day(const JsonObject& o, std::string_view key) {
  auto v = o.optional_string(key, 10);
  if (v) check_day(*v, o.field(key));
  return v;
}

// A free-text field of at most `max` bytes, not blank when present.
std::optional<std::string> optional_text(const JsonObject& o, std::string_view key, size_t max) {
  auto v = o.optional_string(key, max);
  if (v && v->find_first_not_of(" \t\r\n") == std::string::npos)
    invalid(o.field(key), "'" + o.field(key) + "' must not be blank");
  return v;
}

// A nullable field: absent (nullopt), null (an empty inner optional) or a value.
template <typename T, typename Read>
std::optional<std::optional<T>> nullable(const Json& j, std::string_view key, Read read) {
  auto it = j.find(std::string(key));
  if (it == j.end()) return std::nullopt;
  if (it->is_null()) return std::optional<T>();
  return std::optional<T>(read());
}

bool is_language(std::string_view code) {
  return code.size() == 2 && std::islower(static_cast<unsigned char>(code[0])) &&
         std::islower(static_cast<unsigned char>(code[1]));
}

// A comma-separated list, each item checked by `ok`; blanks around items removed, no repeats.
template <typename Ok>
std::string item_list(const std::string& value, const std::string& field, Ok ok,
                      const std::string& what) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(',', start);
    if (end == std::string::npos) end = value.size();
    std::string item = value.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) {
      if (!ok(item)) invalid(field, "'" + field + "': " + quote(item) + " is not " + what);
      if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

bool optional_flag(const JsonObject& o, std::string_view key) {
  return o.optional_boolean(key).value_or(false);
}

}  // namespace

void check_day(const std::string& date, const std::string& field) {
  if (!day_of(date))
    invalid(field, "'" + field + "' must be a calendar date YYYY-MM-DD (got " + quote(date) + ")");
}

int64_t days_between(const std::string& from, const std::string& to) {
  auto a = day_of(from), b = day_of(to);
  if (!a || !b) throw Error(ErrorCode::internal, "days_between of an unchecked date");
  return (std::chrono::sys_days(*b) - std::chrono::sys_days(*a)).count();
}

std::string add_days(const std::string& date, int64_t days) {
  auto a = day_of(date);
  if (!a) throw Error(ErrorCode::internal, "add_days of an unchecked date");
  return text_of(std::chrono::year_month_day(std::chrono::sys_days(*a) + std::chrono::days(days)));
}

PersonPatch parse_person(const Json& j, int64_t this_year) {
  JsonObject o(j);
  PersonPatch p;
  if (auto s = o.optional_string("sex", 16)) {
    check_one_of(*s, kSexes, "sex");
    p.sex = *s;
  }
  p.age = nullable<int64_t>(j, "age", [&] {
    int64_t a = o.integer("age");
    if (a < 0 || a > 130) invalid("age", "'age' must be 0 to 130 years");
    return a;
  });
  p.birth_year = nullable<int64_t>(j, "birth_year", [&] {
    int64_t y = o.integer("birth_year");
    if (y < 1900 || y > this_year)
      invalid("birth_year", "'birth_year' must be from 1900 to " + std::to_string(this_year));
    return y;
  });
  p.nationality = nullable<std::string>(j, "nationality", [&] {
    std::string code = o.string("nationality", 3);
    auto c = code.size() == 2 ? find_country(code) : std::nullopt;
    if (!c)
      invalid("nationality",
              "'nationality' must be an ISO 3166-1 alpha-2 code (got " + quote(code) + ")");
    return c->alpha2;
  });
  if (auto d = o.optional_string("documentation_status", 32)) {
    check_one_of(*d, kDocumentationStatuses, "documentation_status");
    p.documentation_status = *d;
  }
  if (auto l = o.optional_string("languages", 200))
    p.languages =
        item_list(*l, "languages", is_language, "an ISO 639-1 code (two lower-case letters)");
  p.region = nullable<std::string>(j, "region", [&] {
    auto r = optional_text(o, "region", 100);
    return *r;
  });
  if (auto e = o.optional_string("exploitation", 400))
    p.exploitation = item_list(
        *e, "exploitation",
        [](const std::string& v) {
          return std::find(kExploitationTypes.begin(), kExploitationTypes.end(), v) !=
                 kExploitationTypes.end();
        },
        "an HTCDS type of exploitation (ForcedLabour, SexualExploitation, ...)");
  return p;
}

NewCase parse_new_case(const Json& j, int64_t this_year) {
  JsonObject o(j);
  o.only({"screening_id", "victim_status", "assigned_to", "sex", "age", "birth_year", "nationality",
          "documentation_status", "languages", "region", "exploitation"});
  NewCase c;
  c.screening_id = o.integer("screening_id");
  if (auto s = o.optional_string("victim_status", 16)) {
    check_one_of(*s, kVictimStatuses, "victim_status");
    c.victim_status = *s;
  }
  c.assigned_to = o.optional_integer("assigned_to");
  c.person = parse_person(j, this_year);
  return c;
}

CaseUpdate parse_case_update(const Json& j, int64_t this_year) {
  JsonObject o(j);
  o.only({"assigned_to", "closed", "closure_reason", "sex", "age", "birth_year", "nationality",
          "documentation_status", "languages", "region", "exploitation"});
  CaseUpdate u;
  u.person = parse_person(j, this_year);
  u.assigned_to = nullable<int64_t>(j, "assigned_to", [&] { return o.integer("assigned_to"); });
  u.closed = o.optional_boolean("closed");
  u.closure_reason = optional_text(o, "closure_reason", 1000).value_or("");
  if (u.closed == true && u.closure_reason.empty())
    invalid("closure_reason",
            "closing a case needs a 'closure_reason' (HTCDS "
            "cas_ReasonForCaseClosure)");
  if (u.closed != true && !u.closure_reason.empty())
    invalid("closure_reason", "'closure_reason' goes with \"closed\": true");
  if (!o.has("closed") && !u.assigned_to && !u.person.sex && !u.person.age &&
      !u.person.birth_year && !u.person.nationality && !u.person.documentation_status &&
      !u.person.languages && !u.person.region && !u.person.exploitation)
    invalid("body", "nothing to change: give a person field, assigned_to or closed");
  return u;
}

StatusChange parse_status_change(const Json& j) {
  JsonObject o(j);
  o.only({"status", "reason"});
  StatusChange s;
  s.status = o.string("status", 16);
  check_one_of(s.status, kVictimStatuses, "status");
  s.reason = optional_text(o, "reason", 1000).value_or("");
  if ((s.status == "confirmed" || s.status == "not_a_victim") && s.reason.empty())
    invalid("reason",
            "a decision (" + s.status + ") needs a 'reason': who decided and on what basis");
  return s;
}

NewConsent parse_consent(const Json& j) {
  JsonObject o(j);
  o.only({"purpose", "granted"});
  NewConsent c;
  c.purpose = o.string("purpose", 32);
  check_one_of(c.purpose, kConsentPurposes, "purpose");
  c.granted = o.boolean("granted");
  return c;
}

void check_permit_dates(const std::string& status, const std::string& requested_on,
                        const std::optional<std::string>& decided_on,
                        const std::optional<std::string>& expires_on, const std::string& today) {
  if (days_between(today, requested_on) > 0)
    invalid("requested_on", "'requested_on' is in the future");
  if (status == "requested") {
    if (decided_on) invalid("decided_on", "a permit still requested has no 'decided_on'");
    if (expires_on) invalid("expires_on", "a permit still requested has no 'expires_on'");
    return;
  }
  if (!decided_on) invalid("decided_on", "a permit " + status + " needs 'decided_on'");
  if (days_between(requested_on, *decided_on) < 0)
    invalid("decided_on", "'decided_on' is before 'requested_on'");
  if (days_between(today, *decided_on) > 0) invalid("decided_on", "'decided_on' is in the future");
  if (status == "refused" && expires_on)
    invalid("expires_on", "a refused permit has no 'expires_on'");
  if (expires_on && days_between(*decided_on, *expires_on) <= 0)
    invalid("expires_on", "'expires_on' must be after 'decided_on'");
}

NewPermit parse_permit(const Json& j, const std::string& today) {
  JsonObject o(j);
  o.only({"kind", "status", "tied_to_employer", "requested_on", "decided_on", "expires_on",
          "reference"});
  NewPermit p;
  p.kind = o.string("kind", 32);
  check_one_of(p.kind, kPermitKinds, "kind");
  if (auto s = o.optional_string("status", 16)) p.status = *s;
  check_one_of(p.status, kPermitStatuses, "status");
  if (optional_flag(o, "tied_to_employer"))
    invalid("tied_to_employer",
            "a permit tied to an employer is not compliant: a victim's residence and work "
            "permits must not depend on any employer (issue #11); record the permit untied, or "
            "challenge a tied decision");
  p.requested_on = o.optional_string("requested_on", 10).value_or(today);
  check_day(p.requested_on, "requested_on");
  p.decided_on = optional_day(o, "decided_on");
  p.expires_on = optional_day(o, "expires_on");
  p.reference = optional_text(o, "reference", 100);
  check_permit_dates(p.status, p.requested_on, p.decided_on, p.expires_on, today);
  return p;
}

PermitUpdate parse_permit_update(const Json& j, const std::string& today) {
  JsonObject o(j);
  o.only({"status", "decided_on", "expires_on", "tied_to_employer"});
  PermitUpdate u;
  u.status = o.string("status", 16);
  check_one_of(u.status, kPermitStatuses, "status");
  if (optional_flag(o, "tied_to_employer"))
    invalid("tied_to_employer",
            "a permit tied to an employer is not compliant: a victim's residence and work "
            "permits must not depend on any employer (issue #11)");
  u.decided_on = optional_day(o, "decided_on");
  if (!u.decided_on && u.status != "requested") u.decided_on = today;
  u.expires_on = optional_day(o, "expires_on");
  return u;
}

NewProceeding parse_proceeding(const Json& j, const std::string& today) {
  JsonObject o(j);
  o.only({"case_id", "kind", "status", "essential", "court", "reference", "opened_on"});
  NewProceeding p;
  p.case_id = o.integer("case_id");
  p.kind = o.string("kind", 32);
  check_one_of(p.kind, kProceedingKinds, "kind");
  if (auto s = o.optional_string("status", 16)) p.status = *s;
  check_one_of(p.status, kProceedingStatuses, "status");
  p.essential = optional_flag(o, "essential");
  p.court = optional_text(o, "court", 200);
  p.reference = optional_text(o, "reference", 100);
  p.opened_on = o.optional_string("opened_on", 10).value_or(today);
  check_day(p.opened_on, "opened_on");
  if (days_between(today, p.opened_on) > 0) invalid("opened_on", "'opened_on' is in the future");
  return p;
}

ProceedingUpdate parse_proceeding_update(const Json& j, const std::string& today) {
  JsonObject o(j);
  o.only({"status", "essential", "outcome", "court", "activity_on"});
  ProceedingUpdate u;
  if (auto s = o.optional_string("status", 16)) {
    check_one_of(*s, kProceedingStatuses, "status");
    u.status = *s;
  }
  u.essential = o.optional_boolean("essential");
  u.outcome = optional_text(o, "outcome", 1000);
  u.court = optional_text(o, "court", 200);
  u.activity_on = o.optional_string("activity_on", 10).value_or(today);
  check_day(u.activity_on, "activity_on");
  if (days_between(today, u.activity_on) > 0)
    invalid("activity_on", "'activity_on' is in the future");
  if (!u.status && !u.essential && !u.outcome && !u.court && !o.has("activity_on"))
    invalid("body", "nothing to change: give status, essential, outcome, court or activity_on");
  return u;
}

NewHearing parse_hearing(const Json& j) {
  JsonObject o(j);
  o.only({"scheduled_on", "status", "interpreter_needed", "interpreter_language", "essential",
          "notes"});
  NewHearing h;
  h.scheduled_on = o.string("scheduled_on", 10);
  check_day(h.scheduled_on, "scheduled_on");
  if (auto s = o.optional_string("status", 16)) h.status = *s;
  check_one_of(h.status, kHearingStatuses, "status");
  h.interpreter_needed = optional_flag(o, "interpreter_needed");
  h.interpreter_language = o.optional_string("interpreter_language", 2);
  if (h.interpreter_language && !is_language(*h.interpreter_language))
    invalid("interpreter_language", "'interpreter_language' must be an ISO 639-1 code");
  if (h.interpreter_needed && !h.interpreter_language)
    invalid("interpreter_language",
            "a hearing that needs an interpreter names the 'interpreter_language'");
  if (!h.interpreter_needed && h.interpreter_language)
    invalid("interpreter_language", "'interpreter_language' goes with interpreter_needed: true");
  h.essential = optional_flag(o, "essential");
  h.notes = o.optional_string("notes", 2000).value_or("");
  return h;
}

NewNote parse_note(const Json& j) {
  JsonObject o(j);
  o.only({"body"});
  NewNote n;
  auto body = optional_text(o, "body", 20000);
  if (!body) invalid("body", "a note needs a 'body'");
  n.body = *body;
  return n;
}

NewTask parse_task(const Json& j) {
  JsonObject o(j);
  o.only({"kind", "title", "due_on", "assigned_to"});
  NewTask t;
  t.kind = o.optional_string("kind", 32).value_or("other");
  check_one_of(t.kind, kTaskKinds, "kind");
  auto title = optional_text(o, "title", 200);
  if (!title) invalid("title", "a task needs a 'title'");
  t.title = *title;
  t.due_on = o.string("due_on", 10);
  check_day(t.due_on, "due_on");
  t.assigned_to = o.optional_integer("assigned_to");
  return t;
}

TransferRequest parse_transfer(const Json& j) {
  JsonObject o(j);
  o.only({"org_id", "reason"});
  TransferRequest t;
  t.org_id = o.integer("org_id");
  t.reason = optional_text(o, "reason", 1000).value_or("");
  return t;
}

std::vector<Alert> alerts(const std::vector<PermitFacts>& permits,
                          const std::vector<ProceedingFacts>& proceedings, const AlertThresholds& t,
                          const std::string& today) {
  std::vector<Alert> out;
  for (const auto& p : permits) {
    if (p.status == "requested") {
      int64_t waiting = days_between(p.requested_on, today);
      if (waiting > t.permit_pending_days)
        out.push_back({"permit_pending", p.case_id, "permit", p.id, waiting,
                       p.kind + " application pending for " + std::to_string(waiting) +
                           " days (more than " + std::to_string(t.permit_pending_days) + ")"});
    } else if (p.status == "issued" && p.expires_on) {
      int64_t left = days_between(today, *p.expires_on);
      if (left < 0)
        out.push_back({"permit_expired", p.case_id, "permit", p.id, left,
                       p.kind + " expired " + std::to_string(-left) + " days ago"});
      else if (left <= t.permit_expiry_days)
        out.push_back({"permit_expiring", p.case_id, "permit", p.id, left,
                       p.kind + " expires in " + std::to_string(left) + " days"});
    }
  }
  for (const auto& p : proceedings) {
    if (p.status != "open" && p.status != "suspended") continue;
    int64_t idle = days_between(p.last_activity_on, today);
    if (idle > t.proceeding_stall_days)
      out.push_back({"proceeding_stalled", p.case_id, "proceeding", p.id, idle,
                     std::string(p.essential ? "essential " : "") + p.kind + " " + p.status +
                         " without activity for " + std::to_string(idle) + " days (more than " +
                         std::to_string(t.proceeding_stall_days) + ")"});
  }
  // Expired permits first, then expiring soonest, then the longest waits and stalls.
  auto rank = [](const Alert& a) {
    if (a.kind == "permit_expired") return std::pair<int, int64_t>{0, a.days};
    if (a.kind == "permit_expiring") return std::pair<int, int64_t>{1, a.days};
    return std::pair<int, int64_t>{2, -a.days};
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Alert& a, const Alert& b) { return rank(a) < rank(b); });
  return out;
}

Json to_json(const Alert& a) {
  return {{"kind", a.kind},           {"case_id", a.case_id}, {"object_type", a.object_type},
          {"object_id", a.object_id}, {"days", a.days},       {"message", a.message}};
}

namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string htcds_gender(const std::string& sex) {
  if (sex == "female") return "Feminine";
  if (sex == "male") return "Masculine";
  if (sex == "other") return "NonConforming";
  return "NonSpecifiedUnknown";
}

// HTCDS has three statuses: a presumed victim is not yet an actual one (a decision confirms it).
std::string htcds_status(const std::string& status) {
  if (status == "confirmed") return "ActualVictimOfTrafficking";
  if (status == "not_a_victim") return "NotAVictimOfTrafficking";
  return "PossibleVictimOfTrafficking";
}

}  // namespace

std::string htcds_header() {
  return "prs_Gender,vic_AgeWhenTrafficked,prs_Citizenship,prs_PrimaryLanguage,"
         "prs_SecondaryLanguage,vic_TypeOfExploitation,vic_TraffickingStatus,cas_Status,"
         "cas_IncomingReferralDate,Datasource\n";
}

std::string htcds_row(const HtcdsCase& c) {
  std::string primary, secondary;
  size_t comma = c.languages.find(',');
  primary = c.languages.substr(0, comma);
  // HTCDS has a primary and a secondary language: the first two listed.
  if (comma != std::string::npos) {
    secondary = c.languages.substr(comma + 1);
    secondary = secondary.substr(0, secondary.find(','));
  }
  std::string exploitation = c.exploitation;
  std::replace(exploitation.begin(), exploitation.end(), ',', ';');
  std::string out;
  out += htcds_gender(c.sex) + ",";
  out += (c.age ? std::to_string(*c.age) : "") + ",";
  out += c.nationality.value_or("") + ",";
  out += csv_field(primary) + "," + csv_field(secondary) + ",";
  out += csv_field(exploitation) + ",";
  out += htcds_status(c.victim_status) + ",";
  out += std::string(c.closed ? "Closed" : "Active") + ",";
  out += c.opened_on + ",ctip\n";
  return out;
}

}  // namespace ctip::cases
