#include "online/linking/cluster.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "core/error.h"

namespace ctip::online {
namespace {

constexpr uint32_t none = 0xffffffffu;

uint32_t hardware_threads(int wanted) {
  if (wanted > 0) return static_cast<uint32_t>(wanted);
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

}  // namespace

ClusterIndex::ClusterIndex(ClusterParams params) : params_(params) {
  if (params_.bands < 1 || params_.rows < 1 ||
      params_.bands * params_.rows > params_.minhash.permutations)
    invalid("bands", "bands x rows must be between 1 and the signature length");
  if (params_.min_jaccard <= 0 || params_.min_jaccard > 1)
    invalid("min_jaccard", "the Jaccard threshold must be in (0, 1]");
  if (params_.bucket_depth < 1) invalid("bucket_depth", "compare with at least one ad a bucket");
  if (params_.df_sketch_bits < 8 || params_.df_sketch_bits > 30)
    invalid("df_sketch_bits", "the document-frequency table needs 8 to 30 bits");
  df_.assign(size_t{1} << params_.df_sketch_bits, 0);
  shingle_begin_.push_back(0);
  table_keys_.assign(1024, 0);
  table_heads_.assign(1024, none);
}

void ClusterIndex::add(std::span<const AdFeatures> ads) {
  std::vector<std::span<const std::string>> tokens;
  tokens.reserve(ads.size());
  for (const auto& ad : ads) tokens.emplace_back(ad.tokens);
  add_tokens(tokens);
}

uint32_t ClusterIndex::bucket_slot(uint32_t key) {
  // Open addressing, linear probing, at most half full.
  if ((table_used_ + 1) * 2 > table_keys_.size()) {
    std::vector<uint32_t> keys(table_keys_.size() * 2, 0), heads(table_keys_.size() * 2, none);
    const size_t mask = keys.size() - 1;
    for (size_t s = 0; s < table_keys_.size(); ++s) {
      if (table_keys_[s] == 0) continue;
      size_t t = (table_keys_[s] * 0x9e3779b1u) & mask;
      while (keys[t] != 0) t = (t + 1) & mask;
      keys[t] = table_keys_[s];
      heads[t] = table_heads_[s];
    }
    table_keys_.swap(keys);
    table_heads_.swap(heads);
  }
  const size_t mask = table_keys_.size() - 1;
  size_t s = (key * 0x9e3779b1u) & mask;
  while (table_keys_[s] != 0 && table_keys_[s] != key) s = (s + 1) & mask;
  if (table_keys_[s] == 0) {
    table_keys_[s] = key;
    ++table_used_;
  }
  return static_cast<uint32_t>(s);
}

void ClusterIndex::add_tokens(std::span<const std::span<const std::string>> ads) {
  if (ads.empty()) return;
  if (size() + ads.size() >= none) invalid("ads", "an index holds at most 2^32 - 2 ads");
  const size_t first = size();
  const size_t n = ads.size();
  const size_t bands = static_cast<size_t>(params_.bands);
  std::vector<std::vector<uint32_t>> sets(n);
  std::vector<uint32_t> keys(n * bands, 0);
  const size_t df_mask = df_.size() - 1;

  // Shingling and signing are independent per ad: split the batch between threads. Counting
  // document frequencies with relaxed atomic increments gives the same counts in any order.
  const uint32_t threads = std::min<uint32_t>(hardware_threads(params_.threads),
                                              static_cast<uint32_t>((n + 255) / 256));
  auto work = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      ShingleSketch s = sketch(ads[i], params_.minhash);
      if (!s.signature.empty()) {
        auto k = band_keys(s.signature, params_.bands, params_.rows, params_.minhash.seed);
        std::copy(k.begin(), k.end(), keys.begin() + static_cast<ptrdiff_t>(i * bands));
      }
      for (uint32_t h : s.shingles)
        std::atomic_ref<uint32_t>(df_[h & df_mask]).fetch_add(1, std::memory_order_relaxed);
      sets[i] = std::move(s.shingles);
    }
  };
  if (threads <= 1) {
    work(0, n);
  } else {
    std::vector<std::jthread> pool;
    for (uint32_t t = 0; t < threads; ++t)
      pool.emplace_back(work, n * t / threads, n * (t + 1) / threads);
  }

  for (size_t i = 0; i < n; ++i) {
    shingles_.insert(shingles_.end(), sets[i].begin(), sets[i].end());
    shingle_begin_.push_back(shingles_.size());
    std::vector<uint32_t>().swap(sets[i]);
  }

