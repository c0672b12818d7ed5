#include "online/normalize.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "core/error.h"

namespace ctip::online {
namespace {

const UNormalizer2* nfkc_cf() {
  static const UNormalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* p = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status) || !p)
      throw Error(ErrorCode::internal, std::string("ICU nfkc_cf: ") + u_errorName(status));
    return p;
  }();
  return n;
}

// The value of a circled digit NFKC leaves alone (dingbats ❶-❿ ➀-➉ ➊-➓, double-circled ⓵-⓾,
// negative circled zero ⓿, dingbat circled zeros 🄋 🄌), or -1.
int dingbat_digit(UChar32 c) {
  if (c >= 0x2776 && c <= 0x277F) return c - 0x2776 + 1;
  if (c >= 0x2780 && c <= 0x2789) return c - 0x2780 + 1;
  if (c >= 0x278A && c <= 0x2793) return c - 0x278A + 1;
  if (c >= 0x24F5 && c <= 0x24FE) return c - 0x24F5 + 1;
  if (c == 0x24FF || c == 0x1F10B || c == 0x1F10C) return 0;
  return -1;
}

constexpr UChar32 kKeycap = 0x20E3;
// Chunks longer than this (a base character with dozens of combining marks: "zalgo" text) are
// cut; normalising the pieces separately differs from normalising the whole only in such text.
constexpr int kMaxChunk = 32;

UChar32 next_cp(std::string_view s, size_t& i) {
  UChar32 c;
  int32_t idx = static_cast<int32_t>(i);
  // ICU's macro increments idx inside its own conditions, by design.
  // NOLINTNEXTLINE(bugprone-inc-dec-in-conditions)
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), idx, static_cast<int32_t>(s.size()), c);
  i = static_cast<size_t>(idx);
  return c < 0 ? 0xFFFD : c;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool err = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, err);
  if (!err) out.append(buf, static_cast<size_t>(len));
}

enum class CharClass : uint8_t { word, apostrophe, emoji, modifier, single, other };

bool no_space_script(UChar32 c) {
  if (c < 0x0E00) return false;
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &status);
  return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
         sc == USCRIPT_THAI || sc == USCRIPT_LAO || sc == USCRIPT_KHMER || sc == USCRIPT_MYANMAR;
}

// ASCII by table: tokenize asks for every byte of every ad.
constexpr std::array<CharClass, 128> kAsciiClass = [] {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
               ? CharClass::word
           : c == '\'' ? CharClass::apostrophe
                       : CharClass::other;
  return t;
}();

CharClass classify_slow(UChar32 c);

inline CharClass classify(UChar32 c) {
  return c < 0x80 ? kAsciiClass[static_cast<size_t>(c)] : classify_slow(c);
}

