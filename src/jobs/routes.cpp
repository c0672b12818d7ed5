// The job routes (issue #6, item 7):
//   POST /api/v1/jobs?kind=K         body = the input file, streamed to disk   -> 201 job
//   GET  /api/v1/jobs                the caller's organisation's jobs          -> {"jobs":[...]}
//   GET  /api/v1/jobs/{id}           status, progress and (when succeeded) result
//   POST /api/v1/jobs/{id}/cancel    -> the cancelled job; 409 when already final
// The upload route streams its body (Route::streams_body): the dispatcher authenticates and
// checks the matrix before a byte of the file is read, and the handler hands it to the job
// service in pieces, so a file of any size takes constant memory.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/permissions.h"
#include "core/error.h"
#include "jobs/capability.h"
#include "jobs/count_lines.h"
#include "jobs/job_repository.h"
#include "jobs/job_service.h"

namespace ctip::jobs {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

JobService& service(const Call& call) {
  if (!call.svc.jobs)
    throw Error(ErrorCode::not_found,
                "this server runs no jobs (started with --no-jobs): send the job to the server "
                "that runs them");
  return *call.svc.jobs;
}

// The signed-in user as the job service sees them, under the scope the matrix grants.
Caller caller_of(const Call& call) {
  const auth::User& u = call.signed_in();
  return {u.id, u.username, u.org.id, call.scope == auth::Scope::all};
}

Reply create_job(Call& call) {
  JobService& jobs = service(call);
  std::string kind = call.query_value("kind").value_or("");
  if (kind.empty()) invalid("kind", "name the job's kind: POST /api/v1/jobs?kind=...");
  const Kind* known = jobs.kinds().find(kind);
  if (!known) invalid("kind", "no job kind '" + kind + "' (GET /api/v1/meta lists job_kinds)");
  // A kind may need its own permission beside jobs.create (e.g. flows.import).
  if (!known->action.empty() &&
      !auth::PermissionMatrix::builtin().grant(call.signed_in().role, known->action)) {
    call.audit("access.denied", "route", known->action, "denied");
    throw Error(ErrorCode::permission_denied,
                "role '" + call.signed_in().role + "' may not " + known->action);
  }
  if (!call.read_body) invalid("body", "send the job's input file as the request body");
  Upload upload = jobs.begin_upload(caller_of(call), kind);
  std::optional<Error> refused;
  bool complete = call.read_body([&](const char* data, size_t n) {
    try {
      upload.append({data, n});
      return true;
    } catch (const Error& e) {
      refused = e;
      return false;
    }
  });
  if (refused) throw *refused;
  if (!complete)
    invalid("body", "the upload ended before the whole file arrived; nothing was kept");
  Job job = upload.finish();
  Reply r = Reply::created(job_json(jobs, job, false));
  r.headers.emplace_back("Location", "/api/v1/jobs/" + std::to_string(job.id));
  return r;
}

Reply list_jobs(Call& call) {
  JobService& jobs = service(call);
  int64_t limit = call.query_int("limit", 100, 1, 500);
  Json out = Json::array();
  for (const auto& job : jobs.list(caller_of(call), limit))
    out.push_back(job_json(jobs, job, false));
  return {200, Json{{"jobs", out}}};
}

Reply read_job(Call& call) {
  JobService& jobs = service(call);
  return {200, job_json(jobs, jobs.get(caller_of(call), call.object_id), true)};
}

Reply cancel_job(Call& call) {
  JobService& jobs = service(call);
  return {200, job_json(jobs, jobs.cancel(caller_of(call), call.object_id), false)};
}

// The organisation owning job `id` (0 for the operator's CLI jobs, which belong to none), or
// nullopt when there is no such job.
std::optional<int64_t> job_owner(store::Connection& c, int64_t id) {
  auto job = repository::find(c, id);
  if (!job) return std::nullopt;
  return job->org_id.value_or(0);
}

}  // namespace

std::vector<Route> routes() {
  Route upload{"POST",
               "/api/v1/jobs",
               "jobs.create",
               create_job,
               "Create a job of ?kind=K; the body is its input file, streamed to disk",
               Ownership::organisation()};
  upload.max_body_bytes = kMaxUploadBytes;
  upload.streams_body = true;
  return {
      upload,
      {"GET", "/api/v1/jobs", "jobs.read", list_jobs,
       "The organisation's jobs, newest first (?limit=1..500)", Ownership::organisation()},
      {"GET", "/api/v1/jobs/{id}", "jobs.read", read_job,
       "A job's status and progress, and its result once it succeeded",
       Ownership::object("job", job_owner)},
      {"POST", "/api/v1/jobs/{id}/cancel", "jobs.cancel", cancel_job,
       "Cancel a queued or running job", Ownership::object("job", job_owner)},
  };
}

void add_meta(Json& meta) {
  Json statuses = Json::array();
  for (Status s : kAllStatuses) statuses.push_back(std::string(to_string(s)));
  meta["job_statuses"] = statuses;
}

void add_kinds(KindRegistry& kinds) { kinds.add(count_lines_kind()); }

}  // namespace ctip::jobs
