#include "flows/shifts.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/country.h"
#include "core/error.h"
#include "flows/import.h"
#include "flows/selection.h"

namespace ctip::flows {
namespace {

// Counts in the two periods: [0] baseline, [1] comparison.
using Pair = std::array<int64_t, 2>;

std::string country_name(CountryCode code) {
  auto c = find_country(alpha3(code));
  return c ? c->name : alpha3(code);
}

// The keys of an unordered map in ascending order: series come out in a stable order.
template <class Map>
std::vector<typename Map::key_type> sorted_keys(const Map& map) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& entry : map) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  return keys;
}

int64_t years_in(const stats::Period& p) { return p.last_year - p.first_year + 1; }

Json estimate_json(const stats::Estimate& e) {
  return {{"estimate", e.value}, {"lower", e.lower}, {"upper", e.upper}};
}

std::string_view verdict_name(stats::Verdict v) {
  switch (v) {
    case stats::Verdict::shift:
      return "shift";
    case stats::Verdict::no_shift:
      return "no_shift";
    case stats::Verdict::too_few_records:
      return "too_few_records";
  }
  return "too_few_records";
}

// The yearly counts of one series, from its first to its last year with records, over the
// years the data report (`years`): a reported year without records in the series counts 0.
stats::YearlySeries yearly(std::string label, const std::map<int, int64_t>& by_year,
                           const std::map<int, int64_t>& years) {
  stats::YearlySeries s{std::move(label), {}};
  if (by_year.empty()) return s;
  for (const auto& [y, n] : years) {
    if (y < by_year.begin()->first || y > by_year.rbegin()->first) continue;
    auto it = by_year.find(y);
    s.counts.push_back({y, it == by_year.end() ? 0 : it->second});
  }
  return s;
}

}  // namespace

std::string category_words(std::string_view c) {
  std::string out;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (std::isupper(static_cast<unsigned char>(ch))) {
      if (i > 0) out += ' ';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else {
      out += ch;
    }
  }
  // CTDC abbreviates: "SexualExploit" is sexual exploitation.
  if (out.ends_with(" exploit")) out += "ation";
  return out;
}

stats::Period parse_period(std::string_view text, std::string_view field) {
  auto year = [&](std::string_view t) {
    int y = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), y);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty())
      invalid(std::string(field), std::string(field) + " must be years such as 2017-2019, not \"" +
                                      std::string(text) + "\"");
    if (y < kFirstYear || y > kLastYear)
      invalid(std::string(field),
              std::string(field) + ": " + std::to_string(y) + " is not a year of case records (" +
                  std::to_string(kFirstYear) + "-" + std::to_string(kLastYear) + ")");
    return y;
  };
  auto dash = text.find('-');
  stats::Period p;
  if (dash == std::string_view::npos) {
    p.first_year = p.last_year = year(text);
  } else {
    p.first_year = year(text.substr(0, dash));
    p.last_year = year(text.substr(dash + 1));
  }
  if (p.first_year > p.last_year)
    invalid(std::string(field), std::string(field) + ": the period ends before it starts");
  return p;
}

