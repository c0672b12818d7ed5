#include "screen/screening.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::screen {

namespace {

constexpr std::string_view kScreenerProfile = "screener";

std::string joined_profiles(const Catalogue& c) {
  std::string out;
  for (const auto& i : c.instruments) out += (out.empty() ? "" : ", ") + i.profile;
  return out;
}

std::string direction(std::string_view lang) { return lang == "ar" ? "rtl" : "ltr"; }

const DecisionRule& rule_for(const Catalogue& c, const std::string& version) {
  if (version.empty()) return c.rule();
  const auto* r = c.find_rule(version);
  if (!r) invalid("rule_version", "unknown rule_version " + quote(version));
  return *r;
}

// Fields shared by both kinds of input: lang and rule_version (optional), age, may_be_minor.
struct Common {
  std::string lang = "en";
  std::string rule_version;
  Age age;
};

Common parse_common(const JsonObject& o, const Catalogue& c) {
  Common out;
  if (o.has("lang")) {
    out.lang = o.string("lang");
    check_language(out.lang);
  }
  if (o.has("rule_version")) out.rule_version = o.string("rule_version");
  const auto& rule = rule_for(c, out.rule_version);
  const int max_age = rule.age.max_age;
  const std::string must = "age must be a whole number of years from 0 to " +
                           std::to_string(max_age) + ", or \"unknown\"";
  if (!o.has("age")) invalid("age", "missing field 'age': " + must);
  const Json& a = o.raw("age");
  if (a.is_string()) {
    if (a.get<std::string>() != "unknown")
      invalid("age", "age " + quote_value(a) + " is not valid: " + must);
  } else if (a.is_number_integer()) {
    // A parsed positive number is unsigned in nlohmann::json, one built in code is signed:
    // read both as signed.
    if (a.is_number_unsigned() ? a.get<uint64_t>() > static_cast<uint64_t>(max_age)
                               : a.get<int64_t>() > max_age)
      invalid("age", "age " + quote_value(a) + " is impossible: " + must);
    if (!a.is_number_unsigned() && a.get<int64_t>() < 0)
      invalid("age", "age " + quote_value(a) + " is negative: " + must);
    out.age.years = static_cast<int>(a.get<int64_t>());
  } else {
    // quote_value(), not dump(): the value is the caller's and may nest (issue #7).
    invalid("age", "age " + quote_value(a) + " is not valid: " + must);
  }
  if (o.has("may_be_minor")) {
    out.age.may_be_minor = o.boolean("may_be_minor");
  } else if (!out.age.years) {
    invalid("may_be_minor",
            "missing field 'may_be_minor': required when age is \"unknown\" (true when there are "
            "reasons to believe the person is under 18)");
  }
  return out;
}

Answer parse_answer_value(const Json& v, const std::string& field) {
  auto a = v.is_string() ? parse_answer(v.get<std::string>()) : std::nullopt;
  if (!a)
    invalid(field, field +
                       ": the answer must be \"yes\", \"no\", \"unknown\" (not asked yet), "
                       "\"dont_know\", \"declined\" or \"not_applicable\"");
  return *a;
}

const Instrument& instrument_or_throw(const Catalogue& c, std::string_view profile) {
  const auto* in = c.find_instrument(profile);
  if (!in)
    invalid("profile",
            "unknown profile " + quote(profile) + "; the profiles are: " + joined_profiles(c));
  return *in;
}

// The routing of the screener: the first rule for the person's population whose question (if
// any) was answered yes. Also returns the other profiles the answers point to.
std::pair<const RoutingRule*, std::vector<std::string>> route(
    const Screener& s, Population pop, const std::map<std::string, Answer, std::less<>>& answers) {
  const RoutingRule* chosen = nullptr;
  std::vector<std::string> also;
  for (const auto& r : s.routing) {
    if (r.population != pop) continue;
    bool applies = r.if_yes.empty();
    if (!applies) {
      auto it = answers.find(r.if_yes);
      applies = it != answers.end() && it->second == Answer::yes;
    }
    if (!applies) continue;
    if (!chosen) {
      chosen = &r;
    } else if (!r.if_yes.empty() && r.profile != chosen->profile &&
               std::find(also.begin(), also.end(), r.profile) == also.end()) {
      also.push_back(r.profile);
    }
  }
  return {chosen, also};
}

}  // namespace

