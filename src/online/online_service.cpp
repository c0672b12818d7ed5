#include "online/online_service.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <streambuf>
#include <thread>

#include "auth/accounts.h"
#include "core/crypto.h"
#include "core/hashing_reader.h"
#include "core/time.h"
#include "online/ad_text.h"
#include "online/analyze.h"
#include "online/lexicon.h"
#include "online/linking/cluster.h"
#include "online/linking/network.h"
#include "online/linking/template.h"
#include "online/online_repository.h"

namespace ctip::online {
namespace {

Json issues_json(const std::vector<RowIssue>& issues) {
  Json out = Json::array();
  for (const auto& i : issues)
    out.push_back(
        {{"line", i.line}, {"field", i.field}, {"message", i.message}, {"skipped", i.skipped}});
  return out;
}

Json ingest_summary_json(const IngestSummary& s, const std::vector<RowIssue>& issues,
                         uint64_t extra_skipped) {
  Json columns = Json::object();
  for (size_t f = 0; f < kAdFieldCount; ++f)
    if (!s.columns[f].empty())
      columns[std::string(to_string(static_cast<AdField>(f)))] = s.columns[f];
  return {{"format", to_string(s.format)},
          {"rows_read", s.rows_read},
          {"ingested", s.ingested - extra_skipped},
          {"skipped", s.skipped + extra_skipped},
          {"warnings", s.warnings},
          {"issue_count", s.issue_count + extra_skipped},
          {"issues", issues_json(issues)},
          {"columns", std::move(columns)},
          {"ignored_columns", s.ignored_columns}};
}

Json template_json(const linking::ClusterTemplate& t, std::span<const int64_t> ad_rows) {
  Json parts = Json::array();
  for (const auto& p : t.parts)
    parts.push_back(p.slot ? Json{{"slot", p.slot_index}, {"kind", linking::to_string(p.kind)}}
                           : Json{{"token", p.token}});
  Json fills = Json::array();
  for (size_t i = 0; i < t.fills.size() && i < ad_rows.size(); ++i)
    fills.push_back({{"ad", ad_rows[i]},
                     {"values", t.fills[i].values},
                     {"missing_tokens", t.fills[i].missing_tokens}});
  return {{"text", t.text()},       {"parts", std::move(parts)},
          {"slots", t.slots},       {"fills", std::move(fills)},
          {"support", t.support},   {"description_bits", t.description_bits},
          {"raw_bits", t.raw_bits}, {"compresses", t.compresses},
          {"ads_used", t.ads_used}};
}

// A network as the store keeps it: ads and templates by row id, links with their evidence.
constexpr size_t kMaxStoredLinks = 5000;

// The JSON text of the network (append_network_json) with its ads' keys in the file added.
std::string network_data(const linking::Network& n, size_t rank, const linking::NetworkAnalysis& na,
                         const repository::StoredFeatures& s) {
  std::string out;
  append_network_json(
      out, n, rank, na,
      [&](std::string& text, uint32_t ad) { text += std::to_string(s.row_ids[ad]); },
      kMaxStoredLinks);
  Json keys = Json::array();
  for (uint32_t a : n.ads) keys.push_back(s.ads[a].id);
  out.pop_back();  // the object's closing brace
  out += ",\"ad_keys\":" + keys.dump() + "}";
  return out;
}

// Recomputes the organisation's clusters, templates and networks from its stored features
// (online_service.h says why this is the incremental ingest's second half).
Json recompute(store::Connection& c, int64_t org_id,
               const std::function<void(const std::string&)>& stage) {
  if (stage) stage("loading the stored features");
  auto stored = repository::load_features(c, org_id);
  if (stage) stage("clustering " + std::to_string(stored.ads.size()) + " ads");
  linking::ClusterIndex index;
  index.add(stored.ads);
  const std::vector<uint32_t> cluster_of = index.cluster_of();
  if (stage) stage("linking networks");
  auto na = linking::link_networks(stored.ads, cluster_of);
  // A cluster whose ads did not change keeps its template (building one aligns its ads: the
  // largest cost of a recomputation).
  auto previous = repository::templates_by_members(c, org_id);
  repository::clear_analysis(c, org_id);

  if (stage) stage("templates and storing");
  auto clusters = index.clusters(2);
  std::vector<uint8_t> clustered(stored.ads.size(), 0);
  for (const auto& members : clusters) {
    std::vector<int64_t> rows;
    std::string ids;
    for (uint32_t a : members) {
      clustered[a] = 1;
      rows.push_back(stored.row_ids[a]);
      ids += std::to_string(stored.row_ids[a]) + ",";
    }
    const std::string hash = ctip::to_hex(sha256(ids));
    std::string json;
    if (auto it = previous.find(hash); it != previous.end()) {
      json = std::move(it->second);
    } else {
      std::vector<linking::TemplateAd> tads;
      tads.reserve(members.size());
      for (uint32_t a : members) tads.push_back({stored.ads[a].tokens, stored.ads[a].city});
      json = template_json(linking::build_template(tads), rows).dump();
    }
    repository::insert_cluster(c, stored.row_ids[members.front()], org_id,
                               static_cast<int64_t>(members.size()), hash, json);
  }
  size_t organised = 0;
  for (size_t rank = 0; rank < na.networks.size(); ++rank) {
    const auto& n = na.networks[rank];
    organised += n.organised;
    repository::insert_network(c, stored.row_ids[n.id], org_id, static_cast<int64_t>(rank + 1),
                               n.risk, n.organised, static_cast<int64_t>(n.ads.size()),
                               network_data(n, rank, na, stored));
  }
  for (size_t i = 0; i < stored.ads.size(); ++i) {
    const int32_t n = na.network_of[i];
    if (!clustered[i] && n < 0) continue;
    std::optional<int64_t> cluster, network;
    if (clustered[i]) cluster = stored.row_ids[cluster_of[i]];
    if (n >= 0) network = stored.row_ids[na.networks[static_cast<size_t>(n)].id];
    repository::set_ad_groups(c, stored.row_ids[i], cluster, network);
  }
  for (const auto& v : na.too_common)
    repository::insert_too_common(c, org_id, std::string(linking::to_string(v.selector.kind)),
                                  v.selector.value, static_cast<int64_t>(v.ads),
                                  static_cast<int64_t>(v.groups), static_cast<int64_t>(v.cities));
  repository::set_analysis(c, org_id, now_iso(), static_cast<int64_t>(stored.ads.size()),
                           static_cast<int64_t>(clusters.size()),
                           static_cast<int64_t>(na.networks.size()));
  return {{"ads", stored.ads.size()},
          {"clusters", clusters.size()},
          {"networks", na.networks.size()},
          {"organised", organised},
          {"too_common", na.too_common.size()},
          {"recomputed", "clusters and networks recomputed over all stored ads"}};
}

Json network_summary(const repository::NetworkRow& r) {
  Json d = Json::parse(r.data);
  const auto selectors = static_cast<int64_t>(d["selectors"].size());
  return {{"id", r.id},
          {"rank", r.rank},
          {"risk", r.risk},
          {"organised", r.organised},
          {"ads", r.ads},
          {"selectors", selectors},
          {"cities", d["cities"]},
          {"sites", d["sites"]},
          {"templates", d["templates"].size()},
          {"first_posted", d["first_posted"]},
          {"last_posted", d["last_posted"]},
          {"ads_per_day", d["ads_per_day"]},
          {"reasons", d["reasons"]}};
}

// The highlights of one ad's body: the words it shares with its cluster's template, its
// selectors and its indicators, as byte ranges of the stored body (the engine's offsets).
Json ad_highlights(const Ad& ad, const std::set<std::string>& template_words,
                   const Lexicon& lexicon, Lexicon::Scratch& scratch) {
  SelectorOptions options;
  AdText text = analyze_ad_text(ad, lexicon, scratch, options);
  Json out = Json::array();
  // Shared words, consecutive ones joined into one range.
  std::optional<std::pair<uint32_t, uint32_t>> run;
  for (const auto& t : text.body.tokens) {
    const bool shared = template_words.contains(std::string(text.body.token_text(t)));
    if (shared && run) {
      run->second = t.end;
    } else if (shared) {
      run = std::pair{t.begin, t.end};
    } else if (run) {
      out.push_back({{"begin", run->first}, {"end", run->second}, {"kind", "shared"}});
      run.reset();
    }
  }
  if (run) out.push_back({{"begin", run->first}, {"end", run->second}, {"kind", "shared"}});
  for (const auto& s : text.selectors) {
    if (s.source != SelectorSource::body) continue;
    out.push_back({{"begin", s.begin},
                   {"end", s.end},
                   {"kind", "selector"},
                   {"label", std::string(to_string(s.kind)) + " " + s.value}});
  }
  for (const auto& h : text.indicators.hits)
    out.push_back({{"begin", h.begin},
                   {"end", h.end},
                   {"kind", "indicator"},
                   {"label", lexicon.indicators()[h.indicator].id}});
  return out;
}

}  // namespace

IngestResult OnlineService::ingest(const auth::Actor& actor, int64_t org_id, std::istream& raw,
                                   const IngestRequest& req) {
  HashingReader hashing(raw);
  std::istream in(&hashing);
  const Lexicon& lexicon = Lexicon::builtin();
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  std::vector<Lexicon::Scratch> scratch(threads);
  for (auto& s : scratch) s = lexicon.make_scratch();
  SelectorOptions selector_options;
  selector_options.default_region = req.region;

  std::vector<Ad> ads;
  std::vector<linking::AdFeatures> features;
  IngestOptions options = req.ingest;
  options.progress = [&](uint64_t rows) {
    if (req.progress) req.progress(hashing.bytes(), rows);
  };
  auto sink = [&](std::span<const Ad> batch) {
    const size_t first = features.size();
    features.resize(first + batch.size());
    auto work = [&](unsigned t) {
      for (size_t i = t; i < batch.size(); i += threads)
        features[first + i] = ad_features(batch[i], lexicon, scratch[t], selector_options);
    };
    std::vector<std::future<void>> running;
    for (unsigned t = 1; t < threads; ++t)
      running.push_back(std::async(std::launch::async, work, t));
    work(0);
    for (auto& r : running) r.get();
    ads.insert(ads.end(), batch.begin(), batch.end());
  };
  IngestSummary s = ingest_ads(in, req.format, sink, options);  // strict: throws, nothing stored
  const std::string sha = hashing.hex_digest();

  IngestResult result;
  store_.write([&](store::Connection& c) {
    // Ids the organisation already holds are bad rows of this file: reported with their line.
    auto held = repository::ad_keys(c, org_id);
    std::vector<RowIssue> issues = s.issues;
    std::vector<uint8_t> keep(ads.size(), 1);
    uint64_t duplicates = 0;
    for (size_t i = 0; i < ads.size(); ++i) {
      if (!held.contains(ads[i].id)) continue;
      RowIssue issue{ads[i].line, "id", "the id " + ads[i].id + " is already stored", true};
      if (req.ingest.strict) invalid("line " + std::to_string(ads[i].line), to_string(issue));
      keep[i] = 0;
      ++duplicates;
      if (issues.size() < options.max_listed_issues) issues.push_back(std::move(issue));
    }
    std::sort(issues.begin(), issues.end(),
              [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; });
    result.summary = ingest_summary_json(s, issues, duplicates);
    if (req.stage) req.stage("storing " + std::to_string(ads.size() - duplicates) + " ads");
    repository::NewIngest ni{org_id,
                             req.file_name,
                             sha,
                             actor.name,
                             actor.user_id,
                             now_iso(),
                             static_cast<int64_t>(s.rows_read),
                             static_cast<int64_t>(s.ingested - duplicates),
                             static_cast<int64_t>(s.skipped + duplicates),
                             result.summary.dump()};
    result.ingest_id = repository::insert_ingest(c, ni);
    for (size_t i = 0; i < ads.size(); ++i)
      if (keep[i]) repository::insert_ad(c, org_id, result.ingest_id, ads[i], features[i]);
    if (duplicates < ads.size() || !repository::find_analysis(c, org_id)) {
      result.analysis = recompute(c, org_id, req.stage);
    } else {
      // Nothing new: the stored clusters and networks stand.
      const auto a = repository::find_analysis(c, org_id);
      size_t organised = 0;
      for (const auto& n : repository::list_networks(c, org_id, a->networks))
        organised += n.organised;
      result.analysis = {{"ads", a->ads},
                         {"clusters", a->clusters},
                         {"networks", a->networks},
                         {"organised", organised},
                         {"too_common", repository::too_common(c, org_id).size()},
                         {"recomputed", "no new ads: the stored clusters and networks stand"}};
    }
    audit_.append(c, actor.event("ads.ingest", "online_ingest", std::to_string(result.ingest_id)));
  });
  return result;
}

Json OnlineService::networks(int64_t org_id, int64_t limit) {
  Json out;
  store_.read([&](store::Connection& c) {
    Json list = Json::array();
    for (const auto& r : repository::list_networks(c, org_id, limit))
      list.push_back(network_summary(r));
    Json common = Json::array();
    for (const auto& v : repository::too_common(c, org_id))
      common.push_back({{"kind", v.kind},
                        {"value", v.value},
                        {"ads", v.ads},
                        {"groups", v.groups},
                        {"cities", v.cities}});
    Json ingests = Json::array();
    for (const auto& i : repository::list_ingests(c, org_id))
      ingests.push_back({{"id", i.id},
                         {"file_name", i.file_name},
                         {"created_by", i.created_by},
                         {"created_at", i.created_at},
                         {"rows_read", i.rows_read},
                         {"ingested", i.ingested},
                         {"skipped", i.skipped}});
    Json analysis = nullptr;
    if (auto a = repository::find_analysis(c, org_id))
      analysis = {{"computed_at", a->computed_at},
                  {"ads", a->ads},
                  {"clusters", a->clusters},
                  {"networks", a->networks}};
    out = {{"analysis", std::move(analysis)},
           {"total", repository::count_networks(c, org_id)},
           {"networks", std::move(list)},
           {"too_common", std::move(common)},
           {"ingests", std::move(ingests)}};
  });
  return out;
}

Json OnlineService::network(std::optional<int64_t> org_id, int64_t network_id) {
  std::optional<repository::NetworkRow> row;
  std::vector<repository::AdRow> ads;
  std::map<int64_t, Json> templates;
  store_.read([&](store::Connection& c) {
    row = repository::find_network(c, network_id);
    if (!row || (org_id && row->org_id != *org_id)) return;
    ads = repository::network_ads(c, row->org_id, network_id);
    for (const auto& a : ads)
      if (a.cluster && !templates.contains(*a.cluster))
        if (auto cl = repository::find_cluster(c, row->org_id, *a.cluster)) {
          Json t = Json::parse(cl->template_json);
          t["id"] = cl->id;
          t["ads"] = cl->ads;
          templates[*a.cluster] = std::move(t);
        }
  });
  if (!row || (org_id && row->org_id != *org_id))
    throw Error(ErrorCode::not_found, "no network " + std::to_string(network_id), "id");
  Json data = Json::parse(row->data);
  const Lexicon& lexicon = Lexicon::builtin();
  auto scratch = lexicon.make_scratch();
  std::map<int64_t, std::set<std::string>> words;
  for (const auto& [id, t] : templates)
    for (const auto& p : t["parts"])
      if (p.contains("token")) words[id].insert(p["token"].get<std::string>());
  Json ad_list = Json::array();
  const std::set<std::string> none;
  for (const auto& a : ads) {
    const auto& w = a.cluster && words.contains(*a.cluster) ? words[*a.cluster] : none;
    ad_list.push_back({{"id", a.id},
                       {"key", a.ad.id},
                       {"line", a.line},
                       {"title", a.ad.title},
                       {"body", a.ad.body},
                       {"posted_at", a.ad.posted_ms ? Json(format_time(*a.ad.posted_ms)) : Json()},
                       {"location", a.ad.location},
                       {"site", a.ad.site},
                       {"cluster", a.cluster ? Json(*a.cluster) : Json()},
                       {"indicators", a.indicators},
                       {"highlights", ad_highlights(a.ad, w, lexicon, scratch)}});
  }
  Json tlist = Json::array();
  for (auto& [id, t] : templates) tlist.push_back(std::move(t));
  Json movement = data["path"];
  Json links = data["links"];
  data.erase("links");
  data.erase("path");
  return {{"network", std::move(data)},
          {"ads", std::move(ad_list)},
          {"links", std::move(links)},
          {"templates", std::move(tlist)},
          {"movement", std::move(movement)}};
}

Json OnlineService::indicator_feedback(const auth::Actor& actor, int64_t org_id,
                                       const std::string& indicator, int64_t ad_id,
                                       bool true_positive) {
  if (Lexicon::builtin().find(indicator) < 0)
    invalid("indicator", "no indicator " + indicator + " in the lexicon");
  store_.write([&](store::Connection& c) {
    auto ad = repository::find_ad(c, ad_id);
    auto org = c.query_one("SELECT org_id FROM online_ads WHERE id = ?", {ad_id});
    if (!ad || !org || org->integer(0) != org_id)
      throw Error(ErrorCode::not_found, "no ad " + std::to_string(ad_id), "ad_id");
    if (std::find(ad->indicators.begin(), ad->indicators.end(), indicator) == ad->indicators.end())
      invalid("indicator", "the ad " + ad->ad.id + " does not have the indicator " + indicator);
    repository::insert_feedback(c, org_id, indicator, ad_id, true_positive, actor.name,
                                actor.user_id, now_iso());
    audit_.append(c, actor.event("ads.indicator.feedback", "online_ad", std::to_string(ad_id)));
  });
  const Json all = indicators(org_id);
  for (const auto& i : all["indicators"])
    if (i["id"] == indicator) return i;
  return Json::object();
}

Json OnlineService::indicators(int64_t org_id) {
  std::vector<repository::FeedbackCount> counts;
  store_.read([&](store::Connection& c) { counts = repository::feedback_counts(c, org_id); });
  std::map<std::string, repository::FeedbackCount> by_id;
  for (auto& f : counts) by_id[f.indicator] = f;
  const Lexicon& lexicon = Lexicon::builtin();
  Json list = Json::array();
  for (const auto& i : lexicon.indicators()) {
    const auto it = by_id.find(i.id);
    const int64_t tp = it == by_id.end() ? 0 : it->second.true_positive;
    const int64_t fp = it == by_id.end() ? 0 : it->second.false_positive;
    list.push_back(
        {{"id", i.id},
         {"category", i.category},
         {"language", i.language},
         {"weight", i.weight},
         {"source", i.source},
         {"true_positive", tp},
         {"false_positive", fp},
         {"precision",
          tp + fp > 0 ? Json(static_cast<double>(tp) / static_cast<double>(tp + fp)) : Json()}});
  }
  return {{"lexicon_version", lexicon.version()}, {"indicators", std::move(list)}};
}

EvidencePackage OnlineService::export_evidence(const auth::Actor& actor,
                                               std::optional<int64_t> org_id, int64_t network_id) {
  Json net = network(org_id, network_id);
  auto package = build_package(net, now_iso(), actor.name);
  const std::string manifest_sha = ctip::to_hex(sha256(package.manifest_text()));
  store_.write([&](store::Connection& c) {
    auto org = repository::network_org(c, network_id);
    if (!org) throw Error(ErrorCode::not_found, "no network " + std::to_string(network_id), "id");
    package.export_id = repository::insert_export(c, *org, network_id, manifest_sha, actor.name,
                                                  actor.user_id, now_iso());
    audit_.append(c,
                  actor.event("ads.evidence.export", "online_network", std::to_string(network_id)));
  });
  return package;
}

int64_t OnlineService::operator_org(const std::string& name, bool create) {
  int64_t id = 0;
  auto body = [&](store::Connection& c) {
    if (!name.empty()) {
      if (auto o = auth::find_organisation(c, name)) {
        id = o->id;
      } else if (create) {
        id = auth::ensure_organisation(c, name, "online_platform").id;
      } else {
        invalid("org", "--org: no organisation is named '" + name + "'");
      }
      return;
    }
    auto all = repository::organisations(c);
    if (all.size() == 1) {
      id = all.front();
    } else if (all.empty() && create) {
      id = auth::ensure_organisation(c, "Local analysis", "online_platform").id;
    } else if (all.empty()) {
      invalid("org", "the store has no organisation and no ads: run ctip ads ingest first");
    } else {
      invalid("org", "the store has several organisations: give --org NAME");
    }
  };
  if (create) {
    store_.write(body);
  } else {
    store_.read(body);
  }
  return id;
}

std::optional<int64_t> OnlineService::network_org(store::Connection& c, int64_t network_id) {
  return repository::network_org(c, network_id);
}

}  // namespace ctip::online
