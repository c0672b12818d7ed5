#include "screen/action.h"

#include <algorithm>
#include <set>

#include "screen/explanation.h"

namespace ctip::screen {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string words(std::string s) {
  for (auto& ch : s)
    if (ch == '_') ch = ' ';
  return s;
}

// The template `key` with its placeholders filled.
std::string fill(const ActionRule& a, std::string_view key,
                 const std::map<std::string, std::string>& values) {
  auto it = a.texts.find(key);
  std::string out = it == a.texts.end() ? std::string(key) : it->second;
  for (const auto& [name, value] : values) {
    const std::string token = "{" + name + "}";
    for (size_t at = out.find(token); at != std::string::npos;
         at = out.find(token, at + value.size()))
      out.replace(at, token.size(), value);
  }
  return out;
}

std::map<std::string, std::string> about(const IndicatorRef& i) {
  return {{"label", i.label},
          {"strength", std::string(to_string(i.strength))},
          {"dimension", words(i.dimension)}};
}

// Would a "yes" to this indicator alone make the action refer_now?
bool refers(const ActionRule& a, bool child, const IndicatorRef& i) {
  if (child) return contains(a.child_any_in, i.dimension);
  return i.strength == Strength::strong && contains(a.adult_strong_in, i.dimension);
}

// How many more met indicators the dimension needs, at the least (0 when positive).
int distance(const DimensionResult& d) {
  if (d.positive) return 0;
  int best = 1 << 20;
  for (const auto& s : d.shortfalls) {
    int n = 0;
    for (const auto& t : s.needs) n += t.at_least;
    best = std::min(best, n);
  }
  return best;
}

std::string needs_text(const DimensionResult& d) {
  std::vector<std::string> options;
  options.reserve(d.shortfalls.size());
  for (const auto& s : d.shortfalls) options.push_back(explain::needs(s.needs, d.met));
  std::string out;
  for (size_t i = 0; i < options.size() && i < 2; ++i) out += (i ? ", or " : "") + options[i];
  return out.empty() ? "nothing" : out;
}

}  // namespace

