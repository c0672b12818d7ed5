// The flows use cases, each written once and called by the API's routes (routes.cpp), the CLI
// (cli.cpp), the import job kinds and `ctip demo`: importing a file (all or nothing), the
// aggregates, shifts and GLOTIP shares over the stored data, and releases for publication
// (k-suppressed or differentially private, each recorded and audited "flows.release").
//
// The stored data is one national dataset: every complete import's case records, plus ctip's
// own cases as data source "ctip" (year opened, nationality, age band and recorded sex; nothing
// that names a person). The records are loaded from their columnar chunks (chunk.h) once per
// change of the imports and kept for the process (10 million records: ~300 MB).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "core/error.h"
#include "core/json_input.h"
#include "flows/aggregate.h"
#include "flows/import.h"
#include "flows/stats/shift.h"
#include "store/store.h"

namespace ctip::jobs {
class JobContext;
}  // namespace ctip::jobs

namespace ctip::flows {

struct ImportRequest {
  Format format = Format::ctdc;
  std::string file_name;        // the base name shown in listings
  bool dry_run = false;         // read and report; write nothing
  bool skip_bad_rows = false;   // import the good rows of a file with row errors
  double epsilon_budget = 1.0;  // the new dataset's budget for private releases
  // Called as the file is read: bytes read and data rows read so far.
  std::function<void(uint64_t bytes, uint64_t rows)> progress;
};

struct ImportResult {
  std::optional<int64_t> import_id;  // absent for a dry run
  Json summary;                      // report.h to_json(ImportSummary | GlotipSummary)
};

// A file with row errors and no --skip-bad-rows: nothing was written. `summary` lists them.
class ImportRejected : public Error {
 public:
  ImportRejected(const std::string& message, std::string field, Json summary)
      : Error(ErrorCode::invalid_argument, message, std::move(field)),
        summary(std::move(summary)) {}
  Json summary;
};

// The largest corridor table (citizenships x countries of exploitation) k-suppression takes: the
// interval audit solves linear programs per suppressed cell, about 10 s for 120 x 90 on 2 cores.
inline constexpr size_t kMaxReleaseCells = 12000;

struct ReleaseRequest {
  std::optional<int64_t> k;       // k-threshold suppression, or
  std::optional<double> epsilon;  // a differentially private release
  int64_t max_records_per_person = 1;
  Filter filter;
  Json filter_json = Json::object();  // the filter as given, recorded with the release
};

class FlowsService {
 public:
  FlowsService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  // Reads the whole file in one write transaction (the CLI, `ctip demo`): it lands whole or not
  // at all. Audited "flows.import". Throws ImportRejected for row errors (unless skip_bad_rows),
  // Error(invalid_argument, "header"/"format") for a file that is not of the format.
  ImportResult import(const auth::Actor& actor, std::istream& in, const ImportRequest& request);
  // The same as a job's work: chunks are staged while the file is read, so the server stays
  // writable and memory flat; a job that does not succeed leaves nothing (discard_job()).
  ImportResult import(const auth::Actor& actor, jobs::JobContext& job,
                      const ImportRequest& request);
  // Deletes what an unfinished import job wrote (the job kind's discard).
  static void discard_job(store::Connection& c, int64_t job_id);

  // GET /api/v1/flows: counts, imports with their budgets, sources, years, ISO countries.
  Json overview();
  Json corridors(const Filter& filter);
  Json domestic(DomesticBy by, const Filter& filter);
  Json categories(FlagGroup group, const Filter& filter);
  Json shifts(const Filter& filter, const stats::ShiftCriteria& criteria);
  // GLOTIP domestic shares per country-year (by country) or summed per year (by year), the
  // `<5` intervals carried through. `country`, `from`, `to` narrow them.
  Json glotip(DomesticBy by, const Filter& filter);

  // The corridor table after k-suppression, not stored (Error invalid_argument "k" for k < 2).
  Json preview(const Filter& filter, int64_t k);
  // Publishes a release: records it with its parameters and the data it came from, spends
  // epsilon from every dataset it reads (Error conflict "epsilon" when one has too little
  // left: nothing is recorded), audited "flows.release". Returns {"release": ...}.
  Json release(const auth::Actor& actor, const ReleaseRequest& request);
  Json releases(int64_t limit);
  // The release's published table as CSV (publish.h); Error not_found.
  std::string release_csv(int64_t id);

  // The records the aggregates read (cached while the imports do not change).
  std::shared_ptr<const RecordTable> records();

 private:
  struct Loaded {
    std::shared_ptr<const RecordTable> table;
    std::string key;  // changes whenever the records do
  };
  Loaded load();
  // The corridor table after k-suppression (preview and release), cached by data, filter and k.
  Json suppressed(const Loaded& loaded, const Filter& filter, int64_t k);

  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::flows
