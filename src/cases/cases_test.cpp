#include <gtest/gtest.h>

#include <filesystem>

#include "auth/accounts.h"
#include "cases/coverage.h"
#include "cases/intake.h"
#include "core/error.h"
#include "store/testing.h"

namespace ctip::cases {
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

TEST(Intake, ScreeningOpensACaseAndRecommendsReferrals) {
  store::testing::TestDatabase db;
  auto store = db.open();
  store->write([](store::Connection& c) {
    auto u =
        auth::create_user(c, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
    Actor a{u.id, u.org.id};
    set_setting(c, "country", "NL");
    auto [person, encounter] =
        record_encounter(c, a, {"P-1", "NL"}, {"domestic_violence_service", "2026-03-04"});
    ScreeningInput s{"en",
                     true,
                     "full",
                     "adult_sexual",
                     24,
                     false,
                     Json::object(),
                     Json{{"outcome", "presumed_trafficking"},
                          {"could_become", "presumed_trafficking"},
                          {"instrument_version", "i1"},
                          {"rule_version", "r1"}}};
    int64_t id = save_screening(c, a, person, encounter, s);
    auto view = screening_view(c, id, u.org.id);
    ASSERT_TRUE(view);
    EXPECT_EQ((*view)["case"]["status"], "presumed");
    EXPECT_EQ((*view)["referrals"].size(), 5u);
    EXPECT_EQ((*view)["screening"]["person"]["reference"], "P-1");
    EXPECT_FALSE(screening_view(c, id, u.org.id + 1));  // another organisation sees nothing
    auto r = make_referral(c, a, id, u.org.id, "shelter");
    EXPECT_EQ(r["status"], "made");
    EXPECT_THROW(make_referral(c, a, id, u.org.id, "spa"), Error);
    auto cov = load_coverage(c, u.org.id, "", "");
    EXPECT_EQ(cov.totals.presumed_own_national, 1);
    EXPECT_EQ(list_screenings(c, u.org.id, 10).size(), 1u);
  });
}

}  // namespace
}  // namespace ctip::cases
