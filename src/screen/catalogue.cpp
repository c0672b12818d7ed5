#include "screen/catalogue.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/json_input.h"
#include "screen/intake.h"

namespace ctip::screen {

namespace {

// The order profiles are listed in (adult before child, labour first); others follow by name.
constexpr std::array<std::string_view, 5> kProfileOrder = {
    "adult_labour", "adult_sexual", "child_labour", "child_sexual", "adult_criminality"};

// Indicator ids carry their dimension: dr_, cr_, rv_, ex_, cd_, vd_.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kDimensionPrefix = {{
    {"dr_", "deceptive_recruitment"},
    {"cr_", "coercive_recruitment"},
    {"rv_", "recruitment_abuse_of_vulnerability"},
    {"ex_", "exploitation"},
    {"cd_", "coercion_at_destination"},
    {"vd_", "abuse_of_vulnerability_at_destination"},
}};

bool is_dimension(std::string_view d) {
  return std::find(kDimensions.begin(), kDimensions.end(), d) != kDimensions.end();
}

std::string at(const std::string& array, size_t i) { return array + "[" + std::to_string(i) + "]"; }

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string nonempty_string(const JsonObject& o, std::string_view key) {
  auto s = o.string(key);
  if (blank(s)) invalid(o.field(key), "field '" + o.field(key) + "' must not be empty");
  return s;
}

void check_pattern(const std::string& value, const std::regex& re, const std::string& field,
                   const std::string& what) {
  if (!std::regex_match(value, re)) invalid(field, "field '" + field + "' must be " + what);
}

const std::regex kVersion{"^[0-9]+\\.[0-9]+\\.[0-9]+$"};
const std::regex kSnake{"^[a-z0-9_]+$"};

Localized localized(const Json& j, const std::string& field) {
  JsonObject o(j, field + ".");
  o.only({"en", "es", "fr", "ar"});
  Localized out;
  for (auto lang : kLanguages) out.emplace(std::string(lang), nonempty_string(o, lang));
  return out;
}

// A question's wording addressed to a woman or a girl: French and Arabic only (the languages
// whose second person or agreements mark the addressee's gender), each text present, not empty,
// and different from the default wording it replaces.
Localized feminine(const Json& j, const std::string& field, const Localized& default_wording) {
  JsonObject o(j, field + ".");
  o.only({"fr", "ar"});
  Localized out;
  for (std::string_view lang : {"fr", "ar"}) {
    if (!o.has(lang)) continue;
    auto text = nonempty_string(o, lang);
    if (text == default_wording.at(std::string(lang)))
      invalid(o.field(lang), "the feminine wording is the same as the default one");
    out.emplace(std::string(lang), std::move(text));
  }
  if (out.empty()) invalid(field, "a feminine wording in fr or ar");
  return out;
}

std::vector<Source> sources(const JsonObject& o) {
  std::vector<Source> out;
  const auto& arr = o.array("sources");
  if (arr.empty()) invalid(o.field("sources"), "at least one source must be cited");
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonObject s(arr[i], at(o.field("sources"), i) + ".");
    s.only({"id", "citation", "used_for"});
    out.push_back({s.string("id"), nonempty_string(s, "citation"), nonempty_string(s, "used_for")});
    check_pattern(out.back().id, kSnake, s.field("id"), "snake_case");
  }
  return out;
}

std::vector<std::string> notes(const JsonObject& o) {
  std::vector<std::string> out;
  if (!o.has("notes")) return out;
  const auto& arr = o.array("notes");
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string() || blank(arr[i].get<std::string>()))
      invalid(at(o.field("notes"), i), "notes must be non-empty strings");
    out.push_back(arr[i].get<std::string>());
  }
  return out;
}

std::string version(const JsonObject& o) {
  auto v = o.string("version");
  check_pattern(v, kVersion, o.field("version"), "a version such as 1.0.0");
  return v;
}

void expect_kind(const JsonObject& o, std::string_view kind) {
  if (o.string("kind") != kind) invalid("kind", "expected kind '" + std::string(kind) + "'");
}

// ---- dimensions.json

