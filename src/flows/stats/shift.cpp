#include "flows/stats/shift.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "flows/stats/wording.h"

namespace ctip::flows::stats {
namespace {

// Cochran's rule: the chi-square (z) approximation needs every expected count of the 2x2
// table to be at least 5; below it, Fisher's exact test.
constexpr double kMinExpected = 5;

void validate(const SeriesCounts& s) {
  const std::string where = "series \"" + s.label + "\": ";
  if (s.baseline_count < 0) invalid("baseline_count", where + "baseline_count is negative");
  if (s.compare_count < 0) invalid("compare_count", where + "compare_count is negative");
  if (s.baseline_total <= 0) invalid("baseline_total", where + "baseline_total must be positive");
  if (s.compare_total <= 0) invalid("compare_total", where + "compare_total must be positive");
  if (s.measure == Measure::share) {
    if (s.baseline_count > s.baseline_total) {
      invalid("baseline_count", where + "baseline_count exceeds baseline_total");
    }
    if (s.compare_count > s.compare_total) {
      invalid("compare_count", where + "compare_count exceeds compare_total");
    }
  }
}

void validate(const ShiftCriteria& c) {
  if (c.baseline.first_year > c.baseline.last_year) {
    invalid("baseline", "the baseline period ends before it starts");
  }
  if (c.compare.first_year > c.compare.last_year) {
    invalid("compare", "the comparison period ends before it starts");
  }
  if (c.baseline.last_year >= c.compare.first_year &&
      c.compare.last_year >= c.baseline.first_year) {
    invalid("compare", "the baseline and comparison periods overlap");
  }
  if (!(c.false_discovery_rate > 0 && c.false_discovery_rate < 1)) {
    invalid("false_discovery_rate", "false_discovery_rate must be between 0 and 1");
  }
  if (c.min_events < 1) invalid("min_events", "min_events must be at least 1");
  if (c.min_records_per_period < 1) {
    invalid("min_records_per_period", "min_records_per_period must be at least 1");
  }
}

bool too_few(const SeriesCounts& s, const ShiftCriteria& c) {
  const int64_t events = s.baseline_count + s.compare_count;
  if (events < c.min_events) return true;
  if (s.measure == Measure::rate) return false;
  const int64_t non_events =
      (s.baseline_total - s.baseline_count) + (s.compare_total - s.compare_count);
  return non_events < c.min_events || s.baseline_total < c.min_records_per_period ||
         s.compare_total < c.min_records_per_period;
}

std::string too_few_text(const SeriesCounts& s, const ShiftCriteria& c) {
  using wording::grouped;
  const std::string b = period_text(c.baseline);
  const std::string k = period_text(c.compare);
  if (s.measure == Measure::rate) {
    return s.label + ": too few records to judge (" + grouped(s.baseline_count) + " in " + b +
           " and " + grouped(s.compare_count) + " in " + k + "; at least " + grouped(c.min_events) +
           " together needed).";
  }
  return s.label + ": too few records to judge (" + grouped(s.baseline_count) + " of " +
         grouped(s.baseline_total) + " in " + b + ", " + grouped(s.compare_count) + " of " +
         grouped(s.compare_total) + " in " + k + "; at least " + grouped(c.min_records_per_period) +
         " records in each period and " + grouped(c.min_events) +
         " with and without the property needed).";
}

double level(const SeriesCounts& s, bool compare) {
  const double count = static_cast<double>(compare ? s.compare_count : s.baseline_count);
  const double total = static_cast<double>(compare ? s.compare_total : s.baseline_total);
  return count / total;
}

std::string judged_text(const SeriesCounts& s, const ShiftCriteria& c, const ShiftResult& r) {
  using wording::grouped;
  const double before = level(s, false);
  const double after = level(s, true);
  std::string verb = "went";
  if (r.verdict == Verdict::shift) verb = after > before ? "rose" : "fell";
  std::string text = s.label + " " + verb + " from ";
  if (s.measure == Measure::share) {
    text += wording::percent(before) + " (" + period_text(c.baseline) +
            ", n = " + grouped(s.baseline_total) + ") to " + wording::percent(after) + " (" +
            period_text(c.compare) + ", n = " + grouped(s.compare_total) + "); ratio ";
  } else {
    text += grouped(s.baseline_count) + " (" + period_text(c.baseline) + ") to " +
            grouped(s.compare_count) + " (" + period_text(c.compare) + "); rate ratio ";
  }
  text += wording::ratio(r.ratio.value) + ", 95% CI " + wording::ratio(r.ratio.lower) + "–" +
          wording::ratio(r.ratio.upper) + ", " + wording::q_value(r.q_value);
  if (r.verdict == Verdict::no_shift) text += ": no evidence of a shift";
  return text + ".";
}

}  // namespace

std::string period_text(const Period& period) {
  if (period.first_year == period.last_year) return std::to_string(period.first_year);
  if (period.first_year / 100 == period.last_year / 100 && period.first_year >= 1000) {
    char tail[8];
    std::snprintf(tail, sizeof tail, "%02d", period.last_year % 100);
    return std::to_string(period.first_year) + "–" + tail;
  }
  return std::to_string(period.first_year) + "–" + std::to_string(period.last_year);
}

std::vector<ShiftResult> detect_shifts(std::span<const SeriesCounts> series,
                                       const ShiftCriteria& criteria) {
  validate(criteria);
  std::vector<ShiftResult> results;
  results.reserve(series.size());
  std::vector<double> p_values;
  std::vector<size_t> tested;
  for (size_t i = 0; i < series.size(); ++i) {
    const SeriesCounts& s = series[i];
    validate(s);
    ShiftResult r;
    r.label = s.label;
    r.measure = s.measure;
    if (too_few(s, criteria)) {
      r.verdict = Verdict::too_few_records;
      r.p_value = std::nan("");
      r.q_value = std::nan("");
      r.ratio = {std::nan(""), std::nan(""), std::nan("")};
      r.explanation = too_few_text(s, criteria);
      results.push_back(std::move(r));
      continue;
    }
    if (s.measure == Measure::rate) {
      const TestResult t = rate_ratio_test(s.baseline_count, static_cast<double>(s.baseline_total),
                                           s.compare_count, static_cast<double>(s.compare_total));
      r.test = "exact Poisson rate ratio";
      r.p_value = t.p_value;
      r.ratio = t.effect;
    } else {
      const TestResult z =
          two_proportion_test(s.baseline_count, s.baseline_total, s.compare_count, s.compare_total);
      r.ratio = z.effect;
      r.difference =
          share_difference(s.baseline_count, s.baseline_total, s.compare_count, s.compare_total);
      // Expected counts of the 2x2 table under equal shares.
      const double n1 = static_cast<double>(s.baseline_total);
      const double n2 = static_cast<double>(s.compare_total);
      const double x = static_cast<double>(s.baseline_count + s.compare_count);
      const double y = n1 + n2 - x;
      const double smallest = std::min({n1 * x, n1 * y, n2 * x, n2 * y}) / (n1 + n2);
      if (smallest < kMinExpected) {
        r.test = "Fisher's exact";
        r.p_value = fisher_exact_test(s.baseline_count, s.baseline_total - s.baseline_count,
                                      s.compare_count, s.compare_total - s.compare_count)
                        .p_value;
      } else {
        r.test = "two-proportion z";
        r.p_value = z.p_value;
      }
    }
    p_values.push_back(r.p_value);
    tested.push_back(i);
    results.push_back(std::move(r));
  }
  const std::vector<double> q = benjamini_hochberg(p_values);
  for (size_t j = 0; j < tested.size(); ++j) {
    ShiftResult& r = results[tested[j]];
    r.q_value = q[j];
    r.verdict = q[j] <= criteria.false_discovery_rate ? Verdict::shift : Verdict::no_shift;
    r.explanation = judged_text(series[tested[j]], criteria, r);
  }
  return results;
}

}  // namespace ctip::flows::stats
