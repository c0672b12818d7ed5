#include "flows/glotip.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <sstream>
#include <tuple>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/text.h"

namespace ctip::embedded {
const std::vector<File>& flows_data();  // data/flows/*, embedded by src/flows/CMakeLists.txt
}

namespace ctip::flows {
namespace {

constexpr std::array<std::string_view, 13> kColumns = {
    "Iso3_code", "Country", "Region", "Subregion",           "Indicator", "Dimension", "Category",
    "Sex",       "Age",     "Year",   "Unit of measurement", "txtVALUE",  "Source"};
enum Col : size_t {
  kIso3,
  kCountry,
  kRegion,
  kSubregion,
  kIndicator,
  kDimension,
  kCategory,
  kSex,
  kAge,
  kYear,
  kUnit,
  kValue,
  kSource
};

double ratio(uint64_t a, uint64_t b) { return b == 0 ? 0.0 : double(a) / double(b); }

}  // namespace

std::optional<Count> parse_glotip_count(std::string_view text) {
  text = core::trim_blanks(text);
  if (text == "<5") return Count{1, 4};
  if (text.empty()) return std::nullopt;
  // Digits, optionally in groups of three separated by commas ("1,192").
  uint64_t n = 0;
  size_t group = 0;
  bool commas = text.find(',') != std::string_view::npos;
  size_t first_group = commas ? text.find(',') : text.size();
  if (first_group == 0 || first_group > (commas ? size_t{3} : size_t{24})) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',') {
      if (i != first_group && group != 3) return std::nullopt;
      group = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
    ++group;
    if (n > kMaxGlotipCount) return std::nullopt;
  }
  if (commas && group != 3) return std::nullopt;
  return Count{n, n};
}

CitizenshipMap CitizenshipMap::parse(std::string_view text) {
  CitizenshipMap map;
  std::istringstream in{std::string(text)};
  // Comment lines first, then an ordinary CSV with a header.
  std::string body;
  {
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.front() == '#') {
        body += "\n";  // keeps the line numbers of the rows
        continue;
      }
      body += line + "\n";
    }
  }
  std::istringstream rows(body);
  csv::Reader reader(rows);
  if (!reader.next() || reader.fields().size() < 3 || reader.fields()[0] != "category")
    throw Error(ErrorCode::invalid_argument,
                "the citizenship mapping starts with the header category,kind,alpha3,note",
                "mapping");
  reader.expect_fields(reader.fields().size());
  while (reader.next()) {
    auto where = "line " + std::to_string(reader.line());
    if (const auto& p = reader.problem()) invalid("mapping", where + ": " + p->message);
    auto f = reader.fields();
    CitizenshipEntry e;
    if (f[1] == "country") {
      e.kind = CitizenshipKind::country;
      auto code = country_code(f[2]);
      if (!code || f[2].size() != 3)
        invalid("mapping",
                where + ": \"" + std::string(f[2]) + "\" is not an ISO 3166 alpha-3 code");
      e.country = *code;
    } else if (f[1] == "nationals") {
      e.kind = CitizenshipKind::nationals;
    } else if (f[1] == "foreign") {
      e.kind = CitizenshipKind::foreign;
    } else if (f[1] == "unknown") {
      e.kind = CitizenshipKind::unknown;
    } else {
      invalid("mapping", where + ": kind \"" + std::string(f[1]) +
                             "\" is none of country, nationals, foreign, unknown");
    }
    if (!map.entries_.emplace(std::string(f[0]), e).second)
      invalid("mapping", where + ": the category \"" + std::string(f[0]) + "\" is listed twice");
  }
  return map;
}

const CitizenshipMap& CitizenshipMap::builtin() {
  static const CitizenshipMap map = [] {
    for (const auto& f : embedded::flows_data())
      if (f.path == "data/flows/glotip_citizenship.csv") return parse(f.contents);
    throw Error(ErrorCode::internal, "data/flows/glotip_citizenship.csv is not compiled in");
  }();
  return map;
}

const CitizenshipEntry* CitizenshipMap::find(std::string_view category) const {
  auto it = entries_.find(std::string(category));
  return it == entries_.end() ? nullptr : &it->second;
}