ShiftReport find_shifts(const RecordTable& t, const Filter& filter,
                        const stats::ShiftCriteria& criteria, std::optional<int> partial_year) {
  Selection sel(t, filter);
  const auto& b = criteria.baseline;
  const auto& k = criteria.compare;
  Pair domestic{}, both_known{}, form_known{};
  const auto forms = categories(FlagGroup::exploitation);
  std::vector<Pair> form(forms.size(), Pair{});
  const auto& exploitation_mask = t.flags[static_cast<size_t>(FlagGroup::exploitation)];

  // The pass over the records tallies into arrays indexed by a dense country number (given in
  // order of first sight) and a year slot: no hashing per record, so 10 million records take a
  // fraction of a second (bench/README.md). The maps below are filled from them once.
  constexpr size_t kYearSlots = kLastYear - kFirstYear + 1;
  const size_t cap = all_countries().size() + 2;  // record.h: every known code is ISO 3166
  std::vector<uint16_t> dense(kCountryCodes, 0);  // 0: not met yet
  std::vector<CountryCode> code_of{kUnknownCountry};
  auto index = [&](CountryCode c) -> size_t {
    if (dense[c] == 0) {
      if (code_of.size() >= cap) throw Error(ErrorCode::internal, "more countries than ISO 3166");
      dense[c] = static_cast<uint16_t>(code_of.size());
      code_of.push_back(c);
    }
    return dense[c];
  };
  std::vector<Pair> dom_c(cap), known_c(cap), records_c(cap), corridor_c(cap * cap);
  std::vector<int64_t> year_total(kYearSlots), year_c(cap * kYearSlots);

  for (size_t i = 0; i < t.size(); ++i) {
    if (!sel.keeps(i)) continue;
    const int y = t.year[i];
    if (y < kFirstYear || y > kLastYear) continue;  // 0: unknown
    const auto slot = static_cast<size_t>(y - kFirstYear);
    const CountryCode cit = t.citizenship[i];
    const CountryCode exp = t.exploitation[i];
    const size_t e = exp == kUnknownCountry ? 0 : index(exp);
    if (y != partial_year) {
      ++year_total[slot];
      if (e) ++year_c[e * kYearSlots + slot];
    }
    int p = -1;
    if (y >= b.first_year && y <= b.last_year) p = 0;
    if (y >= k.first_year && y <= k.last_year) p = 1;
    if (p < 0) continue;
    if (e) ++records_c[e][p];
    if (cit != kUnknownCountry && e) {
      ++both_known[p];
      ++known_c[e][p];
      ++corridor_c[index(cit) * cap + e][p];
      if (cit == exp) {
        ++domestic[p];
        ++dom_c[e][p];
      }
    }
    const uint32_t m = exploitation_mask[i] & ~not_specified_mask(FlagGroup::exploitation);
    if (m != 0) {
      ++form_known[p];
      for (size_t c = 0; c < forms.size(); ++c)
        if (m & (1u << c)) ++form[c][p];
    }
  }

  auto met = [](const Pair& x) { return x[0] != 0 || x[1] != 0; };
  std::unordered_map<CountryCode, Pair> dom_by_country, known_by_country, records_by_country;
  std::unordered_map<uint32_t, Pair> corridor;
  std::map<int, int64_t> per_year;
  std::unordered_map<CountryCode, std::map<int, int64_t>> per_year_by_country;
  for (size_t slot = 0; slot < kYearSlots; ++slot)
    if (year_total[slot]) per_year[kFirstYear + static_cast<int>(slot)] = year_total[slot];
  for (size_t d = 1; d < code_of.size(); ++d) {
    const CountryCode c = code_of[d];
    if (met(records_c[d])) records_by_country[c] = records_c[d];
    if (met(known_c[d])) {
      known_by_country[c] = known_c[d];
      dom_by_country[c] = dom_c[d];
    }
    for (size_t slot = 0; slot < kYearSlots; ++slot)
      if (year_c[d * kYearSlots + slot])
        per_year_by_country[c][kFirstYear + static_cast<int>(slot)] = year_c[d * kYearSlots + slot];
    for (size_t o = 1; o < code_of.size(); ++o)
      if (met(corridor_c[o * cap + d]))
        corridor[(uint32_t{code_of[o]} << 16) | c] = corridor_c[o * cap + d];
  }

  ShiftReport out;
  out.criteria = criteria;
  auto add = [&](std::string kind, std::string label, stats::Measure measure, Pair count,
                 Pair total) {
    // A share needs records in both periods to be a share at all; a series with none in a period
    // is left out (it is not a shift that can be judged, nor one to report as "too few").
    if (total[0] <= 0 || total[1] <= 0) return;
    out.series.push_back(
        {std::move(kind), {std::move(label), measure, count[0], total[0], count[1], total[1]}});
  };
  const Pair years{years_in(b), years_in(k)};

  add("domestic_share", "Domestic share", stats::Measure::share, domestic, both_known);
  for (CountryCode c : sorted_keys(known_by_country))
    add("domestic_share", "Domestic share in " + country_name(c), stats::Measure::share,
        dom_by_country[c], known_by_country[c]);
  for (size_t c = 0; c < forms.size(); ++c)
    if (form[c][0] + form[c][1] > 0)
      add("category_share",
          "Share of " + category_words(forms[c]) + " among records with a known form",
          stats::Measure::share, form[c], form_known);
  for (uint32_t key : sorted_keys(corridor)) {
    auto cit = static_cast<CountryCode>(key >> 16);
    auto exp = static_cast<CountryCode>(key & 0xffff);
    if (cit == exp) continue;  // the domestic share covers them
    add("corridor_count",
        "Records from " + country_name(cit) + " exploited in " + country_name(exp),
        stats::Measure::rate, corridor[key], years);
  }
  for (CountryCode c : sorted_keys(records_by_country))
    add("records", "Records exploited in " + country_name(c), stats::Measure::rate,
        records_by_country[c], years);

  std::vector<stats::SeriesCounts> counts;
  counts.reserve(out.series.size());
  for (const auto& s : out.series) counts.push_back(s.counts);
  out.results = stats::detect_shifts(counts, criteria);

  auto changepoints = [&](const stats::YearlySeries& s) {
    if (s.counts.size() < 2) return;
    auto seg = stats::find_changepoints(s);
    for (auto& cp : seg.changepoints) {
      out.changepoints.push_back(cp);
      out.changepoint_labels.push_back(s.label);
    }
  };
  changepoints(yearly("Records a year", per_year, per_year));
  for (CountryCode c : sorted_keys(per_year_by_country))
    changepoints(
        yearly("Records exploited in " + country_name(c), per_year_by_country[c], per_year));
  return out;
}

