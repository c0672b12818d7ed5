#include "online/online_repository.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/error.h"
#include "core/json_input.h"

namespace ctip::online::repository {
namespace {

using store::Value;

Value optional_integer(const std::optional<int64_t>& v) {
  return v ? Value(*v) : store::null_value;
}

linking::SelectorKind stored_kind(const std::string& s) {
  using K = linking::SelectorKind;
  for (K k : {K::phone, K::email, K::handle, K::url, K::wallet, K::image})
    if (linking::to_string(k) == s) return k;
  throw Error(ErrorCode::integrity, "online_ad_selectors.kind is not a selector kind: " + s);
}

std::vector<std::string> string_array(const std::string& text, const char* what) {
  auto j = Json::parse(text, nullptr, false);
  if (!j.is_array()) throw Error(ErrorCode::integrity, std::string(what) + " is not a JSON array");
  return j.get<std::vector<std::string>>();
}

constexpr const char* kAdColumns =
    "id, ingest_id, line, ad_key, title, body, posted_ms, location, site, phone, email, "
    "image_hash, cluster_id, network_id, indicators";

AdRow ad_row(const store::Row& r) {
  AdRow a;
  a.id = r.integer(0);
  a.ingest_id = r.integer(1);
  a.line = r.integer(2);
  a.ad.id = r.text(3);
  a.ad.title = r.text(4);
  a.ad.body = r.text(5);
  a.ad.posted_ms = r.optional_integer(6);
  a.ad.location = r.text(7);
  a.ad.site = r.text(8);
  a.ad.phone = r.text(9);
  a.ad.email = r.text(10);
  a.ad.image_hash = r.text(11);
  a.ad.line = static_cast<uint64_t>(a.line);
  a.cluster = r.optional_integer(12);
  a.network = r.optional_integer(13);
  a.indicators = string_array(r.text(14), "online_ads.indicators");
  return a;
}

NetworkRow network_row(const store::Row& r) {
  return {r.integer(0), r.integer(1),      r.integer(2), r.integer(3),
          r.real(4),    r.integer(5) != 0, r.text(6)};
}

constexpr const char* kNetworkColumns = "id, org_id, ranking, ads, risk, organised, data";

}  // namespace

int64_t insert_ingest(store::Connection& c, const NewIngest& in) {
  return c
      .query_row(
          "INSERT INTO online_ingests (org_id, file_name, file_sha256, created_by, "
          "created_by_user, created_at, rows_read, ingested, skipped, summary) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {in.org_id, in.file_name, in.file_sha256, in.created_by,
           optional_integer(in.created_by_user), in.created_at, in.rows_read, in.ingested,
           in.skipped, in.summary})
      .integer(0);
}

std::unordered_set<std::string> ad_keys(store::Connection& c, int64_t org_id) {
  std::unordered_set<std::string> out;
  for (const auto& r : c.query("SELECT ad_key FROM online_ads WHERE org_id = ?", {org_id}))
    out.insert(r.text(0));
  return out;
}

int64_t insert_ad(store::Connection& c, int64_t org_id, int64_t ingest_id, const Ad& ad,
                  const linking::AdFeatures& f) {
  const int64_t id =
      c.query_row(
           "INSERT INTO online_ads (org_id, ingest_id, ad_key, line, title, body, posted_ms, "
           "location, site, phone, email, image_hash, city, tokens, indicators, "
           "indicator_weight, first_person) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
           "?, ?) RETURNING id",
           {org_id, ingest_id, ad.id, static_cast<int64_t>(ad.line), ad.title, ad.body,
            optional_integer(ad.posted_ms), ad.location, ad.site, ad.phone, ad.email, ad.image_hash,
            f.city, Json(f.tokens).dump(), Json(f.indicators).dump(), f.indicator_weight,
            int64_t{f.first_person ? 1 : 0}})
          .integer(0);
  for (const auto& s : f.selectors)
    c.execute("INSERT INTO online_ad_selectors (ad_id, kind, value) VALUES (?, ?, ?)",
              {id, std::string(linking::to_string(s.kind)), s.value});
  return id;
}

