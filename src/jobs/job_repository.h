// The jobs table (schema/0005_jobs.sql): the only file of src/jobs with SQL. Every function
// runs inside the caller's transaction (Store::write or Store::read). State changes are
// conditional updates on the current status, so that two writers racing (a worker finishing,
// a user cancelling) cannot both win: the loser sees `false` and re-reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job.h"
#include "store/store.h"

namespace ctip::jobs::repository {

struct NewJob {
  std::optional<int64_t> org_id;
  std::string kind;
  std::optional<int64_t> created_by;
  std::string created_at;
  std::string input_path;
  int64_t input_size = 0;
  std::string input_sha256;
};

// Inserts a queued job; returns its id.
int64_t insert(store::Connection& c, const NewJob& job);
// Points the job at its input file (named after the id, known only after insert()).
void set_input_path(store::Connection& c, int64_t id, const std::string& input_path);
std::optional<Job> find(store::Connection& c, int64_t id);
// Newest first, at most `limit`; only organisation `org_id`'s when given.
std::vector<Job> list(store::Connection& c, std::optional<int64_t> org_id, int64_t limit);
// Ids of the jobs in `status`, oldest first.
std::vector<int64_t> ids_with_status(store::Connection& c, Status status);

// queued -> running; false when the job is no longer queued (cancelled, or claimed elsewhere).
bool claim(store::Connection& c, int64_t id, const std::string& now);
// Locks the job's row when it is running (PostgreSQL: until the transaction ends, so that a
// cancellation waits for a staged batch and then discards it); false when it is not running.
bool lock_if_running(store::Connection& c, int64_t id);
// Records progress of a running job; false when the job is no longer running (cancelled).
bool record_progress(store::Connection& c, int64_t id, const Progress& p);
// running -> succeeded with the result (JSON text) and the final progress; false when the
// job is no longer running.
bool succeed(store::Connection& c, int64_t id, const std::string& result_json,
             const Progress& final_progress, const std::string& now);
// queued or running -> failed with a message for the job's owner; false when already final.
bool fail(store::Connection& c, int64_t id, const std::string& error, const std::string& now);
// queued or running -> cancelled; false when already final.
bool cancel(store::Connection& c, int64_t id, const std::string& now);

}  // namespace ctip::jobs::repository
