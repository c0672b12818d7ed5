// Issue #8 items 1, 2, 3 and 6: the recommended action beside the ILO outcome (rule
// actions-v1), the outcomes of rule ilo2009-v2 (coercion_only, insufficient_information, a
// child's coercion at destination alone), decisive child indicators, the four "not met" answer
// states and the ranked ask_next. Through the public surface (screening.h) on the shipped data.
#include "screen/action.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "screen/screening.h"

namespace ctip::screen {
namespace {

Result run(const std::string& profile, Json age, bool may_be_minor, Json answers) {
  Json body = {{"profile", profile},
               {"age", std::move(age)},
               {"may_be_minor", may_be_minor},
               {"answers", std::move(answers)}};
  return evaluate(parse_evaluation_input(body));
}

// Every indicator of `profile` answered `rest`, except those in `yes` (answered "yes").
Json all_but(const std::string& profile, const std::vector<std::string>& yes,
             const std::string& rest = "no") {
  Json answers = Json::object();
  for (const auto& i : Catalogue::builtin().find_instrument(profile)->indicators)
    answers[i.id] = std::find(yes.begin(), yes.end(), i.id) != yes.end() ? "yes" : rest;
  return answers;
}

bool has_reason(const Result& r, const std::string& id) {
  return std::any_of(r.action_reasons.begin(), r.action_reasons.end(),
                     [&](const ActionReason& a) { return a.id == id; });
}

TEST(RuleV2, IsCurrentAndV1StaysLoadable) {
  const auto& c = Catalogue::builtin();
  EXPECT_EQ(c.rule().version, "ilo2009-v2");
  EXPECT_NE(c.find_rule("ilo2009-v1"), nullptr);
  EXPECT_EQ(c.actions().version, "actions-v1");
  auto r = run("adult_labour", 30, false, all_but("adult_labour", {}));
  EXPECT_EQ(r.rule_version, "ilo2009-v2");
  EXPECT_EQ(r.action_rule_version, "actions-v1");
}

TEST(RuleV2, AdultCoercionAtDestinationAloneIsCoercionOnlyAndRefers) {
  // Passport held and locked in, nothing else: no_indication under v1, coercion_only now.
  auto answers = all_but("adult_labour",
                         {"cd_confiscation_of_documents", "cd_isolation_confinement_surveillance"});
  auto r = run("adult_labour", 40, false, answers);
  EXPECT_EQ(r.outcome, Outcome::coercion_only);
  EXPECT_EQ(r.clause, "adult_d_only");
  EXPECT_EQ(r.action, Action::refer_now);
  EXPECT_TRUE(has_reason(r, "coercion_only"));
  EXPECT_TRUE(has_reason(r, "cd_confiscation_of_documents"));
  Json v1 = {{"profile", "adult_labour"},
             {"age", 40},
             {"may_be_minor", false},
             {"answers", answers},
             {"rule_version", "ilo2009-v1"}};
  EXPECT_EQ(evaluate(parse_evaluation_input(v1)).outcome, Outcome::no_indication);
}

TEST(RuleV2, AbuseOfVulnerabilityAtDestinationAloneIsCoercionOnly) {
  auto r = run("adult_labour", 40, false,
               all_but("adult_labour", {"vd_dependency_on_exploiters", "vd_unknown_area",
                                        "vd_relationship_with_authorities"}));
  EXPECT_EQ(r.outcome, Outcome::coercion_only);
  EXPECT_EQ(r.action, Action::refer_now);  // the outcome refers, without a strong indicator
}

TEST(RuleV2, ChildCoercionAtDestinationAloneIsPossibleTrafficking) {
  auto r = run("child_labour", 15, false,
               all_but("child_labour", {"cd_violence_on_victim", "cd_debt_bondage"}));
  EXPECT_EQ(r.outcome, Outcome::possible_trafficking);
  EXPECT_EQ(r.clause, "child_e_or_d");
  EXPECT_EQ(r.action, Action::refer_now);
}

TEST(RuleV2, RecruitmentAloneStaysNoIndicationForAnAdult) {
  auto r = run("adult_labour", 40, false,
               all_but("adult_labour", {"dr_deceived_nature_of_job", "dr_deceived_wages"}));
  EXPECT_EQ(r.outcome, Outcome::no_indication);
  // Met indicators, nothing that refers: continue, never a green result.
  EXPECT_EQ(r.action, Action::complete_interview);
  EXPECT_TRUE(has_reason(r, "dr_deceived_nature_of_job"));
}

TEST(RuleV2, TooFewAnswersWithNothingPositiveIsInsufficientInformation) {
  Json few = {{"ex_excessive_hours", "no"}, {"cd_debt_bondage", "no"}};
  auto r = run("adult_labour", 30, false, few);
  EXPECT_EQ(r.outcome, Outcome::insufficient_information);
  EXPECT_EQ(r.action, Action::complete_interview);
  EXPECT_EQ(r.questions_answered, 2);
  EXPECT_EQ(r.questions, 67);
  // Half answered, all "no": no indication and no further action.
  Json half = Json::object();
  int n = 0;
  for (const auto& i : Catalogue::builtin().find_instrument("adult_labour")->indicators)
    if (n++ < 34) half[i.id] = "no";
  auto h = run("adult_labour", 30, false, half);
  EXPECT_EQ(h.outcome, Outcome::no_indication);
  EXPECT_EQ(h.action, Action::no_further_action);
  EXPECT_TRUE(has_reason(h, "all_no"));
  // Something positive is never "insufficient".
  auto p = run("adult_labour", 30, false,
               {{"cd_confiscation_of_documents", "yes"}, {"cd_debt_bondage", "yes"}});
  EXPECT_EQ(p.outcome, Outcome::coercion_only);
}

TEST(Action, AdultStrongExploitationOrCoercionRefersOnItsOwn) {
  auto r = run("adult_labour", 30, false, all_but("adult_labour", {"ex_excessive_hours"}));
  EXPECT_EQ(r.outcome, Outcome::no_indication);
  EXPECT_EQ(r.action, Action::refer_now);
  ASSERT_EQ(r.action_reasons.size(), 1u);
  EXPECT_EQ(r.action_reasons[0].kind, "indicator");
  EXPECT_EQ(r.action_reasons[0].id, "ex_excessive_hours");
  EXPECT_NE(r.action_reasons[0].text.find("strong indicator of exploitation"), std::string::npos)
      << r.action_reasons[0].text;
  // A medium one does not: continue the interview.
  auto m = run("adult_labour", 30, false, all_but("adult_labour", {"ex_low_or_no_pay"}));
  EXPECT_EQ(m.action, Action::complete_interview);
}

TEST(Action, ChildAnyExploitationOrCoercionIndicatorRefersToChildProtection) {
  auto r = run("child_labour", 14, false, all_but("child_labour", {"ex_low_or_no_pay"}));
  EXPECT_EQ(r.action, Action::refer_now);
  EXPECT_EQ(r.referrals.front(), "child_protection");
  EXPECT_NE(std::find(r.referrals.begin(), r.referrals.end(), "guardian"), r.referrals.end());
  EXPECT_EQ(std::find(r.referrals.begin(), r.referrals.end(), "residence_work_permit"),
            r.referrals.end());
  // Any indicator met for a child brings child protection and a guardian, even when it does
  // not refer now (a vulnerability at destination alone).
  auto v =
      run("child_labour", 14, false, all_but("child_labour", {"vd_unaccompanied_or_separated"}));
  EXPECT_EQ(v.action, Action::complete_interview);
  EXPECT_EQ(v.referrals.front(), "child_protection");
}

TEST(Action, AdultReferralSetAndExploitationOnlySet) {
  auto r = run("adult_labour", 30, false,
               all_but("adult_labour", {"cd_debt_bondage", "cd_violence_on_victim"}));
  EXPECT_NE(std::find(r.referrals.begin(), r.referrals.end(), "residence_work_permit"),
            r.referrals.end());
  EXPECT_EQ(std::find(r.referrals.begin(), r.referrals.end(), "child_protection"),
            r.referrals.end());
  auto e = run("adult_labour", 30, false,
               all_but("adult_labour",
                       {"ex_low_or_no_pay", "ex_wage_manipulation", "ex_bad_living_conditions"}));
  EXPECT_EQ(e.outcome, Outcome::exploitation_only);
  EXPECT_EQ(e.action, Action::complete_interview);
  EXPECT_EQ(e.referrals, (std::vector<std::string>{"labour_inspection", "labour_rights"}));
}

TEST(Decisive, OneDecisiveChildIndicatorMakesExploitationPositive) {
  auto r = run("child_sexual", 16, false, all_but("child_sexual", {"ex_child_in_commercial_sex"}));
  EXPECT_EQ(r.outcome, Outcome::possible_trafficking);
  const auto& e = r.dimensions[3];
  EXPECT_EQ(e.id, "exploitation");
  EXPECT_TRUE(e.positive);
  EXPECT_EQ(e.clause, "decisive");
  EXPECT_NE(e.explanation.find("decisive"), std::string::npos) << e.explanation;
  // Under rule v1 (no decisive clause) the same answers are no indication.
  Json v1 = {{"profile", "child_sexual"},
             {"age", 16},
             {"may_be_minor", false},
             {"answers", all_but("child_sexual", {"ex_child_in_commercial_sex"})},
             {"rule_version", "ilo2009-v1"}};
  EXPECT_EQ(evaluate(parse_evaluation_input(v1)).outcome, Outcome::no_indication);
  // An unanswered decisive indicator makes the dimension could-be-positive.
  auto u = run("child_labour", 12, false, {{"ex_child_begging", "dont_know"}});
  EXPECT_TRUE(u.dimensions[3].could_be_positive);
}

TEST(Answers, FourStatesAreNotMetOnlyThreeCouldBeMet) {
  for (auto a : {"unknown", "dont_know", "declined", "not_applicable"}) {
    SCOPED_TRACE(a);
    auto answers = all_but("adult_labour", {"cd_confiscation_of_documents"});
    answers["cd_debt_bondage"] = a;
    auto r = run("adult_labour", 30, false, answers);
    const auto& d = r.dimensions[4];
    ASSERT_EQ(d.id, "coercion_at_destination");
    EXPECT_FALSE(d.positive);
    EXPECT_EQ(d.could_be_positive, std::string(a) != "not_applicable");
  }
  EXPECT_TRUE(could_be_met(Answer::declined));
  EXPECT_FALSE(could_be_met(Answer::not_applicable));
  EXPECT_EQ(parse_answer("dont_know"), Answer::dont_know);
  EXPECT_EQ(parse_answer("maybe"), std::nullopt);
}

TEST(Answers, DontKnowOrDeclinedMeansContinueNeverNoFurtherAction) {
  auto answers = all_but("adult_labour", {});
  answers["dr_deceived_housing"] = "declined";
  auto r = run("adult_labour", 30, false, answers);
  EXPECT_EQ(r.action, Action::complete_interview);
  EXPECT_TRUE(has_reason(r, "dr_deceived_housing"));
  answers["dr_deceived_housing"] = "not_applicable";
  EXPECT_EQ(run("adult_labour", 30, false, answers).action, Action::no_further_action);
}

TEST(AskNext, SafetyFirstAtMostFiveFirstEachWithAReason) {
  // Exploitation positive; recruitment and destination not asked.
  Json answers = all_but("adult_labour",
                         {"ex_low_or_no_pay", "ex_wage_manipulation", "ex_bad_living_conditions"});
  for (const auto& i : Catalogue::builtin().find_instrument("adult_labour")->indicators)
    if (i.dimension != "exploitation") answers.erase(i.id);
  auto r = run("adult_labour", 30, false, answers);
  ASSERT_GE(r.ask_next.size(), 6u);
  EXPECT_TRUE(r.ask_next[0].safety) << r.ask_next[0].id;
  size_t first = 0;
  bool seen_non_safety = false;
  for (const auto& i : r.ask_next) {
    EXPECT_FALSE(i.reason.empty()) << i.id;
    first += i.first ? 1 : 0;
    if (!i.safety) seen_non_safety = true;
    EXPECT_FALSE(i.safety && seen_non_safety) << "safety question after another: " << i.id;
  }
  EXPECT_EQ(first, 5u);
  EXPECT_TRUE(r.ask_next[0].first);
  EXPECT_FALSE(r.ask_next.back().first);
  auto j = to_json(r);
  EXPECT_EQ(j["ask_next"][0]["safety"], true);
  EXPECT_TRUE(j["ask_next"][0]["reason"].is_string());
}

TEST(AskNext, AQuestionWhoseYesWouldReferIsAskedEvenWhenTheOutcomeCannotRise) {
  // Everything answered "no" but one strong coercion indicator not asked: its "yes" would
  // refer now.
  auto answers = all_but("adult_labour", {});
  answers.erase("cd_debt_bondage");
  auto r = run("adult_labour", 30, false, answers);
  ASSERT_FALSE(r.ask_next.empty());
  EXPECT_EQ(r.ask_next[0].id, "cd_debt_bondage");
  EXPECT_NE(r.ask_next[0].reason.find("referring now"), std::string::npos) << r.ask_next[0].reason;
}

TEST(Json, EveryEvaluationCarriesTheActionAndItsReasons) {
  auto j = to_json(run("adult_labour", 30, false, all_but("adult_labour", {"cd_debt_bondage"})));
  EXPECT_EQ(j["action"], "refer_now");
  ASSERT_TRUE(j["action_reasons"].is_array());
  EXPECT_EQ(j["action_reasons"][0]["id"], "cd_debt_bondage");
  EXPECT_TRUE(j["action_reasons"][0]["text"].is_string());
  EXPECT_EQ(j["action_rule_version"], "actions-v1");
  EXPECT_TRUE(j["referrals"].is_array());
  EXPECT_EQ(j["questions"]["total"], 67);
  auto text = to_text(run("adult_labour", 30, false, all_but("adult_labour", {})));
  EXPECT_EQ(text.rfind("Action:       no_further_action", 0), 0u) << text;
}

}  // namespace
}  // namespace ctip::screen
