// A job: a piece of long work (an import, an analysis) over one uploaded input, run in the
// background (issue #6, item 7). This header is the pure part: the states a job passes
// through, which transitions are allowed, and how progress may advance. No I/O.
//
//   queued ──> running ──> succeeded
//     │           ├──────> failed      (the kind threw, or the process died: "interrupted")
//     └───────────┴──────> cancelled   (cooperative: the kind stops at its next poll)
//
// succeeded, failed and cancelled are final: nothing leaves them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>
#include <string_view>

#include "core/json_input.h"

namespace ctip::jobs {

enum class Status { queued, running, succeeded, failed, cancelled };

inline constexpr Status kAllStatuses[] = {Status::queued, Status::running, Status::succeeded,
                                          Status::failed, Status::cancelled};

std::string_view to_string(Status s);
// The status stored as `text`; Error(integrity) for a value the store should never hold.
Status parse_status(std::string_view text);
bool is_final(Status s);
bool can_transition(Status from, Status to);
// Error(conflict) naming both states when `from` may not become `to`, e.g. cancelling a job
// that has already succeeded.
void require_transition(Status from, Status to);

// How far a job has come, in the units of its kind (rows, bytes).
struct Progress {
  int64_t done = 0;
  int64_t total = 0;  // 0 while not known
  std::string message;
  bool operator==(const Progress&) const = default;
};

// The progress after a report of (done, total, message) following `previous`. Progress only
// moves forward: done never decreases, and never exceeds a known total (a total may be learnt
// or revised on the way, but not below done). A report that breaks this is a bug in the kind
// and throws Error(invalid_argument) naming "progress".
Progress advance(const Progress& previous, int64_t done, int64_t total, std::string message);
// Whole per cent (0..100) of a known total, or nullopt while the total is unknown.
std::optional<int> percent(const Progress& p);

struct Job {
  int64_t id = 0;
  std::optional<int64_t> org_id;  // absent for the operator's CLI jobs
  std::string kind;               // e.g. "count_lines", "flows.import"
  Status status = Status::queued;
  std::optional<int64_t> created_by;  // user id; absent for the operator's CLI jobs
  std::string created_at;             // RFC 3339 UTC
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  Progress progress;
  std::optional<Json> result;        // only when succeeded
  std::optional<std::string> error;  // only when failed
  std::string input_path;            // file name under DATA_DIR/jobs
  int64_t input_size = 0;
  std::string input_sha256;  // hex
};

// The job as the API shows it: {"id","kind","status","created_at","started_at","finished_at",
// "progress":{"done","total","percent","message"},"input":{"size","sha256"},"error"} and
// "result" when `with_result` (reading a result is audited; listing jobs does not include it).
Json to_json(const Job& job, bool with_result);

}  // namespace ctip::jobs
