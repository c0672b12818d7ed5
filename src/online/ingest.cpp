#include "online/ingest.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/csv.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"

namespace ctip::online {
namespace {

constexpr std::array<std::string_view, kAdFieldCount> kFieldNames = {
    "id", "body", "title", "posted_at", "location", "site", "phone", "email", "image_hash"};

// Column names met in dumps of ad sites and in research corpora (the Memex/DIG escort-ad
// crawls, Backpage exports, the InfoShield and Trafficking-10k files), compared after
// lower-casing and dropping spaces, '_', '-' and '.'. The first name present wins.
const std::array<std::vector<std::string_view>, kAdFieldCount>& aliases() {
  static const std::array<std::vector<std::string_view>, kAdFieldCount> a = {{
      {"id", "adid", "postid", "listingid", "docid", "uid", "ad", "uuid"},
      {"body", "text", "description", "content", "adtext", "posttext", "message", "desc",
       "bodytext", "adbody"},
      {"title", "subject", "headline", "adtitle", "posttitle"},
      {"postedat", "date", "timestamp", "createdat", "created", "posted", "postdate", "dateposted",
       "datetime", "time", "postedon"},
      {"location", "city", "loc", "place", "area"},
      {"site", "source", "domain", "website", "platform"},
      {"phone", "phonenumber", "telephone", "tel", "mobile", "contactphone"},
      {"email", "mail", "contactemail"},
      {"imagehash", "imagehashes", "pdq", "imghash", "phash", "pdqhash"},
  }};
  return a;
}

std::string squash(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '_' || c == '-' || c == '.') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

size_t limit_of(const FieldLimits& l, AdField f) {
  switch (f) {
    case AdField::body:
      return l.body;
    case AdField::title:
      return l.title;
    case AdField::id:
      return l.id;
    default:
      return l.other;
  }
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// HTML's named character references that ad text uses (WHATWG HTML §13.5 lists 2,231; these are
// the ones met in scraped ads: markup, quotes and dashes, Latin-1 letters of Spanish and French,
// currency, hearts).
struct Entity {
  std::string_view name;
  uint32_t cp;
};
constexpr Entity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},  {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"bull", 0x2022},  {"middot", 0xB7},  {"hearts", 0x2665}, {"euro", 0x20AC},
    {"pound", 0xA3},   {"cent", 0xA2},    {"yen", 0xA5},     {"deg", 0xB0},      {"iexcl", 0xA1},
    {"iquest", 0xBF},  {"laquo", 0xAB},   {"raquo", 0xBB},   {"aacute", 0xE1},   {"eacute", 0xE9},
    {"iacute", 0xED},  {"oacute", 0xF3},  {"uacute", 0xFA},  {"ntilde", 0xF1},   {"uuml", 0xFC},
    {"ccedil", 0xE7},  {"Aacute", 0xC1},  {"Eacute", 0xC9},  {"Iacute", 0xCD},   {"Oacute", 0xD3},
    {"Uacute", 0xDA},  {"Ntilde", 0xD1},  {"Uuml", 0xDC},    {"Ccedil", 0xC7},   {"agrave", 0xE0},
    {"egrave", 0xE8},  {"ecirc", 0xEA},   {"ocirc", 0xF4},   {"star", 0x2606},   {"times", 0xD7},
    {"zwj", 0x200D},   {"zwnj", 0x200C},
};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool starts_with_ci(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (core::ascii_lower(s[at + i]) != prefix[i]) return false;
  return true;
}

// Tags after which the text is a new line or block: removing them must not join two words.
bool is_block_tag(std::string_view name) {
  static constexpr std::string_view kBlock[] = {
      "br",      "p",      "div",    "li",         "ul", "ol", "tr", "td", "th",
      "table",   "h1",     "h2",     "h3",         "h4", "h5", "h6", "hr", "section",
      "article", "header", "footer", "blockquote", "dd", "dt", "pre"};
  return std::find(std::begin(kBlock), std::end(kBlock), name) != std::end(kBlock);
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool valid_date(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// Reads exactly n digits at s[pos]; advances pos.
bool digits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

// Whether s[pos] is c; moves past it when it is.
bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// "HH:MM[:SS[.fff]][Z|+HH:MM|-HHMM]" at pos, after a 'T' or a space. Returns ms into the day
// minus the offset, or nullopt.
std::optional<int64_t> parse_time_of_day(std::string_view s, size_t pos) {
  int h = 0, mi = 0, sec = 0;
  if (!digits(s, pos, 2, h) || !expect(s, pos, ':') || !digits(s, pos, 2, mi)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!digits(s, pos, 2, sec)) return std::nullopt;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int64_t ms = ((h * 60LL + mi) * 60 + sec) * 1000;
  if (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos == s.size()) return ms;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size() ? std::optional(ms) : std::nullopt;
  if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!digits(s, pos, 2, oh)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size() && !digits(s, pos, 2, om)) return std::nullopt;
    if (pos != s.size() || oh > 14 || om > 59) return std::nullopt;
    return ms - sign * (oh * 60LL + om) * 60'000;
  }
  if (starts_with_ci(s, pos, "utc") && pos + 3 == s.size()) return ms;
  return std::nullopt;
}

// A buffered line reader with a cap: a line longer than `cap` is consumed and reported as too
// long, never held whole (constant memory for JSON Lines).
class LineReader {
 public:
  LineReader(std::istream& in, size_t cap) : in_(in), cap_(cap), buf_(1 << 16) {}
  // false at the end; `too_long` when the line was over the cap (line is then empty).
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == size_ && !fill()) return any;
      any = true;
      const char* begin = buf_.data() + pos_;
      const char* nl = static_cast<const char*>(std::memchr(begin, '\n', size_ - pos_));
      size_t n = nl ? static_cast<size_t>(nl - begin) : size_ - pos_;
      if (!too_long) {
        if (line.size() + n > cap_) {
          too_long = true;
          line.clear();
        } else {
          line.append(begin, n);
        }
      }
      pos_ += n;
      if (nl) {
        ++pos_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }

