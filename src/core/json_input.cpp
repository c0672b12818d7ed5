#include "core/json_input.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip {

Json parse_json(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw Error(ErrorCode::invalid_argument,
                std::string(what) + " is not valid JSON (at byte " + std::to_string(e.byte) + ")",
                std::string(what));
  }
}

JsonObject::JsonObject(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) {
    std::string name = path_.empty() ? "body" : path_.substr(0, path_.size() - 1);
    invalid(name, name + " must be a JSON object");
  }
}

void JsonObject::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : j_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      invalid(field(key), "unknown field '" + field(key) + "'");
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

std::string JsonObject::string(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_string()) invalid(field(key), "field '" + field(key) + "' must be a string");
  return v.get<std::string>();
}

std::optional<std::string> JsonObject::optional_string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return string(key);
}

int64_t JsonObject::integer(std::string_view key) const {
  const auto& v = get(key);
  if (!v.is_number_integer()) invalid(field(key), "field '" + field(key) + "' must be an integer");
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
