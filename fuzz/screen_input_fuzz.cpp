// libFuzzer target: the screening input of the HTTP API (src/screen) from any bytes, as the
// server reads it - parse_json, then the bodies of POST /api/v1/screen/evaluate
// (parse_evaluation_input, evaluate, to_json), POST /api/v1/screenings (parse_new_screening) and
// POST /api/v1/encounters (parse_new_encounter). Property checked: the only exception is
// ctip::Error(invalid_argument) naming a field (anything else would be a 500 or a crash), and a
// result serialises.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.h"
#include "core/json_input.h"
#include "screen/intake.h"
#include "screen/screening.h"

namespace {

[[noreturn]] void finding(const char* what, const char* detail) {
  std::fprintf(stderr, "screen_input_fuzz: %s: %s\n", what, detail);
  std::abort();
}

template <class F>
void expect_input_error_only(F&& f) {
  try {
    f();
  } catch (const ctip::Error& e) {
    if (e.code() != ctip::ErrorCode::invalid_argument) finding("not an input error", e.what());
    if (e.field().empty()) finding("an input error that names no field", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto& catalogue = ctip::screen::Catalogue::builtin();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ctip::Json body;
  try {
    body = ctip::parse_json(text);
  } catch (const ctip::Error&) {
    return 0;  // json_input_fuzz checks the parser's errors
  }
  expect_input_error_only([&] {
    auto input = ctip::screen::parse_evaluation_input(body, catalogue);
    (void)ctip::screen::to_json(ctip::screen::evaluate(input, catalogue)).dump();
  });
  expect_input_error_only([&] { (void)ctip::screen::parse_screener_input(body, catalogue); });
  expect_input_error_only([&] {
    auto s = ctip::screen::parse_new_screening(body, "2026-11-30");
    (void)s.screening.answers.dump();
    (void)s.screening.result.dump();
  });
  expect_input_error_only([&] { (void)ctip::screen::parse_new_encounter(body, "2026-11-30"); });
  return 0;
}
