#include "online/selectors.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <set>
#include <unordered_set>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/country.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/text.h"

namespace ctip::online {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Character classes by table: the scanners below look at every byte of every ad.
enum : uint8_t { kLowerAlnum = 1, kAlnum = 2, kDomain = 4 };
constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool upper = c >= 'A' && c <= 'Z';
    t[c] = static_cast<uint8_t>((lower ? kLowerAlnum : 0) | (lower || upper ? kAlnum : 0) |
                                (lower || c == '-' || c == '.' ? kDomain : 0));
  }
  return t;
}();
bool is_lower_alnum(char c) { return kClass[static_cast<unsigned char>(c)] & kLowerAlnum; }
bool is_alnum(char c) { return kClass[static_cast<unsigned char>(c)] & kAlnum; }
std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = core::ascii_lower(c);
  return out;
}

// --- phones ---

struct ParsedPhone {
  std::string e164;
  std::optional<bool> valid;
};

// libphonenumber's answer, the slow path (some 17 us per Parse on this machine).
std::optional<ParsedPhone> parse_with_library(std::string_view digits, bool plus,
                                              std::string_view region, bool validate) {
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  std::string in = plus ? "+" + std::string(digits) : std::string(digits);
  if (util->Parse(in, std::string(region), &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::nullopt;
  // IS_POSSIBLE_LOCAL_ONLY (a US number without its area code) names no one number.
  if (util->IsPossibleNumberWithReason(number) != PhoneNumberUtil::IS_POSSIBLE) return std::nullopt;
  ParsedPhone p;
  util->Format(number, PhoneNumberUtil::E164, &p.e164);
  if (validate) p.valid = util->IsValidNumber(number);
  return p;
}

bool nanp_region(std::string_view region) {
  // Asked for every digit run: an ad's region is most often the last one asked about.
  thread_local std::string last_region;
  thread_local bool last_nanp = false;
  if (region == last_region) return last_nanp;  // "" is no region: false
  thread_local std::unordered_map<std::string, bool> known;
  auto it = known.find(std::string(region));
  if (it == known.end())
    it = known
             .emplace(std::string(region), PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(
                                               std::string(region)) == 1)
             .first;
  last_region.assign(region);
  last_nanp = it->second;
  return last_nanp;
}

// The North American Numbering Plan (country code 1: US, CA and 23 other regions) has one length,
// 10 digits, so libphonenumber's Parse + IsPossible + Format reduce to this for the numbers that
// start with an area code [2-9] (FCC/NANPA: area codes never start with 0 or 1): 10 digits, or
// 11 with the trunk or country prefix 1. Everything else takes the library's path. The test
// Phones.TheNanpFastPathAgreesWithLibphonenumber checks the two agree.
std::optional<std::string> nanp_fast_path(std::string_view digits, bool plus,
                                          std::string_view region) {
  std::string_view national;
  if (digits.size() == 11 && digits[0] == '1' && (plus || nanp_region(region)))
    national = digits.substr(1);
  else if (digits.size() == 10 && !plus && nanp_region(region))
    national = digits;
  else
    return std::nullopt;
  if (national[0] < '2') return std::nullopt;
  return "+1" + std::string(national);
}

// Runs without '+' that name no number in the NANP (libphonenumber's metadata for country code
// 1: 10 national digits, 7 local only): 7 digits are a number without its area code
// (IS_POSSIBLE_LOCAL_ONLY, which names no one number), 8 and 9 are too short, 11 or more are
// too long unless they start with 1 (the country code or trunk prefix, which the library strips:
// "11" + 10 digits is a number). Runs starting with 0 are left to the library (011 is the NANP's
// international prefix), as are 10 digits (the fast path above takes those it can). Ads are full
// of such runs ("24-7 713 555 0123", prices and ages next to digits), each a library call of
// some 17 us when unseen. The test Phones.TheNanpFastPathAgreesWithLibphonenumber checks this
// against the library.
bool nanp_impossible(std::string_view digits, bool plus, std::string_view region) {
  if (plus || digits.size() < 7 || digits[0] == '0') return false;
  const size_t n = digits.size();
  const bool impossible = n <= 9 || (n >= 11 && digits[0] != '1');
  return impossible && nanp_region(region);
}

std::optional<ParsedPhone> parse_phone(std::string_view digits, bool plus, std::string_view region,
                                       bool validate) {
  if (nanp_impossible(digits, plus, region)) return std::nullopt;
  // The fast path costs less than a look-up in the memo.
  if (!validate)
    if (auto fast = nanp_fast_path(digits, plus, region)) return ParsedPhone{*fast, std::nullopt};
  // Numbers repeat across a corpus (a network posts hundreds of ads with one number): a bounded
  // per-thread memo of the library's answers.
  thread_local std::unordered_map<std::string, std::optional<ParsedPhone>> memo;
  std::string key;
  key.reserve(region.size() + digits.size() + 3);
  key.append(region).append(plus ? "+" : "|").append(digits).append(validate ? "v" : "");
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  std::optional<ParsedPhone> p = parse_with_library(digits, plus, region, validate);
  if (memo.size() >= (1u << 16)) memo.clear();
  memo.emplace(std::move(key), p);
  return p;
}

void phones_from_run(const DigitRun& run, std::string_view region, SelectorSource source,
                     bool validate, std::vector<Selector>& out) {
  auto emit = [&](const ParsedPhone& p, uint32_t b, uint32_t e) {
    Selector s;
    s.kind = SelectorKind::phone;
    s.value = p.e164;
    s.source = source;
    s.begin = b, s.end = e;
    s.obfuscated = run.obfuscated;
    s.valid = p.valid;
    out.push_back(std::move(s));
  };
  if (run.digits.size() >= 7 && run.digits.size() <= 15) {
    if (auto p = parse_phone(run.digits, run.plus, region, validate)) {
      emit(*p, run.begin, run.end);
      return;
    }
  }
  // Several numbers side by side ("555 123 4567 555 987 6543"), or a number after other digits:
  // windows of whole groups, the longest possible one first, valid before merely possible.
  const auto& g = run.groups;
  if (g.size() < 2) return;
  size_t i = 0;
  while (i < g.size()) {
    bool found = false;
    for (int pass = 0; pass < 2 && !found; ++pass) {
      for (size_t j = g.size(); j > i + 0 && !found; --j) {
        size_t from = g[i].first_digit;
        size_t to = j < g.size() ? g[j].first_digit : run.digits.size();
        if (to - from < 7 || to - from > 15) continue;
        auto p = parse_phone(std::string_view(run.digits).substr(from, to - from),
                             run.plus && i == 0, region, validate);
        // Valid before merely possible; without validation, the first possible window.
        if (p && (p->valid.value_or(true) || pass == 1)) {
          emit(*p, g[i].begin, g[j - 1].end);
          i = j;
          found = true;
        }
      }
    }
    if (!found) ++i;
  }
}

// --- e-mail, handles, URLs (on the normalised text) ---

bool email_local_char(char c) {
  return is_lower_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool domain_char(char c) { return kClass[static_cast<unsigned char>(c)] & kDomain; }

// The domain at s[i..): labels of [a-z0-9-] joined by dots, ending in a top-level label of 2 or
// more letters. Returns its end, or i when there is none.
size_t domain_end(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && domain_char(s[j])) ++j;
  while (j > i && (s[j - 1] == '.' || s[j - 1] == '-')) --j;
  std::string_view d = s.substr(i, j - i);
  size_t dot = d.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return i;
  std::string_view tld = d.substr(dot + 1);
  if (tld.size() < 2 ||
      !std::all_of(tld.begin(), tld.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return i;
  if (d.find("..") != std::string_view::npos) return i;
  return j;
}

void add_span(std::vector<Selector>& out, SelectorKind kind, std::string value,
              const NormalizedText& n, size_t nb, size_t ne, SelectorSource source) {
  Selector s;
  s.kind = kind;
  s.value = std::move(value);
  s.source = source;
  auto [b, e] = n.original_span(static_cast<uint32_t>(nb), static_cast<uint32_t>(ne));
  s.begin = b, s.end = e;
  out.push_back(std::move(s));
}

bool known_tld(std::string_view tld);
bool overlaps(const std::vector<std::pair<size_t, size_t>>& taken, size_t b, size_t e);

// Whether a gap between tokens holds only spaces and brackets: "name (at) gmail [dot] com".
bool bracket_gap(std::string_view gap) {
  return gap.size() <= 6 && std::all_of(gap.begin(), gap.end(), [](char c) {
           return c == ' ' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}';
         });
}

// Addresses spelled out to escape filters: "candy.doll at gmail dot com", "bella (at) yahoo
// (dot) com", "lola [arroba] hotmail [punto] es", "name at gmail.com". The top-level domain must
// be a known one ("meet me at home dot" is no address).
void spelled_emails(const NormalizedText& n, SelectorSource source, std::vector<Selector>& out,
                    std::vector<std::pair<size_t, size_t>>& taken) {
  std::string_view s = n.text;
  const auto& t = n.tokens;
  auto gap = [&](size_t a, size_t b) {
    return s.substr(t[a].norm_end, t[b].norm_begin - t[a].norm_end);
  };
  auto text = [&](size_t k) { return n.token_text(t[k]); };
  auto plain = [&](std::string_view w) {
    return std::all_of(w.begin(), w.end(), email_local_char);
  };
  for (size_t k = 1; k + 2 < t.size(); ++k) {
    const std::string_view word = text(k);
    const bool at = word.size() == 2 && word[0] == 'a' && word[1] == 't';
    if (!at && (word.size() != 6 || word != "arroba")) continue;
    if (!bracket_gap(gap(k - 1, k)) || !bracket_gap(gap(k, k + 1))) continue;
    // The domain: label, then "dot"/"punto" or '.', then the top-level domain.
    size_t label = k + 1, tld = 0;
    std::string_view after = gap(label, label + 1);
    if (after.find('.') != std::string_view::npos &&
        bracket_gap(std::string(after).erase(after.find('.'), 1))) {
      tld = label + 1;
    } else if (label + 2 < t.size() && bracket_gap(after) &&
               (text(label + 1) == "dot" || text(label + 1) == "punto") &&
               bracket_gap(gap(label + 1, label + 2))) {
      tld = label + 2;
    } else {
      continue;
    }
    if (!plain(text(label)) || !known_tld(text(tld))) continue;
    // The local part: the token before "at", and those joined to it by '.', '_', '-' or '+'.
    size_t first = k - 1;
    while (first > 0) {
      std::string_view g = gap(first - 1, first);
      if (g.size() != 1 || std::string_view("._-+").find(g[0]) == std::string_view::npos) break;
      --first;
    }
    std::string_view local = s.substr(t[first].norm_begin, t[k - 1].norm_end - t[first].norm_begin);
    if (local.empty() || !plain(local)) continue;
    size_t b = t[first].norm_begin, e = t[tld].norm_end;
    if (overlaps(taken, b, e)) continue;
    std::string value =
        std::string(local) + "@" + std::string(text(label)) + "." + std::string(text(tld));
    add_span(out, SelectorKind::email, std::move(value), n, b, e, source);
    out.back().obfuscated = true;
    taken.emplace_back(b, e);
  }
}

void emails(const NormalizedText& n, SelectorSource source, std::vector<Selector>& out,
            std::vector<std::pair<size_t, size_t>>& taken) {
  std::string_view s = n.text;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    size_t b = at;
    while (b > 0 && email_local_char(s[b - 1])) --b;
    while (b < at && (s[b] == '.' || s[b] == '-')) ++b;
    if (b == at) continue;
    size_t e = domain_end(s, at + 1);
    if (e == at + 1) continue;
    add_span(out, SelectorKind::email, std::string(s.substr(b, e - b)), n, b, e, source);
    taken.emplace_back(b, e);
  }
  spelled_emails(n, source, out, taken);
}

bool overlaps(const std::vector<std::pair<size_t, size_t>>& taken, size_t b, size_t e) {
  for (auto [tb, te] : taken)
    if (b < te && tb < e) return true;
  return false;
}

// Handle name characters (Instagram, Snapchat, Telegram, Twitter allow letters, digits, '_', '.').
size_t handle_end(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && j - i < 32 && (is_lower_alnum(s[j]) || s[j] == '_' || s[j] == '.')) ++j;
  while (j > i && s[j - 1] == '.') --j;
  return j;
}

struct Platform {
  std::string_view word;
  std::string_view name;
  bool full;  // the full name: "snapchat name2" needs no ':' when the name looks like a handle
};
constexpr Platform kPlatforms[] = {
    {"instagram", "instagram", true},
    {"insta", "instagram", false},
    {"ig", "instagram", false},
    {"snapchat", "snapchat", true},
    {"snap", "snapchat", false},
    {"sc", "snapchat", false},
    {"telegram", "telegram", true},
    {"tg", "telegram", false},
    {"kik", "kik", true},
    {"twitter", "twitter", true},
    {"onlyfans", "onlyfans", true},
    {"of", "onlyfans", false},
    {"tiktok", "tiktok", true},
    {"wechat", "wechat", true},
    {"facebook", "facebook", true},
    {"fb", "facebook", false},
    {"skype", "skype", true},
};

// Words after "snap:" that are not names ("snap: me", "kik or text").
bool is_stop_name(std::string_view w) {
  static constexpr std::string_view kStop[] = {
      "me",  "us", "only",   "or", "and",       "for", "at", "is", "my",   "mi",   "the",
      "add", "dm", "please", "to", "available", "y",   "o",  "ok", "here", "text", "call"};
  return std::find(std::begin(kStop), std::end(kStop), w) != std::end(kStop);
}

void handles(const NormalizedText& n, SelectorSource source, std::vector<Selector>& out,
             const std::vector<std::pair<size_t, size_t>>& taken) {
  std::string_view s = n.text;
  std::set<size_t> done;  // name starts already reported
  // "insta: name", "snap - name", "telegram @name", "snapchat name_22".
  for (const Token& t : n.tokens) {
    if (t.kind != TokenKind::word) continue;
    std::string_view w = n.token_text(t);
    // Every platform word is 2 to 9 letters long and starts with one of these.
    if (w.size() < 2 || w.size() > 9 ||
        std::string_view("fiksotw").find(w[0]) == std::string_view::npos)
      continue;
    const Platform* p = nullptr;
    for (const auto& pl : kPlatforms)
      if (w == pl.word) p = &pl;
    if (!p) continue;
    size_t i = t.norm_end;
    bool punct = false;
    while (
        i < s.size() && i - t.norm_end < 6 &&
        (s[i] == ' ' || s[i] == ':' || s[i] == '-' || s[i] == '=' || s[i] == '@' || s[i] == '>')) {
      punct = punct || s[i] != ' ';
      ++i;
    }
    size_t e = handle_end(s, i);
    if (e - i < 2) continue;
    std::string_view name = s.substr(i, e - i);
    if (is_stop_name(name) || overlaps(taken, i, e)) continue;
    bool looks_like_handle = std::any_of(
        name.begin(), name.end(), [](char c) { return is_digit(c) || c == '_' || c == '.'; });
    if (!punct && !(p->full && looks_like_handle)) continue;
    if (std::all_of(name.begin(), name.end(), is_digit)) continue;  // a phone number follows
    add_span(out, SelectorKind::handle, std::string(p->name) + ":" + std::string(name), n,
             t.norm_begin, e, source);
    done.insert(i);
  }
  // A bare "@name" (not inside an e-mail address).
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at > 0 && (is_lower_alnum(s[at - 1]) || s[at - 1] == '.' || s[at - 1] == '_')) continue;
    size_t e = handle_end(s, at + 1);
    if (e - at - 1 < 2 || done.count(at + 1) || overlaps(taken, at, e)) continue;
    std::string_view name = s.substr(at + 1, e - at - 1);
    if (std::all_of(name.begin(), name.end(), is_digit)) continue;
    add_span(out, SelectorKind::handle, "unknown:" + std::string(name), n, at, e, source);
  }
}

