// Reading online ads from CSV (RFC 4180) or JSON Lines (one object per line) into Ads, streaming
// (issue #10, item 1). Pure: the ads go to a sink in batches as they are read, so memory stays
// flat in the file's size (apart from the set of ids seen, needed to refuse duplicates); the
// caller (`ctip ads ingest|analyze`, an import job) decides what to do with them.
//
// Columns: `id` and `body` are required; `title`, `posted_at`, `location` (or `city`), `site`,
// `phone`, `email`, `image_hash` are optional. The names that dumps of ad sites use are detected
// (ad_id, post_id -> id; text, description, content -> body; date, timestamp, created_at ->
// posted_at; ...), and a mapping ("body=text,id=ad_id", `--columns`) overrides them.
//
// What is an error (issue #10, "Bad input"): invalid UTF-8, a field over its size limit, a
// missing or empty id or body, an id seen before, an unparseable date, a malformed CSV record or
// JSON line. Each is a RowIssue naming the line and the field; the row is skipped (not given to
// the sink) and counted. With `strict`, the first such error throws Error(invalid_argument) naming
// the line: the run is refused, and a caller that stores batches as they come must discard them
// (the import is one transaction). A wrong header (no id or no body column) always throws.
//
// Ad text is cleaned once, here: HTML tags are removed (with the content of <script> and
// <style>), entities are decoded (the named ones ads use, and &#...; / &#x...;), so that every
// later offset (selectors, indicators) refers to Ad::body as stored and shown.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::online {

// One ad. Strings are valid UTF-8, HTML-free; empty when the file does not give them.
struct Ad {
  std::string id;
  std::string body;
  std::string title;
  std::string posted_at;             // as written in the file
  std::optional<int64_t> posted_ms;  // posted_at parsed: milliseconds since the epoch, UTC
  std::string location;              // the ad's location or city, as written
  std::string site;
  std::string phone;  // a phone column, as written (selectors.h parses it)
  std::string email;
  std::string image_hash;  // lowercase; several separated by ';' or ' '
  uint64_t line = 0;       // the line of the file where the ad starts (from 1)
};

// The fields of an Ad that a file may carry, in this order.
enum class AdField : uint8_t {
  id,
  body,
  title,
  posted_at,
  location,
  site,
  phone,
  email,
  image_hash
};
inline constexpr size_t kAdFieldCount = 9;
std::string_view to_string(AdField field);                     // "id", "body", "posted_at", ...
std::optional<AdField> parse_ad_field(std::string_view name);  // also "city" -> location

// Which file column (CSV header name or JSON key) feeds which field. An empty name: detect it.
struct ColumnMapping {
  std::array<std::string, kAdFieldCount> column;
  const std::string& operator[](AdField f) const { return column[static_cast<size_t>(f)]; }
  std::string& operator[](AdField f) { return column[static_cast<size_t>(f)]; }
};
// Parses "body=text,id=ad_id" (field=column, comma separated; spaces around names ignored).
// Throws Error(invalid_argument, field "columns") on an unknown field, a field given twice, an
// empty column name or a missing '='.
ColumnMapping parse_column_mapping(std::string_view spec);

enum class AdFormat { csv, jsonl };
std::string_view to_string(AdFormat format);  // "csv", "jsonl"
// "csv"; "jsonl", "ndjson" or "json" -> jsonl. Throws Error(invalid_argument, field "format").
AdFormat parse_ad_format(std::string_view name);
// From a file name's extension (.csv, .jsonl, .ndjson, .json; case-insensitive, optional .gz is
// not handled), nullopt when it says nothing.
std::optional<AdFormat> format_of_path(std::string_view path);

struct RowIssue {
  uint64_t line = 0;  // from 1
  std::string field;  // the Ad field or file column it is about; empty for the whole row
  std::string message;
  bool skipped = true;  // the row was not given to the sink (false: a warning, the row was kept)
};
// "line 7, field body: ..."
std::string to_string(const RowIssue& issue);

