#include "flows/publish.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "flows/selection.h"

namespace ctip::flows {
namespace {

std::string_view status_name(stats::CellStatus s) {
  switch (s) {
    case stats::CellStatus::published:
      return "published";
    case stats::CellStatus::primary:
      return "primary";
    case stats::CellStatus::secondary:
      return "secondary";
  }
  return "primary";
}

void csv_row(std::string& out, const std::string& a, const std::string& b, const Json& count,
             const std::string& status) {
  out += a + "," + b + ",";
  if (count.is_number_integer()) out += std::to_string(count.get<int64_t>());
  out += "," + (count.is_null() ? std::string("suppressed") : status) + "\n";
}

std::string status_at(const Json& published, size_t r, size_t c) {
  if (!published.contains("status")) return "published";
  return published["status"][r][c].get<std::string>();
}

}  // namespace

stats::CountTable corridor_table(const RecordTable& t, const Filter& filter) {
  Selection sel(t, filter);
  std::vector<bool> row_met(kCountryCodes), col_met(kCountryCodes);
  std::vector<std::pair<CountryCode, CountryCode>> pairs;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!sel.keeps(i)) continue;
    CountryCode a = t.citizenship[i], b = t.exploitation[i];
    if (a == kUnknownCountry || b == kUnknownCountry) continue;
    row_met[a] = col_met[b] = true;
    pairs.emplace_back(a, b);
  }
  stats::CountTable out;
  std::vector<int> row_of(kCountryCodes, -1), col_of(kCountryCodes, -1);
  for (size_t c = 1; c < kCountryCodes; ++c) {
    if (row_met[c]) {
      row_of[c] = static_cast<int>(out.rows.size());
      out.rows.push_back(alpha3(static_cast<CountryCode>(c)));
    }
    if (col_met[c]) {
      col_of[c] = static_cast<int>(out.columns.size());
      out.columns.push_back(alpha3(static_cast<CountryCode>(c)));
    }
  }
  out.counts.assign(out.rows.size() * out.columns.size(), 0);
  for (auto [a, b] : pairs)
    ++out.counts[static_cast<size_t>(row_of[a]) * out.columns.size() +
                 static_cast<size_t>(col_of[b])];
  return out;
}

Json published_json(const stats::SuppressedTable& table) {
  Json out = table.to_json();
  Json status = Json::array();
  for (size_t r = 0; r + 1 < table.rows(); ++r) {
    Json row = Json::array();
    for (size_t c = 0; c + 1 < table.columns(); ++c) row.push_back(status_name(table.status(r, c)));
    status.push_back(std::move(row));
  }
  out["table"] = "corridors";
  out["method"] = "k";
  out["status"] = std::move(status);
  out["suppressed"] = table.suppressed_count();
  return out;
}

Json published_json(const stats::PrivateRelease& release) {
  Json out = release.to_json();
  out.erase("dataset");  // the service records the dataset beside the table
  Json status = Json::array();
  for (size_t r = 0; r < release.table.rows.size(); ++r)
    status.push_back(Json(std::vector<std::string>(release.table.columns.size(), "published")));
  out["table"] = "corridors";
  out["method"] = "epsilon";
  out["status"] = std::move(status);
  out["suppressed"] = 0;
  return out;
}

std::string published_csv(const Json& p) {
  std::string out = "citizenship,exploitation,count,status\n";
  const auto& rows = p["rows"];
  const auto& cols = p["columns"];
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t c = 0; c < cols.size(); ++c)
      csv_row(out, rows[r].get<std::string>(), cols[c].get<std::string>(), p["cells"][r][c],
              status_at(p, r, c));
  for (size_t r = 0; r < rows.size(); ++r)
    csv_row(out, rows[r].get<std::string>(), "TOTAL", p["row_totals"][r], "published");
  for (size_t c = 0; c < cols.size(); ++c)
    csv_row(out, "TOTAL", cols[c].get<std::string>(), p["column_totals"][c], "published");
  csv_row(out, "TOTAL", "TOTAL", p["grand_total"], "published");
  return out;
}

}  // namespace ctip::flows
