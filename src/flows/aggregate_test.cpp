#include "flows/aggregate.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "core/error.h"
#include "flows/import.h"

namespace ctip::flows {
namespace {

// The CTDC sample (testdata/ctdc_sample.csv), eight records:
//   2017 UA->UA  F 18-20  sexual              2017 UA->RU  M 30-38  forced labour
//   2018  0->US  F minor  sexual (Hotline)    2018 00->PH  F 9-17   forced labour
//   2019 PH->PH  M 48+    forced labour       ----  -99->-  unknown (Hotline)
//   2019 UK->RU  F 21-23  sexual              2019 UA->UA  F 24-26  forced labour
RecordTable sample() {
  std::ifstream in(std::string(CTIP_FLOWS_TESTDATA) + "/ctdc_sample.csv", std::ios::binary);
  EXPECT_TRUE(in);
  return import_table(in, Format::ctdc).table;
}

uint64_t corridor(const CorridorMatrix& m, const char* from, const char* to) {
  for (const auto& c : m.corridors)
    if (alpha3(c.citizenship) == from && alpha3(c.exploitation) == to) return c.count;
  return 0;
}

TEST(Corridors, CountKnownPairsAndSayHowManyWereUnknown) {
  auto t = sample();
  auto m = corridors(t);
  EXPECT_EQ(m.records, 8u);
  EXPECT_EQ(m.unknown, 4u);
  EXPECT_EQ(m.unknown_citizenship, 4u);
  EXPECT_EQ(m.unknown_exploitation, 1u);
  ASSERT_EQ(m.corridors.size(), 3u);
  EXPECT_EQ(alpha3(m.corridors[0].citizenship), "UKR");  // largest first
  EXPECT_EQ(m.corridors[0].count, 2u);
  EXPECT_EQ(corridor(m, "UKR", "RUS"), 1u);
  EXPECT_EQ(corridor(m, "PHL", "PHL"), 1u);
}

TEST(Corridors, Filters) {
  auto t = sample();
  Filter female;
  female.sex = Sex::female;
  auto f = corridors(t, female);
  EXPECT_EQ(f.records, 5u);
  EXPECT_EQ(corridor(f, "UKR", "UKR"), 2u);
  EXPECT_EQ(corridor(f, "UKR", "RUS"), 0u);

  Filter ukraine;
  ukraine.country = *country_code("UKR");
  EXPECT_EQ(corridors(t, ukraine).records, 3u);

  Filter east;
  east.region = "Eastern Europe";
  EXPECT_EQ(corridors(t, east).records, 4u);  // UKR or RUS on either side

  Filter hotline;
  hotline.source = "Hotline";
  EXPECT_EQ(corridors(t, hotline).records, 2u);
  Filter nowhere;
  nowhere.source = "Nowhere";
  EXPECT_EQ(corridors(t, nowhere).records, 0u);

  Filter minors;
  minors.age = AgeGroup::minor;
  EXPECT_EQ(corridors(t, minors).records, 2u);  // "minor" and 9-17
  Filter adults;
  adults.age = AgeGroup::adult;
  EXPECT_EQ(corridors(t, adults).records, 5u);

  Filter y2019;
  y2019.year_from = 2019;
  y2019.year_to = 2019;
  auto m = corridors(t, y2019);
  EXPECT_EQ(m.records, 3u);  // the record of unknown year is left out
  EXPECT_EQ(corridor(m, "UKR", "UKR"), 1u);

  Filter empty;
  empty.year_from = 2020;
  empty.year_to = 2019;
  EXPECT_THROW(corridors(t, empty), Error);
  Filter atlantis;
  atlantis.region = "Atlantis";
  EXPECT_THROW(corridors(t, atlantis), Error);
}

TEST(DomesticShare, ByYearAmongRecordsWithBothCountriesKnown) {
  auto t = sample();
  auto d = domestic_share(t, DomesticBy::year);
  EXPECT_EQ(d.records, 8u);
  EXPECT_EQ(d.unknown, 4u);
  ASSERT_EQ(d.rows.size(), 3u);
  EXPECT_EQ(d.rows[0].year, 2017);
  EXPECT_EQ(d.rows[0].domestic, 1u);
  EXPECT_EQ(d.rows[0].total_known, 2u);
  EXPECT_DOUBLE_EQ(d.rows[0].share, 0.5);
  EXPECT_EQ(d.rows[1].year, 2018);
  EXPECT_EQ(d.rows[1].total_known, 0u);
  EXPECT_EQ(d.rows[1].unknown, 2u);
  EXPECT_DOUBLE_EQ(d.rows[1].share, 0.0);
  EXPECT_EQ(d.rows[2].domestic, 2u);
  EXPECT_EQ(d.rows[2].total_known, 2u);
  EXPECT_EQ(d.rows[2].unknown, 1u);
  EXPECT_DOUBLE_EQ(d.rows[2].share, 1.0);
}

TEST(DomesticShare, ByCountryOfExploitation) {
  auto t = sample();
  auto d = domestic_share(t, DomesticBy::country);
  std::map<std::string, DomesticShareRow> by;
  for (const auto& r : d.rows) by[alpha3(r.country)] = r;
  EXPECT_EQ(by["UKR"].domestic, 2u);
  EXPECT_EQ(by["UKR"].total_known, 2u);
  EXPECT_EQ(by["RUS"].domestic, 0u);
  EXPECT_EQ(by["RUS"].total_known, 1u);
  EXPECT_EQ(by["RUS"].unknown, 1u);  // the "UK" citizen
  EXPECT_EQ(by["USA"].unknown, 1u);
  EXPECT_EQ(by["PHL"].total_known, 1u);
  EXPECT_EQ(by["PHL"].unknown, 1u);
  EXPECT_EQ(d.unknown, 4u);  // three with a citizenship unknown, one with no country at all
}

TEST(CategoriesByYear, FormsOfExploitationAndMeansOfControl) {
  auto t = sample();
  auto e = categories_by_year(t, FlagGroup::exploitation);
  EXPECT_EQ(e.records, 8u);
  EXPECT_EQ(e.unknown_year, 1u);
  EXPECT_EQ(e.unknown, 1u);
  ASSERT_EQ(e.years.size(), 3u);
  EXPECT_EQ(e.categories[0], "ForcedLabour");
  EXPECT_EQ(e.years[0].year, 2017);
  EXPECT_EQ(e.years[0].known, 2u);
  EXPECT_EQ(e.years[0].counts[0], 1u);
  EXPECT_EQ(e.years[0].counts[1], 1u);
  EXPECT_EQ(e.years[2].counts[0], 2u);
  EXPECT_EQ(e.years[2].counts[1], 1u);

  auto c = categories_by_year(t, FlagGroup::control);
  EXPECT_EQ(c.years[0].known, 1u);    // DebtBondage in 2017
  EXPECT_EQ(c.years[0].unknown, 1u);  // -99
  EXPECT_EQ(c.years[1].known, 0u);    // 2018: only "NotSpecified" or nothing
  EXPECT_EQ(c.years[1].unknown, 2u);

  Filter y;
  y.year_from = 2019;
  auto r = categories_by_year(t, FlagGroup::recruiter, y);
  EXPECT_EQ(r.records, 3u);
  EXPECT_EQ(r.unknown, 3u);
}

}  // namespace
}  // namespace ctip::flows
