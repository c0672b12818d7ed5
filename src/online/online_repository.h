// The online tables (schema/0014_online.sql): the only file of src/online with SQL. Every
// function runs inside the caller's transaction (Store::write or Store::read), and every one
// that reads ads, clusters or networks is narrowed to one organisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "online/ingest.h"
#include "online/linking/features.h"
#include "store/store.h"

namespace ctip::online::repository {

struct NewIngest {
  int64_t org_id = 0;
  std::string file_name, file_sha256;
  std::string created_by;
  std::optional<int64_t> created_by_user;
  std::string created_at;
  int64_t rows_read = 0, ingested = 0, skipped = 0;
  std::string summary;  // JSON text
};
int64_t insert_ingest(store::Connection& c, const NewIngest& in);

// The ad ids (as in their files) the organisation already holds.
std::unordered_set<std::string> ad_keys(store::Connection& c, int64_t org_id);

// Inserts an ad with its features and selectors; returns its row id.
int64_t insert_ad(store::Connection& c, int64_t org_id, int64_t ingest_id, const Ad& ad,
                  const linking::AdFeatures& f);

// Every ad of the organisation in row order, with its features (words included) and row id.
struct StoredFeatures {
  std::vector<int64_t> row_ids;
  std::vector<linking::AdFeatures> ads;
};
StoredFeatures load_features(store::Connection& c, int64_t org_id);

// The analysis's results, replacing the organisation's previous ones.
void clear_analysis(store::Connection& c, int64_t org_id);
void set_ad_groups(store::Connection& c, int64_t ad_id, std::optional<int64_t> cluster,
                   std::optional<int64_t> network);
void insert_cluster(store::Connection& c, int64_t id, int64_t org_id, int64_t ads,
                    const std::string& members, const std::string& template_json);
// The organisation's stored templates by their cluster's members hash (before clear_analysis).
std::unordered_map<std::string, std::string> templates_by_members(store::Connection& c,
                                                                  int64_t org_id);
void insert_network(store::Connection& c, int64_t id, int64_t org_id, int64_t rank, double risk,
                    bool organised, int64_t ads, const std::string& data_json);
void insert_too_common(store::Connection& c, int64_t org_id, const std::string& kind,
                       const std::string& value, int64_t ads, int64_t groups, int64_t cities);
void set_analysis(store::Connection& c, int64_t org_id, const std::string& computed_at, int64_t ads,
                  int64_t clusters, int64_t networks);

struct NetworkRow {
  int64_t id = 0, org_id = 0, rank = 0, ads = 0;
  double risk = 0;
  bool organised = false;
  std::string data;  // JSON text
};
std::vector<NetworkRow> list_networks(store::Connection& c, int64_t org_id, int64_t limit);
std::optional<NetworkRow> find_network(store::Connection& c, int64_t id);
int64_t count_networks(store::Connection& c, int64_t org_id);
// The organisation of a network, for the route's ownership check.
std::optional<int64_t> network_org(store::Connection& c, int64_t id);

struct AdRow {
  int64_t id = 0, ingest_id = 0, line = 0;
  Ad ad;  // as stored (posted_ms, location, site, phone, email, image_hash)
  std::optional<int64_t> cluster, network;
  std::vector<std::string> indicators;
};
std::vector<AdRow> network_ads(store::Connection& c, int64_t org_id, int64_t network_id);
std::optional<AdRow> find_ad(store::Connection& c, int64_t id);

struct ClusterRow {
  int64_t id = 0, ads = 0;
  std::string template_json;
};
std::optional<ClusterRow> find_cluster(store::Connection& c, int64_t org_id, int64_t id);

struct CommonRow {
  std::string kind, value;
  int64_t ads = 0, groups = 0, cities = 0;
};
std::vector<CommonRow> too_common(store::Connection& c, int64_t org_id);

struct AnalysisRow {
  std::string computed_at;
  int64_t ads = 0, clusters = 0, networks = 0;
};
std::optional<AnalysisRow> find_analysis(store::Connection& c, int64_t org_id);

struct IngestRow {
  int64_t id = 0;
  std::string file_name, created_by, created_at;
  int64_t rows_read = 0, ingested = 0, skipped = 0;
};
std::vector<IngestRow> list_ingests(store::Connection& c, int64_t org_id);

// Indicator feedback.
void insert_feedback(store::Connection& c, int64_t org_id, const std::string& indicator,
                     int64_t ad_id, bool true_positive, const std::string& created_by,
                     std::optional<int64_t> created_by_user, const std::string& created_at);
struct FeedbackCount {
  std::string indicator;
  int64_t true_positive = 0, false_positive = 0;
};
std::vector<FeedbackCount> feedback_counts(store::Connection& c, int64_t org_id);

// Every organisation's id, in id order (the CLI's default organisation).
std::vector<int64_t> organisations(store::Connection& c);

int64_t insert_export(store::Connection& c, int64_t org_id, int64_t network_id,
                      const std::string& manifest_sha256, const std::string& created_by,
                      std::optional<int64_t> created_by_user, const std::string& created_at);

}  // namespace ctip::online::repository
