// Number formatting for the explanations (internal to src/flows/stats).
#pragma once

#include <cstdint>
#include <string>

namespace ctip::flows::stats::wording {

// 3120 -> "3,120".
std::string grouped(int64_t value);
// 0.41 -> "41%"; below 10% one decimal ("0.4%").
std::string percent(double fraction);
// A ratio with two significant digits: 1.93 -> "1.9", 0.504 -> "0.50", 12.4 -> "12";
// infinity -> "∞".
std::string ratio(double value);
// "q < 0.001", "q = 0.012", "q = 0.41".
std::string q_value(double q);

}  // namespace ctip::flows::stats::wording