void check_language(std::string_view lang, const std::string& field) {
  if (std::find(kLanguages.begin(), kLanguages.end(), lang) == kLanguages.end()) {
    std::string known;
    for (auto l : kLanguages) known += (known.empty() ? "" : ", ") + std::string(l);
    invalid(field, "unknown language " + quote(lang) + "; use one of " + known);
  }
}

EvaluationInput parse_evaluation_input(const Json& body, const Catalogue& c) {
  JsonObject o(body);
  o.only({"profile", "age", "may_be_minor", "answers", "lang", "rule_version"});
  const auto profile = o.string("profile");
  if (profile == kScreenerProfile) return parse_screener_input(body, c);
  const auto& in = instrument_or_throw(c, profile);
  auto common = parse_common(o, c);

  EvaluationInput out;
  out.profile = profile;
  out.age = common.age;
  out.lang = common.lang;
  out.rule_version = common.rule_version;
  for (const auto& [id, value] : o.object("answers").items()) {
    const std::string field = "answers." + id;
    if (!in.find(id)) {
      std::string owners;
      for (const auto& other : c.instruments)
        if (other.find(id)) owners += (owners.empty() ? "" : ", ") + other.profile;
      if (owners.empty())
        invalid(field, field + ": unknown indicator '" + id + "' (profile " + profile + ")");
      invalid(field,
              field + ": indicator '" + id + "' belongs to profile " + owners + ", not " + profile);
    }
    out.answers[id] = parse_answer_value(value, field);
  }
  // Refuse a child profile for an adult here, so the error names the field before evaluating.
  (void)choose_combination(rule_for(c, out.rule_version), out.age, in.population, profile);
  return out;
}

EvaluationInput parse_screener_input(const Json& body, const Catalogue& c) {
  JsonObject o(body);
  o.only({"profile", "age", "may_be_minor", "answers", "lang", "rule_version"});
  // The profile the caller chose; none when absent or "screener" (an empty optional built
  // directly: resetting one made GCC 12 warn of a maybe-uninitialized string).
  std::optional<std::string> given;
  if (auto named = o.optional_string("profile"); named && *named != kScreenerProfile)
    given = std::move(*named);
  if (given) (void)instrument_or_throw(c, *given);
  auto common = parse_common(o, c);
  const auto& rule = rule_for(c, common.rule_version);
  const auto& s = c.screener;

  std::map<std::string, Answer, std::less<>> by_question;
  for (const auto& [id, value] : o.object("answers").items()) {
    const std::string field = "answers." + id;
    if (!s.find(id)) {
      bool indicator = std::any_of(c.instruments.begin(), c.instruments.end(),
                                   [&](const Instrument& i) { return i.find(id) != nullptr; });
      invalid(field, field + ": unknown screener question '" + id + "'" +
                         (indicator ? " (an indicator id: screener answers use the question "
                                      "ids s_...; use a profile to answer indicators)"
                                    : ""));
    }
    by_question[id] = parse_answer_value(value, field);
  }

  auto applied = choose_combination(rule, common.age, Population::adult, "screener");
  const Population pop =
      applied.combination == Combination::child ? Population::child : Population::adult;
  auto [routed, also] = route(s, pop, by_question);
  if (!routed) throw Error(ErrorCode::internal, "screener routing has no fallback");

  EvaluationInput out;
  out.age = common.age;
  out.lang = common.lang;
  out.rule_version = common.rule_version;
  ScreenerProvenance p;
  p.screener_id = s.id;
  p.screener_version = s.version;
  if (given) {
    out.profile = *given;
    p.profile_routed = false;
    p.routing_reason = "profile given by the caller";
    if (routed->profile != *given) also.insert(also.begin(), routed->profile);
    std::erase(also, *given);
    (void)choose_combination(rule, out.age, c.find_instrument(*given)->population, *given);
  } else {
    out.profile = routed->profile;
    p.profile_routed = true;
    p.routing_reason = routed->reason;
  }
  p.also_consider = also;
  // Each answer marks the question's indicators in the profile with the same answer ("don't
  // know" and "declined" stay could-be-met; "unknown" marks nothing: not asked yet).
  for (const auto& q : s.questions) {
    auto it = by_question.find(q.id);
    if (it == by_question.end()) continue;
    p.answers.emplace_back(q.id, it->second);
    if (it->second == Answer::unknown) continue;
    auto marks = q.marks.find(out.profile);
    if (marks == q.marks.end()) continue;
    for (const auto& id : marks->second) out.answers[id] = it->second;
  }
  out.screener = std::move(p);
  return out;
}

