// The HTTP server: JSON API under /api/v1 and the web front end (web/dist) on one origin.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "store/store.h"

namespace ctip::jobs {
class KindRegistry;
}

namespace ctip::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;                          // 0 picks a free port (tests)
  std::filesystem::path web_dir;            // built front end; empty serves the API only
  size_t max_body_bytes = size_t{1} << 20;  // 1 MiB: a route's default (Route::max_body_bytes)
  // Where uploads to jobs are kept while they run (DATA_DIR/jobs); empty: this server runs no
  // jobs and the job routes answer 404 (`ctip serve --no-jobs`, e.g. all but one of several
  // servers on one PostgreSQL: one process runs a store's jobs, src/jobs/README.md).
  std::filesystem::path jobs_dir;
  int job_workers = 1;  // jobs run at once
  // The kinds of job the server runs; empty: every capability's (app::job_kinds()). Tests add
  // their own (a slow kind to cancel).
  std::function<jobs::KindRegistry()> job_kinds;
  int read_timeout_s = 10;   // the longest wait for the next piece of a request body
  int write_timeout_s = 10;  // for an answer
  int threads = 32;          // requests handled at once (the rest wait, their sockets open)
  // Abuse limits of the HTTP listener (src/server/http_listener.h; nginx's and Envoy's defaults):
  size_t max_header_bytes = size_t{16} * 1024;  // request line and headers; 431 past it
  size_t max_header_count = 100;                // 431 past it
  int header_deadline_ms = 10'000;       // the whole header must arrive within this (slowloris)
  int max_connections_per_address = 64;  // 503 past it
  bool secure_cookies = false;
  auth::SessionPolicy sessions;  // idle timeout, absolute limit, sessions per user (src/auth)
};

class Server {
 public:
  Server(store::Store& store, audit::AuditLog& audit, ServerOptions options);
  ~Server();
  // Binds; returns the bound port. Throws Error when the address is taken.
  int bind();
  // Serves until stop() (blocking).
  void listen();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctip::server
