#include "flows/aggregate.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "flows/import.h"
#include "flows/selection.h"

namespace ctip::flows {
namespace {

// Years as array slots: the importers keep years within [kFirstYear, kLastYear].
constexpr size_t kYears = kLastYear - kFirstYear + 1;
size_t year_slot(int year) {
  return year < kFirstYear ? SIZE_MAX : static_cast<size_t>(year - kFirstYear);
}

int parse_year(const std::string& text, const char* field) {
  int y = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), y);
  if (ec != std::errc() || end != text.data() + text.size())
    invalid(field, std::string(field) + " must be a year such as 2019, not \"" + text + "\"");
  if (y < kFirstYear || y > kLastYear)
    invalid(field, std::string(field) + ": " + text + " is not a year of case records (" +
                       std::to_string(kFirstYear) + "-" + std::to_string(kLastYear) + ")");
  return y;
}

}  // namespace

Filter parse_filter(const FilterText& a) {
  Filter f;
  if (!a.from.empty()) f.year_from = parse_year(a.from, "from");
  if (!a.to.empty()) f.year_to = parse_year(a.to, "to");
  if (f.year_from && f.year_to && *f.year_from > *f.year_to)
    invalid("from", "the year range is empty: from " + a.from + " is after to " + a.to);
  if (!a.country.empty()) {
    auto c = country_code(a.country);
    if (!c) invalid("country", "\"" + a.country + "\" is not an ISO 3166 alpha-2 or alpha-3 code");
    f.country = c;
  }
  if (!a.region.empty()) {
    countries_in_region(a.region);  // throws, naming the regions, for an unknown name
    f.region = a.region;
  }
  if (!a.source.empty()) f.source = a.source;
  if (!a.sex.empty()) {
    f.sex = parse_sex(a.sex);
    if (!f.sex) invalid("sex", "sex is one of unknown, female, male, transgender");
  }
  if (!a.age.empty()) {
    f.age = parse_age_group(a.age);
    if (!f.age)
      invalid("age",
              "age is one of 0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+, "
              "minor, adult, unknown");
  }
  return f;
}

Json to_json(const FilterText& a) {
  Json j = Json::object();
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put("from", a.from);
  put("to", a.to);
  put("country", a.country);
  put("region", a.region);
  put("source", a.source);
  put("sex", a.sex);
  put("age", a.age);
  return j;
}

CorridorMatrix corridors(const RecordTable& table, const Filter& filter) {
  Selection sel(table, filter);
  CorridorMatrix out;
  // Countries met get a dense index so that the matrix is a flat array (about 250 x 250).
  std::vector<uint16_t> dense(kCountryCodes, 0);
  std::vector<CountryCode> codes{kUnknownCountry};
  auto index = [&](CountryCode c) {
    if (dense[c] == 0) {
      dense[c] = static_cast<uint16_t>(codes.size());
      codes.push_back(c);
    }
    return dense[c];
  };
  std::map<uint32_t, uint64_t> sparse;  // used only if more countries appear than the array holds
  constexpr size_t kSide = 300;
  std::vector<uint64_t> matrix(kSide * kSide, 0);
  for (size_t i = 0; i < table.size(); ++i) {
    if (!sel.keeps(i)) continue;
    ++out.records;
    CountryCode c = table.citizenship[i], e = table.exploitation[i];
    if (c == kUnknownCountry || e == kUnknownCountry) {
      ++out.unknown;
      out.unknown_citizenship += c == kUnknownCountry;
      out.unknown_exploitation += e == kUnknownCountry;
      continue;
    }
    size_t a = index(c), b = index(e);
    if (a < kSide && b < kSide)
      ++matrix[a * kSide + b];
    else
      ++sparse[(uint32_t(c) << 16) | e];
  }
  for (size_t a = 1; a < std::min(codes.size(), kSide); ++a)
    for (size_t b = 1; b < std::min(codes.size(), kSide); ++b)
      if (auto n = matrix[a * kSide + b]) out.corridors.push_back({codes[a], codes[b], n});
  for (auto [key, n] : sparse)
    out.corridors.push_back({CountryCode(key >> 16), CountryCode(key & 0xFFFF), n});
  std::sort(out.corridors.begin(), out.corridors.end(), [](const auto& x, const auto& y) {
    if (x.count != y.count) return x.count > y.count;
    if (x.citizenship != y.citizenship) return x.citizenship < y.citizenship;
    return x.exploitation < y.exploitation;
  });
  return out;
}

