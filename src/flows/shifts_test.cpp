// The shift series over case records, and the tables for publication.
#include "flows/shifts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"
#include "flows/demo_data.h"
#include "flows/import.h"
#include "flows/publish.h"

namespace ctip::flows {
namespace {

RecordTable demo_table(size_t n, uint64_t seed) {
  std::istringstream in(demo_ctdc_csv(n, seed));
  return import_table(in, Format::ctdc).table;
}

const stats::ShiftResult* find(const ShiftReport& r, const std::string& label) {
  for (const auto& s : r.results)
    if (s.label == label) return &s;
  return nullptr;
}

TEST(Shifts, TheDemoDatasRiseInDomesticTraffickingIsFlagged) {
  auto t = demo_table(20000, 3);
  auto report = find_shifts(t, {});
  const auto* domestic = find(report, "Domestic share");
  ASSERT_NE(domestic, nullptr);
  EXPECT_EQ(domestic->verdict, stats::Verdict::shift);
  EXPECT_GT(domestic->ratio.lower, 1.0);
  EXPECT_TRUE(domestic->explanation.starts_with("Domestic share rose from ")) << domestic->explanation;
  const auto* labour = find(report, "Share of forced labour among records with a known form");
  ASSERT_NE(labour, nullptr);
  EXPECT_EQ(labour->verdict, stats::Verdict::shift);
  // The changepoint of the yearly counts is 2020, where the generator moves registrations.
  bool at_2020 = false;
  for (size_t i = 0; i < report.changepoints.size(); ++i)
    at_2020 |= report.changepoint_labels[i] == "Records a year" && report.changepoints[i].year == 2020;
  EXPECT_TRUE(at_2020);
  Json j = to_json(report);
  EXPECT_EQ(j["shifts"][0]["verdict"], "shift");
  EXPECT_EQ(j["series"].get<size_t>(), report.series.size());
}

TEST(Shifts, TooFewRecordsAreNeverFlagged) {
  auto t = demo_table(120, 8);
  auto report = find_shifts(t, {});
  for (const auto& r : report.results) {
    if (r.verdict == stats::Verdict::too_few_records) {
      EXPECT_NE(r.explanation.find("too few records"), std::string::npos) << r.explanation;
    }
  }
  // A corridor with a handful of records is judged too small, not "no shift".
  const auto* rare = find(report, "Records from Ukraine exploited in Poland");
  if (rare && rare->verdict != stats::Verdict::shift) {
    int64_t n = 0;
    for (const auto& s : report.series)
      if (s.counts.label == rare->label) n = s.counts.baseline_count + s.counts.compare_count;
    if (n < 11) {
      EXPECT_EQ(rare->verdict, stats::Verdict::too_few_records);
    }
  }
}

TEST(Shifts, APartialYearIsNotALevel) {
  auto t = demo_table(5000, 2);
  CaseRecord r;
  r.year = 2026;
  t.push_back(r);
  auto with = find_shifts(t, {}, {}, std::nullopt);
  auto without = find_shifts(t, {}, {}, 2026);
  auto last_year = [](const ShiftReport& rep) {
    int y = 0;
    for (const auto& cp : rep.changepoints) y = std::max(y, cp.after.last_year);
    return y;
  };
  EXPECT_EQ(last_year(without), 2023);
  EXPECT_GE(last_year(with), 2023);
}

TEST(Shifts, PeriodsAreYears) {
  EXPECT_EQ(parse_period("2017-2019", "baseline").first_year, 2017);
  EXPECT_EQ(parse_period("2020", "compare").last_year, 2020);
  for (const char* bad : {"2019-2017", "17-19", "2017–2019", "", "1800-1801", "x"}) {
    try {
      parse_period(bad, "baseline");
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "baseline");
    }
  }
}

TEST(Shifts, CategoriesReadAsWords) {
  EXPECT_EQ(category_words("ForcedLabour"), "forced labour");
  EXPECT_EQ(category_words("SexualExploit"), "sexual exploitation");
  EXPECT_EQ(category_words("DomesticWork"), "domestic work");
}

TEST(Publish, TheCorridorTableAndItsCsv) {
  RecordTable t;
  auto add = [&](const char* a, const char* b, int n) {
    for (int i = 0; i < n; ++i) {
      CaseRecord r;
      r.citizenship = *country_code(a);
      r.exploitation = *country_code(b);
      t.push_back(r);
    }
  };
  add("UKR", "POL", 30);
  add("UKR", "UKR", 40);
  add("MDA", "POL", 3);
  add("MDA", "RUS", 25);
  auto table = corridor_table(t);
  EXPECT_EQ(table.rows, (std::vector<std::string>{"MDA", "UKR"}));
  EXPECT_EQ(table.columns, (std::vector<std::string>{"POL", "RUS", "UKR"}));
  EXPECT_EQ(table.count(0, 0), 3);
  Json p = published_json(stats::suppress(table, {11}));
  EXPECT_TRUE(p["cells"][0][0].is_null());
  EXPECT_EQ(p["status"][0][0], "primary");
  std::string csv = published_csv(p);
  EXPECT_TRUE(csv.starts_with("citizenship,exploitation,count,status\n")) << csv;
  EXPECT_NE(csv.find("MDA,POL,,suppressed\n"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",3,"), std::string::npos) << "the small value is nowhere";
  EXPECT_NE(csv.find("TOTAL,TOTAL,98,published\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace ctip::flows