CharClass classify_slow(UChar32 c) {
  if (c >= 0x1F3FB && c <= 0x1F3FF) return CharClass::modifier;  // skin tones (UTS #51)
  if ((c >= 0x1F1E6 && c <= 0x1F1FF) || u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
    return CharClass::emoji;
  if (c == 0x2019) return CharClass::apostrophe;
  int8_t t = u_charType(c);
  bool letter = t >= U_UPPERCASE_LETTER && t <= U_OTHER_LETTER;
  bool mark = t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
  if (letter || t == U_DECIMAL_DIGIT_NUMBER || t == U_LETTER_NUMBER || t == U_OTHER_NUMBER) {
    return no_space_script(c) ? CharClass::single : CharClass::word;
  }
  return mark ? CharClass::word : CharClass::other;
}

void tokenize(NormalizedText& t) {
  const std::string& s = t.text;
  size_t i = 0;
  Token cur;
  bool open = false;
  bool only_digits = true, any_digit = false;
  // Tokens are cut in order, so the segments of their first and last bytes are found by a
  // cursor that only moves forward, as NormalizedText::original_span finds them by a search.
  size_t seg = 0;
  auto source = [&](uint32_t byte) -> std::pair<uint32_t, uint32_t> {
    const auto& segs = t.segments;
    while (seg + 1 < segs.size() && segs[seg + 1].norm_begin <= byte) ++seg;
    const auto& g = segs[seg];
    if (!g.one_to_one) return {g.source_begin, g.source_end};
    const uint32_t at = g.source_begin + (byte - g.norm_begin);
    return {at, at + 1};
  };
  auto span = [&](uint32_t b, uint32_t e) -> std::pair<uint32_t, uint32_t> {
    if (b >= e || e > t.text.size() || t.segments.empty()) return {0, 0};
    return {source(b).first, source(e - 1).second};
  };
  auto close = [&](size_t end) {
    if (!open) return;
    cur.norm_end = static_cast<uint32_t>(end);
    cur.kind = only_digits ? TokenKind::number : TokenKind::word;
    cur.has_digit = any_digit;
    auto [b, e] = span(cur.norm_begin, cur.norm_end);
    cur.begin = b, cur.end = e;
    t.tokens.push_back(cur);
    open = false;
  };
  auto push_single = [&](size_t b, size_t e, TokenKind kind) {
    Token tok;
    tok.norm_begin = static_cast<uint32_t>(b), tok.norm_end = static_cast<uint32_t>(e);
    tok.kind = kind;
    auto [ob, oe] = span(tok.norm_begin, tok.norm_end);
    tok.begin = ob, tok.end = oe;
    t.tokens.push_back(tok);
  };
  while (i < s.size()) {
    // The common case first: a run of ASCII letters and digits continues or opens a word.
    if (kAsciiClass[static_cast<unsigned char>(s[i]) & 0x7f] == CharClass::word &&
        static_cast<unsigned char>(s[i]) < 0x80) {
      if (!open) {
        open = true;
        only_digits = true;
        any_digit = false;
        cur = Token{};
        cur.norm_begin = static_cast<uint32_t>(i);
      }
      unsigned char c;
      while (i < s.size() && (c = static_cast<unsigned char>(s[i])) < 0x80 &&
             kAsciiClass[c] == CharClass::word) {
        const bool digit = c >= '0' && c <= '9';
        only_digits = only_digits && digit;
        any_digit = any_digit || digit;
        ++i;
      }
      continue;
    }
    size_t start = i;
    UChar32 c;
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      c = b;
      ++i;
    } else {
      c = next_cp(s, i);
    }
    CharClass k = classify(c);
    switch (k) {
      case CharClass::word:
        if (!open) {
          open = true;
          only_digits = true;
          any_digit = false;
          cur = Token{};
          cur.norm_begin = static_cast<uint32_t>(start);
        }
        if (c < '0' || c > '9')
          only_digits = false;
        else
          any_digit = true;
        break;
      case CharClass::apostrophe: {
        // Inside a word ("don't", "l'amour") it belongs to the word.
        size_t j = i;
        bool letter_follows = j < s.size() && classify(next_cp(s, j)) == CharClass::word;
        if (open && letter_follows) {
          only_digits = false;
        } else {
          close(start);
        }
        break;
      }
      case CharClass::modifier:
        // A skin tone after an emoji is part of it; alone it is an emoji itself.
        if (!t.tokens.empty() && !open && t.tokens.back().kind == TokenKind::emoji &&
            t.tokens.back().norm_end == start) {
          t.tokens.back().norm_end = static_cast<uint32_t>(i);
          t.tokens.back().end =
              t.original_span(t.tokens.back().norm_begin, static_cast<uint32_t>(i)).second;
          break;
        }
        [[fallthrough]];
      case CharClass::emoji: {
        close(start);
        // Two regional indicators are one flag.
        if (c >= 0x1F1E6 && c <= 0x1F1FF && !t.tokens.empty() &&
            t.tokens.back().kind == TokenKind::emoji && t.tokens.back().norm_end == start &&
            t.tokens.back().norm_end - t.tokens.back().norm_begin == 4) {
          size_t p = t.tokens.back().norm_begin;
          UChar32 prev = next_cp(s, p);
          if (prev >= 0x1F1E6 && prev <= 0x1F1FF) {
            t.tokens.back().norm_end = static_cast<uint32_t>(i);
            t.tokens.back().end =
                t.original_span(t.tokens.back().norm_begin, static_cast<uint32_t>(i)).second;
            break;
          }
        }
        push_single(start, i, TokenKind::emoji);
        break;
      }
      case CharClass::single:
        close(start);
        push_single(start, i, TokenKind::word);
        break;
      case CharClass::other:
        close(start);
        break;
    }
  }
  close(s.size());
}

// --- the digit view ---

