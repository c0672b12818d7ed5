#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "auth/accounts.h"
#include "cases/case_file.h"
#include "cases/cases_service.h"
#include "cases/services/investigation_service.h"
#include "cases/services/provider_service.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "core/error.h"
#include "core/time.h"
#include "flows/demo_data.h"
#include "flows/flows_service.h"
#include "online/demo_ads.h"
#include "online/online_service.h"
#include "screen/screening.h"
#include "screen/screening_service.h"

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
// own nationals among victims (the domestic trafficking that policy response 2 is about). Each
// one goes through the screening service as the API's would (POST /api/v1/encounters and
// /api/v1/screenings bodies), inside the caller's transaction.
void seed_screenings(store::Connection& c, screen::ScreeningService& screening,
                     const auth::Actor& operator_actor,
                     const std::map<std::string, auth::User>& users) {
  screening.set_country(c, operator_actor, kDemoCountry);
  std::mt19937 rng(2026);
  const auto& catalogue = screen::Catalogue::builtin();
  const std::string today = now_iso().substr(0, 10);
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
      auto actor = auth::Actor::user(users.at(src.screener), auth::Scope::organisation);
      // Own nationals grow from about 20% to about 45% of persons over the year.
      double own_share = 0.2 + 0.25 * (360 - day) / 360.0;
      bool own = (rng() % 1000) / 1000.0 < own_share;
      Json person_json = {
          {"reference", "DEMO-" + std::to_string(++person)},
          {"nationality",
           own ? kDemoCountry : kForeignNationalities[rng() % std::size(kForeignNationalities)]}};
      Json encounter_json = {{"source", src.source},
                             {"date", format_time((today_days - day) * 86400000LL).substr(0, 10)}};
      if ((rng() % 1000) / 1000.0 >= src.screened_share) {
        screening.record_encounter(
            c, actor,
            screen::parse_new_encounter({{"person", person_json}, {"encounter", encounter_json}},
                                        today));
        continue;
      }
      const auto* inst = catalogue.find_instrument(src.profile);
      const auto& scenario = scenarios[rng() % scenarios.size()];
      int age = 18 + static_cast<int>(rng() % 40);
      std::string language(screen::kLanguages[rng() % screen::kLanguages.size()]);
      Json body = {{"person", person_json},
                   {"encounter", encounter_json},
                   {"language", language},
                   {"interpreter_used", language != "en" && rng() % 2},
                   {"instrument", "full"},
                   {"profile", src.profile},
                   {"age", age},
                   {"may_be_minor", false},
                   {"answers", demo_answers(*inst, scenario, rng)}};
      screening.create_screening(c, actor, screen::parse_new_screening(body, today));
    }
  }
}

// Seeds once: a store that already has users is left as it is. All in one transaction, so that
// an interrupted seeding leaves nothing behind.
bool seed(store::Store& store, audit::AuditLog& log) {
  auth::AccountService accounts(store, log);
  screen::ScreeningService screening(store, log);
  const auto demo = auth::Actor::operator_named("demo");
  if (accounts.has_users()) return false;
  for (const auto& d : kDemoUsers)  // a bad CTIP_DEMO_PASSWORD fails before anything is written
    auth::validate_new_user({d.username, demo_password(), d.org, d.kind, d.role});
  // One Argon2id hash for every demo user, before the transaction: they share the password,
  // which the demo prints, so a hash per user (each with its own salt) would hide nothing, and
  // the 8 hashes took some 40% of the seeding's CPU time. A user who sets their own password
  // gets a hash of their own (AccountService::set_password).
  const std::string hash = auth::hash_password(demo_password());
  // Another process seeding meanwhile makes this one fail on a taken username and roll back.
  store.write([&](store::Connection& c) {
    std::map<std::string, auth::User> users;
    for (const auto& d : kDemoUsers)
      users[d.username] =
          accounts.create_user(c, demo, {d.username, demo_password(), d.org, d.kind, d.role}, hash);
    seed_screenings(c, screening, demo, users);
  });
  return true;
}

