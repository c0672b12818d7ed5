// The recommended action beside the ILO outcome (issue #8 item 1): refer now, complete the
// interview, or no further action, with a reason per indicator; the referrals it recommends;
// and what to ask next, ranked (item 6). Pure: the rule comes in as a struct loaded from
// data/instruments/rules/actions-v<N>.json by catalogue.cpp, the Result is the engine's.
//
// The rule (actions-v1):
//   - refer_now: the outcome is one of the rule's referral outcomes (presumed or possible
//     trafficking, coercion only), or an adult has a strong indicator met in exploitation or
//     coercion at destination, or a child (or presumed child) has any indicator met in
//     exploitation, coercive recruitment or coercion at destination;
//   - complete_interview: nothing above, and an indicator was met, or an answer was "don't know"
//     or "declined", or too little was answered (insufficient_information, or nothing at all);
//   - no_further_action: only when every question asked was answered "no" (or "not
//     applicable") and nothing above holds.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "screen/decision_rule.h"

namespace ctip::screen {

struct ActionRule {
  std::string version;  // e.g. "actions-v1"
  std::vector<Outcome> refer_outcomes;
  std::vector<std::string> adult_strong_in;    // dimensions: a strong indicator met -> refer
  std::vector<std::string> child_any_in;       // dimensions: any indicator met (child) -> refer
  std::vector<std::string> safety_indicators;  // asked first in ask_next
  int ask_next_first = 5;
  // "child", "refer_now", "exploitation_only" -> referral kinds (intake.h kReferralKinds)
  std::map<std::string, std::vector<std::string>, std::less<>> referrals;
  // Sentence templates with {label}, {strength}, {dimension}, {outcome}, {needs}.
  std::map<std::string, std::string, std::less<>> texts;
};

// The template keys an action rule must define (checked when loaded).
inline constexpr std::array<std::string_view, 12> kActionTexts = {
    "outcome",      "adult_strong",     "child_any", "met",        "dont_know",   "declined",
    "insufficient", "nothing_answered", "all_no",    "ask_safety", "ask_outcome", "ask_action"};

// Fills r.action, r.action_reasons, r.action_rule_version and r.referrals, ranks r.ask_next
// (safety questions first, then the dimension closest to positive, strong before medium before
// weak; the first `ask_next_first` marked `first`) with a reason each, and adds to ask_next the
// unanswered indicators whose "yes" would make the action refer_now and every unanswered safety
// question. Rewrites r.summary.
void recommend(const ActionRule& actions, const DecisionRule& rule, Result& r);

}  // namespace ctip::screen