Result evaluate(const EvaluationInput& input, const Catalogue& c) {
  const auto& rule = rule_for(c, input.rule_version);
  const auto& in = instrument_or_throw(c, input.profile);
  check_language(input.lang);
  for (const auto& [id, a] : input.answers)
    if (!in.find(id)) invalid("answers." + id, "unknown indicator '" + id + "' for " + in.profile);

  EngineInput e;
  e.profile = in.profile;
  e.instrument_version = in.versioned_id();
  e.population = in.population;
  e.age = input.age;
  for (auto d : kDimensions) e.dimensions.emplace_back(d);
  for (const auto& i : in.indicators) {
    auto it = input.answers.find(i.id);
    e.indicators.push_back({i.id, i.dimension, i.strength, i.label,
                            it == input.answers.end() ? Answer::unknown : it->second, i.decisive});
  }
  // The questions of the instrument used: the screener's, or the full interview's indicators.
  if (input.screener) {
    e.questions = static_cast<int>(c.screener.questions.size());
    for (const auto& [q, a] : input.screener->answers) e.questions_answered += answered(a) ? 1 : 0;
  } else {
    e.questions = static_cast<int>(in.indicators.size());
    for (const auto& [id, a] : input.answers) e.questions_answered += answered(a) ? 1 : 0;
  }
  Result r = decide(rule, e);
  r.lang = input.lang;
  r.screener = input.screener;
  auto question = [&](const std::string& id) { return text_in(in.find(id)->question, r.lang); };
  for (auto& d : r.dimensions) {
    if (const auto* info = c.find_dimension(d.id)) d.title = text_in(info->title, r.lang);
    for (auto& i : d.indicators) i.text = question(i.id);
  }
  recommend(c.actions(), rule, r);
  for (auto& i : r.ask_next) i.text = question(i.id);
  return r;
}

Json profiles_json(std::string_view lang, const Catalogue& c) {
  check_language(lang);
  Json profiles = Json::array();
  for (const auto& i : c.instruments) {
    profiles.push_back({{"id", i.profile},
                        {"title", text_in(i.title, lang)},
                        {"version", i.version},
                        {"instrument_version", i.versioned_id()},
                        {"population", to_string(i.population)},
                        {"exploitation", i.exploitation},
                        {"indicators", i.indicators.size()}});
  }
  Json langs = Json::array();
  for (auto l : kLanguages) langs.push_back(l);
  return {{"profiles", profiles},
          {"languages", langs},
          {"rule_version", c.rule().version},
          {"screener",
           {{"id", c.screener.id},
            {"version", c.screener.version},
            {"title", text_in(c.screener.title, lang)},
            {"questions", c.screener.questions.size()}}}};
}

namespace {

Json sources_json(const std::vector<Source>& sources) {
  Json out = Json::array();
  for (const auto& s : sources)
    out.push_back({{"id", s.id}, {"citation", s.citation}, {"used_for", s.used_for}});
  return out;
}

Json answers_json(const Catalogue& c, std::string_view lang) {
  Json out = Json::array();
  for (auto a : kAnswers) {
    const std::string id(to_string(a));
    out.push_back({{"id", id}, {"label", text_in(c.answer_labels.at(id), lang)}});
  }
  return out;
}

// A question's other wordings in `lang`, beside its default "text", for the client to choose from
// what it knows of the person (issue #8 items 3 and 9; question_in() chooses the same way):
// "text_feminine" only where the language has one.
void add_feminine(Json& question, const char* key, const Localized& feminine,
                  std::string_view lang) {
  if (auto it = feminine.find(lang); it != feminine.end()) question[key] = it->second;
}

std::string group_of(const DecisionRule& rule, std::string_view dimension) {
  for (const auto& g : rule.groups)
    if (std::find(g.dimensions.begin(), g.dimensions.end(), dimension) != g.dimensions.end())
      return g.id;
  return "";
}

}  // namespace