 private:
  bool fill() {
    in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    size_ = static_cast<size_t>(in_.gcount());
    pos_ = 0;
    return size_ > 0;
  }
  std::istream& in_;
  size_t cap_;
  std::vector<char> buf_;
  size_t pos_ = 0, size_ = 0;
};

// Whether a field holds no tag and no entity: two scans of memchr, where find_first_of("<&")
// would call it once per byte.
bool markup_free(std::string_view s) {
  return s.find('<') == std::string_view::npos && s.find('&') == std::string_view::npos;
}

// The shared part of both readers: checks one row's raw fields, cleans them, batches the ad.
class RowSink {
 public:
  RowSink(const AdSink& sink, const IngestOptions& o, IngestSummary& s)
      : sink_(sink), opt_(o), sum_(s) {
    batch_.reserve(std::max<size_t>(1, o.batch_size));
  }

  void issue(uint64_t line, std::string field, std::string message, bool skipped) {
    resolve();  // the row before, still waiting for its id check, comes first
    RowIssue i{line, std::move(field), std::move(message), skipped};
    if (skipped && opt_.strict)
      throw Error(ErrorCode::invalid_argument, to_string(i), "line " + std::to_string(line));
    ++sum_.issue_count;
    if (skipped) ++sum_.skipped;
    if (sum_.issues.size() < opt_.max_listed_issues) sum_.issues.push_back(std::move(i));
  }

