#include "cases/services/dashboard.h"

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace ctip::cases::services {

Json count_cell(int64_t n, int64_t k) {
  if (n > 0 && n < k) return {{"count", nullptr}, {"suppressed", true}};
  return {{"count", n}};
}

Json ratio(double value, double baseline) {
  if (baseline == 0) return nullptr;
  return value / baseline;
}

std::optional<int64_t> histogram_median(const std::map<int64_t, int64_t>& h) {
  int64_t total = 0;
  for (const auto& [v, n] : h) total += n;
  if (total == 0) return std::nullopt;
  int64_t middle = (total + 1) / 2, seen = 0;
  for (const auto& [v, n] : h) {
    seen += n;
    if (seen >= middle) return v;
  }
  return std::nullopt;
}

int64_t histogram_above(const std::map<int64_t, int64_t>& h, int64_t limit) {
  int64_t n = 0;
  for (auto it = h.upper_bound(limit); it != h.end(); ++it) n += it->second;
  return n;
}

std::optional<int64_t> day_number(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t at, size_t len) -> std::optional<int> {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, v);
    if (ec != std::errc() || p != s.data() + at + len) return std::nullopt;
    return v;
  };
  auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  // Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
  int yy = *y - (*m <= 2 ? 1 : 0);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (*m + (*m > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + doe - 719468;
}

std::string civil_date(int64_t days) {
  // Howard Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

}  // namespace ctip::cases::services