Json instrument_json(std::string_view profile, std::string_view lang, const Catalogue& c) {
  const auto& in = instrument_or_throw(c, profile);
  check_language(lang);
  Json dims = Json::array();
  for (const auto& d : c.dimensions) {
    Json indicators = Json::array();
    for (const auto& i : in.indicators) {
      if (i.dimension != d.id) continue;
      Json ij = {{"id", i.id},
                 {"strength", to_string(i.strength)},
                 {"strength_label",
                  text_in(c.strength_labels.at(std::string(to_string(i.strength))), lang)},
                 {"label", i.label},
                 {"text", text_in(i.question, lang)},
                 {"decisive", i.decisive}};
      add_feminine(ij, "text_feminine", i.question_feminine, lang);
      if (!i.note.empty()) ij["note"] = i.note;
      indicators.push_back(std::move(ij));
    }
    dims.push_back({{"id", d.id},
                    {"group", group_of(c.rule(), d.id)},
                    {"title", text_in(d.title, lang)},
                    {"description", text_in(d.description, lang)},
                    {"indicators", std::move(indicators)}});
  }
  return {{"id", in.profile},
          {"profile", in.profile},
          {"title", text_in(in.title, lang)},
          {"version", in.version},
          {"instrument_version", in.versioned_id()},
          {"rule_version", c.rule().version},
          {"lang", lang},
          {"dir", direction(lang)},
          {"population", to_string(in.population)},
          {"exploitation", in.exploitation},
          {"indicator_count", in.indicators.size()},
          {"answers", answers_json(c, lang)},
          {"sources", sources_json(in.sources)},
          {"notes", in.notes},
          {"dimensions", std::move(dims)}};
}

Json indicators_json(std::string_view profile, std::string_view lang, const Catalogue& c) {
  const auto& in = instrument_or_throw(c, profile);
  check_language(lang);
  Json out = Json::array();
  for (const auto& i : in.indicators) {
    Json ij = {{"id", i.id},
               {"dimension", i.dimension},
               {"strength", to_string(i.strength)},
               {"text", text_in(i.question, lang)},
               {"label", i.label},
               {"decisive", i.decisive}};
    add_feminine(ij, "text_feminine", i.question_feminine, lang);
    if (!i.note.empty()) ij["note"] = i.note;
    out.push_back(std::move(ij));
  }
  return out;
}

Json screener_json(std::string_view lang, const Catalogue& c) {
  check_language(lang);
  const auto& s = c.screener;
  Json questions = Json::array();
  for (const auto& q : s.questions) {
    Json marks = Json::object();
    for (const auto& [profile, ids] : q.marks) marks[profile] = ids;
    Json qj = {{"id", q.id},
               {"dimension", q.dimension},
               {"dimension_title", text_in(c.find_dimension(q.dimension)->title, lang)},
               {"text", text_in(q.text, lang)},
               {"text_child", text_in(q.text_child, lang)},
               {"marks", std::move(marks)}};
    add_feminine(qj, "text_feminine", q.text_feminine, lang);
    add_feminine(qj, "text_child_feminine", q.text_child_feminine, lang);
    if (!q.note.empty()) qj["note"] = q.note;
    questions.push_back(std::move(qj));
  }
  Json routing = Json::array();
  for (const auto& r : s.routing) {
    Json rj = {
        {"population", to_string(r.population)}, {"profile", r.profile}, {"reason", r.reason}};
    if (!r.if_yes.empty()) rj["if_yes"] = r.if_yes;
    routing.push_back(std::move(rj));
  }
  return {{"id", s.id},
          {"profile", std::string(kScreenerProfile)},
          {"version", s.version},
          {"title", text_in(s.title, lang)},
          {"intro", text_in(s.intro, lang)},
          {"lang", lang},
          {"dir", direction(lang)},
          {"answers", answers_json(c, lang)},
          {"sources", sources_json(s.sources)},
          {"notes", s.notes},
          {"questions", std::move(questions)},
          {"routing", std::move(routing)}};
}

}  // namespace ctip::screen
