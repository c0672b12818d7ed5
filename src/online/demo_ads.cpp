#include "online/demo_ads.h"

#include <array>
#include <random>
#include <sstream>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace ctip::online {
namespace {

constexpr std::array<std::string_view, 16> kNames = {
    "anna", "bella", "candy", "daisy", "eva",  "gigi", "holly", "ivy",
    "jade", "kiki",  "lola",  "mia",   "nina", "roxy", "sasha", "zoe"};
constexpr std::array<std::string_view, 14> kCities = {
    "Boston",  "Hartford", "Albany", "Newark",  "Philadelphia", "Baltimore", "Richmond",
    "Atlanta", "Miami",    "Dallas", "Houston", "Denver",       "Phoenix",   "Chicago"};
constexpr std::array<std::string_view, 10> kBoilerplate = {
    "100% real pics no games",  "discreet and clean", "serious gentlemen only",
    "call or text anytime",     "hotel friendly",     "no rush no drama",
    "upscale and classy",       "short notice ok",    "satisfaction guaranteed",
    "private and safe location"};
// The openings of a network's ads (third person, movement and youth wording) and of an
// independent poster's (first person); the rest of each text is words of a made-up vocabulary,
// so that unrelated posters share only the boilerplate.
constexpr std::array<std::string_view, 6> kNetworkOpenings = {
    "new in town!! {name} {age}yo sweet and fun, just arrived in {city}.",
    "Hey gentlemen, {name} is here for a few days only in {city}, {age} years young. New girls "
    "every week.",
    "JUST ARRIVED {city}: sexy {name} ({age}) and her friend. 24/7 incall.",
    "{name} {age} - fresh face visiting {city} this week. she is sweet, ask about specials.",
    "Exotic {name} {age}yo now available in {city}!!! two girls available, she only speaks a "
    "little english.",
    "Brand new {name}, {age}, first time in {city}. Our girls are young and ready."};
constexpr std::array<std::string_view, 8> kOwnOpenings = {
    "I am {name}, a mature independent lady living in {city}.",
    "Hi, my name is {name}. I work on my own in {city}, by appointment only.",
    "Independent {name} here, {city} local for years. I set my own hours.",
    "It's {name}! I love meeting new friends in {city}.",
    "{name} - independent and relaxed, my place near downtown {city}.",
    "Me: {name}, {city}. Classy, calm and honest, I screen everyone.",
    "Looking for a sweet escape? I am {name} in {city}.",
    "Just me, {name}, in {city} on weekends. No agency, no drama."};
constexpr std::array<std::string_view, 24> kSyllables = {
    "ka",  "lo",  "mi",  "ra",  "te",  "su",  "na",  "vi",  "do",  "ple", "gra", "sto",
    "tri", "mon", "bel", "cor", "fin", "lux", "sen", "dal", "ver", "qui", "zen", "hol"};

std::string fill(std::string_view t, std::string_view name, int age, std::string_view city,
                 std::string_view boiler, const std::string& phone) {
  std::string out(t);
  auto replace = [&](std::string_view key, std::string_view value) {
    for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
      out.replace(at, key.size(), value);
  };
  replace("{name}", name);
  replace("{age}", std::to_string(age));
  replace("{city}", city);
  replace("{boiler}", boiler);
  replace("{phone}", phone);
  return out;
}

// A fictional number (555-01xx is reserved for fiction) written plainly or obfuscated.
std::string written(int area, int line, unsigned style) {
  const std::string a = std::to_string(area), l = std::to_string(line);
  std::string l4 = std::string(4 - std::min<size_t>(4, l.size()), '0') + l;
  switch (style % 4) {
    case 0:
      return "(" + a + ") 555-" + l4;
    case 1:
      return a + ".555." + l4;
    case 2: {
      std::string s;
      for (char ch : a + "555" + l4) s += std::string(1, ch) + " ";
      return s.substr(0, s.size() - 1);
    }
    default:
      return a + "*555*" + l4;
  }
}

std::string csv_field(const std::string& s) {
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace

std::string demo_ads_csv(size_t ads, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  // Made-up words (two or three syllables): a poster's own text.
  auto words = [&](size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      std::string w;
      for (size_t k = 0, len = 2 + pick(2); k < len; ++k) w += kSyllables[pick(kSyllables.size())];
      out += (i ? " " : "") + w;
    }
    return out;
  };
  std::ostringstream out;
  out << "id,title,body,posted_at,city,site,phone\n";
  const int64_t start = 1767225600;  // 2026-01-01 UTC, in seconds
  size_t written_ads = 0, next_line = 100;
  int network = 0;
  auto row = [&](const std::string& id, const std::string& body, int64_t at, std::string_view city,
                 const std::string& site) {
    out << id << "," << csv_field("ad " + id) << "," << csv_field(body) << ","
        << format_time(at * 1000) << "," << csv_field(std::string(city)) << "," << site << ",\n";
    ++written_ads;
  };
  // Networks take about 40% of the ads: one text each (an opening, its own words, slots for a
  // name, an age and the city), two or three phones, a route of cities.
  while (written_ads < ads * 2 / 5) {
    ++network;
    const std::string text = std::string(kNetworkOpenings[pick(kNetworkOpenings.size())]) + " " +
                             words(14 + pick(8)) + ". {boiler}. call {phone}";
    const int area = 200 + static_cast<int>(pick(700));
    std::vector<int> phones;
    for (size_t p = 0, n = 2 + pick(2); p < n; ++p)
      phones.push_back(static_cast<int>(next_line++ % 10000));
    std::vector<std::string_view> route;
    for (size_t c = 0, n = 2 + pick(4); c < n; ++c) route.push_back(kCities[pick(kCities.size())]);
    const size_t size = 15 + pick(46);
    int64_t at = start + static_cast<int64_t>(pick(60)) * 86400;
    const std::string site = "site-" + std::string(1, static_cast<char>('a' + pick(3)));
    for (size_t i = 0; i < size; ++i) {
      const auto city = route[i * route.size() / size];
      std::string body =
          fill(text, kNames[pick(kNames.size())], 18 + static_cast<int>(pick(8)), city,
               kBoilerplate[pick(kBoilerplate.size())],
               written(area, phones[pick(phones.size())], static_cast<unsigned>(rng())));
      if (pick(4) == 0) body += " 💋";
      row("n" + std::to_string(network) + "-" + std::to_string(i), body, at, city, site);
      at += 3600 * static_cast<int64_t>(4 + pick(30));
    }
  }
  // Independent posters: one to three re-posts of their own first-person text, their own
  // number, one city; every 25th also prints a shared booking line.
  int poster = 0;
  while (written_ads < ads) {
    ++poster;
    const auto city = kCities[pick(kCities.size())];
    const std::string text = std::string(kOwnOpenings[pick(kOwnOpenings.size())]) + " " +
                             words(12 + pick(8)) + ". {boiler}. My number {phone}";
    const auto name = kNames[pick(kNames.size())];
    const auto boiler = kBoilerplate[pick(kBoilerplate.size())];
    const int area = 200 + static_cast<int>(pick(700));
    std::string phone = written(area, static_cast<int>(next_line++ % 10000), 0);
    if (poster % 25 == 0) phone += " or our booking line (800) 555-0199";
    int64_t at = start + static_cast<int64_t>(pick(90)) * 86400;
    const std::string site = "site-" + std::string(1, static_cast<char>('a' + pick(5)));
    for (size_t i = 0, n = 1 + pick(3); i < n && written_ads < ads; ++i) {
      row("p" + std::to_string(poster) + "-" + std::to_string(i),
          fill(text, name, 30, city, boiler, phone), at, city, site);
      at += 86400 * static_cast<int64_t>(1 + pick(10));
    }
  }
  return out.str();
}

}  // namespace ctip::online
