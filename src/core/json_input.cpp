#include "core/json_input.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.h"

namespace ctip {
namespace {

// nlohmann::json's out_of_range id for "number overflow parsing" (a literal beyond a double).
constexpr int kNumberOverflow = 406;
// Object keys are cut to this many bytes when they name a field in a message.
constexpr size_t kKeyInPath = 64;

// At most max_bytes of text, not splitting a UTF-8 sequence, with "..." when cut.
std::string cut(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t n = max_bytes;
  // Back up to the first byte of the character (continuation bytes are 10xxxxxx).
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n)) + "...";
}

// An object key as it names a field: cut, and the empty key as "" (a field is never unnamed).
std::string key_name(std::string_view key) { return key.empty() ? "\"\"" : cut(key, kKeyInPath); }

// Builds the document from nlohmann's SAX events, like its own json_sax_dom_parser (whose
// parser and destructor are iterative), but refuses what JsonLimits bounds while it parses, and
// knows the path of every value so that an error can name the field.
class BoundedBuilder final : public nlohmann::json_sax<Json> {
 public:
  BoundedBuilder(std::string_view what, const JsonLimits& limits) : what_(what), limits_(limits) {}

  Json take() { return std::move(root_); }

  bool null() override { return value(nullptr); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override {
    if (v.size() > limits_.max_string_bytes)
      invalid(path(false), "field '" + path(false) + "' is longer than " +
                               std::to_string(limits_.max_string_bytes) + " bytes");
    return value(std::move(v));
  }
  bool binary(binary_t&) override {
    invalid(path(false), "field '" + path(false) + "' is binary data, not JSON");
  }
  bool start_object(std::size_t) override { return open(Json::value_t::object); }
  bool start_array(std::size_t) override { return open(Json::value_t::array); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    Frame& f = frames_.back();
    if (k.size() > limits_.max_key_bytes) {
      std::string where = path(false, frames_.size() - 1);  // the object holding the key
      invalid(where, "a key in '" + where + "' is longer than " +
                         std::to_string(limits_.max_key_bytes) + " bytes: " + quote(k));
    }
    f.key = k;
    if (f.container->contains(k)) {
      std::string field = path(false);
      invalid(field, "field '" + field + "' is given twice");
    }
    f.element = &(*f.container)[k];
    return true;
  }

  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) override {
    if (e.id == kNumberOverflow) {
      std::string field = path(false);
      invalid(field, "field '" + field + "': the number " + quote(token) +
                         " is out of range (beyond a 64-bit floating point number)");
    }
    throw Error(
        ErrorCode::invalid_argument,
        std::string(what_) + " is not valid JSON (at byte " + std::to_string(position) + ")",
        std::string(what_));
  }

 private:
  struct Frame {
    Json* container;
    std::string key;          // objects: the key of the value being read
    Json* element = nullptr;  // objects: where that value goes
  };

  // Places a value in the current container (or as the root); returns where it went.
  Json* place(Json&& v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& f = frames_.back();
    if (f.container->is_array()) {
      f.container->push_back(std::move(v));
      return &f.container->back();
    }
    *f.element = std::move(v);
    return f.element;
  }

  template <class T>
  bool value(T&& v) {
    place(Json(std::forward<T>(v)));
    return true;
  }

  bool open(Json::value_t type) {
    if (frames_.size() >= limits_.max_depth) {
      std::string field = path(true);
      invalid(field, "field '" + field + "' nests arrays or objects deeper than " +
                         std::to_string(limits_.max_depth) + " levels");
    }
    frames_.push_back({place(Json(type)), {}, nullptr});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  // The path of the value being read: object keys joined with '.', array indices as [i];
  // `keys_only` leaves the indices out. The outermost document is `what_`.
  // Only the outermost `frames` levels when given.
  std::string path(bool keys_only, size_t frames = SIZE_MAX) const {
    std::string out;
    for (size_t i = 0; i < frames_.size() && i < frames; ++i) {
      const Frame& f = frames_[i];
      if (f.container->is_object()) {
        if (!out.empty()) out += '.';
        out += key_name(f.key);
      } else if (!keys_only) {
        // An open child container is the array's last element; otherwise the value being read
        // comes next.
        size_t index = f.container->size() - (i + 1 < frames_.size() ? 1 : 0);
        if (out.empty()) out = what_;
        out += "[" + std::to_string(index) + "]";
      }
    }
    return out.empty() ? std::string(what_) : out;
  }

  std::string_view what_;
  JsonLimits limits_;
  Json root_;
  std::vector<Frame> frames_;
};

}  // namespace

Json parse_json(std::string_view text, std::string_view what, const JsonLimits& limits) {
  BoundedBuilder builder(what, limits);
  // Errors other than ctip::Error cannot come out of the parser: every SAX callback that fails
  // throws one, and parse_error() turns nlohmann's syntax and range errors into one.
  Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                  /*strict=*/true, /*ignore_comments=*/false);
  return builder.take();
}

std::string quote(std::string_view text, size_t max_bytes) {
  return "'" + cut(text, max_bytes) + "'";
}

std::string quote_value(const Json& value, size_t max_bytes) {
  switch (value.type()) {
    case Json::value_t::string:
      return quote(value.get_ref<const std::string&>(), max_bytes);
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::null:
    case Json::value_t::boolean:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      // A scalar: dump() does not recurse, and a number is at most a few dozen characters.
      std::string s = value.dump();
      return s.size() <= max_bytes ? s : s.substr(0, max_bytes) + "...";
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  return "a value";
}

JsonObject::JsonObject(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) {
    std::string name = path_.empty() ? "body" : path_.substr(0, path_.size() - 1);
    invalid(name, name + " must be a JSON object");
  }
}

void JsonObject::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : j_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string name = field(key_name(key));
      invalid(name, "unknown field '" + name + "'");
    }
  }
}

bool JsonObject::has(std::string_view key) const {
  auto it = j_.find(key);
  return it != j_.end() && !it->is_null();
}

const Json& JsonObject::get(std::string_view key) const {
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) invalid(field(key), "missing field '" + field(key) + "'");
  return *it;
}

const Json& JsonObject::raw(std::string_view key) const { return get(key); }

std::string JsonObject::string(std::string_view key, size_t max_bytes) const {
  const auto& v = get(key);
  if (!v.is_string()) invalid(field(key), "field '" + field(key) + "' must be a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > max_bytes)
    invalid(field(key),
            "field '" + field(key) + "' is longer than " + std::to_string(max_bytes) + " bytes");
  return s;
}

std::optional<std::string> JsonObject::optional_string(std::string_view key,
                                                       size_t max_bytes) const {
  if (!has(key)) return std::nullopt;
  return string(key, max_bytes);
}

int64_t JsonObject::integer(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_number_integer()) invalid(field(key), "field '" + field(key) + "' must be an integer");
  // A parsed non-negative number is unsigned in nlohmann::json: one beyond int64_t would wrap.
  if (v.is_number_unsigned() &&
      v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    invalid(field(key), "field '" + field(key) + "' is out of range");
  return v.get<int64_t>();
}

std::optional<int64_t> JsonObject::optional_integer(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return integer(key);
}

bool JsonObject::boolean(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_boolean()) invalid(field(key), "field '" + field(key) + "' must be true or false");
  return v.get<bool>();
}

std::optional<bool> JsonObject::optional_boolean(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return boolean(key);
}

const Json& JsonObject::object(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_object()) invalid(field(key), "field '" + field(key) + "' must be an object");
  return v;
}

const Json& JsonObject::array(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_array()) invalid(field(key), "field '" + field(key) + "' must be an array");
  return v;
}

}  // namespace ctip
