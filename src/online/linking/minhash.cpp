#include "online/linking/minhash.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.h"

namespace ctip::online::linking {
namespace {

// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mixer.
uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Lemire's multiply-shift range reduction: a 64-bit hash to [0, n).
uint32_t reduce(uint64_t h, uint32_t n) {
  return static_cast<uint32_t>((static_cast<unsigned __int128>(h) * n) >> 64);
}

// Sorts hash values: by their top bits into about one bucket per value (counting sort), then
// insertion sort, which moves each value at most past the few of its bucket. An ad's ~80
// shingles took std::sort about a microsecond, most of it in mispredicted branches. `tmp` is
// scratch.
void sort_hashes(std::vector<uint32_t>& v, std::vector<uint32_t>& tmp) {
  const size_t n = v.size();
  if (n < 32) {
    std::sort(v.begin(), v.end());
    return;
  }
  const int bits = std::clamp(static_cast<int>(std::bit_width(n)), 5, 12);
  const int shift = 32 - bits;
  std::array<uint32_t, (1u << 12) + 1> start;
  std::fill_n(start.begin(), (size_t{1} << bits) + 1, 0u);
  for (uint32_t x : v) ++start[(x >> shift) + 1];
  for (size_t b = 1; b <= (size_t{1} << bits); ++b) start[b] += start[b - 1];
  tmp.resize(n);
  for (uint32_t x : v) tmp[start[x >> shift]++] = x;
  for (size_t i = 1; i < n; ++i) {
    const uint32_t x = tmp[i];
    size_t j = i;
    for (; j > 0 && tmp[j - 1] > x; --j) tmp[j] = tmp[j - 1];
    tmp[j] = x;
  }
  v.swap(tmp);
}

}  // namespace

// A token alone: no bytes after it to read its tail with, so the tail is read byte by byte.
uint64_t token_hash(std::string_view token, uint64_t seed) {
  return token_hash_in(token, token.data() + token.size(), seed);
}

// Eight bytes at a time, each word folded in by the bijective mixer, the length in the start
// value so that words that differ only by trailing zero bytes differ. Called for every word of
// every ad: byte-at-a-time FNV-1a, which this replaced, was a tenth of the text pass.
uint64_t token_hash_in(std::string_view token, const char* text_end, uint64_t seed) {
  const char* p = token.data();
  size_t n = token.size();
  uint64_t h = seed ^ (0x9e3779b97f4a7c15ULL * (n + 1));
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix64(h ^ w);
  }
  uint64_t w = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (n > 0 && text_end - p >= 8) {
      std::memcpy(&w, p, 8);
      return mix64(h ^ (w & (~uint64_t{0} >> (64 - 8 * n))));  // the n bytes, little-endian
    }
  }
  // Else the last 1-7 bytes, little-endian, without a call to memcpy of a variable length.
  for (size_t k = 0; k < n; ++k) w |= uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
  return mix64(h ^ w);
}

ShingleSketch sketch(std::span<const std::string> tokens, const MinHashParams& params) {
  ShingleSketch out;
  sketch_into(tokens, params, out.shingles, out.signature);
  return out;
}

void sketch_into(std::span<const std::string> tokens, const MinHashParams& params,
                 std::vector<uint32_t>& shingles, std::vector<uint32_t>& signature) {
  thread_local std::vector<uint64_t> th;
  th.resize(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) th[i] = token_hash(tokens[i], params.seed);
  sketch_hashed_into(th, params, shingles, signature);
}