void load_dimensions(const Json& j, Catalogue& c) {
  JsonObject o(j);
  o.only({"$schema", "kind", "version", "sources", "dimensions", "answers", "strengths"});
  expect_kind(o, "dimensions");
  c.dimensions_version = version(o);
  (void)sources(o);
  const auto& dims = o.array("dimensions");
  for (size_t i = 0; i < dims.size(); ++i) {
    JsonObject d(dims[i], at("dimensions", i) + ".");
    d.only({"id", "title", "description"});
    DimensionInfo info{d.string("id"), localized(d.raw("title"), d.field("title")),
                       localized(d.raw("description"), d.field("description"))};
    if (!is_dimension(info.id)) invalid(d.field("id"), "unknown dimension '" + info.id + "'");
    if (c.find_dimension(info.id)) invalid(d.field("id"), "duplicate dimension '" + info.id + "'");
    c.dimensions.push_back(std::move(info));
  }
  if (c.dimensions.size() != kDimensions.size())
    invalid("dimensions", "all six dimensions must be described");
  // Keep the canonical order.
  std::sort(c.dimensions.begin(), c.dimensions.end(), [](const auto& a, const auto& b) {
    return std::find(kDimensions.begin(), kDimensions.end(), a.id) <
           std::find(kDimensions.begin(), kDimensions.end(), b.id);
  });
  JsonObject answers(o.object("answers"), "answers.");
  answers.only({"yes", "no", "unknown", "dont_know", "declined", "not_applicable"});
  for (auto a : kAnswers) {
    const std::string id(to_string(a));
    c.answer_labels.emplace(id, localized(answers.raw(id), answers.field(id)));
  }
  JsonObject strengths(o.object("strengths"), "strengths.");
  strengths.only({"strong", "medium", "weak"});
  for (auto s : {"strong", "medium", "weak"})
    c.strength_labels.emplace(s, localized(strengths.raw(s), strengths.field(s)));
}

// ---- <profile>.json

Instrument load_instrument(const Json& j) {
  JsonObject o(j);
  o.only({"$schema", "kind", "profile", "version", "population", "exploitation", "title", "sources",
          "notes", "indicators"});
  expect_kind(o, "instrument");
  Instrument in;
  in.profile = o.string("profile");
  check_pattern(in.profile, kSnake, "profile", "snake_case");
  in.version = version(o);
  auto pop = parse_population(o.string("population"));
  if (!pop) invalid("population", "population must be 'adult' or 'child'");
  in.population = *pop;
  in.exploitation = o.string("exploitation");
  if (in.exploitation != "labour" && in.exploitation != "sexual" &&
      in.exploitation != "criminality")
    invalid("exploitation", "exploitation must be labour, sexual or criminality");
  in.title = localized(o.raw("title"), "title");
  in.sources = sources(o);
  in.notes = notes(o);
  const auto& arr = o.array("indicators");
  std::set<std::string> ids;
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonObject d(arr[i], at("indicators", i) + ".");
    d.only({"id", "dimension", "strength", "label", "question", "question_feminine", "note",
            "decisive"});
    Indicator ind;
    ind.id = d.string("id");
    check_pattern(ind.id, kSnake, d.field("id"), "snake_case");
    ind.dimension = d.string("dimension");
    if (!is_dimension(ind.dimension))
      invalid(d.field("dimension"), "unknown dimension '" + ind.dimension + "'");
    for (const auto& [prefix, dim] : kDimensionPrefix)
      if (ind.id.starts_with(prefix) && dim != ind.dimension)
        invalid(d.field("id"), "indicator '" + ind.id + "' has the prefix of " + std::string(dim) +
                                   " but is in " + ind.dimension);
    auto s = parse_strength(d.string("strength"));
    if (!s) invalid(d.field("strength"), "strength must be strong, medium or weak");
    ind.strength = *s;
    ind.label = nonempty_string(d, "label");
    ind.question = localized(d.raw("question"), d.field("question"));
    if (d.has("question_feminine"))
      ind.question_feminine =
          feminine(d.raw("question_feminine"), d.field("question_feminine"), ind.question);
    if (d.has("note")) ind.note = nonempty_string(d, "note");
    if (d.has("decisive")) ind.decisive = d.boolean("decisive");
    if (ind.decisive && in.population != Population::child)
      invalid(d.field("decisive"), "only a child instrument marks indicators decisive");
    if (ind.decisive && ind.note.empty())
      invalid(d.field("note"), "a decisive indicator needs a note citing its legal source");
    if (!ids.insert(ind.id).second)
      invalid(d.field("id"), "duplicate indicator id '" + ind.id + "'");
    in.indicators.push_back(std::move(ind));
  }
  for (auto dim : kDimensions) {
    bool present = std::any_of(in.indicators.begin(), in.indicators.end(),
                               [&](const Indicator& i) { return i.dimension == dim; });
    if (!present) invalid("indicators", "dimension '" + std::string(dim) + "' has no indicator");
  }
  return in;
}

