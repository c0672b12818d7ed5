// Strict reading of JSON input at the boundaries (HTTP bodies, CLI files): unknown fields,
// wrong types and missing required fields become Error(invalid_argument) naming the field,
// so that bad input is refused before anything is written.
//
// Parsing is bounded (issue #7): nesting deeper than JsonLimits::max_depth, a string or key over
// its size limit, a number that overflows a double (1e400) and a key given twice are refused
// while parsing - before the document is built - so that no input can exhaust the stack (the
// recursive dump() of a 55,000-deep array crashed the server) or reach a 500. Messages never
// serialise input recursively: quote() and quote_value() give a short, flat prefix of a value.
#pragma once

#include <cstddef>
#include <initializer_list>
// Only the declaration of nlohmann::json: headers that name Json (by reference, or as a return
// type) need no more, and a translation unit that does not touch JSON does not parse the 25,000
// lines of json.hpp. A file that builds or reads JSON includes <nlohmann/json.hpp> itself
// (issue #6, item 8).
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ctip {

using Json = nlohmann::json;

// Limits applied while parsing (RFC 8259 §9 lets a parser limit the depth of nesting, the length
// of strings and the range of numbers). The defaults leave room for every HTTP body and data
// file of ctip, whose documents nest a few levels deep.
struct JsonLimits {
  size_t max_depth = 64;               // arrays and objects nested in each other
  size_t max_string_bytes = 64 << 10;  // one string value
  size_t max_key_bytes = 256;          // one object key
};

// Parses text; a syntax error names the byte offset and the field `what`; a limit, an
// overflowing number or a duplicate key names the path of the offending value ("age",
// "answers.s_q1", "items[2].name"; for nesting too deep, the object keys on the way, e.g.
// "age"). Throws Error(invalid_argument) and nothing else.
Json parse_json(std::string_view text, std::string_view what = "body",
                const JsonLimits& limits = {});

// A short, flat rendering of a value for an error message, never longer than about
// `max_bytes`: numbers, booleans and null as written, a string quoted and cut with "...",
// arrays and objects as "an array"/"an object" (never serialised).
std::string quote_value(const Json& value, size_t max_bytes = 40);
// A string cut to at most `max_bytes` bytes (on a UTF-8 boundary) with "..." when cut.
std::string quote(std::string_view text, size_t max_bytes = 40);

class JsonObject {
 public:
  // The longest string field string() accepts unless told otherwise.
  static constexpr size_t kMaxStringField = 4096;

  // `path` prefixes field names in messages, e.g. "person." -> "person.nationality".
  JsonObject(const Json& j, std::string path = {});
  // Refuses any key not in `allowed`.
  void only(std::initializer_list<std::string_view> allowed) const;
  bool has(std::string_view key) const;
  // A string of at most `max_bytes` bytes; a longer one is refused naming the field.
  std::string string(std::string_view key, size_t max_bytes = kMaxStringField) const;
  std::optional<std::string> optional_string(std::string_view key,
                                             size_t max_bytes = kMaxStringField) const;
  int64_t integer(std::string_view key) const;
  std::optional<int64_t> optional_integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  std::optional<bool> optional_boolean(std::string_view key) const;
  const Json& object(std::string_view key) const;
  const Json& array(std::string_view key) const;
  const Json& raw(std::string_view key) const;
  std::string field(std::string_view key) const { return path_ + std::string(key); }

 private:
  const Json& get(std::string_view key) const;
  const Json& j_;
  std::string path_;
};

}  // namespace ctip
