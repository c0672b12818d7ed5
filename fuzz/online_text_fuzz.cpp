// libFuzzer target: the online ads' text engine (src/online) from any bytes, as an ad's body -
// normalize(), the digit view, the selectors and the indicator lexicon. Properties checked: no
// exception at all (the text is not input that can be refused: it is an ad someone wrote); the
// normalised text is valid UTF-8 with an origin for each byte; every token, digit run, selector
// and indicator hit points inside the original text, begin before end.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/csv.h"
#include "online/lexicon.h"
#include "online/normalize.h"
#include "online/selectors.h"

namespace {

[[noreturn]] void finding(const char* what, size_t a = 0, size_t b = 0) {
  std::fprintf(stderr, "online_text_fuzz: %s (%zu, %zu)\n", what, a, b);
  std::abort();
}

void check_span(const char* what, size_t begin, size_t end, size_t size) {
  if (begin > end || end > size) finding(what, begin, end);
}

const ctip::online::Lexicon* lexicon = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lexicon = &ctip::online::Lexicon::builtin();  // compiled once, outside the timed inputs
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto scratch = lexicon->make_scratch();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto n = ctip::online::normalize(text);
  if (ctip::csv::invalid_utf8_at(n.text)) finding("normalised text is not UTF-8");
  // The segments cover the normalised text in order, each mapping into the original.
  uint32_t covered = 0;
  for (const auto& s : n.segments) {
    if (s.norm_begin != covered || s.norm_end <= s.norm_begin) finding("segment gap", covered);
    covered = s.norm_end;
    check_span("segment origin", s.source_begin, s.source_end, size);
    if (s.one_to_one && s.source_end - s.source_begin != s.norm_end - s.norm_begin)
      finding("one-to-one segment of another length", s.norm_begin);
  }
  if (covered != n.text.size()) finding("an origin per byte", covered, n.text.size());
  for (uint32_t i = 0; i < n.text.size(); ++i) {
    const auto [b, e] = n.source_of(i);
    if (b >= e) finding("byte without origin", i);
    check_span("byte origin", b, e, size);
  }
  for (const auto& t : n.tokens) {
    check_span("token", t.begin, t.end, size);
    check_span("token (normalised)", t.norm_begin, t.norm_end, n.text.size());
    if (t.norm_begin == t.norm_end) finding("an empty token", t.norm_begin);
  }
  for (const auto& r : ctip::online::digit_runs(n, text)) {
    check_span("digit run", r.begin, r.end, size);
    if (r.digits.size() < 5 || r.digits.size() > 32) finding("run length", r.digits.size());
    if (r.digits.find_first_not_of("0123456789") != std::string::npos) finding("non-digit in run");
  }
  for (const auto& s :
       ctip::online::extract_selectors(text, n, "US", ctip::online::SelectorSource::body)) {
    check_span("selector", s.begin, s.end, size);
    if (s.value.empty()) finding("an empty selector", s.begin);
  }
  auto p = lexicon->match(n, scratch);
  for (const auto& h : p.hits) {
    check_span("indicator hit", h.begin, h.end, size);
    if (h.indicator >= lexicon->indicators().size()) finding("indicator index", h.indicator);
  }
  return 0;
}
