#include "cases/services/provider.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace ctip::cases::services {
namespace {

const std::string kHeader =
    "name,services,languages,interpreter,region,location,sexes,min_age,max_age,nationalities,"
    "documentation,capacity,occupancy,funding_this_year,funding_baseline\n";

ProviderCsv read_text(const std::string& text) {
  std::istringstream in(text);
  return read_providers_csv(in);
}

TEST(ServiceTypes, RoundTripAndRejectUnknown) {
  for (auto t : kServiceTypes) EXPECT_EQ(parse_service_type(to_string(t)), t);
  EXPECT_FALSE(parse_service_type("Shelter"));
  EXPECT_FALSE(parse_service_type(""));
}

TEST(ProviderCsv, ReadsEveryFieldOfAGoodFile) {
  std::ifstream in(std::string(CTIP_SERVICES_TESTDATA) + "/providers.csv");
  auto csv = read_providers_csv(in);
  ASSERT_TRUE(csv.problems.empty()) << csv.problems[0].message;
  ASSERT_EQ(csv.providers.size(), 2u);
  const auto& p = csv.providers[0];
  EXPECT_EQ(p.name, "Casa Ana shelter");
  EXPECT_EQ(p.services, (std::vector{ServiceType::shelter, ServiceType::psychological}));
  EXPECT_EQ(p.languages, (std::vector<std::string>{"ro", "en"}));
  EXPECT_TRUE(p.interpreter);
  EXPECT_EQ(p.region, "North");
  EXPECT_EQ(p.eligibility.sexes, (std::vector<std::string>{"female"}));
  EXPECT_EQ(p.eligibility.min_age, 18);
  EXPECT_FALSE(p.eligibility.max_age);
  EXPECT_EQ(p.capacity, 20);
  EXPECT_EQ(p.occupancy, 12);
  EXPECT_EQ(p.free_places(), 8);
  EXPECT_EQ(p.funding_baseline, 120000);
  EXPECT_FALSE(csv.providers[1].interpreter);
}

TEST(ProviderCsv, NamesEveryBadRowByLineAndField) {
  std::ifstream in(std::string(CTIP_SERVICES_TESTDATA) + "/providers_bad.csv");
  auto csv = read_providers_csv(in);
  ASSERT_EQ(csv.problems.size(), 3u);
  EXPECT_EQ(csv.problems[0].line, 3u);
  EXPECT_EQ(csv.problems[0].field, "services");
  EXPECT_NE(csv.problems[0].message.find("massage"), std::string::npos);
  EXPECT_EQ(csv.problems[1].line, 4u);
  EXPECT_EQ(csv.problems[1].field, "occupancy");
  EXPECT_EQ(csv.problems[2].line, 5u);
  EXPECT_EQ(csv.problems[2].field, "capacity");
  EXPECT_EQ(csv.providers.size(), 1u);  // the caller writes nothing when problems is not empty
}

TEST(ProviderCsv, AMissingColumnIsAHeaderProblem) {
  auto csv = read_text("name,services\nA,shelter\n");
  ASSERT_FALSE(csv.problems.empty());
  EXPECT_EQ(csv.problems[0].line, 1u);
  EXPECT_EQ(csv.problems[0].field, "languages");
}

TEST(ProviderCsv, RaggedRowsUnknownCodesAndAgeRangesAreRefused) {
  auto csv = read_text(
      kHeader + "A,shelter,ro,no,N,,\n" + "B,shelter,romanian,no,N,,,,,,,1,0,0,0\n" +
      "C,shelter,ro,maybe,N,,,,,,,1,0,0,0\n" + "D,shelter,ro,no,N,,female,30,20,,,1,0,0,0\n" +
      "E,shelter,ro,no,N,,,,,XX,,1,0,0,0\n" + "F,shelter,ro,no,N,,,,,,stateless,1,0,0,0\n" +
      "G,shelter,ro,no,N,,,,,,,,0,0,0\n");
  ASSERT_EQ(csv.problems.size(), 7u);
  std::vector<std::string> fields;
  fields.reserve(csv.problems.size());
  for (const auto& p : csv.problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"row", "languages", "interpreter", "max_age",
                                              "nationalities", "documentation", "capacity"}));
  EXPECT_EQ(csv.problems[0].line, 2u);
  EXPECT_EQ(csv.problems[6].line, 8u);
}

TEST(ProviderCsv, AnEmptyFileOrOnlyAHeaderIsRefused) {
  EXPECT_FALSE(read_text("").problems.empty());
  auto only = read_text(kHeader);
  ASSERT_EQ(only.problems.size(), 1u);
  EXPECT_EQ(only.problems[0].field, "rows");
}

TEST(ProviderCsv, AnOrganisationIsNamedByIdOrByNameNotBoth) {
  const std::string header = kHeader.substr(0, kHeader.size() - 1) + ",org_id,organisation\n";
  auto csv = read_text(header + "A,shelter,ro,no,N,,,,,,,1,0,0,0,,Safe Harbour Shelter\n" +
                       "B,shelter,ro,no,N,,,,,,,1,0,0,0,7,\n" +
                       "C,shelter,ro,no,N,,,,,,,1,0,0,0,7,Safe Harbour Shelter\n");
  ASSERT_EQ(csv.problems.size(), 1u);
  EXPECT_EQ(csv.problems[0].line, 4u);
  EXPECT_EQ(csv.problems[0].field, "organisation");
  ASSERT_EQ(csv.providers.size(), 2u);
  EXPECT_EQ(csv.providers[0].org_name, "Safe Harbour Shelter");
  EXPECT_EQ(csv.providers[1].org_id, 7);
}

TEST(ProviderValidate, OccupancyAboveCapacityNamesTheField) {
  Provider p;
  p.name = "X";
  p.services = {ServiceType::medical};
  p.capacity = 2;
  p.occupancy = 3;
  try {
    validate(p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "occupancy");
  }
  p.occupancy = 2;
  EXPECT_NO_THROW(validate(p));
  EXPECT_EQ(p.free_places(), 0);
}

}  // namespace
}  // namespace ctip::cases::services
