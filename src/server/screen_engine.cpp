#include "server/screen_engine.h"

#include "screen/screening.h"

namespace ctip::server {

Json evaluate_answers(const Json& evaluation) {
  return screen::to_json(screen::evaluate(screen::parse_evaluation_input(evaluation)));
}

Json evaluate_screener(const Json& evaluation) {
  return screen::to_json(screen::evaluate(screen::parse_screener_input(evaluation)));
}

namespace {

std::string lang_of(const Call& call) {
  std::string lang = call.query_value("lang").value_or("en");
  screen::check_language(lang, "lang");
  return lang;
}

}  // namespace

std::vector<Route> screen_engine_routes() {
  return {
      {"GET", "/api/v1/screen/profiles", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, screen::profiles_json(lang_of(call))};
       },
       "Screening profiles and languages"},
      {"GET", "/api/v1/screen/instruments/{profile}", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, screen::instrument_json(call.params.at("profile"), lang_of(call))};
       },
       "An instrument rendered in a language"},
      {"GET", "/api/v1/screen/screener", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, screen::screener_json(lang_of(call))};
       },
       "The short first-contact screener"},
      {"POST", "/api/v1/screen/evaluate", "screen.instruments",
       [](Call& call) -> Reply {
         return {200, evaluate_answers(call.json())};
       },
       "Evaluate answers without storing anything"},
  };
}

}  // namespace ctip::server