  // raw[f]: the field as read (nullopt when the file has no such column/key).
  void row(uint64_t line, const std::array<std::optional<std::string_view>, kAdFieldCount>& raw) {
    resolve();
    ++sum_.rows_read;
    for (size_t f = 0; f < kAdFieldCount; ++f) {
      if (!raw[f].has_value()) continue;
      std::string_view value = raw[f].value_or(std::string_view{});
      if (!estimated_) first_field_bytes_ += value.size() + 1;
      auto field = static_cast<AdField>(f);
      size_t lim = limit_of(opt_.limits, field);
      if (value.size() > lim) {
        issue(line, std::string(kFieldNames[f]),
              std::to_string(value.size()) + " bytes, over the limit of " + std::to_string(lim),
              true);
        return;
      }
      if (auto bad = csv::invalid_utf8_at(value)) {
        issue(line, std::string(kFieldNames[f]),
              "invalid UTF-8 at byte " + std::to_string(*bad + 1), true);
        return;
      }
    }
    // The batch's ads are reused from batch to batch, their strings with their capacity, so a
    // row costs no allocation once the first batches have been read (unless the sink moved
    // them out). Every field is assigned below.
    if (used_ == batch_.size()) batch_.emplace_back();
    Ad& ad = batch_[used_];
    ad.line = line;
    auto get = [&](AdField f) { return raw[static_cast<size_t>(f)].value_or(std::string_view{}); };
    ad.id.assign(core::trim_blanks(get(AdField::id)));
    if (ad.id.empty()) {
      issue(line, "id", "missing id", true);
      return;
    }
    std::string_view body = get(AdField::body);
    if (markup_free(body))
      ad.body.assign(body);
    else
      ad.body = strip_html(body);
    if (core::trim_blanks(ad.body).find_first_not_of("\r\n") == std::string_view::npos) {
      issue(line, "body", "missing body", true);
      return;
    }
    std::string_view title = get(AdField::title);
    if (markup_free(title))
      ad.title.assign(title);
    else
      ad.title = strip_html(title);
    ad.posted_at.assign(core::trim_blanks(get(AdField::posted_at)));
    ad.posted_ms.reset();
    if (!ad.posted_at.empty()) {
      ad.posted_ms = parse_posted_at(ad.posted_at);
      if (!ad.posted_ms) {
        std::string msg = "unparseable date " + quote(ad.posted_at);
        if (!opt_.keep_rows_with_bad_dates) {
          issue(line, "posted_at", msg, true);
          return;
        }
        issue(line, "posted_at", msg + " (kept without a time)", false);
        ++sum_.warnings;
      }
    }
    const std::string_view location = core::trim_blanks(get(AdField::location));
    if (location.find('&') == std::string_view::npos)
      ad.location.assign(location);  // nothing to decode: the reused string, no new one
    else
      ad.location = decode_entities(location);
    ad.site.assign(core::trim_blanks(get(AdField::site)));
    ad.phone.assign(core::trim_blanks(get(AdField::phone)));
    ad.email.assign(core::trim_blanks(get(AdField::email)));
    ad.image_hash.assign(core::trim_blanks(get(AdField::image_hash)));
    for (char& c : ad.image_hash) c = core::ascii_lower(c);
    // The id is checked last, so that a row refused for another reason does not reserve it; and
    // only when the next row (or issue, or the end) comes, its slot in the set fetched in the
    // meantime: with a million ids the set is far larger than the cache, and the lookup's miss
    // was nine tenths of this function's time, all of it on the reading thread.
    ids_.prefetch(ad.id);
    pending_ = true;
  }

  // The end of the input: the last row's id checked, the last batch handed over.
  void flush() {
    resolve();
    flush_batch();
  }

 private:
  // The row at batch_[used_], accepted but for its id, taken or refused as a duplicate.
  void resolve() {
    if (!pending_) return;
    pending_ = false;
    const Ad& ad = batch_[used_];
    if (!ids_.insert(ad.id).second) {
      issue(ad.line, "id", "duplicate id " + quote(ad.id), true);
      return;
    }
    ++used_;
    ++sum_.ingested;
    if (used_ >= opt_.batch_size) flush_batch();
  }

  void flush_batch() {
    if (used_ > 0) sink_(std::span<Ad>(batch_.data(), used_));
    used_ = 0;
    if (opt_.progress) opt_.progress(sum_.rows_read);
    if (!estimated_ && sum_.rows_read > 0) {
      // The rows to come, from the first batch's bytes a row (its fields and a separator each,
      // so a little fewer bytes than the file's rows: a few per cent too many rows), and never
      // more than one per 32 bytes.
      estimated_ = true;
      const uint64_t per_row = std::max<uint64_t>(32, first_field_bytes_ / sum_.rows_read);
      const uint64_t rows = opt_.input_bytes / per_row;
      if (rows > ids_.size() && rows < (uint64_t{1} << 31)) ids_.reserve(rows);
    }
  }

