// The indicator lexicon (issue #10, item 3): phrases, patterns and emoji that studies of online
// sex-trafficking ads name as risk indicators (movement between cities, youth, third-person or
// agency wording, several people in one ad, restricted freedom, constant availability), kept as
// versioned data (data/lexicons/indicators.json, compiled into the binary) and matched in one
// pass over an ad's normalised text with Hyperscan (Intel's multi-pattern regex engine; Debian's
// libhyperscan, the same API as Vectorscan).
//
// An indicator is a lead, not proof: the same words occur in independent advertisers' ads. Each
// carries a weight, summed once per indicator per ad, and its source; analysts' true/false
// feedback (stored by the service, not here) measures each one's precision so that weak ones can
// be demoted - which is why every entry has a stable id.
//
// Entries are written in the normalised form's terms: phrases and emoji are normalised with
// normalize_string() when compiled (so "Recién llegada" and "RECIÉN LLEGADA" are one entry),
// regexes must be written in lower case for the case-folded text. Hyperscan runs in UTF-8 mode
// without UCP (it refuses \b with UCP): \w, \W and \b are ASCII's, so a regex must not put \b
// next to a non-ASCII letter ("está\b" never matches before a space).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_input.h"
#include "online/normalize.h"

struct hs_database;
struct hs_scratch;

namespace ctip::online {

enum class IndicatorKind : uint8_t { phrase, regex, emoji };
std::string_view to_string(IndicatorKind kind);

struct Indicator {
  std::string id;  // stable: "en.movement.new_in_town"
  IndicatorKind kind = IndicatorKind::phrase;
  std::string pattern;   // as written in the file
  std::string language;  // ISO 639-1 ("en", "es"), "und" for emoji
  double weight = 1.0;   // (0, 10]
  std::string category;  // one of the file's categories: "movement", "youth", ...
  std::string source;    // a source id of the file's "sources"
};

struct IndicatorHit {
  uint16_t indicator = 0;                 // index into Lexicon::indicators()
  uint32_t begin = 0, end = 0;            // bytes of the original text
  uint32_t norm_begin = 0, norm_end = 0;  // bytes of the normalised text
};

struct IndicatorProfile {
  std::vector<IndicatorHit> hits;    // in order of offset; one per indicator and start
  std::vector<uint16_t> indicators;  // distinct indicators matched, ascending
  double score = 0;                  // sum of their weights (each indicator once)
};

// Checks a lexicon document against its schema (see data/lexicons/README.md): throws
// Error(invalid_argument) whose field names the bad entry, e.g.
// "indicators[12].weight" with a message naming its id.
void validate_lexicon(const Json& doc);

class Lexicon {
 public:
  // Validates and compiles. A pattern Hyperscan refuses is reported naming its entry.
  static Lexicon from_json(std::string_view text);
  // data/lexicons/indicators.json, compiled into the binary; built once.
  static const Lexicon& builtin();

  const std::string& version() const { return version_; }
  std::span<const Indicator> indicators() const { return indicators_; }
  // The index of an indicator id, or -1.
  int find(std::string_view id) const;

  // Hyperscan's per-thread working memory: one per thread that matches (not thread-safe itself).
  class Scratch {
   public:
    Scratch() = default;
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch();

   private:
    friend class Lexicon;
    hs_scratch* s_ = nullptr;
  };
  Scratch make_scratch() const;

  // The indicators in a normalised text (normalize(ad.body)); offsets back to the original.
  IndicatorProfile match(const NormalizedText& text, Scratch& scratch) const;
  // With a scratch of its own (allocates; for tests and one-off calls).
  IndicatorProfile match(const NormalizedText& text) const;

 private:
  std::string version_;
  std::vector<Indicator> indicators_;
  std::shared_ptr<hs_database> db_;
};

}  // namespace ctip::online