// Case files for the documentation and justice dashboards: permit applications of the last
// year (most decided after a few weeks, some still pending) and proceedings opened over the last
// year (some decided, some idle for months), on the demo cases but the ten newest, through the same
// use cases as POST /cases/{id}/permits and /proceedings. Once: a store with proceedings keeps its
// own.
bool seed_case_files(store::Store& store, audit::AuditLog& log) {
  cases::CasesService svc(store, log);
  const auto demo = auth::Actor::operator_named("demo");
  if (!svc.list_proceedings(demo).empty()) return false;
  const std::string today = now_iso().substr(0, 10);
  const int64_t today_days = now_ms() / 86400000;
  auto day = [&](int64_t days_ago) {
    return format_time((today_days - days_ago) * 86400000LL).substr(0, 10);
  };
  cases::repository::ListFilter filter;
  filter.limit = 1000;
  const Json listed = svc.list(demo, filter);
  constexpr const char* kKinds[] = {"investigation", "prosecution", "trial", "compensation_claim"};
  int64_t i = 0;
  for (const auto& c : listed) {
    const int64_t id = c["id"].get<int64_t>();
    // The newest cases are left as screening opened them (a case without permits to start from).
    if (++i <= 10) continue;
    // Permits: requested 20-360 days ago; four in five decided 10-90 days later.
    const int64_t requested_ago = 20 + (i * 37) % 340;
    Json permit = {{"kind", i % 2 ? "work_permit" : "temporary_residence"},
                   {"tied_to_employer", false},
                   {"requested_on", day(requested_ago)}};
    if (i % 5 != 4) {
      const int64_t decided_ago = std::max<int64_t>(1, requested_ago - (10 + (i * 13) % 80));
      permit["status"] = i % 9 == 0 ? "refused" : "issued";
      permit["decided_on"] = day(decided_ago);
      if (permit["status"] == "issued") permit["expires_on"] = day(decided_ago - 365);
    }
    svc.add_permit(demo, id, cases::parse_permit(permit, today));
    // Proceedings on every second case: opened 30-360 days ago; half of them decided.
    if (i % 2 == 0) {
      const int64_t opened_ago = 30 + (i * 53) % 330;
      Json proceeding = {{"case_id", id},
                         {"kind", kKinds[(i / 2) % std::size(kKinds)]},
                         {"essential", i % 3 == 0},
                         {"court", i % 4 == 0 ? "Rechtbank Amsterdam" : "Rechtbank Rotterdam"},
                         {"opened_on", day(opened_ago)}};
      const Json made = svc.add_proceeding(demo, cases::parse_proceeding(proceeding, today));
      if ((i / 2) % 3 == 0) {
        const int64_t pid = made["proceeding"]["id"].get<int64_t>();
        Json update = {
            {"status", "decided"},
            {"outcome", "judgment"},
            {"activity_on", day(std::max<int64_t>(1, opened_ago - (20 + (i * 7) % 150)))}};
        svc.update_proceeding(demo, pid, cases::parse_proceeding_update(update, today));
      }
    }
  }
  return !listed.empty();
}

// The flows page's data: a generated CTDC-format dataset (flows/demo_data.h), imported through
// the same use case as `ctip flows import`, once (a store with flows data keeps it).
constexpr size_t kDemoFlowRecords = 30000;
bool seed_flows(store::Store& store, audit::AuditLog& log) {
  flows::FlowsService svc(store, log);
  if (svc.overview()["imports"].size() > 0) return false;
  std::istringstream in(flows::demo_ctdc_csv(kDemoFlowRecords));
  flows::ImportRequest req;
  req.file_name = "demo_ctdc.csv (generated)";
  svc.import(auth::Actor::operator_named("demo"), in, req);
  return true;
}

// The online ads page's data: a generated ads file (online/demo_ads.h) ingested through the same
// use case as `ctip ads ingest`, once, for the platform's organisation and for the police unit it
// hands its findings to.
constexpr size_t kDemoAds = 3000;
constexpr const char* kDemoAdOrgs[] = {"Marketplace Trust & Safety", "Federal Police THB Unit"};
bool seed_ads(store::Store& store, audit::AuditLog& log) {
  online::OnlineService svc(store, log);
  bool seeded = false;
  for (const char* name : kDemoAdOrgs) {
    std::optional<auth::Organisation> org;
    store.read([&](store::Connection& c) { org = auth::find_organisation(c, name); });
    if (!org || !svc.networks(org->id, 1)["analysis"].is_null()) continue;
    std::istringstream in(online::demo_ads_csv(kDemoAds));
    online::IngestRequest req;
    req.file_name = "demo_ads.csv (generated)";
    svc.ingest(auth::Actor::operator_named("demo"), org->id, in, req);
    seeded = true;
  }
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
      auto store = open_store(data_dir);
      audit::DirectoryTrustStore trust(audit_files_dir(data_dir), audit_key_file());
      audit::AuditLog log(*store, trust);
      bool seeded = seed(*store, log);
      if (cases::services::ProviderService(*store, log)
              .seed_demo(auth::Actor::operator_named("demo")))
        std::cout << "demo service providers: data/demo/providers.csv (ctip providers list)\n";
      if (cases::services::InvestigationService(*store, log)
              .seed_demo(auth::Actor::operator_named("demo"), "Federal Police THB Unit",
                         "investigator", now_iso().substr(0, 10)))
        std::cout << "demo investigations: online networks since 2019 (the investigations "
                     "dashboard's baseline)\n";
      if (seed_case_files(*store, log))
        std::cout << "demo case files: permits and proceedings (the documentation and justice "
                     "dashboards)\n";
      if (seed_flows(*store, log))
        std::cout << "demo flows dataset: " << kDemoFlowRecords
                  << " generated case records (ctip flows imports --data DIR)\n";
      if (seed_ads(*store, log))
        std::cout << "demo online ads: " << kDemoAds
                  << " generated ads for the platform and police organisations (ctip ads "
                     "networks --data DIR --org NAME)\n";
      std::cout << (seeded ? "demo data loaded into " : "demo store already present in ")
                << (store->engine() == "sqlite" ? data_dir : std::string("the PostgreSQL store"))
                << "\n";
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