void recommend(const ActionRule& a, const DecisionRule& rule, Result& r) {
  const bool child = r.rules_applied.combination == Combination::child;
  r.action_rule_version = a.version;
  r.action_reasons.clear();

  // ---- refer_now
  const bool outcome_refers = std::find(a.refer_outcomes.begin(), a.refer_outcomes.end(),
                                        r.outcome) != a.refer_outcomes.end();
  if (outcome_refers)
    r.action_reasons.push_back(
        {"outcome", std::string(to_string(r.outcome)),
         fill(a, "outcome", {{"outcome", words(std::string(to_string(r.outcome)))}})});
  for (const auto& d : r.dimensions)
    for (const auto& i : d.indicators)
      if (i.answer == Answer::yes && refers(a, child, i))
        r.action_reasons.push_back(
            {"indicator", i.id, fill(a, child ? "child_any" : "adult_strong", about(i))});

  if (!r.action_reasons.empty()) {
    r.action = Action::refer_now;
  } else {
    // ---- complete_interview or no_further_action
    int asked = 0;
    for (const auto& d : r.dimensions)
      for (const auto& i : d.indicators) {
        if (i.answer != Answer::unknown) ++asked;
        if (i.answer == Answer::yes)
          r.action_reasons.push_back({"indicator", i.id, fill(a, "met", about(i))});
        else if (i.answer == Answer::dont_know)
          r.action_reasons.push_back({"answer", i.id, fill(a, "dont_know", about(i))});
        else if (i.answer == Answer::declined)
          r.action_reasons.push_back({"answer", i.id, fill(a, "declined", about(i))});
      }
    if (r.outcome == Outcome::insufficient_information)
      r.action_reasons.insert(
          r.action_reasons.begin(),
          ActionReason{"outcome", "insufficient_information", fill(a, "insufficient", {})});
    else if (asked == 0 && r.action_reasons.empty())
      r.action_reasons.push_back({"answers", "nothing_answered", fill(a, "nothing_answered", {})});
    if (r.action_reasons.empty()) {
      r.action = Action::no_further_action;
      r.action_reasons.push_back({"answers", "all_no", fill(a, "all_no", {})});
    } else {
      r.action = Action::complete_interview;
    }
  }

  // ---- referrals
  r.referrals.clear();
  auto add = [&](std::string_view key) {
    auto it = a.referrals.find(key);
    if (it == a.referrals.end()) return;
    for (const auto& k : it->second)
      if (!contains(r.referrals, k)) r.referrals.push_back(k);
  };
  bool any_met = false;
  for (const auto& d : r.dimensions)
    for (const auto& i : d.indicators) any_met = any_met || i.answer == Answer::yes;
  // A child with any indicator met goes to child protection and a guardian; the child set
  // replaces the adult one (no work permit for a child).
  if (child && (any_met || r.action == Action::refer_now)) {
    add("child");
  } else {
    if (r.action == Action::refer_now) add("refer_now");
    if (r.outcome == Outcome::exploitation_only) add("exploitation_only");
  }

  // ---- ask_next: outcome-raising questions (the engine's), questions whose "yes" would refer
  // now, and the safety questions; ranked.
  std::vector<IndicatorRef> ask;
  std::set<std::string> seen;
  auto dimension_of = [&](const std::string& id) -> const DimensionResult* {
    for (const auto& d : r.dimensions)
      if (d.id == id) return &d;
    return nullptr;
  };
  for (auto i : r.ask_next) {
    if (!seen.insert(i.id).second) continue;
    const auto* d = dimension_of(i.dimension);
    i.reason = fill(a, "ask_outcome",
                    {{"dimension", words(i.dimension)},
                     {"needs", d ? needs_text(*d) : ""},
                     {"outcome", words(std::string(to_string(r.could_become)))}});
    ask.push_back(std::move(i));
  }
  // Safety questions not yet answered are always listed (first): a yes changes what is done
  // for the person now, whatever the outcome. Others when their yes would refer now.
  for (const auto& d : r.dimensions)
    for (auto i : d.indicators) {
      if (!could_be_met(i.answer) || seen.count(i.id)) continue;
      const bool safety = contains(a.safety_indicators, i.id);
      const bool would_refer = r.action != Action::refer_now && refers(a, child, i);
      if (!safety && !would_refer) continue;
      seen.insert(i.id);
      i.reason = would_refer ? fill(a, "ask_action", about(i)) : "";
      ask.push_back(std::move(i));
    }
  for (auto& i : ask) {
    i.safety = contains(a.safety_indicators, i.id);
    if (i.safety)
      i.reason = fill(a, "ask_safety", about(i)) + (i.reason.empty() ? "" : " " + i.reason);
  }
  auto rank_strength = [](Strength s) { return static_cast<int>(s); };
  std::stable_sort(ask.begin(), ask.end(), [&](const IndicatorRef& x, const IndicatorRef& y) {
    if (x.safety != y.safety) return x.safety;
    // Safety questions: the most serious (strong) first, wherever they are.
    if (x.safety) return rank_strength(x.strength) < rank_strength(y.strength);
    const auto* dx = dimension_of(x.dimension);
    const auto* dy = dimension_of(y.dimension);
    int ex = x.decisive ? 1 : (dx ? distance(*dx) : 99);
    int ey = y.decisive ? 1 : (dy ? distance(*dy) : 99);
    if (ex != ey) return ex < ey;
    return rank_strength(x.strength) < rank_strength(y.strength);
  });
  for (size_t k = 0; k < ask.size(); ++k) ask[k].first = k < static_cast<size_t>(a.ask_next_first);
  r.ask_next = std::move(ask);

  r.summary = explain::summary(r, rule);
  std::string first = r.action_reasons.empty() ? "" : " " + r.action_reasons.front().text;
  r.summary = "Action: " + words(std::string(to_string(r.action))) + "." + first + " " + r.summary;
}

}  // namespace ctip::screen
