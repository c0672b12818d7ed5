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

// An ASCII letter in lower case; every other byte as it is (UTF-8 sequences untouched).
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline std::string ascii_lower(std::string s) {
  for (auto& c : s) c = ascii_lower(c);
  return s;
}

// Whether two ASCII strings are equal ignoring case (header names, CSV column names).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// `s` without the spaces and tabs at its ends.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace ctip::core
