// The online ads service over a real store (SQLite, and PostgreSQL under ctest's pg label):
// ingests land whole or not at all; ads added in two files give the same clusters and networks
// as one file; every pair of ads sharing a phone is in one network unless the phone is reported
// too common; bad rows are reported with their lines; indicator feedback gives a measured
// precision; evidence packages verify and a tampered one does not; organisations do not see each
// other's networks.
#include "online/online_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "jobs/test_support.h"
#include "online/demo_ads.h"

namespace ctip::online {
namespace {

using jobs::testing::Env;

const auth::Actor kOperator = auth::Actor::operator_named("cli");

IngestResult ingest_text(OnlineService& svc, int64_t org, const std::string& text,
                         bool strict = false) {
  std::istringstream in(text);
  IngestRequest req;
  req.file_name = "test.csv";
  req.ingest.strict = strict;
  return svc.ingest(kOperator, org, in, req);
}

int64_t audit_count(Env& env, const std::string& action) {
  audit::EntryFilter f;
  f.action = action;
  return static_cast<int64_t>(env.audit->query(f, 1000).size());
}

// The organisation's networks as sets of ad keys (row ids differ between stores and orders).
std::set<std::set<std::string>> network_partition(Env& env, int64_t org) {
  std::map<int64_t, std::set<std::string>> by_network;
  env.store->read([&](store::Connection& c) {
    for (const auto& r : c.query("SELECT ad_key, network_id FROM online_ads WHERE org_id = ? AND "
                                 "network_id IS NOT NULL",
                                 {org}))
      by_network[r.integer(1)].insert(r.text(0));
  });
  std::set<std::set<std::string>> out;
  for (auto& [id, keys] : by_network) out.insert(std::move(keys));
  return out;
}

std::set<std::set<std::string>> cluster_partition(Env& env, int64_t org) {
  std::map<int64_t, std::set<std::string>> by_cluster;
  env.store->read([&](store::Connection& c) {
    for (const auto& r : c.query("SELECT ad_key, cluster_id FROM online_ads WHERE org_id = ? AND "
                                 "cluster_id IS NOT NULL",
                                 {org}))
      by_cluster[r.integer(1)].insert(r.text(0));
  });
  std::set<std::set<std::string>> out;
  for (auto& [id, keys] : by_cluster) out.insert(std::move(keys));
  return out;
}

TEST(OnlineService, AdsIngestedInTwoFilesGiveTheNetworksOfOneFile) {
  Env env("online-incremental");
  OnlineService svc(*env.store, *env.audit);
  const std::string csv = demo_ads_csv(800, 5);
  // Split after the header at a row boundary (the generated bodies hold no line break): the
  // second file's ads join the first file's clusters and networks.
  const size_t header_end = csv.find('\n') + 1;
  // A fifth in: inside the networks, which the generator writes first.
  size_t half = csv.find('\n', csv.size() / 5) + 1;
  const std::string header = csv.substr(0, header_end);
  auto first = ingest_text(svc, 1, csv.substr(0, half));
  auto second = ingest_text(svc, 1, header + csv.substr(half));
  auto whole = ingest_text(svc, 2, csv);
  EXPECT_EQ(first.summary["skipped"], 0);
  EXPECT_EQ(second.summary["skipped"], 0);
  EXPECT_EQ(second.analysis["ads"], whole.analysis["ads"]);
  EXPECT_EQ(whole.analysis["ads"], 800);

  const auto split = network_partition(env, 1);
  const auto one = network_partition(env, 2);
  EXPECT_GT(one.size(), 5u);
  EXPECT_EQ(split, one);
  EXPECT_EQ(cluster_partition(env, 1), cluster_partition(env, 2));
  // The templates kept from the first file (clusters it did not change) are those one pass
  // builds.
  auto templates = [&](int64_t org) {
    std::multiset<std::pair<int64_t, std::string>> out;
    env.store->read([&](store::Connection& c) {
      for (const auto& r :
           c.query("SELECT ads, template FROM online_clusters WHERE org_id = ?", {org}))
        out.emplace(r.integer(0), Json::parse(r.text(1))["text"].get<std::string>());
    });
    return out;
  };
  EXPECT_EQ(templates(1), templates(2));
  // At least one network has ads from both files: the second file joined it.
  std::set<std::string> first_keys;
  std::istringstream lines(csv.substr(header_end, half - header_end));
  for (std::string line; std::getline(lines, line);)
    first_keys.insert(line.substr(0, line.find(',')));
  bool joined = false;
  for (const auto& n : split) {
    size_t in_first = 0;
    for (const auto& k : n) in_first += first_keys.contains(k);
    joined |= in_first > 0 && in_first < n.size();
  }
  EXPECT_TRUE(joined);
  EXPECT_EQ(audit_count(env, "ads.ingest"), 3);

  auto list = svc.networks(1);
  ASSERT_FALSE(list["networks"].empty());
  EXPECT_EQ(list["networks"][0]["rank"], 1);
  EXPECT_EQ(list["analysis"]["ads"], 800);
  for (size_t i = 1; i < list["networks"].size(); ++i)
    EXPECT_GE(list["networks"][i - 1]["risk"].get<double>(),
              list["networks"][i]["risk"].get<double>());
}

TEST(OnlineService, AdsSharingAPhoneAreInOneNetworkUnlessThePhoneIsTooCommon) {
  Env env("online-phones");
  OnlineService svc(*env.store, *env.audit);
  ingest_text(svc, 1, demo_ads_csv(1500, 7));
  std::set<std::string> common;
  const Json listed = svc.networks(1);
  for (const auto& v : listed["too_common"]) common.insert(v["value"].get<std::string>());
  // The generator's booking line is printed by dozens of unrelated posters in many cities.
  EXPECT_TRUE(common.contains("+18005550199")) << listed["too_common"].dump();
  std::map<std::string, std::set<int64_t>> networks_of_phone;
  std::map<std::string, int64_t> ads_of_phone;
  env.store->read([&](store::Connection& c) {
    for (const auto& r : c.query(
             "SELECT s.value, a.network_id FROM online_ad_selectors s JOIN online_ads a ON a.id "
             "= s.ad_id WHERE a.org_id = 1 AND s.kind = 'phone'")) {
      ++ads_of_phone[r.text(0)];
      networks_of_phone[r.text(0)].insert(r.is_null(1) ? -1 : r.integer(1));
    }
  });
  size_t shared = 0;
  for (const auto& [phone, n] : ads_of_phone) {
    if (n < 2 || common.contains(phone)) continue;
    ++shared;
    EXPECT_EQ(networks_of_phone[phone].size(), 1u) << phone;
    EXPECT_FALSE(networks_of_phone[phone].contains(-1)) << phone;
  }
  EXPECT_GT(shared, 20u);
}

TEST(OnlineService, BadRowsAreReportedWithTheirLinesAndStrictRefusesTheFile) {
  Env env("online-bad");
  OnlineService svc(*env.store, *env.audit);
  const std::string good = "id,body,city\na1,new in town call 713 555 0101,houston\n";
  ingest_text(svc, 1, good);
  const std::string bad =
      "id,body,city\n"
      "b1,just arrived call 713 555 0101,dallas\n"
      "b2,,dallas\n"                     // line 3: no body
      "a1,again the first ad,houston\n"  // line 4: already stored
      "b1,a second b1,dallas\n";         // line 5: duplicate in the file
  auto r = ingest_text(svc, 1, bad);
  EXPECT_EQ(r.summary["ingested"], 1);
  EXPECT_EQ(r.summary["skipped"], 3);
  std::set<uint64_t> lines;
  for (const auto& i : r.summary["issues"]) lines.insert(i["line"].get<uint64_t>());
  EXPECT_EQ(lines, (std::set<uint64_t>{3, 4, 5}));
  // Both ads share the phone: one network.
  EXPECT_EQ(network_partition(env, 1), (std::set<std::set<std::string>>{{"a1", "b1"}}));

  auto count = [&](const char* sql) { return env.count(sql); };
  const int64_t ads = count("SELECT COUNT(*) FROM online_ads");
  const int64_t ingests = count("SELECT COUNT(*) FROM online_ingests");
  const int64_t audited = audit_count(env, "ads.ingest");
  try {
    ingest_text(svc, 1, "id,body\nc1,fine ad\nc2,\n", true);
    FAIL() << "strict must refuse a file with a bad row";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "line 3");
  }
  try {
    ingest_text(svc, 1, "id,body\nc1,fine ad\na1,stored before\n", true);
    FAIL() << "strict must refuse an id already stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "line 3");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM online_ads"), ads);
  EXPECT_EQ(count("SELECT COUNT(*) FROM online_ingests"), ingests);
  EXPECT_EQ(audit_count(env, "ads.ingest"), audited);
  // A header without a body column: nothing stored either.
  EXPECT_THROW(ingest_text(svc, 1, "id,text_of_nothing\nz,1\n"), Error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM online_ads"), ads);
}

TEST(OnlineService, IndicatorFeedbackGivesItsMeasuredPrecision) {
  Env env("online-feedback");
  OnlineService svc(*env.store, *env.audit);
  ingest_text(svc, 1, demo_ads_csv(300, 3));
  ingest_text(svc, 2, demo_ads_csv(300, 4));
  const auto top = svc.networks(1)["networks"][0]["id"].get<int64_t>();
  auto net = svc.network(1, top);
  int64_t ad = 0;
  std::string indicator;
  for (const auto& a : net["ads"])
    if (!a["indicators"].empty()) {
      ad = a["id"].get<int64_t>();
      indicator = a["indicators"][0].get<std::string>();
      break;
    }
  ASSERT_NE(ad, 0);
  svc.indicator_feedback(kOperator, 1, indicator, ad, true);
  svc.indicator_feedback(kOperator, 1, indicator, ad, true);
  auto last = svc.indicator_feedback(kOperator, 1, indicator, ad, false);
  EXPECT_EQ(last["true_positive"], 2);
  EXPECT_EQ(last["false_positive"], 1);
  EXPECT_NEAR(last["precision"].get<double>(), 2.0 / 3.0, 1e-9);
  // Another organisation's verdicts are its own.
  const Json other = svc.indicators(2);
  for (const auto& i : other["indicators"]) {
    if (i["id"] == indicator) {
      EXPECT_TRUE(i["precision"].is_null());
    }
  }
  EXPECT_EQ(audit_count(env, "ads.indicator.feedback"), 3);
  EXPECT_THROW(svc.indicator_feedback(kOperator, 1, "no.such.indicator", ad, true), Error);
  try {
    svc.indicator_feedback(kOperator, 2, indicator, ad, true);
    FAIL() << "an ad of another organisation";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  // Another organisation's network is not found.
  try {
    svc.network(2, top);
    FAIL() << "a network of another organisation";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
}

TEST(OnlineService, TheEvidencePackageVerifiesAndATamperedOneDoesNot) {
  Env env("online-evidence");
  OnlineService svc(*env.store, *env.audit);
  ingest_text(svc, 1, demo_ads_csv(400, 9));
  const auto top = svc.networks(1)["networks"][0]["id"].get<int64_t>();
  auto net = svc.network(1, top);
  ASSERT_FALSE(net["templates"].empty());
  ASSERT_FALSE(net["movement"].empty());
  ASSERT_FALSE(net["links"].empty());
  // Every ad has highlights from the engine's offsets: its selector is marked.
  for (const auto& a : net["ads"]) {
    bool selector = false;
    for (const auto& h : a["highlights"]) {
      EXPECT_LE(h["end"].get<size_t>(), a["body"].get<std::string>().size());
      selector |= h["kind"] == "selector";
    }
    EXPECT_TRUE(selector) << a["body"];
  }

  auto package = svc.export_evidence(kOperator, 1, top);
  EXPECT_GT(package.export_id, 0);
  EXPECT_EQ(audit_count(env, "ads.evidence.export"), 1);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM online_exports"), 1);
  const auto dir = env.dir / "evidence";
  write_package(package, dir);
  auto ok = verify_package(dir);
  EXPECT_TRUE(ok.ok) << (ok.problems.empty() ? "" : ok.problems.front());
  EXPECT_EQ(ok.files, 2u);
  std::ifstream html(dir / "report.html");
  std::stringstream text;
  text << html.rdbuf();
  EXPECT_NE(text.str().find("<mark class=\"selector\""), std::string::npos);
  EXPECT_NE(text.str().find("class=\"slot\""), std::string::npos);
  EXPECT_EQ(text.str().find("<script"), std::string::npos);

  {
    std::ofstream tamper(dir / "report.html", std::ios::app);
    tamper << "<!-- edited -->";
  }
  auto bad = verify_package(dir);
  EXPECT_FALSE(bad.ok);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(bad.problems[0].find("report.html"), std::string::npos);
  std::filesystem::remove(dir / "network.json");
  EXPECT_EQ(verify_package(dir).problems.size(), 2u);
  // Another organisation cannot export it.
  EXPECT_THROW(svc.export_evidence(kOperator, 2, top), Error);
}

}  // namespace
}  // namespace ctip::online