StoredFeatures load_features(store::Connection& c, int64_t org_id) {
  StoredFeatures out;
  std::unordered_map<int64_t, size_t> index;
  for (const auto& r :
       c.query("SELECT id, ad_key, tokens, city, site, posted_ms, indicators, indicator_weight, "
               "first_person FROM online_ads WHERE org_id = ? ORDER BY id",
               {org_id})) {
    linking::AdFeatures f;
    f.id = r.text(1);
    f.tokens = string_array(r.text(2), "online_ads.tokens");
    f.city = r.text(3);
    f.site = r.text(4);
    f.posted_at = r.is_null(5) ? 0 : r.integer(5) / 1000;
    f.indicators = string_array(r.text(6), "online_ads.indicators");
    f.indicator_weight = r.real(7);
    f.first_person = r.integer(8) != 0;
    index.emplace(r.integer(0), out.ads.size());
    out.row_ids.push_back(r.integer(0));
    out.ads.push_back(std::move(f));
  }
  // Selectors in the order they were found would need their position; the engine treats an ad's
  // selectors as a set, so kind and value order is as good.
  for (const auto& r :
       c.query("SELECT s.ad_id, s.kind, s.value FROM online_ad_selectors s JOIN online_ads a ON "
               "a.id = s.ad_id WHERE a.org_id = ? ORDER BY s.ad_id, s.kind, s.value",
               {org_id})) {
    auto it = index.find(r.integer(0));
    if (it == index.end()) continue;
    out.ads[it->second].selectors.push_back({stored_kind(r.text(1)), r.text(2)});
  }
  return out;
}

void clear_analysis(store::Connection& c, int64_t org_id) {
  c.execute("UPDATE online_ads SET cluster_id = NULL, network_id = NULL WHERE org_id = ?",
            {org_id});
  c.execute("DELETE FROM online_clusters WHERE org_id = ?", {org_id});
  c.execute("DELETE FROM online_networks WHERE org_id = ?", {org_id});
  c.execute("DELETE FROM online_too_common WHERE org_id = ?", {org_id});
}

void set_ad_groups(store::Connection& c, int64_t ad_id, std::optional<int64_t> cluster,
                   std::optional<int64_t> network) {
  c.execute("UPDATE online_ads SET cluster_id = ?, network_id = ? WHERE id = ?",
            {optional_integer(cluster), optional_integer(network), ad_id});
}

void insert_cluster(store::Connection& c, int64_t id, int64_t org_id, int64_t ads,
                    const std::string& members, const std::string& template_json) {
  c.execute(
      "INSERT INTO online_clusters (id, org_id, ads, members, template) VALUES (?, ?, ?, ?, ?)",
      {id, org_id, ads, members, template_json});
}

std::unordered_map<std::string, std::string> templates_by_members(store::Connection& c,
                                                                  int64_t org_id) {
  std::unordered_map<std::string, std::string> out;
  for (const auto& r :
       c.query("SELECT members, template FROM online_clusters WHERE org_id = ?", {org_id}))
    out.emplace(r.text(0), r.text(1));
  return out;
}

void insert_network(store::Connection& c, int64_t id, int64_t org_id, int64_t rank, double risk,
                    bool organised, int64_t ads, const std::string& data_json) {
  c.execute(
      "INSERT INTO online_networks (id, org_id, ranking, risk, organised, ads, data) VALUES "
      "(?, ?, ?, ?, ?, ?, ?)",
      {id, org_id, rank, risk, int64_t{organised ? 1 : 0}, ads, data_json});
}

void insert_too_common(store::Connection& c, int64_t org_id, const std::string& kind,
                       const std::string& value, int64_t ads, int64_t groups, int64_t cities) {
  c.execute(
      "INSERT INTO online_too_common (org_id, kind, value, ads, ad_groups, cities) VALUES "
      "(?, ?, ?, ?, ?, ?)",
      {org_id, kind, value, ads, groups, cities});
}

void set_analysis(store::Connection& c, int64_t org_id, const std::string& computed_at, int64_t ads,
                  int64_t clusters, int64_t networks) {
  c.execute(
      "INSERT INTO online_analyses (org_id, computed_at, ads, clusters, networks) VALUES "
      "(?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET computed_at = excluded.computed_at, "
      "ads = excluded.ads, clusters = excluded.clusters, networks = excluded.networks",
      {org_id, computed_at, ads, clusters, networks});
}

std::vector<NetworkRow> list_networks(store::Connection& c, int64_t org_id, int64_t limit) {
  std::vector<NetworkRow> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kNetworkColumns +
                   " FROM online_networks WHERE org_id = ? ORDER BY ranking LIMIT ?",
               {org_id, limit}))
    out.push_back(network_row(r));
  return out;
}

