#include <cstdlib>
#include <iostream>
#include <random>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "cases/intake.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "core/error.h"
#include "core/time.h"
#include "screen/screening.h"

namespace ctip::cli {
namespace {

// Demo organisations and one user per role. The password is for demonstrations on a
// workstation only; CTIP_DEMO_PASSWORD overrides it.
struct DemoUser {
  const char* username;
  const char* role;
  const char* org;
  const char* kind;
};
constexpr DemoUser kDemoUsers[] = {
    {"admin", "admin", "National Anti-Trafficking Unit", "government_agency"},
    {"analyst", "analyst", "National Anti-Trafficking Unit", "government_agency"},
    {"auditor", "auditor", "National Anti-Trafficking Unit", "government_agency"},
    {"investigator", "investigator", "Federal Police THB Unit", "law_enforcement"},
    {"caseworker", "caseworker", "Safe Harbour Shelter", "service_provider"},
    {"screener", "screener", "Safe Harbour Shelter", "service_provider"},
    {"inspector", "inspector", "Labour Inspectorate", "labour_inspectorate"},
    {"platform_analyst", "platform_analyst", "Marketplace Trust & Safety", "online_platform"},
};

std::string demo_password() {
  const char* env = std::getenv("CTIP_DEMO_PASSWORD");
  return env && *env ? env : "ctip-demo-2026";
}

// The demo deployment's country: "own nationals" in coverage are its nationals.
constexpr const char* kDemoCountry = "NL";

struct DemoSource {
  const char* source;
  const char* screener;   // username of the demo user who screens at this source
  const char* profile;    // profile used for the full interview
  double screened_share;  // share of persons encountered who were screened
};
constexpr DemoSource kDemoSources[] = {
    {"smuggling_interception", "investigator", "adult_labour", 0.55},
    {"border", "investigator", "adult_sexual", 0.7},
    {"police", "investigator", "adult_criminality", 0.8},
    {"labour_inspection", "inspector", "adult_labour", 0.9},
    {"domestic_violence_service", "caseworker", "adult_sexual", 0.6},
    {"hotline", "screener", "adult_labour", 0.75},
    {"self_referral", "screener", "adult_labour", 0.95},
    {"online_platform", "investigator", "adult_sexual", 0.5},
};
constexpr const char* kForeignNationalities[] = {"NG", "RO", "VN", "UA", "SY", "ER",
                                                 "BR", "IN", "CN", "MA", "BG", "PH"};

// Answers that make the given dimensions positive (three strong-or-medium indicators each),
// deny the rest, and leave some questions unanswered, as real interviews do.
Json demo_answers(const screen::Instrument& inst, const std::vector<std::string>& positive,
                  std::mt19937& rng) {
  Json answers = Json::object();
  std::map<std::string, int> yes_in;
  for (const auto& ind : inst.indicators) {
    bool hit = std::find(positive.begin(), positive.end(), ind.dimension) != positive.end();
    std::string a = "no";
    if (hit && ind.strength != screen::Strength::weak && yes_in[ind.dimension] < 3) {
      a = "yes";
      ++yes_in[ind.dimension];
    } else if (rng() % 6 == 0) {
      a = "unknown";
    }
    answers[ind.id] = a;
  }
  return answers;
}

// A year of encounters and screenings across the encounter sources, with a rising share of
// own nationals among victims (the domestic trafficking that policy response 2 is about).
void seed_screenings(store::Connection& c, audit::AuditLog& log) {
  cases::set_setting(c, "country", kDemoCountry);
  std::mt19937 rng(2026);
  const auto& catalogue = screen::Catalogue::builtin();
  int64_t today_days = now_ms() / 86400000;
  const std::vector<std::vector<std::string>> scenarios = {
      {"deceptive_recruitment", "exploitation", "coercion_at_destination"},  // presumed
      {"coercive_recruitment", "exploitation", "abuse_of_vulnerability_at_destination"},
      {"exploitation", "coercion_at_destination"},  // possible
      {"deceptive_recruitment", "exploitation"},    // possible
      {"exploitation"},                             // exploitation only
      {},                                           // no indication
      {},
  };
  int person = 0;
  for (int day = 360; day >= 1; day -= 1) {
    int per_day = static_cast<int>(rng() % 3);  // 0-2 encounters a day
    for (int k = 0; k < per_day; ++k) {
      const auto& src = kDemoSources[rng() % std::size(kDemoSources)];
      auto user = auth::find_user_by_name(c, src.screener);
      cases::Actor actor{user->id, user->org.id};
      // Own nationals grow from about 20% to about 45% of persons over the year.
      double own_share = 0.2 + 0.25 * (360 - day) / 360.0;
      bool own = (rng() % 1000) / 1000.0 < own_share;
      cases::PersonInput p{
          "DEMO-" + std::to_string(++person),
          std::string(own ? kDemoCountry
                          : kForeignNationalities[rng() % std::size(kForeignNationalities)])};
      std::string date = format_time((today_days - day) * 86400000LL).substr(0, 10);
      auto [person_id, encounter_id] = cases::record_encounter(c, actor, p, {src.source, date});
      log.append(c, {user->id, user->username, user->org.id, "encounters.create", "encounter",
                     std::to_string(encounter_id), "success"});
      if ((rng() % 1000) / 1000.0 >= src.screened_share) continue;

      const auto* inst = catalogue.find_instrument(src.profile);
      const auto& scenario = scenarios[rng() % scenarios.size()];
      int age = 18 + static_cast<int>(rng() % 40);
      Json evaluation = {{"profile", src.profile},
                         {"age", age},
                         {"may_be_minor", false},
                         {"answers", demo_answers(*inst, scenario, rng)}};
      static const char* langs[] = {"en", "es", "fr", "ar"};
      cases::ScreeningInput s;
      s.language = langs[rng() % 4];
      s.interpreter_used = s.language != "en" && rng() % 2;
      s.instrument = "full";
      s.profile = src.profile;
      s.age = age;
      s.answers = evaluation["answers"];
      evaluation["lang"] = s.language;
      s.result = screen::to_json(screen::evaluate(screen::parse_evaluation_input(evaluation)));
      int64_t id = cases::save_screening(c, actor, person_id, encounter_id, s);
      log.append(c, {user->id, user->username, user->org.id, "screenings.create", "screening",
                     std::to_string(id), "success"});
    }
  }
}

// Seeds once: a store that already has users is left as it is.
bool seed(store::Store& store, audit::AuditLog& log) {
  bool seeded = false;
  store.write([&](store::Connection& c) {
    if (c.query_one("SELECT count(*) FROM users")->integer(0) > 0) return;
    for (const auto& d : kDemoUsers) {
      auto u = auth::create_user(c, {d.username, demo_password(), d.org, d.kind, d.role});
      log.append(c, {std::nullopt, "demo", u.org.id, "users.create", "user", std::to_string(u.id),
                     "success"});
    }
    seed_screenings(c, log);
    seeded = true;
  });
  return seeded;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  static std::string data_dir;
  static ServeFlags flags;
  static bool no_serve = false;
  auto* demo = app.add_subcommand(
      "demo", "Create a store with demo organisations, users and data, then serve it");
  add_data_option(*demo, data_dir);
  add_serve_flags(*demo, flags);
  demo->add_flag("--no-serve", no_serve, "Only create the demo store");
  demo->footer(
      "Example:\n  ctip demo --data ./ctip-data          (then open http://127.0.0.1:8080)");
  demo->callback([] {
    {
      auto store = store::Store::open_sqlite(data_dir);
      audit::DirectoryTrustStore trust(data_dir);
      audit::AuditLog log(*store, trust);
      bool seeded = seed(*store, log);
      std::cout << (seeded ? "demo data loaded into " : "demo store already present in ")
                << data_dir << "\n";
    }
    std::cout << "\nLog in at http://" << flags.bind << ":" << flags.port
              << "/ with one of these demo users (password: " << demo_password() << "):\n";
    for (const auto& d : kDemoUsers)
      std::cout << "  " << d.username << std::string(18 - std::string(d.username).size(), ' ')
                << d.org << "\n";
    std::cout << std::endl;
    if (!no_serve) run_server(data_dir, flags);
  });
}

}  // namespace ctip::cli
