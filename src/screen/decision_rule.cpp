#include "screen/decision_rule.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "screen/explanation.h"

namespace ctip::screen {

std::string_view to_string(Strength s) {
  switch (s) {
    case Strength::strong:
      return "strong";
    case Strength::medium:
      return "medium";
    case Strength::weak:
      return "weak";
  }
  return "weak";
}

std::string_view to_string(Answer a) {
  switch (a) {
    case Answer::yes:
      return "yes";
    case Answer::no:
      return "no";
    case Answer::unknown:
      return "unknown";
    case Answer::dont_know:
      return "dont_know";
    case Answer::declined:
      return "declined";
    case Answer::not_applicable:
      return "not_applicable";
  }
  return "unknown";
}

bool could_be_met(Answer a) {
  return a == Answer::unknown || a == Answer::dont_know || a == Answer::declined;
}

bool answered(Answer a) {
  return a == Answer::yes || a == Answer::no || a == Answer::not_applicable;
}

std::string_view to_string(Action a) {
  switch (a) {
    case Action::refer_now:
      return "refer_now";
    case Action::complete_interview:
      return "complete_interview";
    case Action::no_further_action:
      return "no_further_action";
  }
  return "complete_interview";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::insufficient_information:
      return "insufficient_information";
    case Outcome::coercion_only:
      return "coercion_only";
    case Outcome::no_indication:
      return "no_indication";
    case Outcome::exploitation_only:
      return "exploitation_only";
    case Outcome::possible_trafficking:
      return "possible_trafficking";
    case Outcome::presumed_trafficking:
      return "presumed_trafficking";
  }
  return "no_indication";
}

std::string_view to_string(Combination c) { return c == Combination::adult ? "adult" : "child"; }
std::string_view to_string(Population p) { return p == Population::adult ? "adult" : "child"; }

