#include "online/linking/cluster.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "online/linking/testing/synthetic_ads.h"

namespace ctip::online::linking {
namespace {

using testing::SyntheticText;
using Tokens = std::vector<std::string>;

std::vector<std::span<const std::string>> spans(const std::vector<Tokens>& ads) {
  return {ads.begin(), ads.end()};
}

// `templates` templates of 40 words, `variants` ads each (3 slots, `edits` edits), then
// `independents` unrelated ads; truth[i] is the template of ad i, or -1.
struct Corpus {
  std::vector<Tokens> ads;
  std::vector<int> truth;
};

Corpus templated(uint32_t seed, int templates, int variants, int edits, int independents) {
  SyntheticText gen(seed);
  Corpus c;
  for (int t = 0; t < templates; ++t) {
    const Tokens base = gen.words(40);
    for (int v = 0; v < variants; ++v) {
      c.ads.push_back(gen.variant(base, {4, 12, 25}, edits));
      c.truth.push_back(t);
    }
  }
  for (int i = 0; i < independents; ++i) {
    c.ads.push_back(gen.words(30 + gen.next() % 20));
    c.truth.push_back(-1);
  }
  // Interleave deterministically, as ads arrive over time.
  std::mt19937 rng(seed ^ 0xabcdu);
  for (size_t i = c.ads.size(); i > 1; --i) {
    const size_t j = rng() % i;
    std::swap(c.ads[i - 1], c.ads[j]);
    std::swap(c.truth[i - 1], c.truth[j]);
  }
  return c;
}

TEST(ClusterIndex, FindsNearDuplicatesWithEditsAndNothingElse) {
  const Corpus c = templated(11, 30, 12, 2, 200);
  ClusterIndex index;
  index.add_tokens(spans(c.ads));
  const auto& of = index.cluster_of();
  size_t same_pairs = 0, found_pairs = 0;
  for (size_t i = 0; i < c.ads.size(); ++i)
    for (size_t j = i + 1; j < c.ads.size(); ++j) {
      const bool truly = c.truth[i] >= 0 && c.truth[i] == c.truth[j];
      if (truly) {
        ++same_pairs;
        found_pairs += of[i] == of[j];
      } else {
        EXPECT_NE(of[i], of[j]) << "ads " << i << " and " << j << " are unrelated";
      }
    }
  EXPECT_GE(static_cast<double>(found_pairs) / static_cast<double>(same_pairs), 0.97);
  // Nearly every template is one cluster (transitive links make up for pairs LSH missed or
  // that fall below the threshold).
  std::map<int, std::set<uint32_t>> clusters_of_template;
  for (size_t i = 0; i < c.ads.size(); ++i)
    if (c.truth[i] >= 0) clusters_of_template[c.truth[i]].insert(of[i]);
  size_t whole = 0;
  for (const auto& [t, ids] : clusters_of_template) whole += ids.size() == 1;
  EXPECT_GE(whole, 29u);
  EXPECT_GE(index.clusters().size(), 30u);
  EXPECT_LE(index.clusters().size(), 32u);
  EXPECT_GT(index.stats().linked, 0u);
}

// Two unrelated networks and many independents share one long boilerplate paragraph (as ads
// copy "100% real, no games, no law enforcement ..."). Without the document-frequency cut the
// paragraph alone makes ads of both networks similar enough to link (the control below), which
// is how InfoShield's precision collapses on 100k ads; with it, the networks stay apart.
TEST(ClusterIndex, BoilerplateDoesNotChainUnrelatedAds) {
  SyntheticText gen(5);
  const Tokens boilerplate = gen.words(30, 100000);
  const Tokens a = gen.words(8, 100000), b = gen.words(8, 100000);
  std::vector<Tokens> ads;
  std::vector<int> truth;
  auto ad_of = [&](const Tokens& own, int label) {
    Tokens t = own;
    t.back() = "n" + std::to_string(gen.next() % 3);  // one varying word
    t.insert(t.end(), boilerplate.begin(), boilerplate.end());
    ads.push_back(t);
    truth.push_back(label);
  };
  for (int i = 0; i < 15; ++i) ad_of(a, 0), ad_of(b, 1);
  for (int i = 0; i < 60; ++i) ad_of(gen.words(8, 100000), 2 + i);
  ClusterParams params;
  params.common_min_ads = 40;
  ClusterIndex guarded(params);
  guarded.add_tokens(spans(ads));
  const auto& of = guarded.cluster_of();
  for (size_t i = 0; i < ads.size(); ++i)
    for (size_t j = i + 1; j < ads.size(); ++j)
      EXPECT_EQ(of[i] == of[j], truth[i] == truth[j]) << i << " " << j;
  EXPECT_GT(guarded.stats().rejected_common, 0u);
  EXPECT_EQ(guarded.clusters().size(), 2u);

  params.common_min_ads = 1000000;  // the control: no cut
  ClusterIndex unguarded(params);
  unguarded.add_tokens(spans(ads));
  EXPECT_EQ(unguarded.cluster_of()[0], unguarded.cluster_of()[1]) << "the control should chain";
}

TEST(ClusterIndex, TwoBatchesGiveTheClustersOfOne) {
  const Corpus c = templated(21, 25, 10, 3, 300);
  ClusterParams params;
  params.common_min_ads = 5;  // small enough that the cut moves between the batches
  params.common_fraction = 0.02;
  ClusterIndex one(params), two(params), many(params);
  one.add_tokens(spans(c.ads));
  const auto all = spans(c.ads);
  const std::span<const std::span<const std::string>> whole(all);
  two.add_tokens(whole.subspan(0, 231));
  const auto after_first = two.cluster_of();
  two.add_tokens(whole.subspan(231));
  for (size_t from = 0; from < all.size(); from += 97)
    many.add_tokens(whole.subspan(from, std::min<size_t>(97, all.size() - from)));
  EXPECT_EQ(two.cluster_of(), one.cluster_of());
  EXPECT_EQ(many.cluster_of(), one.cluster_of());
  EXPECT_EQ(two.stats().candidate_pairs, one.stats().candidate_pairs);
  EXPECT_GE(one.clusters().size(), 20u);
  EXPECT_NE(after_first,
            std::vector<uint32_t>(two.cluster_of().begin(), two.cluster_of().begin() + 231));
}

// A closed index (`ctip ads analyze` closes its index after the pass, to free the LSH buckets)
// gives the clusters and statistics of an open one, frees its buckets, and refuses new ads.
TEST(ClusterIndex, AClosedIndexKeepsItsClustersAndRefusesAds) {
  const Corpus c = templated(22, 10, 8, 3, 50);
  ClusterIndex open, closed;
  open.add_tokens(spans(c.ads));
  closed.add_tokens(spans(c.ads));
  const size_t before = closed.memory_bytes();
  closed.close();
  EXPECT_TRUE(closed.closed());
  EXPECT_FALSE(open.closed());
  EXPECT_LT(closed.memory_bytes(), before);
  EXPECT_EQ(closed.cluster_of(), open.cluster_of());
  EXPECT_EQ(closed.stats().linked, open.stats().linked);
  EXPECT_GE(closed.clusters().size(), 8u);
  const std::vector<Tokens> more = {{"one", "more", "ad"}};
  EXPECT_THROW(closed.add_tokens(spans(more)), Error);
  ClusterIndex::Sketches batch;
  std::vector<uint64_t> hashes = {token_hash("one", 1), token_hash("ad", 1)};
  closed.sketch(hashes, batch);
  EXPECT_THROW(closed.add_sketched(batch), Error);
  EXPECT_EQ(closed.size(), c.ads.size());
}

// While the too-common cut does not move, new ads join existing clusters: an ad of the first
// batch keeps its cluster, whose id changes only when it merges with an older cluster.
TEST(ClusterIndex, NewAdsJoinExistingClusters) {
  const Corpus c = templated(23, 25, 10, 2, 300);
  ClusterIndex index;
  const auto all = spans(c.ads);
  const std::span<const std::span<const std::string>> whole(all);
  index.add_tokens(whole.subspan(0, 300));
  const auto before = index.cluster_of();
  index.add_tokens(whole.subspan(300));
  std::map<uint32_t, uint32_t> moved;
  size_t joined = 0;
  for (size_t i = 0; i < before.size(); ++i) {
    const uint32_t now = index.cluster_of()[i];
    EXPECT_LE(now, before[i]);
    auto [it, added] = moved.try_emplace(before[i], now);
    EXPECT_EQ(it->second, now) << "cluster " << before[i] << " split";
  }
  for (size_t i = 300; i < c.ads.size(); ++i) joined += index.cluster_of()[i] < 300;
  EXPECT_GT(joined, 100u);
}

TEST(ClusterIndex, DeterministicBySeedAndThreads) {
  const Corpus c = templated(31, 20, 8, 2, 100);
  ClusterParams p1;
  p1.threads = 1;
  ClusterParams p2 = p1;
  p2.threads = 2;
  ClusterIndex a(p1), b(p2), d(p1);
  a.add_tokens(spans(c.ads));
  b.add_tokens(spans(c.ads));
  d.add_tokens(spans(c.ads));
  EXPECT_EQ(a.cluster_of(), b.cluster_of());
  EXPECT_EQ(a.cluster_of(), d.cluster_of());
  EXPECT_EQ(a.stats().candidate_pairs, b.stats().candidate_pairs);
  ClusterParams other = p1;
  other.minhash.seed = 99;
  ClusterIndex e(other);
  e.add_tokens(spans(c.ads));
  // Another seed finds other candidates but the same clusters on this easy corpus.
  EXPECT_EQ(e.clusters().size(), a.clusters().size());
}

// A batch of 16,384 ads or more is joined band by band on several threads and its pairs sorted;
// a smaller one ad by ad on one thread (ClusterIndex::join_buckets_in_order), de-duplicating
// each ad's candidates as it goes. Both must find the same candidate pairs in the same order,
// which the verification counts show.
TEST(ClusterIndex, TheThreadedJoinFindsThePairsOfTheJoinAdByAd) {
  const Corpus c = templated(47, 600, 10, 3, 12000);
  ASSERT_GE(c.ads.size(), 16384u);
  ClusterParams p;
  p.threads = 2;
  ClusterIndex threaded(p), in_order(p);
  ClusterIndex::Sketches all;
  std::vector<ClusterIndex::Sketches> batches((c.ads.size() + 4095) / 4096);
  std::vector<uint64_t> hashes;
  for (size_t i = 0; i < c.ads.size(); ++i) {
    hashes.clear();
    for (const auto& w : c.ads[i]) hashes.push_back(token_hash(w, p.minhash.seed));
    threaded.sketch(hashes, all);
    in_order.sketch(hashes, batches[i / 4096]);
  }
  threaded.add_sketched(all);  // one batch: the threads
  for (const auto& b : batches) in_order.add_sketched(b);
  EXPECT_EQ(threaded.cluster_of(), in_order.cluster_of());
  EXPECT_EQ(threaded.stats().candidate_pairs, in_order.stats().candidate_pairs);
  EXPECT_EQ(threaded.stats().verified, in_order.stats().verified);
  EXPECT_EQ(threaded.stats().linked, in_order.stats().linked);
  EXPECT_GT(threaded.stats().linked, 5000u);
}

TEST(ClusterIndex, EmptyAdsAndBadParameters) {
  ClusterIndex index;
  std::vector<Tokens> ads{{}, {}, {"a", "b", "c", "d"}, {"a", "b", "c", "d"}};
  index.add_tokens(spans(ads));
  EXPECT_NE(index.cluster_of()[0], index.cluster_of()[1]);  // no text, no link
  EXPECT_EQ(index.cluster_of()[2], index.cluster_of()[3]);
  ClusterParams bad;
  bad.bands = 30;  // 30 x 3 > 64
  EXPECT_THROW(ClusterIndex{bad}, std::exception);
}

}  // namespace
}  // namespace ctip::online::linking
