#include "online/linking/network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace ctip::online::linking {
namespace {

AdFeatures ad(std::string id, std::vector<std::string> phones, std::string city, int64_t posted_at,
              bool first_person = false, double weight = 0) {
  AdFeatures a;
  a.id = std::move(id);
  for (auto& p : phones) a.selectors.push_back({SelectorKind::phone, std::move(p)});
  a.city = std::move(city);
  a.site = "site1";
  a.posted_at = posted_at;
  a.first_person = first_person;
  a.indicator_weight = weight;
  if (weight > 0) a.indicators = {"movement.new_in_town"};
  return a;
}

bool has(const AdFeatures& a, const Selector& s) {
  return std::find(a.selectors.begin(), a.selectors.end(), s) != a.selectors.end();
}

// The selector index lists each value's ads once, ascending, values in order of first
// appearance; the same value of another kind is another value, and empty values are left out.
TEST(SelectorIndex, EachValueItsAdsOnce) {
  std::vector<AdFeatures> ads = {ad("a", {"+1", "+2"}, "x", 0), ad("b", {"+2", "+2", ""}, "x", 0),
                                 ad("c", {"+3"}, "x", 0), ad("d", {"+1"}, "x", 0)};
  ads[2].selectors.push_back({SelectorKind::email, "+1"});
  const SelectorIndex index(ads);
  ASSERT_EQ(index.size(), 4u);
  const std::vector<std::pair<std::string, std::vector<uint32_t>>> want = {
      {"+1", {0, 3}}, {"+2", {0, 1}}, {"+3", {2}}, {"+1", {2}}};
  for (size_t v = 0; v < want.size(); ++v) {
    EXPECT_EQ(index.value(v), want[v].first);
    EXPECT_EQ(index.kind(v), v == 3 ? SelectorKind::email : SelectorKind::phone);
    const auto list = index.ads(v);
    EXPECT_EQ(std::vector<uint32_t>(list.begin(), list.end()), want[v].second) << v;
  }
}

// Every pair of ads sharing a phone is in one network, and each link's evidence is a value both
// of its ads hold (or a cluster both are in).
TEST(LinkNetworks, EveryPairSharingAPhoneIsInOneNetwork) {
  std::mt19937 rng(3);
  std::vector<AdFeatures> ads;
  for (int i = 0; i < 400; ++i) {
    std::vector<std::string> phones{"+1555" + std::to_string(1000000 + rng() % 150)};
    if (rng() % 4 == 0) phones.push_back("+1555" + std::to_string(1000000 + rng() % 150));
    ads.push_back(ad("a" + std::to_string(i), phones, "city" + std::to_string(rng() % 5),
                     1700000000 + i * 3600));
  }
  std::vector<uint32_t> cluster_of(ads.size());
  for (uint32_t i = 0; i < cluster_of.size(); ++i) cluster_of[i] = i < 10 ? 0 : i;  // one cluster
  const auto r = link_networks(ads, cluster_of);
  EXPECT_TRUE(r.too_common.empty());
  for (size_t i = 0; i < ads.size(); ++i)
    for (size_t j = i + 1; j < ads.size(); ++j)
      for (const auto& s : ads[i].selectors)
        if (has(ads[j], s)) {
          ASSERT_GE(r.network_of[i], 0);
          EXPECT_EQ(r.network_of[i], r.network_of[j]) << s.value;
        }
  for (uint32_t i = 1; i < 10; ++i) EXPECT_EQ(r.network_of[i], r.network_of[0]);
  for (const auto& link : r.links) {
    const auto& e = r.evidence[link.evidence];
    if (e.via == Evidence::Via::selector) {
      EXPECT_TRUE(has(ads[link.a], e.selector) && has(ads[link.b], e.selector));
    } else {
      EXPECT_EQ(cluster_of[link.a], e.cluster);
      EXPECT_EQ(cluster_of[link.b], e.cluster);
    }
    EXPECT_EQ(r.network_of[link.a], r.network_of[link.b]);
  }
  // Each network's links are its own and connect all of its ads.
  for (size_t n = 0; n < r.networks.size(); ++n) {
    EXPECT_GE(r.networks[n].links.size(), r.networks[n].ads.size() - 1);
    for (uint32_t l : r.networks[n].links)
      EXPECT_EQ(r.network_of[r.links[l].a], static_cast<int32_t>(n));
  }
}

// A shared booking line in 80 unrelated independents' ads across 6 cities is reported and not
// linked through; each independent's own number still links their own ads.
TEST(LinkNetworks, TooCommonValuesAreReportedNotLinked) {
  std::vector<AdFeatures> ads;
  for (int i = 0; i < 80; ++i) {
    const std::string own = "+1666" + std::to_string(1000000 + i);
    ads.push_back(ad("i" + std::to_string(i) + "a", {own, "+18005550000"},
                     "city" + std::to_string(i % 6), 1700000000 + i, true));
    ads.push_back(ad("i" + std::to_string(i) + "b", {own}, "city" + std::to_string(i % 6),
                     1700086400 + i, true));
  }
  const auto r = link_networks(ads, {});
  ASSERT_EQ(r.too_common.size(), 1u);
  EXPECT_EQ(r.too_common[0].selector.value, "+18005550000");
  EXPECT_EQ(r.too_common[0].ads, 80u);
  EXPECT_EQ(r.networks.size(), 80u);  // one per independent: their own two ads
  for (const auto& n : r.networks) EXPECT_EQ(n.ads.size(), 2u);
  for (const auto& e : r.evidence) EXPECT_NE(e.selector.value, "+18005550000");

  NetworkParams loose;
  loose.common_min_ads = 1000;  // 80 ads  // the control: without the guard, one giant network
  const auto merged = link_networks(ads, {}, loose);
  EXPECT_EQ(merged.networks.size(), 1u);
}

// An independent advertiser (one phone, first person, one city, risk words) is not organised;
// a network posting one template with several phones across cities in the third person is, and
// ranks first, with its reasons and its movement path.
TEST(LinkNetworks, IndependentsRankLowOrganisedNetworksHigh) {
  std::vector<AdFeatures> ads;
  std::vector<uint32_t> cluster_of;
  for (int i = 0; i < 30; ++i) {  // the independent: 30 ads over a month, one phone
    ads.push_back(ad("ind" + std::to_string(i), {"+17775550001"}, "denver", 1700000000 + i * 86400,
                     true, 3.0));
    cluster_of.push_back(0);  // all one template
  }
  const char* route[] = {"boston", "boston", "hartford", "hartford", "albany", "buffalo"};
  for (int i = 0; i < 24; ++i) {  // the network: 4 phones rotating, moving every 4 days
    const uint32_t first = 30;
    ads.push_back(ad("net" + std::to_string(i), {"+1888555000" + std::to_string(i % 4)},
                     route[i / 4], 1700000000 + i * 86400, false, 0.5));
    cluster_of.push_back(first);
  }
  const auto r = link_networks(ads, cluster_of);
  ASSERT_EQ(r.networks.size(), 2u);
  const Network& top = r.networks[0];
  EXPECT_EQ(top.id, 30u);
  EXPECT_TRUE(top.organised);
  EXPECT_FALSE(r.networks[1].organised);
  EXPECT_LT(r.networks[1].risk, NetworkParams{}.organised_score);
  EXPECT_EQ(r.network_of[0], 1);
  std::vector<std::string> codes;
  for (const auto& reason : top.reasons) codes.push_back(reason.code);
  for (const char* code : {"phones_per_template", "cities", "third_person", "phones"})
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
  ASSERT_EQ(top.path.size(), 4u);
  EXPECT_EQ(top.path[0].city, "boston");
  EXPECT_EQ(top.path[0].ads, 8u);
  EXPECT_EQ(top.path[3].city, "buffalo");
  EXPECT_EQ(top.cities.size(), 4u);
  EXPECT_EQ(top.selectors.size(), 4u);
  EXPECT_NEAR(top.ads_per_day, 24.0 / 23.0, 1e-9);
  EXPECT_EQ(top.indicators.size(), 1u);
}

TEST(LinkNetworks, DeterministicAndChecksInput) {
  std::vector<AdFeatures> ads{ad("a", {"+1"}, "x", 5), ad("b", {"+1"}, "y", 3),
                              ad("c", {"+2"}, "x", 1)};
  const auto r1 = link_networks(ads, {}), r2 = link_networks(ads, {});
  EXPECT_EQ(r1.network_of, r2.network_of);
  EXPECT_EQ(r1.networks[0].path.front().city, "y");  // ordered by time
  const std::vector<uint32_t> wrong{0};
  EXPECT_THROW(link_networks(ads, wrong), std::exception);
}

}  // namespace
}  // namespace ctip::online::linking