std::optional<NetworkRow> find_network(store::Connection& c, int64_t id) {
  auto r = c.query_one(
      std::string("SELECT ") + kNetworkColumns + " FROM online_networks WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return network_row(*r);
}

int64_t count_networks(store::Connection& c, int64_t org_id) {
  return c.query_row("SELECT COUNT(*) FROM online_networks WHERE org_id = ?", {org_id}).integer(0);
}

std::optional<int64_t> network_org(store::Connection& c, int64_t id) {
  auto r = c.query_one("SELECT org_id FROM online_networks WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return r->integer(0);
}

std::vector<AdRow> network_ads(store::Connection& c, int64_t org_id, int64_t network_id) {
  std::vector<AdRow> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kAdColumns +
                   " FROM online_ads WHERE org_id = ? AND network_id = ? ORDER BY id",
               {org_id, network_id}))
    out.push_back(ad_row(r));
  return out;
}

std::optional<AdRow> find_ad(store::Connection& c, int64_t id) {
  auto r = c.query_one(std::string("SELECT ") + kAdColumns + " FROM online_ads WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return ad_row(*r);
}

std::optional<ClusterRow> find_cluster(store::Connection& c, int64_t org_id, int64_t id) {
  auto r = c.query_one("SELECT id, ads, template FROM online_clusters WHERE org_id = ? AND id = ?",
                       {org_id, id});
  if (!r) return std::nullopt;
  return ClusterRow{r->integer(0), r->integer(1), r->text(2)};
}

std::vector<CommonRow> too_common(store::Connection& c, int64_t org_id) {
  std::vector<CommonRow> out;
  for (const auto& r :
       c.query("SELECT kind, value, ads, ad_groups, cities FROM online_too_common WHERE org_id = "
               "? ORDER BY ads DESC, kind, value",
               {org_id}))
    out.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3), r.integer(4)});
  return out;
}

std::optional<AnalysisRow> find_analysis(store::Connection& c, int64_t org_id) {
  auto r = c.query_one(
      "SELECT computed_at, ads, clusters, networks FROM online_analyses WHERE org_id = ?",
      {org_id});
  if (!r) return std::nullopt;
  return AnalysisRow{r->text(0), r->integer(1), r->integer(2), r->integer(3)};
}

std::vector<IngestRow> list_ingests(store::Connection& c, int64_t org_id) {
  std::vector<IngestRow> out;
  for (const auto& r :
       c.query("SELECT id, file_name, created_by, created_at, rows_read, ingested, skipped FROM "
               "online_ingests WHERE org_id = ? ORDER BY id",
               {org_id}))
    out.push_back(
        {r.integer(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.integer(5), r.integer(6)});
  return out;
}

void insert_feedback(store::Connection& c, int64_t org_id, const std::string& indicator,
                     int64_t ad_id, bool true_positive, const std::string& created_by,
                     std::optional<int64_t> created_by_user, const std::string& created_at) {
  c.execute(
      "INSERT INTO online_indicator_feedback (org_id, indicator, ad_id, verdict, created_by, "
      "created_by_user, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {org_id, indicator, ad_id, std::string(true_positive ? "true_positive" : "false_positive"),
       created_by, optional_integer(created_by_user), created_at});
}

std::vector<FeedbackCount> feedback_counts(store::Connection& c, int64_t org_id) {
  std::vector<FeedbackCount> out;
  for (const auto& r :
       c.query("SELECT indicator, SUM(CASE WHEN verdict = 'true_positive' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN verdict = 'false_positive' THEN 1 ELSE 0 END) FROM "
               "online_indicator_feedback WHERE org_id = ? GROUP BY indicator ORDER BY indicator",
               {org_id}))
    out.push_back({r.text(0), r.integer(1), r.integer(2)});
  return out;
}

std::vector<int64_t> organisations(store::Connection& c) {
  std::vector<int64_t> out;
  for (const auto& r : c.query("SELECT id FROM organisations ORDER BY id"))
    out.push_back(r.integer(0));
  return out;
}

int64_t insert_export(store::Connection& c, int64_t org_id, int64_t network_id,
                      const std::string& manifest_sha256, const std::string& created_by,
                      std::optional<int64_t> created_by_user, const std::string& created_at) {
  return c
      .query_row(
          "INSERT INTO online_exports (org_id, network_id, manifest_sha256, created_by, "
          "created_by_user, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
          {org_id, network_id, manifest_sha256, created_by, optional_integer(created_by_user),
           created_at})
      .integer(0);
}

}  // namespace ctip::online::repository
