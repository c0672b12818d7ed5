#include "flows/aggregate.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>

#include "core/error.h"
#include "flows/import.h"

namespace ctip::flows {
namespace {

// A filter compiled against one table: the region as a set of countries, the source as an index.
class Selection {
 public:
  Selection(const RecordTable& t, const Filter& f) : t_(t), f_(f) {
    if (f.region) region_ = countries_in_region(*f.region);
    if (f.source) {
      const auto& s = t.sources();
      auto it = std::find(s.begin(), s.end(), *f.source);
      source_ = it == s.end() ? -1 : static_cast<int>(it - s.begin());  // -1: keeps nothing
    }
    check_years_ = f.year_from || f.year_to;
    from_ = f.year_from.value_or(-32768);
    to_ = f.year_to.value_or(32767);
    if (f.year_from && f.year_to && *f.year_from > *f.year_to)
      invalid("from", "the year range is empty: from " + std::to_string(*f.year_from) +
                          " is after to " + std::to_string(*f.year_to));
  }

  bool keeps(size_t i) const {
    if (check_years_) {
      int y = t_.year[i];
      if (y == 0 || y < from_ || y > to_) return false;
    }
    if (f_.sex && t_.sex[i] != *f_.sex) return false;
    if (f_.age) {
      AgeGroup a = t_.age[i];
      if (*f_.age == AgeGroup::minor) {
        if (!is_minor(a)) return false;
      } else if (*f_.age == AgeGroup::adult) {
        if (a == AgeGroup::unknown || is_minor(a)) return false;
      } else if (a != *f_.age) {
        return false;
      }
    }
    if (f_.source && static_cast<int>(t_.source[i]) != source_) return false;
    if (f_.country && t_.citizenship[i] != *f_.country && t_.exploitation[i] != *f_.country)
      return false;
    if (f_.region && !region_.test(t_.citizenship[i]) && !region_.test(t_.exploitation[i]))
      return false;
    return true;
  }

 private:
  const RecordTable& t_;
  const Filter& f_;
  CountrySet region_;
  int source_ = 0;
  bool check_years_ = false;
  int from_ = 0, to_ = 0;
};

// Years as array slots: the importers keep years within [kFirstYear, kLastYear].
constexpr size_t kYears = kLastYear - kFirstYear + 1;
size_t year_slot(int year) {
  return year < kFirstYear ? SIZE_MAX : static_cast<size_t>(year - kFirstYear);
}

}  // namespace

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
  uint32_t informative = ~not_specified_mask(group);
  std::vector<CategoryYear> years(kYears);
  for (size_t i = 0; i < table.size(); ++i) {
    if (!sel.keeps(i)) continue;
    ++out.records;
    int y = table.year[i];
    size_t slot = year_slot(y);
    if (y == 0 || slot >= years.size()) {
      ++out.unknown_year;
      ++out.unknown;
      continue;
    }
    auto& row = years[slot];
    row.year = y;
    if (row.counts.empty()) row.counts.assign(cats.size(), 0);
    ++row.records;
    uint32_t m = masks[i];
    if ((m & informative) == 0) {
      ++row.unknown;
      ++out.unknown;
      continue;
    }
    ++row.known;
    while (m) {
      int bit = __builtin_ctz(m);
      ++row.counts[static_cast<size_t>(bit)];
      m &= m - 1;
    }
  }
  for (auto& row : years)
    if (row.records > 0) out.years.push_back(std::move(row));
  return out;
}

}  // namespace ctip::flows