// ---- rules/<version>.json

Condition condition(const Json& j, const std::string& field, const std::set<std::string>& groups) {
  Condition c;
  if (j.is_string()) {
    c.kind = Condition::Kind::group;
    c.group = j.get<std::string>();
    if (!groups.count(c.group)) invalid(field, "unknown group '" + c.group + "'");
    return c;
  }
  JsonObject o(j, field + ".");
  auto terms = [&](std::string_view key) {
    const auto& arr = o.array(key);
    if (arr.empty()) invalid(o.field(key), "needs at least one condition");
    for (size_t i = 0; i < arr.size(); ++i)
      c.terms.push_back(condition(arr[i], at(o.field(key), i), groups));
  };
  if (o.has("all")) {
    o.only({"all"});
    c.kind = Condition::Kind::all;
    terms("all");
  } else if (o.has("any")) {
    o.only({"any"});
    c.kind = Condition::Kind::any;
    terms("any");
  } else if (o.has("at_least")) {
    o.only({"at_least", "of"});
    c.kind = Condition::Kind::at_least;
    c.count = static_cast<int>(o.integer("at_least"));
    terms("of");
    if (c.count < 1 || c.count > static_cast<int>(c.terms.size()))
      invalid(o.field("at_least"), "at_least must be between 1 and the number of conditions");
  } else if (o.has("always")) {
    o.only({"always"});
    if (!o.boolean("always")) invalid(o.field("always"), "always must be true");
    c.kind = Condition::Kind::always;
  } else {
    invalid(field, "a condition is a group id or one of all, any, at_least/of, always");
  }
  return c;
}

std::vector<CombinationClause> combination(const JsonObject& o, std::string_view key,
                                           const std::set<std::string>& groups) {
  std::vector<CombinationClause> out;
  const auto& arr = o.array(key);
  if (arr.empty()) invalid(o.field(key), "needs at least one clause");
  std::set<std::string> ids;
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonObject c(arr[i], at(o.field(key), i) + ".");
    c.only({"id", "when", "outcome", "text"});
    CombinationClause cc;
    cc.id = c.string("id");
    check_pattern(cc.id, kSnake, c.field("id"), "snake_case");
    if (!ids.insert(cc.id).second) invalid(c.field("id"), "duplicate clause '" + cc.id + "'");
    cc.when = condition(c.raw("when"), c.field("when"), groups);
    auto out_id = parse_outcome(c.string("outcome"));
    if (!out_id) invalid(c.field("outcome"), "unknown outcome");
    cc.outcome = *out_id;
    cc.text = nonempty_string(c, "text");
    out.push_back(std::move(cc));
  }
  // The list must decide every case: its last clause holds always.
  if (out.back().when.kind != Condition::Kind::always)
    invalid(at(o.field(key), arr.size() - 1) + ".when",
            "the last clause must be {\"always\":true}");
  return out;
}

