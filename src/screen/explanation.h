// Plain-English sentences for the engine's results (internal to src/screen). Pure functions of
// the result and the rule; the texts of clauses come from the rule's data.
#pragma once

#include <string>
#include <vector>

#include "screen/decision_rule.h"

namespace ctip::screen::explain {

// "2 strong and 1 medium", "1 weak", "no indicator".
std::string counts(const StrengthCounts& c);
// "1 more strong and 1 medium or weak": "more" where some of the term's strengths are met.
std::string needs(const std::vector<StrengthTerm>& terms, const StrengthCounts& met);
// The per-dimension sentence: what was met, which clause made it positive or what is missing.
std::string dimension(const DimensionResult& d, const DecisionRule& rule);
// The overall summary of a result.
std::string summary(const Result& r, const DecisionRule& rule);
// "presumed trafficking", from the rule's outcome texts.
std::string outcome_phrase(Outcome o, const DecisionRule& rule);

}  // namespace ctip::screen::explain
