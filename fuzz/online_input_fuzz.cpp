// libFuzzer target: the online ads' readers (src/online/ingest.h) from any bytes, read both as CSV
// and as JSON Lines, as `ctip ads ingest` reads an uploaded file. Properties checked: the only
// exception is ctip::Error(invalid_argument) about the header or the column mapping (bad rows are
// reported, never thrown); every row read is either ingested or skipped; every issue names a line;
// every ad has a non-empty id, unique, and valid UTF-8 in every field.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/csv.h"
#include "core/error.h"
#include "online/ingest.h"

namespace {

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "online_input_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check_ad(const ctip::online::Ad& ad, std::unordered_set<std::string>& ids) {
  if (ad.id.empty()) finding("an ad without an id", std::to_string(ad.line));
  if (!ids.insert(ad.id).second) finding("a duplicate id got through", ad.id);
  if (ad.body.empty()) finding("an ad without a body", ad.id);
  for (const std::string* f : {&ad.id, &ad.body, &ad.title, &ad.posted_at, &ad.location, &ad.site,
                               &ad.phone, &ad.email, &ad.image_hash})
    if (ctip::csv::invalid_utf8_at(*f)) finding("invalid UTF-8 in an ad", ad.id);
  if (ad.line == 0) finding("an ad without a line", ad.id);
}

void run(std::string_view text, ctip::online::AdFormat format) {
  ctip::online::IngestOptions options;
  options.batch_size = 7;
  options.limits.line = 8192;
  options.limits.body = 4096;
  std::unordered_set<std::string> ids;
  std::istringstream in{std::string(text)};
  try {
    auto summary = ctip::online::ingest_ads(
        in, format,
        [&](std::span<const ctip::online::Ad> batch) {
          for (const auto& ad : batch) check_ad(ad, ids);
        },
        options);
    if (summary.ingested + summary.skipped != summary.rows_read)
      finding("rows neither ingested nor skipped", std::to_string(summary.rows_read));
    if (summary.ingested != ids.size()) finding("ingested count differs from the ads given", "");
    for (const auto& issue : summary.issues)
      if (issue.line == 0) finding("an issue without a line", issue.message);
  } catch (const ctip::Error& e) {
    if (e.code() != ctip::ErrorCode::invalid_argument) finding("not an input error", e.what());
    if (e.field() != "header" && e.field() != "columns") finding("a row error thrown", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  run(text, ctip::online::AdFormat::csv);
  run(text, ctip::online::AdFormat::jsonl);
  return 0;
}
