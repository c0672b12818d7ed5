#include "cases/services/dashboard.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ctip::cases::services {
namespace {

TEST(DashboardCells, SmallCountsAreWithheldButZeroIsShown) {
  EXPECT_EQ(count_cell(0)["count"], 0);
  EXPECT_TRUE(count_cell(1)["count"].is_null());
  EXPECT_TRUE(count_cell(4)["suppressed"].get<bool>());
  EXPECT_EQ(count_cell(5)["count"], 5);
  EXPECT_FALSE(count_cell(5).contains("suppressed"));
}

TEST(DashboardCells, RatioIsNullWithoutABaseline) {
  EXPECT_TRUE(ratio(3, 0).is_null());
  EXPECT_DOUBLE_EQ(ratio(3, 4).get<double>(), 0.75);
}

TEST(DashboardCells, MedianAndTailOfAHistogram) {
  std::map<int64_t, int64_t> h = {{10, 2}, {30, 1}, {90, 2}};
  EXPECT_EQ(histogram_median(h), 30);
  EXPECT_EQ(histogram_above(h, 30), 2);
  EXPECT_EQ(histogram_above(h, 5), 5);
  EXPECT_FALSE(histogram_median({}));
  EXPECT_EQ(histogram_median({{1, 1}, {2, 1}}), 1);
}

TEST(DashboardCells, DayNumbersCountCalendarDays) {
  EXPECT_EQ(day_number("1970-01-01"), 0);
  auto days = [](const char* d) { return day_number(d).value_or(-1); };
  EXPECT_EQ(days("2020-03-01") - days("2020-02-28"), 2);  // leap
  EXPECT_EQ(days("2021-03-01") - days("2021-02-28"), 1);
  EXPECT_EQ(days("2026-12-01T10:00:00Z") - days("2026-11-01"), 30);
  EXPECT_FALSE(day_number("2026-13-01"));
  for (const char* d : {"1970-01-01", "2019-12-31", "2020-02-29", "2026-12-01"})
    EXPECT_EQ(civil_date(days(d)), d);
  EXPECT_FALSE(day_number("yesterday"));
}

}  // namespace
}  // namespace ctip::cases::services