DecisionRule load_rule(const Json& j, bool& current) {
  JsonObject o(j);
  o.only({"$schema", "kind", "version", "current", "title", "sources", "notes", "dimension_rule",
          "groups", "outcomes", "combinations", "age", "insufficient_information"});
  expect_kind(o, "decision_rule");
  DecisionRule r;
  r.version = o.string("version");
  check_pattern(r.version, std::regex("^[a-z0-9]+-v[0-9]+$"), "version", "like ilo2009-v1");
  current = o.boolean("current");
  (void)nonempty_string(o, "title");
  (void)sources(o);
  (void)notes(o);

  JsonObject dr(o.object("dimension_rule"), "dimension_rule.");
  dr.only({"description", "clauses", "decisive"});
  if (dr.has("decisive")) {
    JsonObject dc(dr.object("decisive"), dr.field("decisive") + ".");
    dc.only({"id", "text"});
    DimensionClause clause;
    clause.id = dc.string("id");
    check_pattern(clause.id, kSnake, dc.field("id"), "snake_case");
    clause.text = nonempty_string(dc, "text");
    r.decisive_clause = std::move(clause);
  }
  const auto& clauses = dr.array("clauses");
  if (clauses.empty()) invalid(dr.field("clauses"), "needs at least one clause");
  for (size_t i = 0; i < clauses.size(); ++i) {
    JsonObject c(clauses[i], at(dr.field("clauses"), i) + ".");
    c.only({"id", "requires", "text"});
    DimensionClause dc;
    dc.id = c.string("id");
    check_pattern(dc.id, kSnake, c.field("id"), "snake_case");
    dc.text = nonempty_string(c, "text");
    const auto& terms = c.array("requires");
    if (terms.empty()) invalid(c.field("requires"), "needs at least one term");
    std::set<Strength> seen;
    bool beyond_weak = false;
    for (size_t k = 0; k < terms.size(); ++k) {
      JsonObject t(terms[k], at(c.field("requires"), k) + ".");
      t.only({"of", "at_least"});
      StrengthTerm term;
      term.at_least = static_cast<int>(t.integer("at_least"));
      if (term.at_least < 1) invalid(t.field("at_least"), "at_least must be at least 1");
      const auto& of = t.array("of");
      if (of.empty()) invalid(t.field("of"), "needs at least one strength");
      for (size_t m = 0; m < of.size(); ++m) {
        auto s = of[m].is_string() ? parse_strength(of[m].get<std::string>()) : std::nullopt;
        if (!s) invalid(at(t.field("of"), m), "strength must be strong, medium or weak");
        // Terms of a clause count disjoint strengths, so one indicator never counts twice.
        if (!seen.insert(*s).second)
          invalid(at(t.field("of"), m), "a strength appears in two terms of one clause");
        term.of.push_back(*s);
      }
      if (std::find(term.of.begin(), term.of.end(), Strength::weak) == term.of.end())
        beyond_weak = true;
      dc.terms.push_back(std::move(term));
    }
    // "Weak indicators alone never make a dimension positive": every clause needs a term that
    // weak indicators cannot fill.
    if (!beyond_weak)
      invalid(c.field("requires"), "weak indicators alone would satisfy clause '" + dc.id + "'");
    r.dimension_clauses.push_back(std::move(dc));
  }

  const auto& groups = o.array("groups");
  std::set<std::string> group_ids, grouped;
  if (groups.empty() || groups.size() > 8) invalid("groups", "needs 1 to 8 groups");
  for (size_t i = 0; i < groups.size(); ++i) {
    JsonObject g(groups[i], at("groups", i) + ".");
    g.only({"id", "title", "dimensions"});
    Group gr{g.string("id"), nonempty_string(g, "title"), {}};
    if (!group_ids.insert(gr.id).second) invalid(g.field("id"), "duplicate group '" + gr.id + "'");
    const auto& dims = g.array("dimensions");
    for (size_t k = 0; k < dims.size(); ++k) {
      auto d = dims[k].is_string() ? dims[k].get<std::string>() : std::string();
      if (!is_dimension(d)) invalid(at(g.field("dimensions"), k), "unknown dimension");
      if (!grouped.insert(d).second)
        invalid(at(g.field("dimensions"), k), "dimension '" + d + "' is in two groups");
      gr.dimensions.push_back(d);
    }
    r.groups.push_back(std::move(gr));
  }
  if (grouped.size() != kDimensions.size())
    invalid("groups", "every dimension must belong to a group");

  // The outcomes the rule gives, least serious first: a subsequence of kOutcomes that has at
  // least no_indication, exploitation_only, possible and presumed trafficking (rule v1).
  const auto& outcomes = o.array("outcomes");
  int last = -1;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    JsonObject oc(outcomes[i], at("outcomes", i) + ".");
    oc.only({"id", "text"});
    auto id = parse_outcome(oc.string("id"));
    if (!id || static_cast<int>(*id) <= last)
      invalid(oc.field("id"),
              "outcomes must be listed least serious first: insufficient_information, "
              "no_indication, exploitation_only, coercion_only, possible_trafficking, "
              "presumed_trafficking");
    last = static_cast<int>(*id);
    r.outcome_texts[static_cast<size_t>(*id)] = nonempty_string(oc, "text");
  }
  for (auto needed : {Outcome::no_indication, Outcome::exploitation_only,
                      Outcome::possible_trafficking, Outcome::presumed_trafficking})
    if (r.outcome_texts[static_cast<size_t>(needed)].empty())
      invalid("outcomes", "outcome '" + std::string(to_string(needed)) + "' is missing");

  JsonObject comb(o.object("combinations"), "combinations.");
  comb.only({"adult", "child"});
  r.adult = combination(comb, "adult", group_ids);
  r.child = combination(comb, "child", group_ids);
  for (const auto* list : {&r.adult, &r.child})
    for (const auto& cc : *list)
      if (r.outcome_texts[static_cast<size_t>(cc.outcome)].empty() ||
          cc.outcome == Outcome::insufficient_information)
        invalid("combinations", "clause '" + cc.id + "' gives outcome '" +
                                    std::string(to_string(cc.outcome)) +
                                    "', which is not a combination outcome of this rule");
  if (o.has("insufficient_information")) {
    JsonObject ii(o.object("insufficient_information"), "insufficient_information.");
    ii.only({"answered_share_below", "text"});
    const Json& share = ii.raw("answered_share_below");
    if (!share.is_number() || share.get<double>() <= 0 || share.get<double>() > 1)
      invalid(ii.field("answered_share_below"), "must be a number in (0, 1]");
    r.insufficient_below = share.get<double>();
    r.insufficient_text = nonempty_string(ii, "text");
    if (r.outcome_texts[static_cast<size_t>(Outcome::insufficient_information)].empty())
      invalid("outcomes", "insufficient_information must be listed when the rule gives it");
  }

  JsonObject age(o.object("age"), "age.");
  age.only({"minor_below", "max_age", "child_basis", "presumption_basis"});
  r.age.minor_below = static_cast<int>(age.integer("minor_below"));
  r.age.max_age = static_cast<int>(age.integer("max_age"));
  if (r.age.minor_below < 1 || r.age.max_age <= r.age.minor_below)
    invalid("age", "need 1 <= minor_below < max_age");
  r.age.child_basis = nonempty_string(age, "child_basis");
  r.age.presumption_basis = nonempty_string(age, "presumption_basis");
  return r;
}

