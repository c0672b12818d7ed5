#include "screen/explanation.h"

#include <algorithm>

namespace ctip::screen::explain {

namespace {

std::string join(const std::vector<std::string>& parts, const std::string& sep,
                 const std::string& last_sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? last_sep : sep;
    out += parts[i];
  }
  return out;
}

std::string capitalise(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

int total(const StrengthCounts& c) { return c[0] + c[1] + c[2]; }

std::string clause_text(const DecisionRule& rule, const std::string& id) {
  for (const auto& c : rule.dimension_clauses)
    if (c.id == id) return c.text;
  if (rule.decisive_clause && rule.decisive_clause->id == id) return rule.decisive_clause->text;
  return id;
}

}  // namespace

std::string counts(const StrengthCounts& c) {
  std::vector<std::string> parts;
  for (auto s : kStrengths)
    if (c[static_cast<int>(s)] > 0)
      parts.push_back(std::to_string(c[static_cast<int>(s)]) + " " + std::string(to_string(s)));
  return parts.empty() ? "no indicator" : join(parts, ", ", " and ");
}

std::string needs(const std::vector<StrengthTerm>& terms, const StrengthCounts& met) {
  std::vector<std::string> parts;
  for (const auto& t : terms) {
    int already = 0;
    std::vector<std::string> names;
    for (auto s : t.of) {
      already += met[static_cast<int>(s)];
      names.emplace_back(to_string(s));
    }
    parts.push_back(std::to_string(t.at_least) + (already > 0 ? " more " : " ") +
                    join(names, " or ", " or "));
  }
  return join(parts, " and ", " and ");
}

std::string dimension(const DimensionResult& d, const DecisionRule& rule) {
  std::string s = capitalise(counts(d.met)) + " met";
  if (d.positive) return s + ": positive by the clause '" + clause_text(rule, d.clause) + "'.";
  std::vector<std::string> options;
  options.reserve(d.shortfalls.size());
  for (const auto& sf : d.shortfalls) options.push_back(needs(sf.needs, d.met));
  s += ": not positive; needs " + join(options, ", or ", ", or ") + ".";
  if (d.met[0] == 0 && d.met[1] == 0 && d.met[2] > 0)
    s += " Weak indicators alone never make a dimension positive.";
  int u = total(d.unanswered);
  if (u > 0) {
    s += " " + std::to_string(u) + " unanswered" +
         (d.could_be_positive ? ": could become positive." : ", not enough to make it positive.");
  }
  return s;
}

std::string outcome_phrase(Outcome o, const DecisionRule& rule) {
  const auto& t = rule.outcome_texts[static_cast<size_t>(o)];
  return t.empty() ? std::string(to_string(o)) : t;
}

std::string summary(const Result& r, const DecisionRule& rule) {
  std::string s = capitalise(outcome_phrase(r.outcome, rule)) + " (" + r.rule_version + ", " +
                  std::string(to_string(r.rules_applied.combination)) + " combination; " +
                  r.rules_applied.reason + ").";
  std::vector<std::string> positive, not_positive;
  for (const auto& g : r.groups) {
    std::string name = g.id + " (" + g.title + ")";
    if (g.positive)
      positive.push_back(name + " by " + join(g.positive_dimensions, ", ", " and "));
    else
      not_positive.push_back(name);
  }
  if (!positive.empty()) s += " Positive: " + join(positive, "; ", "; ") + ".";
  if (!not_positive.empty()) s += " Not positive: " + join(not_positive, ", ", " and ") + ".";
  s += " Clause " + r.clause + ": " + r.clause_text + ".";
  if (r.could_become != r.outcome) {
    s += " Could become " + outcome_phrase(r.could_become, rule) +
         " if unanswered indicators are met (clause " + r.could_clause + ")";
    if (!r.ask_next.empty()) {
      std::vector<std::string> ids;
      const size_t shown = std::min<size_t>(r.ask_next.size(), 5);
      ids.reserve(shown);
      for (size_t i = 0; i < shown; ++i) ids.push_back(r.ask_next[i].id);
      s += "; ask next: " + join(ids, ", ", ", ");
      if (r.ask_next.size() > shown)
        s += " and " + std::to_string(r.ask_next.size() - shown) + " more";
    }
    s += ".";
  }
  s += " This is an indication for referral and protection, not a legal identification of a "
       "victim.";
  return s;
}

}  // namespace ctip::screen::explain
