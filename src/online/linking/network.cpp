#include "online/linking/network.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <set>
#include <string_view>
#include <thread>

#include "core/error.h"

namespace ctip::online::linking {
namespace {

constexpr uint32_t kNoAd = 0xffffffffu;

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a < b)
      parent_[b] = a;
    else if (b < a)
      parent_[a] = b;
  }

 private:
  std::vector<uint32_t> parent_;
};

struct SelectorKey {
  SelectorKind kind;
  std::string_view value;
  bool operator==(const SelectorKey&) const = default;
};
struct SelectorKeyHash {
  size_t operator()(const SelectorKey& k) const {
    return std::hash<std::string_view>{}(k.value) * 31 + static_cast<size_t>(k.kind);
  }
};

// printf-style formatting (g++ 12 has no <format>).
template <typename... Args>
std::string text(const char* pattern, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, pattern, args...);
  return buf;
}

// Calls add(first, count) for each run of neighbours that same(a, b) calls equal in `v`
// (sorted, so that equal values are neighbours).
template <typename V, typename Same, typename Add>
void for_each_run(const V& v, Same same, Add add) {
  for (size_t i = 0, j = 0; i < v.size(); i = j) {
    while (j < v.size() && same(v[j], v[i])) ++j;
    add(v[i], j - i);
  }
}

// The transparent score: each rule adds capped points and says why (README.md, "Risk score").
// No rule that an independent advertiser (one phone, first-person text, one city) can meet adds
// up to the organised threshold on its own or together: indicators (<= 1.5), posting rate
// (<= 1) and sites (<= 0.5) sum to 3, below 3.5.
void score(Network& net, std::span<const AdFeatures> ads, std::span<const uint32_t> cluster_of,
           const std::vector<uint8_t>& in_cluster) {
  // Distinct phones per text template, and ads per phone: (template, phone) pairs and phones,
  // sorted and counted.
  std::vector<std::pair<uint32_t, std::string_view>> phones_of_cluster;
  std::vector<std::string_view> phone_of_ad;
  double weight = 0;
  size_t third = 0;
  for (uint32_t a : net.ads) {
    weight += ads[a].indicator_weight;
    third += !ads[a].first_person;
    for (const auto& s : ads[a].selectors) {
      if (s.kind != SelectorKind::phone) continue;
      phone_of_ad.push_back(s.value);
      if (in_cluster[a]) phones_of_cluster.emplace_back(cluster_of[a], s.value);
    }
  }
  std::sort(phones_of_cluster.begin(), phones_of_cluster.end());
  phones_of_cluster.erase(std::unique(phones_of_cluster.begin(), phones_of_cluster.end()),
                          phones_of_cluster.end());
  std::sort(phone_of_ad.begin(), phone_of_ad.end());
  const double n = static_cast<double>(net.ads.size());
  size_t most_phones = 0;
  for_each_run(
      phones_of_cluster, [](const auto& x, const auto& y) { return x.first == y.first; },
      [&](const auto&, size_t phones) { most_phones = std::max(most_phones, phones); });
  if (most_phones >= 2)
    net.reasons.push_back({"phones_per_template",
                           text("one ad text is posted with %zu different phones", most_phones),
                           std::min(3.0, 1.0 * static_cast<double>(most_phones - 1))});
  if (net.cities.size() >= 2) {
    std::string route;
    for (size_t i = 0; i < net.path.size() && i < 6; ++i)
      route += (i ? " → " : "") + net.path[i].city;
    if (net.path.size() > 6) route += " → …";
    net.reasons.push_back({"cities",
                           text("posted in %zu cities, moving %zu times (%s)", net.cities.size(),
                                net.path.empty() ? size_t{0} : net.path.size() - 1, route.c_str()),
                           std::min(3.0, 0.75 * static_cast<double>(net.cities.size() - 1))});
  }
  const double third_share = static_cast<double>(third) / n;
  net.first_person_share = 1 - third_share;
  if (third_share >= 0.5)
    net.reasons.push_back(
        {"third_person",
         text("%.0f%% of the ads are written in the third person", third_share * 100),
         1.5 * third_share});
  const double mean_weight = weight / n;
  if (mean_weight > 0)
    net.reasons.push_back({"indicators",
                           text("risk indicators of mean weight %.2f per ad", mean_weight),
                           std::min(1.5, mean_weight)});
  size_t phones = 0, busiest = 0;  // distinct phones; the most ads with one of them
  for_each_run(phone_of_ad, std::equal_to<>(), [&](std::string_view, size_t ads_with_it) {
    ++phones;
    busiest = std::max(busiest, ads_with_it);
  });
  if (phones >= 3)
    net.reasons.push_back({"phones", text("%zu distinct phones", phones),
                           std::min(2.0, 0.5 * static_cast<double>(phones - 2))});
  if (busiest >= 20 && net.ads_per_day >= 10)
    net.reasons.push_back({"posting_rate",
                           text("%zu ads on one phone at %.1f ads a day", busiest, net.ads_per_day),
                           1.0});
  if (net.sites.size() >= 3)
    net.reasons.push_back({"sites", text("on %zu sites", net.sites.size()), 0.5});
  net.risk = 0;
  for (const auto& r : net.reasons) net.risk += r.points;
  std::stable_sort(net.reasons.begin(), net.reasons.end(),
                   [](const RiskReason& x, const RiskReason& y) { return x.points > y.points; });
}

}  // namespace

