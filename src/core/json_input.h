// Strict reading of JSON input at the boundaries (HTTP bodies, CLI files): unknown fields,
// wrong types and missing required fields become Error(invalid_argument) naming the field,
// so that bad input is refused before anything is written.
#pragma once

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

// Parses text; a syntax error names the byte offset.
Json parse_json(std::string_view text, std::string_view what = "body");

class JsonObject {
 public:
  // `path` prefixes field names in messages, e.g. "person." -> "person.nationality".
  JsonObject(const Json& j, std::string path = {});
  // Refuses any key not in `allowed`.
  void only(std::initializer_list<std::string_view> allowed) const;
  bool has(std::string_view key) const;
  std::string string(std::string_view key) const;
  std::optional<std::string> optional_string(std::string_view key) const;
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
