#include "flows/flows_repository.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "core/json_input.h"
#include "flows/chunk.h"

namespace ctip::flows::repository {
namespace {

using store::Params;
using store::Row;
using store::Value;

Value optional_value(const std::optional<int64_t>& v) { return v ? Value(*v) : store::null_value; }

std::string_view kind_name(CitizenshipKind k) {
  switch (k) {
    case CitizenshipKind::country:
      return "country";
    case CitizenshipKind::nationals:
      return "nationals";
    case CitizenshipKind::foreign:
      return "foreign";
    case CitizenshipKind::unknown:
      return "unknown";
  }
  return "unknown";
}

CitizenshipKind kind_of(const std::string& s) {
  if (s == "country") return CitizenshipKind::country;
  if (s == "nationals") return CitizenshipKind::nationals;
  if (s == "foreign") return CitizenshipKind::foreign;
  return CitizenshipKind::unknown;
}

std::vector<std::string> sources_of(const std::string& text) {
  auto j = Json::parse(text, nullptr, false);
  if (!j.is_array()) throw Error(ErrorCode::integrity, "flow_imports.sources is not a JSON array");
  return j.get<std::vector<std::string>>();
}

}  // namespace

int64_t insert_import(store::Connection& c, const NewImport& in) {
  return c
      .query_row(
          "INSERT INTO flow_imports (format, file_name, status, job_id, created_by, "
          "created_by_user, created_at, sources) VALUES (?, ?, 'importing', ?, ?, ?, ?, '[]') "
          "RETURNING id",
          {std::string(to_string(in.format)), in.file_name, optional_value(in.job_id),
           in.created_by, optional_value(in.created_by_user), in.created_at})
      .integer(0);
}

void insert_chunk(store::Connection& c, int64_t import_id, int64_t chunk, int64_t records,
                  const std::string& data) {
  c.execute("INSERT INTO flow_record_chunks (import_id, chunk, records, data) VALUES (?, ?, ?, ?)",
            {import_id, chunk, records, data});
}

void insert_glotip_values(store::Connection& c, int64_t import_id, const GlotipData& data) {
  const std::string sql =
      "INSERT INTO flow_glotip_values (import_id, line, country, year, indicator, dimension, "
      "category, sex, age, lo, hi, value_text, citizenship_kind, citizenship_country) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  int64_t line = 0;
  for (const auto& v : data.values) {
    Value kind = store::null_value, country = store::null_value;
    if (v.citizenship) {
      kind = std::string(kind_name(v.citizenship->kind));
      if (v.citizenship->kind == CitizenshipKind::country) country = alpha3(v.citizenship->country);
    }
    // The reader keeps no line per value; a running number keys the row.
    c.execute(sql, {import_id, ++line, alpha3(v.country), int64_t{v.year}, v.indicator, v.dimension,
                    v.category, v.sex, v.age, static_cast<int64_t>(v.value.lo),
                    static_cast<int64_t>(v.value.hi), store::null_value, kind, country});
  }
  for (const auto& m : data.summary.malformed)
    c.execute(sql, {import_id, ++line, alpha3(m.country), int64_t{m.year}, m.indicator, m.dimension,
                    m.category, std::string("Total"), std::string("Total"), store::null_value,
                    store::null_value, m.text, store::null_value, store::null_value});
}

void complete_import(store::Connection& c, int64_t import_id, const ImportSummary& s,
                     const std::string& summary_json, const std::string& file_sha256) {
  c.execute(
      "UPDATE flow_imports SET status = 'complete', rows_read = ?, imported = ?, skipped = ?, "
      "sources = ?, summary = ?, file_sha256 = ? WHERE id = ?",
      {static_cast<int64_t>(s.rows_read), static_cast<int64_t>(s.imported),
       static_cast<int64_t>(s.skipped), Json(s.sources).dump(), summary_json, file_sha256,
       import_id});
}

void complete_glotip_import(store::Connection& c, int64_t import_id, const GlotipSummary& s,
                            const std::string& summary_json, const std::string& file_sha256) {
  c.execute(
      "UPDATE flow_imports SET status = 'complete', rows_read = ?, imported = ?, skipped = ?, "
      "sources = '[\"unknown\"]', summary = ?, file_sha256 = ? WHERE id = ?",
      {static_cast<int64_t>(s.rows_read), static_cast<int64_t>(s.imported),
       static_cast<int64_t>(s.skipped), summary_json, file_sha256, import_id});
}

void delete_import_of_job(store::Connection& c, int64_t job_id) {
  for (const auto& r :
       c.query("SELECT id FROM flow_imports WHERE job_id = ? AND status = 'importing'", {job_id})) {
    int64_t id = r.integer(0);
    c.execute("DELETE FROM flow_record_chunks WHERE import_id = ?", {id});
    c.execute("DELETE FROM flow_glotip_values WHERE import_id = ?", {id});
    c.execute("DELETE FROM flow_imports WHERE id = ?", {id});
  }
}

std::vector<ImportRow> complete_imports(store::Connection& c) {
  std::vector<ImportRow> out;
  for (const auto& r :
       c.query("SELECT id, format, file_name, file_sha256, status, created_by, created_at, "
               "rows_read, imported, skipped, sources FROM flow_imports WHERE status = 'complete' "
               "ORDER BY id")) {
    ImportRow i;
    i.id = r.integer(0);
    i.format = parse_format(r.text(1));
    i.file_name = r.text(2);
    i.file_sha256 = r.text(3);
    i.status = r.text(4);
    i.created_by = r.text(5);
    i.created_at = r.text(6);
    i.rows_read = r.integer(7);
    i.imported = r.integer(8);
    i.skipped = r.integer(9);
    i.sources = sources_of(r.text(10));
    out.push_back(std::move(i));
  }
  return out;
}

std::string records_fingerprint(store::Connection& c) {
  auto r = c.query_row(
      "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(imported), 0) FROM flow_imports "
      "WHERE status = 'complete'");
  std::string f = std::to_string(r.integer(0)) + "/" + std::to_string(r.integer(1)) + "/" +
                  std::to_string(r.integer(2));
  // The newest import's hash: a fresh store that imports another file of the same size under
  // the same id is not mistaken for the one cached.
  auto h = c.query_one(
      "SELECT file_sha256 FROM flow_imports WHERE status = 'complete' ORDER BY id DESC LIMIT 1");
  if (h) f += "/" + h->text(0);
  return f;
}

RecordTable load_records(store::Connection& c) {
  RecordTable table;
  // All chunks first (about 80 MB of text for 10 million records), then decoded on the
  // machine's cores, each into its own rows (chunk.h).
  std::vector<std::vector<uint8_t>> maps;
  std::vector<std::string> packed;
  std::vector<std::pair<size_t, size_t>> chunk_of;  // (map, records) per packed
  std::vector<ImportRow> imports;
  for (auto& imp : complete_imports(c))
    if (imp.format != Format::glotip) imports.push_back(std::move(imp));
  maps.reserve(imports.size());
  for (const auto& imp : imports) {
    auto& map = maps.emplace_back();
    for (const auto& s : imp.sources) map.push_back(table.source_index(s));
    for (const auto& r :
         c.query("SELECT records, data FROM flow_record_chunks WHERE import_id = ? ORDER BY chunk",
                 {imp.id})) {
      const int64_t n = r.integer(0);
      if (n < 0) throw Error(ErrorCode::integrity, "flow_record_chunks.records is negative");
      chunk_of.emplace_back(maps.size() - 1, static_cast<size_t>(n));
      packed.push_back(r.text(1));
    }
  }
  std::vector<PackedChunk> chunks;
  chunks.reserve(packed.size());
  for (size_t i = 0; i < packed.size(); ++i)
    chunks.push_back({packed[i], maps[chunk_of[i].first], chunk_of[i].second});
  unpack_chunks(chunks, table, std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  return table;
}

GlotipData load_glotip(store::Connection& c) {
  GlotipData out;
  for (const auto& r : c.query(
           "SELECT v.line, v.country, v.year, v.indicator, v.dimension, v.category, v.sex, v.age, "
           "v.lo, v.hi, v.value_text, v.citizenship_kind, v.citizenship_country FROM "
           "flow_glotip_values v JOIN flow_imports i ON i.id = v.import_id WHERE i.status = "
           "'complete' ORDER BY v.import_id, v.line")) {
    auto country = country_code(r.text(1)).value_or(kUnknownCountry);
    if (r.is_null(8)) {
      out.summary.malformed.push_back({static_cast<size_t>(r.integer(0)), country,
                                       static_cast<int>(r.integer(2)), r.text(3), r.text(4),
                                       r.text(5), r.text(10)});
      continue;
    }
    GlotipValue v;
    v.country = country;
    v.year = static_cast<int>(r.integer(2));
    v.indicator = r.text(3);
    v.dimension = r.text(4);
    v.category = r.text(5);
    v.sex = r.text(6);
    v.age = r.text(7);
    v.value = {static_cast<uint64_t>(r.integer(8)), static_cast<uint64_t>(r.integer(9))};
    if (!r.is_null(11)) {
      CitizenshipEntry e{kind_of(r.text(11)), kUnknownCountry};
      if (!r.is_null(12)) e.country = country_code(r.text(12)).value_or(kUnknownCountry);
      v.citizenship = e;
    }
    out.values.push_back(std::move(v));
  }
  out.summary.imported = out.values.size();
  return out;
}

int64_t count_glotip_values(store::Connection& c) {
  return c
      .query_row(
          "SELECT COUNT(*) FROM flow_glotip_values v JOIN flow_imports i ON i.id = v.import_id "
          "WHERE i.status = 'complete' AND v.lo IS NOT NULL")
      .integer(0);
}

void ensure_budget(store::Connection& c, const std::string& dataset, int64_t total_micro) {
  c.execute(
      "INSERT INTO flow_budgets (dataset, total_micro, spent_micro) VALUES (?, ?, 0) "
      "ON CONFLICT (dataset) DO NOTHING",
      {dataset, total_micro});
}

std::optional<Budget> find_budget(store::Connection& c, const std::string& dataset) {
  auto r =
      c.query_one("SELECT total_micro, spent_micro FROM flow_budgets WHERE dataset = ?", {dataset});
  if (!r) return std::nullopt;
  return Budget{dataset, r->integer(0), r->integer(1)};
}

bool spend_budget(store::Connection& c, const std::string& dataset, int64_t micro) {
  c.execute(
      "UPDATE flow_budgets SET spent_micro = spent_micro + ? WHERE dataset = ? AND "
      "spent_micro + ? <= total_micro",
      {micro, dataset, micro});
  return c.changes() == 1;
}

int64_t insert_release(store::Connection& c, const ReleaseRow& r,
                       std::optional<int64_t> created_by_user) {
  return c
      .query_row(
          "INSERT INTO flow_releases (created_at, created_by, created_by_user, method, "
          "parameters, dataset, published, epsilon_spent) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
          "RETURNING id",
          {r.created_at, r.created_by, optional_value(created_by_user), r.method, r.parameters,
           r.dataset, r.published, r.epsilon_spent ? Value(*r.epsilon_spent) : store::null_value})
      .integer(0);
}

namespace {
ReleaseRow release_of(const Row& r) {
  ReleaseRow out;
  out.id = r.integer(0);
  out.created_at = r.text(1);
  out.created_by = r.text(2);
  out.method = r.text(3);
  out.parameters = r.text(4);
  out.dataset = r.text(5);
  out.published = r.text(6);
  if (!r.is_null(7)) out.epsilon_spent = r.real(7);
  return out;
}
constexpr std::string_view kReleaseColumns =
    "id, created_at, created_by, method, parameters, dataset, published, epsilon_spent";
}  // namespace

std::vector<ReleaseRow> list_releases(store::Connection& c, int64_t limit) {
  std::vector<ReleaseRow> out;
  for (const auto& r : c.query("SELECT " + std::string(kReleaseColumns) +
                                   " FROM flow_releases ORDER BY id DESC LIMIT ?",
                               {limit}))
    out.push_back(release_of(r));
  return out;
}

std::optional<ReleaseRow> find_release(store::Connection& c, int64_t id) {
  auto r = c.query_one(
      "SELECT " + std::string(kReleaseColumns) + " FROM flow_releases WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return release_of(*r);
}

std::vector<CaseBasis> case_basis(store::Connection& c) {
  std::vector<CaseBasis> out;
  for (const auto& r :
       c.query("SELECT k.opened_at, p.nationality, s.age, s.may_be_minor, s.interview FROM cases k "
               "JOIN persons p ON p.id = k.person_id JOIN screenings s ON s.id = k.screening_id "
               "ORDER BY k.id")) {
    CaseBasis b;
    const std::string opened = r.text(0);
    b.year = opened.size() >= 4 ? std::stoi(opened.substr(0, 4)) : 0;
    b.nationality = r.optional_text(1);
    b.age = r.optional_integer(2);
    b.may_be_minor = r.integer(3) != 0;
    b.interview = r.optional_text(4);
    out.push_back(std::move(b));
  }
  return out;
}

std::string cases_fingerprint(store::Connection& c) {
  auto r = c.query_row("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM cases");
  return std::to_string(r.integer(0)) + "/" + std::to_string(r.integer(1));
}

}  // namespace ctip::flows::repository