bool known_tld(std::string_view tld) {
  static constexpr std::string_view kTlds[] = {
      "com", "net", "org",    "info", "biz",    "io",   "me",  "co",   "ly",   "us",
      "uk",  "ca",  "es",     "mx",   "xxx",    "tv",   "ru",  "de",   "fr",   "to",
      "cc",  "gg",  "app",    "site", "online", "club", "xyz", "link", "page", "live",
      "vip", "sex", "escort", "top",  "ar",     "br",   "cl",  "pe",   "eu"};
  return std::find(std::begin(kTlds), std::end(kTlds), tld) != std::end(kTlds);
}

size_t url_tail(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size()) {
    auto c = static_cast<unsigned char>(s[j]);
    if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\'' || c >= 0x80) break;
    ++j;
  }
  while (j > i && std::string_view(".,;:!?)]").find(s[j - 1]) != std::string_view::npos) --j;
  return j;
}

// Whether the text may hold an address at all: a host has a dot after a domain character
// ("x.com"), or a scheme ("http"). Found with memchr and memmem, so that the byte-by-byte scan
// below runs only on the ads that have one (most ads' dots end sentences: "town . call").
bool may_hold_url(std::string_view s) {
  for (size_t p = s.find('.'); p != std::string_view::npos; p = s.find('.', p + 1))
    if (p > 0 && domain_char(s[p - 1])) return true;
  return s.find("http") != std::string_view::npos;
}