  // LSH: each new ad joins its buckets and takes the latest bucket_depth ads of each as
  // candidates. Sequential, in the order added, so the candidates do not depend on batching.
  previous_.resize((first + n) * bands, none);
  std::vector<uint32_t> found;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t ad = static_cast<uint32_t>(first + i);
    found.clear();
    for (size_t b = 0; b < bands; ++b) {
      const uint32_t key = keys[i * bands + b];
      if (key == 0) continue;  // an ad without tokens is in no bucket
      const uint32_t slot = bucket_slot(key);
      uint32_t other = table_heads_[slot];
      previous_[size_t{ad} * bands + b] = other;
      table_heads_[slot] = ad;
      for (int depth = 0; depth < params_.bucket_depth && other != none; ++depth) {
        found.push_back(other);
        other = previous_[size_t{other} * bands + b];
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (uint32_t other : found) {
      edge_a_.push_back(ad);
      edge_b_.push_back(other);
    }
  }
  cluster_of_.resize(first + n);
  replay();
}

std::span<const uint32_t> ClusterIndex::shingles(uint32_t ad) const {
  return {shingles_.data() + shingle_begin_[ad], shingles_.data() + shingle_begin_[ad + 1]};
}

uint32_t ClusterIndex::document_frequency(uint32_t shingle) const {
  return df_[shingle & (df_.size() - 1)];
}

bool ClusterIndex::too_common(uint32_t shingle) const {
  return document_frequency(shingle) > stats_.common_cut;
}

bool ClusterIndex::linked(uint32_t a, uint32_t b, bool& rejected_common) const {
  const auto x = shingles(a), y = shingles(b);
  if (x.empty() || y.empty()) return false;
  size_t i = 0, j = 0, shared = 0, common = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      if (too_common(x[i])) ++common; else ++shared;
      ++i, ++j;
    }
  }
  // The shared shingles that are too common are left out of both sets.
  const size_t uni = x.size() + y.size() - shared - 2 * common;
  const size_t need = std::min<size_t>(static_cast<size_t>(params_.min_shared_shingles),
                                       std::min(x.size(), y.size()) - common);
  const bool ok = uni > 0 && shared >= need && shared > 0 &&
                  static_cast<double>(shared) >= params_.min_jaccard * static_cast<double>(uni);
  if (!ok && common > 0) {
    const size_t all = shared + common;
    rejected_common = static_cast<double>(all) >=
                      params_.min_jaccard * static_cast<double>(x.size() + y.size() - all);
  }
  return ok;
}

uint32_t ClusterIndex::find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void ClusterIndex::replay() {
  const size_t n = size();
  stats_.ads = n;
  stats_.candidate_pairs = edge_a_.size();
  stats_.verified = stats_.linked = stats_.rejected_common = 0;
  stats_.common_cut = std::max<int64_t>(
      params_.common_min_ads,
      static_cast<int64_t>(std::ceil(params_.common_fraction * static_cast<double>(n))));
  parent_.resize(n);
  for (uint32_t i = 0; i < n; ++i) parent_[i] = i;
  // Components do not depend on the order the edges are joined in; an edge whose ads are
  // already joined is not verified again.
  for (size_t e = 0; e < edge_a_.size(); ++e) {
    uint32_t ra = find(edge_a_[e]), rb = find(edge_b_[e]);
    if (ra == rb) continue;
    ++stats_.verified;
    bool common = false;
    if (!linked(edge_a_[e], edge_b_[e], common)) {
      stats_.rejected_common += common;
      continue;
    }
    ++stats_.linked;
    // The smaller index is the root, so that a cluster's id is its first ad.
    if (ra < rb) parent_[rb] = ra; else parent_[ra] = rb;
  }
  for (uint32_t i = 0; i < n; ++i) cluster_of_[i] = find(i);
}

std::vector<std::vector<uint32_t>> ClusterIndex::clusters(size_t min_size) const {
  std::vector<uint32_t> count(size(), 0);
  for (uint32_t c : cluster_of_) ++count[c];
  std::vector<std::vector<uint32_t>> out;
  std::vector<uint32_t> slot(size(), none);
  for (uint32_t i = 0; i < size(); ++i) {
    const uint32_t c = cluster_of_[i];
    if (count[c] < std::max<size_t>(min_size, 1)) continue;
    if (slot[c] == none) {
      slot[c] = static_cast<uint32_t>(out.size());
      out.emplace_back();
    }
    out[slot[c]].push_back(i);
  }
  return out;
}

}  // namespace ctip::online