DomesticShares domestic_share(const RecordTable& table, DomesticBy by, const Filter& filter) {
  Selection sel(table, filter);
  DomesticShares out;
  out.by = by;
  // Dense rows: by year (offset from kFirstYear) or by country code; no map lookup per record.
  std::vector<DomesticShareRow> dense(by == DomesticBy::year ? kYears : kCountryCodes);
  std::vector<bool> used(dense.size(), false);
  for (size_t i = 0; i < table.size(); ++i) {
    if (!sel.keeps(i)) continue;
    ++out.records;
    CountryCode c = table.citizenship[i], e = table.exploitation[i];
    int key = by == DomesticBy::year ? table.year[i] : e;
    size_t slot = by == DomesticBy::year ? year_slot(key) : static_cast<size_t>(key);
    if (key == 0 || slot >= dense.size()) {
      ++out.unknown;
      continue;
    }
    auto& row = dense[slot];
    used[slot] = true;
    if (c == kUnknownCountry || e == kUnknownCountry) {
      ++row.unknown;
      ++out.unknown;
      continue;
    }
    ++row.total_known;
    row.domestic += c == e;
  }
  for (size_t slot = 0; slot < dense.size(); ++slot) {
    if (!used[slot]) continue;
    auto& row = dense[slot];
    if (by == DomesticBy::year)
      row.year = kFirstYear + static_cast<int>(slot);
    else
      row.country = static_cast<CountryCode>(slot);
    row.share = row.total_known ? double(row.domestic) / double(row.total_known) : 0.0;
    out.rows.push_back(row);
  }
  return out;
}

CategoriesByYear categories_by_year(const RecordTable& table, FlagGroup group,
                                    const Filter& filter) {
  Selection sel(table, filter);
  CategoriesByYear out;
  out.group = group;
  auto cats = categories(group);
  out.categories.assign(cats.begin(), cats.end());
  const auto& masks = table.flags[static_cast<size_t>(group)];
  const uint32_t informative = ~not_specified_mask(group);
  // Per year, a histogram of each byte of the masks: a record costs one increment per byte and
  // no branch per flag (a loop over the set bits mispredicts on most records); the counts per
  // category are summed from the histograms at the end. A record without information in the
  // group counts as mask 0, which is no category.
  const size_t bytes = (cats.size() + 7) / 8;
  std::vector<uint64_t> records(kYears, 0), unknown(kYears, 0);
  std::vector<uint64_t> histogram(kYears * bytes * 256, 0);
  for (size_t i = 0; i < table.size(); ++i) {
    if (!sel.keeps(i)) continue;
    ++out.records;
    int y = table.year[i];
    size_t slot = year_slot(y);
    if (y == 0 || slot >= kYears) {
      ++out.unknown_year;
      ++out.unknown;
      continue;
    }
    ++records[slot];
    uint32_t m = masks[i];
    const bool known = (m & informative) != 0;
    unknown[slot] += !known;
    m &= 0u - static_cast<uint32_t>(known);
    uint64_t* h = histogram.data() + slot * bytes * 256;
    for (size_t b = 0; b < bytes; ++b) ++h[b * 256 + ((m >> (8 * b)) & 0xFF)];
  }
  for (size_t slot = 0; slot < kYears; ++slot) {
    if (records[slot] == 0) continue;
    CategoryYear row;
    row.year = kFirstYear + static_cast<int>(slot);
    row.records = records[slot];
    row.unknown = unknown[slot];
    row.known = records[slot] - unknown[slot];
    out.unknown += unknown[slot];
    row.counts.assign(cats.size(), 0);
    const uint64_t* h = histogram.data() + slot * bytes * 256;
    for (size_t c = 0; c < cats.size(); ++c) {
      const size_t b = c / 8;
      const unsigned bit = c % 8;
      uint64_t n = 0;
      for (unsigned v = 0; v < 256; ++v)
        if (v & (1u << bit)) n += h[b * 256 + v];
      row.counts[c] = n;
    }
    out.years.push_back(std::move(row));
  }
  return out;
}

}  // namespace ctip::flows