void urls(const NormalizedText& n, SelectorSource source, std::vector<Selector>& out,
          const std::vector<std::pair<size_t, size_t>>& taken) {
  std::string_view s = n.text;
  if (!may_hold_url(s)) return;
  size_t i = 0;
  while (i < s.size()) {
    bool word_start = is_lower_alnum(s[i]) &&
                      (i == 0 || !(is_lower_alnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '-' ||
                                   s[i - 1] == '@' || s[i - 1] == '_'));
    if (!word_start) {
      ++i;
      continue;
    }
    // Most words are no address: a host needs a dot inside its run of domain characters, or a
    // scheme before it. Positions inside the run cannot start a word, so the run is passed over.
    size_t run = i;
    bool dot = false;
    for (; run < s.size() && domain_char(s[run]); ++run) dot = dot || s[run] == '.';
    if (!dot && s.compare(i, 4, "http") != 0) {
      i = run;
      continue;
    }
    size_t host = i;
    bool scheme = false;
    if (s.substr(i, 7) == "http://")
      host = i + 7, scheme = true;
    else if (s.substr(i, 8) == "https://")
      host = i + 8, scheme = true;
    size_t he = domain_end(s, host);
    if (he == host || (he < s.size() && s[he] == '@')) {
      ++i;
      continue;
    }
    std::string_view h = s.substr(host, he - host);
    std::string_view tld = h.substr(h.rfind('.') + 1);
    bool www = h.starts_with("www.");
    if (!scheme && !www && !known_tld(tld)) {
      i = he;
      continue;
    }
    size_t end = he;
    if (end < s.size() && (s[end] == '/' || s[end] == '?' || s[end] == '#' || s[end] == ':'))
      end = url_tail(s, end);
    if (overlaps(taken, i, end)) {
      i = end;
      continue;
    }
    std::string value(h.substr(www ? 4 : 0));
    value += s.substr(he, end - he);
    while (!value.empty() && value.back() == '/') value.pop_back();
    add_span(out, SelectorKind::url, std::move(value), n, i, end, source);
    i = end;
  }
}