  const AdSink& sink_;
  const IngestOptions& opt_;
  IngestSummary& sum_;
  std::vector<Ad> batch_;  // the first used_ are this batch's ads; the rest are kept for reuse
  size_t used_ = 0;
  // A million ids for a million ads: Abseil's open addressing keeps a short id inside its slot,
  // where std::unordered_set allocated a node per id (some 4% of `ctip ads analyze`'s CPU time,
  // all of it on the reading thread).
  absl::flat_hash_set<std::string> ids_;
  bool pending_ = false;            // batch_[used_] waits for resolve()
  bool estimated_ = false;          // the ids reserved for (IngestOptions::input_bytes)
  uint64_t first_field_bytes_ = 0;  // the fields' bytes until then
};

void ingest_csv(std::istream& in, RowSink& rows, const IngestOptions& opt, IngestSummary& sum) {
  csv::Reader reader(in);
  if (!reader.next()) invalid("header", "the file is empty: a CSV file needs a header line");
  if (reader.problem()) invalid("header", "header: " + reader.problem()->message);
  std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  // Which header column feeds each field.
  std::array<int, kAdFieldCount> col;
  col.fill(-1);
  std::vector<bool> used(header.size(), false);
  for (size_t f = 0; f < kAdFieldCount; ++f) {
    const std::string& wanted = opt.columns.column[f];
    if (!wanted.empty()) {
      for (size_t c = 0; c < header.size(); ++c)
        if (core::iequals(core::trim_blanks(header[c]), wanted)) col[f] = static_cast<int>(c);
      if (col[f] < 0)
        invalid("columns", "column " + quote(wanted) + " (for " + std::string(kFieldNames[f]) +
                               ") is not in the header");
      used[static_cast<size_t>(col[f])] = true;
    }
  }
  for (size_t f = 0; f < kAdFieldCount; ++f) {
    if (col[f] >= 0) continue;
    for (std::string_view alias : aliases()[f]) {
      for (size_t c = 0; c < header.size() && col[f] < 0; ++c)
        if (!used[c] && squash(header[c]) == alias) {
          col[f] = static_cast<int>(c);
          used[c] = true;
        }
      if (col[f] >= 0) break;
    }
  }
  for (AdField f : {AdField::id, AdField::body})
    if (col[static_cast<size_t>(f)] < 0)
      invalid("header", "no " + std::string(to_string(f)) + " column among " +
                            quote(core::joined(header), 200) + " (name it with --columns " +
                            std::string(to_string(f)) + "=NAME)");
  for (size_t f = 0; f < kAdFieldCount; ++f)
    if (col[f] >= 0) sum.columns[f] = header[static_cast<size_t>(col[f])];
  for (size_t c = 0; c < header.size(); ++c)
    if (!used[c]) sum.ignored_columns.push_back(header[c]);
  reader.expect_fields(header.size());

  std::array<std::optional<std::string_view>, kAdFieldCount> raw;
  while (reader.next()) {
    uint64_t line = reader.line();
    if (const auto& p = reader.problem()) {
      ++sum.rows_read;
      std::string field = p->column > 0 && p->column <= header.size() ? header[p->column - 1] : "";
      rows.issue(p->line, field, p->message, true);
      continue;
    }
    auto fields = reader.fields();
    size_t bytes = 0;
    for (auto f : fields) bytes += f.size();
    if (bytes > opt.limits.line) {
      ++sum.rows_read;
      rows.issue(line, "",
                 "record of " + std::to_string(bytes) + " bytes, over the limit of " +
                     std::to_string(opt.limits.line),
                 true);
      continue;
    }
    for (size_t f = 0; f < kAdFieldCount; ++f)
      raw[f] = col[f] >= 0 ? std::optional(fields[static_cast<size_t>(col[f])]) : std::nullopt;
    rows.row(line, raw);
  }
}

