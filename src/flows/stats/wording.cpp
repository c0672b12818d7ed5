#include "flows/stats/wording.h"

#include <cmath>
#include <cstdio>

namespace ctip::flows::stats::wording {
namespace {

std::string printed(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace

std::string grouped(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string percent(double fraction) {
  const double p = fraction * 100;
  if (p > 0 && p < 9.95) return printed("%.1f%%", p);
  return printed("%.0f%%", p);
}

std::string ratio(double value) {
  if (std::isinf(value)) return "∞";
  if (std::isnan(value)) return "not estimable";
  if (value >= 9.95) return printed("%.0f", value);
  if (value >= 0.995) return printed("%.1f", value);
  if (value >= 0.0995) return printed("%.2f", value);
  return printed("%.2g", value);
}

std::string q_value(double q) {
  if (q < 0.001) return "q < 0.001";
  if (q < 0.0095) return printed("q = %.3f", q);
  return printed("q = %.2f", q);
}

}  // namespace ctip::flows::stats::wording
