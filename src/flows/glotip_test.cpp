#include "flows/glotip.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace ctip::flows {
namespace {

GlotipData read_fixture() {
  std::ifstream in(std::string(CTIP_FLOWS_TESTDATA) + "/glotip_sample.csv", std::ios::binary);
  EXPECT_TRUE(in);
  return read_glotip(in);
}

const GlotipDomesticRow* find_row(const std::vector<GlotipDomesticRow>& rows, const char* iso,
                                  int year) {
  for (const auto& r : rows)
    if (alpha3(r.country) == iso && r.year == year) return &r;
  return nullptr;
}

TEST(GlotipCount, ParsesCountsThousandsAndTheSuppressedInterval) {
  EXPECT_EQ(parse_glotip_count("<5"), (Count{1, 4}));
  EXPECT_EQ(parse_glotip_count("0"), (Count{0, 0}));
  EXPECT_EQ(parse_glotip_count("204"), (Count{204, 204}));
  EXPECT_EQ(parse_glotip_count("1,094"), (Count{1094, 1094}));
  EXPECT_EQ(parse_glotip_count("32,022"), (Count{32022, 32022}));
  for (auto bad : {"", "n/a", "6,112,019", "61,212,020", "1,2", "12,34", ",123", "1,2345", "-3",
                   "4.5", "<4", "2000000"})
    EXPECT_FALSE(parse_glotip_count(bad)) << bad;
}

TEST(GlotipCount, IntervalsStayIntervalsThroughSums) {
  Count total;
  for (int i = 0; i < 3; ++i) total += *parse_glotip_count("<5");
  total += *parse_glotip_count("10");
  EXPECT_EQ(total, (Count{13, 22}));
  EXPECT_FALSE(total.exact());
  EXPECT_TRUE((Count{5, 5}).exact());
}

TEST(CitizenshipMap, BuiltinMapsNamesNationalitiesAndOtherLanguages) {
  const auto& map = CitizenshipMap::builtin();
  EXPECT_GT(map.size(), 500u);
  auto code = [&](const char* category) {
    const auto* e = map.find(category);
    return e && e->kind == CitizenshipKind::country ? alpha3(e->country) : std::string("-");
  };
  EXPECT_EQ(code("Ukraine"), "UKR");
  EXPECT_EQ(code("Ukrainian"), "UKR");
  EXPECT_EQ(code("Sudafrica"), "ZAF");
  EXPECT_EQ(code("R.Dominicana"), "DOM");
  EXPECT_EQ(code("Corea del Sur"), "KOR");
  EXPECT_EQ(code("Bolivia"), "BOL");
  EXPECT_EQ(map.find("Nationals")->kind, CitizenshipKind::nationals);
  EXPECT_EQ(map.find("Ciudadanos de su pa\xEF\xBF\xBDs")->kind, CitizenshipKind::nationals);
  EXPECT_EQ(map.find("Unknown")->kind, CitizenshipKind::unknown);
  EXPECT_EQ(map.find("Other Europe")->kind, CitizenshipKind::foreign);
  // Ambiguous or not a citizenship: not listed, so reported rather than guessed.
  EXPECT_FALSE(map.find("Guinean"));
  EXPECT_FALSE(map.find("Nigerin"));
  EXPECT_FALSE(map.find("Q6.1_2s_2019"));
  EXPECT_FALSE(map.find("TOTAL"));
}

TEST(CitizenshipMap, BadRowsAreErrorsNamingTheLine) {
  EXPECT_THROW(CitizenshipMap::parse("category,kind,alpha3,note\nFoo,country,XXX,\n"), Error);
  EXPECT_THROW(CitizenshipMap::parse("category,kind,alpha3,note\nFoo,neighbour,,\n"), Error);
  EXPECT_THROW(CitizenshipMap::parse("category,kind,alpha3,note\nA,unknown,,\nA,foreign,,\n"),
               Error);
  auto map = CitizenshipMap::parse("# comment\ncategory,kind,alpha3,note\nNaija,country,NGA,x\n");
  EXPECT_EQ(alpha3(map.find("Naija")->country), "NGA");
}

TEST(Glotip, ReadsTheFixtureReportingMalformedValuesAndUnmappedCategories) {
  auto data = read_fixture();
  const auto& s = data.summary;
  EXPECT_EQ(s.rows_read, 22u);
  EXPECT_TRUE(s.ok());
  ASSERT_EQ(s.malformed.size(), 2u);
  EXPECT_EQ(s.malformed[0].text, "6,112,019");
  EXPECT_EQ(alpha3(s.malformed[0].country), "AND");
  EXPECT_EQ(s.malformed[0].line, 18u);
  EXPECT_EQ(s.imported, 18u);  // 22 - 2 malformed - 2 without a country (Sark)
  EXPECT_EQ(s.skipped, 2u);
  bool sark = false, guinean = false;
  for (const auto& u : s.unknown_values) {
    if (u.column == "Iso3_code" && u.value.find("Sark") != std::string::npos && u.count == 2)
      sark = true;
    if (u.column == "Category" && u.value == "Guinean" && u.count == 1) guinean = true;
  }
  EXPECT_TRUE(sark);
  EXPECT_TRUE(guinean);
}

TEST(Glotip, DomesticShareCarriesTheSuppressedIntervals) {
  auto data = read_fixture();
  auto rows = glotip_domestic_share(data);
  const auto* arg = find_row(rows, "ARG", 2019);
  ASSERT_TRUE(arg);
  // Argentina 2019: 1,094 nationals; 486 foreign victims counted exactly plus four "<5" cells.
  EXPECT_EQ(arg->domestic, (Count{1094, 1094}));
  EXPECT_EQ(arg->foreign, (Count{490, 502}));
  EXPECT_EQ(arg->total_known, (Count{1584, 1596}));
  EXPECT_NEAR(arg->share_lo, 1094.0 / 1596.0, 1e-12);
  EXPECT_NEAR(arg->share_hi, 1094.0 / 1584.0, 1e-12);
  const auto* alb = find_row(rows, "ALB", 2020);
  ASSERT_TRUE(alb);
  EXPECT_EQ(alb->domestic, (Count{28, 28}));
  EXPECT_DOUBLE_EQ(alb->share_lo, 1.0);
  const auto* aus = find_row(rows, "AUS", 2019);
  ASSERT_TRUE(aus);
  EXPECT_EQ(aus->unmapped, (Count{1, 4}));
  EXPECT_EQ(aus->total_known, (Count{0, 0}));
  // Andorra's malformed value is for convictions, not victims: no row for it here.
  EXPECT_FALSE(find_row(rows, "AND", 2022));
  auto convicted = glotip_domestic_share(data, "Persons convicted");
  const auto* andorra = find_row(convicted, "AND", 2022);
  ASSERT_TRUE(andorra);
  EXPECT_EQ(andorra->malformed, 1u);
}

TEST(Glotip, CorridorsAreIntervalsToTheReportingCountry) {
  auto data = read_fixture();
  auto corridors = glotip_corridors(data);
  ASSERT_FALSE(corridors.empty());
  EXPECT_EQ(alpha3(corridors[0].citizenship), "ARG");  // nationals: Argentina's own corridor
  EXPECT_EQ(alpha3(corridors[0].exploitation), "ARG");
  EXPECT_EQ(corridors[0].count, (Count{1094, 1094}));
  bool chile = false;
  for (const auto& c : corridors)
    if (alpha3(c.citizenship) == "CHL" && alpha3(c.exploitation) == "ARG") {
      EXPECT_EQ(c.count, (Count{1, 4}));
      chile = true;
    }
  EXPECT_TRUE(chile);
  EXPECT_TRUE(glotip_corridors(data, "Detected trafficking victims", 2021, 2022).empty());
}

TEST(Glotip, WrongHeaderRaggedRowsAndBadYearsAreReported) {
  std::istringstream wrong("year,value\n2019,3\n");
  EXPECT_THROW(read_glotip(wrong), Error);
  std::istringstream bad(
      "Iso3_code,Indicator,Dimension,Category,Sex,Age,Year,txtVALUE\n"
      "ARG,Detected trafficking victims,Total,Total,Total,Total,2019,10\n"
      "ARG,Detected trafficking victims,Total,Total,Total,Total,1899,10\n"
      "ARG,Detected trafficking victims,Total,Total,Total,2019,10\n"
      "ARG,Detected trafficking victims,Total,Total,Total,Total,twenty,10\n");
  auto data = read_glotip(bad);
  EXPECT_EQ(data.summary.imported, 1u);
  ASSERT_EQ(data.summary.error_count, 3u);
  EXPECT_EQ(data.summary.errors[0].line, 3u);
  EXPECT_EQ(data.summary.errors[0].column_name, "Year");
  EXPECT_EQ(data.summary.errors[1].line, 4u);
  EXPECT_NE(data.summary.errors[1].message.find("ragged"), std::string::npos);
  EXPECT_EQ(data.summary.errors[2].line, 5u);
}

// UNODC's whole file, when it is beside the clone (../shared/data/glotip).
TEST(Glotip, TheSharedFileGivesDomesticSharesWithIntervals) {
  std::string path = CTIP_SHARED_GLOTIP;
  if (const char* env = std::getenv("CTIP_GLOTIP_FILE")) path = env;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not there";
  std::ifstream in(path, std::ios::binary);
  auto data = read_glotip(in);
  const auto& s = data.summary;
  EXPECT_EQ(s.rows_read, 58769u);  // SOURCE.md
  EXPECT_TRUE(s.ok());
  // The questionnaire codes and pasted dates of Pakistan, Sierra Leone and Andorra.
  EXPECT_GE(s.malformed.size(), 100u);
  bool andorra = false;
  for (const auto& m : s.malformed)
    if (m.text == "6,112,019" && alpha3(m.country) == "AND") andorra = true;
  EXPECT_TRUE(andorra);
  auto rows = glotip_domestic_share(data);
  EXPECT_GT(rows.size(), 300u);
  const auto* arg = find_row(rows, "ARG", 2019);
  ASSERT_TRUE(arg);
  EXPECT_EQ(arg->domestic, (Count{1094, 1094}));
  EXPECT_EQ(arg->total_known, (Count{1584, 1596}));
  size_t intervals = 0;
  for (const auto& r : rows) {
    EXPECT_LE(r.share_lo, r.share_hi);
    EXPECT_LE(r.domestic.lo, r.domestic.hi);
    if (!r.total_known.exact()) ++intervals;
  }
  EXPECT_GT(intervals, 100u);  // "<5" is everywhere; the shares carry it
}

}  // namespace
}  // namespace ctip::flows
