#include "online/linking/cluster.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/error.h"

namespace ctip::online::linking {
namespace {

constexpr uint32_t none = 0xffffffffu;

size_t slot_of(uint32_t key, size_t mask) { return static_cast<size_t>(key * 0x9e3779b1u) & mask; }

// Open addressing with linear probing, kept at most three quarters full; grown before a batch
// so that slots can be prefetched.
template <typename Table>
void reserve_slots(Table& t, size_t keys) {
  size_t size = t.slots.size();
  while ((t.used + keys) * 4 > size * 3) size *= 2;
  if (size == t.slots.size()) return;
  decltype(t.slots) grown(size);
  const size_t mask = size - 1;
  for (const auto& b : t.slots) {
    if (b.key == 0) continue;
    size_t s = slot_of(b.key, mask);
    while (grown[s].key != 0) s = (s + 1) & mask;
    grown[s] = b;
  }
  t.slots.swap(grown);
}

template <typename Table>
auto& bucket(Table& t, uint32_t key) {
  const size_t mask = t.slots.size() - 1;
  size_t s = slot_of(key, mask);
  while (t.slots[s].key != 0 && t.slots[s].key != key) s = (s + 1) & mask;
  if (t.slots[s].key == 0) {
    t.slots[s].key = key;
    ++t.used;
  }
  return t.slots[s];
}

// Ad `ad` joins the bucket of `key` in one band and meets the latest `depth` ads before it
// there: visit(other) for each, newest first. That band's chain of earlier ads is
// previous[x * stride] for ad x.
template <typename Table, typename Visit>
void join_bucket(Table& table, uint32_t* previous, size_t stride, uint32_t key, uint32_t ad,
                 int depth, Visit&& visit) {
  auto& slot = bucket(table, key);
  uint32_t other = slot.head;
  previous[ad * stride] = other;
  slot.head = ad;
  for (int d = 0; d < depth && other != none; ++d) {
    visit(other);
    other = previous[other * stride];
  }
}

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
  tables_.resize(static_cast<size_t>(params_.bands));
}

void ClusterIndex::add(std::span<const AdFeatures> ads) {
  std::vector<std::span<const std::string>> tokens;
  tokens.reserve(ads.size());
  for (const auto& ad : ads) tokens.emplace_back(ad.tokens);
  add_tokens(tokens);
}

void ClusterIndex::close() {
  closed_ = true;
  std::vector<BandTable>().swap(tables_);
  std::vector<uint32_t>().swap(previous_);
}

void ClusterIndex::add_tokens(std::span<const std::span<const std::string>> ads) {
  if (closed_) invalid("index", "the index is closed: no ads can be added");
  if (ads.empty()) return;
  const size_t n = ads.size();
  // Shingling and signing are independent per ad: the batch is split between threads, each into
  // its own Sketches, added in order afterwards.
  const uint32_t threads =
      std::max<uint32_t>(1, std::min<uint32_t>(hardware_threads(params_.threads),
                                               static_cast<uint32_t>((n + 255) / 256)));
  std::vector<Sketches> part(threads);
  auto work = [&](uint32_t t) {
    const size_t from = n * t / threads, to = n * (t + 1) / threads;
    std::vector<uint64_t> hashes;
    for (size_t i = from; i < to; ++i) {
      hashes.resize(ads[i].size());
      for (size_t k = 0; k < hashes.size(); ++k)
        hashes[k] = token_hash(ads[i][k], params_.minhash.seed);
      sketch(hashes, part[t]);
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (uint32_t t = 0; t < threads; ++t) pool.emplace_back(work, t);
  }
  for (const auto& p : part) add_sketched(p);
}

void ClusterIndex::sketch(std::span<const uint64_t> token_hashes, Sketches& out) const {
  thread_local std::vector<uint32_t> shingles, signature;
  sketch_hashed_into(token_hashes, params_.minhash, shingles, signature);
  const size_t bands = static_cast<size_t>(params_.bands);
  const size_t at = out.keys.size();
  out.keys.resize(at + bands, 0);
  band_keys_into(signature, params_.bands, params_.rows, params_.minhash.seed,
                 out.keys.data() + at);
  out.shingles.insert(out.shingles.end(), shingles.begin(), shingles.end());
  out.counts.push_back(static_cast<uint32_t>(shingles.size()));
}

void ClusterIndex::add_sketched(const Sketches& batch) {
  if (closed_) invalid("index", "the index is closed: no ads can be added");
  const size_t n = batch.size();
  if (n == 0) return;
  if (size() + n >= none) invalid("ads", "an index holds at most 2^32 - 2 ads");
  const size_t bands = static_cast<size_t>(params_.bands);
  if (batch.keys.size() != n * bands) invalid("keys", "a sketch needs one key per band");
  const size_t first = size();
  shingles_.insert(shingles_.end(), batch.shingles.begin(), batch.shingles.end());
  shingle_begin_.reserve(shingle_begin_.size() + n);
  for (uint32_t c : batch.counts) shingle_begin_.push_back(shingle_begin_.back() + c);
  if (shingle_begin_.back() != shingles_.size()) invalid("counts", "sketch counts do not add up");
  // LSH: each new ad joins its buckets and takes the latest bucket_depth ads of each as
  // candidates, in the order added, so the candidates do not depend on batching.
  for (size_t from = 0; from < n; from += 65536) {
    const size_t count = std::min<size_t>(65536, n - from);
    join_buckets(first + from, count,
                 std::span<const uint32_t>(batch.keys).subspan(from * bands, count * bands));
  }
  dirty_ = true;
}

void ClusterIndex::reserve(size_t ads, size_t shingles_per_ad) {
  if (ads <= size()) return;
  shingles_.reserve(ads * shingles_per_ad);
  shingle_begin_.reserve(ads + 1);
  previous_.reserve(ads * static_cast<size_t>(params_.bands));
  // Some 5 candidate pairs an ad in the generator's corpus of a million (they grow as needed).
  edge_a_.reserve(ads * 6);
  edge_b_.reserve(ads * 6);
  // Ads share band keys (the near-duplicates): some two thirds of a million ads' keys are
  // distinct in the generator's corpus. Tables grow past this if need be.
  for (auto& t : tables_) reserve_slots(t, (ads - size()) / 2);
}

// The ads' shingles counted into df_ (the same counts in any order), split between threads
// with their own counters, summed afterwards.
void ClusterIndex::count_document_frequencies() const {
  const size_t n = size();
  if (df_counted_ >= n) return;
  const size_t from = shingle_begin_[df_counted_], to = shingle_begin_[n];
  const size_t df_mask = df_.size() - 1;
  const uint32_t threads = std::max<uint32_t>(
      1, std::min<uint32_t>(hardware_threads(params_.threads),
                            static_cast<uint32_t>((to - from) / (size_t{1} << 22) + 1)));
  if (threads == 1) {
    for (size_t i = from; i < to; ++i) ++df_[shingles_[i] & df_mask];
  } else {
    std::vector<std::vector<uint32_t>> part(threads - 1);
    {
      std::vector<std::jthread> pool;
      pool.reserve(threads);
      for (uint32_t t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
          const size_t a = from + (to - from) * t / threads;
          const size_t b = from + (to - from) * (t + 1) / threads;
          uint32_t* df = df_.data();
          if (t > 0) {
            part[t - 1].assign(df_.size(), 0);
            df = part[t - 1].data();
          }
          for (size_t i = a; i < b; ++i) ++df[shingles_[i] & df_mask];
        });
    }
    for (const auto& counts : part)
      for (size_t c = 0; c < counts.size(); ++c) df_[c] += counts[c];
  }
  df_counted_ = n;
}

// Bands are independent: each thread fills the tables of its bands for every ad and lists the
// candidates it finds as (ad, other) in ad order; the lists are merged per ad.
void ClusterIndex::join_buckets(size_t first, size_t n, std::span<const uint32_t> keys) {
  const size_t bands = static_cast<size_t>(params_.bands);
  // A thread per 16,384 ads at most: `ctip ads analyze` adds batches of 4,096 while its workers
  // keep every core busy, and starting threads for each batch cost more than it saved.
  const uint32_t threads =
      std::min<uint32_t>({hardware_threads(params_.threads), static_cast<uint32_t>(bands),
                          static_cast<uint32_t>(n / 16384 + 1)});
  if (threads <= 1) {
    join_buckets_in_order(first, n, keys);
    return;
  }
  previous_.resize((first + n) * bands, none);
  std::vector<std::vector<uint64_t>> found(threads);
  auto work = [&](uint32_t t) {
    auto& out = found[t];
    for (size_t b = t; b < bands; b += threads) {
      BandTable& table = tables_[b];
      reserve_slots(table, n);
      const size_t mask = table.slots.size() - 1;
      constexpr size_t ahead = 8;  // prefetch the bucket of the ad this many ahead
      for (size_t i = 0; i < n; ++i) {
        if (i + ahead < n)
          __builtin_prefetch(&table.slots[slot_of(keys[(i + ahead) * bands + b], mask)]);
        const uint32_t key = keys[i * bands + b];
        if (key == 0) continue;  // an ad without tokens is in no bucket
        const uint32_t ad = static_cast<uint32_t>(first + i);
        join_bucket(table, previous_.data() + b, bands, key, ad, params_.bucket_depth,
                    [&](uint32_t other) { out.push_back((uint64_t{ad} << 32) | other); });
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (uint32_t t = 0; t < threads; ++t) pool.emplace_back(work, t);
  }
  std::vector<uint64_t> merged = std::move(found[0]);
  for (size_t t = 1; t < found.size(); ++t)
    merged.insert(merged.end(), found[t].begin(), found[t].end());
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  for (uint64_t pair : merged) {
    edge_a_.push_back(static_cast<uint32_t>(pair >> 32));
    edge_b_.push_back(static_cast<uint32_t>(pair));
  }
}

// The same pairs as join_buckets' threads, in the same order, on this thread: ad by ad, each
// ad's candidates from all bands sorted and de-duplicated in a small array as they are found
// (near-duplicates meet the same earlier ads in many bands), where sorting a batch's pairs took
// some 2% of `ctip ads analyze`'s CPU time.
void ClusterIndex::join_buckets_in_order(size_t first, size_t n, std::span<const uint32_t> keys) {
  const size_t bands = static_cast<size_t>(params_.bands);
  for (size_t b = 0; b < bands; ++b) reserve_slots(tables_[b], n);
  previous_.resize((first + n) * bands, none);
  std::vector<uint32_t> candidates;
  candidates.reserve(bands * static_cast<size_t>(params_.bucket_depth));
  // Two ads ahead, the buckets are prefetched; one ad ahead, the rows of their latest ads, where
  // the chains start (when the bucket sits in its first slot, as most do).
  for (size_t i = 0; i < n; ++i) {
    if (i + 2 < n) {
      for (size_t b = 0; b < bands; ++b) {
        const BandTable& t = tables_[b];
        __builtin_prefetch(&t.slots[slot_of(keys[(i + 2) * bands + b], t.slots.size() - 1)]);
      }
    }
    if (i + 1 < n) {
      for (size_t b = 0; b < bands; ++b) {
        const BandTable& t = tables_[b];
        const uint32_t key = keys[(i + 1) * bands + b];
        const Bucket& slot = t.slots[slot_of(key, t.slots.size() - 1)];
        if (slot.key == key && slot.head != none)
          __builtin_prefetch(&previous_[size_t{slot.head} * bands + b]);
      }
    }
    const uint32_t ad = static_cast<uint32_t>(first + i);
    candidates.clear();
    for (size_t b = 0; b < bands; ++b) {
      const uint32_t key = keys[i * bands + b];
      if (key == 0) continue;  // an ad without tokens is in no bucket
      join_bucket(tables_[b], previous_.data() + b, bands, key, ad, params_.bucket_depth,
                  [&](uint32_t other) {
                    // Insertion into the sorted candidates, skipping one already there.
                    auto at = std::lower_bound(candidates.begin(), candidates.end(), other);
                    if (at == candidates.end() || *at != other) candidates.insert(at, other);
                  });
    }
    for (uint32_t other : candidates) {
      edge_a_.push_back(ad);
      edge_b_.push_back(other);
    }
  }
}

std::span<const uint32_t> ClusterIndex::shingles(uint32_t ad) const {
  return {shingles_.data() + shingle_begin_[ad], shingles_.data() + shingle_begin_[ad + 1]};
}

uint32_t ClusterIndex::document_frequency(uint32_t shingle) const {
  count_document_frequencies();
  return df_[shingle & (df_.size() - 1)];
}

bool ClusterIndex::too_common(uint32_t shingle) const {
  refresh();
  return document_frequency(shingle) > stats_.common_cut;
}

bool ClusterIndex::linked(uint32_t a, uint32_t b, bool& rejected_common) const {
  const auto x = shingles(a), y = shingles(b);
  if (x.empty() || y.empty()) return false;
  size_t i = 0, j = 0, shared = 0, common = 0;
  const size_t df_mask = df_.size() - 1;  // up to date: replay() counted them
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      if (df_[x[i] & df_mask] > stats_.common_cut)
        ++common;
      else
        ++shared;
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

uint32_t ClusterIndex::find(uint32_t x) const { return find_root(parent_, x); }

uint32_t ClusterIndex::find_root(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

// Joins the candidate pairs [from, to) that pass linked() into `parent`, skipping a pair whose
// ads are already joined there; the pairs it linked are listed in `linked_edges` when given.
void ClusterIndex::verify(std::vector<uint32_t>& parent, size_t from, size_t to, Tally& tally,
                          std::vector<uint32_t>* linked_edges) const {
  for (size_t e = from; e < to; ++e) {
    // The pairs' ads are anywhere in the corpus: their union-find entries are fetched 8 pairs
    // ahead and their shingle lists 4 ahead (most pairs are skipped, but those verified missed
    // the cache on both lists).
    if (e + 8 < to) {
      __builtin_prefetch(&parent[edge_a_[e + 8]]);
      __builtin_prefetch(&parent[edge_b_[e + 8]]);
    }
    if (e + 4 < to) {
      __builtin_prefetch(shingles_.data() + shingle_begin_[edge_a_[e + 4]]);
      __builtin_prefetch(shingles_.data() + shingle_begin_[edge_b_[e + 4]]);
    }
    uint32_t ra = find_root(parent, edge_a_[e]), rb = find_root(parent, edge_b_[e]);
    if (ra == rb) continue;
    ++tally.verified;
    bool common = false;
    if (!linked(edge_a_[e], edge_b_[e], common)) {
      tally.rejected_common += common;
      continue;
    }
    ++tally.linked;
    // The smaller index is the root, so that a cluster's id is its first ad.
    if (ra < rb)
      parent[rb] = ra;
    else
      parent[ra] = rb;
    if (linked_edges) linked_edges->push_back(static_cast<uint32_t>(e));
  }
}

void ClusterIndex::replay() const {
  dirty_ = false;
  count_document_frequencies();
  cluster_of_.resize(size());
  const size_t n = size();
  stats_.ads = n;
  stats_.candidate_pairs = edge_a_.size();
  stats_.common_cut = std::max<int64_t>(
      params_.common_min_ads,
      static_cast<int64_t>(std::ceil(params_.common_fraction * static_cast<double>(n))));
  parent_.resize(n);
  for (uint32_t i = 0; i < n; ++i) parent_[i] = i;
  // The clusters are the components of the pairs that pass linked(), whatever the order they are
  // joined in: a pair whose ads are already joined adds nothing, and is not verified. Many pairs
  // are split in two halves, the second verified on a thread of its own into a union-find of its
  // own, whose linked pairs are then joined into the first's. (Always two halves, on any number
  // of cores, so that the counts in stats() do not depend on the machine.)
  const size_t m = edge_a_.size();
  Tally first, second;
  if (m < (size_t{1} << 18)) {
    verify(parent_, 0, m, first, nullptr);
  } else {
    std::vector<uint32_t> linked_later;
    {
      std::jthread later([&] {
        std::vector<uint32_t> parent(n);
        for (uint32_t i = 0; i < n; ++i) parent[i] = i;
        verify(parent, m / 2, m, second, &linked_later);
      });
      verify(parent_, 0, m / 2, first, nullptr);
    }
    for (uint32_t e : linked_later) {
      const uint32_t ra = find(edge_a_[e]), rb = find(edge_b_[e]);
      if (ra < rb)
        parent_[rb] = ra;
      else if (rb < ra)
        parent_[ra] = rb;
    }
  }
  stats_.verified = first.verified + second.verified;
  stats_.linked = first.linked + second.linked;
  stats_.rejected_common = first.rejected_common + second.rejected_common;
  for (uint32_t i = 0; i < n; ++i) cluster_of_[i] = find(i);
}

size_t ClusterIndex::memory_bytes() const {
  size_t words = shingles_.capacity() + df_.capacity() + edge_a_.capacity() + edge_b_.capacity() +
                 parent_.capacity() + cluster_of_.capacity();
  size_t buckets = 0;
  words += previous_.capacity();
  for (const auto& t : tables_) buckets += t.slots.capacity();
  return words * sizeof(uint32_t) + shingle_begin_.capacity() * sizeof(size_t) +
         buckets * sizeof(Bucket);
}

std::vector<std::vector<uint32_t>> ClusterIndex::clusters(size_t min_size) const {
  refresh();
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

}  // namespace ctip::online::linking