// Size limits per field, in bytes of the raw field (before HTML is removed). A body of 64 KiB is
// some 10,000 words, far beyond any real ad (Backpage's were capped at a few thousand
// characters); a longer field is a broken export or an attack on memory.
struct FieldLimits {
  size_t body = 64 << 10;
  size_t title = 2 << 10;
  size_t id = 256;
  size_t other = 4 << 10;  // posted_at, location, site, phone, email, image_hash
  size_t line = 1 << 20;   // one JSON line or one CSV record, all fields together
};

struct IngestOptions {
  ColumnMapping columns;  // overrides of detection (parse_column_mapping)
  FieldLimits limits;
  bool strict = false;  // the first error refuses the run (throws)
  // An unparseable posted_at: false (default) skips the row as the issue asks; true keeps the
  // ad without a time and reports a warning.
  bool keep_rows_with_bad_dates = false;
  size_t batch_size = 4096;
  size_t max_listed_issues = 1000;
  // Called after each batch with the number of rows read so far (a progress bar).
  std::function<void(uint64_t rows)> progress;
  // The input's size in bytes when known (a file): after the first batch, the duplicate-id check
  // reserves room for the rows to come, estimated from the first rows' fields, instead of
  // growing (and rehashing) as a million ids arrive.
  uint64_t input_bytes = 0;
};

struct IngestSummary {
  AdFormat format = AdFormat::csv;
  uint64_t rows_read = 0;  // data rows (CSV: the header not counted; JSONL: non-blank lines)
  uint64_t ingested = 0;   // given to the sink
  uint64_t skipped = 0;    // rows with an error
  uint64_t warnings = 0;   // rows kept with a warning
  // For each AdField, the file column that fed it ("" when none). JSONL: the keys met.
  std::array<std::string, kAdFieldCount> columns;
  std::vector<std::string> ignored_columns;  // CSV header columns no field reads
  std::vector<RowIssue> issues;              // the first max_listed_issues
  uint64_t issue_count = 0;                  // all of them (errors and warnings)
  bool ok() const { return skipped == 0; }
};

// The batch is the reader's, cleared when the sink returns: a sink may move the ads out of it.
using AdSink = std::function<void(std::span<Ad> batch)>;

// Reads the stream. Throws Error(invalid_argument) for a header without id or body (field
// "header"), and in strict mode at the first bad row (field "line N").
IngestSummary ingest_ads(std::istream& in, AdFormat format, const AdSink& sink,
                         const IngestOptions& options = {});

// The whole stream into memory (tests, small files).
struct IngestedAds {
  std::vector<Ad> ads;
  IngestSummary summary;
};
IngestedAds read_ads(std::istream& in, AdFormat format, const IngestOptions& options = {});

// HTML to text: tags removed (a tag is '<' followed by a letter, '/', '!' or '?', so "<3" and
// "a < b" stay), the content of <script> and <style> and comments removed, <br>, <p>, <div>,
// <li> and similar block tags turned into a line break so that words do not join, entities
// decoded. The input must be valid UTF-8; so is the output (a numeric entity naming no character
// becomes U+FFFD).
std::string strip_html(std::string_view html);
// Decodes &amp; &lt; &gt; &quot; &apos; &nbsp; and the other named entities ads use, and &#NNN;
// &#xHHH;. An unknown name is left as written.
std::string decode_entities(std::string_view text);

// posted_at to milliseconds since the epoch (UTC): ISO 8601 dates and date-times ("2020-03-01",
// "2020-03-01T18:05:00Z", "2020-03-01 18:05", with an offset "+02:00"), Unix seconds (up to 11
// digits) or milliseconds (12-14 digits), US "03/01/2020" (month first, as US ad sites wrote it)
// optionally followed by a time. nullopt for anything else, or an impossible date.
std::optional<int64_t> parse_posted_at(std::string_view text);

}  // namespace ctip::online