void ingest_jsonl(std::istream& in, RowSink& rows, const IngestOptions& opt, IngestSummary& sum) {
  LineReader reader(in, opt.limits.line);
  std::string line;
  bool too_long = false;
  uint64_t number = 0;
  JsonLimits limits;
  limits.max_depth = 16;
  limits.max_string_bytes = std::max(opt.limits.body, opt.limits.other) + 1;
  std::array<std::string, kAdFieldCount> values;
  std::array<std::optional<std::string_view>, kAdFieldCount> raw;
  std::unordered_set<std::string> keys_met;
  while (reader.next(line, too_long)) {
    ++number;
    if (too_long) {
      ++sum.rows_read;
      rows.issue(number, "", "line over the limit of " + std::to_string(opt.limits.line) + " bytes",
                 true);
      continue;
    }
    if (core::trim_blanks(line).empty()) continue;
    if (auto bad = csv::invalid_utf8_at(line)) {
      ++sum.rows_read;
      rows.issue(number, "", "invalid UTF-8 at byte " + std::to_string(*bad + 1), true);
      continue;
    }
    Json obj;
    try {
      obj = parse_json(line, "line", limits);
    } catch (const Error& e) {
      ++sum.rows_read;
      // A string over the limit names its key: report it as that field's size error.
      rows.issue(number, e.field() == "line" ? "" : e.field(), e.what(), true);
      continue;
    }
    if (!obj.is_object()) {
      ++sum.rows_read;
      rows.issue(number, "", "a JSON Lines row must be an object", true);
      continue;
    }
    bool bad = false;
    for (size_t f = 0; f < kAdFieldCount && !bad; ++f) {
      raw[f].reset();
      const Json* v = nullptr;
      std::string key;
      const std::string& wanted = opt.columns.column[f];
      if (!wanted.empty()) {
        if (auto it = obj.find(wanted); it != obj.end()) v = &*it, key = wanted;
      } else {
        for (std::string_view alias : aliases()[f]) {
          for (auto it = obj.begin(); it != obj.end() && !v; ++it)
            if (squash(it.key()) == alias) v = &*it, key = it.key();
          if (v) break;
        }
      }
      if (!v || v->is_null()) continue;
      if (sum.columns[f].empty()) sum.columns[f] = key;
      if (v->is_string()) {
        values[f] = v->get<std::string>();
      } else if (v->is_number_integer() || v->is_number_unsigned()) {
        values[f] = v->dump();
      } else if (v->is_number_float() && f == static_cast<size_t>(AdField::posted_at) &&
                 std::abs(v->get<double>()) < 1e14) {
        // Unix seconds with a fraction (1583020800.5); out of range it is no date (and casting
        // 1e300 to an integer would be undefined behaviour).
        values[f] = std::to_string(static_cast<int64_t>(v->get<double>()));
      } else if (v->is_array() && f == static_cast<size_t>(AdField::image_hash)) {
        values[f].clear();
        for (const auto& h : *v) {
          if (!h.is_string()) {
            bad = true;
            break;
          }
          if (!values[f].empty()) values[f] += ';';
          values[f] += h.get<std::string>();
        }
        if (bad) rows.issue(number, key, "image hashes must be strings", true);
      } else {
        bad = true;
        rows.issue(number, key, "must be a string, not " + quote_value(*v), true);
      }
      if (!bad) raw[f] = values[f];
    }
    if (bad) {
      ++sum.rows_read;
      continue;
    }
    if (!raw[0] || !raw[1]) {
      ++sum.rows_read;
      rows.issue(number, raw[0] ? "body" : "id",
                 raw[0] ? "missing body (no body, text, description or content key)"
                        : "missing id (no id, ad_id or post_id key)",
                 true);
      continue;
    }
    rows.row(number, raw);
  }
}

}  // namespace

