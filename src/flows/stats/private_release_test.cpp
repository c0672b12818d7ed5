#include "flows/stats/private_release.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <utility>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

// Reproducible bits for the distribution test (the release itself uses libsodium's).
class SeededBits : public RandomBits {
 public:
  explicit SeededBits(uint64_t seed) : engine_(seed) {}
  uint64_t next64() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

template <typename F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return Error(ErrorCode::internal, "no error");
}

CountTable corridors() { return {{"UKR", "MDA"}, {"POL", "DEU", "ITA"}, {120, 40, 3, 0, 35, 50}}; }

// Scale 2: q = exp(-1/2), P(0) = (1 - q) / (1 + q), variance 2q / (1 - q)^2; as s = 1, t = 2
// and as the release writes epsilon 0.5 for one record per person (s = 500000, t = 10^6).
class DiscreteLaplace : public ::testing::TestWithParam<std::pair<uint64_t, uint64_t>> {};

TEST_P(DiscreteLaplace, HasTheExactDistribution) {
  const auto [s, t] = GetParam();
  SeededBits bits(7);
  const int n = 200'000;
  double sum = 0, sum_squares = 0;
  int zeros = 0, ones = 0, minus_ones = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t z = sample_discrete_laplace(s, t, bits);
    sum += static_cast<double>(z);
    sum_squares += static_cast<double>(z * z);
    zeros += z == 0;
    ones += z == 1;
    minus_ones += z == -1;
  }
  const double q = std::exp(-0.5);
  const double p0 = (1 - q) / (1 + q);
  EXPECT_NEAR(zeros / double(n), p0, 0.004);
  EXPECT_NEAR(ones / double(n), p0 * q, 0.004);
  EXPECT_NEAR(minus_ones / double(n), p0 * q, 0.004);
  EXPECT_NEAR(sum / n, 0, 0.05);
  EXPECT_NEAR(sum_squares / n, 2 * q / ((1 - q) * (1 - q)), 0.15);
}

