#include "flows/stats/changepoint.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

YearlySeries series_from(int first_year, const std::vector<int64_t>& counts) {
  YearlySeries s{"Records of forced labour in Mexico", {}};
  for (size_t i = 0; i < counts.size(); ++i) {
    s.counts.push_back({first_year + static_cast<int>(i), counts[i]});
  }
  return s;
}

TEST(FindChangepoints, FindsALevelShift) {
  const auto result =
      find_changepoints(series_from(2013, {98, 103, 101, 95, 104, 302, 297, 305, 299, 296}));
  ASSERT_EQ(result.changepoints.size(), 1u);
  const Changepoint& cp = result.changepoints[0];
  EXPECT_EQ(cp.year, 2018);
  EXPECT_NEAR(cp.mean_before, 100.2, 1e-9);
  EXPECT_NEAR(cp.mean_after, 299.8, 1e-9);
  EXPECT_EQ(cp.explanation,
            "Records of forced labour in Mexico rose in 2018: from 100 a year (2013–17) to 300 a "
            "year (2018–22).");
}

TEST(FindChangepoints, FindsARiseAndAFall) {
  const auto result = find_changepoints(series_from(2010, {10, 12, 9, 11, 60, 58, 62, 11, 10, 9}));
  ASSERT_EQ(result.changepoints.size(), 2u);
  EXPECT_EQ(result.changepoints[0].year, 2014);
  EXPECT_EQ(result.changepoints[1].year, 2017);
  EXPECT_NE(result.changepoints[1].explanation.find("fell in 2017"), std::string::npos);
}

TEST(FindChangepoints, FindsNothingInAStableSeries) {
  const auto result =
      find_changepoints(series_from(2013, {100, 104, 97, 101, 99, 103, 96, 100, 102, 98}));
  EXPECT_TRUE(result.changepoints.empty());
  EXPECT_FALSE(result.too_few_records);
}

TEST(FindChangepoints, OverdispersionRaisesThePenalty) {
  // Noisy but level: a Poisson model would cut it into pieces; the dispersion estimate does not.
  const auto s = series_from(2013, {100, 140, 70, 120, 80, 130, 90, 110, 75, 125});
  const auto result = find_changepoints(s);
  EXPECT_GT(result.dispersion, 5);
  EXPECT_TRUE(result.changepoints.empty());
}

TEST(FindChangepoints, SaysNothingAboutTooFewRecords) {
  const auto result = find_changepoints(series_from(2013, {0, 0, 0, 1, 4, 5}));
  EXPECT_TRUE(result.too_few_records);
  EXPECT_TRUE(result.changepoints.empty());
}

TEST(FindChangepoints, RefusesYearsOutOfOrder) {
  YearlySeries s = series_from(2013, {10, 20, 30});
  s.counts[2].year = 2014;
  try {
    find_changepoints(s);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "counts");
  }
}

}  // namespace
}  // namespace ctip::flows::stats