std::optional<Strength> parse_strength(std::string_view s) {
  for (auto v : kStrengths)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::optional<Answer> parse_answer(std::string_view s) {
  for (auto v : kAnswers)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (auto v : kOutcomes)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::optional<Population> parse_population(std::string_view s) {
  if (s == "adult") return Population::adult;
  if (s == "child") return Population::child;
  return std::nullopt;
}

namespace {

int index(Strength s) { return static_cast<int>(s); }
int rank(Outcome o) { return static_cast<int>(o); }

int count_of(const StrengthCounts& c, const std::vector<Strength>& of) {
  int n = 0;
  for (auto s : of) n += c[index(s)];
  return n;
}

bool holds(const DimensionClause& clause, const StrengthCounts& c) {
  for (const auto& t : clause.terms)
    if (count_of(c, t.of) < t.at_least) return false;
  return true;
}

const DimensionClause* first_holding(const DecisionRule& rule, const StrengthCounts& c) {
  for (const auto& clause : rule.dimension_clauses)
    if (holds(clause, c)) return &clause;
  return nullptr;
}

bool subset(const std::vector<Strength>& a, const std::vector<Strength>& b) {
  return std::all_of(a.begin(), a.end(),
                     [&](Strength s) { return std::find(b.begin(), b.end(), s) != b.end(); });
}

// `a` needs at least as much as `b` in every respect: meeting a's needs meets b's, so b is the
// cheaper way and a need not be shown.
bool implies(const std::vector<StrengthTerm>& a, const std::vector<StrengthTerm>& b) {
  for (const auto& tb : b) {
    bool covered = std::any_of(a.begin(), a.end(), [&](const StrengthTerm& ta) {
      return subset(ta.of, tb.of) && ta.at_least >= tb.at_least;
    });
    if (!covered) return false;
  }
  return true;
}

std::vector<Shortfall> shortfalls(const DecisionRule& rule, const StrengthCounts& met) {
  std::vector<Shortfall> all;
  for (const auto& clause : rule.dimension_clauses) {
    Shortfall s{clause.id, {}};
    for (const auto& t : clause.terms) {
      int missing = t.at_least - count_of(met, t.of);
      if (missing > 0) s.needs.push_back({t.of, missing});
    }
    all.push_back(std::move(s));
  }
  std::vector<Shortfall> kept;
  for (size_t i = 0; i < all.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < all.size() && !dominated; ++j) {
      if (i == j || !implies(all[i].needs, all[j].needs)) continue;
      // Equal needs: keep the earlier clause only.
      dominated = !implies(all[j].needs, all[i].needs) || j < i;
    }
    if (!dominated) kept.push_back(all[i]);
  }
  return kept;
}

bool eval(const Condition& c, const std::vector<std::pair<std::string, bool>>& groups) {
  switch (c.kind) {
    case Condition::Kind::always:
      return true;
    case Condition::Kind::group:
      for (const auto& [id, positive] : groups)
        if (id == c.group) return positive;
      return false;
    case Condition::Kind::all:
      return std::all_of(c.terms.begin(), c.terms.end(),
                         [&](const Condition& t) { return eval(t, groups); });
    case Condition::Kind::any:
      return std::any_of(c.terms.begin(), c.terms.end(),
                         [&](const Condition& t) { return eval(t, groups); });
    case Condition::Kind::at_least: {
      int n = 0;
      for (const auto& t : c.terms) n += eval(t, groups) ? 1 : 0;
      return n >= c.count;
    }
  }
  return false;
}

const std::vector<CombinationClause>& clauses_for(const DecisionRule& rule, Combination c) {
  return c == Combination::adult ? rule.adult : rule.child;
}

}  // namespace

RulesApplied choose_combination(const DecisionRule& rule, const Age& age, Population population,
                                const std::string& profile) {
  RulesApplied r;
  r.rule_set = rule.version;
  r.indicators_from = profile;
  const int minor_below = rule.age.minor_below;
  if (age.years) {
    int y = *age.years;
    if (y < 0 || y > rule.age.max_age)
      invalid("age", "age must be between 0 and " + std::to_string(rule.age.max_age));
    if (y < minor_below) {
      r.combination = Combination::child;
      r.age_clause = "stated_minor";
      r.reason = "age " + std::to_string(y) + ", under " + std::to_string(minor_below) +
                 ": child rules (" + rule.age.child_basis + ")";
    } else if (age.may_be_minor) {
      r.combination = Combination::child;
      r.age_clause = "presumed_minor";
      r.reason = "stated age " + std::to_string(y) +
                 " but may be a minor: presumption of minority (" + rule.age.presumption_basis +
                 "); child rules";
    } else {
      r.combination = Combination::adult;
      r.age_clause = "stated_adult";
      r.reason = "age " + std::to_string(y) + ": adult rules";
    }
  } else if (age.may_be_minor) {
    r.combination = Combination::child;
    r.age_clause = "presumed_minor";
    r.reason = "age unknown and may be a minor: presumption of minority (" +
               rule.age.presumption_basis + "); child rules";
  } else {
    r.combination = Combination::adult;
    r.age_clause = "unknown_adult";
    r.reason = "age unknown and no reason to believe the person is a minor: adult rules";
  }
  if (population == Population::child && r.combination == Combination::adult) {
    // Words a screener understands (issue #8, bad input); the field stays "age".
    invalid("age", "This interview is for children under " + std::to_string(minor_below) +
                       ", but the person's age is given as " +
                       std::to_string(age.years.value_or(0)) +
                       " and nothing says they may be younger. Use an adult interview, or record "
                       "that the person may be a minor (profile '" +
                       profile + "', may_be_minor).");
  }
  if (population == Population::adult && r.combination == Combination::child) {
    r.reason += "; the indicators and strengths are those of the adult profile '" + profile +
                "', combined by the child rule";
  }
  return r;
}

DimensionResult evaluate_dimension(const DecisionRule& rule, const std::string& dimension,
                                   const std::vector<AnsweredIndicator>& indicators,
                                   bool decisive) {
  DimensionResult d;
  d.id = dimension;
  for (const auto& g : rule.groups)
    if (std::find(g.dimensions.begin(), g.dimensions.end(), dimension) != g.dimensions.end())
      d.group = g.id;
  // A decisive indicator (child instruments, rule v2) makes the dimension positive alone.
  const DimensionClause* decisive_clause =
      decisive && rule.decisive_clause ? &*rule.decisive_clause : nullptr;
  bool decisive_met = false, decisive_could = false;
  for (const auto& i : indicators) {
    if (i.answer == Answer::yes) ++d.met[index(i.strength)];
    if (could_be_met(i.answer)) ++d.unanswered[index(i.strength)];
    if (decisive_clause && i.decisive) {
      decisive_met = decisive_met || i.answer == Answer::yes;
      decisive_could = decisive_could || could_be_met(i.answer);
    }
    IndicatorRef ref;
    ref.id = i.id;
    ref.dimension = i.dimension;
    ref.strength = i.strength;
    ref.label = i.label;
    ref.answer = i.answer;
    ref.decisive = i.decisive;
    d.indicators.push_back(std::move(ref));
  }
  if (decisive_clause && decisive_met) {
    d.positive = true;
    d.clause = decisive_clause->id;
  } else if (const auto* c = first_holding(rule, d.met)) {
    d.positive = true;
    d.clause = c->id;
  }
  StrengthCounts optimistic{};
  for (int s = 0; s < 3; ++s) optimistic[s] = d.met[s] + d.unanswered[s];
  if (decisive_clause && (decisive_met || decisive_could)) {
    d.could_be_positive = true;
    d.could_clause = decisive_clause->id;
  }
  if (const auto* c = first_holding(rule, optimistic); c && !d.could_be_positive) {
    d.could_be_positive = true;
    d.could_clause = c->id;
  }
  if (!d.positive) d.shortfalls = shortfalls(rule, d.met);
  d.explanation = explain::dimension(d, rule);
  return d;
}

const CombinationClause& combine(const std::vector<CombinationClause>& clauses,
                                 const std::vector<std::pair<std::string, bool>>& groups) {
  for (const auto& c : clauses)
    if (eval(c.when, groups)) return c;
  // The loader requires the last clause to be "always"; reaching here is a bug.
  throw Error(ErrorCode::internal, "decision rule has no clause for this combination");
}

Result decide(const DecisionRule& rule, const EngineInput& input) {
  Result r;
  r.profile = input.profile;
  r.instrument_version = input.instrument_version;
  r.rule_version = rule.version;
  r.age = input.age;
  r.rules_applied = choose_combination(rule, input.age, input.population, input.profile);

  // Without a count from the caller, the questions are the instrument's indicators.
  r.questions = input.questions;
  r.questions_answered = input.questions_answered;
  if (r.questions <= 0) {
    r.questions = static_cast<int>(input.indicators.size());
    r.questions_answered = static_cast<int>(
        std::count_if(input.indicators.begin(), input.indicators.end(),
                      [](const AnsweredIndicator& i) { return answered(i.answer); }));
  }
  const bool child = r.rules_applied.combination == Combination::child;
  for (const auto& dim : input.dimensions) {
    std::vector<AnsweredIndicator> in_dim;
    for (const auto& i : input.indicators)
      if (i.dimension == dim) in_dim.push_back(i);
    r.dimensions.push_back(evaluate_dimension(rule, dim, in_dim, child));
  }

  // Explored: some question of the dimension was put (any answer but "not asked yet").
  for (const auto& d : r.dimensions) {
    bool asked = std::any_of(d.indicators.begin(), d.indicators.end(),
                             [](const IndicatorRef& i) { return i.answer != Answer::unknown; });
    if (!asked) r.unexplored_dimensions.push_back(d.id);
  }

  std::vector<std::pair<std::string, bool>> now, best;
  for (const auto& g : rule.groups) {
    GroupResult gr{g.id, g.title, false, false, {}};
    for (const auto& d : r.dimensions) {
      if (d.group != g.id) continue;
      if (d.positive) {
        gr.positive = true;
        gr.positive_dimensions.push_back(d.id);
      }
      gr.could_be_positive = gr.could_be_positive || d.could_be_positive;
    }
    now.emplace_back(g.id, gr.positive);
    best.emplace_back(g.id, gr.could_be_positive);
    r.groups.push_back(std::move(gr));
  }

  const auto& clauses = clauses_for(rule, r.rules_applied.combination);
  const auto& c_now = combine(clauses, now);
  const auto& c_best = combine(clauses, best);
  r.outcome = c_now.outcome;
  r.clause = c_now.id;
  r.clause_text = c_now.text;
  r.could_become = c_best.outcome;
  r.could_clause = c_best.id;
  r.could_clause_text = c_best.text;
  // Too little was answered to say "no indication" (rule v2): say so instead.
  const bool any_positive = std::any_of(r.dimensions.begin(), r.dimensions.end(),
                                        [](const DimensionResult& d) { return d.positive; });
  if (rule.insufficient_below > 0 && !any_positive &&
      static_cast<double>(r.questions_answered) < rule.insufficient_below * r.questions) {
    r.outcome = Outcome::insufficient_information;
    r.clause = "insufficient_information";
    r.clause_text = rule.insufficient_text;
  }

  if (rank(r.could_become) > rank(c_now.outcome)) {
    // Groups that are not positive but could be. A group is worth asking about when, for some
    // set of such groups turning positive, it is the one that raises the outcome.
    std::vector<size_t> flippable;
    for (size_t i = 0; i < r.groups.size(); ++i)
      if (!r.groups[i].positive && r.groups[i].could_be_positive) flippable.push_back(i);
    std::vector<bool> useful(r.groups.size(), false);
    const size_t n = flippable.size();
    auto outcome_with = [&](unsigned mask) {
      auto g = now;
      for (size_t k = 0; k < n; ++k)
        if (mask & (1u << k)) g[flippable[k]].second = true;
      return rank(combine(clauses, g).outcome);
    };
    for (unsigned mask = 1; mask < (1u << n); ++mask)
      for (size_t k = 0; k < n; ++k)
        if ((mask & (1u << k)) && outcome_with(mask) > outcome_with(mask & ~(1u << k)))
          useful[flippable[k]] = true;

    for (auto s : kStrengths) {
      for (const auto& d : r.dimensions) {
        if (d.positive || !d.could_be_positive) continue;
        auto g = std::find_if(r.groups.begin(), r.groups.end(),
                              [&](const GroupResult& x) { return x.id == d.group; });
        if (g == r.groups.end() || !useful[static_cast<size_t>(g - r.groups.begin())]) continue;
        for (const auto& i : d.indicators)
          if (could_be_met(i.answer) && i.strength == s) r.ask_next.push_back(i);
      }
    }
  }
  r.summary = explain::summary(r, rule);
  return r;
}

}  // namespace ctip::screen
