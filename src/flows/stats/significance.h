// The significance tests behind shift detection, as pure functions over counts. Distributions
// come from Boost.Math; two-sided p-values follow R's binom.test and fisher.test (a table is as
// extreme as the observed one when its probability is at most the observed one's, with R's
// relative tolerance of 1e-7), so results can be checked against R. See README.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ctip::flows::stats {

// A point estimate with its 95% confidence interval (bounds may be 0 or +infinity).
struct Estimate {
  double value = 0;
  double lower = 0;
  double upper = 0;
};

struct TestResult {
  double p_value = 1;  // two-sided
  Estimate effect;     // the test's own effect size (rate ratio, odds ratio, ratio of shares)
};

// Exact test of equal Poisson rates, conditional on the sum (x_compare | x_compare + x_baseline
// is binomial): R's poisson.test(c(x_compare, x_baseline), c(t_compare, t_baseline)). The effect
// is the rate ratio (x_compare / t_compare) / (x_baseline / t_baseline) with the Clopper–Pearson
// interval carried through. Exposures must be positive.
TestResult rate_ratio_test(int64_t x_baseline, double t_baseline, int64_t x_compare,
                           double t_compare);

// Fisher's exact test of a 2x2 table [[a, b], [c, d]], two-sided as R's fisher.test. The effect
// is the sample odds ratio (a d) / (b c) with no interval (lower = upper = value).
TestResult fisher_exact_test(int64_t a, int64_t b, int64_t c, int64_t d);

// Two-proportion z-test with the pooled variance (R's prop.test(correct = FALSE)). The effect is
// the ratio of shares (x_compare / n_compare) / (x_baseline / n_baseline) with Katz's log
// interval (0.5 added to each cell when a count is 0 or equals its total).
TestResult two_proportion_test(int64_t x_baseline, int64_t n_baseline, int64_t x_compare,
                               int64_t n_compare);

// The difference of shares x_compare / n_compare - x_baseline / n_baseline with Newcombe's
// hybrid score interval (his method 10, from Wilson intervals; Newcombe 1998).
Estimate share_difference(int64_t x_baseline, int64_t n_baseline, int64_t x_compare,
                          int64_t n_compare);

// Benjamini–Hochberg (1995) adjusted p-values ("q-values", R's p.adjust(p, "BH")), in the
// order given. Each p must be in [0, 1].
std::vector<double> benjamini_hochberg(std::span<const double> p_values);

}  // namespace ctip::flows::stats
