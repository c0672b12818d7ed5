// Screening coverage for policy response 1 ("screen every smuggled migrant as a potential
// victim"): per month and encounter source, persons encountered vs persons screened, the six
// outcomes and the three actions (issue #8), and the share of own nationals among presumed
// victims (policy response 2: domestic victims are missed). A pure function over encounter rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_input.h"

namespace ctip::screen {

struct EncounterRow {
  std::string month;   // YYYY-MM
  std::string source;  // encounter source
  int64_t person_id = 0;
  std::optional<std::string> nationality;
  std::optional<std::string> outcome;  // of one screening in that encounter, if any
  // That screening's action (refer_now, ...), if known; a default, so that rows written as
  // {month, source, person, nationality, outcome} stay valid.
  std::optional<std::string> action = std::nullopt;
};

struct CoverageCell {
  std::string month;
  std::string source;
  int64_t encountered = 0;  // distinct persons encountered
  int64_t screened = 0;     // distinct persons screened
  // Persons by their most severe outcome (decision_rule.h kOutcomes), and by their most urgent
  // action; each set sums to `screened`.
  int64_t presumed_trafficking = 0, possible_trafficking = 0, coercion_only = 0,
          exploitation_only = 0, no_indication = 0, insufficient_information = 0;
  int64_t refer_now = 0, complete_interview = 0, no_further_action = 0;
  int64_t presumed = 0;               // persons presumed victims
  int64_t presumed_own_national = 0;  // of whom nationals of `country`
};

struct Coverage {
  std::string country;
  std::vector<CoverageCell> cells;  // ordered by month, then source
  CoverageCell totals;              // month and source empty
  int64_t suppressed_cells = 0;     // cells left out by suppress_small_cells
  bool totals_suppressed = false;   // the totals too were below the threshold
};

// Small-cell suppression for what the API shows (issue #8 item 8): a month x source cell of
// fewer than `k` persons encountered is left out (counted in suppressed_cells), and so are the
// totals when they cover fewer than `k` (set to zero, totals_suppressed). Five is the usual
// threshold of statistical offices for counts of persons (e.g. Eurostat, ONS "counts below 5
// are suppressed"); a screened victim must not be recognisable from a count of one.
inline constexpr int64_t kSmallCellThreshold = 5;
void suppress_small_cells(Coverage& coverage, int64_t k = kSmallCellThreshold);

Coverage compute_coverage(const std::vector<EncounterRow>& rows, const std::string& country);
// Validates the optional bounds of a coverage query (YYYY-MM, empty for none); throws invalid
// naming "from" or "to".
void check_months(const std::string& from_month, const std::string& to_month);
Json to_json(const Coverage& coverage);

}  // namespace ctip::screen
