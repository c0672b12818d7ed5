// The flows tables (schema/0012_flows.sql): the only file of src/flows with SQL. Every function
// runs inside the caller's transaction (Store::write or Store::read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flows/glotip.h"
#include "flows/import.h"
#include "flows/record.h"
#include "store/store.h"

namespace ctip::flows::repository {

struct NewImport {
  Format format = Format::ctdc;
  std::string file_name;
  std::optional<int64_t> job_id;
  std::string created_by;
  std::optional<int64_t> created_by_user;
  std::string created_at;
};

struct ImportRow {
  int64_t id = 0;
  Format format = Format::ctdc;
  std::string file_name;
  std::string file_sha256;
  std::string status;
  std::string created_by;
  std::string created_at;
  int64_t rows_read = 0, imported = 0, skipped = 0;
  std::vector<std::string> sources;
};

// Inserts an import in status 'importing'; returns its id.
int64_t insert_import(store::Connection& c, const NewImport& in);
void insert_chunk(store::Connection& c, int64_t import_id, int64_t chunk, int64_t records,
                  const std::string& data);
void insert_glotip_values(store::Connection& c, int64_t import_id, const GlotipData& data);
// Marks the import complete with its counts, sources, summary (JSON text) and the file's hash.
void complete_import(store::Connection& c, int64_t import_id, const ImportSummary& summary,
                     const std::string& summary_json, const std::string& file_sha256);
void complete_glotip_import(store::Connection& c, int64_t import_id, const GlotipSummary& s,
                            const std::string& summary_json, const std::string& file_sha256);
// Deletes an import that did not complete and everything it wrote (a failed or cancelled job).
void delete_import_of_job(store::Connection& c, int64_t job_id);

// Complete imports, oldest first.
std::vector<ImportRow> complete_imports(store::Connection& c);
// What identifies the stored records: changes whenever an import completes or is deleted
// (for the service's cache of the loaded table).
std::string records_fingerprint(store::Connection& c);
// Every complete import's records, in import and chunk order.
RecordTable load_records(store::Connection& c);
// Every complete GLOTIP import's values (malformed ones in summary.malformed).
GlotipData load_glotip(store::Connection& c);
int64_t count_glotip_values(store::Connection& c);

// The epsilon ledger: creates the dataset's row with `total_micro` when absent.
void ensure_budget(store::Connection& c, const std::string& dataset, int64_t total_micro);
struct Budget {
  std::string dataset;
  int64_t total_micro = 0;
  int64_t spent_micro = 0;
};
std::optional<Budget> find_budget(store::Connection& c, const std::string& dataset);
// Adds `micro` to the dataset's spending when it stays within its total; false otherwise
// (nothing changed). Atomic on both engines (one conditional UPDATE).
bool spend_budget(store::Connection& c, const std::string& dataset, int64_t micro);

struct ReleaseRow {
  int64_t id = 0;
  std::string created_at;
  std::string created_by;
  std::string method;
  std::string parameters;  // JSON text
  std::string dataset;     // JSON text
  std::string published;   // JSON text
  std::optional<double> epsilon_spent;
};
int64_t insert_release(store::Connection& c, const ReleaseRow& r,
                       std::optional<int64_t> created_by_user);
std::vector<ReleaseRow> list_releases(store::Connection& c, int64_t limit);
std::optional<ReleaseRow> find_release(store::Connection& c, int64_t id);

// ctip's own cases as case records (data source "ctip"): the year the case was opened, the
// person's nationality, age and the sex the interview recorded. Nothing that names a person.
struct CaseBasis {
  int year = 0;
  std::optional<std::string> nationality;  // alpha-2
  std::optional<int64_t> age;
  bool may_be_minor = false;
  std::optional<std::string> interview;  // the screening's interview JSON (for the sex)
};
std::vector<CaseBasis> case_basis(store::Connection& c);
std::string cases_fingerprint(store::Connection& c);

}  // namespace ctip::flows::repository