// --- wallets (on the original text: base58 is case-sensitive) ---

constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

std::optional<std::vector<uint8_t>> base58_decode(std::string_view s) {
  std::vector<uint8_t> num;  // big-endian base-256
  for (char c : s) {
    size_t v = kBase58.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    uint32_t carry = static_cast<uint32_t>(v);
    for (auto it = num.rbegin(); it != num.rend(); ++it) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    while (carry) {
      num.insert(num.begin(), static_cast<uint8_t>(carry & 0xFF));
      carry >>= 8;
    }
  }
  size_t zeros = 0;
  while (zeros < s.size() && s[zeros] == '1') ++zeros;
  num.insert(num.begin(), zeros, 0);
  return num;
}

constexpr std::string_view kBech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

uint32_t bech32_polymod(const std::vector<uint8_t>& values) {
  static constexpr uint32_t kGen[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    uint8_t top = static_cast<uint8_t>(chk >> 25);
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  }
  return chk;
}

// A wallet address is a run of at least kShortestWallet letters and digits (bech32's shortest).
constexpr size_t kShortestWallet = 14;

// Bit k set when p[k] is an ASCII letter or digit, for the 64 bytes at p.
uint64_t alnum_mask(const char* p) {
#if defined(__SSE2__)
  uint64_t mask = 0;
  for (size_t chunk = 0; chunk < 4; ++chunk) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * chunk));
    // Signed compares: bytes from 0x80 are negative, so never a digit or a letter.
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));  // 'A'-'Z' to 'a'-'z'
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    const auto bits = static_cast<uint16_t>(_mm_movemask_epi8(_mm_or_si128(digit, letter)));
    mask |= uint64_t{bits} << (16 * chunk);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int k = 0; k < 64; ++k) mask |= uint64_t{is_alnum(p[k])} << k;
  return mask;
#endif
}

