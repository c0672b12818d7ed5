#include "online/analyze.h"

#include <algorithm>
#include <functional>
#include <future>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/text.h"
#include "online/ad_text.h"
#include "online/linking/cluster.h"

namespace ctip::online {
namespace {

linking::SelectorKind link_kind(SelectorKind k) {
  switch (k) {
    case SelectorKind::phone:
      return linking::SelectorKind::phone;
    case SelectorKind::email:
      return linking::SelectorKind::email;
    case SelectorKind::handle:
      return linking::SelectorKind::handle;
    case SelectorKind::url:
      return linking::SelectorKind::url;
    case SelectorKind::bitcoin:
    case SelectorKind::ethereum:
      return linking::SelectorKind::wallet;
    case SelectorKind::image_hash:
      return linking::SelectorKind::image;
  }
  return linking::SelectorKind::url;
}

// Whether the ad speaks as "I" rather than about "her" or "the girls": an independent
// advertiser's mark (issue #10 item 5), counted over the normalised words.
bool written_in_first_person(const std::vector<std::string>& words) {
  int first = 0, third = 0;
  for (const auto& w : words) {
    first += w == "i" || w == "me" || w == "my" || w == "im" || w == "yo" || w == "mi";
    third += w == "she" || w == "her" || w == "they" || w == "we" || w == "our" || w == "girls" ||
             w == "ella" || w == "chicas";
  }
  return first > third;
}

}  // namespace

linking::AdFeatures ad_features(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                                const SelectorOptions& options) {
  AdText text = analyze_ad_text(ad, lexicon, scratch, options);
  linking::AdFeatures f;
  f.id = ad.id;
  f.tokens.reserve(text.body.tokens.size());
  for (const auto& t : text.body.tokens) f.tokens.emplace_back(text.body.token_text(t));
  for (const auto& s : text.selectors) {
    linking::Selector sel{link_kind(s.kind), s.value};
    if (std::find(f.selectors.begin(), f.selectors.end(), sel) == f.selectors.end())
      f.selectors.push_back(std::move(sel));
  }
  f.city = core::ascii_lower(ad.location);
  f.site = core::ascii_lower(ad.site);
  f.posted_at = ad.posted_ms ? *ad.posted_ms / 1000 : 0;
  for (uint16_t i : text.indicators.indicators) f.indicators.push_back(lexicon.indicators()[i].id);
  f.indicator_weight = text.indicators.score;
  f.first_person = written_in_first_person(f.tokens);
  return f;
}

AnalyzeResult analyze_ads(std::istream& in, const AnalyzeOptions& options) {
  const Lexicon& lexicon = Lexicon::builtin();
  const unsigned threads =
      std::clamp(options.threads ? options.threads : std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<Lexicon::Scratch> scratch(threads);
  for (auto& s : scratch) s = lexicon.make_scratch();
  SelectorOptions selector_options;
  selector_options.default_region = options.region;

  AnalyzeResult out;
  linking::ClusterIndex index;
  IngestOptions ingest = options.ingest;
  ingest.progress = options.progress;
  auto sink = [&](std::span<const Ad> batch) {
    std::vector<linking::AdFeatures> features(batch.size());
    // The text pass is independent per ad: the batch is split across the threads, each with its
    // own lexicon scratch.
    auto work = [&](unsigned t) {
      for (size_t i = t; i < batch.size(); i += threads)
        features[i] = ad_features(batch[i], lexicon, scratch[t], selector_options);
    };
    std::vector<std::future<void>> running;
    for (unsigned t = 1; t < threads; ++t)
      running.push_back(std::async(std::launch::async, work, t));
    work(0);
    for (auto& r : running) r.get();
    index.add(features);
    for (auto& f : features) {
      f.tokens.clear();
      f.tokens.shrink_to_fit();
    }
    std::move(features.begin(), features.end(), std::back_inserter(out.ads));
  };
  out.summary = ingest_ads(in, options.format, sink, ingest);
  out.cluster_of = index.cluster_of();
  out.cluster_size.assign(out.ads.size(), 0);
  std::vector<uint32_t> size_of(out.ads.size(), 0);
  for (uint32_t c : out.cluster_of) ++size_of[c];
  for (size_t i = 0; i < out.ads.size(); ++i) out.cluster_size[i] = size_of[out.cluster_of[i]];
  out.networks = linking::link_networks(out.ads, out.cluster_of);
  return out;
}

void write_ads_csv(const AnalyzeResult& r, std::ostream& out) {
  auto field = [&](const std::string& s) {
    // Ids come from the file: quoted when they hold a separator, a quote or a line break.
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  out << "id,cluster,network\n";
  for (size_t i = 0; i < r.ads.size(); ++i) {
    out << field(r.ads[i].id) << ",";
    if (r.cluster_size[i] >= 2) out << field(r.ads[r.cluster_of[i]].id);
    out << ",";
    const int32_t n = r.networks.network_of[i];
    if (n >= 0) out << field(r.ads[r.networks.networks[static_cast<size_t>(n)].id].id);
    out << "\n";
  }
}

Json network_json(const linking::Network& n, size_t rank, const linking::NetworkAnalysis& na,
                  const std::function<Json(uint32_t)>& id_of, size_t max_links) {
  Json ads = Json::array();
  for (uint32_t a : n.ads) ads.push_back(id_of(a));
  Json selectors = Json::array();
  for (const auto& [s, count] : n.selectors)
    selectors.push_back({{"kind", linking::to_string(s.kind)}, {"value", s.value}, {"ads", count}});
  Json path = Json::array();
  for (const auto& v : n.path)
    path.push_back({{"city", v.city},
                    {"first_posted", v.first_posted},
                    {"last_posted", v.last_posted},
                    {"ads", v.ads}});
  Json indicators = Json::array();
  for (const auto& [id, count] : n.indicators) indicators.push_back({{"id", id}, {"ads", count}});
  Json reasons = Json::array();
  for (const auto& why : n.reasons)
    reasons.push_back({{"code", why.code}, {"text", why.text}, {"points", why.points}});
  Json clusters = Json::array();
  for (uint32_t c : n.clusters) clusters.push_back(id_of(c));
  Json links = Json::array();
  for (size_t i = 0; i < n.links.size() && i < max_links; ++i) {
    const auto& l = na.links[n.links[i]];
    const auto& e = na.evidence[l.evidence];
    Json via =
        e.via == linking::Evidence::Via::selector
            ? Json{{"kind", linking::to_string(e.selector.kind)}, {"value", e.selector.value}}
            : Json{{"kind", "template"}, {"cluster", id_of(e.cluster)}};
    via["ads"] = e.ads;
    links.push_back({{"a", id_of(l.a)}, {"b", id_of(l.b)}, {"via", std::move(via)}});
  }
  return {{"id", id_of(n.id)},
          {"rank", rank + 1},
          {"organised", n.organised},
          {"risk", n.risk},
          {"reasons", std::move(reasons)},
          {"ads", std::move(ads)},
          {"selectors", std::move(selectors)},
          {"sites", n.sites},
          {"cities", n.cities},
          {"path", std::move(path)},
          {"first_posted", n.first_posted},
          {"last_posted", n.last_posted},
          {"ads_per_day", n.ads_per_day},
          {"indicators", std::move(indicators)},
          {"first_person_share", n.first_person_share},
          {"templates", std::move(clusters)},
          {"links", std::move(links)},
          {"links_total", n.links.size()}};
}

Json networks_json(const AnalyzeResult& r, size_t max_links) {
  const auto& na = r.networks;
  auto id_of = [&](uint32_t ad) { return Json(r.ads[ad].id); };
  Json networks = Json::array();
  for (size_t rank = 0; rank < na.networks.size(); ++rank)
    networks.push_back(network_json(na.networks[rank], rank, na, id_of, max_links));
  Json common = Json::array();
  for (const auto& c : na.too_common)
    common.push_back({{"kind", linking::to_string(c.selector.kind)},
                      {"value", c.selector.value},
                      {"ads", c.ads},
                      {"groups", c.groups},
                      {"cities", c.cities}});
  const auto& s = r.summary;
  Json issues = Json::array();
  for (const auto& i : s.issues)
    issues.push_back(
        {{"line", i.line}, {"field", i.field}, {"message", i.message}, {"skipped", i.skipped}});
  return {{"summary",
           {{"rows_read", s.rows_read},
            {"ingested", s.ingested},
            {"skipped", s.skipped},
            {"warnings", s.warnings},
            {"issues", std::move(issues)},
            {"issue_count", s.issue_count},
            {"ignored_columns", s.ignored_columns}}},
          {"networks", std::move(networks)},
          {"too_common", std::move(common)}};
}

}  // namespace ctip::online
