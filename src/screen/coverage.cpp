#include "screen/coverage.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "screen/decision_rule.h"

namespace ctip::screen {
namespace {

// Severity order used when a person was screened more than once in one month and source: the
// most severe outcome counts, since that is the one that triggered protection.
int severity(const std::optional<std::string>& outcome) {
  if (!outcome) return 0;
  if (auto o = parse_outcome(*outcome)) return static_cast<int>(*o) + 1;
  return 0;
}

// Urgency order of actions (decision_rule.h Action): the most urgent action a person's
// screenings gave counts, as the most severe outcome does. 0: none known.
int urgency(const std::optional<std::string>& action) {
  if (!action) return 0;
  for (auto a : {Action::no_further_action, Action::complete_interview, Action::refer_now})
    if (*action == to_string(a)) return static_cast<int>(a) + 1;
  return 0;
}

struct PersonState {
  bool screened = false;
  std::optional<std::string> outcome;
  std::optional<std::string> action;
  bool own_national = false;
};

void tally(CoverageCell& cell, const std::map<int64_t, PersonState>& persons) {
  for (const auto& [id, p] : persons) {
    ++cell.encountered;
    if (!p.screened) continue;
    ++cell.screened;
    if (p.outcome == "presumed_trafficking") {
      ++cell.presumed_trafficking;
      ++cell.presumed;
      if (p.own_national) ++cell.presumed_own_national;
    } else if (p.outcome == "possible_trafficking") {
      ++cell.possible_trafficking;
    } else if (p.outcome == "coercion_only") {
      ++cell.coercion_only;
    } else if (p.outcome == "exploitation_only") {
      ++cell.exploitation_only;
    } else if (p.outcome == "no_indication") {
      ++cell.no_indication;
    } else if (p.outcome == "insufficient_information") {
      ++cell.insufficient_information;
    }
    if (p.action == "refer_now")
      ++cell.refer_now;
    else if (p.action == "complete_interview")
      ++cell.complete_interview;
    else if (p.action == "no_further_action")
      ++cell.no_further_action;
  }
}

void merge(std::map<int64_t, PersonState>& persons, const EncounterRow& r,
           const std::string& country) {
  auto& p = persons[r.person_id];
  p.own_national = !country.empty() && r.nationality && *r.nationality == country;
  if (r.outcome) {
    p.screened = true;
    if (severity(r.outcome) > severity(p.outcome)) p.outcome = r.outcome;
    if (urgency(r.action) > urgency(p.action)) p.action = r.action;
  }
}

Json cell_json(const CoverageCell& c, bool with_keys) {
  Json j;
  if (with_keys) {
    j["month"] = c.month;
    j["source"] = c.source;
  }
  j["encountered"] = c.encountered;
  j["screened"] = c.screened;
  j["outcomes"] = {{"presumed_trafficking", c.presumed_trafficking},
                   {"possible_trafficking", c.possible_trafficking},
                   {"coercion_only", c.coercion_only},
                   {"exploitation_only", c.exploitation_only},
                   {"no_indication", c.no_indication},
                   {"insufficient_information", c.insufficient_information}};
  j["actions"] = {{"refer_now", c.refer_now},
                  {"complete_interview", c.complete_interview},
                  {"no_further_action", c.no_further_action}};
  j["presumed"] = c.presumed;
  j["presumed_own_national"] = c.presumed_own_national;
  j["own_national_share"] =
      c.presumed > 0 ? Json(static_cast<double>(c.presumed_own_national) / c.presumed) : Json();
  return j;
}

bool is_month(const std::string& m) {
  return m.size() == 7 && m[4] == '-' && std::isdigit(static_cast<unsigned char>(m[0])) &&
         std::isdigit(static_cast<unsigned char>(m[5])) &&
         std::isdigit(static_cast<unsigned char>(m[6])) && m.substr(5) >= "01" &&
         m.substr(5) <= "12";
}

}  // namespace

Coverage compute_coverage(const std::vector<EncounterRow>& rows, const std::string& country) {
  std::map<std::pair<std::string, std::string>, std::map<int64_t, PersonState>> cells;
  std::map<int64_t, PersonState> all;
  for (const auto& r : rows) {
    merge(cells[{r.month, r.source}], r, country);
    merge(all, r, country);
  }
  Coverage out;
  out.country = country;
  for (const auto& [key, persons] : cells) {
    CoverageCell cell;
    cell.month = key.first;
    cell.source = key.second;
    tally(cell, persons);
    out.cells.push_back(cell);
  }
  tally(out.totals, all);
  return out;
}

void suppress_small_cells(Coverage& coverage, int64_t k) {
  auto small = [k](const CoverageCell& c) { return c.encountered < k; };
  auto before = coverage.cells.size();
  std::erase_if(coverage.cells, small);
  coverage.suppressed_cells += static_cast<int64_t>(before - coverage.cells.size());
  if (coverage.totals.encountered > 0 && small(coverage.totals)) {
    coverage.totals = CoverageCell{};
    coverage.totals_suppressed = true;
  }
}

void check_months(const std::string& from_month, const std::string& to_month) {
  if (!from_month.empty() && !is_month(from_month)) invalid("from", "'from' must be YYYY-MM");
  if (!to_month.empty() && !is_month(to_month)) invalid("to", "'to' must be YYYY-MM");
}

Json to_json(const Coverage& coverage) {
  Json months = Json::array();
  for (const auto& cell : coverage.cells) months.push_back(cell_json(cell, true));
  return {{"country", coverage.country.empty() ? Json() : Json(coverage.country)},
          {"months", months},
          {"totals", cell_json(coverage.totals, false)},
          {"suppressed_cells", coverage.suppressed_cells},
          {"totals_suppressed", coverage.totals_suppressed}};
}

}  // namespace ctip::screen
