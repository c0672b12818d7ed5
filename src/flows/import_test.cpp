#include "flows/import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace ctip::flows {
namespace {

std::ifstream fixture(const std::string& name) {
  std::ifstream in(std::string(CTIP_FLOWS_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return in;
}

ImportedTable read(const std::string& text, Format f = Format::ctdc) {
  std::istringstream in(text);
  return import_table(in, f);
}

uint64_t unknown_count(const ImportSummary& s, std::string_view column, std::string_view value) {
  for (const auto& u : s.unknown_values)
    if (u.column == column && u.value == value) return u.count;
  return 0;
}

TEST(ImportCtdc, ReadsTheSampleWithTermsOfUseColumnAndResearcherColumns) {
  auto in = fixture("ctdc_sample.csv");
  auto [t, s] = import_table(in, Format::ctdc);
  EXPECT_EQ(s.rows_read, 8u);
  EXPECT_EQ(s.imported, 8u);
  EXPECT_EQ(s.skipped, 0u);
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s.terms_of_use_column);
  EXPECT_EQ(s.ignored_columns, std::vector<std::string>{"myNotes"});
  EXPECT_EQ(s.columns.size(), 13u);
  ASSERT_EQ(t.size(), 8u);

  auto r0 = t.at(0);
  EXPECT_EQ(r0.year, 2017);
  EXPECT_EQ(t.sources()[r0.source], "Case Management");
  EXPECT_EQ(r0.sex, Sex::female);
  EXPECT_EQ(r0.age, AgeGroup::age_18_20);
  EXPECT_EQ(alpha3(r0.citizenship), "UKR");
  EXPECT_EQ(alpha3(r0.exploitation), "UKR");
  EXPECT_EQ(r0.mask(FlagGroup::exploitation), 1u << 1);  // isSexualExploit
  EXPECT_EQ(r0.mask(FlagGroup::control), 1u << 0);       // DebtBondage
  EXPECT_EQ(r0.mask(FlagGroup::recruiter), 1u << 2);     // Family

  auto r1 = t.at(1);  // 1.0 / 0.0 / -99
  EXPECT_EQ(r1.mask(FlagGroup::exploitation), 1u << 0);
  EXPECT_EQ(r1.mask(FlagGroup::control), 0u);
  EXPECT_EQ(r1.mask(FlagGroup::labour), 1u << 0);

  auto r2 = t.at(2);  // false/true; ageBroad -99 but majorityStatus Minor; citizenship "0"
  EXPECT_EQ(r2.mask(FlagGroup::exploitation), 1u << 1);
  EXPECT_EQ(r2.age, AgeGroup::minor);
  EXPECT_EQ(r2.citizenship, kUnknownCountry);
  EXPECT_EQ(t.sources()[r2.source], "Hotline");
  EXPECT_FALSE(r2.known(FlagGroup::control));  // only NotSpecified

  EXPECT_EQ(t.at(4).mask(FlagGroup::exploitation), 1u << 0);  // TRUE/FALSE
  auto r5 = t.at(5);
  EXPECT_EQ(r5.year, 0);
  EXPECT_EQ(r5.sex, Sex::unknown);
  EXPECT_EQ(r5.exploitation, kUnknownCountry);
  EXPECT_EQ(t.at(6).citizenship, kUnknownCountry);  // "UK" is not ISO 3166

  EXPECT_EQ(unknown_count(s, "citizenship", "0"), 1u);
  EXPECT_EQ(unknown_count(s, "citizenship", "00"), 1u);
  EXPECT_EQ(unknown_count(s, "citizenship", "-99"), 1u);
  EXPECT_EQ(unknown_count(s, "citizenship", "UK"), 1u);
  EXPECT_EQ(unknown_count(s, "CountryOfExploitation", ""), 1u);
  EXPECT_EQ(unknown_count(s, "yearOfRegistration", "-99"), 1u);
  EXPECT_EQ(unknown_count(s, "gender", "Unknown"), 1u);
  EXPECT_EQ(unknown_count(s, "ageBroad", "-99"), 1u);
}

TEST(ImportCtdc, ColumnsInAnyOrderAndAnySubset) {
  auto [t, s] = read("CountryOfExploitation,citizenship\nTH,MM\nTH,TH\n");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(alpha3(t.citizenship[0]), "MMR");
  EXPECT_EQ(alpha3(t.exploitation[0]), "THA");
  EXPECT_EQ(t.year[0], 0);
  EXPECT_TRUE(s.ok());
}

TEST(ImportCtdc, UnknownValuesAreCountedPerColumnAndValue) {
  std::string text = "citizenship,CountryOfExploitation\n";
  for (int i = 0; i < 7; ++i) text += "0,US\n";
  for (int i = 0; i < 3; ++i) text += "XK,US\n";
  text += "NG,-99\n";
  auto [t, s] = read(text);
  EXPECT_EQ(s.imported, 11u);
  EXPECT_EQ(unknown_count(s, "citizenship", "0"), 7u);
  EXPECT_EQ(unknown_count(s, "citizenship", "XK"), 3u);
  EXPECT_EQ(unknown_count(s, "CountryOfExploitation", "-99"), 1u);
  // Sorted by column, then count.
  ASSERT_GE(s.unknown_values.size(), 3u);
  EXPECT_EQ(s.unknown_values[0].value, "0");
}

TEST(ImportCtdc, AFlagOfNoAcceptedSpellingIsARowErrorWithLineAndColumn) {
  auto [t, s] = read("yearOfRegistration,isForcedLabour\n2019,1\n2019,yes\n2019,2\n2020,0\n");
  EXPECT_EQ(s.rows_read, 4u);
  EXPECT_EQ(s.imported, 2u);
  EXPECT_EQ(s.skipped, 2u);
  EXPECT_FALSE(s.ok());
  ASSERT_EQ(s.errors.size(), 2u);
  EXPECT_EQ(s.errors[0].line, 3u);
  EXPECT_EQ(s.errors[0].column, 2u);
  EXPECT_EQ(s.errors[0].column_name, "isForcedLabour");
  EXPECT_NE(to_string(s.errors[0]).find("line 3, column 2 (isForcedLabour)"), std::string::npos);
  EXPECT_EQ(s.errors[1].line, 4u);
}

TEST(ImportCtdc, ImpossibleAndNonNumericYearsAreRowErrors) {
  auto [t, s] = read("yearOfRegistration,gender\n1850,Female\n2019,Male\n20x9,Male\n3000,Male\n");
  EXPECT_EQ(s.imported, 1u);
  ASSERT_EQ(s.error_count, 3u);
  EXPECT_EQ(s.errors[0].line, 2u);
  EXPECT_NE(s.errors[0].message.find("impossible year 1850"), std::string::npos);
  EXPECT_NE(s.errors[1].message.find("not a year"), std::string::npos);
  EXPECT_EQ(s.errors[2].line, 5u);
}

TEST(ImportCtdc, RaggedRowsAndInvalidUtf8AreRowErrors) {
  auto [t, s] = read("gender,citizenship\nFemale,NG\nMale\nFemale,NG,extra\nMale,\xC3(\n");
  EXPECT_EQ(s.imported, 1u);
  ASSERT_EQ(s.error_count, 3u);
  EXPECT_EQ(s.errors[0].line, 3u);
  EXPECT_NE(s.errors[0].message.find("ragged"), std::string::npos);
  EXPECT_EQ(s.errors[1].line, 4u);
  EXPECT_EQ(s.errors[2].line, 5u);
  EXPECT_EQ(s.errors[2].column, 2u);
  EXPECT_EQ(s.errors[2].column_name, "citizenship");
  EXPECT_NE(s.errors[2].message.find("UTF-8"), std::string::npos);
}

TEST(ImportCtdc, WrongOrMissingHeaderIsAnError) {
  try {
    read("2019,Female,NG\n2019,Male,UA\n");
    FAIL() << "a file without a header was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "header");
    EXPECT_NE(std::string(e.what()).find("names none of the ctdc columns"), std::string::npos);
  }
  EXPECT_THROW(read(""), Error);
  EXPECT_THROW(read("citizenship,citizenship\nNG,NG\n"), Error);  // twice
  // A synthetic file's header read as HTCDS names none of its columns.
  EXPECT_THROW(read("yearOfRegistration,gender\n2021,Woman\n", Format::htcds), Error);
}

TEST(ImportCtdc, UnknownFormatIsAnError) {
  EXPECT_EQ(parse_format("ctdc-synthetic"), Format::ctdc_synthetic);
  try {
    parse_format("excel");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "format");
    EXPECT_NE(std::string(e.what()).find("ctdc, ctdc-synthetic, htcds, glotip"), std::string::npos);
  }
  std::istringstream in("x\n");
  EXPECT_THROW(import_records(in, Format::glotip, [](auto, auto) {}), Error);
}

TEST(ImportCtdc, StreamsInBatches) {
  std::string text = "yearOfRegistration,citizenship\n";
  for (int i = 0; i < 2500; ++i) text += "2019,NG\n";
  std::istringstream in(text);
  ImportOptions options;
  options.batch_size = 1000;
  std::vector<size_t> batches;
  uint64_t progress = 0;
  options.progress = [&](uint64_t rows) { progress = rows; };
  auto s = import_records(
      in, Format::ctdc, [&](auto batch, auto) { batches.push_back(batch.size()); }, options);
  EXPECT_EQ(batches, (std::vector<size_t>{1000, 1000, 500}));
  EXPECT_EQ(progress, 2500u);
  EXPECT_EQ(s.imported, 2500u);
}

TEST(ImportSynthetic, ReadsAlpha3AndFlagsOneOrEmpty) {
  auto in = fixture("ctdc_synthetic_sample.csv");
  auto [t, s] = import_table(in, Format::ctdc_synthetic);
  EXPECT_TRUE(s.ok());
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(alpha3(t.citizenship[0]), "NGA");
  EXPECT_EQ(alpha3(t.exploitation[0]), "ITA");
  EXPECT_EQ(t.sex[0], Sex::female);
  EXPECT_EQ(t.sex[1], Sex::male);
  EXPECT_EQ(t.sources()[t.source[0]], "CTDC synthetic");
  EXPECT_EQ(t.at(0).mask(FlagGroup::control), 1u << 19);  // meansThreats, kept apart
  EXPECT_EQ(t.at(0).mask(FlagGroup::recruiter), 1u << 1);
  EXPECT_EQ(t.at(1).mask(FlagGroup::labour), 1u << 4);  // DomesticWork
  EXPECT_EQ(t.age[2], AgeGroup::age_9_17);
  EXPECT_EQ(unknown_count(s, "citizenship", "XXX"), 1u);
  EXPECT_EQ(unknown_count(s, "citizenship", ""), 1u);
  EXPECT_TRUE(s.ignored_columns.empty());
}

TEST(ImportHtcds, ReadsFieldNamesMultiselectsAndIgnoresPersonalFields) {
  auto in = fixture("htcds_sample.csv");
  auto [t, s] = import_table(in, Format::htcds);
  EXPECT_TRUE(s.ok());
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(s.ignored_columns, std::vector<std::string>{"prs_FirstName"});
  auto a = t.at(0);
  EXPECT_EQ(a.year, 2020);
  EXPECT_EQ(a.sex, Sex::female);
  EXPECT_EQ(a.age, AgeGroup::age_9_17);
  EXPECT_EQ(alpha3(a.citizenship), "NPL");
  EXPECT_EQ(alpha3(a.exploitation), "IND");
  EXPECT_EQ(a.mask(FlagGroup::exploitation), (1u << 1) | (1u << 4));
  EXPECT_EQ(a.mask(FlagGroup::control), (1u << 0) | (1u << 3));
  EXPECT_EQ(a.mask(FlagGroup::sexual), 1u << 0);
  EXPECT_EQ(a.mask(FlagGroup::recruiter), 1u << 1);
  auto b = t.at(1);
  EXPECT_EQ(alpha3(b.citizenship), "NPL");        // the first of a multiselect
  EXPECT_EQ(b.mask(FlagGroup::labour), 1u << 3);  // ISIC F: construction
  EXPECT_EQ(b.age, AgeGroup::age_30_38);
  auto c = t.at(2);
  EXPECT_EQ(c.year, 2021);
  EXPECT_EQ(c.citizenship, kUnknownCountry);
  EXPECT_EQ(c.mask(FlagGroup::labour), 1u << 2);  // ForcedBegging: begging
  EXPECT_EQ(unknown_count(s, "vic_TypeOfExploitation", "Teleportation"), 1u);
  EXPECT_EQ(unknown_count(s, "prs_Citizenship", "ZZ"), 1u);
  EXPECT_EQ(t.sources()[c.source], "HTCDS");
}

TEST(ImportHtcds, TraffickingEventGivesCountryOfExploitation) {
  auto [t, s] = read(
      "prs_Citizenship,hte_Type,hte_Country,hte_Date\nKH,Exploitation,TH,2019-05-01\n"
      "KH,Recruitment,KH,2018-01-01\nKH,Exploitation,TH,05/01/2019\n",
      Format::htcds);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(alpha3(t.exploitation[0]), "THA");
  EXPECT_EQ(t.year[0], 2019);
  EXPECT_EQ(t.exploitation[1], kUnknownCountry);
  ASSERT_EQ(s.error_count, 1u);
  EXPECT_EQ(s.errors[0].line, 4u);
  EXPECT_EQ(s.errors[0].column_name, "hte_Date");
}

}  // namespace
}  // namespace ctip::flows
