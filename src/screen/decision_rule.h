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
// (`outcome`) and as met (`could_become`), and lists what to ask next when the two differ.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::screen {

enum class Strength { strong, medium, weak };
enum class Answer { yes, no, unknown };  // unknown: not answered, does not know, or refused
// Ordered from least to most serious; the order is the rank used to compare outcomes.
enum class Outcome { no_indication, exploitation_only, possible_trafficking, presumed_trafficking };
enum class Combination { adult, child };
enum class Population { adult, child };  // whom an instrument's strengths were set for

inline constexpr std::array<Strength, 3> kStrengths = {Strength::strong, Strength::medium,
                                                       Strength::weak};

std::string_view to_string(Strength s);
std::string_view to_string(Answer a);
std::string_view to_string(Outcome o);
std::string_view to_string(Combination c);
std::string_view to_string(Population p);
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
  std::vector<Group> groups;
  std::array<std::string, 4> outcome_texts;  // indexed by Outcome
  std::vector<CombinationClause> adult;      // tried in order; the last is "always"
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
};

struct EngineInput {
  std::string profile;
  std::string instrument_version;
  Population population = Population::adult;
  std::vector<std::string> dimensions;        // the instrument's dimensions, in order
  std::vector<AnsweredIndicator> indicators;  // every indicator of the instrument, in order
  Age age;
};

// ---- Result

struct IndicatorRef {
  std::string id;
  std::string dimension;
  Strength strength = Strength::medium;
  std::string label;
  Answer answer = Answer::unknown;
  std::string text;  // the question in the result's language (filled by screening.cpp)
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
};

// ---- Engine

// Which combination rule applies, and why. Throws Error(invalid_argument, field "age") when a
// child instrument is used for a person who is 18 or older and not possibly a minor: the
// child strengths (no weak tier) would overstate the evidence for an adult.
RulesApplied choose_combination(const DecisionRule& rule, const Age& age, Population population,
                                const std::string& profile);

// A dimension's status from its answered indicators (all of them belong to `dimension`).
DimensionResult evaluate_dimension(const DecisionRule& rule, const std::string& dimension,
                                   const std::vector<AnsweredIndicator>& indicators);

// The first clause of `clauses` whose condition holds for the positive groups.
const CombinationClause& combine(const std::vector<CombinationClause>& clauses,
                                 const std::vector<std::pair<std::string, bool>>& groups);

// Evaluates every dimension, combines them, explains, and lists what to ask next.
Result decide(const DecisionRule& rule, const EngineInput& input);

}  // namespace ctip::screen
