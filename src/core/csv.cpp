#include "core/csv.h"

#include <array>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ctip::csv {

std::optional<size_t> invalid_utf8_at(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII eight bytes at a time: most text is.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;  // a continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::nullopt;
}

Reader::Reader(std::istream& in, size_t block_size)
    : in_(in), buf_(block_size < 64 ? 64 : block_size), block_(buf_.size()) {}

bool Reader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, size_ - pos_);
    size_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() - size_ < block_ / 2) buf_.resize(buf_.size() + block_);
  in_.read(buf_.data() + size_, static_cast<std::streamsize>(buf_.size() - size_));
  auto got = static_cast<size_t>(in_.gcount());
  size_ += got;
  if (got == 0 || !in_) eof_ = true;
  if (!started_ && (size_ >= 3 || eof_)) {
    started_ = true;
    if (size_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  return got > 0;
}

void Reader::set_problem(size_t line, size_t column, std::string message) {
  if (!problem_) problem_ = Problem{line, column, std::move(message)};
}

namespace {
// ',' and '\n', the bytes that end an unquoted field: one table lookup per byte.
constexpr auto kDelimiter = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  return t;
}();

// Finds the next ',' or '\n' in [p, stop), or stop. Most fields of a CTDC file are one to three
// bytes long, so a search per field costs more than the bytes it reads: the finder keeps a bit
// mask of the delimiters in a 64-byte window (SSE2 on x86-64, a byte loop elsewhere) and most
// fields are found by one count of trailing zeros. The buffer does not change while a record is
// scanned, so the window stays valid.
class DelimiterFinder {
 public:
  const char* next(const char* p, const char* stop) {
    for (;;) {
      // No window yet: nullptr + 64 would be undefined (UBSan, fuzz/online_input).
      if (window_ == nullptr || p < window_ || p >= window_ + 64) {
        if (stop - p < 64) {
          while (p < stop && !kDelimiter[static_cast<unsigned char>(*p)]) ++p;
          return p;
        }
        window_ = p;
        mask_ = mask64(p);
      }
      uint64_t m = mask_ >> (p - window_);
      if (m != 0) return p + __builtin_ctzll(m);
      p = window_ + 64;
    }
  }

 private:
  static uint64_t mask64(const char* p) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i newline = _mm_set1_epi8('\n');
    uint64_t m = 0;
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + ptrdiff_t{16} * k));
      __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline));
      m |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(hit))} << (16 * k);
    }
    return m;
#else
    uint64_t m = 0;
    for (int k = 0; k < 64; ++k) m |= uint64_t{kDelimiter[static_cast<unsigned char>(p[k])]} << k;
    return m;
#endif
  }

  const char* window_ = nullptr;
  uint64_t mask_ = 0;
};
}  // namespace