void wallets(std::string_view text, SelectorSource source, std::vector<Selector>& out) {
  // 64 bytes at a time as a bit mask of letters and digits, in which the starts of runs of at
  // least kShortestWallet are found by shifts (no branch per byte: ads are mostly short words,
  // and reading them byte by byte was over half of extract_selectors' time). A block's windows
  // that start in its first 50 bytes lie inside it; the next block starts there.
  constexpr size_t L = kShortestWallet, kBlock = 64, kStarts = kBlock - L;
  static_assert(L == 14, "the shifts below find runs of 14");
  const size_t n = text.size();
  size_t i = 0;  // runs starting before this are handled (text[i - 1] is not alphanumeric)
  while (i + L <= n) {
    uint64_t m;
    uint64_t starts_here;  // the window starts this block answers for
    if (n - i >= kBlock) {
      m = alnum_mask(text.data() + i);
      starts_here = (uint64_t{1} << kStarts) - 1;
    } else {  // the last bytes, padded with non-alphanumeric zeros
      char tail[kBlock] = {};
      std::memcpy(tail, text.data() + i, n - i);
      m = alnum_mask(tail);
      starts_here = ~uint64_t{0};
    }
    // Bit k of `windows`: bytes k .. k + 13 are all letters or digits.
    uint64_t windows = m & (m >> 1);
    windows &= windows >> 2;
    windows &= windows >> 4;
    windows &= windows >> 6;
    windows &= starts_here;
    if (windows == 0) {
      if (starts_here == ~uint64_t{0}) break;
      i += kStarts;
      continue;
    }
    // The first window is the start of its run: a run that started earlier would have had its
    // first window found there.
    const size_t begin = i + static_cast<size_t>(std::countr_zero(windows));
    size_t j = begin + L;  // its end
    while (j < n && is_alnum(text[j])) ++j;
    std::string_view run = text.substr(begin, j - begin);
    i = j + 1;
    Selector s;
    s.source = source;
    s.begin = static_cast<uint32_t>(begin), s.end = static_cast<uint32_t>(j);
    if (is_ethereum_address(run)) {
      s.kind = SelectorKind::ethereum;
      s.value = lowered(run);
      out.push_back(std::move(s));
    } else if ((run.size() >= 26 && run.size() <= 35 && (run[0] == '1' || run[0] == '3')) ||
               (run.size() >= 14 && (run[0] == 'b' || run[0] == 'B'))) {
      if (is_bitcoin_address(run)) {
        s.kind = SelectorKind::bitcoin;
        s.value = (run[0] == 'b' || run[0] == 'B') ? lowered(run) : std::string(run);
        out.push_back(std::move(s));
      }
    }
  }
}

// --- regions ---

struct NamedRegion {
  std::string_view name;  // normalised (lower case)
  std::string_view region;
};
// Country names as ads write them (English and Spanish) beyond ISO 3166's English short names.
constexpr NamedRegion kCountryNames[] = {
    {"usa", "US"},
    {"united states", "US"},
    {"estados unidos", "US"},
    {"eeuu", "US"},
    {"uk", "GB"},
    {"united kingdom", "GB"},
    {"england", "GB"},
    {"scotland", "GB"},
    {"españa", "ES"},
    {"espana", "ES"},
    {"spain", "ES"},
    {"méxico", "MX"},
    {"mexico", "MX"},
    {"canada", "CA"},
    {"canadá", "CA"},
    {"brasil", "BR"},
    {"perú", "PE"},
    {"peru", "PE"},
    {"colombia", "CO"},
    {"argentina", "AR"},
    {"chile", "CL"},
    {"venezuela", "VE"},
    {"república dominicana", "DO"},
    {"dominican republic", "DO"},
    {"ecuador", "EC"},
    {"guatemala", "GT"},
    {"honduras", "HN"},
    {"el salvador", "SV"},
    {"nicaragua", "NI"},
    {"costa rica", "CR"},
    {"panamá", "PA"},
    {"panama", "PA"},
    {"cuba", "CU"},
    {"puerto rico", "PR"},
    {"deutschland", "DE"},
    {"germany", "DE"},
    {"france", "FR"},
    {"italia", "IT"},
    {"italy", "IT"},
    {"nederland", "NL"},
    {"netherlands", "NL"},
    {"australia", "AU"},
    {"philippines", "PH"},
    {"nigeria", "NG"},
    {"thailand", "TH"},
};
// Large cities of the corpora ads come from, where no state or country follows.
constexpr NamedRegion kCities[] = {
    {"new york", "US"},
    {"nyc", "US"},
    {"los angeles", "US"},
    {"chicago", "US"},
    {"houston", "US"},
    {"phoenix", "US"},
    {"philadelphia", "US"},
    {"san antonio", "US"},
    {"san diego", "US"},
    {"dallas", "US"},
    {"las vegas", "US"},
    {"miami", "US"},
    {"atlanta", "US"},
    {"seattle", "US"},
    {"denver", "US"},
    {"boston", "US"},
    {"toronto", "CA"},
    {"montreal", "CA"},
    {"montréal", "CA"},
    {"vancouver", "CA"},
    {"calgary", "CA"},
    {"ottawa", "CA"},
    {"london", "GB"},
    {"manchester", "GB"},
    {"madrid", "ES"},
    {"barcelona", "ES"},
    {"sevilla", "ES"},
    {"málaga", "ES"},
    {"ciudad de méxico", "MX"},
    {"ciudad de mexico", "MX"},
    {"cdmx", "MX"},
    {"guadalajara", "MX"},
    {"monterrey", "MX"},
    {"tijuana", "MX"},
    {"cancún", "MX"},
    {"cancun", "MX"},
    {"bogotá", "CO"},
    {"bogota", "CO"},
    {"medellín", "CO"},
    {"medellin", "CO"},
    {"buenos aires", "AR"},
    {"lima", "PE"},
    {"paris", "FR"},
    {"berlin", "DE"},
    {"amsterdam", "NL"},
    {"sydney", "AU"},
    {"manila", "PH"},
    {"lagos", "NG"},
    {"bangkok", "TH"},
};
constexpr std::string_view kCaProvinces[] = {"ab",
                                             "bc",
                                             "mb",
                                             "nb",
                                             "nl",
                                             "ns",
                                             "nt",
                                             "nu",
                                             "on",
                                             "pe",
                                             "qc",
                                             "sk",
                                             "yt",
                                             "alberta",
                                             "british columbia",
                                             "manitoba",
                                             "new brunswick",
                                             "newfoundland",
                                             "nova scotia",
                                             "ontario",
                                             "quebec",
                                             "québec",
                                             "saskatchewan",
                                             "yukon"};
