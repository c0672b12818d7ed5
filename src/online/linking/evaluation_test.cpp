#include "online/linking/evaluation.h"

#include <gtest/gtest.h>

#include <vector>

namespace ctip::online::linking {
namespace {

TEST(PairwiseScores, CountsPairs) {
  // Truth: {0,1,2} {3,4}, 5 alone. Prediction: {0,1} {2,3,4} {5,6}, 6 truly alone.
  const std::vector<int64_t> truth{1, 1, 1, 2, 2, -1, -1};
  const std::vector<int64_t> predicted{7, 7, 8, 8, 8, 9, 9};
  const auto s = pairwise_scores(predicted, truth);
  EXPECT_EQ(s.true_pairs, 4u);       // 3 + 1
  EXPECT_EQ(s.predicted_pairs, 5u);  // 1 + 3 + 1
  EXPECT_EQ(s.correct_pairs, 2u);    // (0,1) and (3,4)
  EXPECT_DOUBLE_EQ(s.precision, 0.4);
  EXPECT_DOUBLE_EQ(s.recall, 0.5);
  EXPECT_NEAR(s.f1, 2 * 0.4 * 0.5 / 0.9, 1e-12);
}

TEST(PairwiseScores, PerfectAndEmpty) {
  const std::vector<int64_t> truth{3, 3, 5, 5, -1};
  EXPECT_DOUBLE_EQ(pairwise_scores(truth, truth).f1, 1.0);
  const std::vector<int64_t> alone{-1, -1, -1, -1, -1};
  const auto s = pairwise_scores(alone, truth);
  EXPECT_DOUBLE_EQ(s.precision, 1.0);
  EXPECT_DOUBLE_EQ(s.recall, 0.0);
  EXPECT_DOUBLE_EQ(s.f1, 0.0);
  EXPECT_THROW(pairwise_scores(std::vector<int64_t>{1}, truth), std::exception);
}

TEST(OrganisedFalsePositiveRate, SharesOfIndependents) {
  const std::vector<uint8_t> independent{1, 1, 1, 1, 0, 0};
  const std::vector<uint8_t> organised{1, 0, 0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(organised_false_positive_rate(independent, organised), 0.25);
  EXPECT_DOUBLE_EQ(organised_false_positive_rate(std::vector<uint8_t>{0}, std::vector<uint8_t>{1}),
                   0.0);
}

}  // namespace
}  // namespace ctip::online::linking
