// Shift detection between a baseline and a comparison period (issue #9 item 3): for each
// series of counts, a test of whether the change is real, the effect with its 95% confidence
// interval, Benjamini–Hochberg q-values across every series tested, and a one-sentence
// explanation. Series with too few records are not tested and never flagged. Pure functions
// over plain counts; see README.md for the methods and thresholds.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "flows/stats/significance.h"

namespace ctip::flows::stats {

// An inclusive range of years, e.g. {2017, 2019}.
struct Period {
  int first_year = 0;
  int last_year = 0;
};

enum class Measure {
  rate,   // a count of records over an exposure (years in the period, or all records)
  share,  // records with a property among the records where it is known
};

// One series' counts in the two periods. For a rate, `*_total` is the exposure (e.g. the
// number of years, or every record of the period); for a share, the records the share is
// taken of (e.g. the domestic share: domestic cases among cases with both countries known).
struct SeriesCounts {
  std::string label;  // starts the explanation: "Domestic share in Ukraine"
  Measure measure = Measure::share;
  int64_t baseline_count = 0;
  int64_t baseline_total = 0;
  int64_t compare_count = 0;
  int64_t compare_total = 0;
};

// When a series is judged and flagged. The defaults are documented in README.md.
struct ShiftCriteria {
  Period baseline{2017, 2019};
  Period compare{2020, 2022};
  double false_discovery_rate = 0.05;  // flag when q <= this
  // Fewer records than these and a series is not tested (verdict too_few_records):
  int64_t min_events = 11;              // count in both periods together (rates and shares),
                                        // and for shares also records without the property
  int64_t min_records_per_period = 30;  // shares: records in each period
};

enum class Verdict { shift, no_shift, too_few_records };

struct ShiftResult {
  std::string label;
  Measure measure = Measure::share;
  Verdict verdict = Verdict::too_few_records;
  std::string test;  // "exact Poisson rate ratio", "Fisher's exact", "two-proportion z"; empty
                     // when not tested
  double p_value = 1;
  double q_value = 1;                  // Benjamini–Hochberg across the tested series
  Estimate ratio;                      // rate ratio, or ratio of shares (compare / baseline)
  std::optional<Estimate> difference;  // shares: compare - baseline, as a fraction
  std::string explanation;             // one sentence
};

// Tests every series and adjusts across all tested ones; results in the input's order.
// Throws Error(invalid_argument) naming the field for negative counts, a share's count above
// its total, a non-positive exposure, or periods that are empty or overlap.
std::vector<ShiftResult> detect_shifts(std::span<const SeriesCounts> series,
                                       const ShiftCriteria& criteria = {});

// "2017–19", "1998–2001", "2020".
std::string period_text(const Period& period);

}  // namespace ctip::flows::stats
