#include "flows/stats/significance.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// R's tolerance for "as extreme as observed" (binom.test, fisher.test: relErr <- 1 + 10^(-7)).
constexpr double kRelativeError = 1 + 1e-7;
// The two-sided 95% normal quantile.
const double kZ975 = boost::math::quantile(boost::math::normal_distribution<double>(), 0.975);

void require_count(int64_t value, const char* field) {
  if (value < 0) invalid(field, std::string(field) + " must not be negative");
}

// The two-sided p-value of a unimodal discrete distribution on [low, high] with its mode at
// `mode`: the probability of every value whose probability is at most the observed one's.
// The values at most as likely as `observed` form a prefix [low, left] and a suffix
// [right, high] of the support (the mass function rises to the mode and then falls), found
// by bisection so that the cost does not grow with the counts.
double two_sided_p(int64_t low, int64_t high, int64_t mode, int64_t observed,
                   const std::function<double(int64_t)>& pmf,
                   const std::function<double(int64_t)>& cdf_at_most,
                   const std::function<double(int64_t)>& sf_above) {
  const double limit = pmf(observed) * kRelativeError;
  if (pmf(mode) <= limit) return 1.0;
  // Largest i in [low, mode) with pmf(i) <= limit, or low - 1 when none.
  int64_t a = low - 1;
  int64_t b = mode;  // pmf(b) > limit
  while (b - a > 1) {
    const int64_t mid = a + (b - a) / 2;
    if (pmf(mid) <= limit)
      a = mid;
    else
      b = mid;
  }
  const int64_t left = a;
  // Smallest i in (mode, high] with pmf(i) <= limit, or high + 1 when none.
  a = mode;  // pmf(a) > limit
  b = high + 1;
  while (b - a > 1) {
    const int64_t mid = a + (b - a) / 2;
    if (pmf(mid) <= limit)
      b = mid;
    else
      a = mid;
  }
  const int64_t right = b;
  double p = 0;
  if (left >= low) p += cdf_at_most(left);
  if (right <= high) p += sf_above(right - 1);
  return std::min(1.0, p);
}

// The mode of a unimodal mass function near a closed-form guess (guarding against rounding).
int64_t mode_near(int64_t guess, int64_t low, int64_t high,
                  const std::function<double(int64_t)>& pmf) {
  int64_t best = std::clamp(guess, low, high);
  for (int64_t i = std::max(low, guess - 2); i <= std::min(high, guess + 2); ++i) {
    if (pmf(i) > pmf(best)) best = i;
  }
  return best;
}

