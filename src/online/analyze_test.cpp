#include "online/analyze.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/error.h"

namespace ctip::online {
namespace {

// A corpus of `n` ads in several batches of the pass (4,096 ads each): 40 templates, each with
// its own phone, posted in turn, a few words varying per ad; every 7th ad an independent poster.
std::string corpus(size_t n, size_t bad_row = 0) {
  std::string csv = "id,body,location,posted_at\n";
  for (size_t i = 0; i < n; ++i) {
    const size_t t = i % 40;
    std::string body;
    if (i % 7 == 0) {
      body = "i am " + std::to_string(i) + " independent, my own place, call 713 555 " +
             std::to_string(1000 + i % 9000);
    } else {
      body = "template " + std::to_string(t) + " sweet new girl in town just arrived, ask for " +
             std::to_string(i % 13) + " no rush, real pics, call 832 555 " +
             std::to_string(2000 + t) + " today " + std::to_string(i % 5);
    }
    const std::string id = i == bad_row && bad_row ? "" : "ad" + std::to_string(i);
    csv += id + ",\"" + body + "\",city" + std::to_string(i % 9) + "," +
           std::to_string(1700000000 + i * 60) + "\n";
  }
  return csv;
}

AnalyzeResult analyze(const std::string& csv, unsigned threads, bool strict = false) {
  std::istringstream in(csv);
  AnalyzeOptions o;
  o.threads = threads;
  o.ingest.strict = strict;
  o.input_bytes = csv.size();
  return analyze_ads(in, o);
}

// The pass reads, runs the text pass on workers and joins the batches in file order on a
// thread of its own: the result is the same for any number of workers.
TEST(AnalyzeAds, TheResultDoesNotDependOnTheThreads) {
  const std::string csv = corpus(20000);
  const AnalyzeResult one = analyze(csv, 1);
  ASSERT_EQ(one.ads.size(), 20000u);
  EXPECT_EQ(one.ads[12345].id, "ad12345");
  EXPECT_GE(one.networks.networks.size(), 40u);
  for (unsigned threads : {2u, 3u}) {
    const AnalyzeResult r = analyze(csv, threads);
    ASSERT_EQ(r.ads.size(), one.ads.size());
    for (size_t i = 0; i < r.ads.size(); i += 997) EXPECT_EQ(r.ads[i].id, one.ads[i].id);
    EXPECT_EQ(r.cluster_of, one.cluster_of) << threads << " threads";
    EXPECT_EQ(r.networks.network_of, one.networks.network_of) << threads << " threads";
  }
}

// A strict run refuses the file at its first bad row, in a later batch, while earlier batches
// are in the workers' and the joiner's hands: it throws, and returns (no thread left waiting).
TEST(AnalyzeAds, AStrictRunStopsAtABadRow) {
  const std::string csv = corpus(20000, 15000);
  try {
    analyze(csv, 2, true);
    FAIL() << "a row without an id was accepted in strict mode";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("15002"), std::string::npos) << e.what();
  }
  // Without --strict the row is skipped and counted.
  const AnalyzeResult r = analyze(csv, 2);
  EXPECT_EQ(r.ads.size(), 19999u);
  EXPECT_EQ(r.summary.skipped, 1u);
}

// networks.json is serialised in slices by several threads and written by one: every network
// once, in rank order, however many slices there are (this corpus makes some thirty).
TEST(AnalyzeAds, NetworksAreWrittenInRankOrder) {
  // 3,000 pairs of ads, each pair sharing a phone of its own, their words unlike any other's.
  auto word = [](size_t k) {
    std::string w;
    for (size_t i = 0; i < 4; ++i, k /= 26) w += static_cast<char>('a' + k % 26);
    return w;
  };
  std::string csv = "id,body\n";
  for (size_t i = 0; i < 6000; ++i) {
    const size_t k = i / 2;
    csv += "ad" + std::to_string(i) + ",hello from " + word(k * 7 + i % 2) + " " +
           word(k * 13 + 5) + " " + word(k * 31 + 3 * (i % 2)) + " call 713 " +
           std::to_string(300 + k / 1000) + " " + std::to_string(1000 + k % 1000) + "\n";
  }
  const AnalyzeResult r = analyze(csv, 2);
  ASSERT_EQ(r.networks.networks.size(), 3000u);
  std::ostringstream out;
  write_networks_json(r, out);
  const auto doc = nlohmann::json::parse(out.str());
  const auto& networks = doc.at("networks");
  ASSERT_EQ(networks.size(), r.networks.networks.size());
  for (size_t i = 0; i < networks.size(); ++i) {
    ASSERT_EQ(networks[i].at("rank").get<size_t>(), i + 1);
    const auto& n = r.networks.networks[i];
    ASSERT_EQ(networks[i].at("id").get<std::string>(), r.ads[n.id].id) << "rank " << i + 1;
    ASSERT_EQ(networks[i].at("ads").size(), n.ads.size()) << "rank " << i + 1;
  }
}

}  // namespace
}  // namespace ctip::online
