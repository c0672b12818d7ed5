// Rendering of a Result: JSON (the contract of `ctip screen evaluate --json` and of
// POST /screen/evaluate) and readable text.
#include <nlohmann/json.hpp>
#include <sstream>

#include "screen/screening.h"

namespace ctip::screen {

namespace {

Json counts_json(const StrengthCounts& c) {
  Json j = Json::object();
  for (auto s : kStrengths) j[std::string(to_string(s))] = c[static_cast<int>(s)];
  return j;
}

Json ref_json(const IndicatorRef& i, bool with_answer) {
  Json j = {{"id", i.id},
            {"dimension", i.dimension},
            {"strength", to_string(i.strength)},
            {"label", i.label}};
  if (!i.text.empty()) j["text"] = i.text;
  if (with_answer) j["answer"] = to_string(i.answer);
  if (i.decisive) j["decisive"] = true;
  return j;
}

Json ask_json(const IndicatorRef& i) {
  Json j = ref_json(i, false);
  j["reason"] = i.reason;
  j["safety"] = i.safety;
  j["first"] = i.first;
  return j;
}

Json nullable(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string outcome_words(Outcome o) {
  std::string s(to_string(o));
  for (auto& ch : s)
    if (ch == '_') ch = ' ';
  return s;
}

Json next_step(const Result& r) {
  // An all-"no" screener needs nothing more (issue #8 item 5): no contradiction with the action.
  if (r.screener && r.action == Action::no_further_action)
    return {{"action", "complete"},
            {"profile", r.profile},
            {"text",
             "Every screener question asked was answered no: no further action now. Screen again "
             "if new facts appear."}};
  if (r.screener) {
    std::string text = "Run the full " + r.profile + " interview";
    if (!r.unexplored_dimensions.empty()) {
      text += "; unexplored dimensions: ";
      for (size_t i = 0; i < r.unexplored_dimensions.size(); ++i)
        text += (i ? ", " : "") + r.unexplored_dimensions[i];
    }
    if (!r.screener->also_consider.empty()) {
      text += "; also consider: ";
      for (size_t i = 0; i < r.screener->also_consider.size(); ++i)
        text += (i ? ", " : "") + r.screener->also_consider[i];
    }
    return {{"action", "full_interview"},
            {"profile", r.profile},
            {"explore", r.unexplored_dimensions},
            {"also_consider", r.screener->also_consider},
            {"text", text + "."}};
  }
  if (!r.ask_next.empty())
    return {{"action", "ask_next"},
            {"profile", r.profile},
            {"text", "Ask the " + std::to_string(r.ask_next.size()) +
                         " unanswered indicator(s) listed in ask_next: the outcome could become " +
                         outcome_words(r.could_become) + "."}};
  return {{"action", "complete"},
          {"profile", r.profile},
          {"text", "No unanswered indicator can change the outcome."}};
}

}  // namespace

Json to_json(const Result& r) {
  Json dims = Json::array();
  for (const auto& d : r.dimensions) {
    Json met = Json::array(), indicators = Json::array(), shortfalls = Json::array();
    for (const auto& i : d.indicators) {
      indicators.push_back(ref_json(i, true));
      if (i.answer == Answer::yes) met.push_back(ref_json(i, false));
    }
    for (const auto& s : d.shortfalls) {
      Json needs = Json::array();
      for (const auto& t : s.needs) {
        Json of = Json::array();
        for (auto st : t.of) of.push_back(to_string(st));
        needs.push_back({{"of", of}, {"count", t.at_least}});
      }
      shortfalls.push_back({{"clause", s.clause}, {"needs", needs}});
    }
    dims.push_back(
        {{"id", d.id},
         {"group", d.group},
         {"title", d.title},
         {"positive", d.positive},
         {"could_be_positive", d.could_be_positive},
         {"status", d.positive ? "positive" : "not_positive"},
         {"clause", nullable(d.clause)},
         {"could_clause", nullable(d.could_clause)},
         {"counts", {{"met", counts_json(d.met)}, {"unanswered", counts_json(d.unanswered)}}},
         {"met_indicators", met},
         {"shortfalls", shortfalls},
         {"explanation", d.explanation},
         {"indicators", indicators}});
  }
  Json groups = Json::array();
  for (const auto& g : r.groups)
    groups.push_back({{"id", g.id},
                      {"title", g.title},
                      {"positive", g.positive},
                      {"could_be_positive", g.could_be_positive},
                      {"positive_dimensions", g.positive_dimensions}});
  Json ask = Json::array();
  for (const auto& i : r.ask_next) ask.push_back(ask_json(i));
  Json reasons = Json::array();
  for (const auto& a : r.action_reasons)
    reasons.push_back({{"kind", a.kind}, {"id", a.id}, {"text", a.text}});

  const auto& ra = r.rules_applied;
  Json j = {{"profile", r.profile},
            {"outcome", to_string(r.outcome)},
            {"could_become", to_string(r.could_become)},
            {"action", to_string(r.action)},
            {"action_reasons", reasons},
            {"action_rule_version", r.action_rule_version},
            {"referrals", r.referrals},
            {"questions", {{"total", r.questions}, {"answered", r.questions_answered}}},
            {"rules_applied",
             {{"rule_set", ra.rule_set},
              {"combination", to_string(ra.combination)},
              {"reason", ra.reason},
              {"age_clause", ra.age_clause},
              {"age", r.age.years ? Json(*r.age.years) : Json("unknown")},
              {"may_be_minor", r.age.may_be_minor},
              {"indicators_from", ra.indicators_from}}},
            {"dimensions", dims},
            {"groups", groups},
            {"ask_next", ask},
            {"unexplored_dimensions", r.unexplored_dimensions},
            {"next_step", next_step(r)},
            {"instrument_version", r.instrument_version},
            {"rule_version", r.rule_version},
            {"lang", r.lang},
            {"explanation",
             {{"combination", to_string(ra.combination)},
              {"clause", r.clause},
              {"text", r.clause_text},
              {"could_become_clause", r.could_clause},
              {"could_become_text", r.could_clause_text},
              {"summary", r.summary}}},
            {"note",
             "An indication for referral and protection, not a legal identification of a victim."}};
  if (r.screener) {
    Json answers = Json::object();
    for (const auto& [q, a] : r.screener->answers) answers[q] = to_string(a);
    j["screener"] = {{"id", r.screener->screener_id},
                     {"version", r.screener->screener_version},
                     {"answers", answers},
                     {"profile_routed", r.screener->profile_routed},
                     {"routing_reason", r.screener->routing_reason},
                     {"also_consider", r.screener->also_consider}};
  }
  return j;
}

std::string to_text(const Result& r) {
  std::ostringstream out;
  out << "Action:       " << to_string(r.action) << "\n";
  for (const auto& a : r.action_reasons) out << "  - " << a.text << "\n";
  if (!r.referrals.empty()) {
    out << "Referrals:   ";
    for (const auto& k : r.referrals) out << " " << k;
    out << "\n";
  }
  out << "Outcome:      " << outcome_words(r.outcome) << " (" << to_string(r.outcome) << ")\n";
  out << "Could become: " << outcome_words(r.could_become) << " (" << to_string(r.could_become)
      << ")\n";
  out << "Rules:        " << r.rule_version << ", " << to_string(r.rules_applied.combination)
      << " combination: " << r.rules_applied.reason << "\n";
  out << "Instrument:   " << r.instrument_version << "\n";
  if (r.screener) {
    out << "Screener:     " << r.screener->screener_id << "@" << r.screener->screener_version
        << "; profile " << r.profile << " (" << r.screener->routing_reason << ")\n";
  }
  out << "\nDimensions:\n";
  for (const auto& d : r.dimensions) {
    out << "  [" << (d.positive ? '+' : ' ') << "] " << d.group << "  " << d.id << ": "
        << d.explanation << "\n";
    for (const auto& i : d.indicators)
      if (i.answer == Answer::yes)
        out << "        met: " << i.id << " (" << to_string(i.strength) << ") " << i.label << "\n";
  }
  out << "\nCombination:  " << r.clause << ": " << r.clause_text << "\n";
  if (r.could_become != r.outcome)
    out << "Could become: " << r.could_clause << ": " << r.could_clause_text << "\n";
  if (!r.ask_next.empty()) {
    out << "\nAsk next (" << r.ask_next.size() << "):\n";
    for (const auto& i : r.ask_next) {
      if (!i.first) {
        out << "  ... and " << (&r.ask_next.back() - &i + 1) << " more (--json lists them)\n";
        break;
      }
      out << "  - " << (i.safety ? "[safety] " : "") << i.id << " (" << to_string(i.strength)
          << ", " << i.dimension << "): " << i.text << "\n    why: " << i.reason << "\n";
    }
  }
  if (!r.unexplored_dimensions.empty()) {
    out << "\nUnexplored dimensions:";
    for (const auto& d : r.unexplored_dimensions) out << " " << d;
    out << "\n";
  }
  out << "\nNext step: " << next_step(r)["text"].get<std::string>() << "\n";
  out << "\n" << r.summary << "\n";
  return out.str();
}

}  // namespace ctip::screen
