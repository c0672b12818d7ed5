// Screening: the public surface of src/screen for the CLI, the server and the workflow.
//
//   const auto& cat = Catalogue::builtin();           // instruments compiled into the binary
//   auto input = parse_evaluation_input(body);         // strict: throws invalid naming the field
//   Result r = evaluate(input);                        // pure decision (decision_rule.h)
//   Json out = to_json(r);                             // the contract of `ctip screen evaluate`
//
// Evaluation input (docs/api.md, POST /screen/evaluate):
//   {"profile": P, "age": N | "unknown", "may_be_minor": bool, "answers": {id:
//   "yes"|"no"|"unknown"},
//    "lang": "en"|"es"|"fr"|"ar" (optional), "rule_version": "ilo2009-v1" (optional)}
// P is a profile id, or "screener": then the answer ids are the screener's question ids and
// the screener's routing picks the profile. parse_screener_input() takes screener answers with
// an optional profile (the workflow's "instrument":"screener" with a given profile).
// `may_be_minor` is required when age is "unknown" and defaults to false otherwise.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_input.h"
#include "screen/catalogue.h"
#include "screen/decision_rule.h"

namespace ctip::screen {

struct EvaluationInput {
  std::string profile;  // the profile whose indicators are evaluated
  Age age;
  std::map<std::string, Answer, std::less<>> answers;  // indicator id -> answer, as given
  std::string lang = "en";
  std::string rule_version;                    // empty: the current rule
  std::optional<ScreenerProvenance> screener;  // set when the answers came from the screener
};

// Strict parsing; throws Error(invalid_argument) naming the field ("profile", "age",
// "may_be_minor", "answers.<id>", "lang", "rule_version", or an unknown top-level field).
EvaluationInput parse_evaluation_input(const Json& body,
                                       const Catalogue& catalogue = Catalogue::builtin());
// Answers keyed by screener question ids; "profile" optional (absent or "screener": routed).
EvaluationInput parse_screener_input(const Json& body,
                                     const Catalogue& catalogue = Catalogue::builtin());

// Evaluates with the input's rule (or the current one). Throws invalid naming "age" when a
// child profile is used for an adult (see decision_rule.h).
Result evaluate(const EvaluationInput& input, const Catalogue& catalogue = Catalogue::builtin());

// The result as JSON: outcome, could_become, rules_applied, dimensions, groups, ask_next,
// unexplored_dimensions, next_step, instrument_version, rule_version, explanation, and the
// screener provenance when there is one. Field names are a contract (src/screen/README.md).
Json to_json(const Result& result);
// The result as readable text for a terminal.
std::string to_text(const Result& result);

// {"profiles":[{"id","title","version","population","exploitation","indicators"}],
//  "languages":[...],"rule_version","screener":{"id","version","title"}}
Json profiles_json(std::string_view lang = "en", const Catalogue& catalogue = Catalogue::builtin());
// The instrument rendered for a form: dimensions with titles and their indicators with the
// question text in `lang` (and "text_feminine" where fr or ar has one). Throws invalid naming
// "profile" or "lang".
Json instrument_json(std::string_view profile, std::string_view lang,
                     const Catalogue& catalogue = Catalogue::builtin());
// [{"id","dimension","strength","text","text_feminine"?,"label","decisive","note"?}] (the
// `ctip screen indicators` contract). "text_feminine": the fr or ar wording for a woman or a girl.
Json indicators_json(std::string_view profile, std::string_view lang,
                     const Catalogue& catalogue = Catalogue::builtin());
// The first-contact screener in `lang`: questions (with what each marks) and the routing. Each
// question has "text" (an adult), "text_child" (a child or a person who may be a minor) and, in
// fr and ar, "text_feminine" and "text_child_feminine" (see question_in() in catalogue.h).
Json screener_json(std::string_view lang, const Catalogue& catalogue = Catalogue::builtin());

// Throws invalid naming `field` unless lang is one of kLanguages.
void check_language(std::string_view lang, const std::string& field = "lang");

}  // namespace ctip::screen