// ---- rules/actions-v<N>.json

std::vector<std::string> strings(const JsonObject& o, std::string_view key) {
  std::vector<std::string> out;
  const auto& arr = o.array(key);
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string() || blank(arr[i].get<std::string>()))
      invalid(at(o.field(key), i), "must be a non-empty string");
    out.push_back(arr[i].get<std::string>());
  }
  return out;
}

ActionRule load_action_rule(const Json& j, bool& current) {
  JsonObject o(j);
  o.only({"$schema", "kind", "version", "current", "title", "sources", "notes", "refer_now",
          "safety_indicators", "ask_next_first", "referrals", "texts"});
  expect_kind(o, "action_rule");
  ActionRule a;
  a.version = o.string("version");
  check_pattern(a.version, std::regex("^actions-v[0-9]+$"), "version", "like actions-v1");
  current = o.boolean("current");
  (void)nonempty_string(o, "title");
  (void)sources(o);
  (void)notes(o);
  JsonObject refer(o.object("refer_now"), "refer_now.");
  refer.only({"outcomes", "adult_strong_in", "child_any_in"});
  for (const auto& id : strings(refer, "outcomes")) {
    auto out = parse_outcome(id);
    if (!out) invalid(refer.field("outcomes"), "unknown outcome '" + id + "'");
    a.refer_outcomes.push_back(*out);
  }
  for (const auto* key : {"adult_strong_in", "child_any_in"}) {
    auto dims = strings(refer, key);
    for (const auto& d : dims)
      if (!is_dimension(d)) invalid(refer.field(key), "unknown dimension '" + d + "'");
    (std::string_view(key) == "adult_strong_in" ? a.adult_strong_in : a.child_any_in) = dims;
  }
  a.safety_indicators = strings(o, "safety_indicators");
  a.ask_next_first = static_cast<int>(o.integer("ask_next_first"));
  if (a.ask_next_first < 1 || a.ask_next_first > 20)
    invalid("ask_next_first", "ask_next_first must be 1 to 20");
  JsonObject refs(o.object("referrals"), "referrals.");
  refs.only({"child", "refer_now", "exploitation_only"});
  for (const auto* key : {"child", "refer_now", "exploitation_only"}) {
    auto kinds = strings(refs, key);
    for (const auto& k : kinds)
      if (std::find(kReferralKinds.begin(), kReferralKinds.end(), k) == kReferralKinds.end())
        invalid(refs.field(key), "unknown referral kind '" + k + "'");
    a.referrals[key] = kinds;
  }
  // A work permit is for adults: the child set must not contain it (issue #8 item 3).
  for (const auto& k : a.referrals["child"])
    if (k == "residence_work_permit")
      invalid(refs.field("child"), "a child is not referred for a work permit");
  JsonObject texts(o.object("texts"), "texts.");
  for (const auto& [key, value] : o.object("texts").items())
    if (std::find(kActionTexts.begin(), kActionTexts.end(), key) == kActionTexts.end())
      invalid(texts.field(key), "unknown text '" + key + "'");
  for (auto key : kActionTexts) a.texts.emplace(std::string(key), nonempty_string(texts, key));
  return a;
}