Json to_json(const ShiftReport& r) {
  std::vector<size_t> order(r.results.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto rank = [&](size_t i) {
    switch (r.results[i].verdict) {
      case stats::Verdict::shift:
        return 0;
      case stats::Verdict::no_shift:
        return 1;
      case stats::Verdict::too_few_records:
        return 2;
    }
    return 2;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return r.results[a].q_value < r.results[b].q_value;
  });
  Json shifts = Json::array();
  int64_t tested = 0;
  for (size_t i : order) {
    const auto& res = r.results[i];
    const auto& s = r.series[i];
    if (res.verdict != stats::Verdict::too_few_records) ++tested;
    Json j = {
        {"label", res.label},
        {"kind", s.kind},
        {"measure", res.measure == stats::Measure::rate ? "rate" : "share"},
        {"verdict", verdict_name(res.verdict)},
        {"test", res.test},
        {"p_value", res.p_value},
        {"q_value", res.q_value},
        {"ratio", estimate_json(res.ratio)},
        {"baseline", {{"count", s.counts.baseline_count}, {"total", s.counts.baseline_total}}},
        {"compare", {{"count", s.counts.compare_count}, {"total", s.counts.compare_total}}},
        {"explanation", res.explanation}};
    if (res.difference) j["difference"] = estimate_json(*res.difference);
    shifts.push_back(std::move(j));
  }
  Json cps = Json::array();
  for (size_t i = 0; i < r.changepoints.size(); ++i) {
    const auto& cp = r.changepoints[i];
    cps.push_back({{"label", r.changepoint_labels[i]},
                   {"year", cp.year},
                   {"mean_before", cp.mean_before},
                   {"mean_after", cp.mean_after},
                   {"explanation", cp.explanation}});
  }
  auto period = [](const stats::Period& p) {
    return Json{{"first_year", p.first_year}, {"last_year", p.last_year}};
  };
  return {{"baseline", period(r.criteria.baseline)},
          {"compare", period(r.criteria.compare)},
          {"series", r.series.size()},
          {"tested", tested},
          {"shifts", std::move(shifts)},
          {"changepoints", std::move(cps)}};
}

}  // namespace ctip::flows
