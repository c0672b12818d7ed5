#include "flows/record.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "flows/regions.h"

namespace ctip::flows {
namespace {

TEST(CountryCode, PacksIsoAlpha3AndAcceptsAlpha2) {
  auto nga = country_code("NGA");
  ASSERT_TRUE(nga);
  EXPECT_EQ(alpha3(*nga), "NGA");
  EXPECT_EQ(country_code("ng"), nga);
  EXPECT_EQ(country_code("nga"), nga);
  EXPECT_EQ(alpha3(*country_code("UA")), "UKR");
  EXPECT_EQ(alpha3(*country_code("ZWE")), "ZWE");
  EXPECT_EQ(alpha3(*country_code("ABW")), "ABW");
}

TEST(CountryCode, CtdcUnknownsAndNonIsoCodesAreNotCountries) {
  for (auto v : {"00", "0", "-99", "", "UK", "XXX", "ZZ", "Unknown", "N1", "NGAX"})
    EXPECT_FALSE(country_code(v)) << v;
  EXPECT_EQ(alpha3(kUnknownCountry), "");
}

TEST(Record, KnownInAGroupFollowsCtdcRule) {
  CaseRecord r;
  EXPECT_FALSE(r.known(FlagGroup::control));
  r.flags[static_cast<size_t>(FlagGroup::control)] = not_specified_mask(FlagGroup::control);
  EXPECT_FALSE(r.known(FlagGroup::control));               // only "not specified": no information
  r.flags[static_cast<size_t>(FlagGroup::control)] |= 1u;  // DebtBondage
  EXPECT_TRUE(r.known(FlagGroup::control));
  EXPECT_EQ(categories(FlagGroup::control)[0], "DebtBondage");
  EXPECT_EQ(categories(FlagGroup::exploitation).size(), 8u);
}

TEST(RecordTable, AppendReindexesSources) {
  RecordTable t;
  t.source_index("Hotline");
  CaseRecord r;
  r.source = 1;
  std::vector<std::string> import_sources = {"unknown", "Case Management"};
  t.append(std::span<const CaseRecord>(&r, 1), import_sources);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.sources()[t.source[0]], "Case Management");
  EXPECT_EQ(t.at(0).source, 2);
}

TEST(Regions, M49PlacesEveryIsoCountryButAntarctica) {
  const auto* r = m49_region(*country_code("NGA"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->region, "Africa");
  EXPECT_EQ(r->subregion, "Sub-Saharan Africa");
  EXPECT_EQ(r->intermediate, "Western Africa");
  EXPECT_EQ(m49_region(*country_code("UKR"))->subregion, "Eastern Europe");
  EXPECT_FALSE(m49_region(*country_code("ATA")));
  EXPECT_FALSE(m49_region(kUnknownCountry));
  auto europe = countries_in_region("Europe");
  EXPECT_TRUE(europe.test(*country_code("FRA")));
  EXPECT_FALSE(europe.test(*country_code("NGA")));
  EXPECT_GT(europe.count(), 40u);
  EXPECT_THROW(countries_in_region("Atlantis"), Error);
}

}  // namespace
}  // namespace ctip::flows
