// The job API over cpp-httplib, as plain functions the server registers (issue #6, item 7):
//
//   POST /api/v1/jobs?kind=K         body = the input file, streamed to disk   -> 201 job
//   GET  /api/v1/jobs                the caller's organisation's jobs          -> {"jobs":[...]}
//   GET  /api/v1/jobs/{id}           status, progress and (when succeeded) result
//   POST /api/v1/jobs/{id}/cancel    -> the cancelled job; 409 when already final
//
// The upload is read through httplib's ContentReader, so a file of any size streams to disk in
// constant memory instead of being buffered as a request body. Authentication and the
// permission check are the server's: it passes an Authenticate function that, given the
// request and the route's action ("jobs.create", "jobs.read", "jobs.cancel"), returns the
// Caller or throws ctip::Error (401 no session, 403 not allowed or bad CSRF token on POST).
// A job of another organisation is 404, never 403 (issue #6, item 3).
#pragma once

#include <httplib.h>

#include <functional>
#include <string_view>

#include "jobs/body_limits.h"
#include "jobs/job_service.h"

namespace ctip::jobs::http {

using Authenticate = std::function<Caller(const httplib::Request& req, std::string_view action)>;

struct JobRoutes {
  JobService& service;
  Authenticate authenticate;
};

// The permission-matrix actions the routes name.
inline constexpr const char* kCreateAction = "jobs.create";
inline constexpr const char* kReadAction = "jobs.read";
inline constexpr const char* kCancelAction = "jobs.cancel";

// POST /api/v1/jobs?kind=K. Authenticates (with the kind's own action when it names one, else
// jobs.create) and checks the kind before reading any of the body;
// a refused request is answered with "Connection: close" (its body is never read).
void create_job(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader& body);
// GET /api/v1/jobs?limit=N (1..500, default 100).
void list_jobs(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res);
// GET /api/v1/jobs/{id}; `id` is the path segment as sent (404 unless a positive integer).
void read_job(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res,
              std::string_view id);
// POST /api/v1/jobs/{id}/cancel.
void cancel_job(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res,
                std::string_view id);

// Registers the four routes on `server` (regex patterns; httplib takes the first match, so call
// this before registering a catch-all such as "/api/.*" for GET and POST). The upload route is
// a content-reader route, which httplib tries before any ordinary POST route. `routes` must
// outlive the server.
void register_routes(httplib::Server& server, const JobRoutes& routes);

// Sets the upload route's limit (POST /api/v1/jobs) to `max_upload_bytes`; other routes keep
// the default. Use the same figure as ServiceOptions::max_input_bytes.
void add_body_limits(BodyLimits& limits, uint64_t max_upload_bytes);

}  // namespace ctip::jobs::http
