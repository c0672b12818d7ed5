#include "jobs/job_repository.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::jobs::repository {
namespace {

using store::Params;
using store::Value;

constexpr const char* kColumns =
    "id, org_id, kind, status, created_by, created_at, started_at, finished_at, progress_done, "
    "progress_total, message, result, error, input_path, input_size, input_sha256";

Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : store::null_value; }

Job from_row(const store::Row& r) {
  Job j;
  j.id = r.integer(0);
  j.org_id = r.optional_integer(1);
  j.kind = r.text(2);
  j.status = parse_status(r.text(3));
  j.created_by = r.optional_integer(4);
  j.created_at = r.text(5);
  j.started_at = r.optional_text(6);
  j.finished_at = r.optional_text(7);
  j.progress = {r.integer(8), r.integer(9), r.text(10)};
  if (auto result = r.optional_text(11)) {
    try {
      j.result = Json::parse(*result);
    } catch (const Json::exception&) {
      throw Error(ErrorCode::integrity, "job " + std::to_string(j.id) + " has a malformed result");
    }
  }
  j.error = r.optional_text(12);
  j.input_path = r.text(13);
  j.input_size = r.integer(14);
  j.input_sha256 = r.text(15);
  return j;
}

}  // namespace

int64_t insert(store::Connection& c, const NewJob& job) {
  auto row = c.query_one(
      "INSERT INTO jobs (org_id, kind, status, created_by, created_at, input_path, input_size, "
      "input_sha256) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?) RETURNING id",
      {opt(job.org_id), job.kind, opt(job.created_by), job.created_at, job.input_path,
       job.input_size, job.input_sha256});
  if (!row) throw Error(ErrorCode::internal, "inserting a job returned no id");
  return row->integer(0);
}

void set_input_path(store::Connection& c, int64_t id, const std::string& input_path) {
  c.execute("UPDATE jobs SET input_path = ? WHERE id = ?", {input_path, id});
}

std::optional<Job> find(store::Connection& c, int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return from_row(*row);
}

std::vector<Job> list(store::Connection& c, std::optional<int64_t> org_id, int64_t limit) {
  std::vector<store::Row> rows =
      org_id ? c.query(std::string("SELECT ") + kColumns +
                           " FROM jobs WHERE org_id = ? ORDER BY id DESC LIMIT ?",
                       {*org_id, limit})
             : c.query(std::string("SELECT ") + kColumns + " FROM jobs ORDER BY id DESC LIMIT ?",
                       {limit});
  std::vector<Job> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

std::vector<int64_t> ids_with_status(store::Connection& c, Status status) {
  std::vector<int64_t> out;
  for (const auto& r : c.query("SELECT id FROM jobs WHERE status = ? ORDER BY id",
                               {std::string(to_string(status))}))
    out.push_back(r.integer(0));
  return out;
}

bool claim(store::Connection& c, int64_t id, const std::string& now) {
  c.execute("UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'",
            {now, id});
  return c.changes() == 1;
}

bool lock_if_running(store::Connection& c, int64_t id) {
  c.execute("UPDATE jobs SET status = status WHERE id = ? AND status = 'running'", {id});
  return c.changes() == 1;
}

bool record_progress(store::Connection& c, int64_t id, const Progress& p) {
  c.execute(
      "UPDATE jobs SET progress_done = ?, progress_total = ?, message = ? "
      "WHERE id = ? AND status = 'running'",
      {p.done, p.total, p.message, id});
  return c.changes() == 1;
}

bool succeed(store::Connection& c, int64_t id, const std::string& result_json,
             const Progress& final_progress, const std::string& now) {
  c.execute(
      "UPDATE jobs SET status = 'succeeded', result = ?, progress_done = ?, progress_total = ?, "
      "message = ?, finished_at = ? WHERE id = ? AND status = 'running'",
      {result_json, final_progress.done, final_progress.total, final_progress.message, now, id});
  return c.changes() == 1;
}

bool fail(store::Connection& c, int64_t id, const std::string& error, const std::string& now) {
  c.execute(
      "UPDATE jobs SET status = 'failed', error = ?, finished_at = ? "
      "WHERE id = ? AND status IN ('queued', 'running')",
      {error, now, id});
  return c.changes() == 1;
}

bool cancel(store::Connection& c, int64_t id, const std::string& now) {
  c.execute(
      "UPDATE jobs SET status = 'cancelled', finished_at = ? "
      "WHERE id = ? AND status IN ('queued', 'running')",
      {now, id});
  return c.changes() == 1;
}

}  // namespace ctip::jobs::repository
