// Case management routes (issue #11). Each handler parses its input (case_file.h), calls the
// service and shapes the reply. The routes declare Ownership::organisation: who sees a case is
// more than its organisation (shares with others, law enforcement), so the service applies it
// (cases_service.h) and answers a case the caller may not see as not found, audited.
#include <nlohmann/json.hpp>

#include "cases/capability.h"
#include "cases/case_file.h"
#include "cases/cases_service.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::cases {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

std::string today() { return now_iso().substr(0, 10); }
int64_t this_year() { return std::stoll(today().substr(0, 4)); }

CasesService service(Call& call) { return {call.svc.store, call.svc.audit}; }

int64_t id_of(Call& call) { return call.path_id("id"); }

Reply list_cases(Call& call) {
  repository::ListFilter f;
  f.limit = call.query_int("limit", 100, 1, 1000);
  if (auto s = call.query_value("status")) {
    check_one_of(*s, kVictimStatuses, "status");
    f.victim_status = *s;
  }
  if (auto a = call.query_value("assigned")) {
    if (*a != "me") invalid("assigned", "'assigned' takes only the value me");
    f.assigned_to = call.signed_in().id;
  }
  if (auto o = call.query_value("open")) {
    if (*o != "true" && *o != "false") invalid("open", "'open' is true or false");
    f.open_only = *o == "true";
  }
  return {200, {{"cases", service(call).list(call.actor(), f)}}};
}

Reply create_case(Call& call) {
  auto in = parse_new_case(call.json(), this_year());
  return Reply::created({{"case", service(call).create(call.actor(), in)}});
}

Reply get_case(Call& call) {
  return {200, {{"case", service(call).get(call.actor(), id_of(call))}}};
}

Reply update_case(Call& call) {
  auto in = parse_case_update(call.json(), this_year());
  return {200, {{"case", service(call).update(call.actor(), id_of(call), in)}}};
}

Reply set_status(Call& call) {
  auto in = parse_status_change(call.json());
  return {200, {{"case", service(call).set_status(call.actor(), id_of(call), in)}}};
}

Reply add_consent(Call& call) {
  auto in = parse_consent(call.json());
  return Reply::created(service(call).record_consent(call.actor(), id_of(call), in));
}

Reply share_law_enforcement(Call& call) {
  auto body = call.json();
  JsonObject o(body);
  o.only({"org_id"});
  int64_t org = o.integer("org_id");
  return Reply::created(
      {{"case", service(call).share_with_law_enforcement(call.actor(), id_of(call), org)}});
}

Reply transfer_case(Call& call) {
  auto in = parse_transfer(call.json());
  return Reply::created(service(call).transfer(call.actor(), id_of(call), in));
}

Reply add_permit(Call& call) {
  auto in = parse_permit(call.json(), today());
  return Reply::created(service(call).add_permit(call.actor(), id_of(call), in));
}

Reply update_permit(Call& call) {
  auto in = parse_permit_update(call.json(), today());
  return {200, service(call).update_permit(call.actor(), id_of(call), in)};
}

Reply list_proceedings(Call& call) {
  return {200, {{"proceedings", service(call).list_proceedings(call.actor())}}};
}

Reply add_proceeding(Call& call) {
  auto in = parse_proceeding(call.json(), today());
  return Reply::created(service(call).add_proceeding(call.actor(), in));
}

Reply update_proceeding(Call& call) {
  auto in = parse_proceeding_update(call.json(), today());
  return {200, service(call).update_proceeding(call.actor(), id_of(call), in)};
}

Reply add_hearing(Call& call) {
  auto in = parse_hearing(call.json());
  return Reply::created(service(call).add_hearing(call.actor(), id_of(call), in));
}

Reply add_note(Call& call) {
  auto in = parse_note(call.json());
  return Reply::created(service(call).add_note(call.actor(), id_of(call), in));
}

Reply correct_note(Call& call) {
  auto in = parse_note(call.json());
  return Reply::created(service(call).correct_note(call.actor(), id_of(call), in));
}

Reply add_task(Call& call) {
  auto in = parse_task(call.json());
  return Reply::created(service(call).add_task(call.actor(), id_of(call), in));
}

Reply update_task(Call& call) {
  auto body = call.json();
  JsonObject o(body);
  o.only({"done"});
  return {200, service(call).set_task_done(call.actor(), id_of(call), o.boolean("done"))};
}