void sketch_hashed_into(std::span<const uint64_t> th, const MinHashParams& params,
                        std::vector<uint32_t>& shingles, std::vector<uint32_t>& signature) {
  if (params.shingle_words < 1) invalid("shingle_words", "shingles need at least one word");
  if (params.permutations < 1) invalid("permutations", "a signature needs at least one value");
  shingles.clear();
  signature.clear();
  if (th.empty()) return;
  const size_t k = static_cast<size_t>(params.shingle_words);
  const size_t n = th.size();
  const size_t count = n >= k ? n - k + 1 : 1;
  const size_t width = std::min(k, n);
  const uint32_t bins = static_cast<uint32_t>(params.permutations);
  constexpr uint32_t empty = std::numeric_limits<uint32_t>::max();
  signature.assign(bins, empty);
  thread_local std::vector<char> filled;
  filled.assign(bins, 0);
  shingles.resize(count);
  for (size_t p = 0; p < count; ++p) {
    // The token hashes are already mixed: rotate each by its place in the shingle, combine,
    // and mix once.
    uint64_t h = params.seed ^ 0x9e3779b97f4a7c15ULL;
    for (size_t j = 0; j < width; ++j) h ^= std::rotl(th[p + j], static_cast<int>(j * 23));
    h = mix64(h);
    // The low 32 bits are the value, the high bits pick the bin (reduce() uses them).
    const uint32_t value = static_cast<uint32_t>(h);
    const uint32_t bin = reduce(h, bins);
    shingles[p] = static_cast<uint32_t>(h >> 32) ^ value;
    // Without a branch (which bins fill is as good as random): empty bins hold the largest value,
    // which no minimum is above.
    signature[bin] = std::min(signature[bin], value);
    filled[bin] = 1;
  }
  thread_local std::vector<uint32_t> scratch;
  sort_hashes(shingles, scratch);
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  // Optimal densification: an empty bin i takes the value of the first filled bin met by the
  // seeded sequence hash(i, 1), hash(i, 2), ... so that two sets borrow from the same bin.
  // Filled bins are only read, and empty ones only written, so no copy is needed.
  // Some 18 of 64 bins are empty in an ad of 80 shingles: the first attempts of each bin's
  // sequence are computed once per seed and signature length, not twice mixed per attempt.
  constexpr uint64_t kCached = 8;
  thread_local uint64_t cached_seed = 0;
  thread_local uint32_t cached_bins = 0;
  thread_local std::vector<uint32_t> borrow;  // bin i's attempt a (1-based): [i * kCached + a - 1]
  auto attempt_bin = [&](uint32_t i, uint64_t attempt) {
    return reduce(mix64(params.seed ^ mix64((uint64_t{i} << 32) | attempt)), bins);
  };
  if (cached_bins != bins || cached_seed != params.seed) {
    borrow.resize(size_t{bins} * kCached);
    for (uint32_t i = 0; i < bins; ++i)
      for (uint64_t a = 1; a <= kCached; ++a) borrow[i * kCached + a - 1] = attempt_bin(i, a);
    cached_bins = bins, cached_seed = params.seed;
  }
  for (uint32_t i = 0; i < bins; ++i) {
    if (filled[i]) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const uint32_t j =
          attempt <= kCached ? borrow[i * kCached + attempt - 1] : attempt_bin(i, attempt);
      if (filled[j]) {
        signature[i] = signature[j];
        break;
      }
    }
  }
}

double jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.empty() && b.empty()) return 0;
  size_t i = 0, j = 0, shared = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return static_cast<double>(shared) / static_cast<double>(a.size() + b.size() - shared);
}

double estimated_jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.size() != b.size() || a.empty()) return 0;
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(a.size());
}

std::vector<uint32_t> band_keys(std::span<const uint32_t> signature, int bands, int rows,
                                uint64_t seed) {
  if (bands < 1 || rows < 1) invalid("bands", "LSH needs at least one band of one row");
  if (signature.empty()) return {};
  if (static_cast<size_t>(bands) * static_cast<size_t>(rows) > signature.size())
    invalid("bands", "bands x rows exceeds the signature length");
  std::vector<uint32_t> keys(static_cast<size_t>(bands));
  band_keys_into(signature, bands, rows, seed, keys.data());
  return keys;
}

void band_keys_into(std::span<const uint32_t> signature, int bands, int rows, uint64_t seed,
                    uint32_t* keys) {
  if (signature.empty()) return;
  for (int b = 0; b < bands; ++b) {
    uint64_t h = mix64(seed + 0x632be59bd9b4e019ULL * static_cast<uint64_t>(b + 1));
    for (int r = 0; r < rows; ++r)
      h = mix64(
          h ^
          signature[static_cast<size_t>(b) * static_cast<size_t>(rows) + static_cast<size_t>(r)]);
    const uint32_t key = static_cast<uint32_t>(h >> 32);
    keys[b] = key == 0 ? 1 : key;
  }
}

double lsh_threshold(int bands, int rows) { return std::pow(1.0 / bands, 1.0 / rows); }

double candidate_probability(double j, int bands, int rows) {
  return 1.0 - std::pow(1.0 - std::pow(j, rows), bands);
}

}  // namespace ctip::online::linking
