#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "core/error.h"
#include "screen/coverage.h"
#include "screen/intake.h"
#include "screen/screening_service.h"
#include "store/testing.h"

namespace ctip::screen {
namespace {

TEST(Coverage, CountsDistinctPersonsPerMonthAndSource) {
  std::vector<EncounterRow> rows = {
      {"2026-01", "border", 1, "NG", "presumed_trafficking"},
      {"2026-01", "border", 2, "NL", "presumed_trafficking"},
      {"2026-01", "border", 3, "NL", std::nullopt},     // encountered, not screened
      {"2026-01", "border", 2, "NL", "no_indication"},  // same person again: most severe counts
      {"2026-01", "hotline", 4, std::nullopt, "exploitation_only"},
      {"2026-02", "border", 1, "NG", "possible_trafficking"},
  };
  auto cov = compute_coverage(rows, "NL");
  ASSERT_EQ(cov.cells.size(), 3u);
  const auto& jan_border = cov.cells[0];
  EXPECT_EQ(jan_border.month, "2026-01");
  EXPECT_EQ(jan_border.source, "border");
  EXPECT_EQ(jan_border.encountered, 3);
  EXPECT_EQ(jan_border.screened, 2);
  EXPECT_EQ(jan_border.presumed, 2);
  EXPECT_EQ(jan_border.presumed_own_national, 1);
  EXPECT_EQ(cov.cells[1].source, "hotline");
  EXPECT_EQ(cov.cells[1].exploitation_only, 1);
  EXPECT_EQ(cov.totals.encountered, 4);
  EXPECT_EQ(cov.totals.screened, 3);
  auto j = to_json(cov);
  EXPECT_DOUBLE_EQ(j["months"][0]["own_national_share"].get<double>(), 0.5);
  EXPECT_TRUE(j["months"][1]["own_national_share"].is_null());  // no presumed victims
}

TEST(Coverage, WithoutACountryNoOneIsOwnNational) {
  auto cov = compute_coverage({{"2026-01", "police", 1, "NL", "presumed_trafficking"}}, "");
  EXPECT_EQ(cov.totals.presumed, 1);
  EXPECT_EQ(cov.totals.presumed_own_national, 0);
}

TEST(Referrals, FollowTheOutcome) {
  EXPECT_EQ(recommended_referrals("presumed_trafficking").size(), 5u);
  EXPECT_EQ(recommended_referrals("possible_trafficking").front(), "shelter");
  EXPECT_EQ(recommended_referrals("exploitation_only"),
            (std::vector<std::string>{"labour_inspection", "labour_rights"}));
  EXPECT_TRUE(recommended_referrals("no_indication").empty());
}

TEST(Intake, ParsingNamesTheField) {
  auto field_of = [](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.field();
    }
    return std::string("no error");
  };
  EXPECT_EQ(field_of([] { parse_person(Json{{"reference", ""}}); }), "person.reference");
  EXPECT_EQ(field_of([] {
              parse_person(Json{{"reference", "P1"}, {"nationality", "XX"}});
            }),
            "person.nationality");
  EXPECT_EQ(field_of([] {
              parse_person(Json{{"reference", "P1"}, {"name", "A"}});
            }),
            "person.name");
  EXPECT_EQ(field_of([] {
              parse_encounter(Json{{"source", "airport"}}, "2026-01-01");
            }),
            "encounter.source");
  EXPECT_EQ(field_of([] {
              parse_encounter(Json{{"source", "border"}, {"date", "2026-02-30"}}, "2026-12-01");
            }),
            "encounter.date");
  EXPECT_EQ(field_of([] {
              parse_encounter(Json{{"source", "border"}, {"date", "2027-01-01"}}, "2026-12-01");
            }),
            "encounter.date");
  auto p = parse_person(Json{{"reference", "P1"}, {"nationality", "ng"}});
  EXPECT_EQ(p.nationality, "NG");
}

// The service: each use case stores its records and its audit entry together, and the CLI's
// operator and the API's user run the same code.
TEST(ScreeningService, ScreeningOpensACaseRecommendsReferralsAndAuditsEachStep) {
  store::testing::TestDatabase db;
  {
    auto store = db.open();
    audit::DirectoryTrustStore trust(db.dir());
    audit::AuditLog log(*store, trust);
    auto op = auth::Actor::operator_named("cli");
    auto u =
        auth::AccountService(*store, log)
            .create_user(op, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
    auto other =
        auth::AccountService(*store, log)
            .create_user(op, {"oth", "long-enough-pass", "Other", "service_provider", "screener"});
    auto a = auth::Actor::user(u, auth::Scope::organisation);
    ScreeningService svc(*store, log);
    store->write([&](store::Connection& c) { svc.set_country(c, op, "nl"); });
    Json body = {{"person", {{"reference", "P-1"}, {"nationality", "NL"}}},
                 {"encounter", {{"source", "domestic_violence_service"}, {"date", "2026-03-04"}}},
                 {"language", "en"},
                 {"interpreter_used", true},
                 {"profile", "adult_sexual"},
                 {"age", 24},
                 {"answers",
                  {{"dr_deceived_nature_of_job", "yes"},
                   {"dr_deceived_travel_recruitment", "yes"},
                   {"ex_excessive_hours", "yes"},
                   {"ex_low_or_no_pay", "yes"},
                   {"cd_confiscation_of_documents", "yes"},
                   {"cd_debt_bondage", "yes"}}}};
    int64_t before = log.head().tree_size;
    auto view = svc.create_screening(a, parse_new_screening(body, "2026-12-01"));
    EXPECT_EQ(log.head().tree_size, before + 1);
    EXPECT_EQ(log.latest(1).front().event.action, "screenings.create");
    int64_t id = view["screening"]["id"];
    EXPECT_EQ(view["screening"]["person"]["reference"], "P-1");
    if (view["result"]["outcome"] == "presumed_trafficking") {
      EXPECT_EQ(view["case"]["status"], "presumed");
      EXPECT_EQ(view["referrals"].size(), 5u);
    }
    store->read(
        [&](store::Connection& c) { EXPECT_EQ(ScreeningService::owner_of(c, id), u.org.id); });
    auto r = svc.refer(a, id, "shelter");
    EXPECT_EQ(r["status"], "made");
    EXPECT_THROW(svc.refer(a, id, "spa"), Error);
    EXPECT_EQ(svc.get_screening(a, id)["referrals"].size() > 0, true);
    EXPECT_THROW(svc.get_screening(a, id + 1000), Error);
    EXPECT_EQ(svc.list_screenings(a, 10).size(), 1u);
    // Another organisation's user lists none of it; the operator sees every organisation.
    EXPECT_EQ(svc.list_screenings(auth::Actor::user(other, auth::Scope::organisation), 10).size(),
              0u);
    auto cov = svc.coverage(op, "", "");
    EXPECT_EQ(cov.country, "NL");
    EXPECT_EQ(cov.totals.screened, 1);
    auto last = log.latest(1).front().event;
    EXPECT_EQ(last.action, "screenings.coverage");  // the API's action, from the CLI too
    EXPECT_EQ(last.object_id, "all");
    svc.coverage(a, "", "");
    EXPECT_EQ(log.latest(1).front().event.object_id, std::to_string(u.org.id));
    EXPECT_THROW(svc.coverage(op, "2026-13", ""), Error);
    // A screening needs a user of an organisation.
    EXPECT_THROW(svc.create_screening(op, parse_new_screening(body, "2026-12-01")), Error);
    EXPECT_TRUE(log.verify().ok);
  }
}

}  // namespace
}  // namespace ctip::screen
