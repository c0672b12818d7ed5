// Known values from R (4.x): poisson.test, binom.test, fisher.test, prop.test, p.adjust, and
// Newcombe (1998), Table II.
#include "flows/stats/significance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

TEST(RateRatioTest, MatchesRPoissonTestTwoSample) {
  // R: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)) -> p-value = 0.07967,
  // 95% CI 0.8584264 4.2772659, rate ratio 1.971488.
  const TestResult r = rate_ratio_test(21, 3011, 11, 800);
  EXPECT_NEAR(r.p_value, 0.07967, 5e-6);
  EXPECT_NEAR(r.effect.value, 1.971488, 1e-6);
  EXPECT_NEAR(r.effect.lower, 0.8584264, 1e-6);
  EXPECT_NEAR(r.effect.upper, 4.2772659, 1e-6);
}

TEST(RateRatioTest, MatchesRBinomTestThroughTheConditionalBinomial) {
  // R: binom.test(682, 925, p = 3/4) -> p-value = 0.3825, 95% CI 0.7076683 0.7654066.
  // Exposures 1 and 3 make the null share of the comparison period 3/4.
  const TestResult r = rate_ratio_test(243, 1, 682, 3);
  EXPECT_NEAR(r.p_value, 0.3825, 5e-5);
  auto ratio = [](double p) { return p / (1 - p) / 3; };
  EXPECT_NEAR(r.effect.lower, ratio(0.7076683), 1e-6);
  EXPECT_NEAR(r.effect.upper, ratio(0.7654066), 1e-6);
}

TEST(RateRatioTest, EqualRatesAreNotSignificantAndZerosAreHandled) {
  EXPECT_NEAR(rate_ratio_test(100, 3, 100, 3).p_value, 1.0, 1e-12);
  const TestResult emerging = rate_ratio_test(0, 3, 40, 3);
  EXPECT_TRUE(std::isinf(emerging.effect.value));
  EXPECT_TRUE(std::isinf(emerging.effect.upper));
  EXPECT_GT(emerging.effect.lower, 1);
  EXPECT_LT(emerging.p_value, 1e-10);
  EXPECT_THROW(rate_ratio_test(1, 0, 1, 1), Error);
  EXPECT_THROW(rate_ratio_test(-1, 1, 1, 1), Error);
}

TEST(RateRatioTest, LargeCountsStayFast) {
  // Bisection keeps the two-sided sum from walking the support of a million-trial binomial.
  const TestResult r = rate_ratio_test(1'000'000, 3, 1'002'000, 3);
  EXPECT_GT(r.p_value, 0.1);
  EXPECT_LT(r.p_value, 1);
}

TEST(FisherExactTest, MatchesRFisherTest) {
  // R: fisher.test(matrix(c(3, 1, 1, 3), 2)) (Fisher's tea tasting) -> p-value = 0.4857
  // (34/70).
  EXPECT_NEAR(fisher_exact_test(3, 1, 1, 3).p_value, 34.0 / 70.0, 1e-9);
  // R: fisher.test(matrix(c(1, 11, 9, 3), 2)) -> p-value = 0.002759.
  EXPECT_NEAR(fisher_exact_test(1, 9, 11, 3).p_value, 0.002759, 5e-7);
  EXPECT_NEAR(fisher_exact_test(3, 1, 1, 3).effect.value, 9.0, 1e-12);
  EXPECT_DOUBLE_EQ(fisher_exact_test(0, 0, 5, 5).p_value, 1.0);
}

TEST(TwoProportionTest, MatchesRPropTestWithoutContinuityCorrection) {
  // R: prop.test(c(15, 25), c(50, 50), correct = FALSE) -> X-squared = 4.1667,
  // p-value = 0.04123.
  const TestResult r = two_proportion_test(15, 50, 25, 50);
  EXPECT_NEAR(r.p_value, 0.04123, 5e-6);
  EXPECT_NEAR(r.effect.value, 0.5 / 0.3, 1e-12);
}

TEST(TwoProportionTest, RatioOfSharesHasKatzInterval) {
  // 56/70 against 48/80: ratio 4/3; log standard error sqrt(1/56 - 1/70 + 1/48 - 1/80).
  const TestResult r = two_proportion_test(48, 80, 56, 70);
  EXPECT_NEAR(r.effect.value, 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.effect.lower, 1.0766, 1e-4);
  EXPECT_NEAR(r.effect.upper, 1.6513, 1e-4);
}

TEST(ShareDifference, MatchesNewcombeMethod10) {
  // Newcombe (1998), Table II, 56/70 - 48/80: 0.2000, hybrid score interval 0.0524 to 0.3339.
  const Estimate d = share_difference(48, 80, 56, 70);
  EXPECT_NEAR(d.value, 0.2, 1e-12);
  EXPECT_NEAR(d.lower, 0.0524, 1e-4);
  EXPECT_NEAR(d.upper, 0.3339, 1e-4);
}

TEST(BenjaminiHochberg, MatchesRPAdjust) {
  // R: p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205), "BH").
  const std::vector<double> p{0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205};
  const std::vector<double> expected{0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0845714, 0.205};
  const auto q = benjamini_hochberg(p);
  ASSERT_EQ(q.size(), expected.size());
  for (size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], expected[i], 1e-6) << i;
  // Order is kept: the same values shuffled give the same q for each p.
  const std::vector<double> shuffled{0.205, 0.001, 0.06, 0.041};
  const auto q2 = benjamini_hochberg(shuffled);
  EXPECT_NEAR(q2[1], 0.004, 1e-12);
  EXPECT_NEAR(q2[0], 0.205, 1e-12);
  EXPECT_NEAR(q2[3], 0.08, 1e-12);
  EXPECT_NEAR(q2[2], 0.08, 1e-12);
  EXPECT_TRUE(benjamini_hochberg(std::vector<double>{}).empty());
  EXPECT_THROW(benjamini_hochberg(std::vector<double>{1.5}), Error);
}

}  // namespace
}  // namespace ctip::flows::stats
