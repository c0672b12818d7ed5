// The dashboards' arithmetic (issue #11 item 6), pure: counts of persons are shown only from
// kSmallCell up, a ratio against a baseline is given only when the baseline is not zero, a
// median is read off a histogram. The repository groups in SQL; this shapes the cells.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_input.h"

namespace ctip::cases::services {

// Counts of persons (referrals, permits, proceedings, cases) from 1 to kSmallCell - 1 are
// withheld: the dashboards are read by analysts who see no case data, and a cell of 1 to 4 in
// a region and month can point at a person. 5 is the threshold of Eurostat's trafficking data
// collection and of CTDC's k-anonymised releases before 2021 (CTDC now uses 11 for public
// releases; these dashboards stay inside the deployment).
inline constexpr int64_t kSmallCell = 5;

// {"count": n} or, for 0 < n < k, {"count": null, "suppressed": true} (0 is shown: nothing to
// protect).
Json count_cell(int64_t n, int64_t k = kSmallCell);

// value / baseline as a number, or null when the baseline is 0.
Json ratio(double value, double baseline);

// The median of values given as a histogram (value -> how many), or nullopt when empty;
// the lower middle for an even total.
std::optional<int64_t> histogram_median(const std::map<int64_t, int64_t>& histogram);
// How many of the histogram's values exceed `limit`.
int64_t histogram_above(const std::map<int64_t, int64_t>& histogram, int64_t limit);

// Days from 1970-01-01 for a date "YYYY-MM-DD" (the first 10 characters of an RFC 3339 time
// too); nullopt when it is not one. Delays are computed here, not in SQL: the store's SQL is
// portable and the two engines differ on date arithmetic.
std::optional<int64_t> day_number(std::string_view date);

// The date YYYY-MM-DD of a day number (the inverse of day_number).
std::string civil_date(int64_t days);

}  // namespace ctip::cases::services