GlotipData read_glotip(std::istream& in, const CitizenshipMap& map, const ImportOptions& options) {
  GlotipData out;
  auto& s = out.summary;
  csv::Reader reader(in);
  if (!reader.next())
    throw Error(ErrorCode::invalid_argument,
                "the file is empty: a glotip file starts with the header Iso3_code,Country,...",
                "header");
  if (const auto& p = reader.problem())
    throw Error(ErrorCode::invalid_argument, "line 1, the header: " + p->message, "header");
  // Every column of UNODC's sheet, by name, in any order.
  std::array<size_t, kColumns.size()> at{};
  at.fill(SIZE_MAX);
  // Copied: the reader's fields are views that the next record overwrites.
  std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  for (size_t i = 0; i < header.size(); ++i)
    for (size_t k = 0; k < kColumns.size(); ++k)
      if (core::trim_blanks(header[i]) == kColumns[k]) at[k] = i;
  for (size_t k : {kIso3, kIndicator, kDimension, kCategory, kSex, kAge, kYear, kValue})
    if (at[k] == SIZE_MAX)
      throw Error(ErrorCode::invalid_argument,
                  "line " + std::to_string(reader.line()) + ": the header has no column \"" +
                      std::string(kColumns[k]) +
                      "\"; a glotip file has the columns of UNODC's data_glotip sheet (Iso3_code, "
                      "Country, ..., Year, Unit of measurement, txtVALUE, Source)",
                  "header");
  reader.expect_fields(header.size());
  std::map<std::pair<std::string, std::string>, uint64_t> unknown;  // (column, value)
  auto error = [&](size_t line, size_t column, std::string message) {
    ++s.error_count;
    if (s.errors.size() < options.max_listed_errors) {
      RowError e{line, column, {}, std::move(message)};
      if (column > 0 && column <= header.size()) e.column_name = header[column - 1];
      s.errors.push_back(std::move(e));
    }
  };
  while (reader.next()) {
    ++s.rows_read;
    if (const auto& p = reader.problem()) {
      error(p->line, p->column, p->message);
      continue;
    }
    auto f = reader.fields();
    size_t line = reader.line();
    GlotipValue v;
    auto year_text = core::trim_blanks(f[at[kYear]]);
    int year = 0;
    auto [ptr, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
    if (ec != std::errc() || ptr != year_text.data() + year_text.size()) {
      error(line, at[kYear] + 1, "\"" + std::string(year_text) + "\" is not a year");
      continue;
    }
    if (year < kFirstYear || year > kLastYear) {
      error(line, at[kYear] + 1, "impossible year " + std::to_string(year));
      continue;
    }
    v.year = year;
    auto iso = core::trim_blanks(f[at[kIso3]]);
    if (auto code = country_code(iso); code && iso.size() == 3) {
      v.country = *code;
    } else {
      std::string shown(iso);
      if (at[kCountry] != SIZE_MAX) shown += " (Country \"" + std::string(f[at[kCountry]]) + "\")";
      ++unknown[{"Iso3_code", shown}];
      continue;  // a country-year without a country cannot be placed
    }
    v.indicator = f[at[kIndicator]];
    v.dimension = f[at[kDimension]];
    v.category = f[at[kCategory]];
    v.sex = f[at[kSex]];
    v.age = f[at[kAge]];
    auto count = parse_glotip_count(f[at[kValue]]);
    if (!count) {
      s.malformed.push_back({line, v.country, v.year, v.indicator, v.dimension, v.category,
                             std::string(f[at[kValue]])});
      continue;
    }
    v.value = *count;
    if (v.dimension == "by citizenship") {
      if (const auto* e = map.find(v.category))
        v.citizenship = *e;
      else
        ++unknown[{"Category", v.category}];
    }
    out.values.push_back(std::move(v));
    ++s.imported;
  }
  s.skipped = s.rows_read - s.imported - s.malformed.size();
  std::vector<UnknownValue> list;
  list.reserve(unknown.size());
  for (auto& [key, n] : unknown) list.push_back({key.first, key.second, n});
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return a.column != b.column ? a.column > b.column : a.count > b.count;  // Iso3_code first
  });
  s.unknown_values = std::move(list);
  return out;
}

std::vector<GlotipDomesticRow> glotip_domestic_share(const GlotipData& data,
                                                     std::string_view indicator) {
  std::map<std::pair<CountryCode, int>, GlotipDomesticRow> rows;
  for (const auto& v : data.values) {
    if (v.dimension != "by citizenship" || v.indicator != indicator || v.sex != "Total" ||
        v.age != "Total")
      continue;
    auto& row = rows[{v.country, v.year}];
    if (!v.citizenship) {
      row.unmapped += v.value;
      continue;
    }
    switch (v.citizenship->kind) {
      case CitizenshipKind::nationals:
        row.domestic += v.value;
        break;
      case CitizenshipKind::country:
        (v.citizenship->country == v.country ? row.domestic : row.foreign) += v.value;
        break;
      case CitizenshipKind::foreign:
        row.foreign += v.value;
        break;
      case CitizenshipKind::unknown:
        row.unknown += v.value;
        break;
    }
  }
  for (const auto& m : data.summary.malformed)
    if (m.dimension == "by citizenship" && m.indicator == indicator)
      ++rows[{m.country, m.year}].malformed;
  std::vector<GlotipDomesticRow> out;
  for (auto& [key, row] : rows) {
    row.country = key.first;
    row.year = key.second;
    row.total_known = row.domestic + row.foreign;
    // The share d / (d + f) grows with d and falls with f: its bounds are at the corners.
    row.share_lo = ratio(row.domestic.lo, row.domestic.lo + row.foreign.hi);
    row.share_hi = ratio(row.domestic.hi, row.domestic.hi + row.foreign.lo);
    out.push_back(row);
  }
  return out;
}

std::vector<GlotipCorridor> glotip_corridors(const GlotipData& data, std::string_view indicator,
                                             std::optional<int> year_from,
                                             std::optional<int> year_to) {
  std::map<std::pair<CountryCode, CountryCode>, Count> sums;
  for (const auto& v : data.values) {
    if (v.dimension != "by citizenship" || v.indicator != indicator || v.sex != "Total" ||
        v.age != "Total" || !v.citizenship)
      continue;
    if ((year_from && v.year < *year_from) || (year_to && v.year > *year_to)) continue;
    CountryCode from = kUnknownCountry;
    if (v.citizenship->kind == CitizenshipKind::nationals)
      from = v.country;
    else if (v.citizenship->kind == CitizenshipKind::country)
      from = v.citizenship->country;
    else
      continue;
    sums[{from, v.country}] += v.value;
  }
  std::vector<GlotipCorridor> out;
  out.reserve(sums.size());
  for (const auto& [key, c] : sums) out.push_back({key.first, key.second, c});
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.count.hi > b.count.hi; });
  return out;
}

}  // namespace ctip::flows
