// A case for every screening that refers now (issue #8 item 1, schema 0011): coercion only, a
// strong indicator, a child with any indicator met open a case with status "indicators";
// possible and presumed trafficking keep theirs; a correction opens or updates the case and
// attaches the referrals; coverage counts the six outcomes and the three actions, also for
// screenings recorded before the action was stored. On SQLite and PostgreSQL
// (ctip_add_store_test).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "auth/testing.h"
#include "core/error.h"
#include "screen/coverage.h"
#include "screen/intake.h"
#include "screen/interview.h"
#include "screen/screening_service.h"
#include "store/testing.h"

namespace ctip::screen {
namespace {

struct Fixture {
  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store = db.open();
  audit::DirectoryTrustStore trust{db.dir()};
  audit::AuditLog log{*store, trust};
  auth::Actor op = auth::Actor::operator_named("cli");
  auth::User user = auth::testing::create_user(
      *store, log, op, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
  auth::Actor actor = auth::Actor::user(user, auth::Scope::organisation);
  ScreeningService svc{*store, log};
  int serial = 0;

  Json screen(const std::string& profile, int age, Json answers) {
    Json body = {{"person", {{"reference", "CASE-" + std::to_string(++serial)}}},
                 {"encounter", {{"source", "labour_inspection"}, {"date", "2026-03-04"}}},
                 {"language", "en"},
                 {"profile", profile},
                 {"age", age},
                 {"answers", answers}};
    return svc.create_screening(actor, parse_screening_request(body, "2026-12-01"));
  }
  // The case ids the screening's referrals are attached to (null: none).
  std::vector<Json> referral_cases(int64_t screening_id) {
    std::vector<Json> out;
    store->read([&](store::Connection& c) {
      for (const auto& r :
           c.query("SELECT case_id FROM referrals WHERE screening_id = ?", {screening_id}))
        out.push_back(r.is_null(0) ? Json() : Json(r.integer(0)));
    });
    return out;
  }
};

TEST(CaseStatus, SaysWhyTheScreeningOpensACase) {
  EXPECT_EQ(case_status({{"outcome", "presumed_trafficking"}, {"action", "refer_now"}}),
            "presumed");
  EXPECT_EQ(case_status({{"outcome", "possible_trafficking"}, {"action", "refer_now"}}),
            "possible");
  EXPECT_EQ(case_status({{"outcome", "coercion_only"}, {"action", "refer_now"}}), "indicators");
  EXPECT_EQ(case_status({{"outcome", "no_indication"}, {"action", "refer_now"}}), "indicators");
  EXPECT_EQ(case_status({{"outcome", "exploitation_only"}, {"action", "complete_interview"}}),
            std::nullopt);
  EXPECT_EQ(case_status({{"outcome", "no_indication"}, {"action", "no_further_action"}}),
            std::nullopt);
  EXPECT_EQ(case_status(Json()), std::nullopt);
}

TEST(Cases, EveryReferNowOpensACaseThatSaysWhy) {
  Fixture f;
  struct Situation {
    const char* what;
    const char* profile;
    int age;
    Json answers;
    const char* outcome;  // nullptr: any outcome but possible or presumed
  };
  const Situation refer_now[] = {
      {"debt bondage and violence at destination: coercion only", "adult_labour", 30,
       Json{{"cd_debt_bondage", "yes"}, {"cd_violence_on_victim", "yes"}}, "coercion_only"},
      {"one strong exploitation indicator (over 12 hours every day)", "adult_labour", 41,
       Json{{"ex_excessive_hours", "yes"}}, nullptr},
      {"a child paid little or nothing (one medium indicator)", "child_labour", 14,
       Json{{"ex_low_or_no_pay", "yes"}}, nullptr},
  };
  for (const auto& s : refer_now) {
    auto view = f.screen(s.profile, s.age, s.answers);
    SCOPED_TRACE(s.what);
    const Json& result = view["result"];
    EXPECT_EQ(result["action"], "refer_now");
    if (s.outcome) {
      EXPECT_EQ(result["outcome"], s.outcome);
    }
    EXPECT_NE(result["outcome"], "possible_trafficking");
    EXPECT_NE(result["outcome"], "presumed_trafficking");
    ASSERT_TRUE(view["case"].is_object()) << view["case"];
    EXPECT_EQ(view["case"]["status"], "indicators");
    // The referrals recommended belong to the case.
    auto cases = f.referral_cases(view["screening"]["id"]);
    ASSERT_FALSE(cases.empty());
    for (const auto& k : cases) EXPECT_EQ(k, view["case"]["id"]);
  }

  // Possible trafficking keeps its status; an action that is not refer_now opens no case.
  auto possible = f.screen("adult_labour", 30,
                           Json{{"cd_debt_bondage", "yes"},
                                {"cd_violence_on_victim", "yes"},
                                {"ex_excessive_hours", "yes"},
                                {"ex_low_or_no_pay", "yes"}});
  EXPECT_EQ(possible["result"]["outcome"], "possible_trafficking");
  EXPECT_EQ(possible["case"]["status"], "possible");
  auto cont = f.screen("adult_sexual", 30, Json{{"ex_excessive_hours", "yes"}});
  EXPECT_EQ(cont["result"]["action"], "complete_interview");
  EXPECT_TRUE(cont["case"].is_null());
  int64_t cases = 0;
  f.store->read(
      [&](store::Connection& c) { cases = c.query_row("SELECT count(*) FROM cases").integer(0); });
  EXPECT_EQ(cases, 4);
  EXPECT_TRUE(f.log.verify().ok);
}

TEST(Cases, ACorrectionOpensTheCaseAttachesItsReferralsAndUpdatesWhy) {
  Fixture f;
  auto view = f.screen("adult_sexual", 30, Json{{"ex_excessive_hours", "yes"}});
  int64_t id = view["screening"]["id"];
  ASSERT_EQ(view["result"]["action"], "complete_interview");
  ASSERT_TRUE(view["case"].is_null());
  // A referral made before any case: it joins the case the correction opens.
  f.svc.refer(f.actor, id, "medical_care");
  EXPECT_EQ(f.referral_cases(id), std::vector<Json>{Json()});

  auto corrected =
      f.svc.correct(f.actor, id,
                    parse_correction(Json{{"answers", {{"cd_debt_bondage", "yes"}}},
                                          {"reason", "said later that a debt must be paid off"}}));
  EXPECT_EQ(corrected["result"]["action"], "refer_now");
  ASSERT_TRUE(corrected["case"].is_object());
  EXPECT_EQ(corrected["case"]["status"], "indicators");
  int64_t case_id = corrected["case"]["id"];
  auto cases = f.referral_cases(id);
  EXPECT_GT(cases.size(), 1u);
  for (const auto& k : cases) EXPECT_EQ(k, case_id);

  auto again = f.svc.correct(f.actor, id,
                             parse_correction(Json{{"answers",
                                                    {{"cd_violence_on_victim", "yes"},
                                                     {"ex_low_or_no_pay", "yes"},
                                                     {"ex_bad_living_conditions", "yes"}}},
                                                   {"reason", "the second interview"}}));
  EXPECT_EQ(again["result"]["outcome"], "possible_trafficking");
  EXPECT_EQ(again["case"]["id"], case_id);  // the same case, its reason updated
  EXPECT_EQ(again["case"]["status"], "possible");

  // The history says each answer from -> to.
  ASSERT_EQ(again["corrections"].size(), 2u);
  const Json& first = again["corrections"][0]["changes"];
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0], (Json{{"id", "cd_debt_bondage"}, {"from", "unknown"}, {"to", "yes"}}));
  const Json& second = again["corrections"][1]["changes"];
  EXPECT_EQ(second.size(), 3u);
  for (const auto& ch : second) {
    EXPECT_EQ(ch["from"], "unknown");
    EXPECT_EQ(ch["to"], "yes");
  }

