// The job service: the one place the job use cases are written (create from an upload, run,
// read, list, cancel), called by the HTTP routes (http.h) and the CLI (job_client.h) alike.
//
// Invariants (see README.md):
// - A job exists only once its whole input is on disk: an upload streams to a temporary file
//   (0600) and is renamed to DATA_DIR/jobs/<id>.input in the transaction that inserts the job.
//   A client that disconnects, or a process killed mid-upload, leaves no job and no input.
// - A job's output lands whole or not at all: the kind writes it through JobContext::commit,
//   one transaction that also marks the job succeeded, and that rolls back if the job was
//   cancelled meanwhile. A failed, cancelled or killed job leaves no partial output.
// - On start(), jobs left running by a killed process are marked failed ("interrupted"); queued
//   jobs are run. One process runs a store's jobs (their inputs are on its disk).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "jobs/job.h"
#include "store/store.h"

namespace ctip::jobs {

// Who asks: the authenticated user (from the server's session and permission check) or the
// operator at the CLI.
struct Caller {
  std::optional<int64_t> user_id;
  std::string actor;               // username, or "cli" for the operator
  std::optional<int64_t> org_id;   // the user's organisation
  bool all_organisations = false;  // the permission matrix grants scope `all`
  // The operator running ctip on the server: sees every job, audited as actor "cli".
  static Caller cli();
};

// What a kind's function gets: its input, a way to report progress, to learn that it should
// stop, and to write its output atomically. Used by one worker thread.
class JobContext {
 public:
  virtual ~JobContext() = default;
  virtual int64_t job_id() const = 0;
  // The uploaded input, read from the start (binary).
  virtual std::istream& input() = 0;
  virtual int64_t input_size() const = 0;
  // Reports progress in the kind's unit; `done` never decreases (job.h advance(): a report
  // that goes backwards throws and fails the job). Stored at most every progress_interval.
  virtual void report_progress(int64_t done, int64_t total, std::string message) = 0;
  // True once the job was cancelled or the service is stopping: the kind should stop soon,
  // e.g. by calling throw_if_cancelled() between units of work.
  virtual bool cancelled() const = 0;
  // Throws JobStopped when cancelled(): the runner records the job cancelled (or interrupted).
  virtual void throw_if_cancelled() const = 0;
  // The result the job will show when it succeeds (a JSON object); default {}.
  virtual void set_result(Json result) = 0;
  // Writes the kind's output and marks the job succeeded in one store transaction. If the job
  // was cancelled meanwhile, nothing of `write` lands (JobStopped is thrown). Call at most
  // once, as the kind's last step. A kind that writes nothing need not call it.
  virtual void commit(const std::function<void(store::Connection&)>& write) = 0;
  // For output too large to hold until commit() (millions of ads): writes one batch now, in
  // its own transaction, while the job is still running (else JobStopped, nothing written).
  // The kind must have a `discard` function deleting what stage() wrote: it runs in the
  // transaction that marks the job failed or cancelled (also at start-up after a kill), so a
  // job that does not succeed leaves nothing. Until the job succeeds, readers must not take
  // staged rows as final (e.g. they join on the job's status, or commit() moves them).
  virtual void stage(const std::function<void(store::Connection&)>& write) = 0;
  // The store and audit log the job runs against, for kinds that call a capability's service
  // (which opens its own transactions and audits its use case, e.g. flows.import.*).
  virtual store::Store& store() = 0;
  virtual audit::AuditLog& audit() = 0;
  // The user who created the job; absent for the operator's CLI jobs.
  virtual std::optional<int64_t> created_by() const = 0;
};

// Thrown by JobContext when the job must stop (cancelled, or the service is stopping).
struct JobStopped : std::exception {
  const char* what() const noexcept override { return "job stopped"; }
};

struct Kind {
  std::string name;     // e.g. "count_lines", "flows.import"
  std::string unit;     // what progress counts, e.g. "rows", "bytes"
  std::string summary;  // one line for people
  std::function<void(JobContext&)> run;
  // The permission-matrix action needed to create a job of this kind (e.g. "flows.import");
  // empty: the generic "jobs.create". Checked by the routes (http.h) through the server.
  std::string action = {};
  // Deletes the output stage() wrote for job `job_id`; needed by kinds that stage.
  std::function<void(store::Connection&, int64_t job_id)> discard = {};
};

// The kinds a service can run, by name. An explicit list built at start-up (no static
// self-registration the linker could drop).
class KindRegistry {
 public:
  // Error(internal) when the name is taken or empty.
  KindRegistry& add(Kind kind);
  const Kind* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Kind, std::less<>> kinds_;
};

struct ServiceOptions {
  std::filesystem::path jobs_dir;                    // DATA_DIR/jobs; created 0700
  int workers = 1;                                   // jobs run at once
  int64_t max_input_bytes = 64LL << 30;              // a bigger upload is refused (413)
  std::chrono::milliseconds progress_interval{250};  // how often progress is stored
  std::function<int64_t()> clock;                    // ms since the epoch; default ctip::now_ms
};

class JobService;

// An upload in progress: bytes are appended as they arrive, to a temporary file in the jobs
// directory. finish() creates the job; destroying an unfinished upload deletes the file.
class Upload {
 public:
  Upload(Upload&&) noexcept;
  Upload& operator=(Upload&&) noexcept;
  ~Upload();
  // Error(payload_too_large) past ServiceOptions::max_input_bytes (the file is deleted).
  void append(std::string_view bytes);
  int64_t size() const;
  // Creates the queued job (audited "jobs.create") and hands it to the workers.
  Job finish();

