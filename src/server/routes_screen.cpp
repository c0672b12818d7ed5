// Screening routes (issue #3): instruments and stateless evaluation (src/screen), and the
// workflow that records encounters, screenings, cases and referrals (src/cases).
#include "cases/coverage.h"
#include "cases/intake.h"
#include "core/error.h"
#include "core/time.h"
#include "server/api.h"
#include "server/screen_engine.h"

namespace ctip::server {
namespace {

cases::Actor actor_of(const Call& call) { return {call.user->id, call.user->org.id}; }

std::string today() { return now_iso().substr(0, 10); }

Reply record_encounter(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"person", "encounter"});
  auto person = cases::parse_person(in.object("person"));
  auto encounter = cases::parse_encounter(in.object("encounter"), today());
  int64_t encounter_id = 0;
  call.svc.store.write([&](store::Connection& c) {
    auto ids = cases::record_encounter(c, actor_of(call), person, encounter);
    encounter_id = ids.second;
    call.audit(c, "encounters.create", "encounter", std::to_string(encounter_id));
  });
  return Reply::created({{"encounter",
                          {{"id", encounter_id},
                           {"source", encounter.source},
                           {"date", encounter.date},
                           {"person", {{"reference", person.reference}}}}}});
}

Reply create_screening(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"person", "encounter", "language", "interpreter_used", "instrument", "profile", "age",
           "may_be_minor", "answers"});
  auto person = cases::parse_person(in.object("person"));
  auto encounter = cases::parse_encounter(in.object("encounter"), today());
  cases::ScreeningInput s;
  s.language = in.string("language");
  if (s.language != "en" && s.language != "es" && s.language != "fr" && s.language != "ar")
    invalid("language", "language must be one of en, es, fr, ar");
  s.interpreter_used = in.optional_boolean("interpreter_used").value_or(false);
  s.instrument = in.optional_string("instrument").value_or("full");
  // The engine validates profile, age, may_be_minor and answers, naming the field.
  Json evaluation = Json::object();
  for (const char* key : {"profile", "age", "may_be_minor", "answers"})
    if (body.contains(key)) evaluation[key] = body[key];
  evaluation["lang"] = s.language;
  if (s.instrument == "full")
    s.result = evaluate_answers(evaluation);
  else if (s.instrument == "screener")
    s.result = evaluate_screener(evaluation);
  else
    invalid("instrument", "instrument must be \"full\" or \"screener\"");
  s.profile = s.result.value("profile", "");
  if (body["age"].is_number_integer()) s.age = body["age"].get<int64_t>();
  s.may_be_minor = body.value("may_be_minor", false);
  s.answers = body["answers"];

  Json view;
  call.svc.store.write([&](store::Connection& c) {
    auto [person_id, encounter_id] = cases::record_encounter(c, actor_of(call), person, encounter);
    int64_t id = cases::save_screening(c, actor_of(call), person_id, encounter_id, s);
    call.audit(c, "screenings.create", "screening", std::to_string(id));
    view = *cases::screening_view(c, id, std::nullopt);
  });
  return Reply::created(view);
}

Reply list_screenings(Call& call) {
  int64_t limit = call.query_int("limit", 100, 1, 1000);
  Json list;
  call.svc.store.write([&](store::Connection& c) {
    list = cases::list_screenings(c, call.org_filter(), limit);
    call.audit(c, "screenings.read", "screening_list", std::to_string(list.size()));
  });
  return {200, {{"screenings", list}}};
}

Reply get_screening(Call& call) {
  int64_t id = call.path_id("id");
  std::optional<Json> view;
  call.svc.store.write([&](store::Connection& c) {
    view = cases::screening_view(c, id, call.org_filter());
    if (!view) return;
    call.audit(c, "screenings.read", "screening", std::to_string(id));
  });
  if (!view) throw Error(ErrorCode::not_found, "no such screening", "id");
  return {200, *view};
}

Reply refer(Call& call) {
  int64_t id = call.path_id("id");
  auto body = call.json();
  JsonObject in(body);
  in.only({"kind"});
  std::string kind = in.string("kind");
  Json referral;
  call.svc.store.write([&](store::Connection& c) {
    referral = cases::make_referral(c, actor_of(call), id, call.org_filter(), kind);
    call.audit(c, "screenings.refer", "referral", std::to_string(referral["id"].get<int64_t>()));
  });
  return Reply::created({{"referral", referral}});
}

Reply coverage(Call& call) {
  Json out;
  call.svc.store.read([&](store::Connection& c) {
    out = cases::to_json(cases::load_coverage(c, call.org_filter(),
                                              call.query_value("from").value_or(""),
                                              call.query_value("to").value_or("")));
  });
  return {200, out};
}

}  // namespace

std::vector<Route> screen_routes() {
  std::vector<Route> routes = screen_engine_routes();
  std::vector<Route> workflow = {
      {"POST", "/api/v1/encounters", "screenings.create", record_encounter,
       "Record a person encountered (not yet screened)"},
      {"POST", "/api/v1/screenings", "screenings.create", create_screening,
       "Screen a person: evaluate, store, open a case, recommend referrals"},
      {"GET", "/api/v1/screenings", "screenings.read", list_screenings, "Screenings, newest first"},
      {"GET", "/api/v1/screenings/coverage", "screenings.coverage", coverage,
       "Coverage per month and encounter source"},
      {"GET", "/api/v1/screenings/{id}", "screenings.read", get_screening, "One screening"},
      {"POST", "/api/v1/screenings/{id}/referrals", "screenings.refer", refer, "Make a referral"},
  };
  for (auto& r : workflow) routes.push_back(std::move(r));
  return routes;
}

}  // namespace ctip::server