constexpr std::string_view kUsStates[] = {"al",
                                          "ak",
                                          "az",
                                          "ar",
                                          "ca",
                                          "co",
                                          "ct",
                                          "de",
                                          "fl",
                                          "ga",
                                          "hi",
                                          "id",
                                          "il",
                                          "in",
                                          "ia",
                                          "ks",
                                          "ky",
                                          "la",
                                          "me",
                                          "md",
                                          "ma",
                                          "mi",
                                          "mn",
                                          "ms",
                                          "mo",
                                          "mt",
                                          "ne",
                                          "nv",
                                          "nh",
                                          "nj",
                                          "nm",
                                          "ny",
                                          "nc",
                                          "nd",
                                          "oh",
                                          "ok",
                                          "or",
                                          "pa",
                                          "ri",
                                          "sc",
                                          "sd",
                                          "tn",
                                          "tx",
                                          "ut",
                                          "vt",
                                          "va",
                                          "wa",
                                          "wv",
                                          "wi",
                                          "wy",
                                          "dc",
                                          "alabama",
                                          "alaska",
                                          "arizona",
                                          "arkansas",
                                          "california",
                                          "colorado",
                                          "connecticut",
                                          "delaware",
                                          "florida",
                                          "georgia",
                                          "hawaii",
                                          "idaho",
                                          "illinois",
                                          "indiana",
                                          "iowa",
                                          "kansas",
                                          "kentucky",
                                          "louisiana",
                                          "maine",
                                          "maryland",
                                          "massachusetts",
                                          "michigan",
                                          "minnesota",
                                          "mississippi",
                                          "missouri",
                                          "montana",
                                          "nebraska",
                                          "nevada",
                                          "new hampshire",
                                          "new jersey",
                                          "new mexico",
                                          "new york",
                                          "north carolina",
                                          "north dakota",
                                          "ohio",
                                          "oklahoma",
                                          "oregon",
                                          "pennsylvania",
                                          "rhode island",
                                          "south carolina",
                                          "south dakota",
                                          "tennessee",
                                          "texas",
                                          "utah",
                                          "vermont",
                                          "virginia",
                                          "washington",
                                          "west virginia",
                                          "wisconsin",
                                          "wyoming"};

template <class Range>
bool contains(const Range& r, std::string_view s) {
  return std::find(std::begin(r), std::end(r), s) != std::end(r);
}

std::string find_region(std::string_view location, std::string_view fallback);

}  // namespace

std::string_view to_string(SelectorKind kind) {
  switch (kind) {
    case SelectorKind::phone:
      return "phone";
    case SelectorKind::email:
      return "email";
    case SelectorKind::handle:
      return "handle";
    case SelectorKind::url:
      return "url";
    case SelectorKind::bitcoin:
      return "bitcoin";
    case SelectorKind::ethereum:
      return "ethereum";
    case SelectorKind::image_hash:
      return "image_hash";
  }
  return "?";
}

std::string_view to_string(SelectorSource source) {
  switch (source) {
    case SelectorSource::body:
      return "body";
    case SelectorSource::title:
      return "title";
    case SelectorSource::phone_field:
      return "phone";
    case SelectorSource::email_field:
      return "email";
    case SelectorSource::image_hash_field:
      return "image_hash";
  }
  return "?";
}

std::string region_for_location(std::string_view location, std::string_view fallback) {
  if (location.empty()) return std::string(fallback);
  // Locations repeat (a corpus has a few thousand cities): a bounded per-thread memo.
  thread_local std::unordered_map<std::string, std::string> memo;
  std::string key = std::string(fallback) + '|' + std::string(location);
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  std::string region = find_region(location, fallback);
  if (memo.size() >= (1u << 14)) memo.clear();
  memo.emplace(std::move(key), region);
  return region;
}

