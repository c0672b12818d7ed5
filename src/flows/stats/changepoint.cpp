#include "flows/stats/changepoint.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "flows/stats/wording.h"

namespace ctip::flows::stats {
namespace {

// The median of a chi-square variable with one degree of freedom: for Poisson counts,
// (x_t - x_{t-1})^2 / (x_t + x_{t-1}) is about chi-square(1) when the level does not change.
constexpr double kChiSquare1Median = 0.454936;

// Twice the negative Poisson log likelihood of counts[begin, end) at their own mean, without
// the terms that do not depend on the segmentation (sum of log x! and of x).
double segment_cost(const std::vector<double>& cumulative, size_t begin, size_t end) {
  const double total = cumulative[end] - cumulative[begin];
  if (total <= 0) return 0;
  const double mean = total / static_cast<double>(end - begin);
  return -2 * total * std::log(mean);
}

// A robust overdispersion estimate from successive differences: the median of the scaled
// squared differences over chi-square(1)'s median. A level shift changes one difference, which
// the median ignores. Never below 1 (a Poisson series).
double dispersion(const std::vector<YearlyCount>& counts) {
  std::vector<double> ratios;
  for (size_t t = 1; t < counts.size(); ++t) {
    const double sum = static_cast<double>(counts[t].count + counts[t - 1].count);
    if (sum <= 0) continue;
    const double diff = static_cast<double>(counts[t].count - counts[t - 1].count);
    ratios.push_back(diff * diff / sum);
  }
  if (ratios.empty()) return 1;
  const size_t mid = ratios.size() / 2;
  std::nth_element(ratios.begin(), ratios.begin() + static_cast<std::ptrdiff_t>(mid), ratios.end());
  double median = ratios[mid];
  if (ratios.size() % 2 == 0) {
    const double lower =
        *std::max_element(ratios.begin(), ratios.begin() + static_cast<std::ptrdiff_t>(mid));
    median = (median + lower) / 2;
  }
  return std::max(1.0, median / kChiSquare1Median);
}

std::string mean_text(double mean) {
  return wording::grouped(static_cast<int64_t>(std::llround(mean))) + " a year";
}

}  // namespace

Segmentation find_changepoints(const YearlySeries& series, const ChangepointCriteria& criteria) {
  if (criteria.min_segment_years < 1) {
    invalid("min_segment_years", "min_segment_years must be at least 1");
  }
  if (!(criteria.penalty_factor > 0)) invalid("penalty_factor", "penalty_factor must be positive");
  const auto& counts = series.counts;
  int64_t events = 0;
  for (size_t t = 0; t < counts.size(); ++t) {
    if (counts[t].count < 0) {
      invalid("counts", "series \"" + series.label + "\": negative count in " +
                            std::to_string(counts[t].year));
    }
    if (t > 0 && counts[t].year <= counts[t - 1].year) {
      invalid("counts", "series \"" + series.label + "\": years must be strictly increasing (" +
                            std::to_string(counts[t].year) + " after " +
                            std::to_string(counts[t - 1].year) + ")");
    }
    events += counts[t].count;
  }
  Segmentation result;
  const size_t n = counts.size();
  const auto m = static_cast<size_t>(criteria.min_segment_years);
  if (events < criteria.min_events || n < 2 * m) {
    result.too_few_records = events < criteria.min_events;
    return result;
  }
  result.dispersion = dispersion(counts);
  result.penalty = criteria.penalty_factor * std::log(static_cast<double>(n)) * result.dispersion;

  std::vector<double> cumulative(n + 1, 0);
  for (size_t t = 0; t < n; ++t)
    cumulative[t + 1] = cumulative[t] + static_cast<double>(counts[t].count);

  // Optimal partitioning (Jackson et al. 2005): best[t] is the least penalised cost of
  // counts[0, t) cut into segments of at least m years; last[t] where its last segment
  // starts. PELT (Killick et al. 2012) finds the same minimum and only prunes candidates, which
  // yearly series (tens of points) do not need.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> best(n + 1, inf);
  std::vector<size_t> last(n + 1, 0);
  best[0] = -result.penalty;
  for (size_t t = m; t <= n; ++t) {
    for (size_t start = 0; start + m <= t; ++start) {
      if (best[start] == inf) continue;
      const double cost = best[start] + segment_cost(cumulative, start, t) + result.penalty;
      if (cost < best[t]) {
        best[t] = cost;
        last[t] = start;
      }
    }
  }
  std::vector<size_t> starts;
  for (size_t t = n; t > 0; t = last[t]) starts.push_back(last[t]);
  std::reverse(starts.begin(), starts.end());  // starts[0] == 0
  starts.push_back(n);
  for (size_t j = 1; j + 1 < starts.size(); ++j) {
    const size_t b0 = starts[j - 1], b1 = starts[j], b2 = starts[j + 1];
    Changepoint cp;
    cp.year = counts[b1].year;
    cp.before = {counts[b0].year, counts[b1 - 1].year};
    cp.after = {counts[b1].year, counts[b2 - 1].year};
    cp.mean_before = (cumulative[b1] - cumulative[b0]) / static_cast<double>(b1 - b0);
    cp.mean_after = (cumulative[b2] - cumulative[b1]) / static_cast<double>(b2 - b1);
    cp.explanation = series.label + (cp.mean_after > cp.mean_before ? " rose" : " fell") + " in " +
                     std::to_string(cp.year) + ": from " + mean_text(cp.mean_before) + " (" +
                     period_text(cp.before) + ") to " + mean_text(cp.mean_after) + " (" +
                     period_text(cp.after) + ").";
    result.changepoints.push_back(std::move(cp));
  }
  return result;
}

}  // namespace ctip::flows::stats
