// Screening routes (issue #3): the instruments and stateless evaluation (the engine), and the
// workflow that records encounters, screenings, cases and referrals (ScreeningService). Each
// handler parses its input, calls the engine or the service and shapes the reply.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time.h"
#include "screen/capability.h"
#include "screen/intake.h"
#include "screen/interview.h"
#include "screen/screening.h"
#include "screen/screening_service.h"
#include "screen/summary_pdf.h"

namespace ctip::screen {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

std::string today() { return now_iso().substr(0, 10); }

ScreeningService service(Call& call) { return {call.svc.store, call.svc.audit}; }

std::string lang_of(const Call& call) {
  std::string lang = call.query_value("lang").value_or("en");
  check_language(lang, "lang");
  return lang;
}

Reply record_encounter(Call& call) {
  auto in = parse_new_encounter(call.json(), today());
  auto ids = service(call).record_encounter(call.actor(), in);
  return Reply::created({{"encounter",
                          {{"id", ids.encounter_id},
                           {"source", in.encounter.source},
                           {"date", in.encounter.date},
                           {"person", {{"reference", in.person.reference}}}}}});
}

Reply create_screening(Call& call) {
  auto in = parse_screening_request(call.json(), today());
  return Reply::created(service(call).create_screening(call.actor(), in));
}

Reply list_drafts(Call& call) {
  int64_t limit = call.query_int("limit", 100, 1, 1000);
  return {200, {{"drafts", service(call).list_drafts(call.actor(), limit)}}};
}

Reply create_draft(Call& call) {
  return Reply::created(
      {{"draft", service(call).create_draft(call.actor(), parse_draft(call.json()))}});
}

Reply get_draft(Call& call) {
  return {200, {{"draft", service(call).get_draft(call.actor(), call.object_id)}}};
}

Reply save_draft(Call& call) {
  auto in = parse_draft(call.json());
  return {200, {{"draft", service(call).save_draft(call.actor(), call.object_id, in)}}};
}

Reply discard_draft(Call& call) {
  service(call).discard_draft(call.actor(), call.object_id);
  return Reply::empty();
}

Reply summary(Call& call) {
  std::string lang = lang_of(call);  // checked before anything is read or audited
  auto view = service(call).export_summary(call.actor(), call.object_id);
  Reply r = Reply::bytes(summary_pdf(view, lang), "application/pdf");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"screening-" +
                                                    std::to_string(call.object_id) + ".pdf\"");
  return r;
}

Reply correct(Call& call) {
  auto in = parse_correction(call.json());
  return Reply::created(service(call).correct(call.actor(), call.object_id, in));
}

Reply list_screenings(Call& call) {
  int64_t limit = call.query_int("limit", 100, 1, 1000);
  return {200, {{"screenings", service(call).list_screenings(call.actor(), limit)}}};
}

Reply get_screening(Call& call) {
  return {200, service(call).get_screening(call.actor(), call.object_id)};
}

Reply refer(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"kind"});
  std::string kind = in.string("kind");
  return Reply::created({{"referral", service(call).refer(call.actor(), call.object_id, kind)}});
}

Reply coverage(Call& call) {
  auto cov = service(call).coverage(call.actor(), call.query_value("from").value_or(""),
                                    call.query_value("to").value_or(""));
  // What the API shows is suppressed below 5 persons a cell; the operator's `ctip screen
  // coverage`, who holds the data directory, sees the exact counts.
  suppress_small_cells(cov);
  return {200, to_json(cov)};
}

}  // namespace

std::vector<Route> routes() {
  const auto screening = Ownership::object("screening", ScreeningService::owner_of);
  const auto draft = Ownership::object("screening_draft", ScreeningService::draft_owner_of);
  return {
      {"GET", "/api/v1/screen/profiles", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, profiles_json(lang_of(call))};
       },
       "Screening profiles and languages", Ownership::none()},
      {"GET", "/api/v1/screen/instruments/{profile}", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, instrument_json(call.params.at("profile"), lang_of(call))};
       },
       "An instrument rendered in a language", Ownership::none()},
      {"GET", "/api/v1/screen/screener", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, screener_json(lang_of(call))};
       },
       "The short first-contact screener", Ownership::none()},
      {"POST", "/api/v1/screen/evaluate", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, to_json(evaluate(parse_evaluation_input(call.json())))};
       },
       "Evaluate answers without storing anything", Ownership::none()},
      {"POST", "/api/v1/encounters", "screenings.create", record_encounter,
       "Record a person encountered (not yet screened)", Ownership::organisation()},
      {"POST", "/api/v1/screenings", "screenings.create", create_screening,
       "Screen a person: evaluate, store, open a case, recommend referrals",
       Ownership::organisation()},
      {"GET", "/api/v1/screenings", "screenings.read", list_screenings, "Screenings, newest first",
       Ownership::organisation()},
      {"GET", "/api/v1/screenings/coverage", "screenings.coverage", coverage,
       "Coverage per month and encounter source", Ownership::organisation()},
      {"GET", "/api/v1/screenings/{id}", "screenings.read", get_screening, "One screening",
       screening},
      {"POST", "/api/v1/screenings/{id}/referrals", "screenings.refer", refer, "Make a referral",
       screening},
      {"POST", "/api/v1/screenings/{id}/corrections", "screenings.correct", correct,
       "Correct a screening's answers (re-evaluated; the previous ones kept)", screening},
      {"GET", "/api/v1/screenings/{id}/summary.pdf", "screenings.export", summary,
       "A screening's printable summary as PDF (audited)", screening},
      {"GET", "/api/v1/screenings/drafts", "screenings.read", list_drafts,
       "Open screening drafts, newest first", Ownership::organisation()},
      {"POST", "/api/v1/screenings/drafts", "screenings.create", create_draft,
       "Start a screening draft", Ownership::organisation()},
      {"GET", "/api/v1/screenings/drafts/{id}", "screenings.read", get_draft, "One draft", draft},
      {"POST", "/api/v1/screenings/drafts/{id}", "screenings.create", save_draft,
       "Save a draft's state", draft},
      {"DELETE", "/api/v1/screenings/drafts/{id}", "screenings.create", discard_draft,
       "Discard a draft", draft},
  };
}

void add_meta(Json& meta) {
  auto strings = [](const auto& list) {
    Json out = Json::array();
    for (const auto& s : list) out.push_back(std::string(s));
    return out;
  };
  meta["encounter_sources"] = strings(kEncounterSources);
  meta["referral_kinds"] = strings(kReferralKinds);
  Json outcomes = Json::array();
  for (auto it = kOutcomes.rbegin(); it != kOutcomes.rend(); ++it)  // most serious first
    outcomes.push_back(std::string(to_string(*it)));
  meta["outcomes"] = outcomes;
  Json actions = Json::array();
  for (auto a : {Action::refer_now, Action::complete_interview, Action::no_further_action})
    actions.push_back(std::string(to_string(a)));
  meta["actions"] = actions;
  meta["languages"] = strings(kLanguages);
  Json profiles = Json::array();
  for (const auto& instrument : Catalogue::builtin().instruments)
    profiles.push_back(instrument.profile);
  meta["profiles"] = profiles;
}

}  // namespace ctip::screen