 private:
  friend class JobService;
  struct State;
  explicit Upload(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class JobService {
 public:
  // What start() takes over. `store`: this process runs the store's jobs (the server): jobs left
  // running are marked interrupted, queued ones are run, stray files removed. `none`: it runs
  // only the jobs it creates itself (`ctip jobs run` beside a server on the same store).
  enum class Recovery { store, none };
  JobService(store::Store& store, audit::AuditLog& audit, KindRegistry kinds,
             ServiceOptions options);
  // Stops the workers; a job still running is marked failed ("interrupted").
  ~JobService();
  JobService(const JobService&) = delete;
  JobService& operator=(const JobService&) = delete;

  // Recovers after a killed process (running -> failed "interrupted", stray files removed),
  // then starts the workers, which pick up the queued jobs. Call once.
  void start(Recovery recovery = Recovery::store);

  // Error(invalid_argument, "kind") for an unknown kind, before any byte is read.
  Upload begin_upload(const Caller& caller, std::string_view kind);
  // Conveniences over begin_upload for the CLI and tests.
  Job submit(const Caller& caller, std::string_view kind, std::istream& input);
  Job submit_file(const Caller& caller, std::string_view kind, const std::filesystem::path& file);

  // The job if the caller may see it (own organisation, or scope all), else Error(not_found).
  // A succeeded job's result is audited as "jobs.read".
  Job get(const Caller& caller, int64_t id);
  // Newest first; the caller's organisation's (every one's with scope all).
  std::vector<Job> list(const Caller& caller, int64_t limit = 100);
  // Cancels a queued or running job (audited "jobs.cancel"); Error(conflict) when it has
  // already finished. A running job's kind stops at its next poll; until then its worker stays
  // busy, but the job already shows cancelled and can no longer commit output.
  Job cancel(const Caller& caller, int64_t id);
  // Waits until the job is final or `timeout` passes; returns the job as then stored (not
  // audited: for the CLI's local runs and tests).
  Job wait(int64_t id, std::chrono::milliseconds timeout);

  const KindRegistry& kinds() const;
  const ServiceOptions& options() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// The job as the API and the CLI show it: to_json() plus the unit of its kind's progress.
Json job_json(const JobService& service, const Job& job, bool with_result);

}  // namespace ctip::jobs
