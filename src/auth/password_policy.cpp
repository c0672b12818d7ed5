#include "auth/password_policy.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

#include "core/embedded.h"
#include "core/error.h"

// Defined by the source ctip_embed generates for ctip_auth (src/auth/CMakeLists.txt).
namespace ctip::embedded {
const std::vector<File>& common_passwords();  // data/passwords/common.txt
}  // namespace ctip::embedded

namespace ctip::auth {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// data/passwords/common.txt, compiled into the binary (src/auth/CMakeLists.txt).
const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> list = [] {
    std::unordered_set<std::string> out;
    for (const auto& f : embedded::common_passwords()) {
      std::string_view text = f.contents;
      while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) out.insert(lower(line));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
      }
    }
    if (out.empty()) throw Error(ErrorCode::internal, "common-password list missing from binary");
    return out;
  }();
  return list;
}

size_t code_points(std::string_view s) {
  // UTF-8: count the bytes that do not continue a sequence.
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

// The whole password a repetition of a unit of at most 3 bytes (`aaaa`, `abab`, `123123`).
bool repetitive(std::string_view s) {
  for (size_t unit = 1; unit <= 3 && unit < s.size(); ++unit) {
    bool repeats = true;
    for (size_t i = unit; i < s.size() && repeats; ++i) repeats = s[i] == s[i - unit];
    if (repeats) return true;
  }
  return false;
}

// Each character one after the previous, or one before it, all along (`123456789012`, `zyxw`);
// `9` is followed by `0`.
bool sequential(std::string_view s) {
  auto next = [](char a, char b, int step) {
    if (std::isdigit(static_cast<unsigned char>(a)) && std::isdigit(static_cast<unsigned char>(b)))
      return (a - '0' + step + 10) % 10 == b - '0';
    return a + step == b;
  };
  for (int step : {1, -1}) {
    bool all = true;
    for (size_t i = 1; i < s.size() && all; ++i) all = next(s[i - 1], s[i], step);
    if (all) return true;
  }
  return false;
}

bool is_affix(char ch) { return !std::isalpha(static_cast<unsigned char>(ch)); }

}  // namespace

bool is_common_password(std::string_view password) {
  const auto& list = common_passwords();
  const std::string p = lower(password);
  if (list.contains(p)) return true;
  // A listed word with digits or symbols before or after it: `password1234`, `!!qwerty2026`.
  size_t b = 0, e = p.size();
  while (b < e && is_affix(p[b])) ++b;
  while (e > b && is_affix(p[e - 1])) --e;
  const std::string core = p.substr(b, e - b);
  if (core.size() >= 3 && list.contains(core)) return true;
  // A listed word repeated: `monkeymonkey`.
  for (size_t unit = 3; unit * 2 <= core.size(); ++unit) {
    if (core.size() % unit != 0) continue;
    bool repeats = true;
    for (size_t i = unit; i < core.size() && repeats; ++i) repeats = core[i] == core[i - unit];
    if (repeats && list.contains(core.substr(0, unit))) return true;
  }
  return false;
}

void check_password_policy(std::string_view password, std::string_view username) {
  if (password.size() > kMaxPasswordBytes)
    invalid("password", "password must be at most 1024 bytes");
  if (code_points(password) < kMinPasswordChars)
    invalid("password", "password must be at least 12 characters (a few words make a good one)");
  if (std::all_of(password.begin(), password.end(),
                  [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); }))
    invalid("password", "password must not be only spaces");
  const std::string p = lower(password);
  if (repetitive(p) || sequential(p))
    invalid("password", "password must not be repeated or sequential characters");
  if (!username.empty() && p.find(lower(username)) != std::string::npos)
    invalid("password", "password must not contain the username");
  if (is_common_password(password))
    invalid("password", "password is too common (it is on a list of common passwords)");
}

}  // namespace ctip::auth