std::string_view to_string(AdField field) { return kFieldNames[static_cast<size_t>(field)]; }

std::optional<AdField> parse_ad_field(std::string_view name) {
  std::string n = squash(name);
  if (n == "city") return AdField::location;
  if (n == "postedat") return AdField::posted_at;
  if (n == "imagehash") return AdField::image_hash;
  for (size_t f = 0; f < kAdFieldCount; ++f)
    if (n == kFieldNames[f]) return static_cast<AdField>(f);
  return std::nullopt;
}

ColumnMapping parse_column_mapping(std::string_view spec) {
  ColumnMapping m;
  std::array<bool, kAdFieldCount> seen{};
  while (!core::trim_blanks(spec).empty()) {
    size_t comma = spec.find(',');
    std::string_view item = core::trim_blanks(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      invalid("columns", quote(item) + " is not field=column (e.g. body=text,id=ad_id)");
    std::string_view field = core::trim_blanks(item.substr(0, eq));
    std::string_view column = core::trim_blanks(item.substr(eq + 1));
    auto f = parse_ad_field(field);
    if (!f)
      invalid("columns",
              "unknown field " + quote(field) + "; the fields are " + core::joined(kFieldNames));
    if (column.empty()) invalid("columns", "no column named for " + quote(field));
    if (seen[static_cast<size_t>(*f)])
      invalid("columns", "field " + std::string(to_string(*f)) + " given twice");
    seen[static_cast<size_t>(*f)] = true;
    m[*f] = std::string(column);
  }
  return m;
}

std::string_view to_string(AdFormat format) { return format == AdFormat::csv ? "csv" : "jsonl"; }

AdFormat parse_ad_format(std::string_view name) {
  if (core::iequals(name, "csv")) return AdFormat::csv;
  if (core::iequals(name, "jsonl") || core::iequals(name, "ndjson") || core::iequals(name, "json"))
    return AdFormat::jsonl;
  invalid("format", "unknown ad format " + quote(name) + "; the formats are csv, jsonl");
}

std::optional<AdFormat> format_of_path(std::string_view path) {
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view ext = path.substr(dot + 1);
  if (core::iequals(ext, "csv")) return AdFormat::csv;
  if (core::iequals(ext, "jsonl") || core::iequals(ext, "ndjson") || core::iequals(ext, "json"))
    return AdFormat::jsonl;
  return std::nullopt;
}

std::string to_string(const RowIssue& issue) {
  std::string s = "line " + std::to_string(issue.line);
  if (!issue.field.empty()) s += ", field " + issue.field;
  s += ": " + issue.message;
  if (!issue.skipped) s += " (warning)";
  return s;
}

IngestSummary ingest_ads(std::istream& in, AdFormat format, const AdSink& sink,
                         const IngestOptions& options) {
  IngestSummary sum;
  sum.format = format;
  RowSink rows(sink, options, sum);
  if (format == AdFormat::csv)
    ingest_csv(in, rows, options, sum);
  else
    ingest_jsonl(in, rows, options, sum);
  rows.flush();
  return sum;
}

IngestedAds read_ads(std::istream& in, AdFormat format, const IngestOptions& options) {
  IngestedAds out;
  out.summary = ingest_ads(
      in, format,
      [&](std::span<Ad> batch) {
        std::move(batch.begin(), batch.end(), std::back_inserter(out.ads));
      },
      options);
  return out;
}

std::string decode_entities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 32) {
      out += c;
      ++i;
      continue;
    }
    std::string_view name = text.substr(i + 1, semi - i - 1);
    std::optional<uint32_t> cp;
    if (name.size() >= 2 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view num = name.substr(hex ? 2 : 1);
      uint32_t v = 0;
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v, hex ? 16 : 10);
      if (!num.empty() && ec == std::errc() && p == num.data() + num.size()) {
        // Zero, surrogates and values past U+10FFFF name no character (WHATWG HTML §13.2.5.80).
        cp = (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) ? 0xFFFD : v;
      } else if (!num.empty() && ec == std::errc::result_out_of_range) {
        cp = 0xFFFD;
      }
    } else {
      for (const auto& e : kEntities)
        if (e.name == name) cp = e.cp;
      if (!cp)  // case-insensitively for the lower-case-only names (&AMP;, &NBSP;)
        for (const auto& e : kEntities)
          if (core::iequals(e.name, name) && e.cp < 0xC0) cp = e.cp;
    }
    if (!cp) {
      out += c;
      ++i;
      continue;
    }
    append_utf8(out, *cp);
    i = semi + 1;
  }
  return out;
}

