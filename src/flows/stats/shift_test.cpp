#include "flows/stats/shift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

TEST(DetectShifts, ExplainsAFlaggedShareInOneSentence) {
  // The example: 1,279 of 3,120 domestic (41%) then 2,254 of 2,890 (78%).
  const std::vector<SeriesCounts> series{
      {"Domestic share in Ukraine", Measure::share, 1279, 3120, 2254, 2890}};
  const auto results = detect_shifts(series);
  ASSERT_EQ(results.size(), 1u);
  const ShiftResult& r = results[0];
  EXPECT_EQ(r.verdict, Verdict::shift);
  EXPECT_EQ(r.test, "two-proportion z");
  EXPECT_LT(r.q_value, 0.001);
  EXPECT_NEAR(r.ratio.value, (2254.0 / 2890) / (1279.0 / 3120), 1e-12);
  ASSERT_TRUE(r.difference.has_value());
  EXPECT_NEAR(r.difference->value, 2254.0 / 2890 - 1279.0 / 3120, 1e-12);
  EXPECT_EQ(r.explanation,
            "Domestic share in Ukraine rose from 41% (2017–19, n = 3,120) to 78% (2020–22, "
            "n = 2,890); ratio 1.9, 95% CI 1.8–2.0, q < 0.001.");
}

TEST(DetectShifts, ExplainsARateAndSaysWhenThereIsNoEvidence) {
  const std::vector<SeriesCounts> series{
      {"Records of forced labour in Mexico", Measure::rate, 100, 3, 200, 3},
      {"Records of sexual exploitation in Mexico", Measure::rate, 150, 3, 160, 3}};
  const auto results = detect_shifts(series);
  EXPECT_EQ(results[0].verdict, Verdict::shift);
  EXPECT_EQ(results[0].test, "exact Poisson rate ratio");
  EXPECT_NEAR(results[0].ratio.value, 2.0, 1e-12);
  EXPECT_EQ(results[0].explanation.rfind(
                "Records of forced labour in Mexico rose from 100 (2017–19) to 200 (2020–22); "
                "rate ratio 2.0, 95% CI 1.6–2.6, q < 0.001.",
                0),
            0u)
      << results[0].explanation;
  EXPECT_EQ(results[1].verdict, Verdict::no_shift);
  EXPECT_NE(results[1].explanation.find("went from 150 (2017–19) to 160 (2020–22)"),
            std::string::npos)
      << results[1].explanation;
  EXPECT_NE(results[1].explanation.find("no evidence of a shift"), std::string::npos);
}

TEST(DetectShifts, NeverFlagsOrTestsTooFewRecords) {
  const std::vector<SeriesCounts> series{
      // 0 -> 9 records: too few together (11 needed), however large the ratio.
      {"Records of organ removal in Chile", Measure::rate, 0, 3, 9, 3},
      // A share of 12 and 9 records.
      {"Domestic share in Malta", Measure::share, 2, 12, 8, 9},
      {"Records of forced labour in Peru", Measure::rate, 100, 3, 200, 3}};
  const auto results = detect_shifts(series);
  EXPECT_EQ(results[0].verdict, Verdict::too_few_records);
  EXPECT_TRUE(results[0].test.empty());
  EXPECT_TRUE(std::isnan(results[0].q_value));
  EXPECT_EQ(results[0].explanation,
            "Records of organ removal in Chile: too few records to judge (0 in 2017–19 and 9 in "
            "2020–22; at least 11 together needed).");
  EXPECT_EQ(results[1].verdict, Verdict::too_few_records);
  EXPECT_NE(results[1].explanation.find("at least 30 records in each period"), std::string::npos);
  // The untested series do not count in the Benjamini–Hochberg adjustment: one test, q = p.
  EXPECT_DOUBLE_EQ(results[2].q_value, results[2].p_value);
}

TEST(DetectShifts, UsesFisherWhenExpectedCountsAreSmall) {
  // 6 of 30 then 6 of 300: 12 events, 1.1 expected in the small period.
  const std::vector<SeriesCounts> series{{"Domestic share in Fiji", Measure::share, 6, 30, 6, 300}};
  const auto results = detect_shifts(series);
  EXPECT_EQ(results[0].test, "Fisher's exact");
  EXPECT_DOUBLE_EQ(results[0].p_value, fisher_exact_test(6, 24, 6, 294).p_value);
  EXPECT_EQ(results[0].verdict, Verdict::shift);
  EXPECT_NE(
      results[0].explanation.find("fell from 20% (2017–19, n = 30) to 2.0% (2020–22, n = 300)"),
      std::string::npos)
      << results[0].explanation;
}

TEST(DetectShifts, AdjustsAcrossSeriesSoThatABorderlineResultIsNotFlagged) {
  // One series alone at p = 0.041 is flagged at FDR 5%; among nine null series it is not.
  std::vector<SeriesCounts> series{{"Domestic share in A", Measure::share, 15, 50, 25, 50}};
  EXPECT_EQ(detect_shifts(series)[0].verdict, Verdict::shift);
  for (int i = 0; i < 9; ++i) {
    series.push_back({"Domestic share in B" + std::to_string(i), Measure::share, 20, 50, 20, 50});
  }
  const auto results = detect_shifts(series);
  EXPECT_EQ(results[0].verdict, Verdict::no_shift);
  EXPECT_NEAR(results[0].q_value, std::min(1.0, 0.04123 * 10), 1e-4);
}

TEST(DetectShifts, RefusesBadInputNamingTheField) {
  auto field_of = [](const std::vector<SeriesCounts>& s, const ShiftCriteria& c) {
    try {
      detect_shifts(s, c);
    } catch (const Error& e) {
      return e.field();
    }
    return std::string("no error");
  };
  EXPECT_EQ(field_of({{"x", Measure::share, 5, 4, 1, 10}}, {}), "baseline_count");
  EXPECT_EQ(field_of({{"x", Measure::rate, 5, 0, 1, 10}}, {}), "baseline_total");
  EXPECT_EQ(field_of({{"x", Measure::rate, 5, 1, -1, 10}}, {}), "compare_count");
  ShiftCriteria overlapping;
  overlapping.compare = {2019, 2021};
  EXPECT_EQ(field_of({}, overlapping), "compare");
}

TEST(PeriodText, ShortensTheSecondYearWithinACentury) {
  EXPECT_EQ(period_text({2017, 2019}), "2017–19");
  EXPECT_EQ(period_text({1998, 2001}), "1998–2001");
  EXPECT_EQ(period_text({2020, 2020}), "2020");
}

}  // namespace
}  // namespace ctip::flows::stats