  // A correction that no longer refers now leaves the case open (nothing is taken away).
  auto lowered = f.svc.correct(f.actor, id,
                               parse_correction(Json{{"answers",
                                                      {{"cd_debt_bondage", "no"},
                                                       {"cd_violence_on_victim", "no"},
                                                       {"ex_low_or_no_pay", "no"},
                                                       {"ex_bad_living_conditions", "no"}}},
                                                     {"reason", "recorded on the wrong person"}}));
  EXPECT_NE(lowered["result"]["action"], "refer_now");
  EXPECT_EQ(lowered["case"]["id"], case_id);
  EXPECT_EQ(lowered["corrections"][2]["changes"][0]["from"], "yes");
  EXPECT_EQ(lowered["corrections"][2]["changes"][0]["to"], "no");
  EXPECT_TRUE(f.log.verify().ok);
}

TEST(Coverage, CountsTheSixOutcomesAndTheThreeActions) {
  std::vector<EncounterRow> rows = {
      {"2026-01", "border", 1, "NG", "presumed_trafficking", "refer_now"},
      {"2026-01", "border", 2, "NG", "coercion_only", "refer_now"},
      {"2026-01", "border", 3, "NG", "insufficient_information", "complete_interview"},
      {"2026-01", "border", 4, "NG", "no_indication", "no_further_action"},
      // The same person again: the most severe outcome and the most urgent action count.
      {"2026-01", "border", 4, "NG", "insufficient_information", "complete_interview"},
      {"2026-01", "border", 5, "NG", "exploitation_only", "complete_interview"},
      {"2026-01", "border", 6, "NG", "possible_trafficking", std::nullopt},  // action unknown
      {"2026-01", "border", 7, "NG", std::nullopt, std::nullopt},            // not screened
  };
  auto cov = compute_coverage(rows, "NL");
  ASSERT_EQ(cov.cells.size(), 1u);
  const auto& c = cov.cells[0];
  EXPECT_EQ(c.encountered, 7);
  EXPECT_EQ(c.screened, 6);
  EXPECT_EQ(c.presumed_trafficking, 1);
  EXPECT_EQ(c.possible_trafficking, 1);
  EXPECT_EQ(c.coercion_only, 1);
  EXPECT_EQ(c.exploitation_only, 1);
  EXPECT_EQ(c.no_indication, 1);
  EXPECT_EQ(c.insufficient_information, 1);
  EXPECT_EQ(c.refer_now, 2);
  EXPECT_EQ(c.complete_interview, 3);  // persons 3, 4 and 5
  EXPECT_EQ(c.no_further_action, 0);   // person 4: complete_interview is more urgent
  auto j = to_json(cov);
  EXPECT_EQ(j["months"][0]["outcomes"].size(), 6u);
  EXPECT_EQ(j["months"][0]["outcomes"]["coercion_only"], 1);
  EXPECT_EQ(j["months"][0]["outcomes"]["insufficient_information"], 1);
  EXPECT_EQ(j["months"][0]["actions"],
            (Json{{"refer_now", 2}, {"complete_interview", 3}, {"no_further_action", 0}}));
  EXPECT_EQ(j["totals"]["actions"]["complete_interview"], 3);
  // Suppressed cells take their outcomes and actions with them.
  suppress_small_cells(cov, 8);
  EXPECT_TRUE(cov.cells.empty());
  EXPECT_TRUE(cov.totals_suppressed);
  EXPECT_EQ(to_json(cov)["totals"]["actions"]["refer_now"], 0);
}

TEST(Coverage, TheStoreCountsActionsAlsoOfScreeningsRecordedBeforeTheyWereStored) {
  Fixture f;
  f.screen("adult_labour", 30, Json{{"cd_debt_bondage", "yes"}, {"cd_violence_on_victim", "yes"}});
  f.screen("adult_sexual", 30, Json{{"ex_excessive_hours", "yes"}});
  auto before = to_json(f.svc.coverage(f.op, "", ""))["totals"];
  EXPECT_EQ(before["outcomes"]["coercion_only"], 1);
  EXPECT_EQ(before["actions"]["refer_now"], 1);
  EXPECT_EQ(before["actions"]["complete_interview"], 1);
  // A screening recorded before schema 0011 has no stored action: the engine gives it again.
  f.store->write([](store::Connection& c) { c.execute("UPDATE screenings SET action = NULL"); });
  auto after = to_json(f.svc.coverage(f.op, "", ""))["totals"];
  EXPECT_EQ(after, before);
}

}  // namespace
}  // namespace ctip::screen