// The indicators an action rule names exist in some instrument.
void check_action_rule(const Catalogue& c, const ActionRule& a, size_t index) {
  for (size_t i = 0; i < a.safety_indicators.size(); ++i) {
    const auto& id = a.safety_indicators[i];
    bool known = std::any_of(c.instruments.begin(), c.instruments.end(),
                             [&](const Instrument& in) { return in.find(id) != nullptr; });
    if (!known)
      invalid(at("safety_indicators", i), "action rule " + a.version + " (" +
                                              std::to_string(index) +
                                              ") names unknown indicator '" + id + "'");
  }
}

// ---- screener.json

Screener load_screener(const Json& j) {
  JsonObject o(j);
  o.only({"$schema", "kind", "id", "version", "title", "intro", "sources", "notes", "questions",
          "routing"});
  expect_kind(o, "screener");
  Screener s;
  s.id = o.string("id");
  check_pattern(s.id, kSnake, "id", "snake_case");
  s.version = version(o);
  s.title = localized(o.raw("title"), "title");
  s.intro = localized(o.raw("intro"), "intro");
  s.sources = sources(o);
  s.notes = notes(o);
  const auto& qs = o.array("questions");
  if (qs.empty() || qs.size() > kMaxScreenerQuestions)
    invalid("questions",
            "the screener has 1 to " + std::to_string(kMaxScreenerQuestions) + " questions");
  for (size_t i = 0; i < qs.size(); ++i) {
    JsonObject q(qs[i], at("questions", i) + ".");
    q.only({"id", "dimension", "text", "text_feminine", "text_child", "text_child_feminine",
            "marks", "note"});
    ScreenerQuestion sq;
    sq.id = q.string("id");
    check_pattern(sq.id, std::regex("^s_[a-z0-9_]+$"), q.field("id"), "s_ and snake_case");
    if (s.find(sq.id)) invalid(q.field("id"), "duplicate question '" + sq.id + "'");
    sq.dimension = q.string("dimension");
    if (!is_dimension(sq.dimension)) invalid(q.field("dimension"), "unknown dimension");
    sq.text = localized(q.raw("text"), q.field("text"));
    // Every question has a child wording (issue #8 item 3): the screener comes before the
    // routing, and a child is asked it whatever profile follows.
    sq.text_child = localized(q.raw("text_child"), q.field("text_child"));
    if (q.has("text_feminine"))
      sq.text_feminine = feminine(q.raw("text_feminine"), q.field("text_feminine"), sq.text);
    if (q.has("text_child_feminine"))
      sq.text_child_feminine =
          feminine(q.raw("text_child_feminine"), q.field("text_child_feminine"), sq.text_child);
    if (q.has("note")) sq.note = nonempty_string(q, "note");
    for (const auto& [profile, ids] : q.object("marks").items()) {
      std::string f = q.field("marks") + "." + profile;
      if (!ids.is_array()) invalid(f, "must be an array of indicator ids");
      auto& list = sq.marks[profile];
      for (size_t k = 0; k < ids.size(); ++k) {
        if (!ids[k].is_string()) invalid(at(f, k), "must be an indicator id");
        list.push_back(ids[k].get<std::string>());
      }
    }
    s.questions.push_back(std::move(sq));
  }
  const auto& routing = o.array("routing");
  for (size_t i = 0; i < routing.size(); ++i) {
    JsonObject r(routing[i], at("routing", i) + ".");
    r.only({"population", "if_yes", "profile", "reason"});
    RoutingRule rr;
    auto pop = parse_population(r.string("population"));
    if (!pop) invalid(r.field("population"), "population must be 'adult' or 'child'");
    rr.population = *pop;
    rr.if_yes = r.optional_string("if_yes").value_or("");
    if (!rr.if_yes.empty() && !s.find(rr.if_yes))
      invalid(r.field("if_yes"), "unknown question '" + rr.if_yes + "'");
    rr.profile = r.string("profile");
    rr.reason = nonempty_string(r, "reason");
    s.routing.push_back(std::move(rr));
  }
  return s;
}