SelectorIndex::SelectorIndex(std::span<const AdFeatures> ads) {
  const size_t n = ads.size();
  if (n >= kNoAd) invalid("ads", "at most 2^32 - 2 ads");
  // The ads of each selector value, in order of first appearance, as one array per value
  // (counting sort of the (value, ad) pairs: no vector per value).
  absl::flat_hash_map<SelectorKey, uint32_t, SelectorKeyHash> value_index;
  std::vector<std::pair<uint32_t, uint32_t>> occurrences;  // (value, ad), ads ascending
  // Sized up front: growing the table rehashed every value several times.
  value_index.reserve(n / 2 + 16);
  occurrences.reserve(n + n / 4);
  for (uint32_t a = 0; a < n; ++a) {
    for (const auto& s : ads[a].selectors) {
      if (s.value.empty()) continue;
      auto [it, added] = value_index.try_emplace(SelectorKey{s.kind, s.value},
                                                 static_cast<uint32_t>(values_.size()));
      if (added) values_.push_back({s.kind, it->first.value});
      occurrences.emplace_back(it->second, a);
    }
  }
  begin_.assign(values_.size() + 1, 0);
  ad_.resize(occurrences.size());
  for (const auto& [v, a] : occurrences) ++begin_[v + 1];
  for (size_t v = 0; v < values_.size(); ++v) begin_[v + 1] += begin_[v];
  // Value v's ads are ad_[begin_[v], end_[v]) (an ad holding a value twice is listed once,
  // leaving a gap).
  end_.assign(begin_.begin(), begin_.end() - 1);
  std::vector<uint32_t> last(values_.size(), kNoAd);
  for (const auto& [v, a] : occurrences) {
    if (last[v] == a) continue;
    last[v] = a;
    ad_[end_[v]++] = a;
  }
}

NetworkAnalysis link_networks(std::span<const AdFeatures> ads, std::span<const uint32_t> cluster_of,
                              const NetworkParams& params) {
  return link_networks(ads, cluster_of, SelectorIndex(ads), params);
}

