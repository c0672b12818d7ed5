// A stand-in for the ingest and normalisation stage (src/online), for the linking engine's tests
// and benchmark ONLY: lower-case ASCII words split on anything else; phones as runs of 10 digits
// across short separators (spaces, dots, dashes, stars, brackets), where number words ("five")
// and circled digits ("⑤") count as digits; first person by pronoun counts; a handful
// of indicator phrases. The real stage (ICU, libphonenumber, the versioned lexicon) replaces it.
#pragma once

#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "online/linking/features.h"

namespace ctip::online::linking::testing {

inline std::vector<std::string> stand_in_tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += ch;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// The digit a number word stands for, or -1.
inline int number_word(std::string_view w) {
  static constexpr std::array<std::string_view, 10> words{"zero", "one", "two",   "three", "four",
                                                          "five", "six", "seven", "eight", "nine"};
  for (size_t d = 0; d < words.size(); ++d)
    if (w == words[d]) return static_cast<int>(d);
  if (w == "oh") return 0;
  return -1;
}

// Phones in E.164 form, assuming North American numbers: runs of digits (number words and
// circled digits count) with at most two separator characters between digits (so "555-0101"
// and "(305) 973" join but "24 . 150" does not), kept when 10 digits long, 11 with a leading 1,
// or a multiple of 10 (numbers written one after the other).
inline std::vector<std::string> stand_in_phones(std::string_view text) {
  std::vector<std::string> out;
  std::string digits;
  int gap = 0;  // separator characters since the last digit
  auto add = [&](std::string d) {
    if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
    std::string phone = "+1" + d;
    for (const auto& p : out)
      if (p == phone) return;
    out.push_back(std::move(phone));
  };
  auto flush = [&] {
    if (digits.size() == 10 || (digits.size() == 11 && digits[0] == '1')) {
      add(digits);
    } else if (digits.size() >= 20 && digits.size() % 10 == 0) {
      for (size_t at = 0; at + 10 <= digits.size(); at += 10) add(digits.substr(at, 10));
    }
    digits.clear();
    gap = 0;
  };
  auto digit = [&](char d) {
    if (gap > 2) flush();
    digits += d;
    gap = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      digit(static_cast<char>(c));
      ++i;
    } else if (c == ' ' || c == '.' || c == '-' || c == '*' || c == '(' || c == ')' || c == '/') {
      ++gap;
      ++i;
    } else if (c == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x91 &&
               static_cast<unsigned char>(text[i + 2]) >= 0xA0 &&
               static_cast<unsigned char>(text[i + 2]) <= 0xA8) {
      // U+2460..U+2468: circled digits one to nine.
      digit(static_cast<char>('1' + (static_cast<unsigned char>(text[i + 2]) - 0xA0)));
      i += 3;
    } else if (c == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x93 &&
               static_cast<unsigned char>(text[i + 2]) == 0xAA) {
      digit('0');  // U+24EA: circled digit zero
      i += 3;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = i;
      std::string w;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j])))
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j++])));
      const int d = number_word(w);
      if (d >= 0) {
        digit(static_cast<char>('0' + d));
      } else {
        flush();
      }
      i = j;
    } else {
      flush();
      ++i;
    }
  }
  flush();
  return out;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// "2026-03-01T12:34:56Z" or unix seconds; 0 when neither.
inline int64_t stand_in_time(std::string_view s) {
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-' && s[10] == 'T') {
    auto num = [&](size_t at, size_t len) {
      int64_t v = 0;
      for (size_t k = at; k < at + len; ++k) v = v * 10 + (s[k] - '0');
      return v;
    };
    return days_from_civil(num(0, 4), static_cast<unsigned>(num(5, 2)),
                           static_cast<unsigned>(num(8, 2))) *
               86400 +
           num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
  }
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

inline AdFeatures stand_in_features(std::string id, std::string_view title, std::string_view body,
                                    std::string_view posted_at, std::string_view city,
                                    std::string_view site, std::string_view phone_column) {
  AdFeatures ad;
  ad.id = std::move(id);
  std::string text;
  text.reserve(title.size() + body.size() + 1);
  text += title;
  text += ' ';
  text += body;
  ad.tokens = stand_in_tokens(text);
  for (auto& p : stand_in_phones(phone_column)) ad.selectors.push_back({SelectorKind::phone, p});
  for (auto& p : stand_in_phones(text)) {
    bool seen = false;
    for (const auto& s : ad.selectors) seen |= s.value == p;
    if (!seen) ad.selectors.push_back({SelectorKind::phone, std::move(p)});
  }
  ad.city = std::string(city);
  ad.site = std::string(site);
  ad.posted_at = stand_in_time(posted_at);
  int first = 0, third = 0;
  for (size_t i = 0; i < ad.tokens.size(); ++i) {
    const auto& t = ad.tokens[i];
    first += t == "i" || t == "me" || t == "my" || t == "im";
    third += t == "she" || t == "her" || t == "they" || t == "we" || t == "our" || t == "girls";
    const std::string_view next =
        i + 1 < ad.tokens.size() ? std::string_view(ad.tokens[i + 1]) : "";
    const std::string_view after =
        i + 2 < ad.tokens.size() ? std::string_view(ad.tokens[i + 2]) : "";
    auto hit = [&](const char* indicator, double weight) {
      ad.indicators.emplace_back(indicator);
      ad.indicator_weight += weight;
    };
    if (t == "new" && next == "in" && after == "town") hit("movement.new_in_town", 0.5);
    if (t == "just" && next == "arrived") hit("movement.just_arrived", 0.5);
    if (t == "24" && next == "7") hit("availability.24_7", 0.3);
    if (t == "young" || t == "fresh") hit("youth.young", 0.7);
    if (t == "new" && next == "girls") hit("multiple.new_girls", 0.6);
  }
  ad.first_person = first > third;
  return ad;
}

}  // namespace ctip::online::linking::testing