struct NumberWord {
  std::string_view word;
  uint8_t digit;
};
// English and Spanish number words, longest first so that greedy matching prefers "cuatro" to
// nothing and "seven" to "seis"-like prefixes. Homophones ("won", "to", "for") and articles
// ("una") are left out: they are ordinary words far more often than digits.
constexpr NumberWord kNumberWords[] = {
    {"cuatro", 4}, {"three", 3}, {"seven", 7}, {"eight", 8}, {"cinco", 5},
    {"siete", 7},  {"nueve", 9}, {"zero", 0},  {"four", 4},  {"five", 5},
    {"nine", 9},   {"cero", 0},  {"tres", 3},  {"seis", 6},  {"ocho", 8},
    {"one", 1},    {"two", 2},   {"six", 6},   {"uno", 1},   {"dos", 2},
};

// Whether text char t may stand for letter w in a number word written in leetspeak ("f1ve",
// "thr33", "z3ro", "s3is", "5ix").
constexpr bool leet_equal(char t, char w) {
  if (t == w) return true;
  switch (t) {
    case '0':
      return w == 'o';
    case '1':
      return w == 'i' || w == 'l';
    case '3':
      return w == 'e';
    case '4':
      return w == 'a';
    case '5':
      return w == 's';
    case '7':
      return w == 't';
    default:
      return false;
  }
}

// For each byte, the number words whose K-th letter it may stand for (bit i: kNumberWords[i]).
// Every number word has at least three letters, so an ordinary word of an ad is passed over
// after three table lookups.
template <size_t K>
constexpr std::array<uint32_t, 256> kNumberWordLetter = [] {
  std::array<uint32_t, 256> at{};
  for (int c = 0; c < 256; ++c)
    for (size_t i = 0; i < std::size(kNumberWords); ++i)
      if (leet_equal(static_cast<char>(c), kNumberWords[i].word[K])) at[c] |= 1u << i;
  return at;
}();

static_assert(std::ranges::all_of(kNumberWords,
                                  [](const NumberWord& n) { return n.word.size() >= 3; }));

// The number word at w[p], matched with leetspeak but with at least two real letters (so that
// digits are never read as a word); its length, or 0.
size_t match_number_word(std::string_view w, size_t p, uint8_t& digit) {
  if (w.size() - p < 3) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(w.data() + p);
  uint32_t candidates =
      kNumberWordLetter<0>[u[0]] & kNumberWordLetter<1>[u[1]] & kNumberWordLetter<2>[u[2]];
  while (candidates != 0) {
    const auto& nw = kNumberWords[std::countr_zero(candidates)];
    candidates &= candidates - 1;
    if (w.size() - p < nw.word.size()) continue;
    size_t letters = 0;
    bool ok = true;
    for (size_t k = 0; k < nw.word.size() && ok; ++k) {
      char c = w[p + k];
      ok = leet_equal(c, nw.word[k]);
      if (c >= 'a' && c <= 'z') ++letters;
    }
    if (ok && letters >= 2) {
      digit = nw.digit;
      return nw.word.size();
    }
  }
  return 0;
}

struct DecodedDigit {
  char digit;
  uint32_t norm_begin, norm_end;
  bool obfuscated;
};

// Decodes a whole token into digits ("555", "4one5", "f1ve", "55o1", "fivefive"); false when some
// part of it is not a digit, a number word or a letter standing for a digit. O, l and I stand for
// 0 and 1 only next to digits: inside the token after a digit ("55O1", "55O"), or at its start
// when the run before it is open and a digit follows ("555-l234").
bool decode_token(std::string_view w, uint32_t base, bool run_open,
                  std::vector<DecodedDigit>& out) {
  out.clear();
  size_t p = 0;
  while (p < w.size()) {
    uint8_t d = 0;
    if (size_t len = match_number_word(w, p, d)) {
      out.push_back({static_cast<char>('0' + d), base + static_cast<uint32_t>(p),
                     base + static_cast<uint32_t>(p + len), true});
      p += len;
      continue;
    }
    char c = w[p];
    if (c >= '0' && c <= '9') {
      out.push_back(
          {c, base + static_cast<uint32_t>(p), base + static_cast<uint32_t>(p + 1), false});
      ++p;
      continue;
    }
    if (c == 'o' || c == 'l' || c == 'i') {
      bool digit_before = !out.empty() || (p == 0 && run_open);
      bool digit_after = p + 1 < w.size() && w[p + 1] >= '0' && w[p + 1] <= '9';
      bool letter_digit_after = p + 2 < w.size() &&
                                (w[p + 1] == 'o' || w[p + 1] == 'l' || w[p + 1] == 'i') &&
                                w[p + 2] >= '0' && w[p + 2] <= '9';
      bool at_end = p + 1 == w.size() && !out.empty();
      if (digit_before && (digit_after || letter_digit_after || at_end)) {
        out.push_back({c == 'o' ? '0' : '1', base + static_cast<uint32_t>(p),
                       base + static_cast<uint32_t>(p + 1), true});
        ++p;
        continue;
      }
    }
    return false;
  }
  return !out.empty();
}

