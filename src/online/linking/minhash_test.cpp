#include "online/linking/minhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace ctip::online::linking {
namespace {

std::vector<std::string> words(size_t n, uint32_t seed, size_t vocabulary = 1000) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back("w" + std::to_string(rng() % vocabulary));
  return out;
}

TEST(MinHash, SameSeedSameSketchOtherSeedOther) {
  const auto tokens = words(40, 1);
  MinHashParams p;
  const auto a = sketch(tokens, p), b = sketch(tokens, p);
  EXPECT_EQ(a.shingles, b.shingles);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.signature.size(), 64u);
  EXPECT_EQ(a.shingles.size(), 38u);  // 40 words, 3-word shingles, all distinct
  p.seed = 7;
  EXPECT_NE(sketch(tokens, p).signature, a.signature);
}

// An ad's shingles are its distinct shingle hashes in order, whatever its length (short ads are
// sorted one way, long ones by bucket): the same set as sorting them all with std::sort.
TEST(MinHash, ShinglesAreSortedAndDistinctAtEveryLength) {
  for (size_t n : {1, 5, 31, 32, 33, 80, 200, 5000, 20000}) {
    // A small vocabulary repeats shingles, so that duplicates are removed too.
    const auto tokens = words(n, static_cast<uint32_t>(n), n < 100 ? 1000 : 50);
    const auto s = sketch(tokens, {}).shingles;
    ASSERT_TRUE(std::is_sorted(s.begin(), s.end())) << n;
    EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end()) << n;
    // The same set, computed from one-shingle sketches of each window (k = 3 words).
    std::vector<uint32_t> each;
    for (size_t i = 0; i + 3 <= tokens.size(); ++i) {
      const auto one = sketch(std::span(tokens).subspan(i, 3), {}).shingles;
      ASSERT_EQ(one.size(), 1u);
      each.push_back(one[0]);
    }
    if (tokens.size() < 3) each = s;
    std::sort(each.begin(), each.end());
    each.erase(std::unique(each.begin(), each.end()), each.end());
    EXPECT_EQ(s, each) << n;
  }
}

// A token read in place, its tail as one masked word, hashes as the token on its own, at every
// length and wherever it ends in its text (the masked read is taken only with 8 bytes to spare).
TEST(MinHash, ATokenHashesTheSameInItsText) {
  const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t begin = 0; begin < text.size(); ++begin)
    for (size_t len = 0; begin + len <= text.size(); ++len) {
      const std::string_view in_text = std::string_view(text).substr(begin, len);
      const std::string alone(in_text);
      ASSERT_EQ(token_hash_in(in_text, text.data() + text.size(), 7), token_hash(alone, 7))
          << begin << "+" << len;
    }
}

TEST(MinHash, ShortAndEmptyAds) {
  MinHashParams p;
  const std::vector<std::string> two{"hello", "there"};
  const auto s = sketch(two, p);
  EXPECT_EQ(s.shingles.size(), 1u);
  EXPECT_EQ(s.signature.size(), 64u);  // densified from the one filled bin
  for (uint32_t v : s.signature) EXPECT_EQ(v, s.signature[0]);
  const auto e = sketch(std::vector<std::string>{}, p);
  EXPECT_TRUE(e.shingles.empty());
  EXPECT_TRUE(e.signature.empty());
  EXPECT_TRUE(band_keys(e.signature, 16, 4, p.seed).empty());
}

TEST(MinHash, ExactJaccard) {
  const std::vector<uint32_t> a{1, 2, 3, 4}, b{3, 4, 5, 6, 7, 8};
  EXPECT_DOUBLE_EQ(jaccard(a, b), 2.0 / 8.0);
  EXPECT_DOUBLE_EQ(jaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(jaccard({}, {}), 0.0);
}

// The signature agreement estimates the Jaccard similarity without bias: over many pairs of
// known similarity the mean error is small, and each estimate is within a few standard errors.
TEST(MinHash, SignatureAgreementEstimatesJaccard) {
  MinHashParams p;
  p.permutations = 128;
  double total_error = 0;
  int pairs = 0;
  for (uint32_t seed = 0; seed < 200; ++seed) {
    auto a = words(80, seed, 100000);
    auto b = a;
    // Replace a varying share of b's words.
    std::mt19937 rng(seed + 1000);
    const size_t replace = 5 + seed % 60;
    for (size_t i = 0; i < replace; ++i) b[rng() % b.size()] = "x" + std::to_string(rng());
    const auto sa = sketch(a, p), sb = sketch(b, p);
    const double exact = jaccard(sa.shingles, sb.shingles);
    const double estimate = estimated_jaccard(sa.signature, sb.signature);
    const double se = std::sqrt(exact * (1 - exact) / 128.0);
    EXPECT_NEAR(estimate, exact, 5 * se + 0.02) << "seed " << seed;
    total_error += estimate - exact;
    ++pairs;
  }
  EXPECT_LT(std::abs(total_error / pairs), 0.01);
}

TEST(MinHash, BandingCurve) {
  EXPECT_NEAR(lsh_threshold(16, 4), 0.5, 1e-12);
  EXPECT_NEAR(candidate_probability(0.5, 16, 4), 0.644, 0.001);
  EXPECT_NEAR(candidate_probability(0.7, 16, 4), 0.988, 0.001);
  EXPECT_NEAR(lsh_threshold(21, 3), 0.362, 0.001);
  EXPECT_NEAR(candidate_probability(0.3, 21, 3), 0.437, 0.001);
  EXPECT_NEAR(candidate_probability(0.3, 16, 4), 0.122, 0.001);
  const std::vector<uint32_t> sig(64, 5);
  const auto keys = band_keys(sig, 16, 4, 1);
  ASSERT_EQ(keys.size(), 16u);
  for (size_t i = 1; i < keys.size(); ++i) EXPECT_NE(keys[i], keys[0]);  // bands differ
  EXPECT_THROW(band_keys(sig, 17, 4, 1), std::exception);
}

}  // namespace
}  // namespace ctip::online::linking
