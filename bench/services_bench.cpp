// Case management's services at scale (issue #11, "Interfaces and benchmark"): referral ranking
// against 10,000 providers (target <= 10 ms) and every dashboard over 1 million cases (target
// <= 1 s), on the store named by --store (SQLite or PostgreSQL). Prints one line per figure and
// exits 1 when a target is missed. Run: bench/services_bench.sh (release preset).
//
// The data are generated inside the database with portable set-based SQL (a recursive CTE over
// 1..N), not through the services: one million screenings through the screening service would
// take hours and measure screening, not the dashboards. Shapes follow the demo: 20
// organisations, 12 regions, a permit per case (70 % decided after 0..199 days), a proceeding
// per third case, an investigation per tenth, a referral per case to one of the providers.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/trust_store.h"
#include "cases/services/dashboard.h"
#include "cases/services/dashboard_service.h"
#include "cases/services/matching.h"
#include "cases/services/provider_service.h"
#include "cases/services/services_repository.h"
#include "store/store.h"

namespace {

using namespace ctip;
using namespace ctip::cases::services;
using Clock = std::chrono::steady_clock;

const char* kRegions[] = {"Noord-Holland", "Zuid-Holland", "Utrecht",   "Gelderland",
                          "Noord-Brabant", "Limburg",      "Groningen", "Friesland",
                          "Drenthe",       "Overijssel",   "Flevoland", "Zeeland"};

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The median of `runs` timings of fn, in milliseconds.
double median_ms(int runs, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    fn();
    t.push_back(ms_since(t0));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::vector<Provider> generate_providers(size_t n) {
  std::mt19937 rng(7);
  const char* langs[] = {"nl", "en", "ro", "bg", "uk", "ar", "vi", "fr", "es", "pt"};
  std::vector<Provider> out;
  for (size_t i = 0; i < n; ++i) {
    Provider p;
    p.id = static_cast<int64_t>(i + 1);
    p.name = "Provider " + std::to_string(i + 1);
    p.region = kRegions[rng() % 12];
    for (auto t : kServiceTypes)
      if (rng() % 4 == 0) p.services.push_back(t);
    if (p.services.empty()) p.services.push_back(kServiceTypes[rng() % kServiceTypes.size()]);
    p.languages = {"nl", langs[rng() % 10]};
    p.interpreter = rng() % 3 == 0;
    if (rng() % 5 == 0) p.eligibility.sexes = {rng() % 2 ? "female" : "male"};
    if (rng() % 6 == 0) p.eligibility.min_age = 18;
    if (rng() % 10 == 0) p.eligibility.documentation = {"temporary_permit", "regular"};
    p.capacity = 5 + static_cast<int64_t>(rng() % 60);
    p.occupancy = static_cast<int64_t>(rng() % static_cast<uint32_t>(p.capacity + 1));
    p.funding_this_year = 10000 + rng() % 500000;
    p.funding_baseline = 10000 + rng() % 500000;
    out.push_back(std::move(p));
  }
  return out;
}

// 1..n as a recursive CTE, portable to SQLite and PostgreSQL.
std::string numbers(int64_t n) {
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(n) + ") ";
}

void generate_cases(store::Store& store, int64_t cases, size_t providers) {
  auto t0 = Clock::now();
  store.write([&](store::Connection& c) {
    const std::string now = "2026-07-01T00:00:00Z";
    for (int o = 1; o <= 20; ++o) {
      c.execute("INSERT INTO organisations (id, name, kind, created_at) VALUES (?, ?, ?, ?)",
                {int64_t{o}, "Org " + std::to_string(o),
                 std::string(o % 4 == 0 ? "law_enforcement" : "service_provider"), now});
      c.execute(
          "INSERT INTO users (id, username, org_id, role, password_hash, created_at) VALUES "
          "(?, ?, ?, 'investigator', 'x', ?)",
          {int64_t{o}, "user" + std::to_string(o), int64_t{o}, now});
    }
    // Dates by day number: 2018-01-01 + d for d in 0..3099 (to mid-2026).
    c.execute("CREATE TABLE bench_days (d BIGINT PRIMARY KEY, day TEXT NOT NULL)");
    int64_t base = *day_number("2018-01-01");
    for (int64_t d = 0; d < 3100; ++d)
      c.execute("INSERT INTO bench_days (d, day) VALUES (?, ?)", {d, civil_date(base + d)});
  });
  auto providers_list = generate_providers(providers);
  store.write([&](store::Connection& c) {
    for (const auto& p : providers_list) repository::insert_provider(c, p, "2026-07-01T00:00:00Z");
  });
  const std::string N = numbers(cases);
  store.write([&](store::Connection& c) {
    c.execute("INSERT INTO persons (id, org_id, reference, nationality, created_at) " + N +
              "SELECT i, 1 + i % 20, 'P' || i, 'RO', '2026-01-01T00:00:00Z' FROM n");
    c.execute("INSERT INTO encounters (id, org_id, person_id, source, occurred_on, created_at) " +
              N + "SELECT i, 1 + i % 20, i, 'border', '2026-01-01', 'x' FROM n");
    c.execute(
        "INSERT INTO screenings (id, org_id, encounter_id, person_id, interviewer_id, language, "
        "interpreter_used, instrument, profile, may_be_minor, answers, outcome, could_become, "
        "instrument_version, rule_version, result, created_at) " +
        N +
        "SELECT i, 1 + i % 20, i, i, 1 + i % 20, 'en', 0, 'full', 'adult_labour', 0, '{}', "
        "'presumed', '', 'x', 'x', '{}', 'x' FROM n");
    c.execute("INSERT INTO cases (id, org_id, person_id, screening_id, status, opened_at) " + N +
              "SELECT i, 1 + i % 20, i, i, 'presumed', b.day FROM n JOIN bench_days b ON b.d = "
              "i % 3100");
    c.execute(
        "INSERT INTO case_files (case_id, victim_status, sex, age, nationality, "
        "documentation_status, languages, region, created_at, updated_at) " +
        N +
        "SELECT i, 'presumed', CASE i % 3 WHEN 0 THEN 'female' WHEN 1 THEN 'male' ELSE "
        "'unknown' END, 10 + i % 50, 'RO', 'pending', 'ro', 'R' || (i % 12), 'x', 'x' FROM n");
    c.execute(
        "INSERT INTO case_permits (id, case_id, kind, status, requested_on, decided_on, "
        "created_at, updated_at) " +
        N +
        "SELECT i, i, CASE i % 2 WHEN 0 THEN 'temporary_residence' ELSE 'work_permit' END, "
        "CASE WHEN i % 10 < 6 THEN 'issued' WHEN i % 10 < 7 THEN 'refused' ELSE 'requested' "
        "END, r.day, CASE WHEN i % 10 < 7 THEN dd.day ELSE NULL END, 'x', 'x' FROM n JOIN "
        "bench_days r ON r.d = i % 2800 JOIN bench_days dd ON dd.d = i % 2800 + i % 200");
    c.execute(
        "INSERT INTO case_proceedings (id, case_id, kind, status, opened_on, last_activity_on, "
        "created_at, updated_at) " +
        N +
        "SELECT i, i, CASE i % 6 WHEN 0 THEN 'investigation' WHEN 1 THEN 'prosecution' WHEN 2 "
        "THEN 'trial' WHEN 3 THEN 'appeal' WHEN 4 THEN 'compensation_claim' ELSE 'civil_claim' "
        "END, CASE WHEN i % 5 < 3 THEN 'open' ELSE 'decided' END, o.day, l.day, 'x', 'x' FROM n "
        "JOIN bench_days o ON o.d = i % 2600 JOIN bench_days l ON l.d = i % 2600 + i % 500 "
        "WHERE i % 3 = 0");
    c.execute("INSERT INTO investigations (id, org_id, case_id, assigned_to, opened_at, status) " +
              N +
              "SELECT i, 1 + i % 20, i, 1 + i % 20, b.day || 'T09:00:00Z', 'open' FROM n JOIN "
              "bench_days b ON b.d = i % 3100 WHERE i % 10 = 0");
    c.execute(
        "INSERT INTO service_referrals (id, org_id, case_id, provider_id, service, status, "
        "region, created_at) " +
        N + "SELECT i, 1 + i % 20, i, 1 + i % " + std::to_string(providers) +
        ", CASE i % 7 WHEN 0 THEN 'shelter' WHEN 1 THEN 'medical' WHEN 2 THEN 'psychological' "
        "WHEN 3 THEN 'legal_aid' WHEN 4 THEN 'translation' WHEN 5 THEN 'employment' ELSE "
        "'repatriation' END, CASE i % 4 WHEN 0 THEN 'sent' WHEN 1 THEN 'accepted' WHEN 2 THEN "
        "'declined' ELSE 'completed' END, 'R' || (i % 12), b.day || 'T10:00:00Z' FROM n JOIN "
        "bench_days b ON b.d = i % 3100");
  });
  std::printf(
      "generated %lld cases (permits, proceedings, investigations, referrals) and %zu "
      "providers in %.1f s\n",
      static_cast<long long>(cases), providers, ms_since(t0) / 1000);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int64_t cases = 1000000;
  size_t providers = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--store") url = argv[i + 1];
    if (a == "--cases") cases = std::atoll(argv[i + 1]);
    if (a == "--providers") providers = static_cast<size_t>(std::atoll(argv[i + 1]));
  }
  if (url.empty()) {
    std::cerr << "usage: services_bench --store sqlite:DIR|postgresql://... [--cases N] "
                 "[--providers N]\n";
    return 2;
  }
  bool ok = true;
  try {
    // 1. Ranking, the engine alone (what a request does after loading the directory).
    auto list = generate_providers(providers);
    Needs needs;
    needs.services = {ServiceType::shelter, ServiceType::psychological};
    needs.languages = {"ro"};
    needs.interpreter_needed = true;
    needs.region = "Utrecht";
    needs.sex = "female";
    needs.age = 24;
    needs.nationality = "RO";
    needs.documentation_status = "pending";
    size_t ranked = 0;
    double rank_ms = median_ms(51, [&] { ranked = match(list, needs, 20, false).ranked.size(); });
    std::printf("referral ranking, %zu providers: %.3f ms median of 51 (%zu ranked shown)%s\n",
                providers, rank_ms, ranked, rank_ms <= 10 ? "" : "  ** above 10 ms **");
    ok &= rank_ms <= 10;

    auto store = store::Store::open(url);
    std::printf("store: %s\n", std::string(store->engine()).c_str());
    auto dir = std::filesystem::temp_directory_path() /
               ("ctip-services-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    audit::DirectoryTrustStore trust(dir);
    audit::AuditLog log(*store, trust);
    generate_cases(*store, cases, providers);

    // 2. The same ranking through the service: the directory loaded from the store, then ranked.
    ProviderService psvc(*store, log);
    MatchRequest req;
    req.needs = needs;
    double service_ms =
        median_ms(5, [&] { psvc.match(auth::Actor::operator_named("bench"), req); });
    std::printf(
        "referral ranking through the service (load %zu providers + rank): %.1f ms "
        "median of 5\n",
        providers, service_ms);

    // 3. Every dashboard over all organisations (the analyst's `all` scope) and over one
    // organisation (a caseworker's: the join to cases), median of 3 after one warm-up.
    DashboardService dsvc(*store, log);
    DashboardOptions o;
    o.today = "2026-07-01";
    o.days = 365;
    auth::Actor all = auth::Actor::operator_named("bench");
    auth::Actor one = all;
    one.visible_org = 8;  // its cases have pending permits and proceedings (1 + i % 20)
    struct Board {
      const char* name;
      std::function<void(const auth::Actor&)> run;
    };
    std::vector<Board> boards = {
        {"capacity", [&](const auth::Actor& a) { dsvc.capacity(a, o); }},
        {"funding", [&](const auth::Actor& a) { dsvc.funding(a); }},
        {"documentation", [&](const auth::Actor& a) { dsvc.documentation(a, o); }},
        {"justice", [&](const auth::Actor& a) { dsvc.justice(a, o); }},
        {"investigations", [&](const auth::Actor& a) { dsvc.investigations(a, o); }},
    };
    for (const auto& b : boards)
      for (const auto* who : {&all, &one}) {
        b.run(*who);
        double ms = median_ms(3, [&] { b.run(*who); });
        std::printf("dashboard %-14s %-16s %8.1f ms%s\n", b.name,
                    who->visible_org ? "one organisation" : "all", ms,
                    ms <= 1000 ? "" : "  ** above 1 s **");
        ok &= ms <= 1000;
      }
    std::filesystem::remove_all(dir);
  } catch (const std::exception& e) {
    std::cerr << "services_bench: " << e.what() << "\n";
    return 1;
  }
  return ok ? 0 : 1;
}