// Words ads put between digits instead of punctuation.
bool is_separator_word(std::string_view w) {
  static constexpr std::string_view kWords[] = {"dot",  "dash",  "punto",  "guion",
                                                "star", "space", "hyphen", "espacio"};
  for (auto s : kWords)
    if (w == s) return true;
  return false;
}

// Whether the text between two digit-bearing tokens keeps them in one run: no line break, no
// '/' or ',' (which separate alternatives: "24/7", "555-1234 / 555-9876"), no currency or '%'
// (prices next to numbers), no '@', and at most 8 characters.
bool joins(std::string_view gap) {
  size_t cps = 0;
  for (size_t i = 0; i < gap.size();) {
    auto b = static_cast<unsigned char>(gap[i]);
    if (b < 0x80) {
      if (b == '\n' || b == '/' || b == ',' || b == '$' || b == '%' || b == '@' || b == ';' ||
          b == '=')
        return false;
      ++i;
    } else {
      UChar32 c = next_cp(gap, i);
      if (u_charType(c) == U_CURRENCY_SYMBOL || c == 0x2028 || c == 0x2029) return false;
    }
    if (++cps > 8) return false;
  }
  return true;
}

constexpr size_t kMinRunDigits = 5;  // shorter runs are prices, ages, times, never phones
constexpr size_t kMaxRunDigits = 32;

}  // namespace

std::pair<uint32_t, uint32_t> NormalizedText::source_of(uint32_t norm_byte) const {
  if (norm_byte >= text.size() || segments.empty()) return {0, 0};
  // The last segment that starts at or before the byte (segments are in order and cover text);
  // text that was all ASCII is one segment, found without a search.
  const Segment& s =
      segments.size() == 1
          ? segments[0]
          : *(std::upper_bound(segments.begin(), segments.end(), norm_byte,
                               [](uint32_t b, const Segment& g) { return b < g.norm_begin; }) -
              1);
  if (!s.one_to_one) return {s.source_begin, s.source_end};
  const uint32_t at = s.source_begin + (norm_byte - s.norm_begin);
  return {at, at + 1};
}

std::pair<uint32_t, uint32_t> NormalizedText::original_span(uint32_t norm_begin,
                                                            uint32_t norm_end) const {
  if (norm_begin >= norm_end || norm_end > text.size()) return {0, 0};
  return {source_of(norm_begin).first, source_of(norm_end - 1).second};
}

NormalizedText normalize(std::string_view s) {
  NormalizedText t;
  normalize_into(s, t);
  return t;
}

