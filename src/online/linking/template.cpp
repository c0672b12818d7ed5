#include "online/linking/template.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace ctip::online::linking {
namespace {

using Ids = std::vector<uint32_t>;

// The longest common subsequence of a (the reference or template) and b (an ad): for each
// position of a, the position of b it is matched to, or -1. Ties go to the earliest match.
std::vector<int> align(const Ids& a, const Ids& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<uint16_t> dp((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint16_t& { return dp[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? static_cast<uint16_t>(at(i + 1, j + 1) + 1)
                              : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<int> match(n, -1);
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j] && at(i, j) == at(i + 1, j + 1) + 1) {
      match[i++] = static_cast<int>(j++);
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  return match;
}

size_t lcs_length(const Ids& a, const Ids& b) {
  const auto match = align(a, b);
  return static_cast<size_t>(
      std::count_if(match.begin(), match.end(), [](int x) { return x >= 0; }));
}

// Bits of Elias's gamma code for x >= 0 (written as x + 1).
double gamma_bits(size_t x) {
  return 2.0 * std::floor(std::log2(static_cast<double>(x + 1))) + 1.0;
}

// The tokens an ad inserts in each gap of the template (gap g is before template token g; gap
// |T| is after the last), and how many template tokens it lacks.
struct Alignment {
  std::vector<std::vector<uint32_t>> inserted;
  int missing = 0;
};

Alignment align_to_template(const Ids& tmpl, const Ids& ad) {
  const auto match = align(tmpl, ad);
  Alignment out;
  out.inserted.resize(tmpl.size() + 1);
  size_t next = 0;  // the ad's first token not yet placed
  for (size_t t = 0; t < tmpl.size(); ++t) {
    if (match[t] < 0) {
      ++out.missing;
      continue;
    }
    const size_t j = static_cast<size_t>(match[t]);
    for (; next < j; ++next) out.inserted[t].push_back(ad[next]);
    next = j + 1;
  }
  for (; next < ad.size(); ++next) out.inserted[tmpl.size()].push_back(ad[next]);
  return out;
}

// InfoShield's cost of an ad given a template, simplified: one bit per template token (kept or
// dropped), the length of every gap's insertion in gamma code, and each inserted token in
// log2(V) bits.
double ad_bits(const Ids& tmpl, const Ids& ad, double token_bits) {
  const Alignment al = align_to_template(tmpl, ad);
  double bits = static_cast<double>(tmpl.size());
  for (const auto& gap : al.inserted)
    bits += gamma_bits(gap.size()) + static_cast<double>(gap.size()) * token_bits;
  return bits;
}

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view to_string(SlotKind kind) {
  switch (kind) {
    case SlotKind::text:
      return "text";
    case SlotKind::number:
      return "number";
    case SlotKind::age:
      return "age";
    case SlotKind::city:
      return "city";
  }
  return "text";
}

std::string ClusterTemplate::text() const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    if (part.slot) {
      out +=
          '{' + std::to_string(part.slot_index + 1) + ':' + std::string(to_string(part.kind)) + '}';
    } else {
      out += part.token;
    }
  }
  return out;
}

ClusterTemplate build_template(std::span<const TemplateAd> ads, const TemplateParams& params) {
  ClusterTemplate out;
  if (ads.empty()) return out;
  std::unordered_map<std::string_view, uint32_t> ids;
  std::vector<std::string_view> words;
  std::vector<Ids> seqs(ads.size());
  for (size_t a = 0; a < ads.size(); ++a) {
    for (const auto& token : ads[a].tokens) {
      auto [it, added] = ids.try_emplace(token, static_cast<uint32_t>(words.size()));
      if (added) words.push_back(token);
      seqs[a].push_back(it->second);
    }
  }
  const double token_bits = std::log2(static_cast<double>(words.size()) + 1.0);
  const size_t used = std::min(ads.size(), std::max<size_t>(params.max_ads, 1));
  out.ads_used = used;

  // The reference: the medoid of the pool by longest common subsequence.
  const size_t pool = std::min(used, std::max<size_t>(params.reference_pool, 1));
  size_t reference = 0, best = 0;
  for (size_t a = 0; a < pool; ++a) {
    size_t total = 0;
    for (size_t b = 0; b < pool; ++b)
      if (a != b) total += lcs_length(seqs[a], seqs[b]);
    if (total > best) best = total, reference = a;
  }
  const Ids& ref = seqs[reference];
  std::vector<size_t> support(ref.size(), 0);
  for (size_t a = 0; a < used; ++a) {
    const auto match = align(ref, seqs[a]);
    for (size_t p = 0; p < ref.size(); ++p) support[p] += match[p] >= 0;
  }

  for (size_t a = 0; a < used; ++a)
    out.raw_bits += gamma_bits(seqs[a].size()) + static_cast<double>(seqs[a].size()) * token_bits;

  // The description-length choice among templates of decreasing support.
  Ids chosen;
  double chosen_bits = -1;
  double chosen_support = 1;
  for (double level : params.supports) {
    Ids tmpl;
    for (size_t p = 0; p < ref.size(); ++p)
      if (static_cast<double>(support[p]) >= level * static_cast<double>(used) - 1e-9)
        tmpl.push_back(ref[p]);
    double bits = gamma_bits(tmpl.size()) + static_cast<double>(tmpl.size()) * token_bits;
    for (size_t a = 0; a < used; ++a) bits += ad_bits(tmpl, seqs[a], token_bits);
    if (chosen_bits < 0 || bits < chosen_bits) {
      chosen_bits = bits;
      chosen = std::move(tmpl);
      chosen_support = level;
    }
  }
  out.support = chosen_support;
  out.description_bits = chosen_bits;
  out.compresses = chosen_bits < out.raw_bits;

  // Every ad's fill; a gap is a slot when any ad puts something in it.
  std::vector<Alignment> al(ads.size());
  for (size_t a = 0; a < ads.size(); ++a) al[a] = align_to_template(chosen, seqs[a]);
  std::vector<int> slot_of(chosen.size() + 1, -1);
  for (size_t g = 0; g <= chosen.size(); ++g) {
    for (const auto& x : al)
      if (!x.inserted[g].empty()) {
        slot_of[g] = static_cast<int>(out.slots++);
        break;
      }
  }
  out.fills.resize(ads.size());
  for (size_t a = 0; a < ads.size(); ++a) {
    out.fills[a].values.resize(out.slots);
    out.fills[a].missing_tokens = al[a].missing;
    for (size_t g = 0; g <= chosen.size(); ++g) {
      if (slot_of[g] < 0) continue;
      std::string value;
      for (uint32_t id : al[a].inserted[g]) {
        if (!value.empty()) value += ' ';
        value += words[id];
      }
      out.fills[a].values[static_cast<size_t>(slot_of[g])] = std::move(value);
    }
  }
  for (size_t g = 0; g <= chosen.size(); ++g) {
    if (slot_of[g] >= 0) {
      const size_t s = static_cast<size_t>(slot_of[g]);
      // The slot's kind from what the ads put in it.
      size_t filled = 0, numbers = 0, ages = 0, cities = 0;
      for (size_t a = 0; a < ads.size(); ++a) {
        const std::string& v = out.fills[a].values[s];
        if (v.empty()) continue;
        ++filled;
        if (is_number(v)) {
          ++numbers;
          const int n = v.size() <= 2 ? std::stoi(v) : 0;
          ages += n >= 18 && n <= 99;
        }
        cities += !ads[a].city.empty() && v == ads[a].city;
      }
      const std::string_view after = g < chosen.size() ? words[chosen[g]] : std::string_view{};
      const std::string_view before = g > 0 ? words[chosen[g - 1]] : std::string_view{};
      const bool age_word = after == "years" || after == "yrs" || after == "yo" || after == "y" ||
                            before == "age" || before == "aged";
      // By majority, as edits put stray words in some ads' slots: a city when at least half
      // the values are the ad's city, a number when at least 80% are numbers (an age when those
      // are 18-99 beside "years", "yo", "age").
      SlotKind kind = SlotKind::text;
      if (filled > 0 && cities * 2 >= filled) {
        kind = SlotKind::city;
      } else if (filled > 0 && numbers * 5 >= filled * 4) {
        kind = ages * 5 >= filled * 4 && age_word ? SlotKind::age : SlotKind::number;
      }
      out.parts.push_back({true, {}, slot_of[g], kind});
    }
    if (g < chosen.size())
      out.parts.push_back({false, std::string(words[chosen[g]]), -1, SlotKind::text});
  }
  return out;
}

}  // namespace ctip::online::linking