// Cross-file checks of the screener against the instruments.
void check_screener(const Catalogue& c) {
  const auto& s = c.screener;
  for (size_t i = 0; i < s.questions.size(); ++i) {
    const auto& q = s.questions[i];
    std::string f = at("questions", i) + ".marks";
    for (const auto& in : c.instruments)
      if (!q.marks.count(in.profile))
        invalid(f, "question '" + q.id + "' does not say what it marks in '" + in.profile + "'");
    for (const auto& [profile, ids] : q.marks) {
      const auto* in = c.find_instrument(profile);
      if (!in) invalid(f + "." + profile, "unknown profile '" + profile + "'");
      std::set<std::string> dims;
      for (const auto& id : ids) {
        const auto* ind = in->find(id);
        if (!ind) invalid(f + "." + profile, "'" + id + "' is not an indicator of " + profile);
        // One answer never counts twice within a dimension.
        if (!dims.insert(ind->dimension).second)
          invalid(f + "." + profile, "marks two indicators of " + ind->dimension);
        for (size_t k = 0; k < i; ++k) {
          auto it = s.questions[k].marks.find(profile);
          if (it != s.questions[k].marks.end() &&
              std::find(it->second.begin(), it->second.end(), id) != it->second.end())
            invalid(f + "." + profile, "'" + id + "' is also marked by " + s.questions[k].id);
        }
      }
    }
  }
  for (auto pop : {Population::adult, Population::child}) {
    bool fallback = false;
    for (size_t i = 0; i < s.routing.size(); ++i) {
      const auto& r = s.routing[i];
      const auto* in = c.find_instrument(r.profile);
      if (!in) invalid(at("routing", i) + ".profile", "unknown profile '" + r.profile + "'");
      if (in->population != r.population)
        invalid(at("routing", i) + ".profile", "profile '" + r.profile + "' is not for " +
                                                   std::string(to_string(r.population)) + "s");
      if (r.population == pop && r.if_yes.empty()) fallback = true;
    }
    if (!fallback)
      invalid("routing",
              "no fallback rule (without if_yes) for " + std::string(to_string(pop)) + "s");
  }
}

void load_file(const embedded::File& f, Catalogue& c, std::vector<bool>& current_flags,
               std::vector<bool>& current_actions, bool& have_dimensions, bool& have_screener) {
  const std::string path(f.path);
  if (path.find("/schema/") != std::string::npos) {
    c.schema_paths.push_back(path);
    return;
  }
  Json j = parse_json(f.contents, path);
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string())
    invalid("kind", "missing field 'kind'");
  const auto kind = j["kind"].get<std::string>();
  if (kind == "terminology") return;  // checked by the terminology test, not by the engine
  if (kind == "action_rule") {
    bool current = false;
    auto a = load_action_rule(j, current);
    for (const auto& other : c.action_rules)
      if (other.version == a.version)
        invalid("version", "duplicate action rule version '" + a.version + "'");
    c.action_rules.push_back(std::move(a));
    current_actions.push_back(current);
  } else if (path.find("/rules/") != std::string::npos || kind == "decision_rule") {
    bool current = false;
    auto r = load_rule(j, current);
    if (c.find_rule(r.version)) invalid("version", "duplicate rule version '" + r.version + "'");
    c.rules.push_back(std::move(r));
    current_flags.push_back(current);
  } else if (kind == "dimensions") {
    if (have_dimensions) invalid("kind", "a second dimensions file");
    load_dimensions(j, c);
    have_dimensions = true;
  } else if (kind == "screener") {
    if (have_screener) invalid("kind", "a second screener");
    c.screener = load_screener(j);
    have_screener = true;
  } else if (kind == "instrument") {
    auto in = load_instrument(j);
    in.path = path;
    if (c.find_instrument(in.profile))
      invalid("profile", "a second instrument for profile '" + in.profile + "'");
    c.instruments.push_back(std::move(in));
  } else {
    invalid("kind", "unknown kind '" + kind + "'");
  }
}

}  // namespace

