// Issue #8 items 5 and "Done when": the first-contact screener can make every dimension
// positive in every profile on its own questions, the seven cases of the issue give refer_now
// through the screener, and an all-"no" screener gives no_further_action.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "screen/screening.h"

namespace ctip::screen {
namespace {

const Catalogue& cat() { return Catalogue::builtin(); }

// Every screener question answered "no", except those in `yes`.
Json screener_answers(const std::set<std::string>& yes) {
  Json answers = Json::object();
  for (const auto& q : cat().screener.questions) answers[q.id] = yes.count(q.id) ? "yes" : "no";
  return answers;
}

Result screen(int age, const std::set<std::string>& yes, const char* profile = nullptr) {
  Json body = {{"age", age}, {"may_be_minor", false}, {"answers", screener_answers(yes)}};
  if (profile) body["profile"] = profile;
  return evaluate(parse_screener_input(body));
}

TEST(ScreenerCoverage, AtMostTwentyQuestions) {
  EXPECT_LE(cat().screener.questions.size(), 20u);
  EXPECT_EQ(kMaxScreenerQuestions, 20u);
}

// For each profile and dimension: "yes" to the screener's questions that mark an indicator of
// that dimension (and "no" to every other) makes the dimension positive.
TEST(ScreenerCoverage, EveryProfileCanReachEveryDimension) {
  int checked = 0;
  for (const auto& in : cat().instruments) {
    const int age = in.population == Population::child ? 15 : 30;
    for (auto dim : kDimensions) {
      SCOPED_TRACE(in.profile + " " + std::string(dim));
      std::set<std::string> yes;
      for (const auto& q : cat().screener.questions) {
        auto it = q.marks.find(in.profile);
        if (it == q.marks.end()) continue;
        for (const auto& id : it->second)
          if (in.find(id)->dimension == dim) yes.insert(q.id);
      }
      ASSERT_FALSE(yes.empty()) << "no screener question marks this dimension";
      auto r = screen(age, yes, in.profile.c_str());
      bool positive = false;
      for (const auto& d : r.dimensions)
        if (d.id == dim) positive = d.positive;
      EXPECT_TRUE(positive) << yes.size() << " question(s) answered yes";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 30);
}

TEST(ScreenerCoverage, AnAllNoScreenerNeedsNoFurtherAction) {
  for (int age : {30, 15}) {
    SCOPED_TRACE(age);
    auto r = screen(age, {});
    EXPECT_EQ(r.action, Action::no_further_action);
    EXPECT_EQ(r.outcome, Outcome::no_indication);
    auto j = to_json(r);
    // No contradiction: the next step does not ask for the full interview.
    EXPECT_EQ(j["next_step"]["action"], "complete");
    EXPECT_EQ(j["action"], "no_further_action");
  }
}

TEST(ScreenerCoverage, ADontKnowOrAYesLeadsToTheFullInterview) {
  Json body = {{"age", 30}, {"may_be_minor", false}, {"answers", screener_answers({})}};
  body["answers"]["s_debt"] = "dont_know";
  auto r = evaluate(parse_screener_input(body));
  EXPECT_EQ(r.action, Action::complete_interview);
  EXPECT_EQ(to_json(r)["next_step"]["action"], "full_interview");
  auto y = screen(30, {"s_job_different"});
  EXPECT_EQ(y.action, Action::complete_interview);
}

// ---- the seven cases of the first paragraph, through the short screener

struct Case {
  const char* what;
  int age;
  std::set<std::string> yes;
  const char* profile;  // routed
};

TEST(SevenCases, EachGivesReferNowThroughTheScreener) {
  const std::vector<Case> cases = {
      {"domestic worker: passport held, locked in, over 12 hours every day",
       38,
       {"s_documents_kept", "s_not_free_to_leave", "s_long_hours"},
       "adult_labour"},
      {"migrant held in a safe house until a debt is paid",
       27,
       {"s_not_free_to_leave", "s_debt"},
       "adult_labour"},
      {"adult forced into prostitution with violence",
       24,
       {"s_sexual", "s_forced_tasks", "s_hurt"},
       "adult_sexual"},
      {"adult in a scam compound: fraud, confined, papers taken, earnings taken, long hours",
       29,
       {"s_illegal_activities", "s_job_different", "s_documents_kept", "s_not_free_to_leave",
        "s_little_or_no_pay", "s_long_hours"},
       "adult_criminality"},
      {"11-year-old forced to beg and beaten",
       11,
       {"s_illegal_activities", "s_hurt"},
       "child_labour"},
      {"17-year-old on a cannabis farm", 17, {"s_illegal_activities"}, "child_labour"},
      {"16-year-old selling sex", 16, {"s_sexual"}, "child_sexual"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto r = screen(c.age, c.yes);
    EXPECT_EQ(r.profile, c.profile);
    EXPECT_EQ(r.action, Action::refer_now) << to_string(r.outcome);
    EXPECT_NE(r.outcome, Outcome::no_indication);
    EXPECT_FALSE(r.action_reasons.empty());
    if (c.age < 18) {
      ASSERT_FALSE(r.referrals.empty());
      EXPECT_EQ(r.referrals.front(), "child_protection");
    }
  }
}

TEST(SevenCases, TheBeggingChildIsReferredAfterTheFullInterviewToo) {
  Json answers = Json::object();
  for (const auto& i : cat().find_instrument("child_labour")->indicators) answers[i.id] = "no";
  answers["ex_child_begging"] = "yes";
  answers["cd_violence_on_victim"] = "yes";
  Json body = {
      {"profile", "child_labour"}, {"age", 11}, {"may_be_minor", false}, {"answers", answers}};
  auto r = evaluate(parse_evaluation_input(body));
  EXPECT_EQ(r.action, Action::refer_now);
  EXPECT_EQ(r.outcome, Outcome::possible_trafficking);
}

}  // namespace
}  // namespace ctip::screen
