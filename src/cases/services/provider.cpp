#include "cases/services/provider.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "core/country.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/text.h"

namespace ctip::cases::services {
namespace {

constexpr std::array<std::string_view, 7> kServiceNames = {
    "shelter",     "medical",    "psychological", "legal_aid",
    "translation", "employment", "repatriation"};

bool known(std::span<const std::string_view> list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// A two-letter lower-case ISO 639-1 code (the form case_files.languages uses).
bool language_code(std::string_view s) {
  return s.size() == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
}

std::string ascii_upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto semi = s.find(';');
    auto item = core::trim_blanks(s.substr(0, semi));
    if (!item.empty()) out.emplace_back(item);
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return out;
}

constexpr std::array<std::string_view, 15> kColumns = {
    "name",          "services", "languages", "interpreter",       "region",
    "location",      "sexes",    "min_age",   "max_age",           "nationalities",
    "documentation", "capacity", "occupancy", "funding_this_year", "funding_baseline"};

std::optional<int64_t> parse_int(std::string_view s, int64_t lo, int64_t hi) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

}  // namespace

std::string_view to_string(ServiceType t) { return kServiceNames.at(static_cast<size_t>(t)); }

std::optional<ServiceType> parse_service_type(std::string_view s) {
  for (size_t i = 0; i < kServiceNames.size(); ++i)
    if (kServiceNames[i] == s) return static_cast<ServiceType>(i);
  return std::nullopt;
}

bool Provider::offers(ServiceType t) const {
  return std::find(services.begin(), services.end(), t) != services.end();
}

void validate(const Provider& p) {
  if (core::trim_blanks(p.name).empty()) invalid("name", "a provider needs a name");
  if (p.name.size() > 200) invalid("name", "the name is longer than 200 bytes");
  if (p.services.empty())
    invalid("services", "a provider offers at least one service: " + core::joined(kServiceNames));
  for (const auto& l : p.languages)
    if (!language_code(l))
      invalid("languages", "'" + l + "' is not a two-letter ISO 639-1 code (e.g. ro, en)");
  if (p.region.size() > 100) invalid("region", "the region is longer than 100 bytes");
  if (p.location.size() > 200) invalid("location", "the location is longer than 200 bytes");
  for (const auto& s : p.eligibility.sexes)
    if (s == "unknown" || !known(kSexes, s))
      invalid("sexes", "'" + s + "' is not female, male or other");
  for (const auto& n : p.eligibility.nationalities)
    if (!find_country(n))
      invalid("nationalities", "'" + n + "' is not an ISO 3166-1 alpha-2 country code");
  for (const auto& d : p.eligibility.documentation)
    if (!known(kDocumentationStatuses, d))
      invalid("documentation", "'" + d + "' is not one of " + core::joined(kDocumentationStatuses));
  auto age_ok = [](const std::optional<int>& a) { return !a || (*a >= 0 && *a <= 130); };
  if (!age_ok(p.eligibility.min_age)) invalid("min_age", "min_age is between 0 and 130");
  if (!age_ok(p.eligibility.max_age)) invalid("max_age", "max_age is between 0 and 130");
  if (p.eligibility.min_age && p.eligibility.max_age &&
      *p.eligibility.min_age > *p.eligibility.max_age)
    invalid("max_age", "max_age is below min_age");
  if (p.capacity < 0) invalid("capacity", "capacity cannot be negative");
  if (p.occupancy < 0) invalid("occupancy", "occupancy cannot be negative");
  if (p.occupancy > p.capacity)
    invalid("occupancy", "occupancy " + std::to_string(p.occupancy) + " exceeds capacity " +
                             std::to_string(p.capacity));
  if (p.funding_this_year < 0) invalid("funding_this_year", "funding cannot be negative");
  if (p.funding_baseline < 0) invalid("funding_baseline", "funding cannot be negative");
}

ProviderCsv read_providers_csv(std::istream& in) {
  ProviderCsv out;
  csv::Reader reader(in);
  if (!reader.next()) {
    out.problems.push_back({1, "header", "the file is empty: expected a header row"});
    return out;
  }
  // Column positions by name (any order; org_id optional).
  std::vector<std::string> header;
  for (auto f : reader.fields())
    header.emplace_back(core::ascii_lower(std::string(core::trim_blanks(f))));
  auto column = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    return std::nullopt;
  };
  std::array<size_t, kColumns.size()> at{};
  for (size_t i = 0; i < kColumns.size(); ++i) {
    auto c = column(kColumns[i]);
    if (!c) {
      out.problems.push_back({1, std::string(kColumns[i]),
                              "the header has no column '" + std::string(kColumns[i]) +
                                  "' (expected: " + core::joined(kColumns) + ")"});
      continue;
    }
    at[i] = *c;
  }
  auto org_column = column("org_id");
  auto org_name_column = column("organisation");
  if (!out.problems.empty()) return out;
  reader.expect_fields(header.size());

