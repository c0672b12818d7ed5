// libFuzzer target: ctip::parse_json and JsonObject (src/core/json_input.h) on any bytes.
// Properties checked: the only exception is ctip::Error(invalid_argument) naming a field, with a
// short message; a parsed document nests at most JsonLimits::max_depth levels, serialises and
// parses back to the same document; no accessor throws anything but ctip::Error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json_input.h"

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "json_input_fuzz: %s\n", what);
  std::abort();
}

void check_error(const ctip::Error& e) {
  if (e.code() != ctip::ErrorCode::invalid_argument)
    finding("an error other than invalid_argument");
  if (e.field().empty()) finding("an error that names no field");
  // A message quotes at most a short prefix of the input (the field path is bounded by the
  // depth limit and the cut keys: 64 levels x 67 bytes).
  if (std::string_view(e.what()).size() > 8192) finding("an error message that quotes too much");
}

// The depth of a document, without recursion.
size_t depth_of(const ctip::Json& root) {
  size_t deepest = 0;
  std::vector<std::pair<const ctip::Json*, size_t>> todo{{&root, 0}};
  while (!todo.empty()) {
    auto [j, d] = todo.back();
    todo.pop_back();
    if (!j->is_structured()) continue;
    deepest = std::max(deepest, d + 1);
    for (const auto& child : *j) todo.emplace_back(&child, d + 1);
  }
  return deepest;
}

// Runs one accessor; a refusal must be a well-formed Error (check_error).
template <typename F>
void attempt(F&& accessor) {
  try {
    accessor();
  } catch (const ctip::Error& e) {
    check_error(e);
  }
}

void exercise_accessors(const ctip::Json& j) {
  if (!j.is_object()) return;
  ctip::JsonObject o(j, "x.");
  for (const auto& [key, value] : j.items()) {
    (void)ctip::quote_value(value);
    attempt([&] { (void)o.string(key); });
    attempt([&] { (void)o.integer(key); });
    attempt([&] { (void)o.boolean(key); });
    attempt([&] { (void)o.object(key); });
    attempt([&] { (void)o.array(key); });
  }
  attempt([&] { o.only({"a", "b"}); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ctip::Json j;
  try {
    j = ctip::parse_json(text);
  } catch (const ctip::Error& e) {
    check_error(e);
    return 0;
  }
  if (depth_of(j) > ctip::JsonLimits{}.max_depth) finding("a document deeper than the limit");
  // Parsed strings are valid UTF-8, so dump() cannot throw; the document parses back unchanged.
  std::string again = j.dump();
  if (ctip::parse_json(again) != j) finding("a document that does not survive dump and parse");
  exercise_accessors(j);
  return 0;
}