INSTANTIATE_TEST_SUITE_P(Scales, DiscreteLaplace,
                         ::testing::Values(std::pair<uint64_t, uint64_t>{1, 2},
                                           std::pair<uint64_t, uint64_t>{500'000, 1'000'000}));

TEST(PrivacyBudget, SpendsExactlyAndRefusesOnceUsedUp) {
  PrivacyBudget budget("ctdc-2024", 1.0);
  budget.spend(0.3, "release 1");
  budget.spend(0.3, "release 2");
  budget.spend(0.4, "release 3");  // 0.3 + 0.3 + 0.4 is exactly 1 in millionths
  EXPECT_DOUBLE_EQ(budget.remaining(), 0);
  const Error e = error_of([&] { budget.spend(0.000001, "release 4"); });
  EXPECT_EQ(e.code(), ErrorCode::conflict);
  EXPECT_EQ(e.field(), "epsilon");
  EXPECT_NE(std::string(e.what()).find("used up"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("ctdc-2024"), std::string::npos);
  EXPECT_EQ(budget.spends().size(), 3u);
  EXPECT_TRUE(budget.refusal(0.1).has_value());
}

TEST(PrivacyBudget, RefusesEpsilonThatIsNotPositive) {
  PrivacyBudget budget("d", 1.0);
  for (double epsilon : {0.0, -0.5, std::nan(""), std::numeric_limits<double>::infinity()}) {
    const Error e = error_of([&] { budget.spend(epsilon, "x"); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "epsilon");
  }
  EXPECT_DOUBLE_EQ(budget.spent(), 0);
  EXPECT_EQ(error_of([] { PrivacyBudget("d", 0); }).field(), "total_epsilon");
}

TEST(PrivacyBudget, SurvivesARoundTripThroughJson) {
  PrivacyBudget budget("ctdc-2024", 2.0);
  budget.spend(0.5, "corridors 2017-2022");
  budget.spend(1.25, "domestic share by year");
  const nlohmann::json json = budget.to_json();
  EXPECT_EQ(json["dataset"], "ctdc-2024");
  EXPECT_DOUBLE_EQ(json["spent_epsilon"].get<double>(), 1.75);
  // A second run reads the ledger back and is held to the same budget.
  PrivacyBudget restored = PrivacyBudget::from_json(nlohmann::json::parse(json.dump()));
  EXPECT_DOUBLE_EQ(restored.remaining(), 0.25);
  EXPECT_EQ(restored.spends().size(), 2u);
  EXPECT_EQ(restored.spends()[1].purpose, "domestic share by year");
  EXPECT_EQ(error_of([&] { restored.spend(0.3, "x"); }).code(), ErrorCode::conflict);
  restored.spend(0.25, "last");

  nlohmann::json overspent = json;
  overspent["spends"].push_back({{"epsilon", 1.0}, {"purpose", "forged"}});
  overspent.erase("spent_epsilon");
  EXPECT_EQ(error_of([&] { PrivacyBudget::from_json(overspent); }).field(), "spends");
  nlohmann::json wrong_sum = json;
  wrong_sum["spent_epsilon"] = 0.1;
  EXPECT_EQ(error_of([&] { PrivacyBudget::from_json(wrong_sum); }).field(), "spent_epsilon");
  EXPECT_EQ(error_of([] { PrivacyBudget::from_json(nlohmann::json::object()); }).field(),
            "dataset");
}

TEST(ReleasePrivate, AddsNoiseOfTheDocumentedScaleAndRecordsItsParameters) {
  PrivacyBudget budget("ctdc-2024", 1.0);
  const PrivateRelease release = release_private(corridors(), {0.5, 3}, budget, "corridors");
  EXPECT_DOUBLE_EQ(budget.spent(), 0.5);
  EXPECT_EQ(release.sensitivity, 3);
  EXPECT_DOUBLE_EQ(release.scale, 6.0);  // sensitivity / epsilon
  EXPECT_EQ(release.dataset, "ctdc-2024");
  int64_t sum = 0;
  for (size_t r = 0; r < 2; ++r) {
    int64_t row = 0;
    for (size_t c = 0; c < 3; ++c) {
      EXPECT_GE(release.table.count(r, c), 0);
      row += release.table.count(r, c);
    }
    EXPECT_EQ(release.row_totals[r], row);
    sum += row;
  }
  EXPECT_EQ(release.grand_total, sum);
  const nlohmann::json json = release.to_json();
  EXPECT_EQ(json["mechanism"], "discrete Laplace");
  EXPECT_EQ(json["cells"].size(), 2u);
}

TEST(ReleasePrivate, NoiseIsActuallyAdded) {
  // 400 cells of 1000 at scale 1 / 0.5 = 2: P(no cell changes) = 0.245^400.
  CountTable table{{}, {}, {}};
  for (int r = 0; r < 20; ++r) table.rows.push_back("r" + std::to_string(r));
  for (int c = 0; c < 20; ++c) table.columns.push_back("c" + std::to_string(c));
  table.counts.assign(400, 1000);
  PrivacyBudget budget("d", 1.0);
  const PrivateRelease release = release_private(table, {0.5, 1}, budget, "x");
  int changed = 0;
  for (int64_t v : release.table.counts) changed += v != 1000;
  EXPECT_GT(changed, 200);
}

TEST(ReleasePrivate, RefusesBadParametersAndOverspendingWithoutSpending) {
  PrivacyBudget budget("ctdc-2024", 1.0);
  EXPECT_EQ(error_of([&] {
              release_private(corridors(), {0, 1}, budget, "x");
            }).field(),
            "epsilon");
  EXPECT_EQ(error_of([&] {
              release_private(corridors(), {0.5, 0}, budget, "x");
            }).field(),
            "max_records_per_person");
  release_private(corridors(), {0.75, 1}, budget, "first");
  const Error over = error_of([&] { release_private(corridors(), {0.5, 1}, budget, "second"); });
  EXPECT_EQ(over.code(), ErrorCode::conflict);
  EXPECT_EQ(over.field(), "epsilon");
  EXPECT_DOUBLE_EQ(budget.spent(), 0.75);
  EXPECT_EQ(budget.spends().size(), 1u);
}

}  // namespace
}  // namespace ctip::flows::stats
