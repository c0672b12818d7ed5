#include "flows/report.h"

#include <nlohmann/json.hpp>

namespace ctip::flows {
namespace {

Json errors_json(const std::vector<RowError>& errors) {
  Json out = Json::array();
  for (const auto& e : errors)
    out.push_back({{"line", e.line},
                   {"column", e.column},
                   {"column_name", e.column_name},
                   {"message", e.message}});
  return out;
}

Json unknown_json(const std::vector<UnknownValue>& values) {
  Json out = Json::object();
  for (const auto& u : values) out[u.column].push_back({{"value", u.value}, {"count", u.count}});
  return out;
}

}  // namespace

Json to_json(const ImportSummary& s) {
  return {{"format", to_string(s.format)},
          {"rows_read", s.rows_read},
          {"imported", s.imported},
          {"skipped", s.skipped},
          {"columns", s.columns},
          {"ignored_columns", s.ignored_columns},
          {"terms_of_use_column", s.terms_of_use_column},
          {"sources", s.sources},
          {"unknown_values", unknown_json(s.unknown_values)},
          {"error_count", s.error_count},
          {"errors", errors_json(s.errors)}};
}

Json corridors_json(const CorridorMatrix& m) {
  Json out = Json::array();
  for (const auto& c : m.corridors)
    out.push_back({{"citizenship", alpha3(c.citizenship)},
                   {"exploitation", alpha3(c.exploitation)},
                   {"count", c.count}});
  return out;
}

Json corridors_basis_json(const CorridorMatrix& m) {
  return {{"records", m.records},
          {"unknown", m.unknown},
          {"unknown_citizenship", m.unknown_citizenship},
          {"unknown_exploitation", m.unknown_exploitation}};
}

Json domestic_json(const DomesticShares& d) {
  Json out = Json::array();
  for (const auto& r : d.rows) {
    Json row;
    if (d.by == DomesticBy::year)
      row["year"] = r.year;
    else
      row["country"] = alpha3(r.country);
    row["domestic"] = r.domestic;
    row["total_known"] = r.total_known;
    row["unknown"] = r.unknown;
    row["share"] = r.share;
    out.push_back(std::move(row));
  }
  return out;
}

Json to_json(const CategoriesByYear& c) {
  Json years = Json::array();
  for (const auto& y : c.years) {
    Json counts = Json::object();
    for (size_t i = 0; i < c.categories.size(); ++i)
      counts[std::string(c.categories[i])] = y.counts[i];
    years.push_back({{"year", y.year},
                     {"records", y.records},
                     {"known", y.known},
                     {"unknown", y.unknown},
                     {"counts", std::move(counts)}});
  }
  Json cats = Json::array();
  for (auto name : c.categories) cats.push_back(name);
  return {{"group", to_string(c.group)},    {"categories", std::move(cats)},
          {"records", c.records},           {"unknown", c.unknown},
          {"unknown_year", c.unknown_year}, {"years", std::move(years)}};
}

Json to_json(const Count& c) { return {{"lo", c.lo}, {"hi", c.hi}}; }

Json to_json(const GlotipSummary& s) {
  Json malformed = Json::array();
  for (const auto& m : s.malformed)
    malformed.push_back({{"line", m.line},
                         {"country", alpha3(m.country)},
                         {"year", m.year},
                         {"indicator", m.indicator},
                         {"dimension", m.dimension},
                         {"category", m.category},
                         {"value", m.text}});
  return {{"format", "glotip"},
          {"rows_read", s.rows_read},
          {"imported", s.imported},
          {"skipped", s.skipped},
          {"error_count", s.error_count},
          {"errors", errors_json(s.errors)},
          {"malformed", std::move(malformed)},
          {"unknown_values", unknown_json(s.unknown_values)}};
}

Json to_json(const std::vector<GlotipDomesticRow>& rows) {
  Json out = Json::array();
  for (const auto& r : rows)
    out.push_back({{"country", alpha3(r.country)},
                   {"year", r.year},
                   {"domestic", to_json(r.domestic)},
                   {"foreign", to_json(r.foreign)},
                   {"total_known", to_json(r.total_known)},
                   {"unknown", to_json(r.unknown)},
                   {"unmapped", to_json(r.unmapped)},
                   {"malformed", r.malformed},
                   {"share", {{"lo", r.share_lo}, {"hi", r.share_hi}}}});
  return out;
}

Json to_json(const std::vector<GlotipCorridor>& corridors) {
  Json out = Json::array();
  for (const auto& c : corridors)
    out.push_back({{"citizenship", alpha3(c.citizenship)},
                   {"exploitation", alpha3(c.exploitation)},
                   {"count", to_json(c.count)}});
  return out;
}

}  // namespace ctip::flows
