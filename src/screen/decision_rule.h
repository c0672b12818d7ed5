// The screening decision engine: pure functions from answered indicators to an outcome, with
// the reasons. No I/O, no JSON: the rule and the answers come in as plain structs (loaded by
// catalogue.cpp from data/instruments/rules/*.json), the Result goes out as a plain struct.
//
// The rule (ILO & European Commission, "Operational indicators of trafficking in human
// beings", 2009, as versioned in data/instruments/rules/ilo2009-v1.json):
//   - a dimension is positive when its met indicators satisfy one of the rule's clauses
//     (2 strong; 1 strong + 1 medium or weak; 3 medium; 2 medium + 1 weak);
//   - dimensions are grouped (R recruitment, E exploitation, D coercion or abuse of
//     vulnerability at destination) and an ordered list of combination clauses, one list for
//     adults and one for children, turns the positive groups into an outcome.
// Unanswered indicators are not "no": the engine evaluates twice, counting them as not met
// (`outcome`) and as could-be-met (`could_become`), and lists what to ask next when the two
// differ. Four answers are "not met": unknown (not asked yet), dont_know, declined and
// not_applicable; the first three could still be met, not_applicable cannot (issue #8 item 6).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::screen {

enum class Strength { strong, medium, weak };
// unknown: not asked yet; dont_know: asked, the person does not know; declined: asked, the
// person chose not to answer; not_applicable: the question does not apply to the situation.
enum class Answer { yes, no, unknown, dont_know, declined, not_applicable };
inline constexpr std::array<Answer, 6> kAnswers = {Answer::yes,      Answer::no,
                                                   Answer::unknown,  Answer::dont_know,
                                                   Answer::declined, Answer::not_applicable};
// Could a "yes" still come? True for unknown, dont_know and declined.
bool could_be_met(Answer a);
// Was the question put and answered with a fact (yes, no or not_applicable)?
bool answered(Answer a);
// Ordered from least to most serious; the order is the rank used to compare outcomes.
// insufficient_information: too few questions answered and nothing positive (rule v2);
// coercion_only: adults, coercion or abuse of vulnerability at destination alone (rule v2).
enum class Outcome {
  insufficient_information,
  no_indication,
  exploitation_only,
  coercion_only,
  possible_trafficking,
  presumed_trafficking
};
inline constexpr std::array<Outcome, 6> kOutcomes = {
    Outcome::insufficient_information, Outcome::no_indication,
    Outcome::exploitation_only,        Outcome::coercion_only,
    Outcome::possible_trafficking,     Outcome::presumed_trafficking};
// What to do now (issue #8 item 1), beside the ILO outcome; ordered by urgency.
enum class Action { no_further_action, complete_interview, refer_now };
enum class Combination { adult, child };
enum class Population { adult, child };  // whom an instrument's strengths were set for

inline constexpr std::array<Strength, 3> kStrengths = {Strength::strong, Strength::medium,
                                                       Strength::weak};

std::string_view to_string(Strength s);
std::string_view to_string(Answer a);
std::string_view to_string(Outcome o);
std::string_view to_string(Combination c);
std::string_view to_string(Population p);
std::string_view to_string(Action a);
std::optional<Strength> parse_strength(std::string_view s);
std::optional<Answer> parse_answer(std::string_view s);
std::optional<Outcome> parse_outcome(std::string_view s);
std::optional<Population> parse_population(std::string_view s);

// ---- The rule, as data

// At least `at_least` met indicators whose strength is one of `of`.
struct StrengthTerm {
  std::vector<Strength> of;
  int at_least = 1;
};

// A clause of the dimension rule: every term must hold. Terms of one clause cover disjoint
// strengths (checked at load), so counts are never shared between terms.
struct DimensionClause {
  std::string id;  // e.g. "two_strong"
  std::vector<StrengthTerm> terms;
  std::string text;  // e.g. "2 strong"
};

struct Group {
  std::string id;  // "R", "E", "D"
  std::string title;
  std::vector<std::string> dimensions;
};

// A condition over positive groups: a group id, all/any of, at least N of, or always.
struct Condition {
  enum class Kind { group, all, any, at_least, always };
  Kind kind = Kind::always;
  std::string group;  // Kind::group
  int count = 0;      // Kind::at_least
  std::vector<Condition> terms;
};

struct CombinationClause {
  std::string id;  // e.g. "adult_r_e_d"
  Condition when;
  Outcome outcome = Outcome::no_indication;
  std::string text;  // e.g. "adult: R, E and D all positive → presumed trafficking"
};

struct AgeRule {
  int minor_below = 18;
  int max_age = 120;
  std::string child_basis;        // why the child rule differs (Palermo art. 3(c)-(d))
  std::string presumption_basis;  // Directive 2011/36/EU art. 13(2)
};

struct DecisionRule {
  std::string version;  // e.g. "ilo2009-v1"
  std::vector<DimensionClause> dimension_clauses;
  // When set (rule v2), one met indicator marked "decisive" in a child instrument makes its
  // dimension positive on its own, under the child combination (ILO C182 art. 3).
  std::optional<DimensionClause> decisive_clause;
  std::vector<Group> groups;
  std::array<std::string, 6> outcome_texts;  // indexed by Outcome; "" when the rule has none
  // When > 0 (rule v2): fewer than this share of the questions answered (yes, no, not
  // applicable) and no dimension positive gives insufficient_information.
  double insufficient_below = 0;
  std::string insufficient_text;
  std::vector<CombinationClause> adult;  // tried in order; the last is "always"
  std::vector<CombinationClause> child;
  AgeRule age;
};

// ---- Input