void normalize_into(std::string_view s, NormalizedText& t) {
  if (s.size() > UINT32_MAX / 2) throw Error(ErrorCode::invalid_argument, "text too long", "text");
  t.text.clear();
  t.segments.clear();
  t.tokens.clear();
  t.text.reserve(s.size() + 16);
  t.tokens.reserve(s.size() / 4);
  const UNormalizer2* norm = nfkc_cf();
  // Not zeroed: each chunk is written before it is read, and zeroing the two buffers (2.5 KB)
  // was a tenth of this function's time for a million ads.
  std::array<UChar, kMaxChunk * 2 + 2> in;
  std::array<UChar, kMaxChunk * 18 + 64> outbuf;
  auto add_segment = [&](size_t from, size_t ob, size_t oe, bool one_to_one) {
    if (from == t.text.size()) return;  // the unit normalised to nothing (a zero-width space)
    t.segments.push_back({static_cast<uint32_t>(from), static_cast<uint32_t>(t.text.size()),
                          static_cast<uint32_t>(ob), static_cast<uint32_t>(oe), one_to_one});
  };
  size_t i = 0;
  while (i < s.size()) {
    // ASCII followed by ASCII (or the end): its own unit, lower-cased - the fast path, taken for
    // a whole run of ASCII at once (all but its last byte when a non-ASCII character follows,
    // which may combine with it).
    size_t run_end = i;
    // 8 bytes at a time while none has its high bit set.
    while (run_end + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + run_end, 8);
      if (w & 0x8080808080808080ULL) break;
      run_end += 8;
    }
    while (run_end < s.size() && static_cast<unsigned char>(s[run_end]) < 0x80) ++run_end;
    if (run_end < s.size() && run_end > i) --run_end;
    if (run_end > i) {
      const size_t at = t.text.size(), n = run_end - i;
      t.text.resize(at + n);
      char* out = t.text.data() + at;
      const char* from = s.data() + i;
      for (size_t k = 0; k < n; ++k) {
        const auto b = static_cast<unsigned char>(from[k]);
        out[k] = static_cast<char>(static_cast<unsigned>(b - 'A') < 26u ? b + ('a' - 'A') : b);
      }
      add_segment(at, i, run_end, true);
      i = run_end;
      continue;
    }
    // A chunk: this character and the following ones that have no normalisation boundary before
    // them (combining marks, U+20E3), so that normalising chunks one by one equals normalising
    // the whole (UAX #15 §9).
    size_t start = i;
    int32_t len16 = 0;
    int cps = 0;
    UChar32 c = next_cp(s, i);
    int dd = dingbat_digit(c);
    auto add = [&](UChar32 cp) {
      if (cp == kKeycap) return;  // 5️⃣ -> 5
      U16_APPEND_UNSAFE(in.data(), len16, cp);
    };
    add(c);
    ++cps;
    while (i < s.size() && cps < kMaxChunk) {
      if (static_cast<unsigned char>(s[i]) < 0x80) break;
      size_t j = i;
      UChar32 n = next_cp(s, j);
      if (unorm2_hasBoundaryBefore(norm, n)) break;
      add(n);
      ++cps;
      i = j;
    }
    size_t before = t.text.size();
    if (dd >= 0 && cps == 1) {
      t.text += std::to_string(dd);
    } else if (len16 > 0) {
      UErrorCode status = U_ZERO_ERROR;
      int32_t n = unorm2_normalize(norm, in.data(), len16, outbuf.data(),
                                   static_cast<int32_t>(outbuf.size()), &status);
      if (U_FAILURE(status)) {
        append_utf8(t.text, 0xFFFD);
      } else {
        for (int32_t k = 0; k < n;) {
          UChar32 oc;
          U16_NEXT(outbuf.data(), k, n, oc);
          append_utf8(t.text, oc);
        }
      }
    }
    add_segment(before, start, i, false);
  }
  tokenize(t);
}

std::string normalize_string(std::string_view text) { return normalize(text).text; }

