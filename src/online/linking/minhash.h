// Word shingles and their MinHash signatures (issue #10 item 4): the sketch that lets the
// clustering find near-duplicate ads without comparing all pairs. See README.md for the methods
// and their sources.
//
// An ad's text is reduced to the set of its k-word shingles (k consecutive normalised tokens),
// each hashed to 64 bits with a seeded hash. The exact set (as 32-bit hashes, sorted) is kept for
// verification by Jaccard similarity; the signature is a one-permutation MinHash (Li, Owen and
// Zhang 2012) with optimal densification (Shrivastava 2017): the 64-bit hash picks one of K bins
// and the minimum per bin is kept, empty bins borrow from a bin chosen by a seeded hash. Two
// signatures agree at a position with probability equal to the Jaccard similarity of the sets,
// as with K independent permutations, at the cost of one hash per shingle instead of K.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::online::linking {

struct MinHashParams {
  int shingle_words = 3;   // k: words per shingle
  int permutations = 64;   // K: signature length
  uint64_t seed = 0x5eed;  // every hash derives from it: same seed, same signatures
};

// The seeded 64-bit hash of one token (its bytes 8 at a time, each word mixed in by the SplitMix64
// finaliser).
uint64_t token_hash(std::string_view token, uint64_t seed);
// The same hash of a token that lies in a larger text ending at `text_end`: when at least 8
// bytes of the text follow the token's last whole word, its last 1-7 bytes are read as one word
// and masked, not byte by byte (`ctip ads analyze` hashes some 60 million words).
uint64_t token_hash_in(std::string_view token, const char* text_end, uint64_t seed);

// An ad's shingles and signature.
struct ShingleSketch {
  std::vector<uint32_t> shingles;   // sorted, distinct: 32-bit hashes of the k-word shingles
  std::vector<uint32_t> signature;  // K values; empty when the ad has no token
};

// Shingles the tokens (an ad shorter than k words is one shingle of all its words) and signs
// them. Deterministic given params.
ShingleSketch sketch(std::span<const std::string> tokens, const MinHashParams& params);

// The same into caller-owned buffers (cleared first), without allocating once they are large
// enough: for the index, which sketches millions of ads.
void sketch_into(std::span<const std::string> tokens, const MinHashParams& params,
                 std::vector<uint32_t>& shingles, std::vector<uint32_t>& signature);
// The same from the tokens' hashes (token_hash with params.seed), so that a caller holding the
// words as views into a larger text need not copy them into strings.
void sketch_hashed_into(std::span<const uint64_t> token_hashes, const MinHashParams& params,
                        std::vector<uint32_t>& shingles, std::vector<uint32_t>& signature);

// |a ∩ b| / |a ∪ b| of two sorted, distinct sets; 0 when both are empty.
double jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// The fraction of positions at which two signatures of equal length agree: an unbiased estimate
// of the Jaccard similarity of the sets they sign.
double estimated_jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// LSH banding (Indyk and Motwani 1998; Leskovec, Rajaraman and Ullman, Mining of Massive
// Datasets, ch. 3.4): the signature cut into `bands` bands of `rows` values, each band hashed
// with its index to one 32-bit key (never 0). Two ads are candidates when any key is equal,
// which happens with probability 1 - (1 - J^rows)^bands. Needs bands * rows <= signature length.
std::vector<uint32_t> band_keys(std::span<const uint32_t> signature, int bands, int rows,
                                uint64_t seed);
// The same into keys (bands values); nothing is written when the signature is empty.
void band_keys_into(std::span<const uint32_t> signature, int bands, int rows, uint64_t seed,
                    uint32_t* keys);

// The Jaccard similarity at which the candidate probability is steepest, about
// (1 / bands)^(1 / rows): the threshold a banding is chosen for.
double lsh_threshold(int bands, int rows);

// 1 - (1 - j^rows)^bands: the probability that two sets of Jaccard similarity j become
// candidates.
double candidate_probability(double j, int bands, int rows);

}  // namespace ctip::online::linking