namespace {
std::string find_region(std::string_view location, std::string_view fallback) {
  std::string loc = normalize_string(location);
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= loc.size(); ++i) {
    if (i == loc.size() || loc[i] == ',' || loc[i] == '/' || loc[i] == '(' || loc[i] == ')' ||
        loc[i] == '|' || loc[i] == ';') {
      std::string_view p = core::trim_blanks(std::string_view(loc).substr(start, i - start));
      while (!p.empty() && (p.back() == '.' || p.back() == ' ')) p.remove_suffix(1);
      if (!p.empty()) parts.emplace_back(p);
      start = i + 1;
    }
  }
  // Country names first, then cities, then Canadian provinces (before US states: "CA" alone is
  // California, but "Toronto, ON, CA" is Canada), then US states, then ISO codes.
  for (const auto& p : parts) {
    for (const auto& c : kCountryNames)
      if (p == c.name) return std::string(c.region);
    for (const auto& c : all_countries())
      if (core::iequals(p, c.name)) return c.alpha2;
  }
  for (const auto& p : parts)
    for (const auto& c : kCities)
      if (p == c.name) return std::string(c.region);
  for (const auto& p : parts)
    if (contains(kCaProvinces, p)) return "CA";
  for (const auto& p : parts)
    if (contains(kUsStates, p)) return "US";
  for (const auto& p : parts)
    if (p.size() == 2 || p.size() == 3)
      if (auto c = find_country(p)) return c->alpha2;
  return std::string(fallback);
}
}  // namespace

std::vector<Selector> extract_selectors(std::string_view text, const NormalizedText& normalized,
                                        std::string_view region, SelectorSource source,
                                        bool validate_phones) {
  std::vector<Selector> out;
  std::vector<std::pair<size_t, size_t>> taken;  // e-mail spans (normalised), not handles or URLs
  emails(normalized, source, out, taken);
  handles(normalized, source, out, taken);
  urls(normalized, source, out, taken);
  wallets(text, source, out);
  size_t before_phones = out.size();
  for (const DigitRun& run : digit_runs(normalized, text))
    phones_from_run(run, region, source, validate_phones, out);
  // A digit run inside an e-mail, URL or wallet is part of it, not a phone.
  std::vector<Selector> kept(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(before_phones));
  for (size_t k = before_phones; k < out.size(); ++k) {
    bool inside = false;
    for (size_t m = 0; m < before_phones && !inside; ++m)
      inside = out[k].begin < out[m].end && out[m].begin < out[k].end &&
               out[m].kind != SelectorKind::handle;
    if (!inside) kept.push_back(std::move(out[k]));
  }
  std::sort(kept.begin(), kept.end(), [](const Selector& a, const Selector& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end < b.end;
    return a.kind < b.kind;
  });
  return kept;
}

namespace {
// A phone field's numbers appended to `out`, normalised into `buffer` (reused by the caller).
void append_phones_in(std::string_view text, NormalizedText& buffer, std::string_view region,
                      bool validate_phones, std::vector<Selector>& out) {
  normalize_into(text, buffer);
  for (const DigitRun& run : digit_runs(buffer, text))
    phones_from_run(run, region, SelectorSource::phone_field, validate_phones, out);
}
}  // namespace

std::vector<Selector> phones_in(std::string_view text, std::string_view region,
                                bool validate_phones) {
  std::vector<Selector> out;
  NormalizedText n;
  append_phones_in(text, n, region, validate_phones, out);
  return out;
}

std::optional<std::string> phone_to_e164(std::string_view number, std::string_view region) {
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  if (util->Parse(std::string(number), std::string(region), &parsed) !=
          PhoneNumberUtil::NO_PARSING_ERROR ||
      util->IsPossibleNumberWithReason(parsed) != PhoneNumberUtil::IS_POSSIBLE)
    return std::nullopt;
  std::string out;
  util->Format(parsed, PhoneNumberUtil::E164, &out);
  return out;
}

std::vector<Selector> ad_selectors(const Ad& ad, const NormalizedText& body,
                                   const SelectorOptions& options) {
  std::string region = region_for_location(ad.location, options.default_region);
  const bool v = options.validate_phones;
  std::vector<Selector> all = extract_selectors(ad.body, body, region, SelectorSource::body, v);
  // The title, phone and e-mail fields normalised into this thread's buffer, reused ad after ad.
  thread_local NormalizedText field;
  if (!ad.title.empty()) {
    normalize_into(ad.title, field);
    auto t = extract_selectors(ad.title, field, region, SelectorSource::title, v);
    all.insert(all.end(), std::make_move_iterator(t.begin()), std::make_move_iterator(t.end()));
  }
  if (!ad.phone.empty()) append_phones_in(ad.phone, field, region, v, all);
  if (!ad.email.empty()) {
    normalize_into(ad.email, field);
    std::vector<std::pair<size_t, size_t>> taken;
    emails(field, SelectorSource::email_field, all, taken);
  }
  if (!ad.image_hash.empty()) {
    std::string_view h = ad.image_hash;
    size_t i = 0;
    while (i < h.size()) {
      size_t j = h.find_first_of("; ,|", i);
      if (j == std::string_view::npos) j = h.size();
      if (j > i) {
        Selector s;
        s.kind = SelectorKind::image_hash;
        s.value = lowered(h.substr(i, j - i));
        s.source = SelectorSource::image_hash_field;
        s.begin = static_cast<uint32_t>(i), s.end = static_cast<uint32_t>(j);
        all.push_back(std::move(s));
      }
      i = j + 1;
    }
  }
  std::vector<Selector> unique;
  unique.reserve(all.size());
  if (all.size() <= 16) {  // an ad's few selectors: compared directly, nothing hashed
    for (auto& s : all) {
      const bool seen = std::any_of(unique.begin(), unique.end(), [&](const Selector& u) {
        return u.kind == s.kind && u.value == s.value;
      });
      if (!seen) unique.push_back(std::move(s));
    }
    return unique;
  }
  std::unordered_set<std::string> seen;
  for (auto& s : all) {
    std::string key = std::string(to_string(s.kind)) + '\x1f' + s.value;
    if (seen.insert(key).second) unique.push_back(std::move(s));
  }
  return unique;
}