// Wilson's score interval for x / n at 95%.
std::pair<double, double> wilson(int64_t x, int64_t n) {
  const double p = static_cast<double>(x) / static_cast<double>(n);
  const double nn = static_cast<double>(n);
  const double z2 = kZ975 * kZ975;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ975 * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace

TestResult rate_ratio_test(int64_t x_baseline, double t_baseline, int64_t x_compare,
                           double t_compare) {
  require_count(x_baseline, "baseline_count");
  require_count(x_compare, "compare_count");
  if (!(t_baseline > 0) || !std::isfinite(t_baseline)) {
    invalid("baseline_total", "baseline_total (the exposure) must be positive");
  }
  if (!(t_compare > 0) || !std::isfinite(t_compare)) {
    invalid("compare_total", "compare_total (the exposure) must be positive");
  }
  TestResult result;
  const int64_t n = x_baseline + x_compare;
  const double scale = t_baseline / t_compare;  // odds of p -> rate ratio
  if (n == 0) {
    result.p_value = 1;
    result.effect = {std::nan(""), 0, kInfinity};
    return result;
  }
  const double p0 = t_compare / (t_baseline + t_compare);
  using boost::math::binomial_distribution;
  const binomial_distribution<double> null(static_cast<double>(n), p0);
  auto pmf = [&](int64_t i) { return boost::math::pdf(null, static_cast<double>(i)); };
  auto cdf = [&](int64_t i) { return boost::math::cdf(null, static_cast<double>(i)); };
  auto sf = [&](int64_t i) {
    return boost::math::cdf(boost::math::complement(null, static_cast<double>(i)));
  };
  const auto guess = static_cast<int64_t>(std::floor((static_cast<double>(n) + 1) * p0));
  result.p_value = two_sided_p(0, n, mode_near(guess, 0, n, pmf), x_compare, pmf, cdf, sf);

  // Clopper–Pearson bounds on p = P(a case falls in the comparison period), then the rate
  // ratio p / (1 - p) * t_baseline / t_compare (as R's poisson.test).
  const double trials = static_cast<double>(n);
  const double successes = static_cast<double>(x_compare);
  const double p_low =
      binomial_distribution<double>::find_lower_bound_on_p(trials, successes, 0.025);
  const double p_high =
      binomial_distribution<double>::find_upper_bound_on_p(trials, successes, 0.025);
  auto to_ratio = [&](double p) { return p >= 1 ? kInfinity : p / (1 - p) * scale; };
  result.effect.value = x_baseline == 0 ? kInfinity
                                        : (static_cast<double>(x_compare) / t_compare) /
                                              (static_cast<double>(x_baseline) / t_baseline);
  result.effect.lower = to_ratio(p_low);
  result.effect.upper = to_ratio(p_high);
  return result;
}

TestResult fisher_exact_test(int64_t a, int64_t b, int64_t c, int64_t d) {
  require_count(a, "a");
  require_count(b, "b");
  require_count(c, "c");
  require_count(d, "d");
  TestResult result;
  const double ad = static_cast<double>(a) * static_cast<double>(d);
  const double bc = static_cast<double>(b) * static_cast<double>(c);
  const double odds = bc == 0 ? (ad == 0 ? std::nan("") : kInfinity) : ad / bc;
  result.effect = {odds, odds, odds};
  const int64_t total = a + b + c + d;
  const int64_t row1 = a + b;
  const int64_t col1 = a + c;
  if (total == 0 || row1 == 0 || col1 == 0 || row1 == total || col1 == total) {
    result.p_value = 1;
    return result;
  }
  // a is hypergeometric: col1 "marked" items, row1 drawn, total items.
  const boost::math::hypergeometric_distribution<double> null(
      static_cast<unsigned>(col1), static_cast<unsigned>(row1), static_cast<unsigned>(total));
  auto pmf = [&](int64_t i) { return boost::math::pdf(null, static_cast<unsigned>(i)); };
  auto cdf = [&](int64_t i) { return boost::math::cdf(null, static_cast<unsigned>(i)); };
  auto sf = [&](int64_t i) {
    return boost::math::cdf(boost::math::complement(null, static_cast<unsigned>(i)));
  };
  const int64_t low = std::max<int64_t>(0, row1 + col1 - total);
  const int64_t high = std::min(row1, col1);
  const auto guess = static_cast<int64_t>(
      std::floor((static_cast<double>(row1) + 1) * (static_cast<double>(col1) + 1) /
                 (static_cast<double>(total) + 2)));
  auto sf_safe = [&](int64_t i) { return i < low ? 1.0 : sf(i); };
  result.p_value = two_sided_p(low, high, mode_near(guess, low, high, pmf), a, pmf, cdf, sf_safe);
  return result;
}

TestResult two_proportion_test(int64_t x_baseline, int64_t n_baseline, int64_t x_compare,
                               int64_t n_compare) {
  require_count(x_baseline, "baseline_count");
  require_count(x_compare, "compare_count");
  if (n_baseline <= 0 || x_baseline > n_baseline) {
    invalid("baseline_total", "baseline_total must be positive and at least baseline_count");
  }
  if (n_compare <= 0 || x_compare > n_compare) {
    invalid("compare_total", "compare_total must be positive and at least compare_count");
  }
  const double x1 = static_cast<double>(x_baseline);
  const double n1 = static_cast<double>(n_baseline);
  const double x2 = static_cast<double>(x_compare);
  const double n2 = static_cast<double>(n_compare);
  TestResult result;
  const double pooled = (x1 + x2) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se == 0) {
    result.p_value = 1;
  } else {
    const double z = std::abs(x2 / n2 - x1 / n1) / se;
    result.p_value = 2 * boost::math::cdf(boost::math::complement(
                             boost::math::normal_distribution<double>(), z));
  }
  // Katz et al. (1978): log(ratio) is near normal with variance 1/x2 - 1/n2 + 1/x1 - 1/n1.
  double a1 = x1, m1 = n1, a2 = x2, m2 = n2;
  if (x_baseline == 0 || x_compare == 0 || x_baseline == n_baseline || x_compare == n_compare) {
    a1 += 0.5, m1 += 1, a2 += 0.5, m2 += 1;
  }
  const double log_ratio = std::log((a2 / m2) / (a1 / m1));
  const double log_se = std::sqrt(1 / a2 - 1 / m2 + 1 / a1 - 1 / m1);
  result.effect.value =
      x_baseline == 0 ? (x_compare == 0 ? std::nan("") : kInfinity) : (x2 / n2) / (x1 / n1);
  result.effect.lower = std::exp(log_ratio - kZ975 * log_se);
  result.effect.upper = std::exp(log_ratio + kZ975 * log_se);
  return result;
}

Estimate share_difference(int64_t x_baseline, int64_t n_baseline, int64_t x_compare,
                          int64_t n_compare) {
  if (n_baseline <= 0 || x_baseline < 0 || x_baseline > n_baseline) {
    invalid("baseline_total", "baseline counts must satisfy 0 <= count <= total, total > 0");
  }
  if (n_compare <= 0 || x_compare < 0 || x_compare > n_compare) {
    invalid("compare_total", "compare counts must satisfy 0 <= count <= total, total > 0");
  }
  const double p1 = static_cast<double>(x_baseline) / static_cast<double>(n_baseline);
  const double p2 = static_cast<double>(x_compare) / static_cast<double>(n_compare);
  const auto [l1, u1] = wilson(x_baseline, n_baseline);
  const auto [l2, u2] = wilson(x_compare, n_compare);
  const double d = p2 - p1;
  return {d, d - std::sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1)),
          d + std::sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1))};
}

std::vector<double> benjamini_hochberg(std::span<const double> p_values) {
  const size_t m = p_values.size();
  for (double p : p_values) {
    if (!(p >= 0 && p <= 1)) invalid("p_value", "a p-value must be in [0, 1]");
  }
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t i, size_t j) { return p_values[i] < p_values[j]; });
  std::vector<double> q(m);
  double running = 1.0;
  for (size_t rank = m; rank >= 1; --rank) {
    const size_t i = order[rank - 1];
    running = std::min(running, p_values[i] * static_cast<double>(m) / static_cast<double>(rank));
    q[i] = running;
  }
  return q;
}

}  // namespace ctip::flows::stats