NetworkAnalysis link_networks(std::span<const AdFeatures> ads, std::span<const uint32_t> cluster_of,
                              const SelectorIndex& selectors, const NetworkParams& params) {
  const size_t n = ads.size();
  if (!cluster_of.empty() && cluster_of.size() != n)
    invalid("cluster_of", "one cluster id per ad is needed");
  if (n >= kNoAd) invalid("ads", "at most 2^32 - 2 ads");
  NetworkAnalysis out;

  // Which ads are in a cluster (one with at least two ads). Cluster ids are ad indices.
  std::vector<uint8_t> in_cluster(n, 0);
  std::vector<uint32_t> cluster_size(cluster_of.empty() ? 0 : n, 0);
  if (!cluster_of.empty()) {
    for (uint32_t a = 0; a < n; ++a) {
      if (cluster_of[a] >= n) invalid("cluster_of", "a cluster id is not an ad index");
      ++cluster_size[cluster_of[a]];
    }
    for (uint32_t a = 0; a < n; ++a) in_cluster[a] = cluster_size[cluster_of[a]] >= 2;
  }
  auto group_of = [&](uint32_t a) { return in_cluster[a] ? cluster_of[a] : a; };

  UnionFind uf(n);
  for (size_t v = 0; v < selectors.size(); ++v) {
    const std::span<const uint32_t> list = selectors.ads(v);
    if (list.size() < 2) continue;
    if (list.size() >= params.common_min_ads) {
      std::set<uint32_t> groups;
      std::set<std::string_view> cities;
      for (uint32_t a : list) {
        groups.insert(group_of(a));
        if (!ads[a].city.empty()) cities.insert(ads[a].city);
      }
      if (groups.size() >= params.common_min_groups && cities.size() >= params.common_min_cities) {
        out.too_common.push_back({Selector{selectors.kind(v), std::string(selectors.value(v))},
                                  list.size(), groups.size(), cities.size()});
        continue;
      }
    }
    const auto e = static_cast<uint32_t>(out.evidence.size());
    out.evidence.push_back({Evidence::Via::selector,
                            Selector{selectors.kind(v), std::string(selectors.value(v))}, 0,
                            list.size()});
    for (size_t i = 1; i < list.size(); ++i) {
      out.links.push_back({list[0], list[i], e});
      uf.join(list[0], list[i]);
    }
  }
  if (params.link_by_cluster && !cluster_of.empty()) {
    std::vector<uint32_t> evidence_of(n, kNoAd), cluster_first(n, kNoAd);
    for (uint32_t a = 0; a < n; ++a) {
      if (!in_cluster[a]) continue;
      const uint32_t c = cluster_of[a];
      if (evidence_of[c] == kNoAd) {
        evidence_of[c] = static_cast<uint32_t>(out.evidence.size());
        cluster_first[c] = a;
        Evidence e;
        e.via = Evidence::Via::cluster;
        e.cluster = c;
        e.ads = cluster_size[c];
        out.evidence.push_back(std::move(e));
        continue;
      }
      out.links.push_back({cluster_first[c], a, evidence_of[c]});
      uf.join(cluster_first[c], a);
    }
  }
  std::sort(out.too_common.begin(), out.too_common.end(),
            [](const CommonValue& x, const CommonValue& y) {
              return x.ads != y.ads ? x.ads > y.ads : x.selector.value < y.selector.value;
            });

  // Components of at least two ads are networks, numbered in the order of their first ad. Each
  // network's ads and links are counted first and its lists allocated once.
  std::vector<uint32_t> root(n), slot(n, kNoAd);
  for (uint32_t a = 0; a < n; ++a) root[a] = uf.find(a);
  std::vector<uint32_t> size(n, 0);
  for (uint32_t a = 0; a < n; ++a) ++size[root[a]];
  size_t networks = 0;
  for (uint32_t a = 0; a < n; ++a)
    if (size[root[a]] >= 2 && slot[root[a]] == kNoAd)
      slot[root[a]] = static_cast<uint32_t>(networks++);
  std::vector<Network> nets(networks);
  std::vector<uint32_t> links_of(networks, 0);
  for (const Link& l : out.links) ++links_of[slot[root[l.a]]];
  for (uint32_t a = 0; a < n; ++a) {
    if (slot[root[a]] == kNoAd) continue;
    Network& net = nets[slot[root[a]]];
    if (net.ads.empty()) {
      net.id = a;
      net.ads.reserve(size[root[a]]);
      net.links.reserve(links_of[slot[root[a]]]);
    }
    net.ads.push_back(a);
  }
  for (uint32_t l = 0; l < out.links.size(); ++l)
    nets[slot[root[out.links[l].a]]].links.push_back(l);

  // Each network's profile reads the ads and writes only the network: the networks are shared
  // out between threads, the same result for any number of them.
  std::atomic<size_t> next_network{0};
  auto profile = [&] {
    // Scratch lists, sorted and counted per network (a map or set per network allocated a node
    // per value).
    std::vector<std::pair<SelectorKind, std::string_view>> selectors_seen;
    std::vector<std::string_view> sites, cities, indicators;
    std::vector<uint32_t> clusters, timed;
    auto sorted_unique = [](auto& v) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    };
    for (size_t i = next_network.fetch_add(1); i < nets.size(); i = next_network.fetch_add(1)) {
      Network& net = nets[i];
      selectors_seen.clear(), sites.clear(), cities.clear(), indicators.clear();
      clusters.clear(), timed.clear();
      for (size_t k = 0; k < net.ads.size(); ++k) {
        // A network's ads are spread over the corpus: the features of the ad 4 ahead are
        // fetched while this one is read (each a few cache misses).
        if (k + 4 < net.ads.size()) {
          const auto* next = reinterpret_cast<const char*>(&ads[net.ads[k + 4]]);
          for (size_t line = 0; line < sizeof(AdFeatures); line += 64)
            __builtin_prefetch(next + line);
        }
        const uint32_t a = net.ads[k];
        const auto& ad = ads[a];
        for (const auto& s : ad.selectors)
          if (!s.value.empty()) selectors_seen.emplace_back(s.kind, s.value);
        if (!ad.site.empty()) sites.push_back(ad.site);
        if (!ad.city.empty()) cities.push_back(ad.city);
        if (in_cluster[a]) clusters.push_back(cluster_of[a]);
        const size_t from = indicators.size();  // this ad's distinct indicators
        for (const auto& id : ad.indicators)
          if (std::find(indicators.begin() + static_cast<std::ptrdiff_t>(from), indicators.end(),
                        std::string_view(id)) == indicators.end())
            indicators.push_back(id);
        if (ad.posted_at != 0) timed.push_back(a);
      }
      std::sort(selectors_seen.begin(), selectors_seen.end());
      for_each_run(selectors_seen, std::equal_to<>(), [&](const auto& k, size_t count) {
        net.selectors.push_back({Selector{k.first, std::string(k.second)}, count});
      });
      sorted_unique(sites), sorted_unique(cities), sorted_unique(clusters);
      net.sites.assign(sites.begin(), sites.end());
      net.cities.assign(cities.begin(), cities.end());
      net.clusters.assign(clusters.begin(), clusters.end());
      std::sort(indicators.begin(), indicators.end());
      for_each_run(indicators, std::equal_to<>(), [&](std::string_view id, size_t count) {
        net.indicators.emplace_back(id, count);
      });
      std::stable_sort(timed.begin(), timed.end(),
                       [&](uint32_t x, uint32_t y) { return ads[x].posted_at < ads[y].posted_at; });
      for (uint32_t a : timed) {
        const auto& ad = ads[a];
        if (ad.city.empty()) continue;
        if (net.path.empty() || net.path.back().city != ad.city)
          net.path.push_back({ad.city, ad.posted_at, ad.posted_at, 0});
        net.path.back().last_posted = ad.posted_at;
        ++net.path.back().ads;
      }
      if (!timed.empty()) {
        net.first_posted = ads[timed.front()].posted_at;
        net.last_posted = ads[timed.back()].posted_at;
        const double days =
            std::max(1.0, static_cast<double>(net.last_posted - net.first_posted) / 86400.0);
        net.ads_per_day = static_cast<double>(timed.size()) / days;
      }
      score(net, ads, cluster_of, in_cluster);
      net.organised = net.risk >= params.organised_score;
    }
  };
  {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const size_t threads = std::min<size_t>(cores, nets.size() / 64 + 1);
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(profile);
    profile();
  }
  // Ranked: risk, then size, descending; then id (unique, so the order is total). Their indices
  // are sorted and each network moved once, not swapped about by the sort.
  std::vector<uint32_t> order(nets.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t i, uint32_t j) {
    const Network &x = nets[i], &y = nets[j];
    if (x.risk != y.risk) return x.risk > y.risk;
    if (x.ads.size() != y.ads.size()) return x.ads.size() > y.ads.size();
    return x.id < y.id;
  });
  out.networks.reserve(nets.size());
  for (uint32_t i : order) out.networks.push_back(std::move(nets[i]));
  out.network_of.assign(n, -1);
  for (size_t r = 0; r < out.networks.size(); ++r)
    for (uint32_t a : out.networks[r].ads) out.network_of[a] = static_cast<int32_t>(r);
  return out;
}

}  // namespace ctip::online::linking
