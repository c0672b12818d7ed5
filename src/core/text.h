// Small text helpers shared by the capabilities.
#pragma once

#include <string>
#include <string_view>

namespace ctip::core {

// "a, b, c": the items of a list for an error message or help text ("must be one of: ...").
std::string joined(const auto& list, std::string_view separator = ", ") {
  std::string out;
  for (std::string_view s : list) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
}

}  // namespace ctip::core
