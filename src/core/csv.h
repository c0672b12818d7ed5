// A streaming CSV reader (RFC 4180): fields separated by commas, records by LF or CRLF, fields
// in double quotes may hold commas, line breaks and doubled quotes (""). A UTF-8 byte-order mark
// at the start is skipped. Every field is checked to be valid UTF-8.
//
// It reads the stream in blocks and hands out each record's fields as string_views into its own
// buffer (valid until the next call to next()): no allocation per field or per record, so that
// `ctip flows summary` reads a million CTDC records per second (issue #9, item 6).
//
// A malformed record is not an exception: next() still returns it, and problem() says what is
// wrong with it, naming its line and column (the field's number, from 1), so that an importer can
// report every bad row, or skip it, and go on.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::csv {

struct Problem {
  size_t line = 0;    // the line (from 1) where the problem is
  size_t column = 0;  // the field's number (from 1); 0 when it is about the whole record
  std::string message;
};

class Reader {
 public:
  explicit Reader(std::istream& in, size_t block_size = 1 << 20);

  // Reads the next record; false at the end of the stream. Lines that are entirely empty are
  // skipped (a file ending in a blank line is not a ragged row).
  bool next();
  // The current record's fields (unquoted, "" turned into "); valid until the next call to next().
  std::span<const std::string_view> fields() const { return fields_; }
  // The line on which the current record starts (from 1).
  size_t line() const { return line_; }
  // What is wrong with the current record, if anything: a character after a closing quote, an
  // unterminated quoted field, invalid UTF-8, or (after expect_fields) a ragged row.
  const std::optional<Problem>& problem() const { return problem_; }
  // From now on, a record with a different number of fields is a problem ("ragged row").
  void expect_fields(size_t n) { expected_ = n; }

 private:
  bool fill();                        // reads more of the stream; false at its end
  bool scan_record(size_t& end_out);  // finds the end of the record at pos_; false if incomplete
  void split_record(size_t end);
  void set_problem(size_t line, size_t column, std::string message);

  std::istream& in_;
  std::vector<char> buf_;
  size_t block_;
  size_t pos_ = 0;   // start of the unread part of buf_
  size_t size_ = 0;  // bytes of buf_ in use
  bool eof_ = false;
  bool started_ = false;
  size_t next_line_ = 1;
  size_t line_ = 0;
  size_t expected_ = 0;
  // Per record, found by scan_record: field boundaries (offsets into buf_) and which fields were
  // quoted; the line of each field's start.
  struct Span {
    size_t begin, end;
    bool quoted;
  };
  std::vector<Span> spans_;
  std::vector<std::string_view> fields_;
  std::optional<Problem> problem_;
  size_t record_lines_ = 0;
};

// The byte offset of the first invalid UTF-8 sequence in s (overlong forms, surrogates and code
// points above U+10FFFF are invalid), or nullopt when s is valid.
std::optional<size_t> invalid_utf8_at(std::string_view s);

}  // namespace ctip::csv