// Age in whole years, or unknown. `may_be_minor`: there are reasons to believe the person is
// under 18 (a stated adult age may be doubted too).
struct Age {
  std::optional<int> years;
  bool may_be_minor = false;
};

struct AnsweredIndicator {
  std::string id;
  std::string dimension;
  Strength strength = Strength::medium;
  std::string label;  // English name, carried into the explanation
  Answer answer = Answer::unknown;
  bool decisive = false;  // positive on its own for a child (instrument data)
};

struct EngineInput {
  std::string profile;
  std::string instrument_version;
  Population population = Population::adult;
  std::vector<std::string> dimensions;        // the instrument's dimensions, in order
  std::vector<AnsweredIndicator> indicators;  // every indicator of the instrument, in order
  Age age;
  // The questions of the instrument used (the screener's or the full interview's) and how
  // many were answered (yes, no or not applicable): the share for insufficient_information.
  int questions = 0;
  int questions_answered = 0;
};

// ---- Result

struct IndicatorRef {
  std::string id;
  std::string dimension;
  Strength strength = Strength::medium;
  std::string label;
  Answer answer = Answer::unknown;
  std::string text;  // the question in the result's language (filled by screening.cpp)
  bool decisive = false;
  // In ask_next only (action.cpp): why ask it, whether it is a safety question, and whether it
  // is among the first shown (the rest behind "more").
  std::string reason;
  bool safety = false;
  bool first = false;
};

using StrengthCounts = std::array<int, 3>;  // indexed by Strength

// What one clause still needs: per term, how many more of which strengths.
struct Shortfall {
  std::string clause;
  std::vector<StrengthTerm> needs;
};

struct DimensionResult {
  std::string id;
  std::string group;
  std::string title;               // in the result's language (filled by screening.cpp)
  bool positive = false;           // unanswered counted as not met
  bool could_be_positive = false;  // unanswered counted as met
  std::string clause;              // the clause that made it positive, "" if not positive
  std::string could_clause;        // the clause that would, "" if it cannot become positive
  StrengthCounts met{};
  StrengthCounts unanswered{};
  std::vector<IndicatorRef> indicators;  // all of the dimension's indicators, with answers
  std::vector<Shortfall> shortfalls;     // when not positive: the cheapest ways to get there
  std::string explanation;               // plain English
};

struct GroupResult {
  std::string id;
  std::string title;
  bool positive = false;
  bool could_be_positive = false;
  std::vector<std::string> positive_dimensions;
};

struct RulesApplied {
  std::string rule_set;  // rule version
  Combination combination = Combination::adult;
  std::string reason;      // e.g. "age unknown and may be a minor: presumption of minority ..."
  std::string age_clause;  // "stated_adult", "stated_minor", "presumed_minor", "unknown_adult"
  std::string indicators_from;  // the profile whose indicators were used
};

// Where the answers came from when they were given to the first-contact screener (filled by
// screening.cpp; the engine only carries it).
struct ScreenerProvenance {
  std::string screener_id;
  std::string screener_version;
  std::vector<std::pair<std::string, Answer>> answers;  // question id -> answer, as given
  bool profile_routed = false;  // true: the routing chose the profile; false: the caller did
  std::string routing_reason;
  std::vector<std::string> also_consider;  // other profiles the answers point to
};

// Why the action: an indicator, an outcome or the answers, with one sentence.
struct ActionReason {
  std::string kind;  // "outcome", "indicator", "answer", "answers"
  std::string id;    // the indicator id, the outcome, or "all_no" / "nothing_answered"
  std::string text;
};

struct Result {
  std::string profile;
  std::string lang = "en";  // of question texts and titles; explanations are in English
  std::string instrument_version;
  std::string rule_version;
  Outcome outcome = Outcome::no_indication;
  Outcome could_become = Outcome::no_indication;
  std::string clause;  // the combination clause that gave `outcome`
  std::string clause_text;
  std::string could_clause;  // the combination clause that gives `could_become`
  std::string could_clause_text;
  RulesApplied rules_applied;
  Age age;
  std::vector<DimensionResult> dimensions;
  std::vector<GroupResult> groups;
  std::vector<IndicatorRef> ask_next;              // empty when outcome == could_become
  std::vector<std::string> unexplored_dimensions;  // no indicator answered yes or no
  std::optional<ScreenerProvenance> screener;
  std::string summary;  // plain English, several sentences
  int questions = 0;    // of the instrument used
  int questions_answered = 0;
  // The recommended action (action.h, filled by screening.cpp from the action rule).
  Action action = Action::complete_interview;
  std::vector<ActionReason> action_reasons;
  std::string action_rule_version;
  std::vector<std::string> referrals;  // referral kinds recommended
};

// ---- Engine

// Which combination rule applies, and why. Throws Error(invalid_argument, field "age") when a
// child instrument is used for a person who is 18 or older and not possibly a minor: the
// child strengths (no weak tier) would overstate the evidence for an adult.
RulesApplied choose_combination(const DecisionRule& rule, const Age& age, Population population,
                                const std::string& profile);

// A dimension's status from its answered indicators (all of them belong to `dimension`).
// `decisive`: honour indicators marked decisive (child combination, rule with a decisive
// clause).
DimensionResult evaluate_dimension(const DecisionRule& rule, const std::string& dimension,
                                   const std::vector<AnsweredIndicator>& indicators,
                                   bool decisive = false);

// The first clause of `clauses` whose condition holds for the positive groups.
const CombinationClause& combine(const std::vector<CombinationClause>& clauses,
                                 const std::vector<std::pair<std::string, bool>>& groups);

// Evaluates every dimension, combines them, explains, and lists what to ask next.
Result decide(const DecisionRule& rule, const EngineInput& input);

}  // namespace ctip::screen
