#include "store/sql_placeholders.h"

#include "core/error.h"

namespace ctip::store::detail {

std::string numbered_placeholders(std::string_view sql, size_t expected) {
  std::string out;
  out.reserve(sql.size() + 16);
  size_t n = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (ch == '\'' || ch == '"') {
      // Copy the literal or identifier to its closing quote; a doubled quote is part of it.
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == ch) {
          if (end + 1 < sql.size() && sql[end + 1] == ch) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      out.append(sql.substr(i, end + 1 - i));
      i = end;
    } else if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (ch == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (ch == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += ch;
    }
  }
  if (n != expected)
    throw Error(ErrorCode::internal, "statement expects " + std::to_string(n) +
                                         " parameters, got " + std::to_string(expected));
  return out;
}

}  // namespace ctip::store::detail
