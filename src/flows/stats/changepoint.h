// Changepoints in a yearly count series (issue #9 item 3): the optimal segmentation of the
// series into stretches of constant Poisson rate under a penalised likelihood (the cost PELT
// minimises; Killick, Fearnhead & Eckley 2012), with the penalty scaled by the series'
// overdispersion. A series with too few records has no changepoint. See README.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flows/stats/shift.h"

namespace ctip::flows::stats {

struct YearlyCount {
  int year = 0;
  int64_t count = 0;
};

struct YearlySeries {
  std::string label;                // "Records of forced labour in Mexico"
  std::vector<YearlyCount> counts;  // years strictly increasing
};

struct ChangepointCriteria {
  int min_segment_years = 2;  // a one-year spike is not a change of level
  int64_t min_events = 11;    // fewer records in the whole series: no changepoint
  // Penalty per changepoint = penalty_factor * log(years) * dispersion (MBIC's 3 log n, Zhang &
  // Siegmund 2007, the default of R's changepoint package, scaled for overdispersion).
  double penalty_factor = 3.0;
};

struct Changepoint {
  int year = 0;            // the first year of the new level
  Period before;           // the segment before it
  Period after;            // the segment from it
  double mean_before = 0;  // records a year
  double mean_after = 0;
  std::string explanation;  // one sentence
};

struct Segmentation {
  std::vector<Changepoint> changepoints;  // in time order; empty when none or too few records
  double dispersion = 1;                  // the estimated variance / mean ratio (at least 1)
  double penalty = 0;                     // per changepoint, in units of -2 log likelihood
  bool too_few_records = false;
};

// Throws Error(invalid_argument, field "counts") when years are not strictly increasing or a
// count is negative, and names min_segment_years or penalty_factor when they are not positive.
Segmentation find_changepoints(const YearlySeries& series,
                               const ChangepointCriteria& criteria = {});

}  // namespace ctip::flows::stats
