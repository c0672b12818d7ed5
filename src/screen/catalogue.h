// The screening catalogue: instruments, the first-contact screener, the dimensions and the
// decision rules, loaded from data/instruments/**/*.json (compiled into the binary) and checked
// strictly when loaded. A file that breaks an invariant is a bug in the data: loading throws
// Error(internal) naming the file and the field. The invariants are listed in README.md.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded.h"
#include "screen/action.h"
#include "screen/decision_rule.h"

namespace ctip::screen {

// Every text a person reads exists in each of these languages.
inline constexpr std::array<std::string_view, 4> kLanguages = {"en", "es", "fr", "ar"};
inline constexpr std::array<std::string_view, 6> kDimensions = {
    "deceptive_recruitment", "coercive_recruitment",    "recruitment_abuse_of_vulnerability",
    "exploitation",          "coercion_at_destination", "abuse_of_vulnerability_at_destination"};
// Issue #8 item 5: the screener can make every dimension positive and stays this short.
inline constexpr size_t kMaxScreenerQuestions = 20;

using Localized = std::map<std::string, std::string, std::less<>>;  // language -> text

struct Source {
  std::string id;
  std::string citation;
  std::string used_for;
};

struct Indicator {
  std::string id;
  std::string dimension;
  Strength strength = Strength::medium;
  std::string label;   // English name of the indicator
  Localized question;  // the default wording (French inclusive "(e)", Arabic masculine generic)
  // Addressed to a woman or a girl (issue #8 item 9): French and Arabic only, each different from
  // the default; used when the recorded sex is female (question_in).
  Localized question_feminine;
  std::string note;  // why this strength, where the source is uncertain or silent
  // Makes its dimension positive on its own for a child (e.g. ILO C182 art. 3); the note
  // gives the legal source. Only in child instruments.
  bool decisive = false;
};

struct Instrument {
  std::string profile;  // e.g. "adult_labour"
  std::string version;  // e.g. "1.0.0"
  Population population = Population::adult;
  std::string exploitation;  // labour, sexual, criminality
  Localized title;
  std::vector<Source> sources;
  std::vector<std::string> notes;
  std::vector<Indicator> indicators;
  std::string path;  // the data file it came from

  const Indicator* find(std::string_view id) const;
  std::string versioned_id() const { return profile + "@" + version; }
};

struct DimensionInfo {
  std::string id;
  Localized title;
  Localized description;
};

struct ScreenerQuestion {
  std::string id;
  std::string dimension;
  Localized text;                 // as asked of an adult
  Localized text_feminine;        // of a woman (fr, ar; see Indicator::question_feminine)
  Localized text_child;           // of a child or a person who may be a minor, in every language
  Localized text_child_feminine;  // of a girl (fr, ar)
  std::map<std::string, std::vector<std::string>, std::less<>> marks;  // profile -> indicators
  std::string note;
};

struct RoutingRule {
  Population population = Population::adult;
  std::string if_yes;  // a question id, or "" for the fallback of the population
  std::string profile;
  std::string reason;
};

struct Screener {
  std::string id;
  std::string version;
  Localized title;
  Localized intro;
  std::vector<Source> sources;
  std::vector<std::string> notes;
  std::vector<ScreenerQuestion> questions;
  std::vector<RoutingRule> routing;

  const ScreenerQuestion* find(std::string_view id) const;
};

struct Catalogue {
  std::string dimensions_version;
  std::vector<DimensionInfo> dimensions;
  std::map<std::string, Localized, std::less<>> answer_labels;    // each Answer -> texts
  std::map<std::string, Localized, std::less<>> strength_labels;  // strong/medium/weak -> texts
  std::vector<Instrument> instruments;                            // in kProfileOrder, then by name
  Screener screener;
  std::vector<DecisionRule> rules;
  size_t current_rule = 0;
  std::vector<ActionRule> action_rules;
  size_t current_action_rule = 0;
  std::vector<std::string> schema_paths;  // documentation only

  // Validates everything; throws Error(internal) naming the file and field.
  static Catalogue load(const std::vector<embedded::File>& files);
  // The catalogue compiled into the binary, loaded once.
  static const Catalogue& builtin();

  const Instrument* find_instrument(std::string_view profile) const;
  const DecisionRule& rule() const { return rules.at(current_rule); }
  const ActionRule& actions() const { return action_rules.at(current_action_rule); }
  const DecisionRule* find_rule(std::string_view version) const;
  const DimensionInfo* find_dimension(std::string_view id) const;
};

// Looks up a text in `lang`, falling back to English.
const std::string& text_in(const Localized& texts, std::string_view lang);

// To whom a question is addressed (issue #8 items 3 and 9): a woman or a girl (the recorded sex
// is female) is asked the feminine wording where French or Arabic has one; a child, or a person
// who may be a minor, the screener's child wording. Everyone else is asked the default wording.
struct Addressee {
  bool female = false;
  bool child = false;
};
// The wording of a question in `lang` for the addressee.
const std::string& question_in(const Indicator& indicator, std::string_view lang, Addressee to);
const std::string& question_in(const ScreenerQuestion& question, std::string_view lang,
                               Addressee to);

}  // namespace ctip::screen