const Indicator* Instrument::find(std::string_view id) const {
  for (const auto& i : indicators)
    if (i.id == id) return &i;
  return nullptr;
}

const ScreenerQuestion* Screener::find(std::string_view id) const {
  for (const auto& q : questions)
    if (q.id == id) return &q;
  return nullptr;
}

const Instrument* Catalogue::find_instrument(std::string_view profile) const {
  for (const auto& i : instruments)
    if (i.profile == profile) return &i;
  return nullptr;
}

const DecisionRule* Catalogue::find_rule(std::string_view version) const {
  for (const auto& r : rules)
    if (r.version == version) return &r;
  return nullptr;
}

const DimensionInfo* Catalogue::find_dimension(std::string_view id) const {
  for (const auto& d : dimensions)
    if (d.id == id) return &d;
  return nullptr;
}

const std::string& text_in(const Localized& texts, std::string_view lang) {
  auto it = texts.find(lang);
  if (it != texts.end()) return it->second;
  return texts.at("en");
}

namespace {
// The feminine wording in `lang` when it exists, else the default wording.
const std::string& gendered(const Localized& wording, const Localized& feminine,
                            std::string_view lang, bool female) {
  if (female)
    if (auto it = feminine.find(lang); it != feminine.end()) return it->second;
  return text_in(wording, lang);
}
}  // namespace

const std::string& question_in(const Indicator& indicator, std::string_view lang, Addressee to) {
  return gendered(indicator.question, indicator.question_feminine, lang, to.female);
}

const std::string& question_in(const ScreenerQuestion& question, std::string_view lang,
                               Addressee to) {
  if (to.child) return gendered(question.text_child, question.text_child_feminine, lang, to.female);
  return gendered(question.text, question.text_feminine, lang, to.female);
}

Catalogue Catalogue::load(const std::vector<embedded::File>& files) {
  Catalogue c;
  std::vector<bool> current_flags, current_actions;
  bool have_dimensions = false, have_screener = false;
  std::string where;
  try {
    for (const auto& f : files) {
      where = std::string(f.path);
      load_file(f, c, current_flags, current_actions, have_dimensions, have_screener);
    }
    where = "data/instruments";
    if (!have_dimensions) invalid("dimensions", "no dimensions file");
    if (!have_screener) invalid("screener", "no screener");
    if (c.instruments.empty()) invalid("instruments", "no instrument");
    if (std::count(current_flags.begin(), current_flags.end(), true) != 1)
      invalid("rules", "exactly one decision rule must be current");
    c.current_rule = static_cast<size_t>(
        std::find(current_flags.begin(), current_flags.end(), true) - current_flags.begin());
    if (std::count(current_actions.begin(), current_actions.end(), true) != 1)
      invalid("rules", "exactly one action rule must be current");
    c.current_action_rule = static_cast<size_t>(
        std::find(current_actions.begin(), current_actions.end(), true) - current_actions.begin());
    std::sort(c.instruments.begin(), c.instruments.end(), [](const auto& a, const auto& b) {
      auto ra = std::find(kProfileOrder.begin(), kProfileOrder.end(), a.profile);
      auto rb = std::find(kProfileOrder.begin(), kProfileOrder.end(), b.profile);
      return ra != rb ? ra < rb : a.profile < b.profile;
    });
    where = "data/instruments/rules (action rule)";
    for (size_t i = 0; i < c.action_rules.size(); ++i) check_action_rule(c, c.action_rules[i], i);
    where = "data/instruments/screener.json";
    check_screener(c);
  } catch (const Error& e) {
    throw Error(ErrorCode::internal,
                "screening data " + where + ": " + e.what() +
                    (e.field().empty() ? "" : " (field '" + e.field() + "')"),
                e.field());
  }
  return c;
}

const Catalogue& Catalogue::builtin() {
  static const Catalogue c = load(embedded::instruments());
  return c;
}

}  // namespace ctip::screen
