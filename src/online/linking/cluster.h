// Near-duplicate ad clusters (issue #10 item 4): MinHash-LSH candidates, verified by the exact
// Jaccard similarity of the ads' shingle sets, joined by union-find. Incremental: an index to
// which batches of ads are added; see README.md for the methods, the thresholds and the guard
// against boilerplate chaining.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "online/linking/features.h"
#include "online/linking/minhash.h"

namespace ctip::online::linking {

struct ClusterParams {
  MinHashParams minhash;  // k = 3 words, K = 64 values, the seed
  // 21 bands of 3 rows: threshold (1/21)^(1/3) = 0.36; pairs at J = 0.3 become candidates
  // with probability 0.44, at J = 0.4 with 0.74, at J = 0.5 with 0.94, at J = 0.1 with 0.02
  // (README.md, "Banding").
  int bands = 21;
  int rows = 3;
  // A candidate pair is linked when, ignoring the shared shingles that are too common,
  // |A ∩ B| / |A ∪ B| >= min_jaccard and they share at least min_shared_shingles (or all of
  // the smaller ad's shingles).
  double min_jaccard = 0.3;
  int min_shared_shingles = 3;
  // A shingle is too common (boilerplate such as "100% real pics no games") when more than
  // max(common_min_ads, common_fraction x ads indexed) ads contain it. The floor keeps the
  // template of one large network (hundreds of ads) from counting as boilerplate in a small
  // corpus; a phrase that thousands of posters copy is far above it.
  double common_fraction = 0.01;
  int64_t common_min_ads = 500;
  // Each new ad is compared with at most this many of the latest ads in each of its buckets.
  int bucket_depth = 4;
  int threads = 0;               // for shingling and signing; 0 = the hardware's cores
  uint32_t df_sketch_bits = 20;  // the document-frequency counter table has 2^bits cells
};

struct ClusterStats {
  size_t ads = 0;
  size_t candidate_pairs = 0;  // distinct pairs found in a shared LSH bucket
  size_t verified = 0;         // pairs whose Jaccard was computed (not already joined)
  size_t linked = 0;           // of those, linked
  size_t rejected_common = 0;  // would have linked but for their too-common shingles
  int64_t common_cut = 0;      // the document frequency above which a shingle is too common
};

class ClusterIndex {
 public:
  explicit ClusterIndex(ClusterParams params = {});

  // Adds a batch of ads (only their tokens are read, and may be dropped afterwards), in order.
  // Their shingles, signatures and LSH candidates are computed once. The clusters are brought
  // up to date when next asked for (cluster_of, clusters, stats, too_common): union-find is
  // replayed over all candidate pairs with the current document frequencies, so that adding in
  // several batches gives exactly the clusters one batch gives.
  void add(std::span<const AdFeatures> ads);
  void add_tokens(std::span<const std::span<const std::string>> ads);

  // add() in two halves, for a caller that runs its own threads (`ctip ads analyze` sketches
  // each ad on the thread that read its text): sketch() is per ad, pure and safe to call from
  // several threads at once, each into its own Sketches; add_sketched() then adds batches in
  // the order the ads are to have. The result is the same as add() of the same ads in that order.
  struct Sketches {
    std::vector<uint32_t> shingles;  // each ad's sorted, distinct shingle set, one after another
    std::vector<uint32_t> counts;    // per ad, the size of its set
    std::vector<uint32_t> keys;      // per ad, its band keys (params().bands; 0: no tokens)
    size_t size() const { return counts.size(); }
    void clear() {
      shingles.clear();
      counts.clear();
      keys.clear();
    }
  };
  // One ad from its tokens' hashes (token_hash with params().minhash.seed), appended to out.
  void sketch(std::span<const uint64_t> token_hashes, Sketches& out) const;
  void add_sketched(const Sketches& batch);
  // Room for this many ads in all, with this many shingles each on average (a hint).
  void reserve(size_t ads, size_t shingles_per_ad);
  // No more ads will be added: the LSH buckets (the band tables and their chains, some 250 MB for
  // a million ads), which only adding needs, are freed; the candidates, shingles and clusters are
  // kept. Adding after close() throws.
  void close();
  bool closed() const { return closed_; }

  size_t size() const { return shingle_begin_.size() - 1; }
  // For each ad, in the order added: the index of its cluster's first ad (an ad in no cluster
  // is its own). A cluster's id is stable while ads are added unless two clusters merge.
  const std::vector<uint32_t>& cluster_of() const {
    refresh();
    return cluster_of_;
  }
  // The clusters with at least min_size ads, each sorted, in the order of their first ad.
  std::vector<std::vector<uint32_t>> clusters(size_t min_size = 2) const;

  std::span<const uint32_t> shingles(uint32_t ad) const;
  // How many ads contain the shingle (a count-min estimate: never below the truth).
  uint32_t document_frequency(uint32_t shingle) const;
  bool too_common(uint32_t shingle) const;
  const ClusterStats& stats() const {
    refresh();
    return stats_;
  }
  const ClusterParams& params() const { return params_; }
  // The bytes the index holds (its arrays' capacities).
  size_t memory_bytes() const;

 private:
  bool linked(uint32_t a, uint32_t b, bool& rejected_common) const;
  void refresh() const {
    if (dirty_) replay();
  }
  void replay() const;
  void count_document_frequencies() const;
  uint32_t find(uint32_t x) const;
  static uint32_t find_root(std::vector<uint32_t>& parent, uint32_t x);
  struct Tally {
    size_t verified = 0, linked = 0, rejected_common = 0;
  };
  void verify(std::vector<uint32_t>& parent, size_t from, size_t to, Tally& tally,
              std::vector<uint32_t>* linked_edges) const;
  void join_buckets(size_t first, size_t n, std::span<const uint32_t> keys);
  void join_buckets_in_order(size_t first, size_t n, std::span<const uint32_t> keys);

  ClusterParams params_;
  std::vector<uint32_t> shingles_;     // all ads' shingle sets, one after another
  std::vector<size_t> shingle_begin_;  // ad i's set is [begin[i], begin[i + 1])
  // Document-frequency counters (one count-min row), needed only to verify candidates: brought
  // up to date before a replay, for the ads after the first df_counted_.
  mutable std::vector<uint32_t> df_;
  mutable size_t df_counted_ = 0;
  // LSH buckets as linked lists in arrays, one table per band (so that bands can be filled by
  // different threads): the table maps a band key to its latest ad, and
  // previous_[ad * bands + band] is the ad before it in that bucket. An ad's links of all bands
  // are side by side: near-duplicates share their buckets in many bands, so walking the chains
  // of an ad's bands reads the same few earlier ads' rows, which the first band brought into
  // the cache. (A table per band was some 3 s of `ctip ads analyze`'s 1M ads, most of it misses.)
  struct Bucket {
    uint32_t key = 0;  // 0: empty slot
    uint32_t head = 0xffffffffu;
  };
  struct BandTable {
    std::vector<Bucket> slots = std::vector<Bucket>(1024);
    size_t used = 0;
  };
  std::vector<BandTable> tables_;
  std::vector<uint32_t> previous_;
  bool closed_ = false;
  std::vector<uint32_t> edge_a_, edge_b_;  // candidate pairs, new ad first
  // The clusters, recomputed from the candidates when asked for after an add.
  mutable bool dirty_ = false;
  mutable std::vector<uint32_t> parent_;
  mutable std::vector<uint32_t> cluster_of_;
  mutable ClusterStats stats_;
};

}  // namespace ctip::online::linking
