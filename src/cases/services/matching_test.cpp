#include "cases/services/matching.h"

#include <gtest/gtest.h>

#include <random>

#include "core/error.h"

namespace ctip::cases::services {
namespace {

Provider provider(int64_t id, std::string region, std::vector<ServiceType> services,
                  int64_t capacity, int64_t occupancy) {
  Provider p;
  p.id = id;
  p.name = "P" + std::to_string(id);
  p.region = std::move(region);
  p.services = std::move(services);
  p.capacity = capacity;
  p.occupancy = occupancy;
  return p;
}

bool has_code(const std::vector<Reason>& reasons, const std::string& code) {
  for (const auto& r : reasons)
    if (r.code == code) return true;
  return false;
}

Needs shelter_in(std::string region) {
  Needs n;
  n.services = {ServiceType::shelter};
  n.region = std::move(region);
  n.sex = "female";
  n.age = 24;
  n.nationality = "RO";
  n.documentation_status = "none";
  return n;
}

TEST(Matching, TheSameRegionRanksFirstAndEveryRankIsExplained) {
  std::vector<Provider> ps = {provider(1, "South", {ServiceType::shelter}, 10, 0),
                              provider(2, "North", {ServiceType::shelter}, 10, 9)};
  auto r = match(ps, shelter_in("north"));
  ASSERT_EQ(r.ranked.size(), 2u);
  EXPECT_EQ(r.ranked[0].provider_id, 2);
  EXPECT_EQ(r.ranked[0].rank, 1);
  EXPECT_TRUE(has_code(r.ranked[0].reasons, "region"));
  // 10 (service) + 20 (region) + 0.5 (1 of 10 free)
  EXPECT_DOUBLE_EQ(r.ranked[0].score, 30.5);
  EXPECT_DOUBLE_EQ(r.ranked[1].score, 15.0);
  double sum = 0;
  for (const auto& reason : r.ranked[1].reasons) sum += reason.points;
  EXPECT_DOUBLE_EQ(sum, r.ranked[1].score);  // the reasons add up to the score
}

TEST(Matching, ProvidersWithoutCapacityOrServiceAreExcludedWithTheirReasons) {
  std::vector<Provider> ps = {provider(1, "North", {ServiceType::shelter}, 5, 5),
                              provider(2, "North", {ServiceType::medical}, 5, 0),
                              provider(3, "North", {ServiceType::medical}, 0, 0)};
  auto r = match(ps, shelter_in("North"));
  EXPECT_TRUE(r.ranked.empty());
  ASSERT_EQ(r.excluded.size(), 3u);
  EXPECT_TRUE(has_code(r.excluded[0].reasons, "capacity"));
  EXPECT_FALSE(has_code(r.excluded[0].reasons, "service"));
  EXPECT_TRUE(has_code(r.excluded[1].reasons, "service"));
  EXPECT_TRUE(has_code(r.excluded[2].reasons, "service"));
  EXPECT_TRUE(has_code(r.excluded[2].reasons, "capacity"));  // every reason, not the first
}

TEST(Matching, EligibilityExcludesBySexAgeNationalityAndDocumentation) {
  auto base = provider(1, "North", {ServiceType::shelter}, 5, 0);
  auto by_sex = base;
  by_sex.eligibility.sexes = {"male"};
  auto by_age = base;
  by_age.id = 2;
  by_age.eligibility.max_age = 17;
  auto by_nat = base;
  by_nat.id = 3;
  by_nat.eligibility.nationalities = {"MD", "UA"};
  auto by_doc = base;
  by_doc.id = 4;
  by_doc.eligibility.documentation = {"regular", "temporary_permit"};
  auto open = base;
  open.id = 5;
  open.eligibility.sexes = {"female"};
  open.eligibility.min_age = 18;
  open.eligibility.nationalities = {"RO"};
  open.eligibility.documentation = {"none"};
  std::vector<Provider> ps = {by_sex, by_age, by_nat, by_doc, open};
  auto r = match(ps, shelter_in("North"));
  ASSERT_EQ(r.ranked.size(), 1u);
  EXPECT_EQ(r.ranked[0].provider_id, 5);
  ASSERT_EQ(r.excluded.size(), 4u);
  EXPECT_EQ(r.excluded[0].reasons.at(0).code, "sex");
  EXPECT_EQ(r.excluded[1].reasons.at(0).code, "age");
  EXPECT_EQ(r.excluded[2].reasons.at(0).code, "nationality");
  EXPECT_EQ(r.excluded[3].reasons.at(0).code, "documentation");
  EXPECT_NE(r.excluded[1].reasons[0].text.find("24"), std::string::npos);
}

TEST(Matching, AnUnrecordedFieldDoesNotMeetARestriction) {
  auto p = provider(1, "North", {ServiceType::shelter}, 5, 0);
  p.eligibility.min_age = 18;
  Needs n = shelter_in("North");
  n.age.reset();
  EXPECT_EQ(exclusion_reasons(p, n).at(0).code, "age");
}

TEST(Matching, AnInterpreterNeedExcludesProvidersThatCannotSpeakWithThePerson) {
  auto silent = provider(1, "North", {ServiceType::shelter}, 5, 0);
  silent.languages = {"en"};
  auto speaks = provider(2, "South", {ServiceType::shelter}, 5, 0);
  speaks.languages = {"ro"};
  auto interp = provider(3, "South", {ServiceType::shelter}, 5, 0);
  interp.interpreter = true;
  Needs n = shelter_in("North");
  n.languages = {"ro"};
  n.interpreter_needed = true;
  std::vector<Provider> ps = {silent, speaks, interp};
  auto r = match(ps, n);
  ASSERT_EQ(r.excluded.size(), 1u);
  EXPECT_EQ(r.excluded[0].provider_id, 1);
  EXPECT_EQ(r.excluded[0].reasons[0].code, "language");
  ASSERT_EQ(r.ranked.size(), 2u);
  EXPECT_EQ(r.ranked[0].provider_id, 2);  // speaks the language: +5 over the interpreter's +3
  EXPECT_TRUE(has_code(r.ranked[1].reasons, "interpreter"));
}

TEST(Matching, SeveralNeedsMetInOnePlaceScoreHigher) {
  std::vector<Provider> ps = {
      provider(1, "North", {ServiceType::shelter}, 10, 0),
      provider(2, "North", {ServiceType::shelter, ServiceType::psychological}, 10, 0)};
  Needs n = shelter_in("North");
  n.services = {ServiceType::shelter, ServiceType::psychological};
  auto r = match(ps, n);
  ASSERT_EQ(r.ranked.size(), 2u);
  EXPECT_EQ(r.ranked[0].provider_id, 2);
  EXPECT_EQ(r.ranked[0].services.size(), 2u);
}

TEST(Matching, TiesGoToMoreFreePlacesThenTheLowerIdAndLimitCuts) {
  std::vector<Provider> ps;
  for (int64_t i = 1; i <= 50; ++i)
    ps.push_back(provider(i, "North", {ServiceType::shelter}, 10, 5));
  ps.push_back(provider(99, "North", {ServiceType::shelter}, 20, 10));  // same share, more places
  auto r = match(ps, shelter_in("North"), 3);
  ASSERT_EQ(r.ranked.size(), 3u);
  EXPECT_EQ(r.ranked[0].provider_id, 99);
  EXPECT_EQ(r.ranked[1].provider_id, 1);
  EXPECT_EQ(r.ranked[2].provider_id, 2);
  EXPECT_EQ(r.ranked[2].rank, 3);
}

// The fast check that ranks and the explanation that excludes agree on every provider, and
// the score is the sum of the reasons' points.
TEST(Matching, TheFastCheckAndTheExplanationsAgree) {
  std::mt19937 rng(11);
  std::vector<Provider> ps;
  for (int64_t i = 1; i <= 2000; ++i) {
    auto p = provider(i, rng() % 2 ? "North" : "South",
                      {kServiceTypes[rng() % kServiceTypes.size()]}, rng() % 4, 0);
    p.occupancy = p.capacity > 0 ? static_cast<int64_t>(rng() % (p.capacity + 1)) : 0;
    if (rng() % 3 == 0) p.eligibility.sexes = {rng() % 2 ? "female" : "male"};
    if (rng() % 3 == 0) p.eligibility.min_age = 25;
    if (rng() % 4 == 0) p.eligibility.nationalities = {"RO"};
    if (rng() % 4 == 0) p.eligibility.documentation = {"regular"};
    if (rng() % 2 == 0) p.languages = {"ro"};
    p.interpreter = rng() % 3 == 0;
    ps.push_back(p);
  }
  Needs n = shelter_in("North");
  n.services = {ServiceType::shelter, ServiceType::medical};
  n.languages = {"ro"};
  n.interpreter_needed = true;
  auto r = match(ps, n);
  EXPECT_EQ(r.ranked.size() + r.excluded.size(), ps.size());
  EXPECT_GT(r.ranked.size(), 10u);
  for (const auto& x : r.excluded) EXPECT_FALSE(x.reasons.empty()) << x.provider_id;
  for (const auto& k : r.ranked) {
    EXPECT_TRUE(exclusion_reasons(ps[k.index], n).empty()) << k.provider_id;
    double sum = 0;
    for (const auto& reason : k.reasons) sum += reason.points;
    EXPECT_DOUBLE_EQ(sum, k.score) << k.provider_id;
  }
  auto quiet = match(ps, n, 5, false);
  EXPECT_EQ(quiet.excluded.size(), r.excluded.size());
  EXPECT_TRUE(quiet.excluded[0].reasons.empty());
  EXPECT_EQ(quiet.ranked[0].provider_id, r.ranked[0].provider_id);
}

TEST(Matching, BadNeedsAreRefusedNamingTheField) {
  std::vector<Provider> none;
  Needs n;
  try {
    match(none, n);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "services");
  }
  n.services = {ServiceType::medical};
  n.sex = "f";
  EXPECT_THROW(match(none, n), Error);
  n.sex = "female";
  n.age = 200;
  EXPECT_THROW(match(none, n), Error);
  n.age = 30;
  n.interpreter_needed = true;
  EXPECT_THROW(match(none, n), Error);
}

}  // namespace
}  // namespace ctip::cases::services