std::vector<DigitRun> digit_runs(const NormalizedText& t, std::string_view original) {
  std::vector<DigitRun> runs;
  DigitRun run;
  bool open = false;
  uint32_t last_norm_end = 0;  // end of the last token that continued the run
  uint32_t first_norm = 0, last_digit_norm_end = 0;
  std::vector<DecodedDigit> dec, next_dec;
  bool price = false;  // the open run is a price ("$200"): nothing joins it

  auto close = [&] {
    if (!open) return;  // nothing was written to `run` since it was last reset
    if (run.digits.size() >= kMinRunDigits) {
      auto [b, e0] = t.original_span(first_norm, first_norm + 1);
      auto [b1, e] = t.original_span(last_digit_norm_end - 1, last_digit_norm_end);
      (void)e0, (void)b1;
      run.begin = b, run.end = e;
      runs.push_back(std::move(run));
    }
    run = DigitRun{};
    open = false;
    price = false;
  };
  auto plus_before = [&](uint32_t norm_begin) {
    // '+' right before the number, perhaps with a space or '(' between ("+44", "+ (44)").
    for (uint32_t k = norm_begin; k > 0 && norm_begin - k < 4;) {
      char c = t.text[--k];
      if (c == '+') return true;
      if (c != ' ' && c != '(') return false;
    }
    return false;
  };
  auto currency_before = [&](uint32_t norm_begin) {
    for (uint32_t k = norm_begin; k > 0 && norm_begin - k < 6;) {
      auto c = static_cast<unsigned char>(t.text[--k]);
      if (c == '$') return true;
      if (c == ' ') continue;
      if (c < 0x80) return false;
      // The first byte of a non-ASCII character: is it a currency sign (€, £, ¥)?
      if ((c & 0xC0) == 0x80) continue;
      size_t q = k;
      return u_charType(next_cp(t.text, q)) == U_CURRENCY_SYMBOL;
    }
    return false;
  };
  auto append = [&](const std::vector<DecodedDigit>& ds, size_t from, size_t to) {
    if (from >= to) return;
    if (to - from > kMaxRunDigits) {  // 33 digits written together: an id or a hash, no number
      close();
      return;
    }
    if (open && (price || run.digits.size() + (to - from) > kMaxRunDigits)) close();
    if (!open) {
      open = true;
      first_norm = ds[from].norm_begin;
      run.plus = plus_before(ds[from].norm_begin);
      price = currency_before(ds[from].norm_begin);
    }
    run.groups.push_back({static_cast<uint8_t>(run.digits.size()),
                          t.original_span(ds[from].norm_begin, ds[from].norm_end).first,
                          t.original_span(ds[to - 1].norm_begin, ds[to - 1].norm_end).second});
    for (size_t k = from; k < to; ++k) {
      run.digits += ds[k].digit;
      // A digit written as something else (⑤, ５, 𝟱, 5️⃣) is obfuscated too.
      uint32_t nb = ds[k].norm_begin;
      const auto [sb, se] = t.source_of(nb);
      bool wide = se - sb != 1;
      run.obfuscated = run.obfuscated || ds[k].obfuscated || wide;
    }
    last_digit_norm_end = ds[to - 1].norm_end;
  };

  const auto& toks = t.tokens;
  for (size_t k = 0; k < toks.size(); ++k) {
    const Token& tok = toks[k];
    if (open &&
        !joins(std::string_view(t.text).substr(last_norm_end, tok.norm_begin - last_norm_end)))
      close();
    if (tok.kind == TokenKind::emoji) {
      if (open) {
        last_norm_end = tok.norm_end;
        run.obfuscated = true;
      }
      continue;
    }
    std::string_view w = t.token_text(tok);
    if (decode_token(w, tok.norm_begin, open, dec)) {
      append(dec, 0, dec.size());
      last_norm_end = tok.norm_end;
      continue;
    }
    if (open && is_separator_word(w)) {
      last_norm_end = tok.norm_end;
      run.obfuscated = true;
      continue;
    }
    // "555 O 1234", "555 I 234": a lone capital O, I or L between two digit tokens (in lower
    // case "o" is Spanish "or": "555-1234 o 555-9876").
    char cap = tok.begin < original.size() ? original[tok.begin] : 0;
    if (open && w.size() == 1 && (cap == 'O' || cap == 'I' || cap == 'L') && k + 1 < toks.size() &&
        joins(
            std::string_view(t.text).substr(tok.norm_end, toks[k + 1].norm_begin - tok.norm_end)) &&
        decode_token(t.token_text(toks[k + 1]), toks[k + 1].norm_begin, true, next_dec)) {
      std::vector<DecodedDigit> one{{w[0] == 'o' ? '0' : '1', tok.norm_begin, tok.norm_end, true}};
      append(one, 0, 1);
      last_norm_end = tok.norm_end;
      continue;
    }
    if (!tok.has_digit) {  // letters only: no digit pieces, and it ends the open run
      close();
      continue;
    }
    // A word with digits in it ("call5551234567", "555-1234text", a hash): its plain digit
    // pieces. A piece at the token's start continues the open run; one at its end stays open.
    bool mixed_long = w.size() > 24;  // hashes, wallet addresses, URLs: no phone inside
    dec.clear();
    size_t p = 0;
    bool at_start = true;
    while (p < w.size()) {
      if (w[p] < '0' || w[p] > '9') {
        at_start = false;
        ++p;
        continue;
      }
      size_t q = p;
      while (q < w.size() && w[q] >= '0' && w[q] <= '9') ++q;
      if (!at_start || mixed_long) close();
      if (!mixed_long) {
        dec.clear();
        for (size_t r = p; r < q; ++r)
          dec.push_back({w[r], tok.norm_begin + static_cast<uint32_t>(r),
                         tok.norm_begin + static_cast<uint32_t>(r + 1), false});
        append(dec, 0, dec.size());
      }
      at_start = false;
      p = q;
    }
    bool ends_with_digit = !w.empty() && w.back() >= '0' && w.back() <= '9' && !mixed_long;
    if (ends_with_digit) {
      last_norm_end = tok.norm_end;
    } else {
      close();
    }
  }
  close();
  return runs;
}

}  // namespace ctip::online
