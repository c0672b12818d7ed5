// The decision engine, clause by clause, on rule ilo2009-v1 as shipped in data/instruments/rules
// (kept for the screenings it evaluated). Rule ilo2009-v2 and the action: action_test.cpp.
#include "screen/decision_rule.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "screen/catalogue.h"

namespace ctip::screen {
namespace {

const DecisionRule& rule() { return *Catalogue::builtin().find_rule("ilo2009-v1"); }

constexpr auto S = Strength::strong;
constexpr auto M = Strength::medium;
constexpr auto W = Strength::weak;
constexpr auto Y = Answer::yes;
constexpr auto N = Answer::no;
constexpr auto U = Answer::unknown;

std::vector<AnsweredIndicator> dim(std::initializer_list<std::pair<Strength, Answer>> items) {
  std::vector<AnsweredIndicator> out;
  int n = 0;
  for (auto [s, a] : items)
    out.push_back({"ex_i" + std::to_string(n++), "exploitation", s, "indicator", a, false});
  return out;
}

DimensionResult eval(std::initializer_list<std::pair<Strength, Answer>> items) {
  return evaluate_dimension(rule(), "exploitation", dim(items));
}

// ---- dimension rule

TEST(DimensionRule, TwoStrongIsPositive) {
  auto d = eval({{S, Y}, {S, Y}});
  EXPECT_TRUE(d.positive);
  EXPECT_EQ(d.clause, "two_strong");
  EXPECT_NE(d.explanation.find("2 strong met: positive"), std::string::npos) << d.explanation;
}

TEST(DimensionRule, OneStrongAloneIsNotPositive) {
  auto d = eval({{S, Y}, {M, N}, {W, N}});
  EXPECT_FALSE(d.positive);
  EXPECT_FALSE(d.could_be_positive);
  EXPECT_EQ(d.clause, "");
  EXPECT_EQ(d.explanation, "1 strong met: not positive; needs 1 more strong, or 1 medium or weak.");
}

TEST(DimensionRule, OneStrongWithOneMediumOrWeakIsPositive) {
  EXPECT_EQ(eval({{S, Y}, {M, Y}}).clause, "strong_and_other");
  EXPECT_EQ(eval({{S, Y}, {W, Y}}).clause, "strong_and_other");
}

TEST(DimensionRule, ThreeMediumIsPositiveTwoIsNot) {
  EXPECT_EQ(eval({{M, Y}, {M, Y}, {M, Y}}).clause, "three_medium");
  auto two = eval({{M, Y}, {M, Y}, {M, N}});
  EXPECT_FALSE(two.positive);
  EXPECT_EQ(two.explanation,
            "2 medium met: not positive; needs 1 strong, or 1 more medium, or 1 weak.");
}

TEST(DimensionRule, TwoMediumAndOneWeakIsPositive) {
  auto d = eval({{M, Y}, {M, Y}, {W, Y}});
  EXPECT_TRUE(d.positive);
  EXPECT_EQ(d.clause, "two_medium_one_weak");
}

TEST(DimensionRule, OneMediumAndWeaksIsNotPositive) {
  auto d = eval({{M, Y}, {W, Y}, {W, Y}, {W, Y}});
  EXPECT_FALSE(d.positive);
  EXPECT_EQ(d.explanation,
            "1 medium and 3 weak met: not positive; needs 1 strong, or 1 more medium.");
}

TEST(DimensionRule, WeakIndicatorsAloneNeverMakeItPositive) {
  std::vector<AnsweredIndicator> weak;
  for (int i = 0; i < 12; ++i)
    weak.push_back({"ex_w" + std::to_string(i), "exploitation", W, "w", Y, false});
  auto d = evaluate_dimension(rule(), "exploitation", weak);
  EXPECT_FALSE(d.positive);
  EXPECT_NE(d.explanation.find("Weak indicators alone never make a dimension positive"),
            std::string::npos);
  // Unanswered weak indicators cannot make it positive either.
  for (auto& w : weak) w.answer = U;
  EXPECT_FALSE(evaluate_dimension(rule(), "exploitation", weak).could_be_positive);
}

TEST(DimensionRule, NoAnswersCountNothing) {
  auto d = eval({{S, N}, {S, N}, {M, N}});
  EXPECT_FALSE(d.positive);
  EXPECT_FALSE(d.could_be_positive);
  EXPECT_EQ(d.met, (StrengthCounts{0, 0, 0}));
  EXPECT_EQ(d.explanation,
            "No indicator met: not positive; needs 2 strong, or 1 strong and 1 medium or weak, or "
            "3 medium, or 2 medium and 1 weak.");
}

TEST(DimensionRule, UnknownIsNotNoOutcomeVersusCouldBecome) {
  auto d = eval({{S, Y}, {M, U}});
  EXPECT_FALSE(d.positive);
  EXPECT_TRUE(d.could_be_positive);
  EXPECT_EQ(d.could_clause, "strong_and_other");
  EXPECT_EQ(d.unanswered, (StrengthCounts{0, 1, 0}));
  EXPECT_NE(d.explanation.find("1 unanswered: could become positive"), std::string::npos);

  auto not_enough = eval({{M, Y}, {W, U}});
  EXPECT_FALSE(not_enough.could_be_positive);
  EXPECT_NE(not_enough.explanation.find("not enough to make it positive"), std::string::npos);
}

// ---- combination rules

// Every dimension gets two strong indicators; `positive` dimensions answered yes, the others as
// given by `rest`.
EngineInput input(Age age, std::vector<std::string> positive, Answer rest = N,
                  Population pop = Population::adult) {
  EngineInput in;
  in.profile = pop == Population::adult ? "adult_test" : "child_test";
  in.instrument_version = in.profile + "@0";
  in.population = pop;
  in.age = age;
  for (auto d : kDimensions) {
    in.dimensions.emplace_back(d);
    bool pos = std::find(positive.begin(), positive.end(), d) != positive.end();
    for (int k = 0; k < 2; ++k)
      in.indicators.push_back({std::string(d) + "_s" + std::to_string(k), std::string(d), S, "",
                               pos ? Y : rest, false});
    in.indicators.push_back({std::string(d) + "_m", std::string(d), M, "", pos ? N : rest, false});
    in.indicators.push_back({std::string(d) + "_w", std::string(d), W, "", pos ? N : rest, false});
  }
  return in;
}

const Age kAdult{34, false};
const Age kChild{15, false};

Outcome adult(std::vector<std::string> positive) {
  return decide(rule(), input(kAdult, std::move(positive))).outcome;
}
Outcome child(std::vector<std::string> positive) {
  return decide(rule(), input(kChild, std::move(positive), N, Population::child)).outcome;
}

TEST(AdultCombination, REAndDArePresumedTrafficking) {
  auto r = decide(
      rule(), input(kAdult, {"deceptive_recruitment", "exploitation", "coercion_at_destination"}));
  EXPECT_EQ(r.outcome, Outcome::presumed_trafficking);
  EXPECT_EQ(r.clause, "adult_r_e_d");
  EXPECT_EQ(r.could_become, Outcome::presumed_trafficking);
  EXPECT_TRUE(r.ask_next.empty());
  // Any recruitment dimension counts as R, either destination dimension as D.
  EXPECT_EQ(adult({"recruitment_abuse_of_vulnerability", "exploitation",
                   "abuse_of_vulnerability_at_destination"}),
            Outcome::presumed_trafficking);
}

TEST(AdultCombination, AnyTwoOfREDArePossibleTrafficking) {
  EXPECT_EQ(adult({"coercive_recruitment", "exploitation"}), Outcome::possible_trafficking);
  EXPECT_EQ(adult({"exploitation", "coercion_at_destination"}), Outcome::possible_trafficking);
  auto rd = decide(rule(), input(kAdult, {"deceptive_recruitment", "coercion_at_destination"}));
  EXPECT_EQ(rd.outcome, Outcome::possible_trafficking);
  EXPECT_EQ(rd.clause, "adult_two_of_r_e_d");
}

TEST(AdultCombination, ExploitationAloneIsExploitationOnly) {
  auto r = decide(rule(), input(kAdult, {"exploitation"}));
  EXPECT_EQ(r.outcome, Outcome::exploitation_only);
  EXPECT_EQ(r.clause, "adult_e_only");
}

TEST(AdultCombination, OneNonExploitationGroupOrNothingIsNoIndication) {
  EXPECT_EQ(adult({"deceptive_recruitment"}), Outcome::no_indication);
  EXPECT_EQ(adult({"coercion_at_destination"}), Outcome::no_indication);
  // Two dimensions of the same group are still one group.
  EXPECT_EQ(adult({"deceptive_recruitment", "coercive_recruitment"}), Outcome::no_indication);
  auto r = decide(rule(), input(kAdult, {}));
  EXPECT_EQ(r.outcome, Outcome::no_indication);
  EXPECT_EQ(r.clause, "adult_none");
}

TEST(ChildCombination, ExploitationWithRecruitmentOrDestinationIsPresumed) {
  EXPECT_EQ(child({"exploitation", "deceptive_recruitment"}), Outcome::presumed_trafficking);
  EXPECT_EQ(child({"exploitation", "abuse_of_vulnerability_at_destination"}),
            Outcome::presumed_trafficking);
  auto r = decide(rule(),
                  input(kChild, {"exploitation", "coercion_at_destination"}, N, Population::child));
  EXPECT_EQ(r.clause, "child_e_and_r_or_d");
}

TEST(ChildCombination, ExploitationAloneOrRecruitmentWithDestinationIsPossible) {
  auto e = decide(rule(), input(kChild, {"exploitation"}, N, Population::child));
  EXPECT_EQ(e.outcome, Outcome::possible_trafficking);
  EXPECT_EQ(e.clause, "child_e_or_r_and_d");
  EXPECT_EQ(child({"coercive_recruitment", "coercion_at_destination"}),
            Outcome::possible_trafficking);
}

TEST(ChildCombination, RecruitmentOrDestinationAloneIsNoIndication) {
  EXPECT_EQ(child({"deceptive_recruitment"}), Outcome::no_indication);
  EXPECT_EQ(child({"coercion_at_destination"}), Outcome::no_indication);
  EXPECT_EQ(child({}), Outcome::no_indication);
  // There is no exploitation_only for children: exploitation of a child is possible trafficking.
}

// ---- age

TEST(Age, UnderEighteenUsesTheChildRule) {
  auto r = choose_combination(rule(), {17, false}, Population::child, "child_labour");
  EXPECT_EQ(r.combination, Combination::child);
  EXPECT_EQ(r.age_clause, "stated_minor");
  EXPECT_EQ(choose_combination(rule(), {18, false}, Population::adult, "adult_labour").combination,
            Combination::adult);
}

TEST(Age, UnknownAndMayBeMinorIsPresumedAChild) {
  auto r = choose_combination(rule(), {std::nullopt, true}, Population::adult, "adult_labour");
  EXPECT_EQ(r.combination, Combination::child);
  EXPECT_EQ(r.rule_set, "ilo2009-v1");
  EXPECT_EQ(r.age_clause, "presumed_minor");
  EXPECT_NE(r.reason.find("age unknown and may be a minor: presumption of minority "
                          "(Directive 2011/36/EU art. 13(2))"),
            std::string::npos)
      << r.reason;
  // The adult profile's indicators stay; the reason says so.
  EXPECT_NE(r.reason.find("adult profile 'adult_labour'"), std::string::npos);
  EXPECT_EQ(choose_combination(rule(), {std::nullopt, false}, Population::adult, "adult_labour")
                .combination,
            Combination::adult);
}

TEST(Age, StatedAdultAgeThatMayBeWrongIsPresumedAChild) {
  auto r = choose_combination(rule(), {19, true}, Population::child, "child_sexual");
  EXPECT_EQ(r.combination, Combination::child);
  EXPECT_EQ(r.age_clause, "presumed_minor");
}

TEST(Age, ChildProfileForAnAdultIsAnErrorNamingAge) {
  try {
    (void)choose_combination(rule(), {19, false}, Population::child, "child_labour");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "age");
  }
  EXPECT_THROW((void)decide(rule(), input({30, false}, {}, N, Population::child)), Error);
}

TEST(Age, AdultProfileForAChildAppliesTheChildCombination) {
  // Exploitation alone: exploitation_only for an adult, possible trafficking for a child.
  auto r = decide(rule(), input({16, false}, {"exploitation"}));
  EXPECT_EQ(r.rules_applied.combination, Combination::child);
  EXPECT_EQ(r.outcome, Outcome::possible_trafficking);
}

// ---- unanswered indicators: outcome, could_become, ask_next

TEST(Unanswered, OutcomeCountsThemNotMetCouldBecomeCountsThemMet) {
  auto in = input(kAdult, {"exploitation", "coercion_at_destination"}, U);
  auto r = decide(rule(), in);
  EXPECT_EQ(r.outcome, Outcome::possible_trafficking);
  EXPECT_EQ(r.could_become, Outcome::presumed_trafficking);
  EXPECT_EQ(r.could_clause, "adult_r_e_d");
  // Only recruitment can change the outcome: ask about its dimensions, strong first.
  ASSERT_FALSE(r.ask_next.empty());
  for (const auto& i : r.ask_next) {
    EXPECT_TRUE(i.dimension == "deceptive_recruitment" || i.dimension == "coercive_recruitment" ||
                i.dimension == "recruitment_abuse_of_vulnerability")
        << i.id;
  }
  EXPECT_EQ(r.ask_next.size(), 12u);  // 3 dimensions x (2 strong, 1 medium, 1 weak)
  EXPECT_TRUE(std::is_sorted(r.ask_next.begin(), r.ask_next.end(),
                             [](const auto& a, const auto& b) { return a.strength < b.strength; }));
  EXPECT_EQ(r.ask_next.front().strength, Strength::strong);
  EXPECT_EQ(r.ask_next.back().strength, Strength::weak);
  EXPECT_EQ(r.unexplored_dimensions.size(), 4u);  // the positive two had answers
}

TEST(Unanswered, NothingToAskWhenNothingCanChangeTheOutcome) {
  // R and D positive, E answered "no" throughout: other unknowns cannot change the outcome.
  auto in = input(kAdult, {"deceptive_recruitment", "coercion_at_destination"}, U);
  for (auto& i : in.indicators)
    if (i.dimension == "exploitation") i.answer = N;
  auto r = decide(rule(), in);
  EXPECT_EQ(r.outcome, Outcome::possible_trafficking);
  EXPECT_EQ(r.could_become, Outcome::possible_trafficking);
  EXPECT_TRUE(r.ask_next.empty());
}

TEST(Unanswered, DoesNotAskAboutAGroupThatIsAlreadyPositive) {
  // R positive by deceptive recruitment; coercive recruitment unknown must not be asked.
  auto in = input(kAdult, {"deceptive_recruitment"}, N);
  for (auto& i : in.indicators)
    if (i.dimension == "coercive_recruitment" || i.dimension == "exploitation") i.answer = U;
  auto r = decide(rule(), in);
  EXPECT_EQ(r.outcome, Outcome::no_indication);
  EXPECT_EQ(r.could_become, Outcome::possible_trafficking);
  for (const auto& i : r.ask_next) EXPECT_EQ(i.dimension, "exploitation") << i.id;
  EXPECT_EQ(r.ask_next.size(), 4u);
}

TEST(Unanswered, EverythingUnknownIsNoIndicationThatCouldBecomePresumed) {
  auto r = decide(rule(), input(kChild, {}, U, Population::child));
  EXPECT_EQ(r.outcome, Outcome::no_indication);
  EXPECT_EQ(r.could_become, Outcome::presumed_trafficking);
  EXPECT_EQ(r.unexplored_dimensions.size(), 6u);
  EXPECT_EQ(r.ask_next.size(), 24u);
}

TEST(Explanation, SummaryNamesTheClauseAndTheGroups) {
  auto r = decide(rule(), input(kAdult, {"exploitation", "coercion_at_destination"}, U));
  EXPECT_NE(
      r.summary.find("Possible trafficking (ilo2009-v1, adult combination; age 34: adult rules)."),
      std::string::npos)
      << r.summary;
  EXPECT_NE(r.summary.find("Clause adult_two_of_r_e_d: adult: two of R, E and D positive"),
            std::string::npos)
      << r.summary;
  EXPECT_NE(r.summary.find("Could become presumed trafficking"), std::string::npos);
  EXPECT_NE(r.summary.find("not a legal identification"), std::string::npos);
}

}  // namespace
}  // namespace ctip::screen