  while (reader.next()) {
    size_t line = reader.line();
    if (reader.problem()) {
      out.problems.push_back({line, "row", reader.problem()->message});
      continue;
    }
    auto fields = reader.fields();
    auto cell = [&](size_t i) { return core::trim_blanks(fields[at[i]]); };
    size_t before = out.problems.size();
    auto bad = [&](std::string_view field, std::string message) {
      out.problems.push_back({line, std::string(field), std::move(message)});
    };
    Provider p;
    p.name = std::string(cell(0));
    for (const auto& s : split_list(cell(1))) {
      if (auto t = parse_service_type(s))
        p.services.push_back(*t);
      else
        bad("services", "'" + s + "' is not one of " + core::joined(kServiceNames));
    }
    for (auto& l : split_list(cell(2))) p.languages.push_back(core::ascii_lower(l));
    auto interp = core::ascii_lower(std::string(cell(3)));
    if (interp == "yes" || interp == "true" || interp == "1")
      p.interpreter = true;
    else if (!(interp.empty() || interp == "no" || interp == "false" || interp == "0"))
      bad("interpreter", "interpreter is yes or no");
    p.region = std::string(cell(4));
    p.location = std::string(cell(5));
    for (auto& s : split_list(cell(6))) p.eligibility.sexes.push_back(core::ascii_lower(s));
    auto age = [&](size_t i, std::string_view field) -> std::optional<int> {
      if (cell(i).empty()) return std::nullopt;
      auto v = parse_int(cell(i), 0, 130);
      if (!v) {
        bad(field, std::string(field) + " is a whole number of years from 0 to 130");
        return std::nullopt;
      }
      return static_cast<int>(*v);
    };
    p.eligibility.min_age = age(7, "min_age");
    p.eligibility.max_age = age(8, "max_age");
    for (auto& n : split_list(cell(9))) p.eligibility.nationalities.push_back(ascii_upper(n));
    for (auto& d : split_list(cell(10))) p.eligibility.documentation.push_back(d);
    auto count = [&](size_t i, std::string_view field, bool required) -> int64_t {
      if (cell(i).empty()) {
        if (required) bad(field, std::string(field) + " is required");
        return 0;
      }
      auto v = parse_int(cell(i), 0, std::numeric_limits<int64_t>::max() / 4);
      if (!v) {
        bad(field,
            std::string(field) + " is a whole number >= 0, not '" + std::string(cell(i)) + "'");
        return 0;
      }
      return *v;
    };
    p.capacity = count(11, "capacity", true);
    p.occupancy = count(12, "occupancy", false);
    p.funding_this_year = count(13, "funding_this_year", false);
    p.funding_baseline = count(14, "funding_baseline", false);
    if (org_column && !core::trim_blanks(fields[*org_column]).empty()) {
      auto v =
          parse_int(core::trim_blanks(fields[*org_column]), 1, std::numeric_limits<int64_t>::max());
      if (!v)
        bad("org_id", "org_id is an organisation's id (a positive whole number) or empty");
      else
        p.org_id = v;
    }
    if (org_name_column) p.org_name = std::string(core::trim_blanks(fields[*org_name_column]));
    if (p.org_id && !p.org_name.empty())
      bad("organisation", "give org_id or organisation, not both");
    if (out.problems.size() == before) {
      try {
        validate(p);
      } catch (const Error& e) {
        bad(e.field(), e.what());
      }
    }
    if (out.problems.size() == before) out.providers.push_back(std::move(p));
  }
  if (out.providers.empty() && out.problems.empty())
    out.problems.push_back({1, "rows", "the file has a header and no provider"});
  return out;
}

}  // namespace ctip::cases::services