std::string strip_html(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  const size_t n = html.size();
  while (i < n) {
    char c = html[i];
    if (c != '<' || i + 1 >= n ||
        !(is_alpha(html[i + 1]) || html[i + 1] == '/' || html[i + 1] == '!' ||
          html[i + 1] == '?')) {
      out += c;
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? n : end + 3;
      continue;
    }
    size_t close = html.find('>', i + 1);
    if (close == std::string_view::npos) {  // "<b" with no end: text, not a tag
      out += c;
      ++i;
      continue;
    }
    size_t p = i + 1;
    bool closing = html[p] == '/';
    if (closing) ++p;
    std::string name;
    while (p < close && (is_alpha(html[p]) || (html[p] >= '0' && html[p] <= '9')))
      name += core::ascii_lower(html[p++]);
    i = close + 1;
    if (!closing && (name == "script" || name == "style")) {
      // Everything up to the matching end tag is code, not text.
      std::string end_tag = "</" + name;
      size_t j = i;
      while (j < n && !starts_with_ci(html, j, end_tag)) ++j;
      size_t gt = j < n ? html.find('>', j) : std::string_view::npos;
      i = gt == std::string_view::npos ? n : gt + 1;
      continue;
    }
    if (is_block_tag(name) && !out.empty() && out.back() != '\n') out += '\n';
  }
  // The line breaks that block tags leave at the ends are not the ad's text.
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return decode_entities(out);
}

std::optional<int64_t> parse_posted_at(std::string_view s) {
  s = core::trim_blanks(s);
  if (s.empty()) return std::nullopt;
  bool all_digits = std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits) {
    // Unix time: seconds up to 11 digits (year 5138), milliseconds 12-14 digits. Eight digits
    // are read as a compact date (20200301), as ISO 8601's basic format writes it.
    if (s.size() == 8) {
      int y = 0, m = 0, d = 0;
      size_t p = 0;
      digits(s, p, 4, y), digits(s, p, 2, m), digits(s, p, 2, d);
      if (valid_date(y, m, d)) return days_from_civil(y, m, d) * 86'400'000;
    }
    if (s.size() > 14) return std::nullopt;
    int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return s.size() <= 11 ? v * 1000 : v;
  }
  int y = 0, m = 0, d = 0;
  size_t p = 0;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    if (!digits(s, p, 4, y) || !expect(s, p, '-') || !digits(s, p, 2, m) || !expect(s, p, '-') ||
        !digits(s, p, 2, d))
      return std::nullopt;
  } else {
    // US month/day/year, as US ad sites (Backpage, Craigslist) printed dates.
    size_t slash1 = s.find('/');
    size_t slash2 = slash1 == std::string_view::npos ? slash1 : s.find('/', slash1 + 1);
    if (slash2 == std::string_view::npos || slash1 == 0 || slash1 > 2 || slash2 - slash1 > 3 ||
        slash2 - slash1 < 2)
      return std::nullopt;
    if (!digits(s, p, slash1, m) || !expect(s, p, '/') || !digits(s, p, slash2 - slash1 - 1, d) ||
        !expect(s, p, '/') || !digits(s, p, 4, y))
      return std::nullopt;
  }
  if (!valid_date(y, m, d)) return std::nullopt;
  int64_t day_ms =
      days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86'400'000;
  if (p == s.size()) return day_ms;
  if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
  auto t = parse_time_of_day(s, p + 1);
  if (!t) return std::nullopt;
  return day_ms + *t;
}

}  // namespace ctip::online
