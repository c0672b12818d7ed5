// Selectors: the values in an ad that identify who posted it (issue #10, item 2) - phone numbers,
// e-mail addresses, social-media handles, URLs, cryptocurrency wallets, image hashes. Shared
// selectors link ads into networks (DARPA Memex/DIG linked escort ads by shared phones and
// e-mails: Szekely et al., "Building and Using a Knowledge Graph to Combat Human Trafficking",
// ISWC 2015), so each is reduced to one canonical value, and keeps the byte offsets of where it
// was written, for highlighting.
//
// Phones: libphonenumber (Google's; Debian's libphonenumber) parses the digit view's runs
// (normalize.h) to E.164 with a region hint: the country the ad's location names, else a default
// (`--region`). A number libphonenumber calls possible is kept (generated and fictional numbers,
// such as 555 ones, are possible but not valid); `valid` says whether it is also assigned. The
// North American plan's 10-digit numbers take a fast path equal to the library's answer, and
// answers are memoised per thread, since a network repeats its numbers across its ads.
//
// Wallets: Bitcoin base58check addresses (P2PKH '1', P2SH '3'; the double SHA-256 checksum of
// Bitcoin's base58check, through libsodium), bech32 and bech32m 'bc1' addresses (BIP 173, BIP 350,
// checksum verified), Ethereum '0x' + 40 hex (EIP-55 mixed case is not verified: it needs
// Keccak-256, which libsodium lacks; the value is lower-cased).
//
// Image hashes: exact (any hex or opaque string, lower-cased) and PDQ (Meta's 256-bit perceptual
// hash, 64 hex digits). Two PDQ hashes within Hamming distance 31 are the same picture (Meta's
// PDQ documentation, "pdqhashing.pdf": 31 is its recommended match threshold); PdqIndex answers
// "all hashes within distance r" by multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in
// Hamming Space with Multi-Index Hashing", CVPR 2012): 16 tables on 16-bit substrings; by the
// pigeonhole principle two hashes within 31 bits agree within 1 bit on at least one substring,
// so only the buckets within distance 1 of each substring are visited, not every hash.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "online/ingest.h"
#include "online/normalize.h"

namespace ctip::online {

enum class SelectorKind : uint8_t { phone, email, handle, url, bitcoin, ethereum, image_hash };
std::string_view to_string(SelectorKind kind);  // "phone", "email", "handle", "url", ...

// Where a selector was written.
enum class SelectorSource : uint8_t { body, title, phone_field, email_field, image_hash_field };
std::string_view to_string(
    SelectorSource source);  // "body", "title", "phone", "email", "image_hash"

struct Selector {
  SelectorKind kind = SelectorKind::phone;
  // Canonical: "+15551234567" (E.164); "name@example.com" (lower-cased); "instagram:name";
  // "example.com/path" (host lower-cased, no scheme, no "www.", no trailing '/'); the address
  // (ethereum lower-cased); the image hash lower-cased.
  std::string value;
  SelectorSource source = SelectorSource::body;
  uint32_t begin = 0, end = 0;  // bytes of the source text (Ad::body, Ad::title, ...)
  bool obfuscated = false;      // phone: decoded from words, letters or symbols
  // phone: libphonenumber's IsValidNumber (false for 555 numbers), when validate_phones asked
  // for it (it costs some 18 us a number); nullopt otherwise.
  std::optional<bool> valid;
};

struct SelectorOptions {
  // ISO 3166-1 alpha-2 region for numbers written without a country code, when the ad's location
  // names no country (`--region`).
  std::string default_region = "US";
  // Ask libphonenumber whether each number is assigned (Selector::valid). Off by default: it
  // triples the cost of a number, and links need only the E.164 form.
  bool validate_phones = false;
};

// The region an ad's location points to: a country name or code in it ("Madrid, Spain",
// "Toronto, ON, CA", "Ciudad de México, MX"), a US state or Canadian province ("Houston, TX",
// "Calgary, Alberta"), or a large city of the corpora ads come from; else `fallback`.
std::string region_for_location(std::string_view location, std::string_view fallback);

// The selectors of one text with its normalised form (normalize(text)), in order of offset.
std::vector<Selector> extract_selectors(std::string_view text, const NormalizedText& normalized,
                                        std::string_view region, SelectorSource source,
                                        bool validate_phones = false);

// All of an ad's selectors: body, title, and its phone, email and image_hash fields, with the
// region from its location. Deduplicated by (kind, value), keeping the first occurrence's offsets
// (a value written twice in the body is one selector). `body` is normalize(ad.body), passed in
// because the caller also needs it for shingles and the lexicon.
std::vector<Selector> ad_selectors(const Ad& ad, const NormalizedText& body,
                                   const SelectorOptions& options = {});

// Phone numbers alone, from a phone field as written ("(713) 555-0123", "+44 20 7946 0958").
std::vector<Selector> phones_in(std::string_view text, std::string_view region,
                                bool validate_phones = false);
// One number as a person types it (a search box, `--phone`), through libphonenumber alone:
// E.164, or nullopt when it is not a possible number for `region`.
std::optional<std::string> phone_to_e164(std::string_view number, std::string_view region);

// Checks (exposed for tests).
bool is_bitcoin_address(std::string_view s);   // base58check P2PKH/P2SH or bech32/bech32m bc1
bool is_ethereum_address(std::string_view s);  // 0x + 40 hex digits

// A PDQ hash: 256 bits, as 64 hex digits, most significant first.
struct PdqHash {
  std::array<uint64_t, 4> words{};
  bool operator==(const PdqHash&) const = default;
};
std::optional<PdqHash> parse_pdq(std::string_view hex);  // nullopt unless exactly 64 hex digits
std::string to_hex(const PdqHash& h);
int hamming_distance(const PdqHash& a, const PdqHash& b);

// Meta's recommended threshold for "the same image" (PDQ documentation).
inline constexpr int kPdqMatchDistance = 31;

class PdqIndex {
 public:
  // Adds a hash under an id (an ad's number); ids need not be unique or dense.
  void add(uint32_t id, const PdqHash& hash);
  size_t size() const { return hashes_.size(); }
  struct Match {
    uint32_t id;
    int distance;
  };
  // Every indexed hash within `max_distance` (0..31) of `query`, each id once with its smallest
  // distance, ordered by distance then id. Throws Error(invalid_argument) for a distance over 31
  // (the index's pigeonhole bound).
  std::vector<Match> within(const PdqHash& query, int max_distance = kPdqMatchDistance) const;
  // How many stored hashes the last within() compared in full (to show it is not all of them).
  size_t last_candidates() const { return last_candidates_; }

 private:
  static constexpr int kTables = 16;
  std::array<std::unordered_map<uint16_t, std::vector<uint32_t>>, kTables> tables_;
  std::vector<PdqHash> hashes_;
  std::vector<uint32_t> ids_;
  mutable size_t last_candidates_ = 0;
};

}  // namespace ctip::online
