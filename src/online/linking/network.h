// Networks of ads (issue #10 item 5): ads linked by a shared selector (phone, e-mail, handle,
// URL, wallet, image) or by a shared text template (a cluster of ClusterIndex); a network is a
// connected component, and every link carries its evidence. Values seen in too many unrelated
// ads are reported, not linked through. Each network is profiled (selectors, sites, the movement
// path, posting rate, indicators) and given a transparent risk score with its reasons. See
// README.md, "Networks" and "Risk score".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "online/linking/features.h"

namespace ctip::online::linking {

struct NetworkParams {
  // A selector value is too common to link through (an agency's switchboard, a shared booking
  // line, a platform's own address) when it is in at least common_min_ads ads spread over at
  // least common_min_groups unrelated groups (clusters, or ads in none) and common_min_cities
  // cities: ten different ad texts in three cities sharing one number is a switchboard more
  // often than one advertiser (README.md, "Too common").
  size_t common_min_ads = 25;
  size_t common_min_groups = 10;
  size_t common_min_cities = 3;
  bool link_by_cluster = true;
  // Score at or above which a network is ranked as organised (README.md, "Risk score").
  double organised_score = 3.5;
};

// Why two ads are linked: a shared selector value, or a shared template (cluster).
struct Evidence {
  enum class Via { selector, cluster } via = Via::selector;
  Selector selector;     // for Via::selector
  uint32_t cluster = 0;  // for Via::cluster: the cluster's id (its first ad)
  size_t ads = 0;        // how many ads share it
};

struct Link {
  uint32_t a = 0, b = 0;  // ad indices
  uint32_t evidence = 0;  // index into NetworkAnalysis::evidence
};

struct CommonValue {
  Selector selector;
  size_t ads = 0, groups = 0, cities = 0;
};

// A stay in one city: consecutive ads (by posted_at) in that city.
struct CityVisit {
  std::string city;
  int64_t first_posted = 0, last_posted = 0;
  size_t ads = 0;
};

struct RiskReason {
  std::string code;  // "phones_per_template", "cities", "third_person", "indicators", "phones",
                     // "posting_rate", "sites"
  std::string text;  // one sentence an analyst can check against the ads
  double points = 0;
};

struct Network {
  uint32_t id = 0;                                     // its first ad's index
  std::vector<uint32_t> ads;                           // sorted
  std::vector<uint32_t> links;                         // indices into NetworkAnalysis::links
  std::vector<std::pair<Selector, size_t>> selectors;  // distinct values and their ad counts
  std::vector<std::string> sites, cities;              // distinct, sorted
  std::vector<uint32_t> clusters;                      // the templates its ads use
  std::vector<CityVisit> path;                         // ads with a time, in time order
  int64_t first_posted = 0, last_posted = 0;
  double ads_per_day = 0;
  std::vector<std::pair<std::string, size_t>> indicators;  // indicator id, ads with it
  double first_person_share = 0;
  double risk = 0;
  std::vector<RiskReason> reasons;
  bool organised = false;
};

struct NetworkAnalysis {
  std::vector<Network> networks;  // ranked: risk, then size, descending; then id
  std::vector<Evidence> evidence;
  std::vector<Link> links;
  std::vector<CommonValue> too_common;  // most ads first
  std::vector<int32_t> network_of;      // per ad: its network's rank (index), or -1
};

// The ads of each selector value, which do not depend on the clusters: `ctip ads analyze`
// builds it while the clusters are computed. It points into the ads' selector values, which must
// outlive it and not move.
class SelectorIndex {
 public:
  explicit SelectorIndex(std::span<const AdFeatures> ads);
  size_t size() const { return values_.size(); }  // distinct (kind, value)
  SelectorKind kind(size_t v) const { return values_[v].kind; }
  std::string_view value(size_t v) const { return values_[v].value; }
  // Value v's ads, ascending, each once.
  std::span<const uint32_t> ads(size_t v) const {
    return {ad_.data() + begin_[v], ad_.data() + end_[v]};
  }

 private:
  struct Key {
    SelectorKind kind;
    std::string_view value;
  };
  std::vector<Key> values_;  // in order of first appearance
  std::vector<uint32_t> begin_, end_, ad_;
};

// Links the ads. cluster_of gives each ad's cluster id (ClusterIndex::cluster_of(); an ad is in
// a cluster when another ad has the same id); it may be empty (no template links). `selectors`
// is SelectorIndex(ads), built here when not given.
// Deterministic: the same input gives the same output.
NetworkAnalysis link_networks(std::span<const AdFeatures> ads, std::span<const uint32_t> cluster_of,
                              const NetworkParams& params = {});
NetworkAnalysis link_networks(std::span<const AdFeatures> ads, std::span<const uint32_t> cluster_of,
                              const SelectorIndex& selectors, const NetworkParams& params = {});

}  // namespace ctip::online::linking
