// The linking engine end to end on a generated corpus (issue #10, "Benchmark"; bench/ads_bench.sh):
// bench/gen_ads.py's CSV -> stand-in features (src/online/linking/testing: NOT the real
// normaliser) -> clusters -> networks -> pairwise precision, recall and F1 of the networks
// against the ground truth, and the false-positive rate of the organised ranking on the
// independent posters. Prints the throughput of each stage and the peak memory.
//
// Usage: ctip_ads_bench ADS.csv TRUTH.csv [--threads N] [--templates N] [--dump FILE.csv]
//                       [--bands B --rows R] [--depth D]
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/csv.h"
#include "online/linking/cluster.h"
#include "online/linking/evaluation.h"
#include "online/linking/network.h"
#include "online/linking/template.h"
#include "online/linking/testing/stand_in_features.h"

namespace {

using namespace ctip::online::linking;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU seconds of the whole process (all threads): on a shared machine, ads per CPU second is
// the figure that does not depend on what else runs.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// The 1-minute load average, so that a figure measured on a busy machine says so.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first.empty() ? "?" : first;
}

std::vector<std::vector<std::string>> read_csv(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path);
    std::exit(2);
  }
  ctip::csv::Reader reader(in);
  std::vector<std::vector<std::string>> rows;
  while (reader.next()) {
    if (reader.problem()) {
      std::fprintf(stderr, "%s line %zu: %s\n", path, reader.problem()->line,
                   reader.problem()->message.c_str());
      continue;
    }
    rows.emplace_back(reader.fields().begin(), reader.fields().end());
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ADS.csv TRUTH.csv [--threads N] [--templates N]\n", argv[0]);
    return 2;
  }
  int threads = 0;
  size_t template_count = 200;
  const char* dump = nullptr;
  int bands = 0, rows_per_band = 0, depth = 0;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
    if (flag == "--templates") template_count = static_cast<size_t>(std::atoll(argv[i + 1]));
    if (flag == "--dump") dump = argv[i + 1];
    if (flag == "--bands") bands = std::atoi(argv[i + 1]);
    if (flag == "--rows") rows_per_band = std::atoi(argv[i + 1]);
    if (flag == "--depth") depth = std::atoi(argv[i + 1]);
  }

  // Streamed in batches, as `ctip ads analyze` would: features for a batch (split between
  // threads), added to the index, then the tokens dropped (the index keeps shingles only).
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  ctip::csv::Reader reader(in);
  if (!reader.next()) return 2;
  std::map<std::string, size_t> col;
  for (size_t c = 0; c < reader.fields().size(); ++c) col[std::string(reader.fields()[c])] = c;
  for (const char* need : {"id", "title", "body", "posted_at", "city", "site", "phone"})
    if (!col.count(need)) {
      std::fprintf(stderr, "column %s missing\n", need);
      return 2;
    }
  const size_t c_id = col["id"], c_title = col["title"], c_body = col["body"],
               c_time = col["posted_at"], c_city = col["city"], c_site = col["site"],
               c_phone = col["phone"];
  const unsigned workers = threads > 0 ? static_cast<unsigned>(threads)
                                       : std::max(1u, std::thread::hardware_concurrency());
  ClusterParams cp;
  cp.threads = threads;
  if (bands > 0) cp.bands = bands;
  if (rows_per_band > 0) cp.rows = rows_per_band;
  if (depth > 0) cp.bucket_depth = depth;
  ClusterIndex index(cp);
  std::vector<AdFeatures> ads;
  double read_s = 0, features_s = 0, cluster_s = 0, cluster_cpu = 0;
  constexpr size_t batch_size = 65536;
  std::vector<std::vector<std::string>> rows;
  bool more = true;
  while (more) {
    auto t0 = Clock::now();
    rows.clear();
    while (rows.size() < batch_size && (more = reader.next())) {
      if (reader.problem()) {
        std::fprintf(stderr, "line %zu: %s\n", reader.line(), reader.problem()->message.c_str());
        continue;
      }
      rows.emplace_back(reader.fields().begin(), reader.fields().end());
    }
    read_s += seconds_since(t0);
    if (rows.empty()) break;
    t0 = Clock::now();
    const size_t first = ads.size(), m = rows.size();
    ads.resize(first + m);
    {
      std::vector<std::jthread> pool;
      for (unsigned w = 0; w < workers; ++w)
        pool.emplace_back([&, w] {
          for (size_t i = m * w / workers; i < m * (w + 1) / workers; ++i) {
            const auto& r = rows[i];
            ads[first + i] = testing::stand_in_features(r[c_id], r[c_title], r[c_body], r[c_time],
                                                        r[c_city], r[c_site], r[c_phone]);
          }
        });
    }
    features_s += seconds_since(t0);
    t0 = Clock::now();
    const double c0 = cpu_seconds();
    index.add(std::span<const AdFeatures>(ads).subspan(first));
    cluster_s += seconds_since(t0);
    cluster_cpu += cpu_seconds() - c0;
    for (size_t i = first; i < first + m; ++i) std::vector<std::string>().swap(ads[i].tokens);
  }
  const size_t n = ads.size();
  if (n == 0) return 2;
  {
    // Bringing the clusters up to date (the union-find replay) belongs to clustering.
    const auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    index.stats();
    cluster_s += seconds_since(t0);
    cluster_cpu += cpu_seconds() - c0;
  }
  const auto truth_rows = read_csv(argv[2]);
  auto t0 = Clock::now();
  double c0 = 0;

  // Networks.
  t0 = Clock::now();
  c0 = cpu_seconds();
  const NetworkAnalysis net = link_networks(ads, index.cluster_of());
  const double network_s = seconds_since(t0);
  const double network_cpu = cpu_seconds() - c0;

  // Templates of the top-ranked networks' clusters (what an analyst opens first): their ads'
  // tokens again, from the file.
  size_t templated_ads = 0, templates_built = 0;
  double template_s = 0;
  {
    std::unordered_map<uint32_t, std::vector<uint32_t>> members;
    for (uint32_t a = 0; a < n; ++a) members[index.cluster_of()[a]].push_back(a);
    std::vector<uint32_t> chosen;
    for (size_t r = 0; r < net.networks.size() && chosen.size() < template_count; ++r)
      for (uint32_t c : net.networks[r].clusters) {
        chosen.push_back(c);
        if (chosen.size() >= template_count) break;
      }
    std::vector<uint8_t> wanted(n, 0);
    for (uint32_t c : chosen)
      for (uint32_t a : members[c]) wanted[a] = 1;
    std::ifstream again(argv[1], std::ios::binary);
    ctip::csv::Reader r2(again);
    r2.next();
    for (size_t i = 0; i < n && r2.next(); ++i)
      if (wanted[i])
        ads[i].tokens = testing::stand_in_tokens(std::string(r2.fields()[c_title]) + " " +
                                                 std::string(r2.fields()[c_body]));
    t0 = Clock::now();
    for (uint32_t c : chosen) {
      std::vector<TemplateAd> view;
      for (uint32_t a : members[c]) view.push_back({ads[a].tokens, ads[a].city});
      build_template(view);
      templated_ads += view.size();
      ++templates_built;
    }
    template_s = seconds_since(t0);
  }

  // Quality. Truth group: the network, or for an independent the poster (their own re-posts of
  // one ad with one phone are truly one person).
  std::unordered_map<std::string, size_t> tcol;
  for (size_t c = 0; c < truth_rows[0].size(); ++c) tcol[truth_rows[0][c]] = c;
  std::unordered_map<std::string, std::pair<std::string, std::string>> truth_of;
  for (size_t i = 1; i < truth_rows.size(); ++i)
    truth_of[truth_rows[i][tcol["id"]]] = {truth_rows[i][tcol["network"]],
                                           truth_rows[i][tcol["poster"]]};
  std::unordered_map<std::string, int64_t> label;
  std::vector<int64_t> truth(n), predicted(n);
  std::vector<uint8_t> independent(n), organised(n);
  std::unordered_map<std::string, uint8_t> poster_flagged;
  for (size_t i = 0; i < n; ++i) {
    const auto& [network, poster] = truth_of.at(ads[i].id);
    const std::string key = network.empty() ? "poster:" + poster : "network:" + network;
    truth[i] = label.try_emplace(key, static_cast<int64_t>(label.size())).first->second;
    predicted[i] = net.network_of[i];
    independent[i] = network.empty();
    organised[i] =
        net.network_of[i] >= 0 && net.networks[static_cast<size_t>(net.network_of[i])].organised;
    if (network.empty()) poster_flagged[poster] |= organised[i];
  }
  const auto s = pairwise_scores(predicted, truth);
  const double fp_ads = organised_false_positive_rate(independent, organised);
  // By kind of hard negative (bench/gen_ads.py: poster ids c..., s..., p...).
  std::map<char, std::pair<size_t, size_t>> by_kind;  // flagged, all
  size_t flagged_posters = 0;
  for (const auto& [p, f] : poster_flagged) {
    flagged_posters += f;
    auto& k = by_kind[p.empty() ? '?' : p[0]];
    k.first += f;
    ++k.second;
  }
  // Pairs of ads with a common phone not in one network, and not through a too-common value.
  size_t split_phone_pairs = 0;
  {
    std::unordered_map<std::string, int32_t> network_of_phone;
    std::unordered_map<std::string, bool> common;
    for (const auto& c : net.too_common) common[c.selector.value] = true;
    for (size_t i = 0; i < n; ++i)
      for (const auto& sel : ads[i].selectors) {
        if (common.count(sel.value)) continue;
        auto [it, added] = network_of_phone.try_emplace(sel.value, net.network_of[i]);
        split_phone_pairs += !added && it->second != net.network_of[i];
      }
  }
  size_t organised_networks = 0;
  for (const auto& nw : net.networks) organised_networks += nw.organised;

  if (dump) {
    // id,cluster,network,organised,risk: the ads.csv of `ctip ads analyze`, plus the ranking.
    std::ofstream out(dump);
    out << "id,cluster,network,organised,risk,reasons\n";
    for (size_t i = 0; i < n; ++i) {
      const int32_t r = net.network_of[i];
      out << ads[i].id << ',' << index.cluster_of()[i] << ',';
      if (r >= 0) {
        const auto& nw = net.networks[static_cast<size_t>(r)];
        out << nw.id << ',' << nw.organised << ',' << nw.risk << ',';
        for (const auto& reason : nw.reasons) out << reason.code << '=' << reason.points << ' ';
      } else {
        out << ",,,";
      }
      out << '\n';
    }
  }
  const auto& st = index.stats();
  std::printf("ads %zu | read %.2fs | stand-in features %.2fs (%.0f ads/s)\n", n, read_s,
              features_s, static_cast<double>(n) / features_s);
  std::printf("index memory %.0f MiB\n", static_cast<double>(index.memory_bytes()) / 1048576.0);
  std::printf(
      "clusters %.3fs wall, %.3fs CPU (%.0f ads/s, %.0f ads per CPU s): %zu clusters of 2+, %zu "
      "candidate pairs, %zu verified, "
      "%zu linked, %zu rejected for common shingles (cut df > %lld)\n",
      cluster_s, cluster_cpu, static_cast<double>(n) / cluster_s,
      static_cast<double>(n) / cluster_cpu, index.clusters().size(), st.candidate_pairs,
      st.verified, st.linked, st.rejected_common, static_cast<long long>(st.common_cut));
  std::printf(
      "networks %.3fs wall, %.3fs CPU (%.0f ads/s): %zu networks, %zu ranked organised, %zu links, "
      "%zu too-common values\n",
      network_s, network_cpu, static_cast<double>(n) / network_s, net.networks.size(),
      organised_networks, net.links.size(), net.too_common.size());
  std::printf("templates: %zu clusters, %zu ads in %.2fs (%.1f us/ad)\n", templates_built,
              templated_ads, template_s, templated_ads ? template_s * 1e6 / templated_ads : 0.0);
  std::printf(
      "quality: pairwise precision %.4f recall %.4f F1 %.4f (%llu true, %llu predicted, "
      "%llu correct pairs)\n",
      s.precision, s.recall, s.f1, static_cast<unsigned long long>(s.true_pairs),
      static_cast<unsigned long long>(s.predicted_pairs),
      static_cast<unsigned long long>(s.correct_pairs));
  std::printf(
      "organised ranking: false-positive rate on independents %.4f of ads, %zu of %zu "
      "posters; phone pairs split outside too-common values: %zu\n",
      fp_ads, flagged_posters, poster_flagged.size(), split_phone_pairs);
  std::printf("  flagged independent posters by kind:");
  for (const auto& [kind, counts] : by_kind)
    std::printf(" %s %zu of %zu;",
                kind == 'c'   ? "copied a network's text"
                : kind == 's' ? "shared booking line"
                              : "other",
                counts.first, counts.second);
  std::printf("\n");
  std::printf(
      "RESULT ads=%zu clustering+networks=%.0f ads/s wall, %.0f ads per CPU s, "
      "peak_rss=%ld MiB P=%.4f R=%.4f F1=%.4f fp_independent=%.4f load=%s\n",
      n, static_cast<double>(n) / (cluster_s + network_s),
      static_cast<double>(n) / (cluster_cpu + network_cpu), peak_rss_mib(), s.precision, s.recall,
      s.f1, fp_ads, load_average().c_str());
  return 0;
}