bool is_ethereum_address(std::string_view s) {
  if (s.size() != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  return std::all_of(s.begin() + 2, s.end(), [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

bool is_bitcoin_address(std::string_view s) {
  if (s.size() >= 14 && (s.substr(0, 3) == "bc1" || s.substr(0, 3) == "BC1")) {
    // BIP 173: one case only; data part in the bech32 alphabet; checksum over the expanded HRP.
    if (s.size() > 90) return false;
    bool has_lower = std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    bool has_upper = std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (has_lower && has_upper) return false;
    std::string l = lowered(s);
    std::vector<uint8_t> v = {3, 3, 0, 2, 3};  // "bc" expanded: high bits, 0, low bits
    for (size_t i = 3; i < l.size(); ++i) {
      size_t d = kBech32.find(l[i]);
      if (d == std::string_view::npos) return false;
      v.push_back(static_cast<uint8_t>(d));
    }
    if (v.size() - 5 < 7) return false;  // version + checksum at least
    uint32_t chk = bech32_polymod(v);
    uint8_t version = v[5];
    size_t data_len = v.size() - 5 - 1 - 6;  // 5-bit groups of the witness program
    size_t program_bytes = data_len * 5 / 8;
    if (version > 16 || program_bytes < 2 || program_bytes > 40) return false;
    if (version == 0) return chk == 1 && (program_bytes == 20 || program_bytes == 32);
    return chk == 0x2bc830a3;  // BIP 350 (bech32m) for witness versions 1-16
  }
  if (s.size() < 26 || s.size() > 35 || (s[0] != '1' && s[0] != '3')) return false;
  auto bytes = base58_decode(s);
  if (!bytes || bytes->size() != 25) return false;
  if ((*bytes)[0] != 0x00 && (*bytes)[0] != 0x05) return false;
  Sha256 h1 = sha256(std::span<const uint8_t>(bytes->data(), 21));
  Sha256 h2 = sha256(std::span<const uint8_t>(h1.data(), h1.size()));
  return std::equal(h2.begin(), h2.begin() + 4, bytes->begin() + 21);
}

std::optional<PdqHash> parse_pdq(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  PdqHash h;
  for (size_t i = 0; i < 64; ++i) {
    char c = core::ascii_lower(hex[i]);
    uint64_t v;
    if (is_digit(c))
      v = static_cast<uint64_t>(c) - '0';
    else if (c >= 'a' && c <= 'f')
      v = static_cast<uint64_t>(c) - 'a' + 10;
    else
      return std::nullopt;
    h.words[i / 16] = (h.words[i / 16] << 4) | v;
  }
  return h;
}

std::string to_hex(const PdqHash& h) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint64_t w : h.words)
    for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(w >> shift) & 0xF];
  return out;
}

int hamming_distance(const PdqHash& a, const PdqHash& b) {
  int d = 0;
  for (size_t i = 0; i < 4; ++i) d += std::popcount(a.words[i] ^ b.words[i]);
  return d;
}

namespace {
uint16_t substring(const PdqHash& h, int table) {
  return static_cast<uint16_t>(h.words[static_cast<size_t>(table / 4)] >> (48 - 16 * (table % 4)));
}
}  // namespace

void PdqIndex::add(uint32_t id, const PdqHash& hash) {
  auto pos = static_cast<uint32_t>(hashes_.size());
  hashes_.push_back(hash);
  ids_.push_back(id);
  for (int t = 0; t < kTables; ++t)
    tables_[static_cast<size_t>(t)][substring(hash, t)].push_back(pos);
}

std::vector<PdqIndex::Match> PdqIndex::within(const PdqHash& query, int max_distance) const {
  if (max_distance < 0 || max_distance > 31)
    invalid("max_distance",
            "the PDQ index answers distances 0 to 31, not " + std::to_string(max_distance));
  // Pigeonhole: d(a, b) <= r over 16 substrings means some substring differs in at most r/16 bits.
  const int radius = max_distance / kTables;
  std::vector<uint32_t> candidates;
  for (int t = 0; t < kTables; ++t) {
    const auto& table = tables_[static_cast<size_t>(t)];
    uint16_t key = substring(query, t);
    auto probe = [&](uint16_t k) {
      if (auto it = table.find(k); it != table.end())
        candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    };
    probe(key);
    if (radius >= 1)
      for (int b = 0; b < 16; ++b) probe(static_cast<uint16_t>(key ^ (1u << b)));
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  last_candidates_ = candidates.size();
  std::unordered_map<uint32_t, int> best;
  for (uint32_t pos : candidates) {
    int d = hamming_distance(query, hashes_[pos]);
    if (d > max_distance) continue;
    auto [it, inserted] = best.emplace(ids_[pos], d);
    if (!inserted) it->second = std::min(it->second, d);
  }
  std::vector<Match> out;
  out.reserve(best.size());
  for (auto [id, d] : best) out.push_back({id, d});
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
  });
  return out;
}

}  // namespace ctip::online
