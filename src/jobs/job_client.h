// Running a job from the CLI with a progress bar, either through a running server's job API
// (the file is streamed up, then the job is polled) or in this process through a JobService.
// For commands such as a future `ctip flows import FILE [--server URL]`.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/json_input.h"
#include "jobs/job_service.h"
#include "jobs/progress_bar.h"

namespace ctip::jobs {

// A logged-in session on a ctip server.
struct ServerSession {
  std::string base_url;       // e.g. "http://127.0.0.1:8080"
  std::string session_token;  // the ctip_session cookie's value
  std::string csrf_token;     // for POST requests (X-CSRF-Token)
};

// POST /api/v1/session; Error(unauthenticated) on bad credentials, Error(internal) when the
// server cannot be reached.
ServerSession login(const std::string& base_url, const std::string& username,
                    const std::string& password);

// Streams `file` to POST /api/v1/jobs?kind=K (constant memory), then polls
// GET /api/v1/jobs/{id} every `poll` until the job is final, drawing the upload's and then the
// job's progress on `bar`. Returns the final job as the API shows it (with "result" when
// succeeded). The server's refusals become ctip::Error with the server's code and message.
Json run_on_server(const ServerSession& session, std::string_view kind,
                   const std::filesystem::path& file, ProgressBar& bar,
                   std::chrono::milliseconds poll = std::chrono::milliseconds(250));

// Submits `file` to a started JobService in this process and waits for the job, drawing its
// progress on `bar`. Returns the final job.
Job run_locally(JobService& service, const Caller& caller, std::string_view kind,
                const std::filesystem::path& file, ProgressBar& bar,
                std::chrono::milliseconds poll = std::chrono::milliseconds(250));

}  // namespace ctip::jobs
