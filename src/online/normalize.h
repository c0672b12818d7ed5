// Normalising ad text (issue #10, item 2): one form in which "ＮＥＷ in town", "new in town" and
// "NEW IN TOWN" are the same words, split into tokens for shingling, and a "digit view" in which
// the phone numbers that ads write so as to escape filters ("five five five", "f1ve", "⑤⑤⑤",
// "5 5 5 - 1 2 3 4", "4one5", "55O.l23.4567") are digits again.
//
// Every token and digit keeps the byte offsets of the original text it came from, so that a
// report can highlight the ad as it was written.
//
// Unicode: NFKC with case folding (ICU's nfkc_cf, UAX #15 and Unicode §5.18), which maps full-width
// and mathematical letters and digits, circled digits ① and ligatures to plain ones, and removes
// default-ignorable characters (zero-width joiners and spaces, variation selectors) that ads
// insert inside words. ctip also maps the dingbat circled digits (❶ ➀ ➊, U+2776-U+2793) and ⓵-⓾,
// which NFKC leaves alone, to digits, and drops the combining keycap U+20E3 (5️⃣ -> 5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctip::online {

enum class TokenKind : uint8_t {
  word,    // letters (with digits or marks): shingles, lexicon
  number,  // ASCII digits only
  emoji,   // one emoji (Extended_Pictographic, a flag pair, with its skin-tone modifier)
};

struct Token {
  uint32_t begin = 0, end = 0;            // bytes of the original text
  uint32_t norm_begin = 0, norm_end = 0;  // bytes of NormalizedText::text
  TokenKind kind = TokenKind::word;
  bool has_digit = false;  // an ASCII digit in its normalised text (tokenize() notes it as it goes)
};

struct NormalizedText {
  std::string text;  // NFKC_Casefold of the original (invalid UTF-8 became U+FFFD)
  // Where each byte of `text` came from, as consecutive segments that cover it: a run of ASCII
  // maps byte for byte (`one_to_one`); the bytes of a normalisation unit (one character, or a
  // character with its combining marks) all map to the unit's bytes. A segment per unit, not an
  // origin per byte: most ads are ASCII, one segment, and the per-byte map was the largest part
  // of normalising them.
  struct Segment {
    uint32_t norm_begin = 0, norm_end = 0;      // bytes of `text`
    uint32_t source_begin = 0, source_end = 0;  // bytes of the original
    bool one_to_one = false;
  };
  std::vector<Segment> segments;
  std::vector<Token> tokens;

  std::string_view token_text(const Token& t) const {
    return std::string_view(text).substr(t.norm_begin, t.norm_end - t.norm_begin);
  }
  // The original bytes [begin, end) that text[norm_byte] came from ({0, 0} past the end).
  std::pair<uint32_t, uint32_t> source_of(uint32_t norm_byte) const;
  // The original bytes behind text[norm_begin, norm_end).
  std::pair<uint32_t, uint32_t> original_span(uint32_t norm_begin, uint32_t norm_end) const;
};

// Normalises and tokenises. Scripts written without spaces (Han, Hiragana, Katakana, Thai) give
// one token per character (character shingles are what near-duplicate detection needs there).
NormalizedText normalize(std::string_view text);
// The same into `out`, whose buffers are reused (one per thread over millions of ads).
void normalize_into(std::string_view text, NormalizedText& out);
// The normalised form only (lexicon phrases, handles, comparisons).
std::string normalize_string(std::string_view text);

// A run of digits as the ad meant them, found in the digit view.
struct DigitRun {
  std::string digits;           // ASCII digits, e.g. "5551234567"
  uint32_t begin = 0, end = 0;  // bytes of the original text, first digit to last
  bool plus = false;            // written after a '+' (international form)
  bool obfuscated = false;      // decoded from words, letters or symbols, not plain digits
  // The digits written together ("555 123 4567": three groups), so that a run of two numbers
  // side by side can be cut between groups: the index in `digits` where each group starts, and
  // its bytes in the original text.
  struct Group {
    uint8_t first_digit = 0;
    uint32_t begin = 0, end = 0;
  };
  std::vector<Group> groups;
};

// The digit view: each run of digits, number words (en, es; "f1ve", "s3is"), circled and
// keycap digits, and letters standing for digits next to digits (O -> 0; l, I -> 1), joined
// across the separators ads put between them (spaces, . * - _ / ( ) |, emoji, the words "dot",
// "dash", "punto", "guion"). A line break, another word or more than 8 characters of
// separators end a run, and nothing joins a price ("$200"). Runs under 5 digits are left out
// (ages, prices, times); runs are cut at 32 digits, and more than 32 digits written together
// (an id, a hash) are no number at all. `original` is the text `normalized` came
// from: a lone capital O, I or L between digits is read as a digit only when it is given.
std::vector<DigitRun> digit_runs(const NormalizedText& normalized, std::string_view original = {});

}  // namespace ctip::online
