// Probes of the case management routes for the route x role test (src/server/route_probes.h):
// a case of organisation "Unit" opened through the services, with a permit, a proceeding, a
// note and a task, and a law-enforcement organisation to share it with.
#include "server/route_probes.h"

#include <nlohmann/json.hpp>

#include "auth/account_service.h"
#include "cases/cases_service.h"
#include "core/time.h"
#include "screen/intake.h"
#include "screen/screening_service.h"

namespace ctip::server::testing {

ProbeSet probes_cases(ProbeFixture& f) {
  auto caseworker = auth::Actor::user(f.user("caseworker"), auth::Scope::organisation);
  screen::ScreeningService screenings(f.store, f.audit);
  Json body = {{"person", {{"reference", "PROBE-CASE"}}},
               {"encounter", {{"source", "border"}, {"date", "2026-01-05"}}},
               {"language", "en"},
               {"profile", "adult_labour"},
               {"age", 30},
               {"answers", {{"ex_excessive_hours", "yes"}}}};
  auto screening = screenings
                       .create_screening(caseworker, screen::parse_new_screening(
                                                         body, "2026-06-01"))["screening"]["id"]
                       .get<int64_t>();
  cases::CasesService svc(f.store, f.audit);
  const int64_t year = std::stoll(now_iso().substr(0, 4));
  int64_t case_id =
      svc.create(caseworker, cases::parse_new_case({{"screening_id", screening}, {"sex", "female"}},
                                                   year))["id"]
          .get<int64_t>();
  svc.record_consent(caseworker, case_id, {"law_enforcement", true});
  const std::string today = now_iso().substr(0, 10);
  int64_t permit =
      svc.add_permit(caseworker, case_id,
                     cases::parse_permit({{"kind", "work_permit"}}, today))["permit"]["id"]
          .get<int64_t>();
  int64_t proceeding = svc.add_proceeding(caseworker, cases::parse_proceeding(
                                                          {{"case_id", case_id}, {"kind", "trial"}},
                                                          today))["proceeding"]["id"]
                           .get<int64_t>();
  int64_t note =
      svc.add_note(caseworker, case_id, {"probe note"})["note"]["note_id"].get<int64_t>();
  int64_t task =
      svc.add_task(caseworker, case_id,
                   cases::parse_task({{"title", "visit"}, {"due_on", "2026-01-01"}}))["task"]["id"]
          .get<int64_t>();
  auto police = auth::AccountService(f.store, f.audit)
                    .create_user(auth::Actor::operator_named("probe"),
                                 {"probe.police", "long-enough-pass", "Probe Police",
                                  "law_enforcement", "investigator"});
  const std::string id = std::to_string(case_id);
  const std::string c = "/api/v1/cases/" + id;
  return {
      {
          {"GET", "/api/v1/cases", "/api/v1/cases", "", 200},
          // No screening named: refused after the permission check, nothing opened.
          {"POST", "/api/v1/cases", "/api/v1/cases", "{}", 400},
          {"GET", "/api/v1/cases/alerts", "/api/v1/cases/alerts", "", 200},
          {"POST", "/api/v1/cases/export", "/api/v1/cases/export", "{}", 200},
          {"GET", "/api/v1/cases/{id}", c, "", 200},
          {"PATCH", "/api/v1/cases/{id}", c, R"({"region":"North"})", 200},
          {"PATCH", "/api/v1/cases/{id}/status", c + "/status",
           R"({"status":"confirmed","reason":"probe: decision of the authority"})", 200},
          {"POST", "/api/v1/cases/{id}/consents", c + "/consents",
           R"({"purpose":"statistics","granted":true})", 201},
          {"POST", "/api/v1/cases/{id}/law-enforcement", c + "/law-enforcement",
           Json{{"org_id", police.org.id}}.dump(), 201},
          // No transfer consent: refused with the reason, nothing moved.
          {"POST", "/api/v1/cases/{id}/transfer", c + "/transfer",
           Json{{"org_id", police.org.id}}.dump(), 409},
          {"POST", "/api/v1/cases/{id}/permits", c + "/permits",
           R"({"kind":"temporary_residence"})", 201},
          {"PATCH", "/api/v1/permits/{id}", "/api/v1/permits/" + std::to_string(permit),
           R"({"status":"issued","expires_on":"2099-12-31"})", 200},
          {"GET", "/api/v1/proceedings", "/api/v1/proceedings", "", 200},
          {"POST", "/api/v1/proceedings", "/api/v1/proceedings",
           Json{{"case_id", case_id}, {"kind", "compensation_claim"}}.dump(), 201},
          {"PATCH", "/api/v1/proceedings/{id}", "/api/v1/proceedings/" + std::to_string(proceeding),
           R"({"essential":true})", 200},
          {"POST", "/api/v1/proceedings/{id}/hearings",
           "/api/v1/proceedings/" + std::to_string(proceeding) + "/hearings",
           R"({"scheduled_on":"2027-01-10","interpreter_needed":true,"interpreter_language":"ro"})",
           201},
          {"POST", "/api/v1/cases/{id}/notes", c + "/notes", R"({"body":"probe"})", 201},
          {"POST", "/api/v1/notes/{id}/versions",
           "/api/v1/notes/" + std::to_string(note) + "/versions", R"({"body":"corrected"})", 201},
          {"POST", "/api/v1/cases/{id}/tasks", c + "/tasks",
           R"({"title":"follow-up visit","due_on":"2026-02-01"})", 201},
          {"PATCH", "/api/v1/tasks/{id}", "/api/v1/tasks/" + std::to_string(task),
           R"({"done":true})", 200},
          {"GET", "/api/v1/tasks/overdue", "/api/v1/tasks/overdue", "", 200},
      },
      {}};
}

}  // namespace ctip::server::testing
