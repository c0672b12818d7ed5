#include "jobs/job.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::jobs {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::queued:
      return "queued";
    case Status::running:
      return "running";
    case Status::succeeded:
      return "succeeded";
    case Status::failed:
      return "failed";
    case Status::cancelled:
      return "cancelled";
  }
  return "unknown";
}

Status parse_status(std::string_view text) {
  for (Status s : kAllStatuses)
    if (to_string(s) == text) return s;
  throw Error(ErrorCode::integrity, "job with an unknown status '" + std::string(text) + "'");
}

bool is_final(Status s) {
  return s == Status::succeeded || s == Status::failed || s == Status::cancelled;
}

bool can_transition(Status from, Status to) {
  switch (from) {
    case Status::queued:
      // A queued job whose input is lost or whose kind is gone can fail without running.
      return to == Status::running || to == Status::cancelled || to == Status::failed;
    case Status::running:
      return to == Status::succeeded || to == Status::failed || to == Status::cancelled;
    default:
      return false;
  }
}

void require_transition(Status from, Status to) {
  if (can_transition(from, to)) return;
  std::string msg = is_final(from) ? "job has already " + std::string(to_string(from))
                                   : "job is " + std::string(to_string(from));
  throw Error(ErrorCode::conflict, msg + ": it cannot become " + std::string(to_string(to)),
              "status");
}

Progress advance(const Progress& previous, int64_t done, int64_t total, std::string message) {
  if (done < 0 || total < 0) invalid("progress", "progress cannot be negative");
  if (done < previous.done)
    invalid("progress", "progress went backwards from " + std::to_string(previous.done) + " to " +
                            std::to_string(done));
  if (total > 0 && done > total)
    invalid("progress",
            "progress " + std::to_string(done) + " is beyond the total " + std::to_string(total));
  return {done, total, std::move(message)};
}

std::optional<int> percent(const Progress& p) {
  if (p.total <= 0) return std::nullopt;
  // Rounded down, so that 100% means done (a rounded-up 99.5% would claim it too early).
  return static_cast<int>((static_cast<__int128>(p.done) * 100) / p.total);
}

Json to_json(const Job& job, bool with_result) {
  auto opt = [](const std::optional<std::string>& s) { return s ? Json(*s) : Json(); };
  Json progress = {{"done", job.progress.done},
                   {"total", job.progress.total},
                   {"message", job.progress.message}};
  auto pc = percent(job.progress);
  progress["percent"] = pc ? Json(*pc) : Json();
  Json j = {{"id", job.id},
            {"kind", job.kind},
            {"status", to_string(job.status)},
            {"created_at", job.created_at},
            {"started_at", opt(job.started_at)},
            {"finished_at", opt(job.finished_at)},
            {"progress", progress},
            {"input", {{"size", job.input_size}, {"sha256", job.input_sha256}}},
            {"error", opt(job.error)}};
  if (with_result) j["result"] = job.result ? *job.result : Json();
  return j;
}

}  // namespace ctip::jobs