Reply overdue(Call& call) {
  bool mine = true;
  if (auto a = call.query_value("assigned")) {
    if (*a != "me" && *a != "any") invalid("assigned", "'assigned' is me (the default) or any");
    mine = *a == "me";
  }
  return {200, service(call).overdue_tasks(call.actor(), mine, today())};
}

Reply list_alerts(Call& call) {
  auto days = [&](const std::string& name) -> std::optional<int64_t> {
    if (!call.query_value(name)) return std::nullopt;
    return call.query_int(name, 0, 0, 3650);
  };
  return {200, service(call).alerts(call.actor(), today(), days("permit_pending_days"),
                                    days("permit_expiry_days"), days("proceeding_stall_days"))};
}

Reply export_cases(Call& call) {
  Json summary;
  std::string csv = service(call).export_htcds(call.actor(), summary);
  Reply r = Reply::bytes(std::move(csv), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"cases-htcds.csv\"");
  r.headers.emplace_back("X-Ctip-Excluded-Without-Consent",
                         std::to_string(summary["excluded_without_consent"].get<int64_t>()));
  return r;
}

}  // namespace

std::vector<Route> routes() {
  const auto org = Ownership::organisation();
  return {
      {"GET", "/api/v1/cases", "cases.read", list_cases, "The cases the caller sees, newest first",
       org},
      {"POST", "/api/v1/cases", "cases.write", create_case,
       "Open the case file of a screening (HTCDS person fields, victim status)", org},
      {"GET", "/api/v1/cases/alerts", "cases.read", list_alerts,
       "Permits pending or expiring, proceedings stalled", org},
      {"POST", "/api/v1/cases/export", "cases.export", export_cases,
       "HTCDS 2.0 CSV of the cases whose person consented to statistics (audited)", org},
      {"GET", "/api/v1/cases/{id}", "cases.read", get_case, "One case with its timeline (audited)",
       org},
      {"PATCH", "/api/v1/cases/{id}", "cases.write", update_case,
       "Change person fields, the assignee, close or reopen", org},
      {"PATCH", "/api/v1/cases/{id}/status", "cases.write", set_status,
       "Change the victim status (kept in the history)", org},
      {"POST", "/api/v1/cases/{id}/consents", "cases.write", add_consent,
       "Record consent for a purpose", org},
      {"POST", "/api/v1/cases/{id}/law-enforcement", "cases.write", share_law_enforcement,
       "Share the case with a law-enforcement organisation (consent required)", org},
      {"POST", "/api/v1/cases/{id}/transfer", "cases.transfer", transfer_case,
       "Transfer the case to another organisation (consent required)", org},
      {"POST", "/api/v1/cases/{id}/permits", "permits.write", add_permit,
       "Record a residence or work permit application", org},
      {"PATCH", "/api/v1/permits/{id}", "permits.write", update_permit,
       "Record a permit decision (issued, refused) and its expiry", org},
      {"GET", "/api/v1/proceedings", "proceedings.read", list_proceedings,
       "Proceedings of the cases the caller sees", org},
      {"POST", "/api/v1/proceedings", "proceedings.write", add_proceeding,
       "Open a proceeding on a case", org},
      {"PATCH", "/api/v1/proceedings/{id}", "proceedings.write", update_proceeding,
       "Change a proceeding's status, essential designation or outcome", org},
      {"POST", "/api/v1/proceedings/{id}/hearings", "proceedings.write", add_hearing,
       "Schedule or record a hearing", org},
      {"POST", "/api/v1/cases/{id}/notes", "cases.notes", add_note, "Add a case note", org},
      {"POST", "/api/v1/notes/{id}/versions", "cases.notes", correct_note,
       "Correct a note: a new version, the earlier ones kept", org},
      {"POST", "/api/v1/cases/{id}/tasks", "cases.tasks", add_task, "Add a follow-up task", org},
      {"PATCH", "/api/v1/tasks/{id}", "cases.tasks", update_task, "Mark a task done or not", org},
      {"GET", "/api/v1/tasks/overdue", "cases.tasks", overdue,
       "Open tasks past their due date (the caller's, or all the caller sees)", org},
  };
}

}  // namespace ctip::cases
