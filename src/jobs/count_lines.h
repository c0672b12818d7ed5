// A demonstration job kind: counts the lines of its input, reporting progress in bytes and
// stopping when cancelled. It exercises the job mechanism end to end (tests, `make demo`)
// without depending on any capability; real kinds (flows.import, online.ingest) follow its
// shape: read the input in blocks, report progress, poll for cancellation, commit at the end.
#pragma once

#include <chrono>

#include "jobs/job_service.h"

namespace ctip::jobs {

struct CountLinesOptions {
  // Pause after each block: lets tests and demonstrations watch progress and cancel a job
  // over a small input. Zero in production.
  std::chrono::milliseconds pause_per_block{0};
  size_t block_bytes = 1 << 16;
};

// The kind "count_lines": result {"lines": N, "bytes": B}. A last line without a final newline
// counts as a line.
Kind count_lines_kind(CountLinesOptions options = {});

}  // namespace ctip::jobs
