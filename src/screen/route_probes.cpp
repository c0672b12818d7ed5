// Probes of the screening routes for the route x role test (src/server/route_probes.h): one
// screening in each organisation, created through the service.
#include "server/route_probes.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "screen/intake.h"
#include "screen/interview.h"
#include "screen/screening_service.h"

namespace ctip::server::testing {

ProbeSet probes_screen(ProbeFixture& f) {
  screen::ScreeningService screenings(f.store, f.audit);
  auto screen_as = [&](const std::string& username) {
    // A reference of the default pattern (letters, digits and '-'): the username's other
    // characters become '-'.
    std::string reference = "PROBE-" + username;
    for (char& ch : reference)
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '-';
    Json body = {{"person", {{"reference", reference}}},
                 {"encounter", {{"source", "border"}, {"date", "2026-01-05"}}},
                 {"language", "en"},
                 {"profile", "adult_labour"},
                 {"age", 30},
                 {"answers", {{"ex_excessive_hours", "yes"}}}};
    auto view =
        screenings.create_screening(auth::Actor::user(f.user(username), auth::Scope::organisation),
                                    screen::parse_new_screening(body, "2026-06-01"));
    return view["screening"]["id"].get<int64_t>();
  };
  const std::string own = std::to_string(screen_as("screener"));
  const int64_t other = screen_as("other.screener");
  auto draft_as = [&](const std::string& username) {
    auto view =
        screenings.create_draft(auth::Actor::user(f.user(username), auth::Scope::organisation),
                                screen::parse_draft(Json{{"state", {{"step", "setup"}}}}));
    return view["id"].get<int64_t>();
  };
  const std::string own_draft = std::to_string(draft_as("screener"));
  const std::string own_draft_to_discard = std::to_string(draft_as("screener"));
  const int64_t other_draft = draft_as("other.screener");
  Json encounter = {{"person", {{"reference", "PROBE-ENCOUNTER"}}},
                    {"encounter", {{"source", "hotline"}, {"date", "2026-02-01"}}}};
  return {
      {
          {"GET", "/api/v1/screen/profiles", "/api/v1/screen/profiles", "", 200},
          {"GET", "/api/v1/screen/instruments/{profile}", "/api/v1/screen/instruments/adult_labour",
           "", 200},
          {"GET", "/api/v1/screen/screener", "/api/v1/screen/screener", "", 200},
          {"POST", "/api/v1/screen/evaluate", "/api/v1/screen/evaluate", "{}", 400},
          {"POST", "/api/v1/encounters", "/api/v1/encounters", encounter.dump(), 201},
          {"POST", "/api/v1/screenings", "/api/v1/screenings", "{}", 400},
          {"GET", "/api/v1/screenings", "/api/v1/screenings", "", 200},
          {"GET", "/api/v1/screenings/coverage", "/api/v1/screenings/coverage", "", 200},
          {"GET", "/api/v1/screenings/{id}", "/api/v1/screenings/" + own, "", 200},
          {"POST", "/api/v1/screenings/{id}/referrals", "/api/v1/screenings/" + own + "/referrals",
           R"({"kind":"shelter"})", 201},
          // An empty correction is refused (400) after the scope check: every allowed role
          // gets the same answer, and the screening stays as it is for the other probes.
          {"POST", "/api/v1/screenings/{id}/corrections",
           "/api/v1/screenings/" + own + "/corrections", R"({"answers":{},"reason":"probe"})", 400},
          {"GET", "/api/v1/screenings/{id}/summary.pdf",
           "/api/v1/screenings/" + own + "/summary.pdf", "", 200},
          {"GET", "/api/v1/screenings/drafts", "/api/v1/screenings/drafts", "", 200},
          {"POST", "/api/v1/screenings/drafts", "/api/v1/screenings/drafts",
           R"({"state":{"step":"setup"}})", 201},
          {"GET", "/api/v1/screenings/drafts/{id}", "/api/v1/screenings/drafts/" + own_draft, "",
           200},
          {"POST", "/api/v1/screenings/drafts/{id}", "/api/v1/screenings/drafts/" + own_draft,
           R"({"state":{"step":"consent"}})", 200},
          // Discarding is idempotent: every allowed role gets 204.
          {"DELETE", "/api/v1/screenings/drafts/{id}",
           "/api/v1/screenings/drafts/" + own_draft_to_discard, "", 204},
      },
      {{"screening", other}, {"screening_draft", other_draft}}};
}

}  // namespace ctip::server::testing