// A state machine over buf_[pos_, size_): it records each field's span and stops after the
// record's line break. Nothing in the buffer is changed here, so that a record cut by the end of
// a block can be scanned again once more of the stream is read.
bool Reader::scan_record(size_t& end_out) {
  enum class State { field_start, unquoted, quoted, quote_in_quoted, after_close };
  spans_.clear();
  problem_.reset();
  record_lines_ = 0;
  const char* b = buf_.data();
  State state = State::field_start;
  size_t begin = pos_;
  size_t end = pos_;  // end of a quoted field (its closing quote)
  size_t i = pos_;
  size_t newlines = 0;
  size_t quote_line = 0;  // where the current quoted field opened
  auto push = [&](size_t e, bool quoted) { spans_.push_back({begin, e, quoted}); };
  DelimiterFinder delimiters;
  for (; i < size_; ++i) {
    char c = b[i];
    switch (state) {
      case State::field_start:
        begin = i;
        if (c == '"') {
          begin = i + 1;
          quote_line = next_line_ + newlines;
          state = State::quoted;
        } else if (c == ',') {
          push(i, false);
        } else if (c == '\n') {
          push(i > begin && b[i - 1] == '\r' ? i - 1 : i, false);
          goto done;
        } else if (c == '\r' && i + 1 < size_ && b[i + 1] == '\n') {
          // CR of CRLF: the field ends at the LF.
          state = State::unquoted;
        } else {
          state = State::unquoted;
        }
        break;
      case State::unquoted: {
        // The common case: fields without quotes, run through in one tight loop until a line
        // break, a quoted field or the end of the buffer.
        const char* p = b + i;
        const char* stop = b + size_;
        for (;;) {
          p = delimiters.next(p, stop);
          i = static_cast<size_t>(p - b);
          if (p == stop) goto incomplete;
          if (*p == '\n') {
            push(i > begin && b[i - 1] == '\r' ? i - 1 : i, false);
            goto done;
          }
          push(i, false);  // a comma
          ++p;
          begin = static_cast<size_t>(p - b);
          if (p < stop && *p == '"') {
            state = State::field_start;  // the loop's ++i reaches the quote
            break;
          }
        }
        break;
      }
      case State::quoted:
        if (c == '"')
          state = State::quote_in_quoted;
        else if (c == '\n')
          ++newlines;
        break;
      case State::quote_in_quoted:
        if (c == '"') {
          state = State::quoted;  // a doubled quote
          break;
        }
        end = i - 1;
        state = State::after_close;
        [[fallthrough]];
      case State::after_close:
        if (c == ',') {
          push(end, true);
          state = State::field_start;
        } else if (c == '\n') {
          push(end, true);
          goto done;
        } else if (c != '\r') {
          set_problem(next_line_ + newlines, spans_.size() + 1,
                      "text after the closing quote of a quoted field");
        }
        break;
    }
  }
incomplete:
  if (!eof_) return false;
  // The end of the stream ends the last record.
  if (i == pos_) return false;
  switch (state) {
    case State::field_start:
      push(i, false);
      break;
    case State::unquoted:
      push(i > begin && b[i - 1] == '\r' ? i - 1 : i, false);
      break;
    case State::quoted:
      set_problem(quote_line, spans_.size() + 1,
                  "a quoted field opened on this line is not closed before the end of the file");
      push(i, true);
      break;
    case State::quote_in_quoted:
      push(i - 1, true);
      break;
    case State::after_close:
      push(end, true);
      break;
  }
  end_out = i;
  record_lines_ = newlines;
  return true;
done:
  end_out = i + 1;
  record_lines_ = newlines + 1;
  return true;
}

namespace {

// True when every byte of [p, p + n) is ASCII, eight bytes at a time: most CSV records are, and
// then no field needs the full UTF-8 check.
bool all_ascii(const char* p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) return false;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) & 0x80) return false;
  return true;
}

}  // namespace

void Reader::split_record(size_t end) {
  fields_.clear();
  char* b = buf_.data();
  bool check_utf8 =
      !spans_.empty() && !all_ascii(b + spans_.front().begin, end - spans_.front().begin);
  for (size_t k = 0; k < spans_.size(); ++k) {
    auto [s, e, quoted] = spans_[k];
    if (quoted) {
      // Undouble "" in place; the field can only shrink.
      size_t w = s;
      for (size_t r = s; r < e; ++r) {
        b[w++] = b[r];
        if (b[r] == '"' && r + 1 < e && b[r + 1] == '"') ++r;
      }
      e = w;
    }
    std::string_view f(b + s, e - s);
    if (check_utf8 && !problem_) {
      if (auto at = invalid_utf8_at(f)) {
        size_t line = line_;
        for (auto earlier : fields_)
          for (char ch : earlier) line += ch == '\n';
        for (size_t j = 0; j < *at; ++j) line += f[j] == '\n';
        set_problem(line, k + 1,
                    "invalid UTF-8 at byte " + std::to_string(*at + 1) + " of the field");
      }
    }
    fields_.push_back(f);
  }
  if (!problem_ && expected_ != 0 && fields_.size() != expected_)
    set_problem(line_, 0,
                "ragged row: " + std::to_string(fields_.size()) + " fields where the header has " +
                    std::to_string(expected_));
}

bool Reader::next() {
  for (;;) {
    size_t end = 0;
    while (!scan_record(end)) {
      if (eof_) {
        fields_.clear();
        problem_.reset();
        return false;
      }
      fill();
    }
    line_ = next_line_;
    next_line_ += record_lines_;
    size_t start = pos_;
    pos_ = end;
    // A line holding nothing at all is not a record.
    if (spans_.size() == 1 && !spans_[0].quoted && spans_[0].begin == spans_[0].end && !problem_ &&
        (end == start || buf_[start] == '\n' || buf_[start] == '\r'))
      continue;
    split_record(end);
    return true;
  }
}

}  // namespace ctip::csv
